//! The figures of a report, counted from the ledger as the period closed:
//!
//! - found: hazards found in the period (voided and dismissed ones excluded);
//! - rectified: hazards closed in the period, whenever found, with the funds
//!   reported for them;
//! - rectifying: found by the period's end and still open at its end;
//! - overdue: of those, overdue on the period's last day by the ledger's one
//!   rule (`hazard::domain::is_overdue`: pending verification is not overdue);
//! - found and rectified: found in the period and closed by its end, the
//!   numerator of the rectification rate (整改率 = found and rectified / found).

use super::period::Period;
use crate::entities::{hazard, hazard_category};
use crate::error::AppResult;
use crate::hazard::domain::{Status, is_overdue};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Counts by level; `general` 一般, `major` 重大.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ByLevel {
    pub general: i64,
    pub major: i64,
}

impl ByLevel {
    fn add(&mut self, major: bool) {
        if major {
            self.major += 1;
        } else {
            self.general += 1;
        }
    }

    pub fn total(self) -> i64 {
        self.general + self.major
    }
}

/// Found and rectified per hazard category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CategoryFigures {
    pub code: String,
    pub name: String,
    pub found: i64,
    pub rectified: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Figures {
    pub found: ByLevel,
    pub rectified: ByLevel,
    pub rectifying: ByLevel,
    pub overdue: ByLevel,
    pub found_rectified: i64,
    /// Funds reported for the hazards rectified in the period, in fen.
    pub funds_fen: i64,
    pub by_category: Vec<CategoryFigures>,
    /// 排查次数: self-inspection tasks completed in the period (`crate::self_inspection`).
    #[serde(default)]
    pub self_inspections: i64,
}

impl Figures {
    /// 整改率 in per cent, one decimal; `None` when nothing was found.
    pub fn rectification_rate(&self) -> Option<f64> {
        let found = self.found.total();
        #[allow(clippy::cast_precision_loss)]
        (found > 0).then(|| (self.found_rectified as f64 * 1000.0 / found as f64).round() / 10.0)
    }
}

/// What the tally needs of one hazard.
#[derive(Debug, Clone)]
pub struct Row {
    pub major: bool,
    pub category: String,
    pub found_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub deadline: Option<NaiveDate>,
    pub funds_fen: Option<i64>,
    /// Its state now owes rectification (`hazard::domain::Status::rectification_owed`).
    pub owed: bool,
}

/// Counts the rows for the period; `names` gives category names in display order.
pub fn tally(period: Period, rows: &[Row], names: &[(String, String)]) -> Figures {
    let (from, to) = period.instants();
    let mut f = Figures::default();
    let mut cats: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for r in rows {
        let found_in = r.found_at >= from && r.found_at < to;
        let closed_in = r.closed_at.is_some_and(|c| c >= from && c < to);
        if found_in {
            f.found.add(r.major);
            cats.entry(&r.category).or_default().0 += 1;
            if r.closed_at.is_some_and(|c| c < to) {
                f.found_rectified += 1;
            }
        }
        if closed_in {
            f.rectified.add(r.major);
            f.funds_fen += r.funds_fen.unwrap_or(0);
            cats.entry(&r.category).or_default().1 += 1;
        }
        let open_at_end = r.found_at < to && r.closed_at.is_none_or(|c| c >= to);
        if open_at_end {
            f.rectifying.add(r.major);
            // The overdue rule on the period's last day: closed since, it was being rectified then.
            let status = if r.owed || r.closed_at.is_some() { Status::Rectifying } else { Status::PendingVerification };
            if is_overdue(status, r.deadline, period.end()) {
                f.overdue.add(r.major);
            }
        }
    }
    for (code, name) in names {
        let (found, rectified) = cats.remove(code.as_str()).unwrap_or_default();
        f.by_category.push(CategoryFigures { code: code.clone(), name: name.clone(), found, rectified });
    }
    // Categories no longer in the dictionary still count.
    for (code, (found, rectified)) in cats {
        f.by_category.push(CategoryFigures { code: code.to_owned(), name: code.to_owned(), found, rectified });
    }
    f
}

/// Counts an enterprise's ledger for the period.
pub async fn load<C: ConnectionTrait>(db: &C, enterprise_id: i64, period: Period) -> AppResult<Figures> {
    type Tuple = (String, String, DateTime<Utc>, Option<DateTime<Utc>>, Option<NaiveDate>, Option<i64>, String);
    let (from, to) = period.instants();
    let rows: Vec<Tuple> = hazard::Entity::find()
        .select_only()
        .columns([hazard::Column::Level, hazard::Column::Category, hazard::Column::FoundAt, hazard::Column::ClosedAt])
        .columns([hazard::Column::Deadline, hazard::Column::FundsSpent, hazard::Column::Status])
        .filter(hazard::Column::EnterpriseId.eq(enterprise_id))
        .filter(hazard::Column::Status.is_not_in(["voided", "dismissed"]))
        .filter(hazard::Column::FoundAt.lt(to))
        .filter(Condition::any().add(hazard::Column::ClosedAt.is_null()).add(hazard::Column::ClosedAt.gte(from)))
        .into_tuple()
        .all(db)
        .await?;
    let rows: Vec<Row> = rows
        .into_iter()
        .map(|(level, category, found_at, closed_at, deadline, funds_fen, status)| Row {
            major: level == "major",
            category,
            found_at,
            closed_at,
            deadline,
            funds_fen,
            owed: status.parse::<Status>().is_ok_and(Status::rectification_owed),
        })
        .collect();
    let names: Vec<(String, String)> = hazard_category::Entity::find()
        .order_by_asc(hazard_category::Column::Sort)
        .all(db)
        .await?
        .into_iter()
        .filter(|c| c.active || rows.iter().any(|r| r.category == c.code))
        .map(|c| (c.code, c.name))
        .collect();
    let mut f = tally(period, &rows, &names);
    f.self_inspections = crate::self_inspection::stats::completed_in(db, enterprise_id, from, to).await?;
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).map(|t| t.to_utc()).unwrap_or_default()
    }

    fn row(major: bool, found: &str, closed: Option<&str>, deadline: &str, funds: i64) -> Row {
        Row {
            major,
            category: "unsafe_condition".into(),
            found_at: at(found),
            closed_at: closed.map(at),
            deadline: NaiveDate::parse_from_str(deadline, "%Y-%m-%d").ok(),
            funds_fen: Some(funds),
            owed: closed.is_none(),
        }
    }

    #[test]
    fn a_quarter_counts_found_rectified_rectifying_and_overdue_in_beijing_time() {
        let q3 = Period::Quarter { year: 2026, quarter: 3 };
        let rows = [
            // Found 1 July 00:30 Beijing (still 30 June in UTC): in Q3; closed in Q3.
            row(false, "2026-06-30T16:30:00Z", Some("2026-08-01T00:00:00Z"), "2026-08-15", 120_000),
            // Found in Q2, closed in Q3: rectified in Q3, not found in Q3.
            row(false, "2026-05-01T00:00:00Z", Some("2026-07-02T00:00:00Z"), "2026-06-30", 5_000),
            // Found in Q3, still open, deadline passed before 30 September: overdue.
            row(true, "2026-08-01T00:00:00Z", None, "2026-09-01", 0),
            // Found in Q3, closed 1 October 07:59 Beijing... after the quarter: open at its end.
            row(false, "2026-09-01T00:00:00Z", Some("2026-09-30T23:59:00Z"), "2026-09-30", 0),
            // Found after the quarter: not counted.
            row(false, "2026-10-02T00:00:00Z", None, "2026-10-30", 0),
        ];
        let names = vec![("unsafe_condition".to_owned(), "物的危险状态".to_owned())];
        let f = tally(q3, &rows, &names);
        assert_eq!(f.found, ByLevel { general: 2, major: 1 });
        assert_eq!(f.rectified, ByLevel { general: 2, major: 0 });
        assert_eq!(f.rectifying, ByLevel { general: 1, major: 1 });
        assert_eq!(f.overdue, ByLevel { general: 0, major: 1 }, "the deadline on the last day is not yet overdue");
        assert_eq!(f.found_rectified, 1);
        assert_eq!(f.funds_fen, 125_000);
        assert_eq!(f.rectification_rate(), Some(33.3));
        assert_eq!(f.by_category[0].found, 3);
        assert_eq!(f.by_category[0].rectified, 2);
    }

    #[test]
    fn pending_verification_past_the_deadline_is_rectifying_not_overdue() {
        let q3 = Period::Quarter { year: 2026, quarter: 3 };
        let handed_in = Row { owed: false, ..row(false, "2026-08-01T00:00:00Z", None, "2026-08-10", 0) };
        let owed = row(false, "2026-08-01T00:00:00Z", None, "2026-08-10", 0);
        let closed_later = row(false, "2026-08-01T00:00:00Z", Some("2026-10-05T00:00:00Z"), "2026-08-10", 0);
        let f = tally(q3, &[handed_in, owed, closed_later], &[]);
        assert_eq!(f.rectifying.general, 3);
        assert_eq!(f.overdue.general, 2, "owed now, and closed after the quarter (owed at its end)");
    }

    #[test]
    fn nothing_found_has_no_rate_and_every_category_is_listed() {
        let names = vec![("a".to_owned(), "甲".to_owned()), ("b".to_owned(), "乙".to_owned())];
        let f = tally(Period::Year(2026), &[], &names);
        assert_eq!(f.rectification_rate(), None);
        assert_eq!(f.by_category.len(), 2);
        assert!(f.by_category.iter().all(|c| c.found == 0 && c.rectified == 0));
    }
}
