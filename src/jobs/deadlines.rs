//! The deadline scanner: reminders, overdue notices, escalation of major
//! hazards and the review reminder, each (hazard, step) exactly once.
//!
//! Each rule is one set-based statement, `INSERT INTO hazard_notices … SELECT
//! … FROM hazards WHERE … ON CONFLICT (hazard_id, step) DO NOTHING RETURNING
//! hazard_id`: the unique index on `(hazard_id, step)` decides, in the database,
//! which notices are new, whatever the number of runs or processes. The step
//! names the deadline (or the version) it is about, so an extended deadline is
//! reminded again. The to-dos and mails of the hazards a statement returns are
//! then written in the same transaction ([`super::deadline_notices`]).
//!
//! Who hears what (issue rules, practice.md O2):
//! - due within `due_soon_days`: the enterprise;
//! - overdue: the enterprise; for inspection-ordered, regulator-closed and major
//!   hazards also the supervising regulators (not for self-found general ones);
//! - major overdue `escalate_after_days` or more: the parent bureau's regulators;
//! - major pending verification `review_after_days` without review: the
//!   supervising regulators.

use crate::audit::AuditCtx;
use crate::error::AppResult;
use chrono::{Duration, NaiveDate};
use sea_orm::{ConnectionTrait, Value};

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
    // The overdue rule (`hazard::domain::is_overdue`): only where rectification is owed.
    let owed = crate::hazard::domain::OWED.map(|s| format!("'{}'", s.as_str())).join(", ");
    let open = format!("is_open = TRUE AND status IN ({owed})");
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

/// Runs every rule as of `ctx.at` inside the caller's transaction.
pub async fn run<C: ConnectionTrait>(db: &C, ctx: &AuditCtx, t: Thresholds) -> AppResult<DeadlineReport> {
    let today = crate::clock::china_date(ctx.at);
    let mut report = DeadlineReport::default();
    for rule in rules(today, ctx.at, t) {
        let started = std::time::Instant::now();
        let mut ids = claim(db, ctx.at, &rule).await?;
        // In id order, each chunk of notices reads neighbouring rows of the ledger.
        ids.sort_unstable();
        let n = ids.len();
        let claimed = started.elapsed();
        super::deadline_notices::notify(db, ctx, rule.step, &ids).await?;
        tracing::debug!(step = rule.step, n, ?claimed, notified = ?started.elapsed(), "deadline rule");
        match rule.step {
            "due_soon" => report.due_soon = n,
            "overdue" => report.overdue = n,
            "escalated" => report.escalated = n,
            _ => report.review_pending = n,
        }
    }
    Ok(report)
}
