//! 事故调查: the team (组长 and members by name and unit), the report's due date
//! (条例 第二十九条: 60 days from the accident, extendable by at most 60), the
//! report when submitted, and the findings of responsibility (责任认定).
//!
//! Decisions:
//! - One investigation per accident, written whole by `PUT` (the team changes as
//!   the investigation goes); every write is audited, so the history is the log.
//! - Findings are rows added one by one and never edited.
//! - At most [`MAX_MEMBERS`] members; an extension needs its reason.

use super::domain::Responsibility;
use super::rules::{investigation_due, rules};
use crate::audit::{self, Audited, canonical};
use crate::auth::{CurrentUser, Role};
use crate::clock::china_date;
use crate::entities::{accident, accident_finding as finding, accident_investigation as inv};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::limits;
use crate::write::Tx;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The most members of one team.
pub const MAX_MEMBERS: usize = 50;

/// A member of the investigation team.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct TeamMember {
    #[schema(max_length = 100)]
    pub name: String,
    /// The member's unit (e.g. 县应急管理局、县公安局、县总工会).
    #[schema(max_length = 200)]
    pub unit: String,
}

/// The investigation as it stands.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct PutInvestigation {
    /// The government or department organising it (e.g. 江汉区人民政府).
    #[schema(max_length = 200)]
    pub organised_by: String,
    #[schema(max_length = 100)]
    pub leader: String,
    #[serde(default)]
    #[schema(max_items = 50)]
    pub members: Vec<TeamMember>,
    /// Days the deadline was extended by, with approval (0 to 60).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 60)]
    pub extended_days: i32,
    #[schema(max_length = 5000)]
    pub extension_reason: Option<String>,
    pub report_submitted_on: Option<NaiveDate>,
    /// The report's conclusions in short (cause, nature).
    #[schema(max_length = 5000)]
    pub report_summary: Option<String>,
}

/// A finding of responsibility.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ResponsibilityRequest {
    /// The unit or person.
    #[schema(max_length = 200)]
    pub party: String,
    pub responsibility: Responsibility,
    /// 处理建议 (e.g. 建议依法追究刑事责任、给予行政处罚).
    #[schema(max_length = 5000)]
    pub suggestion: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ResponsibilityFinding {
    pub id: i64,
    pub party: String,
    pub responsibility: Responsibility,
    pub responsibility_label: String,
    pub suggestion: String,
    pub created_at: DateTime<Utc>,
}

/// The investigation of an accident: due date, team, report, findings.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InvestigationResponse {
    /// Whether a team is recorded yet.
    pub started: bool,
    pub organised_by: Option<String>,
    pub leader: Option<String>,
    pub members: Vec<TeamMember>,
    pub extended_days: i32,
    pub extension_reason: Option<String>,
    /// The report is due by this Beijing date (60 days, plus the extension).
    pub report_due_on: NaiveDate,
    pub report_submitted_on: Option<NaiveDate>,
    pub report_summary: Option<String>,
    /// Submitted after its due date, or not submitted and past it.
    pub report_late: bool,
    pub findings: Vec<ResponsibilityFinding>,
    pub basis: String,
}

impl Audited for inv::Model {
    const ENTITY: &'static str = "accident_investigation";
    const PAYLOAD_VERSION: i32 = 1;
    fn entity_id(&self) -> String {
        self.id.to_string()
    }
    fn payload(&self) -> Value {
        json!({"id": self.id, "accident_id": self.accident_id, "organised_by": self.organised_by,
            "leader": self.leader, "members": self.members, "extended_days": self.extended_days,
            "extension_reason": self.extension_reason,
            "report_submitted_on": self.report_submitted_on.map(|d| d.to_string()),
            "report_summary": self.report_summary, "updated_by": self.updated_by,
            "created_at": canonical::time(self.created_at), "updated_at": canonical::time(self.updated_at)})
    }
}

impl Audited for finding::Model {
    const ENTITY: &'static str = "accident_finding";
    const PAYLOAD_VERSION: i32 = 1;
    fn entity_id(&self) -> String {
        self.id.to_string()
    }
    fn payload(&self) -> Value {
        json!({"id": self.id, "accident_id": self.accident_id, "party": self.party,
            "responsibility": self.responsibility, "suggestion": self.suggestion, "created_by": self.created_by,
            "created_at": canonical::time(self.created_at)})
    }
}

fn push(fields: &mut FieldErrors, f: &str, m: &str) {
    fields.entry(f.to_owned()).or_default().push(m.to_owned());
}

fn check(b: &PutInvestigation, occurred_on: NaiveDate, today: NaiveDate) -> AppResult<()> {
    let mut fields = FieldErrors::new();
    for (f, label, v, max) in [
        ("organised_by", "组织调查的单位", &b.organised_by, limits::NAME),
        ("leader", "调查组组长", &b.leader, limits::SHORT),
    ] {
        if v.trim().is_empty() {
            push(&mut fields, f, &format!("请填写{label}"));
        }
        limits::check(&mut fields, f, label, Some(v), max);
    }
    if b.members.len() > MAX_MEMBERS {
        push(&mut fields, "members", &format!("调查组成员至多 {MAX_MEMBERS} 人"));
    }
    for (i, m) in b.members.iter().enumerate() {
        if m.name.trim().is_empty() || m.unit.trim().is_empty() {
            push(&mut fields, &format!("members[{i}]"), "请填写成员姓名和单位");
        }
        limits::check(&mut fields, &format!("members[{i}].name"), "姓名", Some(&m.name), limits::SHORT);
        limits::check(&mut fields, &format!("members[{i}].unit"), "单位", Some(&m.unit), limits::NAME);
    }
    let max = rules().investigation_extension_max_days;
    if !(0..=max).contains(&i64::from(b.extended_days)) {
        push(&mut fields, "extended_days", &format!("延长期限须在 0 到 {max} 日之间"));
    }
    let reason = b.extension_reason.as_deref().map(str::trim).unwrap_or_default();
    if b.extended_days > 0 && reason.is_empty() {
        push(&mut fields, "extension_reason", "延长期限须写明理由（经负责事故调查的人民政府批准）");
    }
    limits::check(&mut fields, "extension_reason", "延长理由", b.extension_reason.as_deref(), limits::TEXT);
    limits::check(&mut fields, "report_summary", "调查报告摘要", b.report_summary.as_deref(), limits::TEXT);
    if let Some(d) = b.report_submitted_on {
        if d < occurred_on || d > today {
            push(&mut fields, "report_submitted_on", "提交日期须在事故发生之日与今天之间");
        }
        if b.report_summary.as_deref().is_none_or(|s| s.trim().is_empty()) {
            push(&mut fields, "report_summary", "已提交调查报告时请填写报告摘要");
        }
    }
    if fields.is_empty() { Ok(()) } else { Err(AppError::Validation(fields)) }
}

fn text(v: Option<&String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Records or replaces the investigation of an accident.
pub async fn put(tx: &Tx, user: &CurrentUser, id: i64, b: &PutInvestigation) -> AppResult<InvestigationResponse> {
    user.require_any(&[Role::Regulator])?;
    let a = crate::scope::get::<accident::Entity, _>(tx, &user.scope, id).await?;
    let ctx = tx.ctx();
    check(b, china_date(a.occurred_at), china_date(ctx.at))?;
    let members: Vec<TeamMember> = b
        .members
        .iter()
        .map(|m| TeamMember { name: m.name.trim().to_owned(), unit: m.unit.trim().to_owned() })
        .collect();
    let existing = inv::Entity::find().filter(inv::Column::AccidentId.eq(a.id)).one(tx).await?;
    let mut row = match &existing {
        Some(e) => inv::ActiveModel::from(e.clone()),
        None => inv::ActiveModel { accident_id: Set(a.id), created_at: Set(ctx.at), ..Default::default() },
    };
    row.organised_by = Set(b.organised_by.trim().to_owned());
    row.leader = Set(b.leader.trim().to_owned());
    row.members = Set(serde_json::to_string(&members).unwrap_or_else(|_| "[]".to_owned()));
    row.extended_days = Set(b.extended_days);
    row.extension_reason = Set(text(b.extension_reason.as_ref()).filter(|_| b.extended_days > 0));
    row.report_submitted_on = Set(b.report_submitted_on);
    row.report_summary = Set(text(b.report_summary.as_ref()));
    row.updated_by = Set(user.id);
    row.updated_at = Set(ctx.at);
    let (saved, action) =
        if existing.is_some() { (row.update(tx).await?, "update") } else { (row.insert(tx).await?, "create") };
    audit::record(tx, ctx, action, &saved).await?;
    view(tx, &a, Some(saved), ctx.at).await
}

/// Adds a finding of responsibility.
pub async fn add_finding(
    tx: &Tx,
    user: &CurrentUser,
    id: i64,
    b: &ResponsibilityRequest,
) -> AppResult<ResponsibilityFinding> {
    user.require_any(&[Role::Regulator])?;
    let a = crate::scope::get::<accident::Entity, _>(tx, &user.scope, id).await?;
    let mut fields = FieldErrors::new();
    for (f, label, v, max) in
        [("party", "责任单位或人员", &b.party, limits::NAME), ("suggestion", "处理建议", &b.suggestion, limits::TEXT)]
    {
        if v.trim().is_empty() {
            push(&mut fields, f, &format!("请填写{label}"));
        }
        limits::check(&mut fields, f, label, Some(v), max);
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let ctx = tx.ctx();
    let row = finding::ActiveModel {
        accident_id: Set(a.id),
        party: Set(b.party.trim().to_owned()),
        responsibility: Set(b.responsibility),
        suggestion: Set(b.suggestion.trim().to_owned()),
        created_by: Set(user.id),
        created_at: Set(ctx.at),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(tx, ctx, "create", &row).await?;
    Ok(finding_view(row))
}

fn finding_view(f: finding::Model) -> ResponsibilityFinding {
    ResponsibilityFinding {
        id: f.id,
        party: f.party,
        responsibility_label: f.responsibility.zh().to_owned(),
        responsibility: f.responsibility,
        suggestion: f.suggestion,
        created_at: f.created_at,
    }
}

async fn view<C: ConnectionTrait>(
    db: &C,
    a: &accident::Model,
    i: Option<inv::Model>,
    now: DateTime<Utc>,
) -> AppResult<InvestigationResponse> {
    let findings = finding::Entity::find()
        .filter(finding::Column::AccidentId.eq(a.id))
        .order_by_asc(finding::Column::Id)
        .all(db)
        .await?;
    let extended = i.as_ref().map_or(0, |i| i.extended_days);
    let due = investigation_due(china_date(a.occurred_at), i64::from(extended));
    let submitted = i.as_ref().and_then(|i| i.report_submitted_on);
    Ok(InvestigationResponse {
        started: i.is_some(),
        report_due_on: due,
        report_late: submitted.map_or(china_date(now) > due, |d| d > due),
        report_submitted_on: submitted,
        members: i.as_ref().and_then(|i| serde_json::from_str(&i.members).ok()).unwrap_or_default(),
        organised_by: i.as_ref().map(|i| i.organised_by.clone()),
        leader: i.as_ref().map(|i| i.leader.clone()),
        extended_days: extended,
        extension_reason: i.as_ref().and_then(|i| i.extension_reason.clone()),
        report_summary: i.and_then(|i| i.report_summary),
        findings: findings.into_iter().map(finding_view).collect(),
        basis: rules().investigation_basis.clone(),
    })
}

/// The investigation of an accident in the user's scope (not started: only the due date).
pub async fn get<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<InvestigationResponse> {
    let a = crate::scope::get::<accident::Entity, _>(db, &user.scope, id).await?;
    let i = inv::Entity::find().filter(inv::Column::AccidentId.eq(a.id)).one(db).await?;
    view(db, &a, i, now).await
}
