//! Recomputes enterprise grades and supervision classes over the register, set-based:
//! a handful of grouped queries read every figure the rules need (risk points per
//! level, open major hazards at points, the open ledger, accidents, guide
//! assessments), the grades are decided in memory, and only the enterprises whose
//! grade, class or source changed are written — one `UPDATE … WHERE id IN` per
//! chunk and outcome, and one history row each with the inputs that produced it.
//!
//! Decisions:
//! - A regulator's override is kept: recomputation skips enterprises whose source
//!   is `override` until the override is released.
//! - A hazchem enterprise with a guide assessment still valid (three years) takes
//!   the assessment's grade (`guide`), turned red by the accident-history situation
//!   when the accident register shows it; without one it is graded by the general
//!   rules like any other (`computed`), and the inputs say so.
//! - A point with an open major hazard counts as a red point (the direct-red
//!   condition of `data/risk-rules.toml`, when enabled).
//! - Computed changes are kept in `enterprise_gradings`, not in the audit chain:
//!   they follow from audited inputs and a versioned rule set; overrides, which are
//!   decisions, are audited as well.

use super::domain::{self, AccidentCounts, Metrics};
use super::rules::{GradingRules, Metric};
use crate::accident::domain::AccidentGrade;
use crate::enterprise::domain::Sector;
use crate::entities::{accident, enterprise, enterprise_grading, grading_run, hazard, risk_assessment, risk_point};
use crate::error::AppResult;
use crate::risk::domain::{DirectRed, RiskLevel};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use std::collections::HashMap;

/// Rows per `IN (…)` list and per multi-row insert.
const CHUNK: usize = 500;

/// What one recomputation did.
#[derive(Debug, Default, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RunReport {
    /// Enterprises read.
    pub enterprises: u64,
    /// Enterprises whose grade, class or source changed.
    pub changed: u64,
    /// Enterprises skipped because a regulator's override holds.
    pub overridden: u64,
    pub rules_version: String,
}

/// The figures of every enterprise (or of one), keyed by enterprise id.
#[derive(Default)]
struct Figures {
    metrics: HashMap<i64, Metrics>,
    accidents: HashMap<i64, AccidentCounts>,
    /// The latest valid guide assessment: grade and id.
    guide: HashMap<i64, (RiskLevel, i64)>,
}

fn add(f: &mut Figures, id: i64, m: Metric, n: i64) {
    *f.metrics.entry(id).or_default().entry(m).or_default() += n;
}

fn only_cond(col: impl ColumnTrait, only: Option<i64>) -> Condition {
    only.map_or_else(Condition::all, |id| Condition::all().add(col.eq(id)))
}

async fn read_points<C: ConnectionTrait>(db: &C, only: Option<i64>, f: &mut Figures) -> AppResult<()> {
    use risk_point::Column as P;
    let count = |c: Condition| Expr::from(Func::sum(Expr::case(c, 1).finally(0))).cast_as("BIGINT");
    let rows: Vec<(i64, RiskLevel, i64, i64, i64)> = risk_point::Entity::find()
        .select_only()
        .column(P::EnterpriseId)
        .column(P::Level)
        .column_as(P::Id.count(), "n")
        .column_as(count(Condition::all().add(P::InstallationGrade.lte(2))), "i12")
        .column_as(count(Condition::all().add(P::InstallationGrade.is_not_null())), "inst")
        .filter(only_cond(P::EnterpriseId, only))
        .group_by(P::EnterpriseId)
        .group_by(P::Level)
        .into_tuple()
        .all(db)
        .await?;
    for (id, level, n, i12, inst) in rows {
        if let Some(m) = level_metric(level) {
            add(f, id, m, n);
        }
        add(f, id, Metric::Points, n);
        add(f, id, Metric::Installations12, i12);
        add(f, id, Metric::Installations, inst);
    }
    read_open_major(db, only, f).await
}

/// Points with an open major hazard count as red (when the condition is enabled).
async fn read_open_major<C: ConnectionTrait>(db: &C, only: Option<i64>, f: &mut Figures) -> AppResult<()> {
    use risk_point::Column as P;
    let enabled =
        crate::risk::rules::in_force()?.direct_red.iter().any(|r| r.enabled && r.code == DirectRed::OpenMajorHazard);
    if !enabled {
        return Ok(());
    }
    let at: Vec<i64> = hazard::Entity::find()
        .select_only()
        .column(hazard::Column::RiskPointId)
        .filter(Expr::cust(r#""hazards"."is_open" = TRUE AND "hazards"."level" = 'major'"#))
        .filter(hazard::Column::RiskPointId.is_not_null())
        .filter(only_cond(hazard::Column::EnterpriseId, only))
        .distinct()
        .into_tuple::<Option<i64>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    for chunk in at.chunks(CHUNK) {
        let rows: Vec<(i64, RiskLevel)> = risk_point::Entity::find()
            .select_only()
            .column(P::EnterpriseId)
            .column(P::Level)
            .filter(P::Id.is_in(chunk.iter().copied()))
            .filter(P::Level.ne(RiskLevel::Red))
            .into_tuple()
            .all(db)
            .await?;
        for (id, level) in rows {
            if let Some(m) = level_metric(level) {
                add(f, id, m, -1);
            }
            add(f, id, Metric::RedPoints, 1);
        }
    }
    Ok(())
}

/// The metric counting points of a level (blue points count only among all points).
fn level_metric(level: RiskLevel) -> Option<Metric> {
    match level {
        RiskLevel::Red => Some(Metric::RedPoints),
        RiskLevel::Orange => Some(Metric::OrangePoints),
        RiskLevel::Yellow => Some(Metric::YellowPoints),
        RiskLevel::Blue => None,
    }
}

async fn read_ledger<C: ConnectionTrait>(
    db: &C,
    only: Option<i64>,
    today: NaiveDate,
    f: &mut Figures,
) -> AppResult<()> {
    use hazard::Column as H;
    let count = |c: Condition| Expr::from(Func::sum(Expr::case(c, 1).finally(0))).cast_as("BIGINT");
    let open_major = Condition::all().add(H::IsOpen.eq(true)).add(H::Level.eq("major"));
    let overdue = crate::hazard::list::overdue_on(today);
    let since = crate::clock::china_day_start(today - Duration::days(365));
    let found = Condition::all().add(H::Source.eq("inspection")).add(H::FoundAt.gte(since)).add(H::Status.ne("voided"));
    let rows: Vec<(Option<i64>, i64, i64, i64)> = hazard::Entity::find()
        .select_only()
        .column(H::EnterpriseId)
        .column_as(count(open_major.clone()), "open_major")
        .column_as(count(overdue.clone()), "overdue")
        .column_as(count(found.clone()), "found")
        .filter(H::EnterpriseId.is_not_null())
        .filter(only_cond(H::EnterpriseId, only))
        .filter(Condition::any().add(H::IsOpen.eq(true)).add(found))
        .group_by(H::EnterpriseId)
        .into_tuple()
        .all(db)
        .await?;
    for (id, open_major, overdue, found) in rows {
        let Some(id) = id else { continue };
        add(f, id, Metric::OpenMajorHazards, open_major);
        add(f, id, Metric::OverdueHazards, overdue);
        add(f, id, Metric::InspectionFindings1y, found);
    }
    Ok(())
}

type AccidentRow = (Option<i64>, AccidentGrade, i32, i32, DateTime<Utc>);
type EnterpriseRow = (i64, Sector, Option<String>, Option<RiskLevel>, Option<String>, Option<String>);
type Changes = HashMap<(Option<RiskLevel>, String, &'static str), Vec<i64>>;

async fn read_accidents<C: ConnectionTrait>(
    db: &C,
    only: Option<i64>,
    now: DateTime<Utc>,
    f: &mut Figures,
) -> AppResult<()> {
    use accident::Column as A;
    let rows: Vec<AccidentRow> = accident::Entity::find()
        .select_only()
        .columns([A::EnterpriseId, A::Grade, A::Deaths, A::Missing, A::OccurredAt])
        .filter(A::EnterpriseId.is_not_null())
        .filter(only_cond(A::EnterpriseId, only))
        .filter(A::OccurredAt.gte(now - Duration::days(3 * 365 + 1)))
        .into_tuple()
        .all(db)
        .await?;
    let year_ago = now - Duration::days(365);
    for (id, grade, deaths, missing, at) in rows {
        let Some(id) = id else { continue };
        let fatal = deaths + missing > 0;
        add(f, id, Metric::Accidents3y, 1);
        add(f, id, Metric::FatalAccidents3y, i64::from(fatal));
        let a = f.accidents.entry(id).or_default();
        match grade {
            AccidentGrade::EspeciallySerious | AccidentGrade::Serious => a.serious_or_worse_3y += 1,
            AccidentGrade::RelativelySerious => a.relatively_serious_3y += 1,
            AccidentGrade::General => a.fatal_general_1y += i64::from(fatal && at >= year_ago),
        }
    }
    Ok(())
}

async fn read_guide<C: ConnectionTrait>(db: &C, only: Option<i64>, today: NaiveDate, f: &mut Figures) -> AppResult<()> {
    use risk_assessment::Column as R;
    let rows: Vec<(i64, RiskLevel, i64)> = risk_assessment::Entity::find()
        .select_only()
        .columns([R::EnterpriseId, R::Grade, R::Id])
        .filter(R::ValidUntil.gte(today))
        .filter(only_cond(R::EnterpriseId, only))
        .order_by_asc(R::EnterpriseId)
        .order_by_desc(R::AssessedOn)
        .order_by_desc(R::Id)
        .into_tuple()
        .all(db)
        .await?;
    for (id, grade, aid) in rows {
        f.guide.entry(id).or_insert((grade, aid));
    }
    Ok(())
}

/// The outcome for one enterprise: grade, class, source and the inputs behind it.
pub struct Outcome {
    pub grade: Option<RiskLevel>,
    pub class: String,
    pub source: &'static str,
    pub inputs: serde_json::Value,
}

fn decide(rules: &GradingRules, e: &(i64, Sector, Option<String>), f: &Figures) -> Outcome {
    let (id, sector, installation) = e;
    let mut m = f.metrics.get(id).cloned().unwrap_or_default();
    // The register's own major-hazard grade counts as an installation.
    match installation.as_deref() {
        Some("grade1" | "grade2") => {
            *m.entry(Metric::Installations12).or_default() += 1;
            *m.entry(Metric::Installations).or_default() += 1;
        }
        Some("grade3" | "grade4") => *m.entry(Metric::Installations).or_default() += 1,
        _ => {}
    }
    let figures: serde_json::Map<String, serde_json::Value> =
        m.iter().filter(|(_, n)| **n != 0).map(|(k, n)| (k.zh().to_owned(), json!(n))).collect();
    let history = domain::accident_history(f.accidents.get(id).copied().unwrap_or_default());
    let guided = (*sector == Sector::HazardousChemicals).then(|| f.guide.get(id)).flatten();
    let (grade, source, because) = if let Some((grade, assessment)) = guided {
        let grade = if history { RiskLevel::Red } else { *grade };
        let because = if history {
            "事故台账：三年内事故情形（直接判定）".to_owned()
        } else {
            format!("评估诊断分级 #{assessment}")
        };
        (Some(grade), "guide", Some(because))
    } else {
        let v = domain::general(rules, &m);
        (v.grade, "computed", v.because)
    };
    let class = rules.classes.of(grade).to_owned();
    let note =
        (*sector == Sector::HazardousChemicals && guided.is_none()).then_some("无有效评估诊断分级，按通用规则计算");
    let inputs = json!({ "figures": figures, "because": because, "note": note });
    Outcome { grade, class, source, inputs }
}

/// Recomputes every enterprise (or only `only`), writing what changed.
pub async fn run<C: ConnectionTrait>(
    db: &C,
    at: DateTime<Utc>,
    only: Option<i64>,
    trigger: &str,
) -> AppResult<RunReport> {
    use enterprise::Column as E;
    let rules = super::rules::in_force()?;
    let today = crate::clock::china_date(at);
    let mut f = Figures::default();
    read_points(db, only, &mut f).await?;
    read_ledger(db, only, today, &mut f).await?;
    read_accidents(db, only, at, &mut f).await?;
    read_guide(db, only, today, &mut f).await?;
    let rows: Vec<EnterpriseRow> = enterprise::Entity::find()
        .select_only()
        .columns([E::Id, E::Sector, E::MajorHazardGrade, E::RiskGrade, E::SupervisionClass, E::GradingSource])
        .filter(only_cond(E::Id, only))
        .into_tuple()
        .all(db)
        .await?;
    let mut report = RunReport { rules_version: rules.version.clone(), ..RunReport::default() };
    let mut changes = Changes::new();
    let mut history = Vec::new();
    for (id, sector, installation, grade, class, source) in rows {
        report.enterprises += 1;
        if source.as_deref() == Some("override") {
            report.overridden += 1;
            continue;
        }
        let o = decide(rules, &(id, sector, installation), &f);
        if grade == o.grade && class.as_deref() == Some(o.class.as_str()) && source.as_deref() == Some(o.source) {
            continue;
        }
        report.changed += 1;
        history.push(enterprise_grading::ActiveModel {
            enterprise_id: Set(id),
            risk_grade: Set(o.grade),
            supervision_class: Set(o.class.clone()),
            source: Set(o.source.to_owned()),
            rules_version: Set(rules.version.clone()),
            inputs: Set(o.inputs.to_string()),
            reason: Set(None),
            decided_by: Set(None),
            decided_at: Set(at),
            ..Default::default()
        });
        changes.entry((o.grade, o.class, o.source)).or_default().push(id);
    }
    write(db, at, changes, history).await?;
    grading_run::Entity::insert(grading_run::ActiveModel {
        trigger: Set(trigger.to_owned()),
        rules_version: Set(rules.version.clone()),
        started_at: Set(at),
        finished_at: Set(std::cmp::max(Utc::now(), at)),
        enterprises: Set(i64::try_from(report.enterprises).unwrap_or(i64::MAX)),
        changed: Set(i64::try_from(report.changed).unwrap_or(i64::MAX)),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(report)
}

/// Writes the changed grades (one statement per outcome and chunk) and their history.
async fn write<C: ConnectionTrait>(
    db: &C,
    at: DateTime<Utc>,
    changes: Changes,
    mut history: Vec<enterprise_grading::ActiveModel>,
) -> AppResult<()> {
    use enterprise::Column as E;
    for ((grade, class, source), ids) in changes {
        for chunk in ids.chunks(CHUNK) {
            enterprise::Entity::update_many()
                .col_expr(E::RiskGrade, Expr::value(grade.map(|g| g.as_str().to_owned())))
                .col_expr(E::SupervisionClass, Expr::value(class.clone()))
                .col_expr(E::GradingSource, Expr::value(source))
                .col_expr(E::GradedAt, Expr::value(at))
                .filter(E::Id.is_in(chunk.iter().copied()))
                .exec(db)
                .await?;
        }
    }
    while !history.is_empty() {
        let rest = history.split_off(history.len().min(CHUNK));
        enterprise_grading::Entity::insert_many(std::mem::replace(&mut history, rest))
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// The day's recomputation by the jobs: runs unless one ran today (Beijing time).
pub async fn run_daily<C: ConnectionTrait>(db: &C, at: DateTime<Utc>) -> AppResult<Option<RunReport>> {
    let since = crate::clock::china_day_start(crate::clock::china_date(at));
    let done = grading_run::Entity::find()
        .filter(grading_run::Column::Trigger.eq("job"))
        .filter(grading_run::Column::StartedAt.gte(since))
        .one(db)
        .await?;
    if done.is_some() {
        return Ok(None);
    }
    Ok(Some(run(db, at, None, "job").await?))
}
