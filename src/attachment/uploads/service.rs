//! Use cases of resumable uploads: declare, append a chunk, complete, sweep.

use super::{KEEP, LEASE, MAX_TOTAL, OPEN_PER_USER, chunk, partial_path};
use crate::attachment::json::{CreateUploadRequest, Receipt};
use crate::attachment::kind::{ACCEPTED, SNIFF_LEN, is_photo, sniff};
use crate::attachment::meta::Capture;
use crate::attachment::range::ChunkRange;
use crate::attachment::{MAX_BYTES, service::clean_name};
use crate::auth::CurrentUser;
use crate::entities::upload_session::{self, Column};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::body::Body;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect,
};

/// What a chunk did.
pub enum Appended {
    /// Stored; the upload continues.
    Stored(upload_session::Model),
    /// The file is complete and recorded.
    Complete(upload_session::Model, Receipt),
    /// The chunk does not start where the upload stands: resume from `received`.
    Behind { received: i64 },
}

/// Declares an upload after checking every field at once.
pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    req: &CreateUploadRequest,
) -> AppResult<upload_session::Model> {
    let now = state.clock.now();
    let capture = req.capture.clone();
    let mut fields = capture.check(now);
    if !(1..=MAX_TOTAL).contains(&req.size) {
        fields.entry("size".to_owned()).or_default().push("文件大小须在 1 字节到 4 GiB 之间".to_owned());
    }
    if req.file_name.trim().is_empty() {
        fields.entry("file_name".to_owned()).or_default().push("请填写文件名".to_owned());
    }
    crate::limits::check(&mut fields, "file_name", "文件名", Some(&req.file_name), crate::limits::NAME);
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let c = &capture;
    let row = upload_session::ActiveModel {
        token: Set(crate::auth::token::new_token()),
        user_id: Set(user.id),
        file_name: Set(clean_name(&req.file_name)),
        size: Set(req.size),
        declared_sha256: Set(c.declared_sha256()),
        sha256: Set(None),
        received: Set(0),
        writing_until: Set(None),
        captured_at: Set(c.captured_at),
        latitude: Set(c.latitude),
        longitude: Set(c.longitude),
        accuracy_m: Set(c.accuracy_m),
        position_unavailable: Set(c.position_unavailable),
        device: Set(c.device.clone()),
        original_sha256: Set(c.original()),
        created_at: Set(now),
        expires_at: Set(now + KEEP),
        attachment_id: Set(None),
        ..Default::default()
    };
    let user_id = user.id;
    state
        .write(user.actor(), async move |tx| {
            let open = upload_session::Entity::find()
                .filter(Column::UserId.eq(user_id))
                .filter(Column::AttachmentId.is_null())
                .filter(Column::ExpiresAt.gt(now))
                .count(tx)
                .await?;
            if open >= OPEN_PER_USER {
                let message = format!("同时进行的分片上传最多 {OPEN_PER_USER} 个，请先完成或等待过期");
                return Err(AppError::conflict("too_many_uploads", message));
            }
            Ok(row.insert(tx).await?)
        })
        .await
}

/// The user's own upload that has not expired; anything else is 404.
pub async fn find_own<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<upload_session::Model> {
    upload_session::Entity::find_by_id(id)
        .filter(Column::UserId.eq(user.id))
        .filter(Column::ExpiresAt.gt(now))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The receipt of a completed upload.
pub async fn receipt<C: ConnectionTrait>(db: &C, s: &upload_session::Model) -> AppResult<Option<Receipt>> {
    let Some(id) = s.attachment_id else { return Ok(None) };
    let row = crate::entities::attachment::Entity::find_by_id(id).one(db).await?;
    Ok(row.as_ref().map(Receipt::from))
}

/// Appends one chunk (see the module doc for the protocol).
pub async fn append(state: &AppState, user: &CurrentUser, id: i64, r: ChunkRange, body: Body) -> AppResult<Appended> {
    let now = state.clock.now();
    let s = find_own(state.db.conn(), user, id, now).await?;
    if let Some(done) = receipt(state.db.conn(), &s).await? {
        return Ok(Appended::Complete(s, done));
    }
    if i64::try_from(r.total).ok() != Some(s.size) {
        return Err(AppError::validation("content_range", format!("总大小应为声明的 {} 字节", s.size)));
    }
    if s.received == s.size {
        // Every byte arrived but completion did not finish (a crash): finish it now.
        return super::complete::complete(state, s).await;
    }
    if i64::try_from(r.first).ok() != Some(s.received) {
        return Ok(Appended::Behind { received: s.received });
    }
    if !take_lease(state, &s, now).await? {
        let current = find_own(state.db.conn(), user, id, now).await?;
        if current.received != s.received {
            return Ok(Appended::Behind { received: current.received });
        }
        return Err(AppError::conflict("upload_busy", "另一个请求正在写入此文件，请稍后查询进度再继续"));
    }
    let path = partial_path(&state.config.files_dir, &s.token);
    let head = match chunk::write(&path, r.first, r.len(), body).await {
        Ok(head) => head,
        Err(e) => {
            release_lease(state, &s).await?;
            return Err(e);
        }
    };
    if r.first == 0 && (head.len() >= SNIFF_LEN || r.len() == r.total) && sniff(&head).is_none() {
        super::complete::drop_upload(state, &s).await?;
        return Err(AppError::validation("file", ACCEPTED));
    }
    let stored = advance(state, &s, r, now).await?;
    if stored.received == stored.size {
        super::complete::complete(state, stored).await
    } else {
        Ok(Appended::Stored(stored))
    }
}

/// Writes about an upload are its user's.
pub fn actor(s: &upload_session::Model) -> String {
    format!("user:{}", s.user_id)
}

/// The one request that may write this upload now: a single conditional
/// update, atomic on both engines.
async fn take_lease(state: &AppState, s: &upload_session::Model, now: DateTime<Utc>) -> AppResult<bool> {
    let lease = upload_session::Entity::update_many()
        .col_expr(Column::WritingUntil, Expr::value(now + LEASE))
        .filter(Column::Id.eq(s.id))
        .filter(Column::Received.eq(s.received))
        .filter(Condition::any().add(Column::WritingUntil.is_null()).add(Column::WritingUntil.lt(now)));
    let taken = state.write(actor(s), async move |tx| lease.exec(tx).await).await?;
    Ok(taken.rows_affected == 1)
}

async fn release_lease(state: &AppState, s: &upload_session::Model) -> AppResult<()> {
    let release = upload_session::Entity::update_many()
        .col_expr(Column::WritingUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(Column::Id.eq(s.id));
    state.write(actor(s), async move |tx| release.exec(tx).await).await?;
    Ok(())
}

/// Records the chunk as durable and gives the lease back.
async fn advance(
    state: &AppState,
    s: &upload_session::Model,
    r: ChunkRange,
    now: DateTime<Utc>,
) -> AppResult<upload_session::Model> {
    let received = i64::try_from(r.last + 1).map_err(|e| AppError::Internal(e.into()))?;
    let update = upload_session::Entity::update_many()
        .col_expr(Column::Received, Expr::value(received))
        .col_expr(Column::WritingUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(Column::ExpiresAt, Expr::value(now + KEEP))
        .filter(Column::Id.eq(s.id))
        .filter(Column::Received.eq(s.received));
    let rows = state.write(actor(s), async move |tx| update.exec_with_returning(tx).await).await?;
    rows.into_iter().next().ok_or_else(|| AppError::Internal(anyhow::anyhow!("upload {} moved while leased", s.id)))
}

/// Drops expired uploads and their partial files (at most 1,000 a call; the
/// jobs call it). An upload being written is left for the next call.
pub async fn sweep(state: &AppState) -> AppResult<u64> {
    let now = state.clock.now();
    let expired = upload_session::Entity::find()
        .filter(Column::ExpiresAt.lte(now))
        .filter(Condition::any().add(Column::WritingUntil.is_null()).add(Column::WritingUntil.lt(now)))
        .limit(1_000)
        .all(state.db.conn())
        .await?;
    let mut dropped = 0;
    for s in expired {
        super::complete::drop_upload(state, &s).await?;
        dropped += 1;
    }
    Ok(dropped)
}

/// The metadata of an upload, for its attachment row.
pub fn capture_of(s: &upload_session::Model) -> Capture {
    Capture {
        sha256: None,
        captured_at: s.captured_at,
        latitude: s.latitude,
        longitude: s.longitude,
        accuracy_m: s.accuracy_m,
        position_unavailable: s.position_unavailable,
        device: s.device.clone(),
        original_sha256: s.original_sha256.clone(),
    }
}

/// Photos are at most [`MAX_BYTES`] on every route (they are stripped in memory).
pub fn photo_too_large(content_type: &str, size: i64) -> bool {
    is_photo(content_type) && usize::try_from(size).map_or(true, |n| n > MAX_BYTES)
}
