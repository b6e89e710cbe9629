//! The ledger page: filters (status, level, source, sector, region by name,
//! enterprise by picker, keyword, category, found and deadline ranges, 挂牌
//! level, overdue), the counts, one page of rows, and the same filters as an
//! xlsx download (`/api/v1/hazards/export.xlsx`).
//!
//! Decisions: a date typed in a form the page cannot read is reported under the
//! filters and ignored (the list still shows); the enterprise's own ledger
//! has no 企业 column (every row would repeat its name); on phones the rows
//! become cards (`table.cards` in the stylesheet, labels from `data-label`).

use super::hazard_pages::{Choice, choices, days_text, parse_date};
use super::layout::{Layout, Section};
use super::page::{PageResult, PageUser, render};
use crate::auth::CurrentUser;
use crate::enterprise::domain::{RegionCode, Sector};
use crate::hazard::domain::{Level, Source, Status, SupervisionLevel};
use crate::hazard::json::HazardFilter;
use crate::hazard::{list, view};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use sea_orm::{EntityTrait, QueryOrder};
use serde::Deserialize;

/// Rows per page.
const PER_PAGE: u64 = 50;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LedgerQuery {
    status: String,
    level: String,
    source: String,
    sector: String,
    region: String,
    overdue: String,
    q: String,
    category: String,
    found_from: String,
    found_to: String,
    due_after: String,
    due_before: String,
    supervision_level: String,
    enterprise_id: String,
    /// What was typed into the enterprise picker (its name), shown again.
    enterprise_q: String,
    page: String,
}

pub struct LedgerRow {
    pub id: i64,
    pub title: String,
    pub enterprise: String,
    pub level: &'static str,
    pub status: &'static str,
    pub source: &'static str,
    pub found: String,
    pub deadline: String,
    pub days: String,
    pub overdue: bool,
}

/// One sector's line of the counts: per status, the total and the major ones.
pub struct CountLine {
    pub sector: String,
    pub cells: Vec<(i64, i64)>,
}

/// A `<select>` option whose value and label are not static.
pub struct NamedOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The filters as the form shows them.
#[derive(Default)]
pub struct Filters {
    pub statuses: Vec<Choice>,
    pub levels: Vec<Choice>,
    pub sources: Vec<Choice>,
    pub sectors: Vec<Choice>,
    pub supervision_levels: Vec<Choice>,
    pub categories: Vec<NamedOption>,
    pub regions: Vec<NamedOption>,
    pub q: String,
    pub found_from: String,
    pub found_to: String,
    pub due_after: String,
    pub due_before: String,
    pub overdue: bool,
    pub enterprise_id: String,
    pub enterprise_q: String,
    /// Whether any filter beyond the defaults is set (the advanced ones open).
    pub advanced: bool,
}

#[derive(Template)]
#[template(path = "hazards.html")]
struct LedgerPage {
    layout: Layout,
    rows: Vec<LedgerRow>,
    total: u64,
    f: Filters,
    /// Dates that could not be read.
    errors: Vec<String>,
    page: u64,
    pages: u64,
    /// The filters as a query string, for the pager and the download.
    query: String,
    count_statuses: Vec<&'static str>,
    counts: Vec<CountLine>,
    /// Regulators may import an existing ledger.
    may_import: bool,
    bureau_user: bool,
    /// Whether rows name their enterprise (not in an enterprise's own ledger).
    show_enterprise: bool,
}

/// The scope's counts as lines per sector and columns per status.
async fn count_lines(state: &AppState, user: &CurrentUser) -> PageResult<Vec<CountLine>> {
    let rows = list::counts(state.db.conn(), &user.scope).await?;
    let mut lines: Vec<CountLine> = Vec::new();
    for r in rows {
        let sector = r.sector.as_deref().map_or_else(|| "未登记主体".to_owned(), super::labels::sector);
        let i = lines.iter().position(|l| l.sector == sector).unwrap_or_else(|| {
            lines.push(CountLine { sector: sector.clone(), cells: vec![(0, 0); Status::ALL.len()] });
            lines.len() - 1
        });
        let col = Status::ALL.iter().position(|s| *s == r.status).unwrap_or(0);
        lines[i].cells[col].0 += r.count;
        if r.level == Level::Major {
            lines[i].cells[col].1 += r.count;
        }
    }
    lines.sort_by(|a, b| a.sector.cmp(&b.sector));
    Ok(lines)
}

/// One page of the ledger, with the enterprises' names.
async fn ledger_rows(state: &AppState, user: &CurrentUser, filter: &HazardFilter) -> PageResult<(Vec<LedgerRow>, u64)> {
    let today = state.clock.today();
    let (items, total) = list::list(state, &user.scope, filter, today).await?;
    let names =
        crate::enterprise::service::names(state.db.conn(), items.iter().filter_map(|h| h.enterprise_id)).await?;
    let rows = items
        .into_iter()
        .map(|h| {
            let found = crate::clock::china_date(h.found_at).to_string();
            let s = view::summary(h, today);
            LedgerRow {
                id: s.id,
                enterprise: s
                    .enterprise_id
                    .and_then(|e| names.get(&e).cloned())
                    .unwrap_or_else(|| "未登记主体".to_owned()),
                title: s.title,
                level: s.level.zh(),
                status: s.status.zh(),
                source: s.source.zh(),
                found,
                deadline: s.deadline.map_or_else(|| super::labels::EMPTY.to_owned(), |d| d.to_string()),
                days: days_text(s.days_left),
                overdue: s.overdue,
            }
        })
        .collect();
    Ok((rows, total))
}

/// The regions a bureau user may filter by, by name: its own and the shipped
/// ones below it (a code typed into the address that is not among them is
/// kept as an option of its own).
pub fn regions(user: &CurrentUser, selected: &str) -> Vec<NamedOption> {
    let Some(own) = user.bureau.as_ref().and_then(|b| RegionCode::parse(b.code.get(..6).unwrap_or_default()).ok())
    else {
        return Vec::new();
    };
    let mut out: Vec<NamedOption> = crate::bureau::regions::within(&own)
        .into_iter()
        .map(|(code, name)| NamedOption { selected: code == selected, label: name.to_owned(), value: code })
        .collect();
    if !selected.is_empty() && !out.iter().any(|o| o.selected) && RegionCode::parse(selected).is_ok() {
        out.push(NamedOption { value: selected.to_owned(), label: super::labels::region(selected), selected: true });
    }
    out
}

async fn categories(state: &AppState, selected: &str) -> PageResult<Vec<NamedOption>> {
    use crate::entities::hazard_category as c;
    let rows = c::Entity::find()
        .order_by_asc(c::Column::Sort)
        .all(state.db.conn())
        .await
        .map_err(crate::error::AppError::from)?;
    Ok(rows.into_iter().map(|r| NamedOption { selected: r.code == selected, value: r.code, label: r.name }).collect())
}

/// A typed date filter: the date, or a message when it cannot be read.
fn date_filter(typed: &str, label: &str, errors: &mut Vec<String>) -> Option<chrono::NaiveDate> {
    if typed.trim().is_empty() {
        return None;
    }
    let d = parse_date(typed);
    if d.is_none() {
        errors.push(format!("{label}“{}”无法识别，请按 YYYY-MM-DD 填写", crate::limits::preview(typed)));
    }
    d
}

/// The filter the list and the download apply, and the problems with what was typed.
fn filter_of(q: &LedgerQuery, page: u64) -> (HazardFilter, Vec<String>) {
    let mut errors = Vec::new();
    let text = |v: &str| Some(v.trim().to_owned()).filter(|s| !s.is_empty());
    let filter = HazardFilter {
        status: q.status.parse().ok(),
        level: q.level.parse().ok(),
        source: q.source.parse().ok(),
        sector: Some(q.sector.clone()).filter(|s| s.parse::<Sector>().is_ok()),
        region: text(&q.region).filter(|r| RegionCode::parse(r).is_ok()),
        overdue: Some(q.overdue == "true"),
        enterprise_id: q.enterprise_id.trim().parse().ok(),
        q: text(&q.q).map(|t| t.chars().take(crate::limits::NAME).collect()),
        category: text(&q.category).filter(|c| c.chars().count() <= crate::limits::SHORT),
        found_from: date_filter(&q.found_from, "发现日期（起）", &mut errors),
        found_to: date_filter(&q.found_to, "发现日期（止）", &mut errors),
        due_after: date_filter(&q.due_after, "整改期限（起）", &mut errors),
        due_before: date_filter(&q.due_before, "整改期限（止）", &mut errors),
        supervision_level: q.supervision_level.parse().ok(),
        page: Some(page),
        per_page: Some(PER_PAGE),
    };
    (filter, errors)
}

/// The filter as a query string (dates as read, `YYYY-MM-DD`).
fn query_of(f: &HazardFilter, q: &LedgerQuery) -> String {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let (found_from, found_to, due_after, due_before) =
        (date(f.found_from), date(f.found_to), date(f.due_after), date(f.due_before));
    let enterprise = f.enterprise_id.map(|e| e.to_string()).unwrap_or_default();
    super::page::query_string(&[
        ("status", f.status.map_or("", Status::as_str)),
        ("level", f.level.map_or("", Level::as_str)),
        ("source", f.source.map_or("", Source::as_str)),
        ("sector", f.sector.as_deref().unwrap_or_default()),
        ("region", f.region.as_deref().unwrap_or_default()),
        ("overdue", if f.overdue == Some(true) { "true" } else { "" }),
        ("q", f.q.as_deref().unwrap_or_default()),
        ("category", f.category.as_deref().unwrap_or_default()),
        ("found_from", &found_from),
        ("found_to", &found_to),
        ("due_after", &due_after),
        ("due_before", &due_before),
        ("supervision_level", f.supervision_level.map_or("", SupervisionLevel::as_str)),
        ("enterprise_id", &enterprise),
        ("enterprise_q", if enterprise.is_empty() { "" } else { q.enterprise_q.as_str() }),
    ])
}

async fn filters(state: &AppState, user: &CurrentUser, q: &LedgerQuery, f: &HazardFilter) -> PageResult<Filters> {
    let advanced = [&q.category, &q.found_from, &q.found_to, &q.due_after, &q.due_before, &q.supervision_level]
        .iter()
        .chain([&q.source, &q.sector, &q.region, &q.enterprise_id].iter())
        .any(|v| !v.trim().is_empty());
    Ok(Filters {
        statuses: choices(Status::ALL, Status::as_str, Status::zh, &q.status),
        levels: choices(Level::ALL, Level::as_str, Level::zh, &q.level),
        sources: choices(Source::ALL, Source::as_str, Source::zh, &q.source),
        sectors: choices(Sector::ALL, Sector::as_str, Sector::zh, &q.sector),
        supervision_levels: choices(
            SupervisionLevel::ALL,
            SupervisionLevel::as_str,
            SupervisionLevel::zh,
            &q.supervision_level,
        ),
        categories: categories(state, &q.category).await?,
        regions: regions(user, &q.region),
        q: q.q.clone(),
        found_from: q.found_from.clone(),
        found_to: q.found_to.clone(),
        due_after: q.due_after.clone(),
        due_before: q.due_before.clone(),
        overdue: f.overdue == Some(true),
        enterprise_id: f.enterprise_id.map(|e| e.to_string()).unwrap_or_default(),
        enterprise_q: q.enterprise_q.clone(),
        advanced,
    })
}

/// Without scripts the picker sends only the typed name: one match is taken,
/// otherwise the page says why the enterprise filter is not applied.
async fn picked_by_name(
    state: &AppState,
    user: &CurrentUser,
    q: &LedgerQuery,
    filter: &mut HazardFilter,
    errors: &mut Vec<String>,
) -> PageResult<()> {
    let text = q.enterprise_q.trim();
    if filter.enterprise_id.is_some() || text.is_empty() || !user.is_bureau_user() {
        return Ok(());
    }
    let text: String = text.chars().take(crate::limits::NAME).collect();
    match crate::enterprise::search::search(state.db.conn(), user, &text).await?.as_slice() {
        [one] => filter.enterprise_id = Some(one.id),
        [] => errors.push(format!("没有找到企业“{}”，未按企业筛选", crate::limits::preview(&text))),
        _ => errors.push(format!("“{}”匹配到多家企业，请输入更完整的名称", crate::limits::preview(&text))),
    }
    Ok(())
}

pub async fn ledger(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<LedgerQuery>,
) -> PageResult {
    let page = super::page::page_number(&q.page);
    let (mut filter, mut errors) = filter_of(&q, page);
    picked_by_name(&state, &user, &q, &mut filter, &mut errors).await?;
    let (rows, total) = ledger_rows(&state, &user, &filter).await?;
    let counts = if user.is_bureau_user() { count_lines(&state, &user).await? } else { Vec::new() };
    let layout = Layout::new(&state, &user, "隐患台账", Section::Hazards).await?;
    render(&LedgerPage {
        layout,
        rows,
        total,
        f: filters(&state, &user, &q, &filter).await?,
        errors,
        page,
        pages: total.div_ceil(PER_PAGE).max(1),
        query: query_of(&filter, &q),
        count_statuses: Status::ALL.iter().map(|s| s.zh()).collect(),
        counts,
        may_import: crate::hazard::policy::imports_ledger(&user.roles, user.is_bureau_user()),
        bureau_user: user.is_bureau_user(),
        show_enterprise: user.is_bureau_user() || user.enterprise_ids.len() > 1,
    })
}
