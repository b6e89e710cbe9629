//! The governance use cases: create an inspection with its team and checklists,
//! approve it (reserving its document numbers), approve it over the cap, reject or
//! cancel it. Each takes the `Tx` it runs on.

use super::json::{CreateInspection, PinnedChecklist};
use super::policy::{self, Action, Actor, Record};
use super::{cap, documents, team};
use crate::audit::{Audited, canonical};
use crate::auth::CurrentUser;
use crate::entities::{enterprise, inspection};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::inspection::domain::{DocumentStatus, Status};
use crate::write::Tx;
use chrono::Datelike;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, QuerySelect};
use serde_json::{Value, json};

impl crate::scope::Owned for inspection::Entity {
    fn bureau() -> Self::Column {
        Self::Column::BureauId
    }
    fn enterprise() -> Option<Self::Column> {
        Some(Self::Column::EnterpriseId)
    }
}

/// The inspection if the user may see it; 404 otherwise. Bureau users see their
/// bureau's and the bureaus' below; the enterprise sees its own once the team is
/// on site (in progress or completed: an unannounced visit stays unannounced).
pub async fn get_visible<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<inspection::Model> {
    let i = crate::scope::get::<inspection::Entity, _>(db, &user.scope, id).await?;
    if !user.is_bureau_user() && !matches!(i.status, Status::InProgress | Status::Completed) {
        return Err(AppError::NotFound);
    }
    Ok(i)
}

/// The enterprise of an inspection.
pub async fn enterprise_of<C: ConnectionTrait>(db: &C, i: &inspection::Model) -> AppResult<enterprise::Model> {
    enterprise::Entity::find_by_id(i.enterprise_id).one(db).await?.ok_or(AppError::NotFound)
}

/// The actor and the record for the policy.
pub async fn judge<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    i: &inspection::Model,
) -> AppResult<(Actor, Record)> {
    let members = team::members(db, i.id).await?;
    let mine = members.iter().filter(|m| m.user_id == user.id);
    let inspector = mine.clone().any(|m| m.role != crate::inspection::domain::MemberRole::Expert);
    let actor = Actor::of(user, inspector, mine.count() > 0);
    let full = if i.status == Status::PendingApproval && i.counts_against_cap {
        let e = enterprise_of(db, i).await?;
        cap::standing(db, &e, cap::year_of(i), Some(i.id)).await?.full()
    } else {
        false
    };
    Ok((actor, Record::of(i, full)))
}

/// The current versions applicable to the enterprise, or the versions named by hash.
async fn pin<C: ConnectionTrait>(
    db: &C,
    e: &enterprise::Model,
    hashes: Option<&[String]>,
    fields: &mut FieldErrors,
) -> AppResult<Vec<PinnedChecklist>> {
    let mut out: Vec<PinnedChecklist> = Vec::new();
    if let Some(hashes) = hashes {
        for h in hashes {
            match crate::checklist::by_hash(db, h).await? {
                Some(c) if !out.iter().any(|p| p.hash == *h) => out.push(PinnedChecklist {
                    items: crate::checklist::model::applicable(std::slice::from_ref(&c), e).len(),
                    checklist_id: c.id,
                    title: c.title,
                    version: c.version,
                    hash: h.clone(),
                }),
                Some(_) => {}
                None => fields.entry("checklist_hashes".into()).or_default().push(format!("检查表版本 {h} 不存在")),
            }
        }
        return Ok(out);
    }
    for item in crate::checklist::applicable_items(db, e).await? {
        match out.iter_mut().find(|p| p.hash == item.checklist_hash) {
            Some(p) => p.items += 1,
            None => out.push(PinnedChecklist {
                checklist_id: item.checklist_id,
                title: item.checklist_title,
                version: item.checklist_version,
                hash: item.checklist_hash,
                items: 1,
            }),
        }
    }
    Ok(out)
}

fn check_body(req: &CreateInspection, today: chrono::NaiveDate, fields: &mut FieldErrors) {
    if req.plan_text.trim().is_empty() {
        fields.entry("plan_text".into()).or_default().push("请填写现场检查方案".into());
    }
    crate::limits::check(fields, "plan_text", "现场检查方案", Some(&req.plan_text), crate::limits::TEXT);
    crate::limits::check_list(fields, "inspector_ids", "执法人员", &req.inspector_ids, crate::limits::LIST);
    crate::limits::check_list(fields, "expert_ids", "专家", &req.expert_ids, crate::limits::LIST);
    if let Some(h) = &req.checklist_hashes {
        crate::limits::check_list(fields, "checklist_hashes", "检查表", h, crate::limits::LIST);
    }
    if req.planned_date < today {
        fields.entry("planned_date".into()).or_default().push("计划检查日期不能早于今天".into());
    }
}

/// Creates an inspection `pending_approval` (a regulator or an inspector of a bureau covering the enterprise).
pub async fn create(tx: &Tx, user: &CurrentUser, req: &CreateInspection) -> AppResult<inspection::Model> {
    if !policy::may_create(user) {
        return Err(AppError::Forbidden);
    }
    let bureau_id = user.bureau.as_ref().ok_or(AppError::Forbidden)?.id;
    let mut fields = FieldErrors::new();
    check_body(req, crate::clock::china_date(tx.now()), &mut fields);
    let e = crate::scope::scoped(enterprise::Entity::find_by_id(req.enterprise_id), &user.scope).one(tx).await?;
    if e.is_none() {
        fields.entry("enterprise_id".into()).or_default().push("企业不存在或不在本机构监管范围内".into());
    }
    let named = team::Named {
        inspector_ids: &req.inspector_ids,
        expert_ids: &req.expert_ids,
        leader_id: req.leader_id,
        planned_date: req.planned_date,
        enterprise_id: req.enterprise_id,
    };
    let members = team::check(tx, user, &named, &mut fields).await?;
    let pinned = match &e {
        Some(e) => pin(tx, e, req.checklist_hashes.as_deref(), &mut fields).await?,
        None => Vec::new(),
    };
    let Some(e) = e.filter(|_| fields.is_empty()) else { return Err(AppError::Validation(fields)) };
    let counts = cap::caps().counts(req.kind);
    let over_cap = counts && cap::standing(tx, &e, req.planned_date.year(), None).await?.full();
    let now = tx.now();
    let row = inspection::ActiveModel {
        bureau_id: Set(bureau_id),
        enterprise_id: Set(e.id),
        kind: Set(req.kind),
        status: Set(Status::PendingApproval),
        planned_date: Set(req.planned_date),
        plan_text: Set(req.plan_text.trim().to_owned()),
        checklists: Set(serde_json::to_string(&pinned).map_err(anyhow::Error::from)?),
        counts_against_cap: Set(counts),
        over_cap: Set(over_cap),
        created_by: Set(user.id),
        created_at: Set(now),
        version: Set(1),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    for mut m in members {
        m.inspection_id = Set(row.id);
        m.insert(tx).await?;
    }
    crate::audit::record(tx, tx.ctx(), "create", &row).await?;
    Ok(row)
}

/// The inspection for a step: visible, locked on PostgreSQL, and allowed by the policy.
async fn for_step(tx: &Tx, user: &CurrentUser, id: i64, action: Action) -> AppResult<inspection::Model> {
    if !user.is_bureau_user() {
        return Err(AppError::Forbidden);
    }
    get_visible(tx, user, id).await?;
    let mut q = inspection::Entity::find_by_id(id);
    if tx.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    let i = q.one(tx).await?.ok_or(AppError::NotFound)?;
    let (actor, record) = judge(tx, user, &i).await?;
    policy::check(&actor, record, action)?;
    Ok(i)
}

fn reason_of(reason: &str, label: &str) -> AppResult<String> {
    let mut fields = FieldErrors::new();
    if reason.trim().is_empty() {
        fields.insert("reason".into(), vec![format!("请填写{label}")]);
    }
    crate::limits::check(&mut fields, "reason", label, Some(reason), crate::limits::TEXT);
    if fields.is_empty() { Ok(reason.trim().to_owned()) } else { Err(AppError::Validation(fields)) }
}

async fn save(
    tx: &Tx,
    mut m: inspection::ActiveModel,
    version: i32,
    action: &'static str,
) -> AppResult<inspection::Model> {
    m.version = Set(version + 1);
    m.updated_at = Set(tx.now());
    let saved = m.update(tx).await?;
    crate::audit::record(tx, tx.ctx(), action, &saved).await?;
    Ok(saved)
}

/// An approver approves: `approved`, and the numbers of [`documents::AT_APPROVAL`] reserved.
pub async fn approve(tx: &Tx, user: &CurrentUser, id: i64) -> AppResult<inspection::Model> {
    let i = for_step(tx, user, id, Action::Approve).await?;
    let version = i.version;
    let mut m: inspection::ActiveModel = i.into();
    m.status = Set(Status::Approved);
    m.approved_by = Set(Some(user.id));
    m.approved_at = Set(Some(tx.now()));
    let saved = save(tx, m, version, "approve").await?;
    for kind in documents::AT_APPROVAL {
        documents::reserve(tx, &saved, kind).await?;
    }
    Ok(saved)
}

/// An approver approves exceeding the enterprise's yearly cap, with the reason (before the approval).
pub async fn approve_over_cap(tx: &Tx, user: &CurrentUser, id: i64, reason: &str) -> AppResult<inspection::Model> {
    let i = for_step(tx, user, id, Action::ApproveOverCap).await?;
    let reason = reason_of(reason, "超频次检查的理由")?;
    let version = i.version;
    let mut m: inspection::ActiveModel = i.into();
    m.over_cap = Set(true);
    m.cap_approved_by = Set(Some(user.id));
    m.cap_approved_at = Set(Some(tx.now()));
    m.cap_reason = Set(Some(reason));
    save(tx, m, version, "approve_over_cap").await
}

/// An approver rejects a pending inspection, with the reason.
pub async fn reject(tx: &Tx, user: &CurrentUser, id: i64, reason: &str) -> AppResult<inspection::Model> {
    let i = for_step(tx, user, id, Action::Reject).await?;
    let reason = reason_of(reason, "不予批准的理由")?;
    let version = i.version;
    let mut m: inspection::ActiveModel = i.into();
    m.status = Set(Status::Rejected);
    m.rejected_reason = Set(Some(reason));
    save(tx, m, version, "reject").await
}

/// Cancels a pending or approved inspection; its reserved numbers are voided with the reason
/// (kept in `rejected_reason`, the reason it did not take place).
pub async fn cancel(tx: &Tx, user: &CurrentUser, id: i64, reason: &str) -> AppResult<inspection::Model> {
    let i = for_step(tx, user, id, Action::Cancel).await?;
    let reason = reason_of(reason, "取消的理由")?;
    for d in documents::of_inspection(tx, id).await?.iter().filter(|d| d.status == DocumentStatus::Reserved) {
        documents::void(tx, d, &format!("检查取消：{reason}")).await?;
    }
    let version = i.version;
    let mut m: inspection::ActiveModel = i.into();
    m.status = Set(Status::Cancelled);
    m.rejected_reason = Set(Some(reason));
    save(tx, m, version, "cancel").await
}

impl Audited for inspection::Model {
    const ENTITY: &'static str = "inspection";
    const PAYLOAD_VERSION: i32 = 1;
    fn entity_id(&self) -> String {
        self.id.to_string()
    }
    fn payload(&self) -> Value {
        let t = |x: Option<chrono::DateTime<chrono::Utc>>| x.map(canonical::time);
        json!({"id": self.id, "bureau_id": self.bureau_id, "enterprise_id": self.enterprise_id, "kind": self.kind,
            "status": self.status, "planned_date": self.planned_date.to_string(), "plan_text": self.plan_text,
            "checklists": self.checklists, "parent_id": self.parent_id, "draw_id": self.draw_id,
            "counts_against_cap": self.counts_against_cap, "over_cap": self.over_cap, "created_by": self.created_by,
            "approved_by": self.approved_by, "approved_at": t(self.approved_at), "cap_approved_by": self.cap_approved_by,
            "cap_approved_at": t(self.cap_approved_at), "cap_reason": self.cap_reason,
            "rejected_reason": self.rejected_reason, "started_at": t(self.started_at),
            "completed_at": t(self.completed_at), "version": self.version})
    }
}
