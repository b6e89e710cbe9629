//! Use cases that write policies: record one ([`create`], also used by the
//! import) and cancel one ([`cancel`]). Each takes the caller's `Tx`, checks the
//! actor through [`super::policy`], reports every problem of the body at once and
//! writes the change-log entry in the same transaction.
//!
//! Decisions:
//! - A regulator records policies of enterprises in its scope; an insurer's user
//!   records its own insurer's policies for any enterprise of the register (it
//!   cannot see the register, so an unknown id and another insurer's name are
//!   field errors, never a look into the register).
//! - A policy number is unique per insurer.
//! - One way to check a policy: [`check_body`] (no database), [`not_own_insurer`]
//!   [`UNKNOWN_ENTERPRISE`] and [`POLICY_NO_TAKEN`] are used by this form and by the import
//!   (`super::import`), so both answer with the same bounds and words.
//! - Amounts are whole yuan, bounded (see the constants); a term lasts at most
//!   three years.

use super::insurers::{self, Viewer};
use super::json::{CancelInsurancePolicy, CreateInsurancePolicy};
use super::policy::{self, Action, Actor};
use crate::audit::{self, Audited, canonical};
use crate::auth::CurrentUser;
use crate::entities::{enterprise, insurance_policy};
use crate::error::{AppError, AppResult, DbResultExt, FieldErrors};
use crate::limits;
use crate::write::Tx;
use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

/// The largest premium or limit accepted, in yuan (10¹⁰).
pub const MAX_YUAN: i64 = 10_000_000_000;
/// The largest insured headcount accepted.
pub const MAX_HEADCOUNT: i32 = 1_000_000;
/// The longest term accepted, in days.
pub const MAX_TERM_DAYS: i64 = 3 * 366;

impl Audited for insurance_policy::Model {
    const ENTITY: &'static str = "insurance_policy";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({"id": self.id, "enterprise_id": self.enterprise_id, "insurer_id": self.insurer_id,
            "policy_no": self.policy_no, "starts_on": canonical::opt_date(Some(self.starts_on)),
            "ends_on": canonical::opt_date(Some(self.ends_on)), "premium_yuan": self.premium_yuan,
            "insured_headcount": self.insured_headcount,
            "death_disability_limit_yuan": self.death_disability_limit_yuan,
            "cancelled_on": canonical::opt_date(self.cancelled_on), "cancel_reason": self.cancel_reason,
            "created_by": self.created_by, "created_at": canonical::time(self.created_at),
            "updated_at": canonical::time(self.updated_at)})
    }
}

/// Another insurer's policy named by an insurer's user.
pub fn not_own_insurer(own: &crate::entities::insurer::Model) -> String {
    format!("只能登记本机构（{}）承保的保单", own.name)
}

/// The enterprise named is not in the register, or not the actor's to record.
pub const UNKNOWN_ENTERPRISE: &str = "企业不存在，或不在管辖范围内";

/// The policy number is already recorded for this insurer.
pub const POLICY_NO_TAKEN: &str = "该保险机构已登记此保单号";

fn push(fields: &mut FieldErrors, field: &str, message: impl Into<String>) {
    fields.entry(field.to_owned()).or_default().push(message.into());
}

fn in_years(d: NaiveDate) -> bool {
    (2000..=2100).contains(&chrono::Datelike::year(&d))
}

/// Every problem of the body that needs no database, at once.
pub fn check_body(b: &CreateInsurancePolicy) -> FieldErrors {
    let mut f = FieldErrors::new();
    for (field, label, v, max) in
        [("insurer", "保险机构", &b.insurer, limits::NAME), ("policy_no", "保单号", &b.policy_no, limits::SHORT)]
    {
        if v.trim().is_empty() {
            push(&mut f, field, format!("请填写{label}"));
        }
        limits::check(&mut f, field, label, Some(v), max);
    }
    for (field, d) in [("starts_on", b.starts_on), ("ends_on", b.ends_on)] {
        if !in_years(d) {
            push(&mut f, field, "日期须在 2000 年至 2100 年之间");
        }
    }
    if b.ends_on < b.starts_on {
        push(&mut f, "ends_on", "保险期间结束日早于开始日");
    } else if (b.ends_on - b.starts_on).num_days() > MAX_TERM_DAYS {
        push(&mut f, "ends_on", "保险期间不能超过三年");
    }
    for (field, label, v) in [
        ("premium_yuan", "保费", b.premium_yuan),
        ("death_disability_limit_yuan", "每人死亡伤残责任限额", b.death_disability_limit_yuan),
    ] {
        if !(1..=MAX_YUAN).contains(&v) {
            push(&mut f, field, format!("{label}须在 1 到 {MAX_YUAN} 元之间"));
        }
    }
    if !(1..=MAX_HEADCOUNT).contains(&b.insured_headcount) {
        push(&mut f, "insured_headcount", format!("参保人数须在 1 到 {MAX_HEADCOUNT} 之间"));
    }
    f
}

/// Records a policy (监管人员, or the insurer's own user).
pub async fn create(tx: &Tx, user: &CurrentUser, b: &CreateInsurancePolicy) -> AppResult<insurance_policy::Model> {
    let viewer = Viewer::of(tx, user).await?;
    if !Actor::of(&user.roles, viewer.insurer_id()).records() {
        return Err(AppError::Forbidden);
    }
    let mut f = check_body(b);
    let known = match &viewer {
        Viewer::Scoped(scope) => crate::scope::get::<enterprise::Entity, _>(tx, scope, b.enterprise_id).await.ok(),
        Viewer::Insurer(_) => enterprise::Entity::find_by_id(b.enterprise_id).one(tx).await?,
    };
    if known.is_none() {
        push(&mut f, "enterprise_id", UNKNOWN_ENTERPRISE);
    }
    let insurer_id = match &viewer {
        Viewer::Insurer(own) => {
            if insurers::find(tx, &b.insurer).await?.is_none_or(|i| i.id != own.id) {
                push(&mut f, "insurer", not_own_insurer(own));
            }
            Some(own.id)
        }
        Viewer::Scoped(_) if !b.insurer.trim().is_empty() && b.insurer.chars().count() <= limits::NAME => {
            Some(insurers::find_or_create(tx, &b.insurer, None, tx.ctx().at).await?.id)
        }
        Viewer::Scoped(_) => None,
    };
    if let Some(id) = insurer_id {
        let taken = insurance_policy::Entity::find()
            .filter(insurance_policy::Column::InsurerId.eq(id))
            .filter(insurance_policy::Column::PolicyNo.eq(b.policy_no.trim()))
            .one(tx)
            .await?;
        if taken.is_some() {
            push(&mut f, "policy_no", POLICY_NO_TAKEN);
        }
    }
    let (Some(insurer_id), true) = (insurer_id, f.is_empty()) else { return Err(AppError::Validation(f)) };
    insert(tx, user.id, insurer_id, b).await
}

/// Writes a checked policy and its change-log entry.
pub async fn insert(
    tx: &Tx,
    user_id: i64,
    insurer_id: i64,
    b: &CreateInsurancePolicy,
) -> AppResult<insurance_policy::Model> {
    tx.touch(crate::write::Touched::Insurance);
    let model =
        new_row(user_id, insurer_id, b, tx.ctx().at).insert(tx).await.on_unique("policy_no_taken", POLICY_NO_TAKEN)?;
    audit::record(tx, tx.ctx(), "create", &model).await?;
    Ok(model)
}

/// The row of a checked policy (the form and the import write the same row).
pub fn new_row(
    user_id: i64,
    insurer_id: i64,
    b: &CreateInsurancePolicy,
    at: chrono::DateTime<chrono::Utc>,
) -> insurance_policy::ActiveModel {
    insurance_policy::ActiveModel {
        enterprise_id: Set(b.enterprise_id),
        insurer_id: Set(insurer_id),
        policy_no: Set(b.policy_no.trim().to_owned()),
        starts_on: Set(b.starts_on),
        ends_on: Set(b.ends_on),
        premium_yuan: Set(b.premium_yuan),
        insured_headcount: Set(b.insured_headcount),
        death_disability_limit_yuan: Set(b.death_disability_limit_yuan),
        cancelled_on: Set(None),
        cancel_reason: Set(None),
        created_by: Set(user_id),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
}

/// Cancels a policy (退保) from `cancelled_on` (监管人员 or the policy's insurer).
pub async fn cancel(
    tx: &Tx,
    user: &CurrentUser,
    id: i64,
    b: &CancelInsurancePolicy,
) -> AppResult<insurance_policy::Model> {
    let viewer = Viewer::of(tx, user).await?;
    let actor = Actor::of(&user.roles, viewer.insurer_id());
    if !actor.records() {
        return Err(AppError::Forbidden);
    }
    let p =
        insurance_policy::Entity::find_by_id(id).filter(viewer.policies()).one(tx).await?.ok_or(AppError::NotFound)?;
    policy::check(actor, &p, Action::Cancel)?;
    let mut f = FieldErrors::new();
    if b.cancel_reason.trim().is_empty() {
        push(&mut f, "cancel_reason", "请填写退保原因");
    }
    limits::check(&mut f, "cancel_reason", "退保原因", Some(&b.cancel_reason), limits::TEXT);
    if b.cancelled_on < p.starts_on || b.cancelled_on > p.ends_on {
        push(&mut f, "cancelled_on", format!("退保日期须在保险期间 {} 至 {} 之内", p.starts_on, p.ends_on));
    }
    if !f.is_empty() {
        return Err(AppError::Validation(f));
    }
    let mut m: insurance_policy::ActiveModel = p.into();
    m.cancelled_on = Set(Some(b.cancelled_on));
    m.cancel_reason = Set(Some(b.cancel_reason.trim().to_owned()));
    m.updated_at = Set(tx.ctx().at);
    tx.touch(crate::write::Touched::Insurance);
    let saved = m.update(tx).await?;
    audit::record(tx, tx.ctx(), "cancel", &saved).await?;
    Ok(saved)
}
