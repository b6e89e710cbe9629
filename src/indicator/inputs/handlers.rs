//! HTTP handlers of the inputs API: thin (extract, `state.write`, respond). A
//! save answers 201 when it created the entry and 200 when it updated it (or it
//! was already so).

use super::checks::Enterer;
use super::json::{
    BaselineInput, BaselineResponse, DenominatorInput, DenominatorResponse, InputsFilter, Saved, TargetInput,
    TargetResponse,
};
use super::{list, service};
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath, ApiQuery, ListResponse};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

type SavedReply<T> = AppResult<(StatusCode, Json<Saved<T>>)>;

fn reply<M, T>(s: Saved<M>, view: fn(M) -> T) -> (StatusCode, Json<Saved<T>>) {
    let status = if s.created { StatusCode::CREATED } else { StatusCode::OK };
    (status, Json(Saved { created: s.created, changed: s.changed, item: view(s.item) }))
}

fn listed<T>(items: Vec<T>) -> Json<ListResponse<T>> {
    Json(ListResponse { total: items.len() as u64, items })
}

/// The denominators entered for the regions of the caller's bureau (at most 2,000; a region outside is 404).
#[utoipa::path(get, path = "/api/v1/indicator-denominators", tag = "indicators", params(InputsFilter),
    responses((status = 200, body = ListResponse<DenominatorResponse>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list_indicator_denominators(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<InputsFilter>,
) -> AppResult<Json<ListResponse<DenominatorResponse>>> {
    let b = list::reader(state.db.conn(), &user).await?;
    Ok(listed(list::denominators(state.db.conn(), &b, &f).await?))
}

/// Enter a region's 地区生产总值 and 工矿商贸就业人员 for a year (监管人员, its region or below); again: an update.
#[utoipa::path(post, path = "/api/v1/indicator-denominators", tag = "indicators", request_body = DenominatorInput,
    responses((status = 201, body = Saved<DenominatorResponse>), (status = 200, body = Saved<DenominatorResponse>),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_indicator_denominator(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<DenominatorInput>,
) -> SavedReply<DenominatorResponse> {
    let who = Enterer::of(state.db.conn(), &user).await?;
    let s = state.write(user.actor(), async |tx| service::save_denominator(tx, &who, &body).await).await?;
    Ok(reply(s, list::denominator_view))
}

/// The baselines entered for the regions of the caller's bureau (at most 2,000).
#[utoipa::path(get, path = "/api/v1/indicator-baselines", tag = "indicators", params(InputsFilter),
    responses((status = 200, body = ListResponse<BaselineResponse>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list_indicator_baselines(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<InputsFilter>,
) -> AppResult<Json<ListResponse<BaselineResponse>>> {
    let b = list::reader(state.db.conn(), &user).await?;
    Ok(listed(list::baselines(state.db.conn(), &b, &f).await?))
}

/// Enter a region's baseline of an indicator for a year (e.g. 2020 deaths); again: an update.
#[utoipa::path(post, path = "/api/v1/indicator-baselines", tag = "indicators", request_body = BaselineInput,
    responses((status = 201, body = Saved<BaselineResponse>), (status = 200, body = Saved<BaselineResponse>),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_indicator_baseline(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<BaselineInput>,
) -> SavedReply<BaselineResponse> {
    let who = Enterer::of(state.db.conn(), &user).await?;
    let s = state.write(user.actor(), async |tx| service::save_baseline(tx, &who, &body).await).await?;
    Ok(reply(s, list::baseline_view))
}

/// The bureaus' own targets for the regions of the caller's bureau (the shipped ones are in `data/indicators.toml`).
#[utoipa::path(get, path = "/api/v1/indicator-targets", tag = "indicators", params(InputsFilter),
    responses((status = 200, body = ListResponse<TargetResponse>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list_indicator_targets(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<InputsFilter>,
) -> AppResult<Json<ListResponse<TargetResponse>>> {
    let b = list::reader(state.db.conn(), &user).await?;
    Ok(listed(list::targets(state.db.conn(), &b, &f).await?))
}

/// Enter the bureau's own target for a region it covers; the same region, indicator and year again: an update.
#[utoipa::path(post, path = "/api/v1/indicator-targets", tag = "indicators", request_body = TargetInput,
    responses((status = 201, body = Saved<TargetResponse>), (status = 200, body = Saved<TargetResponse>),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_indicator_target(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<TargetInput>,
) -> SavedReply<TargetResponse> {
    let who = Enterer::of(state.db.conn(), &user).await?;
    let s = state.write(user.actor(), async |tx| service::save_target(tx, &who, &body).await).await?;
    Ok(reply(s, list::target_view))
}

/// Withdraw a bureau target (监管人员 of a bureau covering its region; 404 otherwise).
#[utoipa::path(delete, path = "/api/v1/indicator-targets/{id}", tag = "indicators", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_indicator_target(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<StatusCode> {
    let who = Enterer::of(state.db.conn(), &user).await?;
    state.write(user.actor(), async |tx| service::delete_target(tx, &who, id).await).await?;
    Ok(StatusCode::NO_CONTENT)
}
