//! Use cases that write filings: file ([`create`]), resubmit after a return
//! ([`resubmit`]), accept with a numbered 备案登记表 ([`accept`]) and return with a
//! reason ([`return_filing`]). Each takes the caller's `Tx`, checks scope (404) and
//! the policy (403, 409) before the body (422, every problem at once) and writes the
//! change-log entry in the same transaction.
//!
//! Decisions:
//! - An enterprise has at most one open filing (待审核 or 已退回): a second is 409
//!   `filing_open`; a revised plan after acceptance is a new filing.
//! - A resubmission replaces the documents; files already filed with the filing may
//!   be named again, new ones are claimed.
//! - The number reads `江汉区应急预案备案〔2026〕1号` (the bureau's short name as for
//!   the ledger's documents, the word 预案备案, the Beijing year of acceptance) and
//!   counts per (bureau, year) in the shared counter (`documents::next_in`, kind
//!   `emergency_plan_filing`); it is issued once, at acceptance.
//! - The filing is lodged with the enterprise's supervising bureau at filing time.
//! - Taking a step closes the bureau's review to-do (`emergency_plan_review:{id}:`);
//!   acceptance closes the enterprise's 未备案 to-do.

use super::checks::{self, push};
use super::domain::{Action, FilingStatus};
use super::json::{FileEmergencyPlans, ReturnEmergencyPlans};
use super::policy;
use crate::attachment::{Owner, OwnerType};
use crate::audit::{self, Audited, canonical};
use crate::auth::CurrentUser;
use crate::entities::{bureau, emergency_plan_document as doc, emergency_plan_filing as filing, enterprise, todo};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::write::Tx;
use chrono::Datelike;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter};
use serde_json::{Value, json};

/// The kind code of 备案登记表 numbers in the shared counter.
pub const NUMBER_KIND: &str = "emergency_plan_filing";

impl Audited for filing::Model {
    const ENTITY: &'static str = "emergency_plan_filing";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({"id": self.id, "enterprise_id": self.enterprise_id, "bureau_id": self.bureau_id,
            "sector": self.sector.as_str(), "status": self.status.as_str(), "round": self.round,
            "return_reason": self.return_reason, "number": self.number, "year": self.year, "seq": self.seq,
            "accepted_on": canonical::opt_date(self.accepted_on), "filed_by": self.filed_by,
            "filed_at": canonical::time(self.filed_at), "decided_by": self.decided_by,
            "decided_at": self.decided_at.map(canonical::time), "created_at": canonical::time(self.created_at),
            "updated_at": canonical::time(self.updated_at)})
    }
}

/// The filing enterprise named is not the user's.
pub const UNKNOWN_ENTERPRISE: &str = "企业不存在，或不是本企业";

fn today(tx: &Tx) -> chrono::NaiveDate {
    crate::clock::china_date(tx.now())
}

async fn the_enterprise(tx: &Tx, user: &CurrentUser, b: &FileEmergencyPlans) -> AppResult<Option<enterprise::Model>> {
    let id = match (b.enterprise_id, user.enterprise_ids.as_slice()) {
        (Some(id), _) => id,
        (None, [only]) => *only,
        _ => return Ok(None),
    };
    if !policy::files_for(user, id) {
        return Ok(None);
    }
    Ok(enterprise::Entity::find_by_id(id).one(tx).await?)
}

/// 409 while the enterprise has a filing waiting or returned (checked before the body).
async fn refuse_second(tx: &Tx, enterprise_id: i64) -> AppResult<()> {
    let open = filing::Entity::find()
        .filter(filing::Column::EnterpriseId.eq(enterprise_id))
        .filter(filing::Column::Status.ne(FilingStatus::Accepted))
        .one(tx)
        .await?;
    match open {
        Some(o) => Err(AppError::conflict(
            "filing_open",
            format!("本企业已有一份{}的备案（第 {} 号记录），请在其上办理", o.status.zh(), o.id),
        )),
        None => Ok(()),
    }
}

/// Files an enterprise's plans with its supervising bureau (its principal or safety officer).
pub async fn create(tx: &Tx, user: &CurrentUser, b: &FileEmergencyPlans) -> AppResult<filing::Model> {
    if !policy::files(user) {
        return Err(AppError::Forbidden);
    }
    let e = the_enterprise(tx, user, b).await?;
    if let Some(e) = &e {
        refuse_second(tx, e.id).await?;
    }
    let mut f = checks::documents(b, today(tx));
    checks::files(tx, user.id, None, b, &mut f).await?;
    let Some(e) = e else {
        push(&mut f, "enterprise_id", UNKNOWN_ENTERPRISE);
        return Err(AppError::Validation(f));
    };
    if !f.is_empty() {
        return Err(AppError::Validation(f));
    }
    let at = tx.ctx().at;
    let row = filing::ActiveModel {
        enterprise_id: Set(e.id),
        bureau_id: Set(e.supervising_bureau_id),
        sector: Set(e.sector),
        status: Set(FilingStatus::Submitted),
        round: Set(1),
        filed_by: Set(user.id),
        filed_at: Set(at),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    write_documents(tx, user, &row, b).await?;
    audit::record(tx, tx.ctx(), "create", &row).await?;
    Ok(row)
}

async fn write_documents(tx: &Tx, user: &CurrentUser, row: &filing::Model, b: &FileEmergencyPlans) -> AppResult<()> {
    doc::Entity::delete_many().filter(doc::Column::FilingId.eq(row.id)).exec(tx).await?;
    let new: Vec<i64> = b.documents.iter().map(|d| d.attachment_id).collect();
    let owner = Owner { kind: OwnerType::EmergencyPlan, id: row.id, step_id: None };
    let rows = crate::entities::attachment::Entity::find()
        .filter(crate::entities::attachment::Column::Id.is_in(new.clone()))
        .filter(crate::entities::attachment::Column::OwnerType.is_null())
        .all(tx)
        .await?;
    let unclaimed: Vec<i64> = rows.into_iter().map(|r| r.id).collect();
    crate::attachment::claim(tx, user, &unclaimed, owner, "plan", "documents").await?;
    let docs = b.documents.iter().map(|d| doc::ActiveModel {
        filing_id: Set(row.id),
        kind: Set(d.kind),
        title: Set(d.title.trim().to_owned()),
        attachment_id: Set(d.attachment_id),
        published_on: Set(d.published_on),
        evaluated_on: Set(d.evaluated_on),
        evaluation_form: Set(d.evaluation_form),
        evaluation_conclusion: Set(d.evaluation_conclusion.trim().to_owned()),
        ..Default::default()
    });
    doc::Entity::insert_many(docs).exec_without_returning(tx).await?;
    Ok(())
}

/// The filing if the user may see it (404 otherwise).
pub async fn visible<C: sea_orm::ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<filing::Model> {
    crate::scope::get::<filing::Entity, _>(db, &user.scope, id).await
}

async fn close_review_todo(tx: &Tx, id: i64) -> AppResult<()> {
    todo::Entity::update_many()
        .col_expr(todo::Column::DoneAt, Expr::value(tx.ctx().at))
        .filter(todo::Column::DedupeKey.starts_with(format!("emergency_plan_review:{id}:")))
        .filter(todo::Column::DoneAt.is_null())
        .exec(tx)
        .await?;
    Ok(())
}

/// Resubmits a returned filing with corrected documents.
pub async fn resubmit(tx: &Tx, user: &CurrentUser, id: i64, b: &FileEmergencyPlans) -> AppResult<filing::Model> {
    if !policy::files(user) {
        return Err(AppError::Forbidden);
    }
    let m = visible(tx, user, id).await?;
    policy::check(user, &m, Action::Resubmit)?;
    let mut f = checks::documents(b, today(tx));
    checks::files(tx, user.id, Some(m.id), b, &mut f).await?;
    if b.enterprise_id.is_some_and(|e| e != m.enterprise_id) {
        push(&mut f, "enterprise_id", "重新报备不能更换企业");
    }
    if !f.is_empty() {
        return Err(AppError::Validation(f));
    }
    let round = m.round + 1;
    let mut a: filing::ActiveModel = m.into();
    a.status = Set(FilingStatus::Submitted);
    a.round = Set(round);
    a.filed_by = Set(user.id);
    a.filed_at = Set(tx.ctx().at);
    a.updated_at = Set(tx.ctx().at);
    let row = a.update(tx).await?;
    write_documents(tx, user, &row, b).await?;
    audit::record(tx, tx.ctx(), "resubmit", &row).await?;
    Ok(row)
}

/// Accepts a filing and issues its numbered 备案登记表.
pub async fn accept(tx: &Tx, user: &CurrentUser, id: i64) -> AppResult<filing::Model> {
    if !policy::reviews(user) {
        return Err(AppError::Forbidden);
    }
    let m = visible(tx, user, id).await?;
    policy::check(user, &m, Action::Accept)?;
    let b = bureau::Entity::find_by_id(m.bureau_id).one(tx).await?.ok_or(AppError::NotFound)?;
    let day = today(tx);
    let year = day.year();
    let n = crate::inspection::governance::documents::next_in(tx, b.id, NUMBER_KIND, year).await?;
    let enterprise_id = m.enterprise_id;
    let mut a: filing::ActiveModel = m.into();
    a.status = Set(FilingStatus::Accepted);
    a.number = Set(Some(number_text(&b.name, year, n)));
    a.year = Set(Some(year));
    a.seq = Set(Some(n));
    a.accepted_on = Set(Some(day));
    a.decided_by = Set(Some(user.id));
    a.decided_at = Set(Some(tx.ctx().at));
    a.updated_at = Set(tx.ctx().at);
    let row = a.update(tx).await?;
    audit::record(tx, tx.ctx(), "accept", &row).await?;
    close_review_todo(tx, id).await?;
    todo::Entity::update_many()
        .col_expr(todo::Column::DoneAt, Expr::value(tx.ctx().at))
        .filter(
            Condition::any()
                .add(todo::Column::DedupeKey.starts_with(format!("emergency_plan_unfiled:{enterprise_id}:")))
                .add(todo::Column::DedupeKey.starts_with(format!("emergency_plan_evaluation:{enterprise_id}:"))),
        )
        .filter(todo::Column::DoneAt.is_null())
        .exec(tx)
        .await?;
    Ok(row)
}

/// `江汉区应急预案备案〔2026〕1号`.
pub fn number_text(bureau_name: &str, year: i32, n: i64) -> String {
    format!("{}预案备案〔{year}〕{n}号", crate::document::short_name(bureau_name))
}

/// Returns a filing to the enterprise with the reason (required).
pub async fn return_filing(tx: &Tx, user: &CurrentUser, id: i64, b: &ReturnEmergencyPlans) -> AppResult<filing::Model> {
    if !policy::reviews(user) {
        return Err(AppError::Forbidden);
    }
    let m = visible(tx, user, id).await?;
    policy::check(user, &m, Action::Return)?;
    let mut f = FieldErrors::new();
    if b.reason.trim().is_empty() {
        push(&mut f, "reason", "请填写退回原因");
    }
    crate::limits::check(&mut f, "reason", "退回原因", Some(&b.reason), checks::LONG_TEXT);
    if !f.is_empty() {
        return Err(AppError::Validation(f));
    }
    let mut a: filing::ActiveModel = m.into();
    a.status = Set(FilingStatus::Returned);
    a.return_reason = Set(Some(b.reason.trim().to_owned()));
    a.decided_by = Set(Some(user.id));
    a.decided_at = Set(Some(tx.ctx().at));
    a.updated_at = Set(tx.ctx().at);
    let row = a.update(tx).await?;
    audit::record(tx, tx.ctx(), "return", &row).await?;
    close_review_todo(tx, id).await?;
    Ok(row)
}
