//! 报告时限: the reports of an accident up the chain (条例 第九条至第十一条) as rows,
//! the legal steps with their due times ([`super::rules::steps`]), 迟报 computed,
//! and the regulators' flags 谎报/瞒报/漏报 with their reasons.
//!
//! Decisions:
//! - The enterprise's report is the first `enterprise → county` row or, without
//!   one, the accident's `reported_at`; a later row does not rewrite the accident.
//! - 迟报 is never typed: it is on an accident when a recorded step came after its
//!   due time. A step not yet made is shown as overdue and becomes a to-do of the
//!   accident's bureau ([`super::overdue`]), closed when the report is recorded.
//! - Reports and flags are never edited; a wrong one is corrected by another row.

use super::domain::{FlagKind, ReportLevel};
use super::rules::{Step, rules, steps};
use crate::audit::{self, Audited, canonical};
use crate::auth::{CurrentUser, Role};
use crate::entities::{accident, accident_flag as flag, accident_report as report};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::limits;
use crate::write::Tx;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::HashMap;

/// A report made from one level to another (逐级上报; 越级上报 allowed).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct RecordReport {
    pub from_level: ReportLevel,
    pub to_level: ReportLevel,
    pub reported_at: DateTime<Utc>,
    /// What was reported, in short (条例 第十二条's items).
    #[schema(max_length = 5000)]
    pub content: String,
}

/// A regulator's finding that the accident was falsely reported, concealed or
/// left out (`false_report`, `concealed`, `omitted`; 迟报 is computed).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct FlagRequest {
    pub kind: FlagKind,
    #[schema(max_length = 5000)]
    pub reason: String,
}

/// One legal step of the chain with its due time.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportStep {
    pub from_level: ReportLevel,
    pub to_level: ReportLevel,
    pub from_label: String,
    pub to_label: String,
    pub due_at: DateTime<Utc>,
    pub reported_at: Option<DateTime<Utc>>,
    /// Made after its due time (迟报); none while not made.
    pub late: Option<bool>,
    /// Not made and past its due time now.
    pub overdue: bool,
}

/// A recorded report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportView {
    pub id: i64,
    pub from_level: ReportLevel,
    pub to_level: ReportLevel,
    pub from_label: String,
    pub to_label: String,
    pub reported_at: DateTime<Utc>,
    pub content: String,
    pub recorded_by: i64,
    pub created_at: DateTime<Utc>,
}

/// A flag with its reason.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FlagView {
    pub id: i64,
    pub kind: FlagKind,
    pub kind_label: String,
    pub reason: String,
    pub flagged_by: i64,
    pub created_at: DateTime<Utc>,
}

/// The report timeline of an accident.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Timeline {
    /// The steps the grade asks for, in order.
    pub steps: Vec<ReportStep>,
    pub reports: Vec<ReportView>,
    pub flags: Vec<FlagView>,
    /// The legal basis of the due times, in words (marked where not checked against the text).
    pub basis: Vec<String>,
}

impl Audited for report::Model {
    const ENTITY: &'static str = "accident_report";
    const PAYLOAD_VERSION: i32 = 1;
    fn entity_id(&self) -> String {
        self.id.to_string()
    }
    fn payload(&self) -> Value {
        json!({"id": self.id, "accident_id": self.accident_id, "from_level": self.from_level,
            "to_level": self.to_level, "reported_at": canonical::time(self.reported_at), "content": self.content,
            "recorded_by": self.recorded_by, "created_at": canonical::time(self.created_at)})
    }
}

impl Audited for flag::Model {
    const ENTITY: &'static str = "accident_flag";
    const PAYLOAD_VERSION: i32 = 1;
    fn entity_id(&self) -> String {
        self.id.to_string()
    }
    fn payload(&self) -> Value {
        json!({"id": self.id, "accident_id": self.accident_id, "kind": self.kind, "reason": self.reason,
            "flagged_by": self.flagged_by, "created_at": canonical::time(self.created_at)})
    }
}

/// The legal steps of an accident given its recorded reports.
pub fn steps_of(a: &accident::Model, reports: &[report::Model]) -> Vec<Step> {
    steps(a.grade, a.occurred_at, |to| {
        let recorded = reports.iter().filter(|r| r.to_level == to).map(|r| r.reported_at).min();
        if to == ReportLevel::County { recorded.or(a.reported_at) } else { recorded }
    })
}

/// The key of the to-do for an overdue step (closed when the report is recorded).
pub fn todo_key(accident_id: i64, to: ReportLevel) -> String {
    format!("accident_report:{accident_id}:{}", to.as_str())
}

async fn reports_of<C: ConnectionTrait>(db: &C, ids: Vec<i64>) -> AppResult<Vec<report::Model>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let rows = report::Entity::find()
            .filter(report::Column::AccidentId.is_in(chunk.to_vec()))
            .order_by_asc(report::Column::ReportedAt)
            .order_by_asc(report::Column::Id)
            .all(db)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// The flags of each accident: 迟报 when a step came late, then the regulators' flags, each once.
pub async fn flags_of<C: ConnectionTrait>(
    db: &C,
    accidents: &[accident::Model],
) -> AppResult<HashMap<i64, Vec<FlagKind>>> {
    let ids: Vec<i64> = accidents.iter().map(|a| a.id).collect();
    let mut reports: HashMap<i64, Vec<report::Model>> = HashMap::new();
    for r in reports_of(db, ids.clone()).await? {
        reports.entry(r.accident_id).or_default().push(r);
    }
    let mut out: HashMap<i64, Vec<FlagKind>> = HashMap::new();
    for a in accidents {
        let rs = reports.get(&a.id).map_or(&[][..], Vec::as_slice);
        if steps_of(a, rs).iter().any(|s| s.late() == Some(true)) {
            out.entry(a.id).or_default().push(FlagKind::Late);
        }
    }
    for chunk in ids.chunks(500) {
        let rows = flag::Entity::find().filter(flag::Column::AccidentId.is_in(chunk.to_vec())).all(db).await?;
        for f in rows {
            let kinds = out.entry(f.accident_id).or_default();
            if !kinds.contains(&f.kind) {
                kinds.push(f.kind);
            }
        }
    }
    for kinds in out.values_mut() {
        kinds.sort_unstable();
    }
    Ok(out)
}

fn label(l: ReportLevel) -> String {
    l.zh().to_owned()
}

/// The timeline of an accident in the user's scope.
pub async fn timeline<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<Timeline> {
    let a = crate::scope::get::<accident::Entity, _>(db, &user.scope, id).await?;
    let rows = reports_of(db, vec![a.id]).await?;
    let steps = steps_of(&a, &rows)
        .into_iter()
        .map(|s| ReportStep {
            from_label: label(s.from),
            to_label: label(s.to),
            late: s.late(),
            overdue: s.overdue(now),
            from_level: s.from,
            to_level: s.to,
            due_at: s.due_at,
            reported_at: s.reported_at,
        })
        .collect();
    let reports = rows
        .into_iter()
        .map(|r| ReportView {
            id: r.id,
            from_label: label(r.from_level),
            to_label: label(r.to_level),
            from_level: r.from_level,
            to_level: r.to_level,
            reported_at: r.reported_at,
            content: r.content,
            recorded_by: r.recorded_by,
            created_at: r.created_at,
        })
        .collect();
    let flags = flag::Entity::find()
        .filter(flag::Column::AccidentId.eq(a.id))
        .order_by_asc(flag::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|f| FlagView {
            id: f.id,
            kind_label: f.kind.zh().to_owned(),
            kind: f.kind,
            reason: f.reason,
            flagged_by: f.flagged_by,
            created_at: f.created_at,
        })
        .collect();
    let r = rules();
    let basis = vec![r.enterprise_report_basis.clone(), r.upward_report_basis.clone()];
    Ok(Timeline { steps, reports, flags, basis })
}

fn check_report(b: &RecordReport, a: &accident::Model, now: DateTime<Utc>) -> AppResult<()> {
    let mut fields = FieldErrors::new();
    let mut push = |f: &str, m: &str| fields.entry(f.to_owned()).or_default().push(m.to_owned());
    if b.to_level <= b.from_level {
        push("to_level", "报告对象须是上一级（或越级的更上级）");
    }
    if b.reported_at < a.occurred_at {
        push("reported_at", "报告时间早于事故发生时间");
    }
    if b.reported_at > now + Duration::minutes(5) {
        push("reported_at", "报告时间晚于当前时间");
    }
    if b.content.trim().is_empty() {
        push("content", "请填写报告内容摘要");
    }
    limits::check(&mut fields, "content", "报告内容", Some(&b.content), limits::TEXT);
    if fields.is_empty() { Ok(()) } else { Err(AppError::Validation(fields)) }
}

/// Records one report of the chain and closes the to-do of its step.
pub async fn record(tx: &Tx, user: &CurrentUser, id: i64, b: &RecordReport) -> AppResult<ReportView> {
    user.require_any(&[Role::Regulator])?;
    let a = crate::scope::get::<accident::Entity, _>(tx, &user.scope, id).await?;
    let ctx = tx.ctx();
    check_report(b, &a, ctx.at)?;
    let row = report::ActiveModel {
        accident_id: Set(a.id),
        from_level: Set(b.from_level),
        to_level: Set(b.to_level),
        reported_at: Set(b.reported_at),
        content: Set(b.content.trim().to_owned()),
        recorded_by: Set(user.id),
        created_at: Set(ctx.at),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(tx, ctx, "create", &row).await?;
    close_todos(tx, ctx.at, &todo_key(a.id, b.to_level)).await?;
    Ok(ReportView {
        id: row.id,
        from_label: label(row.from_level),
        to_label: label(row.to_level),
        from_level: row.from_level,
        to_level: row.to_level,
        reported_at: row.reported_at,
        content: row.content,
        recorded_by: row.recorded_by,
        created_at: row.created_at,
    })
}

/// Closes the open to-dos with this key (their step was taken).
pub async fn close_todos<C: ConnectionTrait>(db: &C, at: DateTime<Utc>, key: &str) -> AppResult<()> {
    use crate::entities::todo;
    todo::Entity::update_many()
        .col_expr(todo::Column::DoneAt, Expr::value(at))
        .filter(todo::Column::DoneAt.is_null())
        .filter(todo::Column::DedupeKey.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// Flags the accident 谎报, 瞒报 or 漏报, with the reason.
pub async fn add_flag(tx: &Tx, user: &CurrentUser, id: i64, b: &FlagRequest) -> AppResult<FlagView> {
    user.require_any(&[Role::Regulator])?;
    let a = crate::scope::get::<accident::Entity, _>(tx, &user.scope, id).await?;
    let mut fields = FieldErrors::new();
    if b.kind == FlagKind::Late {
        fields.entry("kind".to_owned()).or_default().push("迟报由报告时间自动判定，无需标记".to_owned());
    }
    if b.reason.trim().is_empty() {
        fields.entry("reason".to_owned()).or_default().push("请填写认定理由".to_owned());
    }
    limits::check(&mut fields, "reason", "认定理由", Some(&b.reason), limits::TEXT);
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let ctx = tx.ctx();
    let row = flag::ActiveModel {
        accident_id: Set(a.id),
        kind: Set(b.kind),
        reason: Set(b.reason.trim().to_owned()),
        flagged_by: Set(user.id),
        created_at: Set(ctx.at),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(tx, ctx, "create", &row).await?;
    Ok(FlagView {
        id: row.id,
        kind_label: row.kind.zh().to_owned(),
        kind: row.kind,
        reason: row.reason,
        flagged_by: row.flagged_by,
        created_at: row.created_at,
    })
}
