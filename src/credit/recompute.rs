//! Recomputes every enterprise's stored score from the event log, streamed in
//! ranges of enterprise ids (never a query per enterprise), and writes only the
//! scores that changed, in batches of upserts. Each run is recorded with its day
//! and rule version: a stored score always equals the score recomputed from the
//! events with the last run's day and version, which [`check`] verifies (`anjian
//! credit recompute --check`). Enterprises with no events have no row and count 0.

use super::domain::{self, Event, Signal};
use super::rules::RuleVersion;
use crate::entities::{credit_event, credit_run, credit_score};
use crate::error::AppResult;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use std::collections::HashMap;

/// Enterprise ids per range read.
const RANGE: i64 = 20_000;
/// Rows per upsert statement.
const BATCH: usize = 1000;

#[derive(Debug, Default, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CreditRunReport {
    pub as_of: Option<NaiveDate>,
    pub rule_version: String,
    pub events_added: u64,
    pub events_voided: u64,
    /// Enterprises with at least one event counted.
    pub enterprises: u64,
    /// Stored scores written (changed or new).
    pub changed: u64,
    pub took_ms: u64,
}

/// Every enterprise's score from its events: `(enterprise, score, events)`.
/// `visit` gets each enterprise with events, in id order.
pub async fn scores<C: ConnectionTrait>(
    db: &C,
    version: &RuleVersion,
    as_of: NaiveDate,
    mut visit: impl FnMut(i64, i64, i32),
) -> AppResult<()> {
    use credit_event::Column as E;
    let Some(max) = credit_event::Entity::find()
        .select_only()
        .column_as(E::EnterpriseId.max(), "m")
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten()
    else {
        return Ok(());
    };
    let mut lo = 0;
    while lo <= max {
        let rows: Vec<(i64, Signal, NaiveDate)> = credit_event::Entity::find()
            .select_only()
            .columns([E::EnterpriseId, E::Signal, E::OccurredOn])
            .filter(E::EnterpriseId.gte(lo))
            .filter(E::EnterpriseId.lt(lo + RANGE))
            .filter(E::VoidedAt.is_null())
            .order_by_asc(E::EnterpriseId)
            .into_tuple()
            .all(db)
            .await?;
        for chunk in rows.chunk_by(|a, b| a.0 == b.0) {
            let events = chunk.iter().map(|r| Event { signal: r.1, occurred_on: r.2 });
            let n = i32::try_from(chunk.len()).unwrap_or(i32::MAX);
            visit(chunk[0].0, domain::score(version, events, as_of), n);
        }
        lo += RANGE;
    }
    Ok(())
}

type Stored = HashMap<i64, (i64, String, i32)>;

async fn stored<C: ConnectionTrait>(db: &C) -> AppResult<Stored> {
    use credit_score::Column as S;
    let rows: Vec<(i64, i64, String, i32)> = credit_score::Entity::find()
        .select_only()
        .columns([S::EnterpriseId, S::ScoreCenti, S::ClassCode, S::Events])
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(e, s, c, n)| (e, (s, c, n))).collect())
}

/// Collects new events, recomputes every score as of `now`'s day under `version`,
/// writes the changed ones and records the run.
pub async fn run<C: ConnectionTrait>(
    db: &C,
    version: &RuleVersion,
    now: DateTime<Utc>,
    trigger: &str,
) -> AppResult<CreditRunReport> {
    let started = std::time::Instant::now();
    let as_of = crate::clock::china_date(now);
    let collected = super::collect::run(db, now).await?;
    let mut old = stored(db).await?;
    let mut writes = Vec::new();
    let mut enterprises = 0;
    scores(db, version, as_of, |id, score, n| {
        enterprises += 1;
        let class = version.class_of(score).code.clone();
        let same = old.remove(&id).is_some_and(|(s, c, k)| s == score && c == class && k == n);
        if !same {
            writes.push((id, score, class, n));
        }
    })
    .await?;
    // Stored rows left over have no events counted any more: their score is 0.
    for (id, (s, c, _)) in old {
        let class = version.class_of(0).code.clone();
        if s != 0 || c != class {
            writes.push((id, 0, class, 0));
        }
    }
    let changed = write(db, writes, version, as_of, now).await?;
    let took_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let report = CreditRunReport {
        as_of: Some(as_of),
        rule_version: version.version.clone(),
        events_added: collected.added,
        events_voided: collected.voided,
        enterprises,
        changed,
        took_ms,
    };
    let as_i64 = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    credit_run::Entity::insert(credit_run::ActiveModel {
        trigger: Set(trigger.to_owned()),
        as_of: Set(as_of),
        rule_version: Set(version.version.clone()),
        started_at: Set(now),
        events_added: Set(as_i64(report.events_added)),
        events_voided: Set(as_i64(report.events_voided)),
        enterprises: Set(as_i64(report.enterprises)),
        changed: Set(as_i64(report.changed)),
        took_ms: Set(as_i64(report.took_ms)),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(report)
}

async fn write<C: ConnectionTrait>(
    db: &C,
    writes: Vec<(i64, i64, String, i32)>,
    version: &RuleVersion,
    as_of: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    use credit_score::Column as S;
    let total = writes.len() as u64;
    let mut rows = writes.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<credit_score::ActiveModel> = rows
            .by_ref()
            .take(BATCH)
            .map(|(id, score, class, n)| credit_score::ActiveModel {
                enterprise_id: Set(id),
                score_centi: Set(score),
                class_code: Set(class),
                rule_version: Set(version.version.clone()),
                as_of: Set(as_of),
                events: Set(n),
                computed_at: Set(now),
            })
            .collect();
        let on = OnConflict::column(S::EnterpriseId)
            .update_columns([S::ScoreCenti, S::ClassCode, S::RuleVersion, S::AsOf, S::Events, S::ComputedAt])
            .to_owned();
        credit_score::Entity::insert_many(batch).on_conflict(on).exec_without_returning(db).await?;
    }
    Ok(total)
}

/// A stored score that differs from the one recomputed from the events.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Mismatch {
    pub enterprise_id: i64,
    pub stored_centi: i64,
    pub recomputed_centi: i64,
}

/// Compares every stored score with the score recomputed from the events under the
/// last run's day and version; `None` when no run has been recorded.
pub async fn check<C: ConnectionTrait>(db: &C) -> AppResult<Option<(credit_run::Model, Vec<Mismatch>)>> {
    let Some(last) = credit_run::Entity::find().order_by_desc(credit_run::Column::Id).one(db).await? else {
        return Ok(None);
    };
    let rules = super::rules::data()?;
    let Some(version) = rules.version(&last.rule_version) else {
        return Err(crate::error::AppError::Internal(anyhow::anyhow!(
            "the last run used rule version {}, which the rule file no longer has",
            last.rule_version
        )));
    };
    let mut old = stored(db).await?;
    let mut out = Vec::new();
    scores(db, version, last.as_of, |id, score, _| {
        let s = old.remove(&id).map_or(0, |(s, _, _)| s);
        if s != score {
            out.push(Mismatch { enterprise_id: id, stored_centi: s, recomputed_centi: score });
        }
    })
    .await?;
    out.extend(old.into_iter().filter(|(_, (s, _, _))| *s != 0).map(|(id, (s, _, _))| Mismatch {
        enterprise_id: id,
        stored_centi: s,
        recomputed_centi: 0,
    }));
    out.sort_by_key(|m| m.enterprise_id);
    Ok(Some((last, out)))
}

/// The nightly job: collect and recompute once per Beijing day (`None`: already
/// done today by the job).
pub async fn run_daily<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> AppResult<Option<CreditRunReport>> {
    let today = crate::clock::china_date(now);
    let done = credit_run::Entity::find()
        .filter(credit_run::Column::Trigger.eq("job"))
        .filter(credit_run::Column::AsOf.eq(today))
        .one(db)
        .await?;
    if done.is_some() {
        return Ok(None);
    }
    let version = super::service::version_in_force(db).await?;
    Ok(Some(run(db, version, now, "job").await?))
}
