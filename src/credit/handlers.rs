//! HTTP handlers of credit: the breakdown, the scored list, recomputation, the rule
//! versions with preview and adoption, contests and their resolution.

use super::json::{AdoptBody, ContestBody, CreditBreakdown, CreditPreview, CreditScoreRow, ResolveBody, ScoreFilter};
use super::recompute::CreditRunReport;
use super::rules::CreditRules;
use super::{adopt, recompute, service};
use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult, ErrorBody, FieldErrors};
use crate::json::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// A required free text of at most 1,000 characters, trimmed.
pub fn required_text(field: &str, label: &str, value: &str) -> AppResult<String> {
    let v = value.trim();
    let mut fields = FieldErrors::new();
    if v.is_empty() {
        fields.entry(field.to_owned()).or_default().push(format!("请填写{label}"));
    }
    crate::limits::check(&mut fields, field, label, Some(v), 1000);
    if fields.is_empty() { Ok(v.to_owned()) } else { Err(AppError::Validation(fields)) }
}

/// An enterprise's internal supervision-risk score (监管风险信号): recomputed now from
/// its events under the rule version in force, each event with its weight, date and
/// decay, and the stored score beside it. Regulators in scope and the enterprise
/// itself; never public.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/credit", tag = "credit", params(("id" = i64, Path)),
    responses((status = 200, body = CreditBreakdown), (status = 404, body = ErrorBody)))]
pub async fn enterprise_credit(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<CreditBreakdown>> {
    let db = state.db.conn();
    let e = service::enterprise_of(db, &user, id).await?;
    let today = crate::clock::china_date(state.clock.now());
    Ok(Json(service::breakdown(db, &e, today).await?))
}

/// The stored scores of the enterprises in the caller's scope, highest first (bureau users).
#[utoipa::path(get, path = "/api/v1/credit/scores", tag = "credit", params(ScoreFilter),
    responses((status = 200, body = Vec<CreditScoreRow>), (status = 403, body = ErrorBody)))]
pub async fn credit_scores(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<ScoreFilter>,
) -> AppResult<Json<Vec<CreditScoreRow>>> {
    Ok(Json(service::list(state.db.conn(), &user, &f).await?))
}

/// Collect new events and recompute every stored score now (监管人员); the nightly
/// job does the same.
#[utoipa::path(post, path = "/api/v1/credit/recompute", tag = "credit",
    responses((status = 200, body = CreditRunReport), (status = 403, body = ErrorBody)))]
pub async fn credit_recompute(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<CreditRunReport>> {
    user.require_any(&[Role::Regulator])?;
    let report = state
        .write(user.actor(), async |tx| {
            let v = service::version_in_force(tx).await?;
            recompute::run(tx, v, tx.now(), "api").await
        })
        .await?;
    Ok(Json(report))
}

/// The rule versions (weights, periods, classes) and the one in force.
#[utoipa::path(get, path = "/api/v1/credit/rules", tag = "credit",
    responses((status = 200, body = CreditRules), (status = 403, body = ErrorBody)))]
pub async fn credit_rules(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<CreditRules>> {
    if !user.is_bureau_user() {
        return Err(AppError::Forbidden);
    }
    let mut r = super::rules::data()?.clone();
    r.default_version = service::version_in_force(state.db.conn()).await?.version.clone();
    Ok(Json(r))
}

/// How many enterprises would change class under `version`, against the version in force.
#[utoipa::path(get, path = "/api/v1/credit/rules/{version}/preview", tag = "credit",
    params(("version" = String, Path)),
    responses((status = 200, body = CreditPreview), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn credit_preview(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(version): ApiPath<String>,
) -> AppResult<Json<CreditPreview>> {
    let today = crate::clock::china_date(state.clock.now());
    Ok(Json(adopt::preview(state.db.conn(), &user, &version, today).await?))
}

/// Adopt `version` (a 监管人员 of the top bureau) and recompute every score under it.
#[utoipa::path(post, path = "/api/v1/credit/rules/{version}/adopt", tag = "credit",
    params(("version" = String, Path)), request_body = AdoptBody,
    responses((status = 200, body = CreditRunReport), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn credit_adopt(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(version): ApiPath<String>,
    ApiJson(body): ApiJson<AdoptBody>,
) -> AppResult<Json<CreditRunReport>> {
    user.require_any(&[Role::Regulator])?;
    let note = required_text("note", "采用说明", &body.note)?;
    Ok(Json(state.write(user.actor(), async |tx| adopt::adopt(tx, &user, &version, &note).await).await?))
}

/// The enterprise contests one of its events (主要负责人 or 安全管理人员); the
/// supervising regulators get a to-do.
#[utoipa::path(post, path = "/api/v1/credit-events/{id}/contest", tag = "credit", params(("id" = i64, Path)),
    request_body = ContestBody,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn contest_event(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ContestBody>,
) -> AppResult<StatusCode> {
    let reason = required_text("reason", "异议理由", &body.reason)?;
    state.write(user.actor(), async |tx| service::contest(tx, &user, id, &reason).await).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A regulator in scope resolves a contest: upheld voids the event.
#[utoipa::path(post, path = "/api/v1/credit-events/{id}/resolve", tag = "credit", params(("id" = i64, Path)),
    request_body = ResolveBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn resolve_event(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ResolveBody>,
) -> AppResult<StatusCode> {
    user.require_any(&[Role::Regulator])?;
    let note = required_text("note", "处理意见", &body.note)?;
    state.write(user.actor(), async |tx| service::resolve(tx, &user, id, body.upheld, &note).await).await?;
    Ok(StatusCode::NO_CONTENT)
}
