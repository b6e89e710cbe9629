//! Use cases of the record that are not findings: starting on site, the items'
//! outcomes (an idempotent upsert), and the 执法全过程记录 media.

use super::access;
use super::json::{MediaRequest, ResultInput, StartRequest};
use crate::attachment::Owner;
use crate::audit;
use crate::auth::CurrentUser;
use crate::entities::{inspection, inspection_result};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::inspection::domain::Status;
use crate::limits::{self, LIST, SHORT, TEXT};
use crate::write::Tx;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

/// Unless the inspection was approved (and, over the cap, approved a second time), 409.
fn check_startable(i: &inspection::Model) -> AppResult<()> {
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
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let ctx = tx.ctx();
    let positioned = req.latitude.is_some() && req.longitude.is_some();
    let note = req.position_note.clone().filter(|n| !n.trim().is_empty());
    let mut a: inspection::ActiveModel = i.clone().into();
    a.status = Set(Status::InProgress);
    a.started_at = Set(Some(ctx.at));
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

pub fn stale() -> AppError {
    AppError::conflict("version_conflict", "该检查已被他人更新，请刷新后重试")
}

fn check_results(items: &[crate::checklist::ApplicableItem], input: &[ResultInput]) -> FieldErrors {
    let mut fields = FieldErrors::new();
    let mut seen = std::collections::HashSet::new();
    for (n, r) in input.iter().enumerate() {
        let at = |f: &str| format!("results[{n}].{f}");
        if !items.iter().any(|i| i.item.code == r.code) {
            fields.entry(at("code")).or_default().push(format!("检查项“{}”不是本次检查适用的检查项", r.code));
        }
        if !seen.insert(r.code.as_str()) {
            fields.entry(at("code")).or_default().push(format!("检查项“{}”重复", r.code));
        }
        limits::check(&mut fields, &at("note"), "说明", r.note.as_deref(), TEXT);
        limits::check_list(&mut fields, &at("attachment_ids"), "照片", &r.attachment_ids, LIST);
    }
    fields
}

/// Saves the outcomes of items (insert or replace per item; a repeat changes nothing
/// more), with their photos. Only the pinned applicable items are accepted.
pub async fn save_results(tx: &Tx, user: &CurrentUser, id: i64, input: &[ResultInput]) -> AppResult<()> {
    let i = access::editable(tx, user, id).await?;
    if input.len() > crate::limits::IDS {
        return Err(AppError::validation("results", format!("一次最多保存 {} 项", crate::limits::IDS)));
    }
    let items = super::items::pinned(tx, &i).await?;
    let fields = check_results(&items, input);
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let ctx = tx.ctx();
    for (n, r) in input.iter().enumerate() {
        let hash =
            items.iter().find(|it| it.item.code == r.code).map(|it| it.checklist_hash.clone()).unwrap_or_default();
        let note = r.note.clone().filter(|t| !t.trim().is_empty());
        let existing = inspection_result::Entity::find()
            .filter(inspection_result::Column::InspectionId.eq(i.id))
            .filter(inspection_result::Column::ItemCode.eq(&r.code))
            .one(tx)
            .await?;
        let row = match existing {
            Some(e) if e.outcome == r.outcome && e.note == note && r.attachment_ids.is_empty() => continue,
            Some(e) => {
                let mut a: inspection_result::ActiveModel = e.into();
                a.outcome = Set(r.outcome);
                a.note = Set(note);
                a.updated_by = Set(user.id);
                a.updated_at = Set(ctx.at);
                a.update(tx).await?
            }
            None => {
                inspection_result::ActiveModel {
                    inspection_id: Set(i.id),
                    item_code: Set(r.code.clone()),
                    checklist_hash: Set(hash),
                    outcome: Set(r.outcome),
                    note: Set(note),
                    updated_by: Set(user.id),
                    updated_at: Set(ctx.at),
                    ..Default::default()
                }
                .insert(tx)
                .await?
            }
        };
        audit::record(tx, ctx, "record", &row).await?;
        let owner = Owner::inspection(i.id, Some(row.id));
        let field = format!("results[{n}].attachment_ids");
        crate::attachment::claim(tx, user, &r.attachment_ids, owner, "item", &field).await?;
    }
    Ok(())
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
