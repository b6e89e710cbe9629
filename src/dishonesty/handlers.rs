//! HTTP handlers of the dishonesty list.

use super::domain::ListingStep;
use super::json::{
    DishonestyFilter, DishonestyListingResponse, DishonestyProposalBody, DishonestyPublicEntry, DishonestyScanReport,
    DishonestyStepBody,
};
use super::rules::{self, DishonestyRules};
use super::{scan, service, steps, view};
use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath, ApiQuery, ListResponse};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

async fn respond(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<Json<DishonestyListingResponse>> {
    let db = state.db.conn();
    let m = steps::visible(db, user, id).await?;
    Ok(Json(view::response(db, user, m).await?))
}

/// The serious-dishonesty list as published (public, no login): who is listed now, why,
/// since when and until when; persons by surname and 某, no identity numbers.
#[utoipa::path(get, path = "/api/v1/dishonesty-list", tag = "dishonesty", security(()),
    responses((status = 200, body = Vec<DishonestyPublicEntry>)))]
pub async fn public_dishonesty_list(State(state): State<AppState>) -> AppResult<Json<Vec<DishonestyPublicEntry>>> {
    Ok(Json(view::public(state.db.conn()).await?))
}

/// The listing situations, period and early-removal rules (versioned data, public);
/// `verified: false` marks a situation not yet checked against the official text.
#[utoipa::path(get, path = "/api/v1/dishonesty-list/situations", tag = "dishonesty", security(()),
    responses((status = 200, body = DishonestyRules)))]
pub async fn dishonesty_situations() -> AppResult<Json<DishonestyRules>> {
    Ok(Json(rules::rules()?.clone()))
}

/// Scan the records now for listing situations (the nightly job does the same); a basis
/// already proposed is not proposed again.
#[utoipa::path(post, path = "/api/v1/dishonesty-list/scan", tag = "dishonesty",
    responses((status = 200, body = DishonestyScanReport), (status = 403, body = ErrorBody)))]
pub async fn scan_dishonesty(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<DishonestyScanReport>> {
    if !user.is_bureau_user() || !user.has(Role::Regulator) {
        return Err(AppError::Forbidden);
    }
    let proposed = state.write(user.actor(), async |tx| scan::run(tx).await).await?;
    Ok(Json(DishonestyScanReport { proposed }))
}

/// The proposals and listings the caller sees (a bureau's and those below it; an
/// enterprise its own after the notice), newest change first, 100 at most.
#[utoipa::path(get, path = "/api/v1/dishonesty-list/proposals", tag = "dishonesty", params(DishonestyFilter),
    responses((status = 200, body = ListResponse<DishonestyListingResponse>)))]
pub async fn list_dishonesty_proposals(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<DishonestyFilter>,
) -> AppResult<Json<ListResponse<DishonestyListingResponse>>> {
    let (items, total) = view::list(state.db.conn(), &user, &f).await?;
    Ok(Json(ListResponse { items, total }))
}

/// A regulator proposes a listing the records do not show (a technical-service body and
/// its staff, a person found responsible by the investigation …), on a penalty decision
/// or an accident of its own bureau.
#[utoipa::path(post, path = "/api/v1/dishonesty-list/proposals", tag = "dishonesty", request_body = DishonestyProposalBody,
    responses((status = 201, body = DishonestyListingResponse), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn propose_dishonesty(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<DishonestyProposalBody>,
) -> AppResult<(StatusCode, Json<DishonestyListingResponse>)> {
    let m = state.write(user.actor(), async |tx| service::propose(tx, &user, &body).await).await?;
    Ok((StatusCode::CREATED, respond(&state, &user, m.id).await?))
}

/// One proposal or listing with its documents' numbers, early-removal conditions and allowed actions.
#[utoipa::path(get, path = "/api/v1/dishonesty-list/proposals/{id}", tag = "dishonesty", params(("id" = i64, Path)),
    responses((status = 200, body = DishonestyListingResponse), (status = 404, body = ErrorBody)))]
pub async fn get_dishonesty_listing(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<DishonestyListingResponse>> {
    respond(&state, &user, id).await
}

/// Take a step: `notify`, `statement`, `decide`, `refuse`, `apply_removal`, `decide_removal`,
/// `revoke_removal`. Refusals: 404, 403 (not this person's step), 409 `separation_of_duties`,
/// 409 `illegal_transition`, 409 `statement_period`, 409 `removal_conditions_unmet`, 422
/// `removal_too_early`, 422 for the body.
#[utoipa::path(post, path = "/api/v1/dishonesty-list/proposals/{id}/{step}", tag = "dishonesty",
    request_body = DishonestyStepBody, params(("id" = i64, Path), ("step" = ListingStep, Path)),
    responses((status = 200, body = DishonestyListingResponse), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn take_dishonesty_step(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, step)): ApiPath<(i64, String)>,
    ApiJson(body): ApiJson<DishonestyStepBody>,
) -> AppResult<Json<DishonestyListingResponse>> {
    let Ok(step) = step.parse::<ListingStep>() else { return Err(AppError::NotFound) };
    state.write(user.actor(), async |tx| steps::act(tx, &user, id, step, &body).await).await?;
    respond(&state, &user, id).await
}
