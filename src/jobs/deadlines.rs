//! The deadline scanner: reminders, overdue notices, escalation of major
//! hazards and the review reminder, each (hazard, step) exactly once.
//!
//! Each rule is one set-based statement, `INSERT INTO hazard_notices … SELECT
//! … FROM hazards WHERE … ON CONFLICT (hazard_id, step) DO NOTHING RETURNING
//! hazard_id`: the unique index on `(hazard_id, step)` decides, in the database,
//! which notices are new, whatever the number of runs or processes. The step
//! names the deadline (or the version) it is about, so an extended deadline is
//! reminded again. Only the hazards a statement returns are then loaded to
//! write their to-dos and mails, in the same transaction.
//!
//! Who hears what (issue rules, practice.md O2):
//! - due within `due_soon_days`: the enterprise;
//! - overdue: the enterprise; for inspection-ordered, regulator-closed and major
//!   hazards also the supervising regulators (not for self-found general ones);
//! - major overdue `escalate_after_days` or more: the parent bureau's regulators;
//! - major pending verification `review_after_days` without review: the
//!   supervising regulators.

use crate::audit::AuditCtx;
use crate::entities::{bureau, hazard};
use crate::error::AppResult;
use crate::hazard::notify::{context, enterprise_roles, link, regulators};
use crate::mail::Kind;
use crate::notice::Notice;
use crate::todo::Assignee;
use chrono::{Duration, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Value};
use std::collections::HashMap;

/// Thresholds, in days (`ANJIAN_DUE_SOON_DAYS`, `ANJIAN_ESCALATE_AFTER_DAYS`, `ANJIAN_REVIEW_AFTER_DAYS`).
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    pub due_soon_days: i64,
    pub escalate_after_days: i64,
    pub review_after_days: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self { due_soon_days: 3, escalate_after_days: 7, review_after_days: 10 }
    }
}

impl Thresholds {
    pub fn from_env() -> Self {
        let get = |name: &str, default: i64| {
            std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).filter(|v| *v >= 0).unwrap_or(default)
        };
        let d = Self::default();
        Self {
            due_soon_days: get("ANJIAN_DUE_SOON_DAYS", d.due_soon_days),
            escalate_after_days: get("ANJIAN_ESCALATE_AFTER_DAYS", d.escalate_after_days),
            review_after_days: get("ANJIAN_REVIEW_AFTER_DAYS", d.review_after_days),
        }
    }
}

/// New notices per rule in one run.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct DeadlineReport {
    pub due_soon: usize,
    pub overdue: usize,
    pub escalated: usize,
    pub review_pending: usize,
}

/// A rule: the step prefix, the SQL condition (placeholders `$3`, `$4`) and its values.
struct Rule {
    step: &'static str,
    /// The column whose text completes the step name.
    step_of: &'static str,
    condition: String,
    values: Vec<Value>,
}

fn rules(today: NaiveDate, at: chrono::DateTime<chrono::Utc>, t: Thresholds) -> Vec<Rule> {
    let open = "is_open = TRUE AND status IN ('assigned', 'rectifying')";
    vec![
        Rule {
            step: "due_soon",
            step_of: "deadline",
            condition: format!("{open} AND deadline >= $3 AND deadline <= $4"),
            values: vec![today.into(), (today + Duration::days(t.due_soon_days)).into()],
        },
        Rule {
            step: "overdue",
            step_of: "deadline",
            condition: format!("{open} AND deadline < $3"),
            values: vec![today.into()],
        },
        Rule {
            step: "escalated",
            step_of: "deadline",
            condition: format!("{open} AND level = 'major' AND deadline <= $3"),
            values: vec![(today - Duration::days(t.escalate_after_days)).into()],
        },
        Rule {
            step: "review_pending",
            step_of: "version",
            condition:
                "is_open = TRUE AND level = 'major' AND status = 'pending_verification' AND status_changed_at <= $3"
                    .to_owned(),
            values: vec![(at - Duration::days(t.review_after_days)).into()],
        },
    ]
}

/// Claims the rule's new (hazard, step) pairs; returns the hazard ids.
async fn claim<C: ConnectionTrait>(db: &C, at: chrono::DateTime<chrono::Utc>, rule: &Rule) -> AppResult<Vec<i64>> {
    let backend = db.get_database_backend();
    let step_text = format!("CAST({} AS TEXT)", rule.step_of);
    let sql = format!(
        "INSERT INTO hazard_notices (hazard_id, step, created_at) \
         SELECT id, $1 || {step_text}, $2 FROM hazards WHERE {} \
         ON CONFLICT (hazard_id, step) DO NOTHING RETURNING hazard_id",
        rule.condition
    );
    let mut values: Vec<Value> = vec![format!("{}:", rule.step).into(), at.into()];
    values.extend(rule.values.iter().cloned());
    let rows = db.query_all_raw(crate::db::raw(backend, &sql, values)).await?;
    rows.iter().map(|r| r.try_get::<i64>("", "hazard_id").map_err(Into::into)).collect()
}

/// The parent bureau of each bureau.
async fn parents<C: ConnectionTrait>(db: &C, ids: &[i64]) -> AppResult<HashMap<i64, i64>> {
    let rows = bureau::Entity::find().filter(bureau::Column::Id.is_in(ids.iter().copied())).all(db).await?;
    Ok(rows.into_iter().filter_map(|b| Some((b.id, b.parent_id?))).collect())
}

/// Enterprise names by id, for a batch of hazards.
async fn names<C: ConnectionTrait>(db: &C, hazards: &[hazard::Model]) -> AppResult<HashMap<i64, String>> {
    let ids: Vec<i64> = hazards.iter().filter_map(|h| h.enterprise_id).collect();
    let rows: Vec<(i64, String)> = crate::entities::enterprise::Entity::find()
        .select_only()
        .column(crate::entities::enterprise::Column::Id)
        .column(crate::entities::enterprise::Column::Name)
        .filter(crate::entities::enterprise::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Loads the claimed hazards and writes their notices, 500 at a time.
async fn notify<C: ConnectionTrait>(db: &C, ctx: &AuditCtx, step: &str, ids: Vec<i64>) -> AppResult<()> {
    let today = crate::clock::china_date(ctx.at);
    for chunk in ids.chunks(500) {
        let hazards = hazard::Entity::find().filter(hazard::Column::Id.is_in(chunk.iter().copied())).all(db).await?;
        let bureau_ids: Vec<i64> = hazards.iter().map(|h| h.bureau_id).collect();
        let parent = if step == "escalated" { parents(db, &bureau_ids).await? } else { HashMap::new() };
        let names = names(db, &hazards).await?;
        let mut notices = Vec::new();
        for h in &hazards {
            let name = h.enterprise_id.and_then(|e| names.get(&e).cloned()).unwrap_or_else(|| "未登记主体".to_owned());
            for (i, (kind, mail, title, who)) in recipients(step, h, &parent).into_iter().enumerate() {
                let mail_ctx = context(h, &name, today, None);
                let key =
                    format!("hazard:{}:{step}:{}:{i}", h.id, h.deadline.map(|d| d.to_string()).unwrap_or_default());
                let title = format!("{title}：{}（{name}）", h.title);
                notices.push(Notice {
                    assignee: who,
                    todo_kind: kind,
                    title,
                    link: link(h.id),
                    mail: Some(mail),
                    ctx: mail_ctx,
                    key,
                });
            }
        }
        crate::notice::send(db, ctx.at, notices).await?;
    }
    Ok(())
}

type Recipient = (&'static str, Kind, &'static str, Assignee);

fn recipients(step: &str, h: &hazard::Model, parent: &HashMap<i64, i64>) -> Vec<Recipient> {
    let to_enterprise = |kind, mail, title| enterprise_roles(h).into_iter().map(move |a| (kind, mail, title, a));
    let to_regulators = |b: i64, kind, mail, title| regulators(b).into_iter().map(move |a| (kind, mail, title, a));
    match step {
        "due_soon" => to_enterprise("hazard_due_soon", Kind::HazardDueSoon, "整改即将到期").collect(),
        "overdue" => {
            let mut v: Vec<Recipient> = to_enterprise("hazard_overdue", Kind::HazardOverdue, "整改已逾期").collect();
            if h.closure != "enterprise" {
                v.extend(to_regulators(h.bureau_id, "hazard_overdue", Kind::HazardOverdueRegulator, "隐患整改逾期"));
            }
            v
        }
        "escalated" => match parent.get(&h.bureau_id) {
            Some(p) => to_regulators(*p, "hazard_escalated", Kind::HazardEscalated, "重大隐患逾期未整改").collect(),
            None => Vec::new(),
        },
        _ => to_regulators(h.bureau_id, "hazard_review_pending", Kind::HazardReviewPending, "重大隐患待现场审查超期")
            .collect(),
    }
}

/// Runs every rule as of `ctx.at` inside the caller's transaction.
pub async fn run<C: ConnectionTrait>(db: &C, ctx: &AuditCtx, t: Thresholds) -> AppResult<DeadlineReport> {
    let today = crate::clock::china_date(ctx.at);
    let mut report = DeadlineReport::default();
    for rule in rules(today, ctx.at, t) {
        let ids = claim(db, ctx.at, &rule).await?;
        let n = ids.len();
        notify(db, ctx, rule.step, ids).await?;
        match rule.step {
            "due_soon" => report.due_soon = n,
            "overdue" => report.overdue = n,
            "escalated" => report.escalated = n,
            _ => report.review_pending = n,
        }
    }
    Ok(report)
}
