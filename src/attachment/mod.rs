//! Attachments (附件): photos and PDFs for hazards. Files are content-addressed
//! by SHA-256 in a directory (`ANJIAN_FILES_DIR`, default `anjian-files` beside
//! the working directory); the type is taken from the file's first bytes, not
//! its name. A file is served to its uploader and, once a hazard names it, to
//! everyone who may see that hazard.

mod handlers;

use crate::auth::CurrentUser;
use crate::entities::attachment;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};
use sha2::Digest;
use std::path::{Path, PathBuf};

pub use handlers::*;

/// Largest accepted file.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// The accepted types, recognised by their leading bytes.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// Where a file with this digest lives.
pub fn path_of(dir: &Path, sha256: &str) -> PathBuf {
    dir.join(&sha256[..2]).join(sha256)
}

/// Stores the bytes (once per content) and returns their SHA-256. Written to a
/// temporary name and renamed, so a crash never leaves a partial file under
/// the final name.
pub async fn store(dir: &Path, bytes: &[u8]) -> AppResult<String> {
    let sha = hex::encode(sha2::Sha256::digest(bytes));
    let path = path_of(dir, &sha);
    if tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Ok(sha);
    }
    let parent = path.parent().map(Path::to_path_buf).unwrap_or_default();
    tokio::fs::create_dir_all(&parent).await.map_err(|e| AppError::Internal(e.into()))?;
    let tmp = parent.join(format!(".{sha}.{}", crate::auth::token::new_token()));
    tokio::fs::write(&tmp, bytes).await.map_err(|e| AppError::Internal(e.into()))?;
    tokio::fs::rename(&tmp, &path).await.map_err(|e| AppError::Internal(e.into()))?;
    Ok(sha)
}

/// Links the user's own unlinked uploads to a hazard for a purpose (`before`,
/// `after`, `plan`, `evidence`, `report`). Every id that is not such an upload
/// is reported at once under `field`.
pub async fn claim<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    ids: &[i64],
    hazard_id: i64,
    purpose: &str,
    field: &str,
) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let rows = attachment::Entity::find().filter(attachment::Column::Id.is_in(ids.iter().copied())).all(db).await?;
    let bad: Vec<String> = ids
        .iter()
        .filter(|id| !rows.iter().any(|r| r.id == **id && r.uploaded_by == user.id && r.hazard_id.is_none()))
        .map(|id| format!("附件 {id} 不存在、不是本人上传或已被使用"))
        .collect();
    if !bad.is_empty() {
        let mut fields = crate::error::FieldErrors::new();
        fields.insert(field.to_owned(), bad);
        return Err(AppError::Validation(fields));
    }
    attachment::Entity::update_many()
        .col_expr(attachment::Column::HazardId, Expr::value(hazard_id))
        .col_expr(attachment::Column::Purpose, Expr::value(purpose))
        .filter(attachment::Column::Id.is_in(ids.iter().copied()))
        .filter(attachment::Column::HazardId.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// The name as given, without directories or control characters, at most
/// `limits::NAME` characters (a long name is cut, never refused: it comes from
/// the phone or camera, not from the person).
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|c| !c.is_control()).take(crate::limits::NAME).collect();
    if clean.is_empty() { "file".to_owned() } else { clean }
}

/// Records an upload under its cleaned name.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    at: DateTime<Utc>,
    sha256: String,
    content_type: &str,
    size: usize,
    file_name: &str,
) -> AppResult<attachment::Model> {
    let row = attachment::ActiveModel {
        sha256: Set(sha256),
        content_type: Set(content_type.to_owned()),
        size: Set(i64::try_from(size).unwrap_or(i64::MAX)),
        file_name: Set(clean_name(file_name)),
        uploaded_by: Set(user_id),
        uploaded_at: Set(at),
        hazard_id: Set(None),
        purpose: Set(None),
        ..Default::default()
    };
    Ok(sea_orm::ActiveModelTrait::insert(row, db).await?)
}

/// Checks an uploaded file (size, type by its first bytes), stores it and
/// records it under its cleaned name: the one way in, for the API and the
/// pages' forms alike.
pub async fn receive(state: &AppState, user: &CurrentUser, name: &str, bytes: &[u8]) -> AppResult<attachment::Model> {
    if bytes.len() > MAX_BYTES {
        return Err(AppError::validation("file", "文件超过 20 MB"));
    }
    let Some(kind) = sniff(bytes) else {
        return Err(AppError::validation("file", "只接受 JPEG、PNG、WebP 图片或 PDF 文件"));
    };
    let sha = store(&state.config.files_dir, bytes).await?;
    let txn = state.db.begin_write().await?;
    let row = insert(&txn, user.id, state.clock.now(), sha, kind, bytes.len(), name).await?;
    txn.commit().await?;
    Ok(row)
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/attachments", post(upload_attachment).layer(crate::upload::limit(crate::upload::ATTACHMENT)))
        .route("/api/v1/attachments/{id}", get(download_attachment))
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn types_come_from_content() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Some("image/jpeg"));
        assert_eq!(sniff(b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(sniff(b"<html>"), None);
        assert_eq!(sniff(b"MZ\x90\x00"), None);
    }
}
