//! HTTP handlers of results and publication (一公开): record a task's result, list a
//! draw's results, publish them, export them, and the 抽查事项清单.

use super::public_results::PublicResult;
use super::results::{self, SetResult, TaskView};
use super::spot_items::{self, NewSpotCheckItem, SpotCheckItem, Withdraw};
use crate::auth::CurrentUser;
use crate::entities::spot_check_item;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath};
use crate::routes::{ApiRoutes, routes};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(set_task_result))
        .routes(routes!(list_draw_results))
        .routes(routes!(publish_draw))
        .routes(routes!(export_draw_results))
        .routes(routes!(list_spot_check_items, add_spot_check_item))
        .routes(routes!(withdraw_spot_check_item))
}

/// The tasks of a draw with their results (a list bounded by the draw's sample).
#[derive(Debug, Serialize, ToSchema)]
pub struct DrawResults {
    pub items: Vec<TaskView>,
    /// Working days allowed for publication (data; the national wording is unverified).
    pub publish_within_working_days: u32,
}

async fn views(state: &AppState, user: &CurrentUser, draw_id: i64) -> AppResult<Vec<TaskView>> {
    let db = state.db.conn();
    if !user.is_bureau_user() {
        return Err(AppError::Forbidden);
    }
    let d = super::service::get_visible(db, user, draw_id).await?;
    super::results_list::task_views(db, &d, state.clock.today()).await
}

/// Record or correct a drawn task's result (a team member or a regulator of the drawing bureau).
#[utoipa::path(post, path = "/api/v1/draw-tasks/{id}/result", tag = "draws", params(("id" = i64, Path)),
    request_body = SetResult,
    responses((status = 200, body = TaskView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_task_result(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<SetResult>,
) -> AppResult<Json<TaskView>> {
    let t = state.write(user.actor(), async |tx| results::set(tx, &user, id, &req).await).await?;
    let all = views(&state, &user, t.draw_id).await?;
    all.into_iter().find(|v| v.id == t.id).map(Json).ok_or(AppError::NotFound)
}

/// The draw's tasks with inspection status, suggested and recorded results, deadlines.
#[utoipa::path(get, path = "/api/v1/draws/{id}/results", tag = "draws", params(("id" = i64, Path)),
    responses((status = 200, body = DrawResults), (status = 404, body = ErrorBody)))]
pub async fn list_draw_results(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<DrawResults>> {
    let items = views(&state, &user, id).await?;
    Ok(Json(DrawResults { items, publish_within_working_days: super::publish::rule().working_days }))
}

/// What a publication published.
#[derive(Debug, Serialize, ToSchema)]
pub struct Published {
    pub published: Vec<PublicResult>,
}

/// Publish every result of the draw not yet published (a regulator of the drawing bureau).
#[utoipa::path(post, path = "/api/v1/draws/{id}/publish", tag = "draws", params(("id" = i64, Path)),
    responses((status = 200, body = Published), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn publish_draw(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Published>> {
    let rows = state.write(user.actor(), async |tx| super::publish::publish(tx, &user, id).await).await?;
    let published = super::public_results::views(state.db.conn(), rows).await?;
    Ok(Json(Published { published }))
}

/// The draw's results as xlsx in a provincial platform's layout.
#[utoipa::path(get, path = "/api/v1/draws/{id}/results.xlsx", tag = "draws", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 404, body = ErrorBody)))]
pub async fn export_draw_results(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    if !user.is_bureau_user() {
        return Err(AppError::Forbidden);
    }
    let d = super::service::get_visible(state.db.conn(), &user, id).await?;
    let rows = super::results_xlsx::rows(state.db.conn(), &d).await?;
    let bytes = tokio::task::spawn_blocking(move || super::results_xlsx::workbook(&rows))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(crate::xlsx::response(bytes, &format!("双随机抽查结果-{id}.xlsx")))
}

/// The random spot-check item list (public): shipped national defaults and the bureaus' own items.
#[utoipa::path(get, path = "/api/v1/spot-check-items", tag = "draws", security(()),
    responses((status = 200, body = Vec<SpotCheckItem>)))]
pub async fn list_spot_check_items(State(state): State<AppState>) -> AppResult<Json<Vec<SpotCheckItem>>> {
    Ok(Json(spot_items::list(state.db.conn()).await?))
}

/// A regulator adds an item of their bureau to the list.
#[utoipa::path(post, path = "/api/v1/spot-check-items", tag = "draws", request_body = NewSpotCheckItem,
    responses((status = 201, body = SpotCheckItem), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_spot_check_item(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<NewSpotCheckItem>,
) -> AppResult<(StatusCode, Json<SpotCheckItem>)> {
    let row = state.write(user.actor(), async |tx| spot_items::add(tx, &user, &req).await).await?;
    Ok((StatusCode::CREATED, Json(item_view(&state, row).await?)))
}

/// A regulator of the item's bureau withdraws it, with the reason (kept, not deleted).
#[utoipa::path(post, path = "/api/v1/spot-check-items/{id}/withdraw", tag = "draws", params(("id" = i64, Path)),
    request_body = Withdraw,
    responses((status = 200, body = SpotCheckItem), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn withdraw_spot_check_item(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<Withdraw>,
) -> AppResult<Json<SpotCheckItem>> {
    let row = state.write(user.actor(), async |tx| spot_items::withdraw(tx, &user, id, &req.reason).await).await?;
    Ok(Json(item_view(&state, row).await?))
}

async fn item_view(state: &AppState, r: spot_check_item::Model) -> AppResult<SpotCheckItem> {
    let names = spot_items::bureau_names(state.db.conn(), [r.bureau_id]).await?;
    Ok(SpotCheckItem {
        id: Some(r.id),
        code: None,
        bureau_id: Some(r.bureau_id),
        bureau_name: names.get(&r.bureau_id).cloned(),
        subject: r.subject,
        object: r.object,
        matter: r.matter,
        basis: r.basis,
        content: r.content,
        method: r.method,
        frequency: r.frequency,
        verified: true,
    })
}
