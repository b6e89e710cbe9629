//! The deadline scanner: reminders, overdue notices, escalation of major
//! hazards, the review reminder and the timers of the earlier steps, each
//! (hazard, step) exactly once.
//!
//! Each rule is one set-based statement, `INSERT INTO hazard_notices … SELECT
//! … FROM hazards WHERE … ON CONFLICT (hazard_id, step) DO NOTHING RETURNING
//! hazard_id`: the unique index on `(hazard_id, step)` decides, in the database,
//! which notices are new, whatever the number of runs or processes. The step
//! names the deadline (or the instant) it is about, so an extended deadline is
//! reminded again. The to-dos and mails of the hazards a statement returns are
//! then written in the same transaction ([`super::deadline_notices`]).
//!
//! Who hears what (issue rules, practice.md O2):
//! - due within `due_soon_days` calendar days: the enterprise;
//! - overdue: the enterprise; for inspection-ordered, regulator-closed and major
//!   hazards also the supervising regulators (not for self-found general ones);
//! - major overdue by `escalate_after_days` working days: the parent bureau's regulators;
//! - major pending verification, not reviewed within `review_after_days`
//!   working days: the supervising regulators;
//! - **核查**: a hazard reported through a bureau channel (recorded by a bureau
//!   user: tip-off, media, employee report, grid patrol, referral …) still
//!   `reported` after `check_days` working days: the supervising regulators;
//! - **待交办**: a confirmed major hazard not assigned within `assign_days`
//!   working days: the supervising regulators, never the enterprise (it owes
//!   nothing yet, and the hazard is not overdue: see `hazard::domain::is_overdue`);
//! - **治理方案**: an assigned major hazard without a plan `plan_days` working
//!   days after 交办: the enterprise.
//! - **复查** ([`inspection_timers`]): an inspection's open hazard whose ordered
//!   deadline has arrived: a 复查 to-do for the ordering team's inspectors (not every
//!   inspector of the bureau); one still owed (not submitted) after its deadline: a
//!   to-do for the same team that it may be filed as a case (WSL art. 102).
//!
//! Working days follow [`crate::calendar`] (holidays and make-up days). A step
//! taken on day `s` with `n` working days is late from the day after the
//! `n`-th working day after `s`; a deadline `d` is `n` working days overdue on
//! the `n`-th working day after `d`.
//!
//! Defaults and their basis (each overridable by its environment variable):
//! - `ANJIAN_REVIEW_AFTER_DAYS` = 7 working days: 16号令 art. 23 asks for the
//!   on-site review "within 10 days" of the application; 7 working days are
//!   about 10 calendar days (the conversion is ours).
//! - `ANJIAN_ESCALATE_AFTER_DAYS` = 5 working days (a calendar week): our choice;
//!   no rule fixes when an overdue major hazard goes to the superior bureau.
//! - `ANJIAN_CHECK_DAYS` = 5 working days: our choice; the bureau should 核查 a
//!   tip-off promptly, and the reward rules leave the period to each bureau.
//! - `ANJIAN_ASSIGN_DAYS` = 5 working days: our choice; 16号令 art. 20 names no period.
//! - `ANJIAN_PLAN_DAYS` = 10 working days: our choice; 16号令 art. 15 asks for a
//!   plan without a period, and bureaus' 督办 notices commonly give two weeks.
//! - `ANJIAN_DUE_SOON_DAYS` = 3 calendar days ahead of a deadline.

use crate::audit::AuditCtx;
use crate::calendar::Calendar;
use crate::entities::hazard;
use crate::error::AppResult;
use chrono::{Duration, NaiveDate};
use sea_orm::{ConnectionTrait, Value};

/// Thresholds: `due_soon_days` in calendar days, the others in working days.
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    pub due_soon_days: i64,
    pub escalate_after_days: u32,
    pub review_after_days: u32,
    pub check_days: u32,
    pub assign_days: u32,
    pub plan_days: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            due_soon_days: 3,
            escalate_after_days: 5,
            review_after_days: 7,
            check_days: 5,
            assign_days: 5,
            plan_days: 10,
        }
    }
}

fn env_days(name: &str) -> Option<u32> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).filter(|v| *v <= 365)
}

impl Thresholds {
    pub fn from_env() -> Self {
        let d = Self::default();
        Self {
            due_soon_days: env_days("ANJIAN_DUE_SOON_DAYS").map_or(d.due_soon_days, i64::from),
            escalate_after_days: env_days("ANJIAN_ESCALATE_AFTER_DAYS").unwrap_or(d.escalate_after_days),
            review_after_days: env_days("ANJIAN_REVIEW_AFTER_DAYS").unwrap_or(d.review_after_days),
            check_days: env_days("ANJIAN_CHECK_DAYS").unwrap_or(d.check_days),
            assign_days: env_days("ANJIAN_ASSIGN_DAYS").unwrap_or(d.assign_days),
            plan_days: env_days("ANJIAN_PLAN_DAYS").unwrap_or(d.plan_days),
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
    /// Bureau-channel reports not checked (核查) in time.
    pub check_late: usize,
    /// Confirmed major hazards not assigned (交办) in time.
    pub assign_late: usize,
    /// Assigned major hazards without a 治理方案 in time.
    pub plan_late: usize,
}

/// The latest day `s` (at most a year back) for which `late(s)` holds; days
/// before it hold too, as the working-day arithmetic is monotonic.
fn latest(today: NaiveDate, late: impl Fn(NaiveDate) -> bool) -> NaiveDate {
    let mut s = today;
    for _ in 0..400 {
        if late(s) {
            return s;
        }
        s = s.pred_opt().unwrap_or(s);
    }
    s
}

/// Steps taken on or before this day, with `n` working days for the next, are late today.
pub fn late_if_started_by(cal: &Calendar, today: NaiveDate, n: u32) -> NaiveDate {
    latest(today, |s| cal.add_working_days(s, n).date < today)
}

/// Deadlines on or before this day are `n` working days overdue today.
pub fn overdue_by_if_due_by(cal: &Calendar, today: NaiveDate, n: u32) -> NaiveDate {
    latest(today, |d| cal.add_working_days(d, n).date <= today)
}

/// The date the step a hazard now awaits is due, for its to-do: 核查 or 认定
/// of a report, 交办, the 治理方案 and the on-site review by the thresholds in
/// working days from the day the hazard entered its state; rectification by
/// the deadline. `None` where no period applies (e.g. the enterprise's own 验收).
pub async fn step_due<C: ConnectionTrait>(db: &C, h: &hazard::Model) -> AppResult<Option<NaiveDate>> {
    use crate::hazard::domain::{Closure, Status};
    let t = Thresholds::from_env();
    let since = |at| crate::clock::china_date(at);
    let (start, n) = match h.status {
        Status::Reported => (since(h.status_changed_at), t.check_days),
        Status::Confirmed if h.closure == Closure::Major => (since(h.status_changed_at), t.assign_days),
        Status::Assigned => (since(h.assigned_at.unwrap_or(h.status_changed_at)), t.plan_days),
        Status::PendingVerification if h.closure == Closure::Major => (since(h.status_changed_at), t.review_after_days),
        Status::Rectifying => return Ok(h.deadline),
        _ => return Ok(None),
    };
    let cal = crate::calendar::load(db).await?;
    Ok(Some(cal.add_working_days(start, n).date))
}

/// A rule: the step prefix, the SQL condition (placeholders `$3`, `$4`) and its values.
struct Rule {
    step: &'static str,
    /// The column whose text completes the step name.
    step_of: &'static str,
    condition: String,
    values: Vec<Value>,
}

/// Reported by someone other than an enterprise user: a bureau channel.
const BUREAU_CHANNEL: &str = "NOT EXISTS (SELECT 1 FROM user_enterprises ue WHERE ue.user_id = hazards.created_by)";

fn timer_rules(today: NaiveDate, cal: &Calendar, t: Thresholds) -> Vec<Rule> {
    // An instant before the Beijing day after `late_if_started_by`.
    let started_before = |n| {
        let day = late_if_started_by(cal, today, n);
        Value::from(crate::clock::china_day_start(day.succ_opt().unwrap_or(day)))
    };
    vec![
        Rule {
            step: "check_late",
            step_of: "status_changed_at",
            condition: format!(
                "is_open = TRUE AND status = 'reported' AND {BUREAU_CHANNEL} AND status_changed_at < $3"
            ),
            values: vec![started_before(t.check_days)],
        },
        Rule {
            step: "assign_late",
            step_of: "status_changed_at",
            condition: "is_open = TRUE AND level = 'major' AND status = 'confirmed' AND status_changed_at < $3"
                .to_owned(),
            values: vec![started_before(t.assign_days)],
        },
        Rule {
            step: "plan_late",
            step_of: "assigned_at",
            condition: "is_open = TRUE AND level = 'major' AND status IN ('assigned', 'rectifying') \
                        AND plan_measures IS NULL AND assigned_at < $3"
                .to_owned(),
            values: vec![started_before(t.plan_days)],
        },
        Rule {
            step: "review_pending",
            step_of: "version",
            condition: "is_open = TRUE AND level = 'major' AND status = 'pending_verification' \
                        AND status_changed_at < $3"
                .to_owned(),
            values: vec![started_before(t.review_after_days)],
        },
    ]
}

fn rules(today: NaiveDate, cal: &Calendar, t: Thresholds) -> Vec<Rule> {
    // The overdue rule (`hazard::domain::is_overdue`): only where rectification is owed.
    let owed = crate::hazard::domain::OWED.map(|s| format!("'{}'", s.as_str())).join(", ");
    let open = format!("is_open = TRUE AND status IN ({owed})");
    let mut out = vec![
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
            values: vec![overdue_by_if_due_by(cal, today, t.escalate_after_days).into()],
        },
    ];
    out.extend(timer_rules(today, cal, t));
    out
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

/// The ordering team's to-dos for an inspection's hazards (see the module's doc
/// comment): one set-based insert per rule, deduplicated by the to-do's key.
pub async fn inspection_timers<C: ConnectionTrait>(db: &C, ctx: &AuditCtx) -> AppResult<u64> {
    let today = crate::clock::china_date(ctx.at);
    let owed = crate::hazard::domain::OWED.map(|s| format!("'{}'", s.as_str())).join(", ");
    let rules = [
        ("inspection_reinspect", "due", "整改期限已到，待复查：", "h.deadline <= $4".to_owned()),
        (
            "inspection_order_overdue",
            "overdue",
            "逾期未整改，可依《安全生产法》第一百零二条立案：",
            format!("h.deadline < $4 AND h.status IN ({owed})"),
        ),
    ];
    let mut n = 0;
    for (kind, step, prefix, condition) in rules {
        let sql = format!(
            "INSERT INTO todos (user_id, kind, title, link, dedupe_key, created_at, due_on) \
             SELECT m.user_id, $1, $2 || SUBSTR(h.title, 1, 100), \
             '/inspections/' || CAST(h.inspection_id AS TEXT) || '/record', \
             'inspection:' || CAST(h.inspection_id AS TEXT) || ':hazard:' || CAST(h.id AS TEXT) || ':{step}:' \
             || CAST(m.user_id AS TEXT), $3, h.deadline \
             FROM hazards h JOIN inspection_members m ON m.inspection_id = h.inspection_id \
             WHERE h.inspection_id IS NOT NULL AND h.is_open = TRUE AND m.role <> 'expert' AND {condition} \
             ON CONFLICT (dedupe_key) DO NOTHING"
        );
        // Placeholders become positional on SQLite: each appears once, in order.
        let values: Vec<Value> = vec![kind.into(), prefix.into(), ctx.at.into(), today.into()];
        let done = db.execute_raw(crate::db::raw(db.get_database_backend(), &sql, values)).await?;
        n += done.rows_affected();
    }
    Ok(n)
}

/// Runs every rule as of `ctx.at` inside the caller's transaction.
pub async fn run<C: ConnectionTrait>(db: &C, ctx: &AuditCtx, t: Thresholds) -> AppResult<DeadlineReport> {
    let today = crate::clock::china_date(ctx.at);
    let cal = crate::calendar::load(db).await?;
    let mut report = DeadlineReport::default();
    for rule in rules(today, &cal, t) {
        let started = std::time::Instant::now();
        let mut ids = claim(db, ctx.at, &rule).await?;
        // In id order, each chunk of notices reads neighbouring rows of the ledger.
        ids.sort_unstable();
        let n = ids.len();
        let claimed = started.elapsed();
        super::deadline_notices::notify(db, ctx, rule.step, &ids).await?;
        tracing::debug!(step = rule.step, n, ?claimed, notified = ?started.elapsed(), "deadline rule");
        let slot = match rule.step {
            "due_soon" => &mut report.due_soon,
            "overdue" => &mut report.overdue,
            "escalated" => &mut report.escalated,
            "check_late" => &mut report.check_late,
            "assign_late" => &mut report.assign_late,
            "plan_late" => &mut report.plan_late,
            _ => &mut report.review_pending,
        };
        *slot = n;
    }
    let team = inspection_timers(db, ctx).await?;
    tracing::debug!(n = team, "inspection timers");
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn a_step_is_late_the_day_after_its_last_working_day() {
        let cal = Calendar::new([]);
        // Submitted Sunday 2026-11-22: the 7th working day is Tuesday 12-01, late from 12-02.
        assert_eq!(cal.add_working_days(d("2026-11-22"), 7).date, d("2026-12-01"));
        assert!(late_if_started_by(&cal, d("2026-12-01"), 7) < d("2026-11-22"));
        assert_eq!(late_if_started_by(&cal, d("2026-12-02"), 7), d("2026-11-22"));
    }

    #[test]
    fn a_deadline_is_five_working_days_overdue_a_week_later() {
        let cal = Calendar::new([]);
        assert_eq!(overdue_by_if_due_by(&cal, d("2026-12-08"), 5), d("2026-12-01"));
        assert!(overdue_by_if_due_by(&cal, d("2026-12-07"), 5) < d("2026-12-01"));
    }

    #[test]
    fn defaults_are_in_working_days_and_the_timers_are_on() {
        let t = Thresholds::default();
        assert_eq!((t.check_days, t.assign_days, t.plan_days, t.review_after_days), (5, 5, 10, 7));
        let rules = rules(d("2026-12-08"), &Calendar::new([]), t);
        let steps: Vec<&str> = rules.iter().map(|r| r.step).collect();
        assert_eq!(
            steps,
            ["due_soon", "overdue", "escalated", "check_late", "assign_late", "plan_late", "review_pending"]
        );
    }
}
