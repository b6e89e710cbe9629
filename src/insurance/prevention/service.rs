//! Recording an accident-prevention service ([`create`]): the service row, its
//! change-log entry and — for a hazard inspection — each finding as a hazard of
//! the ledger, through the ledger's own use case on the same `Tx`, so the service
//! and its hazards are written all or nothing (and a retry with the same
//! `Idempotency-Key` answers the first result).
//!
//! Decisions:
//! - The body names a policy; the enterprise and the insurer are the policy's.
//!   A policy the caller may not see is a field error (`policy_id`), as an
//!   unknown one: an insurer's user names only its own insurer's policies, a
//!   regulator those of enterprises in its scope.
//! - The day served lies within the policy's cover and not after today. An
//!   insurer's user records while the policy is active or recent (up to
//!   [`RECENT_DAYS`] after its last day covered); a regulator at any time.
//! - Findings are for hazard inspections only. Each becomes a hazard with source
//!   `insurer_service`, found at the start of the day served: reported by an
//!   insurer's user the enterprise rectifies and closes a general one (the intake
//!   rule for a report on the enterprise's side); recorded by a regulator it
//!   follows the regulators' intake. A problem of a finding is keyed
//!   `findings.{i}.{field}`.

use super::json::{CreateInsuranceService, NewServiceFinding};
use crate::audit::{self, Audited, canonical};
use crate::auth::CurrentUser;
use crate::clock::{china_date, china_day_start};
use crate::entities::{enterprise, insurance_policy, insurance_service, insurance_service_hazard};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::hazard::domain::Source;
use crate::hazard::json::CreateHazardRequest;
use crate::insurance::insurers::Viewer;
use crate::insurance::policy::Actor;
use crate::insurance::view::cover_of;
use crate::limits;
use crate::write::Tx;
use chrono::{Days, NaiveDate};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, QueryFilter};
use serde_json::{Value, json};

/// The largest cost of one service, in yuan (10⁸).
pub const MAX_COST_YUAN: i64 = 100_000_000;
/// The most findings of one service.
pub const MAX_FINDINGS: usize = 50;
/// How long after its last day covered an insurer's user still records services under a policy.
pub const RECENT_DAYS: u64 = 90;

impl Audited for insurance_service::Model {
    const ENTITY: &'static str = "insurance_service";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({"id": self.id, "policy_id": self.policy_id, "enterprise_id": self.enterprise_id,
            "insurer_id": self.insurer_id, "kind": self.kind.as_str(),
            "served_on": canonical::opt_date(Some(self.served_on)), "cost_yuan": self.cost_yuan,
            "provider": self.provider, "experts": self.experts, "summary": self.summary,
            "created_by": self.created_by, "created_at": canonical::time(self.created_at)})
    }
}

fn push(f: &mut FieldErrors, field: &str, message: impl Into<String>) {
    f.entry(field.to_owned()).or_default().push(message.into());
}

fn required(f: &mut FieldErrors, field: &str, label: &str, v: &str, max: usize) {
    if v.trim().is_empty() {
        push(f, field, format!("请填写{label}"));
    }
    limits::check(f, field, label, Some(v), max);
}

fn check_finding(f: &mut FieldErrors, i: usize, x: &NewServiceFinding, served_on: NaiveDate) {
    let key = |field: &str| format!("findings.{i}.{field}");
    required(f, &key("title"), "隐患标题", &x.title, limits::NAME);
    required(f, &key("description"), "隐患描述", &x.description, limits::TEXT);
    required(f, &key("category"), "隐患类别", &x.category, limits::SHORT);
    limits::check(f, &key("location"), "隐患部位", x.location.as_deref(), limits::ADDRESS);
    if x.deadline.is_some_and(|d| d < served_on) {
        push(f, &key("deadline"), "整改期限不能早于服务日期");
    }
}

/// Every problem of the body that needs no database, at once.
pub fn check_body(b: &CreateInsuranceService, today: NaiveDate) -> FieldErrors {
    let mut f = FieldErrors::new();
    required(&mut f, "provider", "服务机构", &b.provider, limits::NAME);
    limits::check(&mut f, "experts", "专家", b.experts.as_deref(), limits::NAME);
    required(&mut f, "summary", "服务情况", &b.summary, limits::TEXT);
    if !(2000..=2100).contains(&chrono::Datelike::year(&b.served_on)) {
        push(&mut f, "served_on", "日期须在 2000 年至 2100 年之间");
    } else if b.served_on > today {
        push(&mut f, "served_on", "服务日期不能晚于今天");
    }
    if !(0..=MAX_COST_YUAN).contains(&b.cost_yuan) {
        push(&mut f, "cost_yuan", format!("服务费用须在 0 到 {MAX_COST_YUAN} 元之间"));
    }
    if !b.kind.has_findings() && !b.findings.is_empty() {
        push(&mut f, "findings", "只有隐患排查服务可以登记发现的隐患");
    }
    limits::check_list(&mut f, "findings", "发现的隐患", &b.findings, MAX_FINDINGS);
    for (i, x) in b.findings.iter().enumerate().take(MAX_FINDINGS) {
        check_finding(&mut f, i, x, b.served_on);
    }
    f
}

/// The policy named, if the caller may record under it on `today`; field errors otherwise.
async fn policy_for(
    tx: &Tx,
    viewer: &Viewer,
    b: &CreateInsuranceService,
    today: NaiveDate,
    f: &mut FieldErrors,
) -> AppResult<Option<insurance_policy::Model>> {
    let found = insurance_policy::Entity::find_by_id(b.policy_id).filter(viewer.policies()).one(tx).await?;
    let Some(p) = found else {
        push(f, "policy_id", "保单不存在，或不是本机构承保、管辖范围内企业的保单");
        return Ok(None);
    };
    let Some(last) = cover_of(&p).last_day() else {
        push(f, "policy_id", "该保单自始未生效（生效前已退保）");
        return Ok(None);
    };
    if b.served_on < p.starts_on || b.served_on > last {
        push(f, "served_on", format!("服务日期须在保单保障期间 {} 至 {last} 之内", p.starts_on));
    }
    let recent = last.checked_add_days(Days::new(RECENT_DAYS)).is_some_and(|until| today <= until);
    if viewer.insurer_id().is_some() && !recent {
        push(f, "policy_id", format!("保单保障已于 {last} 结束超过 {RECENT_DAYS} 天，不能再登记服务"));
    }
    Ok(Some(p))
}

fn hazard_request(s: &insurance_service::Model, x: &NewServiceFinding) -> CreateHazardRequest {
    let description =
        format!("{}\n（保险机构事故预防服务·{}，{}，{}）", x.description.trim(), s.kind.zh(), s.served_on, s.provider);
    CreateHazardRequest {
        enterprise_id: Some(s.enterprise_id),
        subject_id: None,
        subject: None,
        source: Source::InsurerService,
        source_ref: Some(format!("事故预防服务 {}", s.id)),
        reporter: None,
        level: x.level,
        category: x.category.trim().to_owned(),
        title: x.title.clone(),
        description: description.chars().take(limits::TEXT).collect(),
        location: x.location.clone().filter(|l| !l.trim().is_empty()),
        found_at: china_day_start(s.served_on),
        deadline: x.deadline,
        deadline_working_days: None,
        checklist_item_code: None,
        risk_point_id: None,
        attachment_ids: Vec::new(),
        fixed_on_spot: false,
        after_attachment_ids: Vec::new(),
    }
}

/// A finding's refusal, its fields keyed `findings.{i}.…`.
fn of_finding(e: AppError, i: usize) -> AppError {
    match e {
        AppError::Validation(f) => AppError::Validation(
            f.into_iter().map(|(field, messages)| (format!("findings.{i}.{field}"), messages)).collect(),
        ),
        other => other,
    }
}

/// Records a service and its findings' hazards (监管人员, or the insurer's own user).
pub async fn create(tx: &Tx, user: &CurrentUser, b: &CreateInsuranceService) -> AppResult<insurance_service::Model> {
    let viewer = Viewer::of(tx, user).await?;
    if !Actor::of(&user.roles, viewer.insurer_id()).records() {
        return Err(AppError::Forbidden);
    }
    let today = china_date(tx.ctx().at);
    let mut f = check_body(b, today);
    let policy = policy_for(tx, &viewer, b, today, &mut f).await?;
    let (Some(p), true) = (policy, f.is_empty()) else { return Err(AppError::Validation(f)) };
    let insured = enterprise::Entity::find_by_id(p.enterprise_id).one(tx).await?.ok_or(AppError::NotFound)?;
    let row = insurance_service::ActiveModel {
        policy_id: Set(p.id),
        enterprise_id: Set(p.enterprise_id),
        insurer_id: Set(p.insurer_id),
        kind: Set(b.kind),
        served_on: Set(b.served_on),
        cost_yuan: Set(b.cost_yuan),
        provider: Set(b.provider.trim().to_owned()),
        experts: Set(b.experts.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(str::to_owned)),
        summary: Set(b.summary.trim().to_owned()),
        created_by: Set(user.id),
        created_at: Set(tx.ctx().at),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(tx, tx.ctx(), "create", &row).await?;
    for (i, x) in b.findings.iter().enumerate() {
        let req = hazard_request(&row, x);
        let created = match viewer {
            Viewer::Insurer(_) => crate::hazard::service::create_insured(tx, user, &req, insured.clone()).await,
            Viewer::Scoped(_) => crate::hazard::service::create(tx, user, &req).await,
        };
        let (h, _) = created.map_err(|e| of_finding(e, i))?;
        let link = insurance_service_hazard::ActiveModel { service_id: Set(row.id), hazard_id: Set(h.id) };
        insurance_service_hazard::Entity::insert(link).exec_without_returning(tx).await?;
    }
    Ok(row)
}
