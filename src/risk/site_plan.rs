//! The enterprise's current site plan (平面图), on which its risk points are placed.
//!
//! Decisions:
//! - The bytes go to the attachment content store (by SHA-256, `ANJIAN_FILES_DIR`), but
//!   not through the attachment rows: a plan is one current image per enterprise, not a
//!   file of a record's step, so a small `site_plans` table (one row per enterprise,
//!   replaced by a new upload) keeps its type and pixel size. A replaced plan's bytes
//!   stay in the store (content-addressed, possibly shared), like attachments.
//! - PNG or JPEG only, at most [`MAX_BYTES`]; the pixel size is read from the header
//!   (PNG `IHDR`, JPEG `SOFn`) within the bytes received, never by allocating what a
//!   header declares, and must be 1–[`MAX_SIDE`] pixels a side.
//! - Metadata (Exif with GPS, comments) is stripped before storing, so every reader
//!   gets the same clean image.
//! - Who uploads: [`super::policy::check_write`]; who reads: anyone who sees the enterprise.

use super::policy;
use crate::audit::{self, Audited, canonical};
use crate::auth::CurrentUser;
use crate::entities::site_plan;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use serde_json::{Value, json};

/// Largest plan accepted.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Largest width or height accepted, in pixels.
pub const MAX_SIDE: u32 = 20_000;

impl Audited for site_plan::Model {
    const ENTITY: &'static str = "site_plan";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "enterprise_id": self.enterprise_id, "sha256": self.sha256,
            "content_type": self.content_type, "width": self.width, "height": self.height, "size": self.size,
            "file_name": self.file_name, "uploaded_by": self.uploaded_by,
            "uploaded_at": canonical::time(self.uploaded_at),
        })
    }
}

/// The plan as the API describes it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SitePlanResponse {
    pub enterprise_id: i64,
    pub content_type: String,
    /// Pixels.
    pub width: i32,
    pub height: i32,
    /// Bytes as stored (metadata stripped).
    pub size: i64,
    pub file_name: String,
    pub uploaded_at: DateTime<Utc>,
}

impl From<site_plan::Model> for SitePlanResponse {
    fn from(p: site_plan::Model) -> Self {
        Self {
            enterprise_id: p.enterprise_id,
            content_type: p.content_type,
            width: p.width,
            height: p.height,
            size: p.size,
            file_name: p.file_name,
            uploaded_at: p.uploaded_at,
        }
    }
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?])))
}

fn png_size(b: &[u8]) -> Option<(u32, u32)> {
    if !b.starts_with(b"\x89PNG\r\n\x1a\n") || b.get(12..16)? != b"IHDR" {
        return None;
    }
    let w = u32::from_be_bytes(b.get(16..20)?.try_into().ok()?);
    let h = u32::from_be_bytes(b.get(20..24)?.try_into().ok()?);
    Some((w, h))
}

/// Walks the JPEG segments up to the first frame header (SOF0–SOF15 but DHT, JPG, DAC).
fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut i = 2;
    while i + 1 < b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        match marker {
            0xFF => i += 1,
            0x01 | 0xD0..=0xD7 => i += 2,
            0xD9 | 0xDA => return None,
            _ => {
                let len = usize::try_from(be16(b, i + 2)?).ok()?;
                if len < 2 {
                    return None;
                }
                if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
                    return Some((be16(b, i + 7)?, be16(b, i + 5)?));
                }
                i += 2 + len;
            }
        }
    }
    None
}

/// The image's type and pixel size from its header, if it is a PNG or JPEG.
pub fn dimensions(b: &[u8]) -> Option<(&'static str, u32, u32)> {
    png_size(b).map(|(w, h)| ("image/png", w, h)).or_else(|| jpeg_size(b).map(|(w, h)| ("image/jpeg", w, h)))
}

/// The checked image: type, width, height; every problem under `file`.
fn check(bytes: &[u8]) -> AppResult<(&'static str, i32, i32)> {
    if bytes.len() > MAX_BYTES {
        return Err(AppError::validation("file", "平面图不超过 10 MB"));
    }
    let Some((kind, w, h)) = dimensions(bytes) else {
        return Err(AppError::validation("file", "平面图须为 PNG 或 JPEG 图片"));
    };
    let side = 1..=MAX_SIDE;
    match (i32::try_from(w), i32::try_from(h)) {
        (Ok(wi), Ok(hi)) if side.contains(&w) && side.contains(&h) => Ok((kind, wi, hi)),
        _ => Err(AppError::validation("file", "平面图的宽和高须在 1 到 20000 像素之间")),
    }
}

/// The enterprise's current plan, if it has one (no scope check: callers have done it).
pub async fn current<C: ConnectionTrait>(db: &C, enterprise_id: i64) -> AppResult<Option<site_plan::Model>> {
    Ok(site_plan::Entity::find().filter(site_plan::Column::EnterpriseId.eq(enterprise_id)).one(db).await?)
}

/// Stores `bytes` as the enterprise's current plan (replacing any earlier one).
pub async fn upload(
    state: &AppState,
    user: &CurrentUser,
    enterprise_id: i64,
    name: &str,
    bytes: &[u8],
) -> AppResult<SitePlanResponse> {
    let enterprise = crate::enterprise::service::get_scoped(state.db.conn(), &user.scope, enterprise_id).await?;
    policy::check_write(user, &enterprise)?;
    let (kind, width, height) = check(bytes)?;
    let clean = crate::attachment::strip::strip(kind, bytes)
        .map_err(|_| AppError::validation("file", "无法读取该图片的结构，请另存为 PNG 或 JPEG 后再上传"))?;
    let sha256 = crate::attachment::store(&state.config.files_dir, &clean).await?;
    let size = i64::try_from(clean.len()).unwrap_or(i64::MAX);
    let file_name = crate::attachment::clean_name(name);
    let row = state
        .write(user.actor(), async |tx| {
            let ctx = tx.ctx();
            let old = current(tx, enterprise.id).await?;
            let existing = old.is_some();
            let mut row: site_plan::ActiveModel = match old {
                Some(old) => old.into(),
                None => site_plan::ActiveModel { enterprise_id: Set(enterprise.id), ..Default::default() },
            };
            let action = if existing { "replace" } else { "create" };
            row.sha256 = Set(sha256.clone());
            row.content_type = Set(kind.to_owned());
            row.width = Set(width);
            row.height = Set(height);
            row.size = Set(size);
            row.file_name = Set(file_name.clone());
            row.uploaded_by = Set(user.id);
            row.uploaded_at = Set(ctx.at);
            let row = if existing { row.update(tx).await? } else { row.insert(tx).await? };
            audit::record(tx, ctx, action, &row).await?;
            Ok::<_, AppError>(row)
        })
        .await?;
    Ok(row.into())
}

/// The plan's bytes and type, for anyone who sees the enterprise (404 without a plan).
pub async fn image(state: &AppState, user: &CurrentUser, enterprise_id: i64) -> AppResult<(String, Vec<u8>)> {
    let db = state.db.conn();
    let enterprise = crate::enterprise::service::get_scoped(db, &user.scope, enterprise_id).await?;
    let plan = current(db, enterprise.id).await?.ok_or(AppError::NotFound)?;
    let path = crate::attachment::path_of(&state.config.files_dir, &plan.sha256);
    let bytes = tokio::fs::read(&path).await.map_err(|e| AppError::Internal(e.into()))?;
    Ok((plan.content_type, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_come_from_the_headers_and_truncated_headers_are_refused() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend(800_u32.to_be_bytes());
        png.extend(600_u32.to_be_bytes());
        assert_eq!(dimensions(&png), Some(("image/png", 800, 600)));
        assert_eq!(dimensions(&png[..20]), None);
        // SOI, an APP0 segment of 4 bytes, then SOF0 with height 300 and width 400.
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 11, 8, 0x01, 0x2C, 0x01, 0x90, 3];
        assert_eq!(dimensions(&jpeg), Some(("image/jpeg", 400, 300)));
        assert_eq!(dimensions(&jpeg[..14]), None);
        // A segment length pointing past the end stops the walk.
        assert_eq!(dimensions(&[0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xFF, 0]), None);
        assert!(check(&png).is_ok());
        let mut huge = png.clone();
        huge[16..20].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(check(&huge).is_err());
    }
}
