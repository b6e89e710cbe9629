//! Collects credit events from the records, set-based: one query per source for
//! the facts not yet logged (`NOT EXISTS` on the event's unique key), then the new
//! events inserted in batches (`ON CONFLICT DO NOTHING`, so two runs at once add
//! nothing twice). Events whose basis fell away (a revoked penalty decision) are
//! voided, never deleted, so a past score can still be explained.
//!
//! Sources and what counts as the event's day:
//! - a major hazard owing rectification past its deadline (the ledger's overdue
//!   rule): the deadline;
//! - an accident at a register enterprise, by grade: the day it happened (Beijing);
//! - a penalty decision not revoked: the decision day; under 安全生产法 art. 108
//!   (拒绝、阻碍检查) also `refused_inspection`;
//! - a hazard statistics report submitted late: its due day;
//! - an inspection finding on a checklist item already found at the enterprise in
//!   the 365 days before: the day found;
//! - a standardisation grade (一级/二级/三级) with its date: that date;
//! - a self-reported hazard rectified and closed (销号): the day closed;
//! - an accident-prevention service (事故预防服务) an insurer recorded for the
//!   enterprise: the day served;
//! - an open enterprise that must insure (安责险, `insurance-rules.toml`) found
//!   without cover at the floor for all its employees: the day found, at most one
//!   event a calendar month (source the enterprise), so each month without cover
//!   counts once. Cover is read exactly as the uninsured list and coverage read it.

use super::domain::Signal;
use crate::accident::domain::AccidentGrade;
use crate::enterprise::domain::StandardizationGrade;
use crate::entities::{accident, case, credit_event, enterprise, hazard, hazard_statistic};
use crate::error::AppResult;
use crate::hazard::domain::{Level, OWED, Source, Status};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

/// An accident row: id, enterprise, when, grade, place.
type AccidentRow = (i64, Option<i64>, DateTime<Utc>, AccidentGrade, String);
/// A decision row: id, enterprise, decided on, fine, under art. 108.
type DecisionRow = (i64, Option<i64>, Option<NaiveDate>, i64, bool);
/// A finding row: id, enterprise, checklist item, found at, title.
type FindingRow = (i64, Option<i64>, Option<String>, DateTime<Utc>, String);
/// A closed hazard row: id, enterprise, closed at, title.
type ClosedRow = (i64, Option<i64>, Option<DateTime<Utc>>, String);

/// Rows per insert statement.
const BATCH: usize = 1000;

#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct CollectReport {
    pub added: u64,
    pub voided: u64,
}

pub(super) struct New {
    pub(super) enterprise_id: i64,
    pub(super) signal: Signal,
    pub(super) occurred_on: NaiveDate,
    pub(super) source_type: &'static str,
    pub(super) source_id: i64,
    pub(super) detail: String,
}

pub(super) fn not_logged(signal: Signal, source_type: &str, table: &str) -> Expr {
    Expr::cust(format!(
        "NOT EXISTS (SELECT 1 FROM credit_events e WHERE e.signal = '{}' AND e.source_type = '{source_type}' \
         AND e.source_id = {table}.id)",
        signal.as_str()
    ))
}

fn line(s: &str) -> String {
    s.chars().take(200).collect()
}

/// Logs the events of every source not yet logged and voids those whose basis
/// fell away, as of `now`.
pub async fn run<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> AppResult<CollectReport> {
    let today = crate::clock::china_date(now);
    let mut new = overdue_hazards(db, today).await?;
    new.extend(accidents(db).await?);
    new.extend(decisions(db).await?);
    new.extend(late_statistics(db).await?);
    new.extend(repeat_findings(db, today).await?);
    new.extend(standardization(db).await?);
    new.extend(self_reported(db).await?);
    new.extend(super::collect_insurance::uninsured(db, today).await?);
    new.extend(super::collect_insurance::prevention_services(db).await?);
    let added = insert(db, new, now).await?;
    let voided = void_revoked(db, now).await?;
    Ok(CollectReport { added, voided })
}

async fn insert<C: ConnectionTrait>(db: &C, new: Vec<New>, now: DateTime<Utc>) -> AppResult<u64> {
    use credit_event::Column as C;
    let mut added = 0;
    let mut rows = new.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<credit_event::ActiveModel> = rows
            .by_ref()
            .take(BATCH)
            .map(|n| credit_event::ActiveModel {
                enterprise_id: Set(n.enterprise_id),
                signal: Set(n.signal),
                occurred_on: Set(n.occurred_on),
                source_type: Set(n.source_type.to_owned()),
                source_id: Set(n.source_id),
                detail: Set(n.detail),
                created_at: Set(now),
                ..Default::default()
            })
            .collect();
        let on = OnConflict::columns([C::Signal, C::SourceType, C::SourceId, C::OccurredOn]).do_nothing().to_owned();
        let r = credit_event::Entity::insert_many(batch).on_conflict(on).exec_without_returning(db).await?;
        added += r;
    }
    Ok(added)
}

async fn overdue_hazards<C: ConnectionTrait>(db: &C, today: NaiveDate) -> AppResult<Vec<New>> {
    use hazard::Column as H;
    let rows: Vec<(i64, Option<i64>, Option<NaiveDate>, String)> = hazard::Entity::find()
        .select_only()
        .columns([H::Id, H::EnterpriseId, H::Deadline, H::Title])
        .filter(H::Level.eq(Level::Major))
        .filter(H::Status.is_in(OWED))
        .filter(H::Deadline.lt(today))
        .filter(H::EnterpriseId.is_not_null())
        .filter(not_logged(Signal::OverdueMajorHazard, "hazard", "hazards"))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, e, d, title)| {
            Some(New {
                enterprise_id: e?,
                signal: Signal::OverdueMajorHazard,
                occurred_on: d?,
                source_type: "hazard",
                source_id: id,
                detail: line(&title),
            })
        })
        .collect())
}

fn accident_signal(g: AccidentGrade) -> Signal {
    match g {
        AccidentGrade::General => Signal::AccidentGeneral,
        AccidentGrade::RelativelySerious => Signal::AccidentRelativelySerious,
        AccidentGrade::Serious | AccidentGrade::EspeciallySerious => Signal::AccidentSerious,
    }
}

async fn accidents<C: ConnectionTrait>(db: &C) -> AppResult<Vec<New>> {
    use accident::Column as A;
    let rows: Vec<AccidentRow> = accident::Entity::find()
        .select_only()
        .columns([A::Id, A::EnterpriseId, A::OccurredAt, A::Grade, A::Place])
        .filter(A::EnterpriseId.is_not_null())
        .filter(Expr::cust(
            "NOT EXISTS (SELECT 1 FROM credit_events e WHERE e.source_type = 'accident' AND e.source_id = accidents.id)",
        ))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, e, at, grade, place)| {
            Some(New {
                enterprise_id: e?,
                signal: accident_signal(grade),
                occurred_on: crate::clock::china_date(at),
                source_type: "accident",
                source_id: id,
                detail: line(&format!("{}（{place}）", grade.zh())),
            })
        })
        .collect())
}

async fn decisions<C: ConnectionTrait>(db: &C) -> AppResult<Vec<New>> {
    use crate::case::domain::{CaseStatus, Decision};
    use case::Column as K;
    let refused =
        "EXISTS (SELECT 1 FROM case_violations v WHERE v.case_id = cases.id AND v.catalogue_code = 'wsl-108')";
    let rows: Vec<DecisionRow> = case::Entity::find()
        .select_only()
        .columns([K::Id, K::EnterpriseId, K::DecidedOn, K::FineTotalYuan])
        .expr(Expr::cust(refused))
        .filter(K::Decision.eq(Decision::Penalty))
        .filter(K::DecidedOn.is_not_null())
        .filter(K::EnterpriseId.is_not_null())
        .filter(K::Status.ne(CaseStatus::Revoked))
        .filter(not_logged(Signal::PenaltyDecision, "case", "cases"))
        .into_tuple()
        .all(db)
        .await?;
    let mut out = Vec::new();
    for (id, e, on, fine, refused) in rows {
        let (Some(e), Some(on)) = (e, on) else { continue };
        let detail = format!("行政处罚决定，罚款 {fine} 元");
        if refused {
            let detail = "拒绝、阻碍监督检查，受到行政处罚（安全生产法第一百零八条）".to_owned();
            out.push(New {
                enterprise_id: e,
                signal: Signal::RefusedInspection,
                occurred_on: on,
                source_type: "case",
                source_id: id,
                detail,
            });
        }
        out.push(New {
            enterprise_id: e,
            signal: Signal::PenaltyDecision,
            occurred_on: on,
            source_type: "case",
            source_id: id,
            detail,
        });
    }
    Ok(out)
}

async fn late_statistics<C: ConnectionTrait>(db: &C) -> AppResult<Vec<New>> {
    use hazard_statistic::Column as S;
    let rows: Vec<(i64, i64, NaiveDate, String)> = hazard_statistic::Entity::find()
        .select_only()
        .columns([S::Id, S::EnterpriseId, S::DueOn, S::Period])
        .filter(S::Late.eq(true))
        .filter(not_logged(Signal::LateStatistics, "hazard_statistic", "hazard_statistics"))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, e, due, period)| New {
            enterprise_id: e,
            signal: Signal::LateStatistics,
            occurred_on: due,
            source_type: "hazard_statistic",
            source_id: id,
            detail: line(&format!("{period} 隐患排查治理统计逾期报送")),
        })
        .collect())
}

/// Inspection findings on an item found at the same enterprise in the 365 days
/// before; read over the last two years, ordered, and paired in memory.
async fn repeat_findings<C: ConnectionTrait>(db: &C, today: NaiveDate) -> AppResult<Vec<New>> {
    use hazard::Column as H;
    let since = crate::clock::china_day_start(today - chrono::Duration::days(730));
    let rows: Vec<FindingRow> = hazard::Entity::find()
        .select_only()
        .columns([H::Id, H::EnterpriseId, H::ChecklistItemCode, H::FoundAt, H::Title])
        .filter(H::Source.eq(Source::Inspection))
        .filter(H::ChecklistItemCode.is_not_null())
        .filter(H::EnterpriseId.is_not_null())
        .filter(H::Status.is_not_in([Status::Dismissed, Status::Voided]))
        .filter(H::FoundAt.gte(since))
        .order_by_asc(H::EnterpriseId)
        .order_by_asc(H::ChecklistItemCode)
        .order_by_asc(H::FoundAt)
        .into_tuple()
        .all(db)
        .await?;
    let mut out = Vec::new();
    for pair in rows.windows(2) {
        let [(_, e0, i0, at0, _), (id, e1, i1, at1, title)] = pair else { continue };
        let (Some(e), Some(item)) = (e1, i1) else { continue };
        let day0 = crate::clock::china_date(*at0);
        let day1 = crate::clock::china_date(*at1);
        if e0 == e1 && i0.as_ref() == Some(item) && (day1 - day0).num_days() <= 365 && day1 > day0 {
            out.push(New {
                enterprise_id: *e,
                signal: Signal::RepeatFinding,
                occurred_on: day1,
                source_type: "hazard",
                source_id: *id,
                detail: line(&format!("{item}：{title}")),
            });
        }
    }
    Ok(out)
}

async fn standardization<C: ConnectionTrait>(db: &C) -> AppResult<Vec<New>> {
    use enterprise::Column as E;
    let rows: Vec<(i64, StandardizationGrade, Option<NaiveDate>)> = enterprise::Entity::find()
        .select_only()
        .columns([E::Id, E::StandardizationGrade, E::StandardizationDate])
        .filter(E::StandardizationGrade.ne(StandardizationGrade::Unrated))
        .filter(E::StandardizationDate.is_not_null())
        .filter(Expr::cust(
            "NOT EXISTS (SELECT 1 FROM credit_events e WHERE e.source_type = 'enterprise' \
             AND e.signal LIKE 'standardization_%' AND e.source_id = enterprises.id \
             AND e.occurred_on = enterprises.standardization_date)",
        ))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, grade, on)| {
            let signal = match grade {
                StandardizationGrade::Level1 => Signal::StandardizationLevel1,
                StandardizationGrade::Level2 => Signal::StandardizationLevel2,
                StandardizationGrade::Level3 => Signal::StandardizationLevel3,
                StandardizationGrade::Unrated => return None,
            };
            Some(New {
                enterprise_id: id,
                signal,
                occurred_on: on?,
                source_type: "enterprise",
                source_id: id,
                detail: format!("安全生产标准化{}", grade.zh()),
            })
        })
        .collect())
}

async fn self_reported<C: ConnectionTrait>(db: &C) -> AppResult<Vec<New>> {
    use hazard::Column as H;
    let rows: Vec<ClosedRow> = hazard::Entity::find()
        .select_only()
        .columns([H::Id, H::EnterpriseId, H::ClosedAt, H::Title])
        .filter(H::Source.eq(Source::SelfCheck))
        .filter(H::Status.eq(Status::Closed))
        .filter(H::ClosedAt.is_not_null())
        .filter(H::EnterpriseId.is_not_null())
        .filter(not_logged(Signal::SelfReportedHazard, "hazard", "hazards"))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, e, closed, title)| {
            Some(New {
                enterprise_id: e?,
                signal: Signal::SelfReportedHazard,
                occurred_on: crate::clock::china_date(closed?),
                source_type: "hazard",
                source_id: id,
                detail: line(&title),
            })
        })
        .collect())
}

/// Voids the events of penalty decisions since revoked.
async fn void_revoked<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> AppResult<u64> {
    use credit_event::Column as C;
    let r = credit_event::Entity::update_many()
        .col_expr(C::VoidedAt, Expr::value(now))
        .col_expr(C::VoidReason, Expr::value("行政处罚决定已撤销"))
        .filter(C::SourceType.eq("case"))
        .filter(C::VoidedAt.is_null())
        .filter(Expr::cust("source_id IN (SELECT id FROM cases WHERE status = 'revoked')"))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}
