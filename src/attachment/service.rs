//! Receiving a whole file in one request (the API's multipart upload and the
//! hazard pages' photos): the checks every upload passes — size, type by
//! content, the client's hash, capture metadata — then the content store and
//! the row, in that order, so a row never names a file that is not stored.

use super::kind::{ACCEPTED, sniff};
use super::meta::{Capture, hash_mismatch};
use super::{MAX_BYTES, store};
use crate::auth::CurrentUser;
use crate::entities::attachment;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use sha2::Digest;

/// The name as given, without directories or control characters, at most
/// `limits::NAME` characters (a long name is cut, never refused: it comes from
/// the phone or camera, not from the person).
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|c| !c.is_control()).take(crate::limits::NAME).collect();
    if clean.is_empty() { "file".to_owned() } else { clean }
}

/// A stored file about to be recorded.
pub struct NewFile<'a> {
    pub user_id: i64,
    pub at: DateTime<Utc>,
    pub sha256: String,
    pub content_type: &'a str,
    pub size: u64,
    pub file_name: &'a str,
    pub capture: &'a Capture,
}

/// Records an upload (unclaimed) under its cleaned name.
pub async fn insert<C: ConnectionTrait>(db: &C, f: NewFile<'_>) -> AppResult<attachment::Model> {
    let c = f.capture;
    let row = attachment::ActiveModel {
        sha256: Set(f.sha256),
        content_type: Set(f.content_type.to_owned()),
        size: Set(i64::try_from(f.size).unwrap_or(i64::MAX)),
        file_name: Set(clean_name(f.file_name)),
        uploaded_by: Set(f.user_id),
        uploaded_at: Set(f.at),
        owner_type: Set(None),
        owner_id: Set(None),
        step_id: Set(None),
        purpose: Set(None),
        captured_at: Set(c.captured_at),
        latitude: Set(c.latitude),
        longitude: Set(c.longitude),
        accuracy_m: Set(c.accuracy_m),
        position_unavailable: Set(c.position_unavailable),
        device: Set(c.device.clone()),
        original_sha256: Set(c.original()),
        ..Default::default()
    };
    Ok(sea_orm::ActiveModelTrait::insert(row, db).await?)
}

/// Checks one whole file with its metadata and stores it as the user's
/// upload. Size, type and metadata problems come back together (422
/// `validation_failed`); a file that does not match its declared hash is 422
/// `hash_mismatch`; in either case nothing is stored.
pub async fn accept(
    state: &AppState,
    user: &CurrentUser,
    name: &str,
    bytes: &[u8],
    capture: &Capture,
) -> AppResult<attachment::Model> {
    let now = state.clock.now();
    let mut fields = capture.check(now);
    if bytes.len() > MAX_BYTES {
        fields.entry("file".to_owned()).or_default().push("文件超过 20 MB，大文件请分片上传".to_owned());
    }
    let kind = sniff(bytes);
    if kind.is_none() {
        fields.entry("file".to_owned()).or_default().push(ACCEPTED.to_owned());
    }
    let Some(kind) = kind.filter(|_| fields.is_empty()) else {
        return Err(AppError::Validation(fields));
    };
    if let Some(declared) = capture.declared_sha256() {
        let actual = hex::encode(sha2::Sha256::digest(bytes));
        if actual != declared {
            return Err(hash_mismatch(&declared, &actual));
        }
    }
    let sha256 = store::store(&state.config.files_dir, bytes).await?;
    let new = NewFile {
        user_id: user.id,
        at: now,
        sha256,
        content_type: kind,
        size: bytes.len() as u64,
        file_name: name,
        capture,
    };
    state.write(user.actor(), async move |tx| insert(tx, new).await).await
}
