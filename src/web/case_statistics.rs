//! 行政处罚统计 (`/cases/statistics?year=`): the year's figures as bureaus report them
//! — cases filed (立案), penalty and 不予处罚 decisions, fines decided and collected
//! ("566.52 万元" and the exact yuan) — with a table by sector and one by article.
//!
//! Decisions:
//! - The figures are `case::stats::statistics`, the function the API
//!   (`GET /api/v1/cases/statistics`) calls: same roles (bureau users), same
//!   scope (the user's bureau and those below it), same counting rules.
//! - The year comes from a select of this year and the five before (a year typed
//!   into the address outside 2000..=next year, or not a number, shows this year).
//! - A year without any case filed or decided says 本年度暂无案件 instead of
//!   showing empty tables; a year with cases but no penalty decision says so under
//!   each table.
//! - Articles whose catalogue entry is not verified against the official text carry
//!   未核实, as everywhere else they are shown.
//! - The 打印 button prints the page itself (the menu, the year form and the button
//!   are left off the paper by the print styles).

use super::case_pages::money;
use super::layout::{Layout, Section};
use super::page::{PageResult, PageUser, render};
use crate::case::stats::{self, CaseArticleFigures, CaseStatistics};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use chrono::Datelike;
use serde::Deserialize;
use std::borrow::Borrow;

/// How many years before this one the selector offers.
const YEARS_BACK: i32 = 5;

/// An article row with its 未核实 mark.
pub struct ArticleRow {
    pub a: CaseArticleFigures,
    pub verified: bool,
}

#[derive(Template)]
#[template(path = "case_statistics.html")]
struct StatisticsPage {
    layout: Layout,
    s: CaseStatistics,
    articles: Vec<ArticleRow>,
    years: Vec<(i32, bool)>,
    empty: bool,
}

impl StatisticsPage {
    /// `5665200` → `566.52 万元` (askama passes fields by value or by reference).
    fn wan(yuan: impl Borrow<i64>) -> String {
        wan_yuan(*yuan.borrow())
    }

    /// `5665200` → `5,665,200 元`; 0 → `0 元` (a figure, not a missing value).
    fn exact(yuan: impl Borrow<i64>) -> String {
        match *yuan.borrow() {
            0 => "0 元".to_owned(),
            n => money(n),
        }
    }
}

/// An amount in 万元 with two decimals, rounded half up, as bureaus report fines.
pub fn wan_yuan(yuan: i64) -> String {
    let hundreds = yuan.unsigned_abs().saturating_add(50) / 100;
    let sign = if yuan < 0 && hundreds > 0 { "-" } else { "" };
    format!("{sign}{}.{:02} 万元", hundreds / 100, hundreds % 100)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Shown {
    year: String,
}

/// The year asked for, or this year when none or one out of range was asked for.
fn year_of(typed: &str, this_year: i32) -> i32 {
    typed.trim().parse().ok().filter(|y| (2000..=this_year + 1).contains(y)).unwrap_or(this_year)
}

pub async fn show(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<Shown>) -> PageResult {
    let this_year = crate::clock::china_date(state.clock.now()).year();
    let year = year_of(&q.year, this_year);
    let s = stats::statistics(state.db.conn(), &user, year).await?;
    let d = crate::case::catalogue::data()?;
    let articles = s
        .by_article
        .iter()
        .map(|a| ArticleRow { verified: d.entry(&a.catalogue_code).is_none_or(|e| e.verified), a: a.clone() })
        .collect();
    let mut years: Vec<(i32, bool)> = (this_year - YEARS_BACK..=this_year).rev().map(|y| (y, y == year)).collect();
    if !years.iter().any(|y| y.1) {
        years.insert(0, (year, true));
    }
    render(&StatisticsPage {
        layout: Layout::new(&state, &user, "行政处罚统计", Section::CaseStatistics).await?,
        empty: s.cases_filed == 0 && s.totals.decisions == 0 && s.no_penalty_decisions == 0,
        s,
        articles,
        years,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fines_are_reported_in_wan_yuan_with_two_decimals() {
        assert_eq!(wan_yuan(5_665_200), "566.52 万元");
        assert_eq!(wan_yuan(30_000), "3.00 万元");
        assert_eq!(wan_yuan(1_234_567), "123.46 万元");
        assert_eq!(wan_yuan(49), "0.00 万元");
        assert_eq!(wan_yuan(0), "0.00 万元");
    }

    #[test]
    fn a_year_out_of_range_or_not_a_number_is_this_year() {
        assert_eq!(year_of("2025", 2026), 2025);
        assert_eq!(year_of(" 2027 ", 2026), 2027);
        assert_eq!(year_of("2028", 2026), 2026);
        assert_eq!(year_of("1999", 2026), 2026);
        assert_eq!(year_of("二〇二五", 2026), 2026);
        assert_eq!(year_of("", 2026), 2026);
    }
}
