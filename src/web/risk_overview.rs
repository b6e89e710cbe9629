//! 风险分布 (`/risk-overview`), for bureau users: the territory's enterprises per
//! risk grade (totals, and by county and sector), and a map of their positions by
//! colour. No tile server is reachable from the bureaus' networks and no outline
//! file is shipped, so the map is a scatter by longitude and latitude on a plain
//! grid (equirectangular, x scaled by cos of the mean latitude), drawn server-side
//! as SVG; each dot links to its enterprise. At most
//! [`crate::grading::territory::MAP_CAP`] enterprises are drawn, the worst first,
//! and the page says how many more have a position. 监管人员 may recompute now.

use super::layout::{Layout, Section};
use super::page::{PageResult, PageUser, render_with, see_other};
use crate::auth::Role;
use crate::error::AppError;
use crate::grading::json::GradeCounts;
use crate::grading::territory::{self, MapPoint};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

/// Width of the map's drawing area, in SVG units.
const WIDTH: f64 = 1000.0;
const PAD: f64 = 24.0;

pub struct Dot {
    pub id: i64,
    pub name: String,
    pub x: String,
    pub y: String,
    pub grade: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "risk_overview.html")]
struct OverviewPage {
    layout: Layout,
    counts: GradeCounts,
    dots: Vec<Dot>,
    height: String,
    more: u64,
    bounds: String,
    may_recompute: bool,
    flash: Option<String>,
}

/// Places points in a `WIDTH`-wide box; answers the dots and the box's height.
pub fn project(points: &[MapPoint]) -> (Vec<Dot>, f64) {
    let fold = |f: fn(f64, f64) -> f64, init: f64, get: fn(&MapPoint) -> f64| points.iter().map(get).fold(init, f);
    let west = fold(f64::min, f64::MAX, |p| p.longitude);
    let east = fold(f64::max, f64::MIN, |p| p.longitude);
    let south = fold(f64::min, f64::MAX, |p| p.latitude);
    let north = fold(f64::max, f64::MIN, |p| p.latitude);
    if points.is_empty() {
        return (Vec::new(), 300.0);
    }
    let shrink = south.midpoint(north).to_radians().cos().max(0.1);
    // A span of at least ~1 km, so one enterprise or a tight cluster is not blown up.
    let span_x = ((east - west) * shrink).max(0.01);
    let span_y = (north - south).max(0.01);
    let scale = (WIDTH - 2.0 * PAD) / span_x.max(span_y);
    let height = (span_y * scale + 2.0 * PAD).clamp(300.0, 1400.0);
    let dots = points
        .iter()
        .map(|p| {
            let x = PAD + (p.longitude - west) * shrink * scale;
            let y = height - PAD - (p.latitude - south) * scale;
            Dot {
                id: p.id,
                name: p.name.clone(),
                x: format!("{x:.1}"),
                y: format!("{y:.1}"),
                grade: p.risk_grade.map_or_else(|| "none".to_owned(), |g| g.as_str().to_owned()),
                label: crate::grading::service::grade_label(p.risk_grade),
            }
        })
        .collect();
    (dots, height)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Shown {
    changed: Option<u64>,
}

pub async fn show(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<Shown>) -> PageResult {
    if !user.is_bureau_user() {
        return Err(AppError::NotFound.into());
    }
    let db = state.db.conn();
    let counts = territory::counts(db, &user).await?;
    let (points, more) = territory::map_points(db, &user).await?;
    let (dots, height) = project(&points);
    let bounds = if points.is_empty() {
        String::new()
    } else {
        let lon = points.iter().map(|p| p.longitude);
        let lat = points.iter().map(|p| p.latitude);
        format!(
            "经度 {:.3}–{:.3}，纬度 {:.3}–{:.3}",
            lon.clone().fold(f64::MAX, f64::min),
            lon.fold(f64::MIN, f64::max),
            lat.clone().fold(f64::MAX, f64::min),
            lat.fold(f64::MIN, f64::max)
        )
    };
    let page = OverviewPage {
        layout: Layout::new(&state, &user, "风险分布", Section::RiskOverview).await?,
        counts,
        dots,
        height: format!("{height:.0}"),
        more,
        bounds,
        may_recompute: user.has(Role::Regulator),
        flash: q.changed.map(|n| format!("已重新计算，{n} 家企业的等级或类别有变化。")),
    };
    render_with(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CsrfOnly {
    csrf_token: String,
}

pub async fn recompute(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(form): Form<CsrfOnly>,
) -> PageResult {
    user.check_csrf(&form.csrf_token)?;
    let r = state.write(user.actor(), async |tx| crate::grading::service::recompute(tx, &user).await).await?;
    Ok(see_other(&format!("/risk-overview?changed={}#flash", r.changed)))
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/risk-overview", get(show)).route("/risk-overview/recompute", post(recompute))
}
