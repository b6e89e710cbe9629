//! Use cases of the record that are not findings: starting on site and the
//! 执法全过程记录 media (the items' outcomes are in `results`).

use super::access;
use super::json::{MediaRequest, StartRequest};
use crate::attachment::Owner;
use crate::audit;
use crate::auth::CurrentUser;
use crate::entities::inspection;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::inspection::domain::Status;
use crate::limits::{self, LIST, SHORT, TEXT};
use crate::write::Tx;
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

/// Unless the inspection was approved (and, over the cap, approved a second time), 409.
pub fn check_startable(i: &inspection::Model) -> AppResult<()> {
    access::require_status(i, &[Status::Approved])?;
    if i.approved_at.is_none() && super::domain::needs_own_approval(i.kind) {
        return Err(AppError::conflict("inspection_not_approved", "该检查尚未审批，不能开始"));
    }
    if i.over_cap && i.cap_approved_at.is_none() {
        return Err(AppError::conflict(
            "inspection_cap_not_approved",
            "该检查超出年度检查频次上限，须经再次审批后方可开始",
        ));
    }
    Ok(())
}

/// approved → in progress, with the time, position (or why none) and the people present.
pub async fn start(tx: &Tx, user: &CurrentUser, id: i64, req: &StartRequest) -> AppResult<inspection::Model> {
    let i = access::team_inspection(tx, user, id).await?;
    check_startable(&i)?;
    let mut fields = FieldErrors::new();
    limits::check(&mut fields, "position_note", "定位说明", req.position_note.as_deref(), SHORT);
    limits::check(&mut fields, "people_present", "在场人员", req.people_present.as_deref(), TEXT);
    if req.latitude.is_some_and(|v| !(-90.0..=90.0).contains(&v)) {
        fields.entry("latitude".into()).or_default().push("纬度应在 -90 到 90 之间".into());
    }
    if req.longitude.is_some_and(|v| !(-180.0..=180.0).contains(&v)) {
        fields.entry("longitude".into()).or_default().push("经度应在 -180 到 180 之间".into());
    }
    let ctx = tx.ctx();
    let started_at = started_at(&i, req, ctx.at, &mut fields);
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let positioned = req.latitude.is_some() && req.longitude.is_some();
    let note = req.position_note.clone().filter(|n| !n.trim().is_empty());
    let mut a: inspection::ActiveModel = i.clone().into();
    a.status = Set(Status::InProgress);
    a.started_at = Set(Some(started_at));
    a.latitude = Set(req.latitude.filter(|_| positioned));
    a.longitude = Set(req.longitude.filter(|_| positioned));
    a.position_note =
        Set(if positioned { note } else { Some(note.unwrap_or_else(|| "未能取得定位".to_owned())) });
    a.people_present = Set(req.people_present.clone().filter(|p| !p.trim().is_empty()));
    a.version = Set(i.version + 1);
    a.updated_at = Set(ctx.at);
    let updated = inspection::Entity::update_many()
        .set(a)
        .filter(inspection::Column::Id.eq(i.id))
        .filter(inspection::Column::Version.eq(i.version))
        .exec_with_returning(tx)
        .await?;
    let row = updated.into_iter().next().ok_or_else(stale)?;
    audit::record(tx, ctx, "start", &row).await?;
    Ok(row)
}

/// Longest a start may be sent after it happened on the device (a tablet keeps its
/// packet this long offline).
const START_LATE_DAYS: i64 = super::offline::KEEP_DAYS;
/// How far a device's clock may run ahead of the server's.
const CLOCK_SKEW_MINUTES: i64 = 5;

/// When the visit began: the device's time when the tablet started offline and
/// synced later, else now. Not in the future (beyond a small clock skew), not
/// before the approval, not older than a packet may be kept.
fn started_at(
    i: &inspection::Model,
    req: &StartRequest,
    now: DateTime<Utc>,
    fields: &mut FieldErrors,
) -> DateTime<Utc> {
    let Some(at) = req.started_at else { return now };
    let earliest = i.approved_at.unwrap_or(i.created_at).max(now - TimeDelta::days(START_LATE_DAYS));
    if at > now + TimeDelta::minutes(CLOCK_SKEW_MINUTES) {
        fields.entry("started_at".into()).or_default().push("开始时间不能晚于当前时间".into());
    } else if at < earliest {
        fields.entry("started_at".into()).or_default().push("开始时间不能早于审批时间或 7 日之前".into());
    }
    at.min(now)
}

pub fn stale() -> AppError {
    AppError::conflict("version_conflict", "该检查已被他人更新，请刷新后重试")
}

/// Links audio, video or photos of the 执法全过程记录 to the record (any time
/// after approval, also after completion: recordings are uploaded later over Wi-Fi).
pub async fn add_media(tx: &Tx, user: &CurrentUser, id: i64, req: &MediaRequest) -> AppResult<()> {
    let i = access::team_inspection(tx, user, id).await?;
    access::require_status(&i, &[Status::Approved, Status::InProgress, Status::Completed])?;
    let mut fields = FieldErrors::new();
    limits::check_list(&mut fields, "attachment_ids", "文件", &req.attachment_ids, LIST);
    if req.attachment_ids.is_empty() {
        fields.entry("attachment_ids".into()).or_default().push("请选择文件".into());
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    crate::attachment::claim(tx, user, &req.attachment_ids, Owner::inspection(i.id, None), "media", "attachment_ids")
        .await
}
