//! Background jobs: the deadline scanner, the bulletin builder and the
//! statistics reminders, then the outbox. `anjian jobs run --once [--at T]` runs every due job as of T and
//! sends the outbox before it exits; `serve` runs them every
//! `ANJIAN_JOBS_INTERVAL` seconds (default 300) unless `ANJIAN_JOBS=off`.
//! Every job is idempotent (see [`deadlines`]), so several processes may run
//! them at once. After them, keys of [`crate::idempotency`] older than 7 days
//! are purged in a transaction of their own.

mod deadline_notices;
pub mod deadlines;

use crate::error::AppResult;
use crate::state::AppState;
use std::sync::Arc;
use std::time::Duration;

/// What one run did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct RunReport {
    pub deadlines: deadlines::DeadlineReport,
    /// Bulletins built for the last completed period.
    pub bulletins: usize,
    pub statistics: crate::statistics::jobs::StatisticsReport,
    /// Idempotency keys past their retention, deleted.
    pub idempotency_purged: u64,
}

/// Runs every due job as of the state's clock, in one write transaction.
pub async fn run_due(state: &AppState) -> AppResult<RunReport> {
    let ctx = state.audit_ctx("system:jobs".to_owned());
    let txn = state.db.begin_write().await?;
    let started = std::time::Instant::now();
    let deadlines = deadlines::run(&txn, &ctx, deadlines::Thresholds::from_env()).await?;
    let after_deadlines = started.elapsed();
    let monthly = std::env::var("ANJIAN_BULLETIN_PERIOD").is_ok_and(|p| p.trim() == "month");
    let bulletins = crate::bulletin::build::build_due(&txn, &ctx, monthly).await?;
    let after_bulletins = started.elapsed();
    let statistics = crate::statistics::jobs::run(&txn, &ctx).await?;
    let after_statistics = started.elapsed();
    txn.commit().await?;
    tracing::debug!(?after_deadlines, ?after_bulletins, ?after_statistics, committed = ?started.elapsed(), "jobs timing");
    // Its own transaction: a failing purge must not roll back the notices.
    let idempotency_purged = crate::idempotency::purge_expired(state).await?;
    Ok(RunReport { deadlines, bulletins, statistics, idempotency_purged })
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
                Ok(r) => tracing::info!(?r, "jobs run"),
                Err(e) => tracing::warn!(error = %e, "jobs run failed"),
            }
        }
    });
    crate::mail::spawn_sender(state, channel, Duration::from_secs(30));
}
