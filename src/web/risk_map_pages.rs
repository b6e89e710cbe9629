//! 一图一牌: the enterprise's four-colour risk map (风险四色分布图) over its site plan,
//! the upload of the plan and the placing of points, and the printable post notice
//! boards (岗位风险告知牌) with their public copies.
//!
//! The map is one SVG in the plan's own pixel coordinates: the plan as an `<image>`,
//! each placed point a circle of its colour with its number, so points cannot drift
//! from the plan at any width or in print (A3 landscape, the named page `risk-map`).
//! A writer selects a point and clicks the plan; the small script converts the click
//! to fractions of the plan and calls `PUT /api/v1/risk-points/{id}/position`.

use super::layout::{Layout, Section};
use super::page::{PagePath, PageResult, PageUser, render, see_other};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::risk::board::{self, Board};
use crate::risk::domain::RiskLevel;
use crate::risk::json::{RiskPointList, RiskPointResponse};
use crate::risk::lists::ListKind;
use crate::risk::{policy, rules, service, site_plan};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Query, State};
use axum::routing::{get, post};
use serde::Deserialize;

/// A point on the map: its number, where, and its level.
struct Marker {
    number: usize,
    id: i64,
    name: String,
    level: RiskLevel,
    level_label: String,
    /// Centre in plan pixels, when placed.
    at: Option<(f64, f64)>,
    placed: bool,
}

#[derive(Template)]
#[template(path = "risk_map.html")]
struct MapPage {
    layout: Layout,
    enterprise_id: i64,
    enterprise_name: String,
    plan: Option<(i32, i32)>,
    markers: Vec<Marker>,
    list: RiskPointList,
    placed: usize,
    radius: f64,
    may_write: bool,
    today: String,
    rules_version: String,
    lists: Vec<(&'static str, &'static str)>,
    flash: Option<String>,
    problem: Option<String>,
}

fn markers(list: &RiskPointList, plan: Option<(i32, i32)>) -> Vec<Marker> {
    (1..)
        .zip(&list.items)
        .map(|(number, p): (usize, &RiskPointResponse)| {
            let at = match (plan, p.plan_x, p.plan_y) {
                (Some((w, h)), Some(x), Some(y)) => Some((x * f64::from(w), y * f64::from(h))),
                _ => None,
            };
            Marker {
                number,
                id: p.id,
                name: p.name.clone(),
                level: p.level,
                level_label: p.level_label.clone(),
                placed: at.is_some(),
                at,
            }
        })
        .collect()
}

async fn map_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    flash: Option<String>,
    problem: Option<String>,
) -> Result<MapPage, AppError> {
    let db = state.db.conn();
    let enterprise = crate::enterprise::service::get_scoped(db, &user.scope, id).await?;
    let list = service::list(db, user, id).await?;
    let plan = site_plan::current(db, enterprise.id).await?.map(|p| (p.width, p.height));
    let markers = markers(&list, plan);
    let section = if user.is_bureau_user() { Section::Enterprises } else { Section::Risk };
    Ok(MapPage {
        layout: Layout::new(state, user, "风险四色分布图", section).await?,
        may_write: policy::check_write(user, &enterprise).is_ok(),
        enterprise_id: enterprise.id,
        enterprise_name: enterprise.name,
        placed: markers.iter().filter(|m| m.placed).count(),
        // A circle about 2 % of the plan's longer side, so it reads on any plan size.
        radius: plan.map_or(10.0, |(w, h)| f64::from(w.max(h)) * 0.018),
        plan,
        markers,
        list,
        today: state.clock.today().to_string(),
        rules_version: rules::in_force()?.version.clone(),
        lists: ListKind::ALL.iter().map(|k| (k.as_str(), k.zh())).collect(),
        flash,
        problem,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Shown {
    uploaded: Option<String>,
}

pub async fn show_map(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Query(q): Query<Shown>,
) -> PageResult {
    let flash = q.uploaded.map(|_| "已上传平面图。请选择风险点后在图上点击，标注其位置。".to_owned());
    render(&map_page(&state, &user, id, flash, None).await?)
}

/// The plan from the page's form: CSRF first, then the file.
pub async fn upload_plan(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    form: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let upload = super::import_pages::read_upload(&user, form).await;
    let result = match upload {
        Ok(u) => site_plan::upload(&state, &user, id, &u.filename, &u.bytes).await,
        Err(e @ AppError::BadRequest { code: "csrf_failed", .. }) => return Err(e.into()),
        Err(AppError::Validation(_)) => Err(AppError::validation("file", "请选择平面图图片（PNG 或 JPEG）")),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/enterprises/{id}/risk-map?uploaded=1"))),
        Err(e @ (AppError::Validation(_) | AppError::BadRequest { .. })) => {
            let problem = super::page::messages(&e).join("；");
            let page = map_page(&state, &user, id, None, Some(problem)).await?;
            super::page::render_with(axum::http::StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "risk_board.html")]
struct BoardPage {
    b: Board,
    back: String,
}

pub async fn show_board(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath((id, pid)): PagePath<(i64, i64)>,
) -> PageResult {
    let b = board::for_point(state.db.conn(), &user, id, pid).await?;
    render(&BoardPage { b, back: format!("/enterprises/{id}/risk-map") })
}

#[derive(Template)]
#[template(path = "public_risk_board.html")]
struct PublicBoardPage {
    b: Board,
}

/// The public copy of a board: no sign-in; an unknown token is 404.
pub async fn public_board(State(state): State<AppState>, PagePath(token): PagePath<String>) -> PageResult {
    let b = board::public(state.db.conn(), &token).await?;
    render(&PublicBoardPage { b })
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/enterprises/{id}/risk-map", get(show_map))
        .route(
            "/enterprises/{id}/risk-map/site-plan",
            post(upload_plan).layer(crate::upload::limit(site_plan::MAX_BYTES)),
        )
        .route("/enterprises/{id}/risk-points/{pid}/board", get(show_board))
        .route("/public/risk-boards/{token}", get(public_board))
}
