//! The nightly emergency-plan to-dos (a step of `crate::jobs`), each deduplicated by
//! key so a re-run adds nothing:
//! - an enterprise that must file and has no accepted filing: its 主要负责人 and
//!   安全管理人员 (`emergency_plan_unfiled:{enterprise}:{role}`, closed at acceptance);
//! - a high-risk enterprise's periodic evaluation due within the warning window or
//!   overdue (`emergency_plan_evaluation:{enterprise}:{due}:{soon|overdue}:{role}`,
//!   closed when a new filing is accepted);
//! - a drill of a filed plan kind due or overdue
//!   (`emergency_plan_drill:{enterprise}:{kind}:{due}:{soon|overdue}:{role}`, closed
//!   by recording a drill of that kind);
//! - each filing awaiting review, for the regulators of its bureau
//!   (`emergency_plan_review:{filing}:{round}`, closed by accepting or returning).
//!
//! Decisions: the evaluation clock starts at the earliest 评审/论证 date of the
//! enterprise's latest accepted filing; a drill's at the last drill of a plan of that
//! kind, else at the acceptance. Each run reads at most [`MAX_PER_RUN`] rows per kind.

use super::domain::{Due, FilingStatus, PlanKind, add_months, due_state};
use super::rules::{Rules, rules};
use super::unfiled::{accepted_sql, must_file_open};
use crate::auth::Role;
use crate::entities::{
    emergency_plan_document as doc, emergency_plan_drill as drill, emergency_plan_filing as filing, enterprise,
};
use crate::error::AppResult;
use crate::notice::{self, Notice};
use crate::todo::Assignee;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The most rows read per kind of to-do in one run.
pub const MAX_PER_RUN: u64 = 20_000;

/// What one run wrote (new to-dos of each kind).
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct EmergencyPlanReport {
    pub unfiled: u64,
    pub evaluations: u64,
    pub drills: u64,
    pub reviews: u64,
}

const SIDE: [Role; 2] = [Role::Principal, Role::SafetyOfficer];

fn to_enterprise(e: i64, kind: &'static str, title: &str, key: &str) -> Vec<Notice> {
    SIDE.iter()
        .map(|r| Notice {
            assignee: Assignee::EnterpriseRole(e, *r),
            todo_kind: kind,
            title: title.to_owned(),
            link: format!("/enterprises/{e}/emergency-plans"),
            mail: None,
            ctx: crate::mail::NoticeContext::default(),
            key: format!("{key}:{}", r.as_str()),
        })
        .collect()
}

/// Runs the step on `at` (the day is Beijing's).
pub async fn run<C: ConnectionTrait>(db: &C, at: DateTime<Utc>) -> AppResult<EmergencyPlanReport> {
    let today = crate::clock::china_date(at);
    let r = rules()?;
    let unfiled = notice::send(db, at, unfiled(db).await?).await?.todos;
    let (evaluations, drills) = periodic(db, r, today).await?;
    let mut report = EmergencyPlanReport { unfiled, ..Default::default() };
    for (due, notices) in evaluations {
        let keys = notices.iter().map(|n| n.key.clone()).collect();
        report.evaluations += notice::send(db, at, notices).await?.todos;
        crate::todo::set_due(db, keys, Some(due)).await?;
    }
    for (due, notices) in drills {
        let keys = notices.iter().map(|n| n.key.clone()).collect();
        report.drills += notice::send(db, at, notices).await?.todos;
        crate::todo::set_due(db, keys, Some(due)).await?;
    }
    report.reviews = notice::send(db, at, reviews(db).await?).await?.todos;
    Ok(report)
}

async fn unfiled<C: ConnectionTrait>(db: &C) -> AppResult<Vec<Notice>> {
    let rows: Vec<(i64, String)> = enterprise::Entity::find()
        .select_only()
        .column(enterprise::Column::Id)
        .column(enterprise::Column::Name)
        .filter(must_file_open()?)
        .filter(Expr::cust(format!("NOT {}", accepted_sql("enterprises", None))))
        .order_by_asc(enterprise::Column::Id)
        .limit(MAX_PER_RUN)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .flat_map(|(id, name)| {
            let title = format!("{name}应当向负有安全生产监督管理职责的部门备案生产安全事故应急预案，目前尚未备案");
            to_enterprise(id, "emergency_plan_unfiled", &title, &format!("emergency_plan_unfiled:{id}"))
        })
        .collect())
}

async fn reviews<C: ConnectionTrait>(db: &C) -> AppResult<Vec<Notice>> {
    let rows = filing::Entity::find()
        .filter(filing::Column::Status.eq(FilingStatus::Submitted))
        .order_by_asc(filing::Column::Id)
        .limit(MAX_PER_RUN)
        .all(db)
        .await?;
    let names: HashMap<i64, String> = enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(rows.iter().map(|f| f.enterprise_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|f| Notice {
            assignee: Assignee::BureauRole(f.bureau_id, Role::Regulator),
            todo_kind: "emergency_plan_review",
            title: format!("{}报备的应急预案待审核（受理备案或退回）", names.get(&f.enterprise_id).map_or("", |n| n)),
            link: format!("/emergency-plans/{}", f.id),
            mail: None,
            ctx: crate::mail::NoticeContext::default(),
            key: format!("emergency_plan_review:{}:{}", f.id, f.round),
        })
        .collect())
}

/// The latest accepted filing of each open enterprise, with its facts.
struct Filed {
    filing: filing::Model,
    name: String,
    high_risk: bool,
}

async fn latest_filed<C: ConnectionTrait>(db: &C, r: &Rules) -> AppResult<Vec<Filed>> {
    let rows: Vec<(i64, String, bool)> = enterprise::Entity::find()
        .select_only()
        .column(enterprise::Column::Id)
        .column(enterprise::Column::Name)
        .column_as(Expr::cust(format!("CASE WHEN {} THEN TRUE ELSE FALSE END", r.high_risk_sql("enterprises"))), "h")
        .filter(enterprise::Column::Status.ne(crate::enterprise::domain::EnterpriseStatus::Closed))
        .filter(Expr::cust(accepted_sql("enterprises", None)))
        .order_by_asc(enterprise::Column::Id)
        .limit(MAX_PER_RUN)
        .into_tuple()
        .all(db)
        .await?;
    let facts: HashMap<i64, (String, bool)> = rows.into_iter().map(|(id, n, h)| (id, (n, h))).collect();
    let mut latest: BTreeMap<i64, filing::Model> = BTreeMap::new();
    for f in filing::Entity::find()
        .filter(filing::Column::Status.eq(FilingStatus::Accepted))
        .filter(filing::Column::EnterpriseId.is_in(facts.keys().copied()))
        .order_by_asc(filing::Column::AcceptedOn)
        .order_by_asc(filing::Column::Id)
        .all(db)
        .await?
    {
        latest.insert(f.enterprise_id, f);
    }
    Ok(latest
        .into_values()
        .filter_map(|f| {
            let (name, high_risk) = facts.get(&f.enterprise_id)?.clone();
            Some(Filed { filing: f, name, high_risk })
        })
        .collect())
}

type Batches = Vec<(NaiveDate, Vec<Notice>)>;

fn state_word(s: Due) -> Option<&'static str> {
    match s {
        Due::NotYet => None,
        Due::Soon => Some("soon"),
        Due::Overdue => Some("overdue"),
    }
}

async fn periodic<C: ConnectionTrait>(db: &C, r: &Rules, today: NaiveDate) -> AppResult<(Batches, Batches)> {
    let filed = latest_filed(db, r).await?;
    let ids: Vec<i64> = filed.iter().map(|f| f.filing.id).collect();
    let docs = doc::Entity::find().filter(doc::Column::FilingId.is_in(ids)).all(db).await?;
    let last_drills: HashMap<(i64, PlanKind), NaiveDate> = drill::Entity::find()
        .select_only()
        .column(drill::Column::EnterpriseId)
        .column(drill::Column::PlanKind)
        .column_as(drill::Column::DrilledOn.max(), "d")
        .filter(drill::Column::EnterpriseId.is_in(filed.iter().map(|f| f.filing.enterprise_id)))
        .group_by(drill::Column::EnterpriseId)
        .group_by(drill::Column::PlanKind)
        .into_tuple::<(i64, PlanKind, NaiveDate)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(e, k, d)| ((e, k), d))
        .collect();
    let (mut evaluations, mut drills) = (Vec::new(), Vec::new());
    for f in &filed {
        let mine: Vec<&doc::Model> = docs.iter().filter(|d| d.filing_id == f.filing.id).collect();
        let e = f.filing.enterprise_id;
        if let Some(first) = mine.iter().map(|d| d.evaluated_on).min().filter(|_| f.high_risk) {
            let due = add_months(first, r.evaluation.every_months);
            if let Some(w) = state_word(due_state(due, today, r.evaluation.due_soon_days)) {
                let title = format!("{}的生产安全事故应急预案应于 {due} 前完成定期评估", f.name);
                let key = format!("emergency_plan_evaluation:{e}:{due}:{w}");
                evaluations.push((due, to_enterprise(e, "emergency_plan_evaluation", &title, &key)));
            }
        }
        let kinds: HashSet<PlanKind> = mine.iter().map(|d| d.kind).collect();
        for kind in PlanKind::ALL.iter().copied().filter(|k| kinds.contains(k)) {
            let accepted = f.filing.accepted_on.unwrap_or(today);
            let base = last_drills.get(&(e, kind)).copied().unwrap_or(accepted);
            let due = add_months(base, r.drill_months(kind, f.high_risk));
            if let Some(w) = state_word(due_state(due, today, r.drills.due_soon_days)) {
                let title = format!("{}的{}应于 {due} 前组织演练", f.name, kind.zh());
                let key = format!("emergency_plan_drill:{e}:{}:{due}:{w}", kind.as_str());
                drills.push((due, to_enterprise(e, "emergency_plan_drill", &title, &key)));
            }
        }
    }
    Ok((evaluations, drills))
}
