//! Request bodies and uploads. Every route takes at most [`SMALL_BODY`] (JSON
//! and forms, sign-in included); only the upload routes take more, each up to
//! its own limit, and only after the user is known: a handler checks the
//! session before it reads a byte of the body.
//!
//! Uploads are also gated per process, so that their total stays bounded
//! however many arrive at once: one spreadsheet import at a time (reading a
//! workbook and checking it against the register is the largest thing the
//! server does) and a few photo uploads. A request that cannot enter within
//! [`GATE_WAIT`] answers 503 `server_busy` and may be retried.

use crate::error::AppError;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::extract::multipart::{Multipart, MultipartError};
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};

/// JSON and form bodies: a hazard with a 5,000-character description is ~20 KB.
pub const SMALL_BODY: usize = 256 << 10;
/// A roster workbook.
pub const SPREADSHEET: usize = 64 << 20;
/// A ledger workbook.
pub const LEDGER: usize = 32 << 20;
/// A holiday workbook.
pub const CALENDAR: usize = 8 << 20;
/// One photo or PDF through the API.
pub const ATTACHMENT: usize = crate::attachment::MAX_BYTES;
/// A page form with its photos (each at most [`ATTACHMENT`]).
pub const PHOTO_FORM: usize = 48 << 20;
/// Room for the multipart framing and the other fields of an upload form.
const FRAMING: usize = 1 << 20;

/// How long an upload waits for its turn.
pub const GATE_WAIT: Duration = Duration::from_secs(30);

/// The body limit for a route that takes a file of up to `file_bytes`.
pub fn limit(file_bytes: usize) -> DefaultBodyLimit {
    DefaultBodyLimit::max(file_bytes + FRAMING)
}

/// A bounded number of uploads at a time.
#[derive(Debug)]
pub struct Gate {
    permits: Semaphore,
    wait: Duration,
}

impl Gate {
    pub fn new(at_once: usize, wait: Duration) -> Self {
        Self { permits: Semaphore::new(at_once), wait }
    }

    /// Waits for a turn, at most the gate's wait.
    pub async fn enter(&self) -> Result<SemaphorePermit<'_>, AppError> {
        match tokio::time::timeout(self.wait, self.permits.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(AppError::Busy("服务器正在处理其他上传，请稍后再试".to_owned())),
        }
    }
}

/// The gates of one process.
#[derive(Debug)]
pub struct Gates {
    /// Spreadsheet imports (roster, ledger, holidays; API and pages).
    pub imports: Gate,
    /// Photos and PDFs (API uploads and page forms with photos).
    pub photos: Gate,
}

impl Default for Gates {
    fn default() -> Self {
        Self { imports: Gate::new(1, GATE_WAIT), photos: Gate::new(3, GATE_WAIT) }
    }
}

/// A multipart error in the common shape: 413 when the body passed the route's limit.
pub fn multipart_error(e: &MultipartError) -> AppError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge("上传的内容超过上限".to_owned())
    } else {
        AppError::bad_request("invalid_upload", format!("上传内容无法读取：{}", e.body_text()))
    }
}

/// Reads the `file` field of a multipart body.
pub async fn read_file(mut form: Multipart) -> Result<Bytes, AppError> {
    while let Some(field) = form.next_field().await.map_err(|e| multipart_error(&e))? {
        if field.name() == Some("file") {
            return field.bytes().await.map_err(|e| multipart_error(&e));
        }
    }
    Err(AppError::validation("file", "请选择要导入的 Excel 文件"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_gate_lets_a_bounded_number_in() {
        let gate = Gate::new(1, Duration::from_millis(20));
        let first = gate.enter().await;
        assert!(first.is_ok());
        let second = gate.enter().await;
        assert!(matches!(second, Err(AppError::Busy(_))));
        drop(first);
        assert!(gate.enter().await.is_ok());
    }
}
