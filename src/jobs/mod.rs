//! Background jobs: the deadline scanner, the bulletin builder, the
//! statistics reminders, the self-inspection tasks due by plan, the late
//! double-random publications, the day's grading, the risk-point reviews due and
//! the accidents' overdue reports and measures, the penalty cases' alerts, the day's
//! credit events and scores, the special-operation certificates' to-dos,
//! then the outbox. `anjian jobs run --once [--at T]` runs every due job as of T and
//! sends the outbox before it exits; `serve` runs them every
//! `ANJIAN_JOBS_INTERVAL` seconds (default 300) unless `ANJIAN_JOBS=off`.
//! Every job is idempotent (see [`deadlines`]), so several processes may run
//! them at once. Each job runs in a write transaction of its own (a failing
//! bulletin build does not roll back the deadline notices) and in a span
//! named after it; the last purges [`crate::idempotency`] keys past their 7 days.

mod deadline_notices;
pub mod deadlines;

use crate::error::AppResult;
use crate::state::AppState;
use crate::write::{Touched, Tx};
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument;

/// What one run did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct RunReport {
    pub deadlines: deadlines::DeadlineReport,
    /// Bulletins built for the last completed period.
    pub bulletins: usize,
    pub statistics: crate::statistics::jobs::StatisticsReport,
    /// Idempotency keys past their retention, deleted.
    pub idempotency_purged: u64,
    /// Jobs that failed in this run (each rolled back alone and logged).
    pub failed: Vec<&'static str>,
    /// Expired resumable uploads removed with their partial files.
    pub uploads_swept: u64,
    /// Self-inspection tasks generated from plans for the current period.
    pub self_inspection: crate::self_inspection::generate::GenerateReport,
    /// Double-random results past their publication deadline, flagged to the bureau.
    pub draw_publication: crate::draw::publish::LateReport,
    /// The day's recomputation of enterprise grades (`None`: already done today).
    pub grading: Option<crate::grading::compute::RunReport>,
    /// Risk points whose review is due, flagged to their enterprises.
    pub risk_reviews: crate::risk::review::ReviewReport,
    /// Accidents' upward reports and 整改措施 past due, flagged to the bureau.
    pub accidents: crate::accident::overdue::OverdueReport,
    /// Penalty cases: enterprises meeting 安全生产法 art. 113, decisions not published in time.
    pub penalties: PenaltyReport,
    /// The day's credit events and scores (`None`: already done today).
    pub credit: Option<crate::credit::recompute::CreditRunReport>,
    /// The dishonesty list: proposals from the records, listings removed at expiry.
    pub dishonesty: DishonestyReport,
    /// 安责险: policies reminded of their end, lapses noticed to the regulators.
    pub insurance: crate::insurance::reminders::ReminderReport,
    /// Emergency plans: to-dos for unfiled enterprises, evaluations and drills due, filings to review.
    pub emergency_plans: crate::emergency_plan::reminders::EmergencyPlanReport,
    /// 特种作业操作证: to-dos for certificates expiring or expired, reviews due, workers without one.
    pub special_operations: crate::special_operation::reminders::ReminderReport,
    /// The indicator cockpit's figures computed (none: already done today).
    pub indicators: Vec<crate::indicator::compute::ComputeReport>,
}

/// What the dishonesty-list job did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct DishonestyReport {
    pub proposed: usize,
    pub expired: u64,
}

/// What the penalty-case job found.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct PenaltyReport {
    pub closure_alerts: usize,
    pub publication_late: usize,
}

/// Runs one job in a write transaction of its own, inside a span naming it.
/// A failure is logged once with its cause chain and leaves the other jobs'
/// work committed.
async fn one<T: Default>(
    state: &AppState,
    name: &'static str,
    failed: &mut Vec<&'static str>,
    job: impl AsyncFnOnce(&Tx) -> AppResult<T>,
) -> T {
    let span = tracing::info_span!("job", job = name);
    let started = std::time::Instant::now();
    let out = state.write(format!("system:{name}"), job).instrument(span.clone()).await;
    let _enter = span.enter();
    match out {
        Ok(v) => {
            tracing::debug!(took = ?started.elapsed(), "job done");
            v
        }
        Err(e) => {
            tracing::error!(job = name, error = %e.detail(), "job failed");
            failed.push(name);
            T::default()
        }
    }
}

/// Runs every due job as of the state's clock, each in its own transaction:
/// the deadline notices, the bulletins, the statistics reminders.
#[allow(clippy::too_many_lines)] // one line per job, each in its own transaction
pub async fn run_due(state: &AppState) -> AppResult<RunReport> {
    let mut failed = Vec::new();
    let thresholds = deadlines::Thresholds::from_env();
    let deadlines = one(state, "deadlines", &mut failed, async |tx| {
        tx.touch(Touched::Mail);
        deadlines::run(tx, tx.ctx(), thresholds).await
    })
    .await;
    let monthly = std::env::var("ANJIAN_BULLETIN_PERIOD").is_ok_and(|p| p.trim() == "month");
    let bulletins = one(state, "bulletins", &mut failed, async |tx| {
        tx.touch(Touched::Mail);
        crate::bulletin::build::build_due(tx, tx.ctx(), monthly).await
    })
    .await;
    let statistics = one(state, "statistics", &mut failed, async |tx| {
        tx.touch(Touched::Mail);
        crate::statistics::jobs::run(tx, tx.ctx()).await
    })
    .await;
    let self_inspection = one(state, "self_inspection", &mut failed, async |tx| {
        crate::self_inspection::generate::run(tx, tx.ctx()).await
    })
    .await;
    let draw_publication =
        one(state, "draw_publication", &mut failed, async |tx| crate::draw::publish::flag_late(tx, tx.now()).await)
            .await;
    let (grading, risk_reviews) = risk_jobs(state, &mut failed).await;
    let accidents =
        one(state, "accidents", &mut failed, async |tx| crate::accident::overdue::run(tx, tx.now()).await).await;
    let penalties = one(state, "penalties", &mut failed, async |tx| {
        tx.touch(Touched::Mail);
        let closure_alerts = crate::case::escalation::alert(tx, tx.now(), None).await?;
        let publication_late = crate::case::publication::flag_late(tx, tx.now()).await?;
        Ok(PenaltyReport { closure_alerts, publication_late })
    })
    .await;
    let credit =
        one(state, "credit", &mut failed, async |tx| crate::credit::recompute::run_daily(tx, tx.now()).await).await;
    let dishonesty = one(state, "dishonesty", &mut failed, async |tx| {
        let expired = crate::dishonesty::removal::expire(tx).await?;
        let proposed = crate::dishonesty::scan::run(tx).await?;
        Ok(DishonestyReport { proposed, expired })
    })
    .await;
    let insurance = one(state, "insurance", &mut failed, async |tx| {
        tx.touch(Touched::Mail);
        crate::insurance::reminders::run(tx, tx.now()).await
    })
    .await;
    let special_operations = one(state, "special_operations", &mut failed, async |tx| {
        crate::special_operation::reminders::run(tx, tx.now()).await
    })
    .await;
    let emergency_plans = one(state, "emergency_plans", &mut failed, async |tx| {
        crate::emergency_plan::reminders::run(tx, tx.now()).await
    })
    .await;
    // Last: it reads what the jobs above recorded.
    let indicators =
        one(state, "indicators", &mut failed, async |tx| crate::indicator::compute::run_daily(tx, tx.now()).await)
            .await;
    let idempotency_purged = one(state, "idempotency", &mut failed, async |tx| {
        Ok(crate::idempotency::purge(tx, tx.now() - crate::idempotency::RETENTION).await?)
    })
    .await;
    // Files as well as rows: the sweep writes each dropped upload on its own.
    let sweep = crate::attachment::uploads::sweep(state).instrument(tracing::info_span!("job", job = "uploads"));
    let uploads_swept = match sweep.await {
        Ok(n) => n,
        Err(e) => {
            tracing::error!(job = "uploads", error = %e.detail(), "job failed");
            failed.push("uploads");
            0
        }
    };
    Ok(RunReport {
        deadlines,
        bulletins,
        statistics,
        idempotency_purged,
        failed,
        uploads_swept,
        self_inspection,
        draw_publication,
        grading,
        risk_reviews,
        accidents,
        penalties,
        credit,
        dishonesty,
        insurance,
        emergency_plans,
        special_operations,
        indicators,
    })
}

/// The day's grading and the risk-point reviews due, each in a transaction of its own.
async fn risk_jobs(
    state: &AppState,
    failed: &mut Vec<&'static str>,
) -> (Option<crate::grading::compute::RunReport>, crate::risk::review::ReviewReport) {
    let grading = one(state, "grading", failed, async |tx| {
        let r = crate::grading::compute::run_daily(tx, tx.now()).await?;
        if r.is_some() {
            tx.touch(Touched::Register);
        }
        Ok(r)
    })
    .await;
    let reviews =
        one(state, "risk_reviews", failed, async |tx| crate::risk::review::flag_due(tx, tx.now()).await).await;
    (grading, reviews)
}

/// Whether `serve` runs jobs (`ANJIAN_JOBS` is not `off`).
pub fn enabled() -> bool {
    std::env::var("ANJIAN_JOBS").map_or(true, |v| v.trim() != "off")
}

/// Runs the jobs periodically and the outbox sender alongside, for `serve`.
pub fn spawn(state: AppState, channel: Arc<dyn crate::mail::Channel>) {
    let every = std::env::var("ANJIAN_JOBS_INTERVAL").ok().and_then(|v| v.parse().ok()).unwrap_or(300_u64);
    let jobs_state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(every.max(1)));
        loop {
            tick.tick().await;
            match run_due(&jobs_state).await {
                Ok(r) if r.failed.is_empty() => tracing::info!(?r, "jobs run"),
                Ok(r) => tracing::warn!(?r, "jobs run with failures"),
                Err(e) => tracing::warn!(error = %e, "jobs run failed"),
            }
        }
    });
    crate::mail::spawn_sender(state, channel, Duration::from_secs(30));
}
