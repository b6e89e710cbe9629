//! Resumable chunked uploads (分片上传) for large files — body-camera audio and
//! video up to 4 GiB — with a receipt per completed file.
//!
//! 1. `POST /api/v1/uploads` declares the file (name, total size, optional
//!    SHA-256 computed at capture, capture metadata) → an upload id.
//! 2. `PUT /api/v1/uploads/{id}` with `Content-Range: bytes a-b/total` and
//!    the bytes as the body (at most 16 MiB) appends a chunk. It must start
//!    at the received offset: otherwise 409 `offset_mismatch` with the offset
//!    in `Upload-Offset`, and the client resumes from there.
//!    `GET /api/v1/uploads/{id}` tells the offset too.
//! 3. The chunk that reaches the total completes the upload (see
//!    [`complete`]) and answers 201 with the receipt (attachment id,
//!    SHA-256, size, received at); the attachment is then claimed by a record
//!    like any other upload. Asking again returns the same receipt.
//!
//! The bytes go straight to a partial file under `<files dir>/.uploads/`
//! (named by a random token, so servers sharing a directory never collide),
//! never into memory; nothing is allocated by a declared size. The database
//! row says how many bytes are durable (`received`, after `fsync`); one
//! request at a time holds a write lease (a conditional update, atomic on
//! SQLite and PostgreSQL), and a chunk must arrive within 9 minutes, inside
//! the 10-minute lease. An interrupted chunk leaves the offset where it was;
//! the next chunk truncates what it left. Uploads belong to their user
//! (others get 404), at most 10 open at a time, and expire 24 hours after
//! their last chunk; [`sweep`] (called by the jobs) removes them and their
//! bytes. Chunks take no upload-gate turn: they hold no more than a buffer.

mod chunk;
mod complete;
mod handlers;
mod service;

pub use handlers::*;
pub use service::{Appended, sweep};

use chrono::Duration;
use std::path::{Path, PathBuf};

/// Largest declared file.
pub const MAX_TOTAL: i64 = 4 << 30;
/// Largest chunk.
pub const CHUNK: usize = 16 << 20;
/// Unfinished uploads a user may have at once.
pub const OPEN_PER_USER: u64 = 10;
/// How long an upload (or its receipt) is kept after its last chunk.
pub const KEEP: Duration = Duration::hours(24);
/// How long a chunk's request holds the upload.
pub const LEASE: Duration = Duration::minutes(10);

/// The partial file of an upload.
pub fn partial_path(files_dir: &Path, token: &str) -> PathBuf {
    files_dir.join(".uploads").join(token)
}
