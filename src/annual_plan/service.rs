//! Use cases of the annual plan: create, edit, submit, approve, return, revise and
//! record the 政府批准 / 上一级备案 entries. Each takes the `Tx` it runs on.

use super::body::{self, Checked};
use super::domain::Status;
use super::json::{PlanBody, RecordBody};
use super::policy::{self, Action, Actor, Record};
use crate::audit::{Audited, canonical};
use crate::auth::CurrentUser;
use crate::entities::annual_plan as plan;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::write::Tx;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{Value, json};

impl crate::scope::Owned for plan::Entity {
    fn bureau() -> Self::Column {
        Self::Column::BureauId
    }
}

impl Audited for plan::Model {
    const ENTITY: &'static str = "annual_plan";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "bureau_id": self.bureau_id, "year": self.year, "revision": self.revision,
            "revises_id": self.revises_id, "status": self.status, "inspectors": self.inspectors,
            "available_days": self.available_days, "reserve_percent": self.reserve_percent,
            "days_per_inspection": self.days_per_inspection, "key_enterprise_ids": self.key_enterprise_ids,
            "random_targets": self.random_targets, "monthly": self.monthly, "notes": self.notes,
            "reason": self.reason, "returned_reason": self.returned_reason, "created_by": self.created_by,
            "submitted_by": self.submitted_by, "approved_by": self.approved_by,
            "government_approved_on": canonical::opt_date(self.government_approved_on),
            "government_document": self.government_document, "filed_on": canonical::opt_date(self.filed_on),
            "version": self.version, "updated_at": canonical::time(self.updated_at),
        })
    }
}

/// The plan if the user may see it (bureau users of its bureau or above); 404 otherwise.
pub async fn get_visible<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<plan::Model> {
    crate::scope::get::<plan::Entity, _>(db, &user.scope, id).await
}

/// Every revision of the plan's bureau and year, oldest first.
pub async fn chain<C: ConnectionTrait>(db: &C, p: &plan::Model) -> AppResult<Vec<plan::Model>> {
    Ok(plan::Entity::find()
        .filter(plan::Column::BureauId.eq(p.bureau_id))
        .filter(plan::Column::Year.eq(p.year))
        .order_by_asc(plan::Column::Revision)
        .all(db)
        .await?)
}

/// The actor and record for the policy.
pub async fn judge<C: ConnectionTrait>(db: &C, user: &CurrentUser, p: &plan::Model) -> AppResult<(Actor, Record)> {
    let open = chain(db, p)
        .await?
        .iter()
        .any(|o| o.revision > p.revision && matches!(o.status, Status::Draft | Status::Submitted));
    Ok((Actor::of(user, p.bureau_id), Record::of(p, open)))
}

fn to_json<T: serde::Serialize>(v: &T) -> AppResult<String> {
    Ok(serde_json::to_string(v).map_err(anyhow::Error::from)?)
}

fn fill(a: &mut plan::ActiveModel, c: &Checked) -> AppResult<()> {
    a.inspectors = Set(i32::try_from(c.capacity.inspectors).unwrap_or(i32::MAX));
    a.available_days = Set(i32::try_from(c.capacity.available_days).unwrap_or(i32::MAX));
    a.reserve_percent = Set(i32::try_from(c.capacity.reserve_percent).unwrap_or(i32::MAX));
    a.days_per_inspection = Set(c.capacity.days_per_inspection);
    a.key_enterprise_ids = Set(to_json(&c.key_ids)?);
    a.random_targets = Set(to_json(&c.targets)?);
    a.monthly = Set(to_json(&c.monthly)?);
    a.notes = Set(c.notes.clone());
    Ok(())
}

async fn insert(
    tx: &Tx,
    user: &CurrentUser,
    bureau_id: i64,
    year: i32,
    revision: i32,
    revises: Option<i64>,
    c: &Checked,
) -> AppResult<plan::Model> {
    let now = tx.now();
    let mut a = plan::ActiveModel {
        bureau_id: Set(bureau_id),
        year: Set(year),
        revision: Set(revision),
        revises_id: Set(revises),
        status: Set(Status::Draft),
        approved_slot: Set(None),
        reason: Set(c.reason.clone()),
        returned_reason: Set(None),
        created_by: Set(user.id),
        created_at: Set(now),
        version: Set(1),
        updated_at: Set(now),
        ..Default::default()
    };
    fill(&mut a, c)?;
    let row = a.insert(tx).await?;
    crate::audit::record(tx, tx.ctx(), if revises.is_some() { "revise" } else { "create" }, &row).await?;
    Ok(row)
}

/// Creates the bureau's plan for a year as a draft (a regulator; one plan per bureau and year — revise it after).
pub async fn create(tx: &Tx, user: &CurrentUser, req: &PlanBody) -> AppResult<plan::Model> {
    if !policy::may_create(user) {
        return Err(AppError::Forbidden);
    }
    let b = crate::scope::own_bureau(tx, user).await?;
    let c = body::check(tx, user, &b, req, false, crate::clock::china_date(tx.now())).await?;
    let exists = plan::Entity::find()
        .filter(plan::Column::BureauId.eq(b.id))
        .filter(plan::Column::Year.eq(req.year))
        .one(tx)
        .await?;
    if exists.is_some() {
        return Err(AppError::conflict(
            "plan_exists",
            format!("本机构{}年度的检查计划已存在，请修改或修订该计划", req.year),
        ));
    }
    insert(tx, user, b.id, req.year, 1, None, &c).await
}

/// The plan for a step: visible, locked on PostgreSQL, allowed by the policy.
async fn for_step(tx: &Tx, user: &CurrentUser, id: i64, action: Action) -> AppResult<plan::Model> {
    if !user.is_bureau_user() {
        return Err(AppError::Forbidden);
    }
    get_visible(tx, user, id).await?;
    let mut q = plan::Entity::find_by_id(id);
    if tx.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    let p = q.one(tx).await?.ok_or(AppError::NotFound)?;
    let (actor, record) = judge(tx, user, &p).await?;
    policy::check(&actor, record, action)?;
    Ok(p)
}

async fn save(tx: &Tx, mut a: plan::ActiveModel, version: i32, action: &'static str) -> AppResult<plan::Model> {
    a.version = Set(version + 1);
    a.updated_at = Set(tx.now());
    let row = a.update(tx).await?;
    crate::audit::record(tx, tx.ctx(), action, &row).await?;
    Ok(row)
}

/// Edits a draft (the year stays; a revision keeps needing its reason).
pub async fn update(tx: &Tx, user: &CurrentUser, id: i64, req: &PlanBody) -> AppResult<plan::Model> {
    let p = for_step(tx, user, id, Action::Edit).await?;
    let b = crate::scope::own_bureau(tx, user).await?;
    let mut c = body::check(tx, user, &b, req, p.revises_id.is_some(), crate::clock::china_date(tx.now())).await?;
    if req.year != p.year {
        return Err(AppError::validation("year", "年度不能修改"));
    }
    let version = p.version;
    let revises = p.revises_id.is_some();
    let mut a: plan::ActiveModel = p.into();
    if !revises {
        c.reason = None;
    }
    fill(&mut a, &c)?;
    a.reason = Set(c.reason);
    save(tx, a, version, "update").await
}

/// Submits a draft for approval.
pub async fn submit(tx: &Tx, user: &CurrentUser, id: i64) -> AppResult<plan::Model> {
    let p = for_step(tx, user, id, Action::Submit).await?;
    let version = p.version;
    let mut a: plan::ActiveModel = p.into();
    a.status = Set(Status::Submitted);
    a.submitted_by = Set(Some(user.id));
    a.submitted_at = Set(Some(tx.now()));
    save(tx, a, version, "submit").await
}

/// Approves a submitted plan (an approver who did not draft it); a revision supersedes the one it revises.
pub async fn approve(tx: &Tx, user: &CurrentUser, id: i64) -> AppResult<plan::Model> {
    let p = for_step(tx, user, id, Action::Approve).await?;
    let slot = format!("{}:{}", p.bureau_id, p.year);
    let current = plan::Entity::find().filter(plan::Column::ApprovedSlot.eq(slot.as_str())).one(tx).await?;
    if let Some(old) = current {
        if Some(old.id) != p.revises_id {
            return Err(AppError::conflict("plan_approved", "本机构该年度已有批准的检查计划"));
        }
        let version = old.version;
        let mut a: plan::ActiveModel = old.into();
        a.status = Set(Status::Superseded);
        a.approved_slot = Set(None);
        a.superseded_at = Set(Some(tx.now()));
        save(tx, a, version, "supersede").await?;
    }
    let version = p.version;
    let mut a: plan::ActiveModel = p.into();
    a.status = Set(Status::Approved);
    a.approved_slot = Set(Some(slot));
    a.approved_by = Set(Some(user.id));
    a.approved_at = Set(Some(tx.now()));
    a.returned_reason = Set(None);
    save(tx, a, version, "approve").await
}

fn reason_of(reason: &str) -> AppResult<String> {
    let mut fields = FieldErrors::new();
    if reason.trim().is_empty() {
        fields.insert("reason".into(), vec!["请填写退回原因".into()]);
    }
    crate::limits::check(&mut fields, "reason", "退回原因", Some(reason), crate::limits::TEXT);
    if fields.is_empty() { Ok(reason.trim().to_owned()) } else { Err(AppError::Validation(fields)) }
}

/// Returns a submitted plan to its drafters, with the reason (it is a draft again).
pub async fn send_back(tx: &Tx, user: &CurrentUser, id: i64, reason: &str) -> AppResult<plan::Model> {
    let p = for_step(tx, user, id, Action::Return).await?;
    let reason = reason_of(reason)?;
    let version = p.version;
    let mut a: plan::ActiveModel = p.into();
    a.status = Set(Status::Draft);
    a.returned_reason = Set(Some(reason));
    a.submitted_by = Set(None);
    a.submitted_at = Set(None);
    save(tx, a, version, "return").await
}

/// Starts a revision of an approved plan: a new draft with the reason, approved again before it applies.
pub async fn revise(tx: &Tx, user: &CurrentUser, id: i64, req: &PlanBody) -> AppResult<plan::Model> {
    let p = for_step(tx, user, id, Action::Revise).await?;
    let b = crate::scope::own_bureau(tx, user).await?;
    let c = body::check(tx, user, &b, req, true, crate::clock::china_date(tx.now())).await?;
    if req.year != p.year {
        return Err(AppError::validation("year", "修订不能改变年度"));
    }
    let last = chain(tx, &p).await?.iter().map(|r| r.revision).max().unwrap_or(p.revision);
    insert(tx, user, p.bureau_id, p.year, last + 1, Some(p.id), &c).await
}

/// Records the 报本级政府批准 (date, document) and 上一级备案 (date) of an approved plan.
pub async fn record(tx: &Tx, user: &CurrentUser, id: i64, req: &RecordBody) -> AppResult<plan::Model> {
    let p = for_step(tx, user, id, Action::Record).await?;
    let mut fields = FieldErrors::new();
    crate::limits::check(&mut fields, "government_document", "政府批准文件", req.government_document.as_deref(), 200);
    if req.government_approved_on.is_none() && req.government_document.is_none() && req.filed_on.is_none() {
        fields.insert("filed_on".into(), vec!["请填写政府批准日期、批准文件或备案日期".into()]);
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let version = p.version;
    let mut a: plan::ActiveModel = p.into();
    if let Some(d) = req.government_approved_on {
        a.government_approved_on = Set(Some(d));
    }
    if let Some(d) = req.government_document.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        a.government_document = Set(Some(d.to_owned()));
    }
    if let Some(d) = req.filed_on {
        a.filed_on = Set(Some(d));
    }
    save(tx, a, version, "record").await
}
