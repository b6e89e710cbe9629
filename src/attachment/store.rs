//! The content store: files by SHA-256 under the files directory
//! (`<dir>/<first two hex digits>/<sha256>`), written under a temporary name
//! and renamed, so a crash never leaves a partial file under a final name.
//! Large files are hashed by streaming them from disk, never read whole.

use crate::error::{AppError, AppResult};
use sha2::Digest;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Where a file with this digest lives.
pub fn path_of(dir: &Path, sha256: &str) -> PathBuf {
    dir.join(&sha256[..2]).join(sha256)
}

fn internal(e: std::io::Error) -> AppError {
    AppError::Internal(e.into())
}

/// Stores the bytes (once per content) and returns their SHA-256.
pub async fn store(dir: &Path, bytes: &[u8]) -> AppResult<String> {
    let sha = hex::encode(sha2::Sha256::digest(bytes));
    let path = path_of(dir, &sha);
    if tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Ok(sha);
    }
    let parent = path.parent().map(Path::to_path_buf).unwrap_or_default();
    tokio::fs::create_dir_all(&parent).await.map_err(internal)?;
    let tmp = parent.join(format!(".{sha}.{}", crate::auth::token::new_token()));
    tokio::fs::write(&tmp, bytes).await.map_err(internal)?;
    tokio::fs::rename(&tmp, &path).await.map_err(internal)?;
    Ok(sha)
}

/// The SHA-256 and length of a file, read in 1 MiB pieces on a blocking thread.
pub async fn hash_file(path: &Path) -> AppResult<(String, u64)> {
    let path = path.to_path_buf();
    let digest = tokio::task::spawn_blocking(move || -> std::io::Result<(String, u64)> {
        let mut file = std::fs::File::open(&path)?;
        let mut hasher = sha2::Sha256::new();
        let mut buf = vec![0u8; 1 << 20];
        let mut total = 0u64;
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                return Ok((hex::encode(hasher.finalize()), total));
            }
            hasher.update(&buf[..n]);
            total += n as u64;
        }
    });
    digest.await.map_err(|e| AppError::Internal(e.into()))?.map_err(internal)
}

/// Moves a complete file whose digest is `sha256` into the store (or drops it
/// when the store already has that content).
pub async fn adopt(dir: &Path, file: &Path, sha256: &str) -> AppResult<()> {
    let path = path_of(dir, sha256);
    if tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return match tokio::fs::remove_file(file).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(internal(e)),
            _ => Ok(()),
        };
    }
    let parent = path.parent().map(Path::to_path_buf).unwrap_or_default();
    tokio::fs::create_dir_all(&parent).await.map_err(internal)?;
    tokio::fs::rename(file, &path).await.map_err(internal)
}

/// Whether the store holds this content.
pub async fn has(dir: &Path, sha256: &str) -> bool {
    tokio::fs::try_exists(path_of(dir, sha256)).await.unwrap_or(false)
}
