//! The indicator cockpit (指标驾驶舱, `/indicators`): every indicator of a region and
//! year against its plan's target, with status in colour and text; each one's page
//! with the year's trend, the regions below as bars (each a link one level down) and
//! the records behind the number; a workbook; an A4 report for the 安委会 meeting.
//! Read through the API's own reads (`indicator::read`), so scope and figures agree.
//!
//! Decisions:
//! - It is the first item of the navigation for the bureau's staff who read it.
//! - A regulator or approver may compute the region's figures now (重新计算); the
//!   page always shows the time the figures are as of.
//! - A target from an ancestor region says so (沿用), an unverified one says 未核实.

use super::indicator_svg::{bars, num, status_class, trend};
use super::layout::{Layout, Section};
use super::page::{PageResult, PageUser, render};
use crate::auth::CurrentUser;
use crate::enterprise::domain::RegionCode;
use crate::error::AppError;
use crate::indicator::handlers::{self, COMPUTERS, READERS};
use crate::indicator::read::{self, Asked};
use crate::indicator::view::{IndicatorItem, IndicatorQuery, RecordsResponse};
use crate::indicator::workbook::target_text;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;

/// An indicator as shown.
pub struct Card {
    pub code: String,
    pub name: String,
    pub value: String,
    pub fraction: String,
    pub target: String,
    pub status: &'static str,
    pub class: &'static str,
    pub source: String,
    pub counts: String,
}

impl Card {
    fn of(i: &IndicatorItem) -> Self {
        let unit = i.unit.zh();
        let fraction = match (i.denominator, i.code.as_str()) {
            (Some(d), "deaths_per_100m_gdp") => format!("死亡 {} 人 ÷ 地区生产总值 {} 亿元", i.numerator, num(d)),
            (Some(d), "deaths_per_100k_workers") => format!("死亡 {} 人 ÷ {} 十万人", i.numerator, num(d)),
            (Some(d), _) if d > 0.0 => format!("{} / {}", i.numerator, num(d)),
            (Some(_), _) => "本年度无统计对象".to_owned(),
            (None, "deaths_per_100m_gdp") => "未录入地区生产总值".to_owned(),
            (None, "deaths_per_100k_workers") => "未录入工矿商贸就业人员数".to_owned(),
            (None, _) => String::new(),
        };
        Self {
            code: i.code.clone(),
            name: i.name.clone(),
            value: i.value.map_or_else(|| "暂无数据".to_owned(), |v| format!("{}{unit}", num(v))),
            fraction,
            target: target_text(i),
            status: i.status.zh(),
            class: status_class(i.status),
            source: i.source.clone(),
            counts: i.counts.clone(),
        }
    }
}

/// A region one level down, to drill into.
pub struct Child {
    pub code: String,
    pub name: String,
}

fn children(region: &RegionCode) -> Vec<Child> {
    crate::bureau::regions::within(region)
        .into_iter()
        .filter(|(c, _)| {
            RegionCode::parse(c).is_ok_and(|r| {
                crate::bureau::regions::parent(&r).as_ref().map(RegionCode::as_str) == Some(region.as_str())
            })
        })
        .map(|(code, name)| Child { code, name: name.to_owned() })
        .collect()
}

/// The region one level up, while it is still within the user's own.
fn parent_link(a: &Asked, own: &str) -> Option<Child> {
    if a.region.as_str() == own {
        return None;
    }
    crate::bureau::regions::parent(&a.region)
        .map(|p| Child { name: read::region_name(&p), code: p.as_str().to_owned() })
}

#[derive(Template)]
#[template(path = "indicators.html")]
struct OverviewPage {
    layout: Layout,
    region: String,
    region_name: String,
    year: i32,
    years: Vec<i32>,
    as_of: String,
    cards: Vec<Card>,
    children: Vec<Child>,
    up: Option<Child>,
    may_compute: bool,
    computed: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Shown {
    region: Option<String>,
    year: Option<String>,
    computed: Option<String>,
}

impl Shown {
    fn query(&self) -> IndicatorQuery {
        IndicatorQuery {
            region: self.region.clone().filter(|r| !r.trim().is_empty()),
            year: self.year.as_deref().and_then(|y| y.trim().parse().ok()),
        }
    }
}

async fn asked(state: &AppState, user: &CurrentUser, q: &Shown) -> Result<Asked, AppError> {
    if !user.roles.iter().any(|r| READERS.contains(r)) {
        return Err(AppError::NotFound);
    }
    handlers::asked(state, user, &q.query()).await
}

fn as_of_text(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map_or_else(|| "尚未计算".to_owned(), crate::clock::beijing)
}

pub async fn overview(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<Shown>) -> PageResult {
    let a = asked(&state, &user, &q).await?;
    let o = read::overview_cached(&state, &a).await?;
    let own_region = own_region(&state, &user).await?;
    render(&OverviewPage {
        layout: Layout::new(&state, &user, "指标驾驶舱", Section::Indicators).await?,
        region: o.region.clone(),
        region_name: o.region_name.clone(),
        year: o.year,
        years: (2021..=chrono::Datelike::year(&a.today)).rev().collect(),
        as_of: as_of_text(o.as_of),
        cards: o.items.iter().map(Card::of).collect(),
        children: children(&a.region),
        up: parent_link(&a, &own_region),
        may_compute: user.roles.iter().any(|r| COMPUTERS.contains(r)),
        computed: q.computed.is_some(),
    })
}

async fn own_region(state: &AppState, user: &CurrentUser) -> Result<String, AppError> {
    let b = crate::scope::own_bureau(state.db.conn(), user).await?;
    Ok(b.region_code)
}

#[derive(Template)]
#[template(path = "indicator_detail.html")]
struct DetailPage {
    layout: Layout,
    region: String,
    region_name: String,
    year: i32,
    as_of: String,
    card: Card,
    trend: String,
    bars: String,
    regions: Vec<RegionRow>,
    records: RecordsResponse,
    up: Option<Child>,
}

/// A region below, as a row of the table beside the bars.
pub struct RegionRow {
    pub code: String,
    pub name: String,
    pub value: String,
    pub fraction: String,
    pub status: &'static str,
    pub class: &'static str,
    /// Links one level down (not for the region's own records).
    pub link: bool,
}

pub async fn detail(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(code): Path<String>,
    Query(q): Query<Shown>,
) -> PageResult {
    let a = asked(&state, &user, &q).await?;
    let d = read::detail_cached(&state, &a, &code).await?;
    let records = handlers::records(&state, &user, &a, &code).await?;
    let unit = d.item.unit.zh();
    let own_region = own_region(&state, &user).await?;
    let regions = d
        .regions
        .iter()
        .map(|r| RegionRow {
            link: r.region_code != d.region,
            code: r.region_code.clone(),
            name: r.name.clone(),
            value: r.value.map_or_else(|| "暂无数据".to_owned(), |v| format!("{}{unit}", num(v))),
            fraction: r
                .denominator
                .map_or_else(|| r.numerator.to_string(), |x| format!("{} / {}", r.numerator, num(x))),
            status: r.status.zh(),
            class: status_class(r.status),
        })
        .collect();
    render(&DetailPage {
        layout: Layout::new(&state, &user, &d.item.name, Section::Indicators).await?,
        trend: trend(
            &d.months,
            d.item.target.as_ref().and_then(|t| t.value),
            unit,
            &format!("{}逐月趋势", d.item.name),
        ),
        bars: bars(&d.regions, unit, &format!("{}分地区", d.item.name)),
        card: Card::of(&d.item),
        region: d.region.clone(),
        region_name: d.region_name.clone(),
        year: d.year,
        as_of: as_of_text(d.as_of),
        regions,
        records,
        up: parent_link(&a, &own_region),
    })
}

#[derive(Template)]
#[template(path = "indicators_print.html")]
struct PrintPage {
    region: String,
    region_name: String,
    year: i32,
    as_of: String,
    printed_on: String,
    bureau: String,
    cards: Vec<Card>,
    charts: Vec<(String, String)>,
}

pub async fn print(State(state): State<AppState>, PageUser(user): PageUser, Query(shown): Query<Shown>) -> PageResult {
    let asked = asked(&state, &user, &shown).await?;
    let a = &asked;
    let o = read::overview_cached(&state, a).await?;
    let mut charts = Vec::new();
    for i in o.items.iter().filter(|i| i.value.is_some()) {
        let d = read::detail_cached(&state, a, &i.code).await?;
        let t = d.item.target.as_ref().and_then(|t| t.value);
        charts.push((i.name.clone(), trend(&d.months, t, i.unit.zh(), &format!("{}逐月趋势", i.name))));
    }
    render(&PrintPage {
        region: o.region.clone(),
        region_name: o.region_name.clone(),
        year: o.year,
        as_of: as_of_text(o.as_of),
        printed_on: a.today.to_string(),
        bureau: user.bureau.as_ref().map(|b| b.name.clone()).unwrap_or_default(),
        cards: o.items.iter().map(Card::of).collect(),
        charts,
    })
}

#[derive(Debug, Deserialize)]
pub struct ComputeForm {
    csrf_token: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    year: String,
}

pub async fn recompute(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(f): Form<ComputeForm>,
) -> PageResult {
    user.check_csrf(&f.csrf_token)?;
    if !user.roles.iter().any(|r| COMPUTERS.contains(r)) {
        return Err(AppError::NotFound.into());
    }
    let shown = Shown { region: Some(f.region.clone()), year: Some(f.year.clone()), computed: None };
    let a = asked(&state, &user, &shown).await?;
    handlers::recompute(&state, &user, &a).await?;
    Ok(Redirect::to(&format!("/indicators?region={}&year={}&computed=1", a.region.as_str(), a.year)).into_response())
}

pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/indicators", get(overview))
        .route("/indicators/print", get(print))
        .route("/indicators/recompute", post(recompute))
        .route("/indicators/{code}", get(detail))
}
