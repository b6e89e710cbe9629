//! Use cases that write listings: list a worker ([`create`]), correct or renew the
//! certificate ([`update`]) and end the listing when the worker leaves the post
//! ([`end`]). Each takes the caller's `Tx`, checks the actor through
//! [`super::policy`] before the body, reports every problem of the body at once and
//! writes the change-log entry (identity number masked) in the same transaction.
//!
//! Decisions:
//! - Only the enterprise's own 主要负责人 and 安全管理人员 write; an enterprise id that
//!   is not theirs is a field error with the same words as an unknown one.
//! - The certificate is all or nothing: a number, the issuing authority and the
//!   issue date together; the expiry defaults to `valid_years` after issue and the
//!   review to `review_years` after issue (when that is before the expiry).
//! - One running listing per person and post in an enterprise (by the identity
//!   number's digest); the same person may hold several posts.
//! - Dates from 1990 to 2100; issue, listing and leaving not after today.

use super::domain::{self, years_after};
use super::json::{CreateSpecialOperationWorker, EndSpecialOperationWorker, WorkerFields};
use super::policy::{self, Action, Actor};
use super::rules::{Rules, rules};
use crate::audit::{self, Audited, canonical};
use crate::auth::CurrentUser;
use crate::entities::special_operation_worker as worker;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::limits;
use crate::write::Tx;
use chrono::{Datelike, NaiveDate};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

/// The enterprise named is not one whose workers the actor lists.
pub const UNKNOWN_ENTERPRISE: &str = "企业不存在，或不是本企业";
/// The person already holds this post in the enterprise.
pub const ALREADY_LISTED: &str = "该人员已登记在本企业的此类特种作业岗位";

impl Audited for worker::Model {
    const ENTITY: &'static str = "special_operation_worker";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({"id": self.id, "enterprise_id": self.enterprise_id, "name": self.name,
            "id_number_masked": self.id_number_masked, "category": self.category,
            "certificate_no": self.certificate_no, "issued_by": self.issued_by,
            "issued_on": canonical::opt_date(self.issued_on), "review_due": canonical::opt_date(self.review_due),
            "expires_on": canonical::opt_date(self.expires_on), "listed_on": canonical::opt_date(Some(self.listed_on)),
            "ended_on": canonical::opt_date(self.ended_on), "end_reason": self.end_reason,
            "created_by": self.created_by, "created_at": canonical::time(self.created_at),
            "updated_at": canonical::time(self.updated_at)})
    }
}

fn push(f: &mut FieldErrors, field: &str, message: impl Into<String>) {
    f.entry(field.to_owned()).or_default().push(message.into());
}

fn text(v: Option<&String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// A body that passed its checks, ready to write.
#[derive(Debug, Clone)]
pub struct Checked {
    pub name: String,
    /// `(masked, digest)`, when a number was given.
    pub id_number: Option<(String, String)>,
    pub category: String,
    pub certificate: Option<Certificate>,
    pub listed_on: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct Certificate {
    pub no: String,
    pub issued_by: String,
    pub issued_on: NaiveDate,
    pub review_due: Option<NaiveDate>,
    pub expires_on: NaiveDate,
}

fn date_ok(f: &mut FieldErrors, field: &str, d: Option<NaiveDate>, today: NaiveDate, not_after_today: bool) {
    let Some(d) = d else { return };
    if !(1990..=2100).contains(&d.year()) {
        push(f, field, "日期须在 1990 年至 2100 年之间");
    } else if not_after_today && d > today {
        push(f, field, "日期不能晚于今天");
    }
}

fn certificate(b: &WorkerFields, r: &Rules, today: NaiveDate, f: &mut FieldErrors) -> Option<Certificate> {
    let no = text(b.certificate_no.as_ref());
    let issued_by = text(b.issued_by.as_ref());
    let any = no.is_some() || issued_by.is_some() || b.issued_on.is_some();
    if !any && b.review_due.is_none() && b.expires_on.is_none() {
        return None;
    }
    limits::check(f, "certificate_no", "证书编号", no.as_deref(), limits::SHORT);
    limits::check(f, "issued_by", "发证机关", issued_by.as_deref(), limits::NAME);
    for (field, v, label) in
        [("certificate_no", no.is_some(), "证书编号"), ("issued_by", issued_by.is_some(), "发证机关")]
    {
        if !v {
            push(f, field, format!("登记证书时请填写{label}"));
        }
    }
    if b.issued_on.is_none() {
        push(f, "issued_on", "登记证书时请填写发证日期");
    }
    date_ok(f, "issued_on", b.issued_on, today, true);
    date_ok(f, "review_due", b.review_due, today, false);
    date_ok(f, "expires_on", b.expires_on, today, false);
    let issued_on = b.issued_on?;
    let expires_on = b.expires_on.unwrap_or_else(|| years_after(issued_on, r.periods.valid_years));
    if expires_on <= issued_on {
        push(f, "expires_on", "有效期至须晚于发证日期");
    }
    let review_due = b.review_due.or_else(|| Some(years_after(issued_on, r.periods.review_years)));
    let review_due = review_due.filter(|d| b.review_due.is_some() || *d < expires_on);
    if review_due.is_some_and(|d| d <= issued_on || d > expires_on) {
        push(f, "review_due", "复审日期须在发证日期之后、有效期届满之前");
    }
    Some(Certificate { no: no?, issued_by: issued_by?, issued_on, review_due, expires_on })
}

/// Every problem of the body that needs no database, at once (`require_id`: a new listing).
pub fn check_fields(b: &WorkerFields, require_id: bool, today: NaiveDate) -> AppResult<Result<Checked, FieldErrors>> {
    let r = rules()?;
    let mut f = FieldErrors::new();
    let name = b.name.trim().to_owned();
    if name.is_empty() {
        push(&mut f, "name", "请填写姓名");
    }
    limits::check(&mut f, "name", "姓名", Some(&name), limits::SHORT);
    let id_number = match text(b.id_number.as_ref()) {
        None if require_id => {
            push(&mut f, "id_number", "请填写身份证号码");
            None
        }
        None => None,
        Some(raw) => {
            let parsed = domain::parse_id(&raw).map(|id| (domain::mask_id(&id), domain::digest(&id)));
            if parsed.is_none() {
                push(&mut f, "id_number", "身份证号码应为18位，且校验位正确");
            }
            parsed
        }
    };
    let category = b.category.trim().to_owned();
    if r.category(&category).is_none() {
        push(&mut f, "category", if category.is_empty() { "请选择作业类别" } else { "作业类别不在特种作业目录中" });
    }
    let cert = certificate(b, r, today, &mut f);
    date_ok(&mut f, "listed_on", b.listed_on, today, true);
    let listed_on = b.listed_on.unwrap_or(today);
    Ok(if f.is_empty() { Ok(Checked { name, id_number, category, certificate: cert, listed_on }) } else { Err(f) })
}

async fn listed_twice(tx: &Tx, enterprise_id: i64, digest: &str, category: &str, not: i64) -> AppResult<bool> {
    let n = worker::Entity::find()
        .filter(worker::Column::EnterpriseId.eq(enterprise_id))
        .filter(worker::Column::IdNumberDigest.eq(digest))
        .filter(worker::Column::Category.eq(category))
        .filter(worker::Column::EndedOn.is_null())
        .filter(worker::Column::Id.ne(not))
        .count(tx)
        .await?;
    Ok(n > 0)
}

fn apply(m: &mut worker::ActiveModel, c: Checked) {
    m.name = Set(c.name);
    if let Some((masked, digest)) = c.id_number {
        m.id_number_masked = Set(masked);
        m.id_number_digest = Set(digest);
    }
    m.category = Set(c.category);
    let cert = c.certificate;
    m.certificate_no = Set(cert.as_ref().map(|c| c.no.clone()));
    m.issued_by = Set(cert.as_ref().map(|c| c.issued_by.clone()));
    m.issued_on = Set(cert.as_ref().map(|c| c.issued_on));
    m.review_due = Set(cert.as_ref().and_then(|c| c.review_due));
    m.expires_on = Set(cert.as_ref().map(|c| c.expires_on));
    m.listed_on = Set(c.listed_on);
}

fn refuse_unless_writer(actor: &Actor) -> AppResult<()> {
    if actor.writes() {
        Ok(())
    } else {
        Err(AppError::ForbiddenBecause("只有企业的主要负责人和安全管理人员可以登记特种作业人员".to_owned()))
    }
}

/// Lists a worker of the actor's own enterprise.
pub async fn create(tx: &Tx, user: &CurrentUser, b: &CreateSpecialOperationWorker) -> AppResult<worker::Model> {
    let actor = Actor::of(user);
    refuse_unless_writer(&actor)?;
    let today = crate::clock::china_date(tx.ctx().at);
    let (mut f, checked) = match check_fields(&b.fields, true, today)? {
        Ok(c) => (FieldErrors::new(), Some(c)),
        Err(f) => (f, None),
    };
    if !actor.writes_of(b.enterprise_id) {
        push(&mut f, "enterprise_id", UNKNOWN_ENTERPRISE);
    }
    if let Some(Checked { id_number: Some((_, digest)), category, .. }) = &checked
        && listed_twice(tx, b.enterprise_id, digest, category, 0).await?
    {
        push(&mut f, "id_number", ALREADY_LISTED);
    }
    let (Some(c), true) = (checked, f.is_empty()) else { return Err(AppError::Validation(f)) };
    let at = tx.ctx().at;
    let mut m = worker::ActiveModel {
        enterprise_id: Set(b.enterprise_id),
        ended_on: Set(None),
        end_reason: Set(None),
        created_by: Set(user.id),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    };
    apply(&mut m, c);
    let saved = m.insert(tx).await?;
    audit::record(tx, tx.ctx(), "create", &saved).await?;
    Ok(saved)
}

/// The listing `id` if the user's scope holds it; 404 otherwise.
pub async fn visible<C: sea_orm::ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<worker::Model> {
    worker::Entity::find_by_id(id).filter(super::list::in_scope(&user.scope)).one(db).await?.ok_or(AppError::NotFound)
}

/// Corrects a running listing or records a new certificate.
pub async fn update(tx: &Tx, user: &CurrentUser, id: i64, b: &WorkerFields) -> AppResult<worker::Model> {
    let actor = Actor::of(user);
    refuse_unless_writer(&actor)?;
    let w = visible(tx, user, id).await?;
    policy::check(&actor, &w, Action::Edit)?;
    let today = crate::clock::china_date(tx.ctx().at);
    let c = check_fields(b, false, today)?.map_err(AppError::Validation)?;
    let digest = c.id_number.as_ref().map_or(w.id_number_digest.as_str(), |(_, d)| d.as_str());
    if listed_twice(tx, w.enterprise_id, digest, &c.category, w.id).await? {
        return Err(AppError::validation("id_number", ALREADY_LISTED));
    }
    let mut m: worker::ActiveModel = w.into();
    apply(&mut m, c);
    m.updated_at = Set(tx.ctx().at);
    let saved = m.update(tx).await?;
    audit::record(tx, tx.ctx(), "update", &saved).await?;
    super::reminders::close_resolved(tx, &saved, tx.ctx().at).await?;
    Ok(saved)
}

/// Ends a listing: the worker left the post on `ended_on` (kept, with the date and reason).
pub async fn end(tx: &Tx, user: &CurrentUser, id: i64, b: &EndSpecialOperationWorker) -> AppResult<worker::Model> {
    let actor = Actor::of(user);
    refuse_unless_writer(&actor)?;
    let w = visible(tx, user, id).await?;
    policy::check(&actor, &w, Action::End)?;
    let today = crate::clock::china_date(tx.ctx().at);
    let mut f = FieldErrors::new();
    let reason = b.reason.trim();
    if reason.is_empty() {
        push(&mut f, "reason", "请填写离岗原因");
    }
    limits::check(&mut f, "reason", "离岗原因", Some(reason), limits::TEXT);
    if b.ended_on < w.listed_on || b.ended_on > today {
        push(&mut f, "ended_on", format!("离岗日期须在上岗日期 {} 至今天之间", w.listed_on));
    }
    if !f.is_empty() {
        return Err(AppError::Validation(f));
    }
    let mut m: worker::ActiveModel = w.into();
    m.ended_on = Set(Some(b.ended_on));
    m.end_reason = Set(Some(reason.to_owned()));
    m.updated_at = Set(tx.ctx().at);
    let saved = m.update(tx).await?;
    audit::record(tx, tx.ctx(), "end", &saved).await?;
    super::reminders::close_resolved(tx, &saved, tx.ctx().at).await?;
    Ok(saved)
}
