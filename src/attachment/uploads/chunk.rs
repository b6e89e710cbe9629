//! Writing one chunk to the partial file: truncate to where the chunk starts
//! (dropping whatever an interrupted request left after the last durable
//! offset), stream the body to disk as it arrives, count it against the
//! declared range, and sync before the offset is recorded.

use crate::attachment::kind::SNIFF_LEN;
use crate::error::{AppError, AppResult};
use axum::body::Body;
use futures::StreamExt;
use std::path::Path;
use tokio::io::{AsyncSeekExt, AsyncWriteExt};

/// The longest a chunk may take to arrive; less than the write lease, so a
/// lease never ends while its request is still writing.
pub const CHUNK_TIME: std::time::Duration = std::time::Duration::from_mins(9);

fn io(e: std::io::Error) -> AppError {
    AppError::Internal(e.into())
}

/// Writes exactly `len` bytes of `body` at `first`; returns the chunk's first
/// bytes (at most [`SNIFF_LEN`]).
pub async fn write(path: &Path, first: u64, len: u64, body: Body) -> AppResult<Vec<u8>> {
    if let Some(parent) = path.parent() {
        tokio::fs::create_dir_all(parent).await.map_err(io)?;
    }
    let mut file =
        tokio::fs::OpenOptions::new().create(true).write(true).truncate(false).open(path).await.map_err(io)?;
    file.set_len(first).await.map_err(io)?;
    file.seek(std::io::SeekFrom::Start(first)).await.map_err(io)?;
    let mut head = Vec::with_capacity(SNIFF_LEN);
    let copy = async {
        let mut stream = body.into_data_stream();
        let mut got = 0u64;
        while let Some(piece) = stream.next().await {
            let piece = piece.map_err(|e| AppError::bad_request("incomplete_chunk", format!("分片未传完：{e}")))?;
            got += piece.len() as u64;
            if got > len {
                return Err(AppError::TooLarge("分片内容超过 Content-Range 声明的长度".to_owned()));
            }
            let room = SNIFF_LEN.saturating_sub(head.len()).min(piece.len());
            head.extend_from_slice(&piece[..room]);
            file.write_all(&piece).await.map_err(io)?;
        }
        if got < len {
            return Err(AppError::bad_request("incomplete_chunk", format!("分片只收到 {got} 字节，应为 {len} 字节")));
        }
        Ok(())
    };
    match tokio::time::timeout(CHUNK_TIME, copy).await {
        Ok(result) => result?,
        Err(_) => return Err(AppError::bad_request("incomplete_chunk", "分片传输超时，请从已接收的位置重新发送")),
    }
    file.sync_data().await.map_err(io)?;
    Ok(head)
}
