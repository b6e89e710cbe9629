//! Correcting a record (更正) and merging two records of the same hazard
//! (合并重复记录): `POST /api/v1/hazards/{id}/correct` and `/merge`.
//!
//! Who may correct (decisions where the issue is silent):
//! - the supervising regulators, any record that is not voided (a typo in a
//!   closed record is still corrected, with a reason, on the timeline);
//! - the enterprise (its principal or safety officer), its **own** reports —
//!   recorded by one of its users — while they are reported, confirmed,
//!   assigned or being rectified: once handed in for verification, or closed,
//!   the record is the verifier's;
//! - the level is not corrected here: re-grading is its own step (认定).
//!
//! Each correction is one timeline step `correct` (its note says what changed,
//! old → new, and why; its data holds every old and new value) and one
//! change-log entry `correct`, under the optimistic version check.
//!
//! A merge is the regulators' (the supervising side of both records): the
//! duplicate is voided with `merged_into` pointing at the kept record, both
//! timelines get a step (`merge` on the duplicate, `merged` on the kept one),
//! the duplicate's open to-dos close, and attachments stay where they are.
//! Both records must be of the same operator (enterprise, or provisional
//! subject). The duplicate may be in any state but voided.

use super::domain::{Side, Status};
use super::json::HazardResponse;
use super::policy::Actor;
use super::service::{NewEvent, get_visible, record_event};
use crate::audit;
use crate::auth::CurrentUser;
use crate::entities::{hazard, user_enterprise};
use crate::error::{AppError, AppResult, ErrorBody, FieldErrors};
use crate::json::{ApiJson, ApiPath};
use crate::limits::{self, ADDRESS, NAME, TEXT};
use crate::routes::{ApiRoutes, routes};
use crate::state::AppState;
use crate::write::{Touched, Tx};
use axum::Json;
use axum::extract::State;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

/// A correction: only the fields given change; `reason` is required.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CorrectRequest {
    /// The version read; a stale one answers 409 `version_conflict`.
    pub version: i32,
    /// A category code offered for the hazard (`GET /api/v1/hazard-categories`).
    #[schema(max_length = 100)]
    pub category: Option<String>,
    #[schema(max_length = 200)]
    pub title: Option<String>,
    #[schema(max_length = 5000)]
    pub description: Option<String>,
    /// `""` clears it.
    #[schema(max_length = 500)]
    pub location: Option<String>,
    /// Required: why; at most `limits::TEXT` characters.
    #[schema(min_length = 1, max_length = 5000)]
    pub reason: String,
}

/// A merge: the record at the path is kept, `duplicate_id` is voided into it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct MergeRequest {
    /// The kept record's version read.
    pub version: i32,
    pub duplicate_id: i64,
    /// Required: why; at most `limits::TEXT` characters.
    #[schema(min_length = 1, max_length = 5000)]
    pub reason: String,
}

/// Whether `actor` may correct a record in `status`; `own_report`: recorded by
/// one of the operator's own users.
pub fn may_correct(actor: &Actor, status: Status, own_report: bool) -> bool {
    if status == Status::Voided {
        return false;
    }
    if actor.sides.contains(&Side::Regulator) {
        return true;
    }
    let open = matches!(status, Status::Reported | Status::Confirmed | Status::Assigned | Status::Rectifying);
    !actor.bureau_user && actor.sides.contains(&Side::Enterprise) && own_report && open
}

/// Whether `actor` may merge a duplicate into (or out of) a record in `status`.
pub fn may_merge(actor: &Actor, status: Status) -> bool {
    status != Status::Voided && actor.sides.contains(&Side::Regulator)
}

crate::coded::coded_enum! {
    /// A record-keeping operation on a hazard (not a step of the loop).
    pub enum RecordAction in "台账操作" {
        Correct = "correct" / "更正记录",
        Merge = "merge" / "合并重复记录",
    }
}

/// The record-keeping operations `viewer` may use on `h` now (the detail's `record_actions`).
pub async fn record_actions<C: ConnectionTrait>(
    db: &C,
    viewer: &CurrentUser,
    h: &hazard::Model,
) -> AppResult<Vec<RecordAction>> {
    let actor = Actor::new(viewer, h.enterprise_id);
    let mut out = Vec::new();
    if may_correct(&actor, h.status, own_report(db, h).await?) {
        out.push(RecordAction::Correct);
    }
    if may_merge(&actor, h.status) {
        out.push(RecordAction::Merge);
    }
    Ok(out)
}

/// Whether the hazard was recorded by a user of its own enterprise.
pub async fn own_report<C: ConnectionTrait>(db: &C, h: &hazard::Model) -> AppResult<bool> {
    let (Some(by), Some(e)) = (h.created_by, h.enterprise_id) else { return Ok(false) };
    let n = user_enterprise::Entity::find()
        .filter(user_enterprise::Column::UserId.eq(by))
        .filter(user_enterprise::Column::EnterpriseId.eq(e))
        .count(db)
        .await?;
    Ok(n > 0)
}

fn version_conflict() -> AppError {
    AppError::conflict("version_conflict", "该隐患已被他人更新，请刷新后重试")
}

fn required(fields: &mut FieldErrors, field: &str, label: &str, value: Option<&str>) {
    if value.is_some_and(|v| v.trim().is_empty()) {
        fields.entry(field.to_owned()).or_default().push(format!("请填写{label}"));
    }
}

fn check_body(req: &CorrectRequest) -> FieldErrors {
    let mut fields = FieldErrors::new();
    required(&mut fields, "reason", "更正原因", Some(&req.reason));
    required(&mut fields, "title", "标题", req.title.as_deref());
    required(&mut fields, "description", "隐患描述", req.description.as_deref());
    limits::check(&mut fields, "reason", "更正原因", Some(&req.reason), TEXT);
    limits::check(&mut fields, "title", "标题", req.title.as_deref(), NAME);
    limits::check(&mut fields, "description", "隐患描述", req.description.as_deref(), TEXT);
    limits::check(&mut fields, "location", "隐患部位", req.location.as_deref(), ADDRESS);
    limits::check(&mut fields, "category", "隐患类别", req.category.as_deref(), limits::SHORT);
    fields
}

/// The changes a correction makes: (field, label, old, new), only those that differ.
fn changes(h: &hazard::Model, req: &CorrectRequest) -> Vec<(&'static str, &'static str, Value, Value)> {
    let text = |v: Option<&str>| v.map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let mut out = Vec::new();
    let mut diff = |field, label, old: Option<String>, new: Option<Option<String>>| {
        if let Some(new) = new
            && new != old
        {
            out.push((field, label, json!(old), json!(new)));
        }
    };
    diff("category", "隐患类别", Some(h.category.clone()), req.category.as_deref().map(|c| Some(c.trim().to_owned())));
    diff("title", "标题", Some(h.title.clone()), req.title.as_deref().map(|t| Some(t.trim().to_owned())));
    diff(
        "description",
        "隐患描述",
        Some(h.description.clone()),
        req.description.as_deref().map(|d| Some(d.to_owned())),
    );
    diff("location", "隐患部位", h.location.clone(), req.location.as_deref().map(|l| text(Some(l))));
    out
}

/// The timeline note: what changed (long descriptions named, not quoted) and why.
fn note(changes: &[(&str, &str, Value, Value)], reason: &str) -> String {
    let shown = |v: &Value| v.as_str().map_or_else(|| "（空）".to_owned(), |s| format!("“{}”", limits::preview(s)));
    let parts: Vec<String> = changes
        .iter()
        .map(|(field, label, old, new)| {
            if *field == "description" {
                format!("{label}已更正")
            } else {
                format!("{label}：{} → {}", shown(old), shown(new))
            }
        })
        .collect();
    format!("{}。更正原因：{}", parts.join("；"), reason.trim())
}

/// Corrects hazard `id` for `user`.
pub async fn correct(tx: &Tx, user: &CurrentUser, id: i64, req: &CorrectRequest) -> AppResult<hazard::Model> {
    let ctx = tx.ctx();
    tx.touch(Touched::Ledger);
    let h = get_visible(tx, user, id).await?;
    let actor = Actor::new(user, h.enterprise_id);
    if !may_correct(&actor, h.status, own_report(tx, &h).await?) {
        return Err(AppError::Forbidden);
    }
    let fields = check_body(req);
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    if let Some(c) = req.category.as_deref().map(str::trim).filter(|c| *c != h.category) {
        let sector = h.sector.map(crate::enterprise::domain::Sector::as_str);
        crate::category::check(tx, c, &h.region_code, sector).await?;
    }
    // What is "no change" depends on the record read: a stale version first.
    if req.version != h.version {
        return Err(version_conflict());
    }
    let changes = changes(&h, req);
    if changes.is_empty() {
        return Err(AppError::validation("reason", "没有需要更正的内容：请至少修改一项"));
    }
    let mut a: hazard::ActiveModel = h.clone().into();
    let mut data = Map::new();
    for (field, _, old, new) in &changes {
        data.insert((*field).to_owned(), json!({"from": old, "to": new}));
        let text = new.as_str().map(str::to_owned);
        match *field {
            "category" => a.category = Set(text.unwrap_or_default()),
            "title" => a.title = Set(text.unwrap_or_default()),
            "description" => a.description = Set(text.unwrap_or_default()),
            _ => a.location = Set(text),
        }
    }
    a.version = Set(h.version + 1);
    a.updated_at = Set(ctx.at);
    let row = update_versioned(tx, a, &h).await?;
    audit::record(tx, ctx, "correct", &row).await?;
    let step = NewEvent {
        action: "correct",
        from: Some(h.status),
        to: h.status,
        note: Some(note(&changes, &req.reason)),
        data: Some(Value::Object(data)),
    };
    record_event(tx, ctx, row.id, step).await?;
    Ok(row)
}

/// Writes `a` if the row is still at `h`'s version; 409 otherwise.
async fn update_versioned(tx: &Tx, a: hazard::ActiveModel, h: &hazard::Model) -> AppResult<hazard::Model> {
    let updated = hazard::Entity::update_many()
        .set(a)
        .filter(hazard::Column::Id.eq(h.id))
        .filter(hazard::Column::Version.eq(h.version))
        .exec_with_returning(tx)
        .await?;
    updated.into_iter().next().ok_or_else(version_conflict)
}

/// Checks a merge of `dup` into `kept` (both visible): 403, then 409, then 422.
fn check_merge(user: &CurrentUser, kept: &hazard::Model, dup: &hazard::Model, req: &MergeRequest) -> AppResult<()> {
    let may = |h: &hazard::Model| may_merge(&Actor::new(user, h.enterprise_id), h.status);
    let regulator = |h: &hazard::Model| Actor::new(user, h.enterprise_id).sides.contains(&Side::Regulator);
    if !regulator(kept) || !regulator(dup) {
        return Err(AppError::Forbidden);
    }
    if !may(kept) || !may(dup) {
        return Err(AppError::conflict("illegal_transition", "已作废的记录不能合并"));
    }
    let mut fields = FieldErrors::new();
    required(&mut fields, "reason", "合并原因", Some(&req.reason));
    limits::check(&mut fields, "reason", "合并原因", Some(&req.reason), TEXT);
    if kept.id == dup.id {
        fields.entry("duplicate_id".to_owned()).or_default().push("不能与本记录合并".to_owned());
    } else if (kept.enterprise_id, kept.subject_id) != (dup.enterprise_id, dup.subject_id) {
        let msg = "两条记录不属于同一企业（主体），不能合并";
        fields.entry("duplicate_id".to_owned()).or_default().push(msg.to_owned());
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    if req.version != kept.version {
        return Err(version_conflict());
    }
    Ok(())
}

/// Voids `req.duplicate_id` into hazard `id` (kept); returns the kept record.
pub async fn merge(tx: &Tx, user: &CurrentUser, id: i64, req: &MergeRequest) -> AppResult<hazard::Model> {
    let ctx = tx.ctx();
    tx.touch(Touched::Ledger);
    let kept = get_visible(tx, user, id).await?;
    let dup = get_visible(tx, user, req.duplicate_id)
        .await
        .map_err(|_| AppError::validation("duplicate_id", "重复记录不存在，或不在您的监管范围内"))?;
    check_merge(user, &kept, &dup, req)?;
    let reason = req.reason.trim();
    let mut a: hazard::ActiveModel = dup.clone().into();
    a.status = Set(Status::Voided);
    a.is_open = Set(false);
    a.merged_into = Set(Some(kept.id));
    a.version = Set(dup.version + 1);
    a.updated_at = Set(ctx.at);
    a.status_changed_at = Set(ctx.at);
    let voided = update_versioned(tx, a, &dup).await?;
    audit::record(tx, ctx, "merge", &voided).await?;
    let step = NewEvent {
        action: "merge",
        from: Some(dup.status),
        to: Status::Voided,
        note: Some(format!("作为重复记录并入记录 #{}。原因：{reason}", kept.id)),
        data: Some(json!({"merged_into": kept.id})),
    };
    let event = record_event(tx, ctx, voided.id, step).await?;
    super::notify::after_step(tx, ctx, &voided, super::domain::Action::Void, event.id, None).await?;
    let mut k: hazard::ActiveModel = kept.clone().into();
    k.version = Set(kept.version + 1);
    k.updated_at = Set(ctx.at);
    let row = update_versioned(tx, k, &kept).await?;
    audit::record(tx, ctx, "merged", &row).await?;
    let step = NewEvent {
        action: "merged",
        from: Some(kept.status),
        to: kept.status,
        note: Some(format!("重复记录 #{} 已并入本记录。原因：{reason}", dup.id)),
        data: Some(json!({"duplicate_id": dup.id})),
    };
    record_event(tx, ctx, row.id, step).await?;
    Ok(row)
}

/// Correct a record's category, title, description or location, with a reason.
#[utoipa::path(post, path = "/api/v1/hazards/{id}/correct", tag = "hazards", params(("id" = i64, Path)),
    request_body = CorrectRequest,
    responses((status = 200, body = HazardResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn correct_hazard(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<CorrectRequest>,
) -> AppResult<Json<HazardResponse>> {
    let row = state.write(user.actor(), async |tx| correct(tx, &user, id, &req).await).await?;
    Ok(Json(super::view::detail(state.db.conn(), &user, row, state.clock.today()).await?))
}

/// Merge a duplicate record of the same hazard into this one (the duplicate is voided with a link).
#[utoipa::path(post, path = "/api/v1/hazards/{id}/merge", tag = "hazards", params(("id" = i64, Path)),
    request_body = MergeRequest,
    responses((status = 200, body = HazardResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn merge_hazard(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<MergeRequest>,
) -> AppResult<Json<HazardResponse>> {
    let row = state.write(user.actor(), async |tx| merge(tx, &user, id, &req).await).await?;
    Ok(Json(super::view::detail(state.db.conn(), &user, row, state.clock.today()).await?))
}

pub fn routes() -> ApiRoutes {
    ApiRoutes::new().routes(routes!(correct_hazard)).routes(routes!(merge_hazard))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;

    fn actor(roles: &[Role], bureau_user: bool, sides: &[Side]) -> Actor {
        Actor {
            user_id: 1,
            roles: roles.to_vec(),
            bureau_user,
            sides: sides.to_vec(),
            listing: None,
            above_void_requester: false,
        }
    }

    #[test]
    fn who_may_correct_a_record() {
        let reg = actor(&[Role::Regulator], true, &[Side::Regulator]);
        let ent = actor(&[Role::SafetyOfficer], false, &[Side::Enterprise]);
        let inspector = actor(&[Role::Inspector], true, &[Side::Inspector]);
        for s in Status::ALL {
            assert_eq!(may_correct(&reg, *s, false), *s != Status::Voided, "{s:?}");
            assert!(!may_correct(&inspector, *s, true), "{s:?}");
            assert!(!may_correct(&ent, *s, false), "not its own report: {s:?}");
        }
        assert!(may_correct(&ent, Status::Rectifying, true));
        assert!(may_correct(&ent, Status::Reported, true));
        assert!(!may_correct(&ent, Status::PendingVerification, true), "handed in: the verifier's now");
        assert!(!may_correct(&ent, Status::Closed, true));
        assert!(may_merge(&reg, Status::Closed));
        assert!(!may_merge(&reg, Status::Voided));
        assert!(!may_merge(&ent, Status::Rectifying));
    }

    #[test]
    fn the_note_says_what_changed_and_why() {
        let changes = vec![
            ("title", "标题", json!("旧"), json!("新")),
            ("description", "隐患描述", json!("a"), json!("b")),
            ("location", "隐患部位", json!("罐区"), Value::Null),
        ];
        assert_eq!(
            note(&changes, " 笔误 "),
            "标题：“旧” → “新”；隐患描述已更正；隐患部位：“罐区” → （空）。更正原因：笔误"
        );
    }
}
