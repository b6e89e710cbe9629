//! Completing an upload once its last byte is durable: hash the partial file
//! by streaming it, check the declared hash and the type, move the file into
//! the content store, then record the attachment and mark the upload done in
//! one transaction. Each step can be repeated after a crash: the computed
//! hash is kept on the upload before the file moves, so a retry finds the
//! content in the store; the row is written only once the file is there, and
//! a second completion finds `attachment_id` set and answers the receipt.

use super::partial_path;
use super::service::{Appended, actor, capture_of, photo_too_large, receipt};
use crate::attachment::kind::{ACCEPTED, SNIFF_LEN, sniff};
use crate::attachment::meta::hash_mismatch;
use crate::attachment::service::{NewFile, insert};
use crate::attachment::store;
use crate::entities::upload_session::{self, Column};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::path::Path;
use tokio::io::AsyncReadExt;

/// The code of the rollback when another request completed the upload first.
const COMPLETED: &str = "upload_completed";

fn io(e: std::io::Error) -> AppError {
    AppError::Internal(e.into())
}

async fn head_of(path: &Path) -> AppResult<Vec<u8>> {
    let mut file = tokio::fs::File::open(path).await.map_err(io)?;
    let mut head = vec![0u8; SNIFF_LEN];
    let mut got = 0;
    while got < SNIFF_LEN {
        let n = file.read(&mut head[got..]).await.map_err(io)?;
        if n == 0 {
            break;
        }
        got += n;
    }
    head.truncate(got);
    Ok(head)
}

/// Forgets an upload: its partial file, then its row.
pub async fn drop_upload(state: &AppState, s: &upload_session::Model) -> AppResult<()> {
    match tokio::fs::remove_file(partial_path(&state.config.files_dir, &s.token)).await {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(e)),
        _ => {}
    }
    let id = s.id;
    state.write(actor(s), async move |tx| upload_session::Entity::delete_by_id(id).exec(tx).await).await?;
    Ok(())
}

/// Checks the received file and moves it into the store; returns its digest.
async fn adopt(state: &AppState, s: &upload_session::Model) -> AppResult<String> {
    let dir = &state.config.files_dir;
    let part = partial_path(dir, &s.token);
    if !tokio::fs::try_exists(&part).await.unwrap_or(false) {
        // Moved by an earlier completion that stopped before recording it.
        return match &s.sha256 {
            Some(sha) if store::has(dir, sha).await => Ok(sha.clone()),
            _ => Err(AppError::Internal(anyhow::anyhow!("upload {}: the received file is missing", s.id))),
        };
    }
    let (sha, len) = store::hash_file(&part).await?;
    if i64::try_from(len).ok() != Some(s.size) {
        return Err(AppError::Internal(anyhow::anyhow!("upload {}: {len} bytes on disk, {} recorded", s.id, s.size)));
    }
    if let Some(declared) = s.declared_sha256.as_deref().filter(|d| *d != sha) {
        drop_upload(state, s).await?;
        return Err(hash_mismatch(declared, &sha));
    }
    let kind = sniff(&head_of(&part).await?);
    if kind.is_none_or(|k| photo_too_large(k, s.size)) {
        drop_upload(state, s).await?;
        let message = if kind.is_none() { ACCEPTED } else { "照片不超过 20 MB" };
        return Err(AppError::validation("file", message));
    }
    let keep =
        upload_session::Entity::update_many().col_expr(Column::Sha256, Expr::value(&sha)).filter(Column::Id.eq(s.id));
    state.write(actor(s), async move |tx| keep.exec(tx).await).await?;
    store::adopt(dir, &part, &sha).await?;
    Ok(sha)
}

/// Completes an upload whose every byte has arrived.
pub async fn complete(state: &AppState, s: upload_session::Model) -> AppResult<Appended> {
    let sha256 = adopt(state, &s).await?;
    let stored = store::path_of(&state.config.files_dir, &sha256);
    let kind = sniff(&head_of(&stored).await?).ok_or_else(|| AppError::validation("file", ACCEPTED))?;
    let capture = capture_of(&s);
    let size = u64::try_from(s.size).unwrap_or_default();
    let new = NewFile {
        user_id: s.user_id,
        at: state.clock.now(),
        sha256,
        content_type: kind,
        size,
        file_name: &s.file_name,
        capture: &capture,
    };
    let id = s.id;
    let recorded = state
        .write(actor(&s), async move |tx| {
            let row = insert(tx, new).await?;
            let marked = upload_session::Entity::update_many()
                .col_expr(Column::AttachmentId, Expr::value(row.id))
                .filter(Column::Id.eq(id))
                .filter(Column::AttachmentId.is_null())
                .exec(tx)
                .await?;
            // Rolled back when another request completed it first.
            if marked.rows_affected == 1 { Ok(row) } else { Err(AppError::conflict(COMPLETED, "")) }
        })
        .await;
    match recorded {
        Ok(row) => {
            let done = upload_session::Model { attachment_id: Some(row.id), ..s };
            return Ok(Appended::Complete(done, (&row).into()));
        }
        Err(AppError::Conflict { code: COMPLETED, .. }) => {}
        Err(e) => return Err(e),
    }
    // Another request completed it first: its receipt, and no second row.
    let current = upload_session::Entity::find_by_id(s.id).one(state.db.conn()).await?.ok_or(AppError::NotFound)?;
    let done = receipt(state.db.conn(), &current).await?.ok_or(AppError::NotFound)?;
    Ok(Appended::Complete(current, done))
}
