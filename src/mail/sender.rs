//! The worker that empties the outbox: claim due rows with one atomic
//! statement, send outside any transaction, then stamp each row sent or
//! schedule its retry. Several workers (processes) may run at once.

use super::channel::{Channel, SendError};
use crate::clock::Clock;
use crate::db::Db;
use crate::entities::outbox::{self, Column};
use crate::error::AppResult;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ColumnTrait, Condition, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, UpdateMany,
};
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

/// How long a claim holds a row; a crashed worker's rows are sent by another after this.
pub const LEASE: Duration = Duration::from_mins(5);
/// Attempts before a message is given up (`ANJIAN_MAIL_MAX_ATTEMPTS`).
pub const DEFAULT_MAX_ATTEMPTS: i32 = 10;
/// Rows claimed per round by [`drain`].
pub const DRAIN_BATCH: usize = 50;
/// [`drain`] stops after this many rounds (at most 5 000 messages per call).
const MAX_DRAIN_ROUNDS: usize = 100;
/// A message is not started when less than this remains of the lease.
const LEASE_MARGIN: Duration = Duration::from_secs(90);
const BACKOFF_BASE_MINUTES: i64 = 1;
const BACKOFF_CAP_MINUTES: i64 = 6 * 60;
/// `last_error` is kept short.
const MAX_ERROR_CHARS: usize = 500;

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendReport {
    pub sent: usize,
    /// Failed for now; scheduled again after the backoff.
    pub retried: usize,
    /// Given up: a permanent error, or the last attempt.
    pub failed: usize,
}

impl SendReport {
    pub fn is_empty(&self) -> bool {
        self.sent == 0 && self.retried == 0 && self.failed == 0
    }
}

impl std::ops::AddAssign for SendReport {
    fn add_assign(&mut self, o: Self) {
        self.sent += o.sent;
        self.retried += o.retried;
        self.failed += o.failed;
    }
}

/// Tunables of one run.
#[derive(Debug, Clone, Copy)]
pub struct SendOptions {
    pub limit: usize,
    pub max_attempts: i32,
    pub lease: Duration,
}

impl SendOptions {
    /// `limit` rows, the lease [`LEASE`], max attempts from `ANJIAN_MAIL_MAX_ATTEMPTS` (default 10).
    pub fn from_env(limit: usize) -> Self {
        let max_attempts = std::env::var("ANJIAN_MAIL_MAX_ATTEMPTS")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .filter(|n| (1..=100).contains(n))
            .unwrap_or(DEFAULT_MAX_ATTEMPTS);
        Self { limit, max_attempts, lease: LEASE }
    }
}

/// Delay before the next attempt after `attempts` attempts: 1 min × 2^(attempts−1), at most 6 h.
pub fn backoff(attempts: i32) -> chrono::Duration {
    let exp = std::cmp::min(u32::try_from(attempts.saturating_sub(1)).unwrap_or(0), 20);
    chrono::Duration::minutes(std::cmp::min(BACKOFF_BASE_MINUTES << exp, BACKOFF_CAP_MINUTES))
}

fn chrono_duration(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// Unsent, not given up, and not held by a live claim.
fn claimable(channel: &str, now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(Column::Channel.eq(channel))
        .add(Column::SentAt.is_null())
        .add(Column::FailedAt.is_null())
        .add(Condition::any().add(Column::ClaimedUntil.is_null()).add(Column::ClaimedUntil.lt(now)))
}

/// Claims up to `limit` due rows in one statement:
/// `UPDATE outbox SET claimed_until = $lease, attempts = attempts + 1
///  WHERE id IN (SELECT id … due … ORDER BY id LIMIT $n) AND <claimable> RETURNING *`.
/// SQLite serialises it behind the write lock; on PostgreSQL a worker that
/// waited for a row lock re-checks the outer `WHERE` against the new row, so a
/// row claimed meanwhile is skipped. Never two claims of one row.
async fn claim(
    db: &Db,
    channel: &str,
    now: DateTime<Utc>,
    lease: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<outbox::Model>, DbErr> {
    let due = outbox::Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(claimable(channel, now))
        .filter(Column::NextAttemptAt.lte(now))
        .order_by_asc(Column::Id)
        .limit(u64::try_from(limit).unwrap_or(u64::MAX))
        .into_query();
    let txn = db.begin_write().await?;
    let mut rows = outbox::Entity::update_many()
        .col_expr(Column::ClaimedUntil, Expr::value(lease))
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .filter(Column::Id.in_subquery(due))
        .filter(claimable(channel, now))
        .exec_with_returning(&txn)
        .await?;
    txn.commit().await?;
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

/// Runs one short write transaction; returns the rows changed.
async fn write(db: &Db, update: UpdateMany<outbox::Entity>) -> Result<u64, DbErr> {
    let txn = db.begin_write().await?;
    let n = update.exec(&txn).await?.rows_affected;
    txn.commit().await?;
    Ok(n)
}

/// The row, only while this run's claim holds it.
fn held(id: i64, lease: DateTime<Utc>) -> UpdateMany<outbox::Entity> {
    outbox::Entity::update_many()
        .filter(Column::Id.eq(id))
        .filter(Column::ClaimedUntil.eq(lease))
        .filter(Column::SentAt.is_null())
        .filter(Column::FailedAt.is_null())
}

/// The error text for the row and the log: without the recipient's address
/// (servers like to echo it), bounded.
fn scrub(error: &str, recipient: &str) -> String {
    let text = if recipient.is_empty() { error.to_owned() } else { error.replace(recipient, "<recipient>") };
    text.chars().take(MAX_ERROR_CHARS).collect()
}

enum Outcome {
    Sent,
    Retried,
    Failed,
}

async fn record_failure(
    db: &Db,
    msg: &outbox::Model,
    lease: DateTime<Utc>,
    now: DateTime<Utc>,
    err: &SendError,
    max_attempts: i32,
) -> Result<Outcome, DbErr> {
    let error = scrub(&err.to_string(), &msg.recipient);
    let give_up = matches!(err, SendError::Permanent(_)) || msg.attempts >= max_attempts;
    let update = held(msg.id, lease)
        .col_expr(Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(Column::LastError, Expr::value(error.clone()));
    let (outcome, update) = if give_up {
        (Outcome::Failed, update.col_expr(Column::FailedAt, Expr::value(now)))
    } else {
        (Outcome::Retried, update.col_expr(Column::NextAttemptAt, Expr::value(now + backoff(msg.attempts))))
    };
    write(db, update).await?;
    if give_up {
        tracing::error!(outbox.id = msg.id, kind = %msg.kind, attempts = msg.attempts, %error, "mail given up");
    } else {
        tracing::warn!(outbox.id = msg.id, kind = %msg.kind, attempts = msg.attempts, %error, "mail failed, will retry");
    }
    Ok(outcome)
}

/// Sends one claimed row and records the result.
async fn deliver(
    db: &Db,
    clock: &dyn Clock,
    channel: &dyn Channel,
    msg: &outbox::Model,
    lease: DateTime<Utc>,
    max_attempts: i32,
) -> Result<Outcome, DbErr> {
    let result = channel.send(msg).await;
    let now = clock.now();
    match result {
        Ok(()) => {
            let update = held(msg.id, lease)
                .col_expr(Column::SentAt, Expr::value(now))
                .col_expr(Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None));
            if write(db, update).await? == 0 {
                tracing::warn!(outbox.id = msg.id, kind = %msg.kind, "mail sent after its claim expired");
            } else {
                tracing::info!(outbox.id = msg.id, kind = %msg.kind, attempts = msg.attempts, "mail sent");
            }
            Ok(Outcome::Sent)
        }
        Err(e) => record_failure(db, msg, lease, now, &e, max_attempts).await,
    }
}

/// Gives rows back unsent (the lease is running out), undoing their attempt.
async fn release(db: &Db, ids: Vec<i64>, lease: DateTime<Utc>) -> Result<(), DbErr> {
    let update = outbox::Entity::update_many()
        .col_expr(Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).sub(1))
        .filter(Column::Id.is_in(ids))
        .filter(Column::ClaimedUntil.eq(lease));
    write(db, update).await.map(|_| ())
}

/// One round; also returns how many rows were claimed.
async fn run_once(
    db: &Db,
    clock: &dyn Clock,
    channel: &dyn Channel,
    opts: &SendOptions,
) -> AppResult<(SendReport, usize)> {
    let now = clock.now();
    let lease = now + chrono_duration(opts.lease);
    let claimed = claim(db, channel.name(), now, lease, opts.limit).await?;
    let count = claimed.len();
    let mut report = SendReport::default();
    for (i, msg) in claimed.iter().enumerate() {
        if clock.now() + chrono_duration(std::cmp::min(LEASE_MARGIN, opts.lease / 2)) >= lease {
            release(db, claimed[i..].iter().map(|m| m.id).collect(), lease).await?;
            break;
        }
        match deliver(db, clock, channel, msg, lease, opts.max_attempts).await? {
            Outcome::Sent => report.sent += 1,
            Outcome::Retried => report.retried += 1,
            Outcome::Failed => report.failed += 1,
        }
    }
    Ok((report, count))
}

/// Sends up to `limit` due messages through `channel`.
pub async fn send_due(db: &Db, clock: &dyn Clock, channel: &dyn Channel, limit: usize) -> AppResult<SendReport> {
    send_due_with(db, clock, channel, &SendOptions::from_env(limit)).await
}

/// [`send_due`] with explicit options.
pub async fn send_due_with(
    db: &Db,
    clock: &dyn Clock,
    channel: &dyn Channel,
    opts: &SendOptions,
) -> AppResult<SendReport> {
    run_once(db, clock, channel, opts).await.map(|(report, _)| report)
}

/// Sends until nothing is due (messages that failed just now wait for their
/// backoff), in rounds of [`DRAIN_BATCH`], at most 5 000 messages.
pub async fn drain(db: &Db, clock: &dyn Clock, channel: &dyn Channel) -> AppResult<SendReport> {
    let opts = SendOptions::from_env(DRAIN_BATCH);
    let mut total = SendReport::default();
    for _ in 0..MAX_DRAIN_ROUNDS {
        let (report, claimed) = run_once(db, clock, channel, &opts).await?;
        total += report;
        if claimed < opts.limit {
            break;
        }
    }
    Ok(total)
}

/// Drains the outbox every `every` for `serve` (the first run at once).
pub fn spawn_sender(state: AppState, channel: Arc<dyn Channel>, every: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every.max(Duration::from_secs(1)));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            // The next tick, or sooner when a commit queued mail.
            tokio::select! {
                _ = tick.tick() => {}
                () = state.mail_wake.notified() => {}
            }
            match drain(&state.db, state.clock.as_ref(), channel.as_ref()).await {
                Ok(r) if r.is_empty() => {}
                Ok(r) => tracing::info!(sent = r.sent, retried = r.retried, failed = r.failed, "mail outbox run"),
                Err(e) => tracing::error!(error = %e.detail(), "mail outbox run failed"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_one_minute_up_to_six_hours() {
        let minutes: Vec<i64> = (1..=11).map(|a| backoff(a).num_minutes()).collect();
        assert_eq!(minutes, [1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360]);
        assert_eq!(backoff(0).num_minutes(), 1);
        assert_eq!(backoff(i32::MAX).num_minutes(), 360);
    }

    #[test]
    fn errors_lose_the_address_and_stay_short() {
        let e = scrub("550 5.1.1 <zhang@example.com>: Recipient address rejected", "zhang@example.com");
        assert_eq!(e, "550 5.1.1 <<recipient>>: Recipient address rejected");
        assert_eq!(scrub(&"x".repeat(2000), "a@b").chars().count(), MAX_ERROR_CHARS);
    }
}
