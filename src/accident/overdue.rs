//! The accident register's job: a to-do for the accident's bureau (its 监管人员)
//! for every upward report past its due time and every 整改措施 past its
//! deadline, once per step or measure (the to-do's key), closed when the report is
//! recorded or the measure done; idempotent.
//!
//! Decision: the upward steps of accidents of the last [`REPORT_WINDOW_DAYS`] days
//! are scanned (the chain is due within hours; after that the 迟报 is history, not
//! a task); open measures are scanned whatever their age.

use super::measures::{is_overdue, todo_key as measure_key};
use super::reports::{steps_of, todo_key as report_key};
use crate::auth::Role;
use crate::clock::{beijing, china_date};
use crate::entities::{accident, accident_measure as measure, accident_report as report};
use crate::error::AppResult;
use crate::todo::{Assignee, NewTodo};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// Accidents this recent have their report chain watched.
pub const REPORT_WINDOW_DAYS: i64 = 90;

/// What one run found.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct OverdueReport {
    /// Upward reports past their due time, not recorded.
    pub reports: usize,
    /// Open measures past their deadline.
    pub measures: usize,
}

/// Adds the to-dos of overdue reports and measures as of `at`.
pub async fn run<C: ConnectionTrait>(db: &C, at: DateTime<Utc>) -> AppResult<OverdueReport> {
    let mut out = OverdueReport::default();
    let recent = accident::Entity::find()
        .filter(accident::Column::OccurredAt.gte(at - Duration::days(REPORT_WINDOW_DAYS)))
        .all(db)
        .await?;
    let ids: Vec<i64> = recent.iter().map(|a| a.id).collect();
    let mut reports: HashMap<i64, Vec<report::Model>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for r in report::Entity::find().filter(report::Column::AccidentId.is_in(chunk.to_vec())).all(db).await? {
            reports.entry(r.accident_id).or_default().push(r);
        }
    }
    for a in &recent {
        let rs = reports.get(&a.id).map_or(&[][..], Vec::as_slice);
        // The enterprise's own report is not the bureau's task.
        for s in steps_of(a, rs).into_iter().skip(1).filter(|s| s.overdue(at)) {
            out.reports += 1;
            let key = report_key(a.id, s.to);
            let item = NewTodo {
                assignee: Assignee::BureauRole(a.bureau_id, Role::Regulator),
                kind: "accident_report_late",
                title: format!("事故逾期未上报{}（应于 {} 前）：{}", s.to.zh(), beijing(s.due_at), a.place),
                link: format!("/accidents/{}", a.id),
                dedupe_key: key.clone(),
            };
            crate::todo::add(db, at, item).await?;
            crate::todo::set_due(db, vec![key], Some(china_date(s.due_at))).await?;
        }
    }
    let today = china_date(at);
    let open = measure::Entity::find()
        .filter(measure::Column::Status.eq(super::domain::MeasureStatus::Open))
        .filter(measure::Column::Deadline.lt(today))
        .all(db)
        .await?;
    for m in open.iter().filter(|m| is_overdue(m, today)) {
        out.measures += 1;
        let key = measure_key(m.id);
        let description: String = m.description.chars().take(30).collect();
        let item = NewTodo {
            assignee: Assignee::BureauRole(m.bureau_id, Role::Regulator),
            kind: "accident_measure_late",
            title: format!("事故整改措施逾期未完成（期限 {}，{}）：{description}", m.deadline, m.responsible_unit),
            link: format!("/accidents/{}#measures", m.accident_id),
            dedupe_key: key.clone(),
        };
        crate::todo::add(db, at, item).await?;
        crate::todo::set_due(db, vec![key], Some(m.deadline)).await?;
    }
    Ok(out)
}
