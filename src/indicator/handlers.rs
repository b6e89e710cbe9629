//! HTTP handlers of the cockpit API: thin (extract, check, read, respond).

use super::counts::Within;
use super::read::{self, Asked};
use super::view::{IndicatorDetail, IndicatorQuery, IndicatorsResponse, RecordView, RecordsResponse};
use super::{compute, sources};
use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::{ApiPath, ApiQuery};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;

/// Who opens the cockpit: the bureau's own staff (not grid workers or experts).
pub const READERS: [Role; 4] = [Role::Regulator, Role::Approver, Role::Inspector, Role::LegalReviewer];
/// Who may compute a region's figures now.
pub const COMPUTERS: [Role; 2] = [Role::Regulator, Role::Approver];

/// The asked region and year for a reader.
pub async fn asked(state: &AppState, user: &CurrentUser, q: &IndicatorQuery) -> AppResult<Asked> {
    user.require_any(&READERS)?;
    read::asked(state.db.conn(), user, q.region.as_deref(), q.year, state.clock.today()).await
}

/// Every indicator of a region and year against its target (the caller's bureau's
/// region or one below it; figures limited to the caller's sectors).
#[utoipa::path(get, path = "/api/v1/indicators", tag = "indicators", params(IndicatorQuery),
    responses((status = 200, body = IndicatorsResponse), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_indicators(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<IndicatorQuery>,
) -> AppResult<Json<IndicatorsResponse>> {
    let a = asked(&state, &user, &q).await?;
    Ok(Json(read::overview_cached(&state, &a).await?.as_ref().clone()))
}

/// One indicator: the figure, the year's months and the regions directly below.
#[utoipa::path(get, path = "/api/v1/indicators/{code}", tag = "indicators", params(("code" = String, Path), IndicatorQuery),
    responses((status = 200, body = IndicatorDetail), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_indicator(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<IndicatorQuery>,
) -> AppResult<Json<IndicatorDetail>> {
    let a = asked(&state, &user, &q).await?;
    Ok(Json(read::detail_cached(&state, &a, &code).await?.as_ref().clone()))
}

/// The records behind a figure, as of today (or the year's last day), at most 500,
/// those still to do first.
#[utoipa::path(get, path = "/api/v1/indicators/{code}/records", tag = "indicators",
    params(("code" = String, Path), IndicatorQuery),
    responses((status = 200, body = RecordsResponse), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_indicator_records(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<IndicatorQuery>,
) -> AppResult<Json<RecordsResponse>> {
    let a = asked(&state, &user, &q).await?;
    Ok(Json(records(&state, &user, &a, &code).await?))
}

/// The records behind `code` for the asked region and year.
pub async fn records(state: &AppState, user: &CurrentUser, a: &Asked, code: &str) -> AppResult<RecordsResponse> {
    let formula = super::rules::data()?.indicator(code).ok_or(AppError::NotFound)?.formula;
    let y = a.year();
    let within = Within { region: Some(a.region.clone()) };
    let db = state.db.conn();
    let r = sources::records(db, formula, &y, &within, a.sectors.as_deref(), user).await?;
    Ok(RecordsResponse {
        code: code.to_owned(),
        region: a.region.as_str().to_owned(),
        year: a.year,
        on: y.as_of(y.last_month().max(1)),
        items: r
            .items
            .into_iter()
            .map(|x| RecordView {
                label: x.label,
                detail: x.detail,
                region_code: x.region_code,
                counted: x.counted,
                href: x.href,
            })
            .collect(),
        total: r.total,
    })
}

/// Computes the figures of a region (the caller's bureau's by default) and year now,
/// replacing the stored ones (regulators and approvers).
#[utoipa::path(post, path = "/api/v1/indicators/recompute", tag = "indicators", params(IndicatorQuery),
    responses((status = 200, body = compute::ComputeReport), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn recompute_indicators(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<IndicatorQuery>,
) -> AppResult<Json<compute::ComputeReport>> {
    user.require_any(&COMPUTERS)?;
    let a = asked(&state, &user, &q).await?;
    Ok(Json(recompute(&state, &user, &a).await?))
}

pub async fn recompute(state: &AppState, user: &CurrentUser, a: &Asked) -> AppResult<compute::ComputeReport> {
    let within = Within { region: Some(a.region.clone()) };
    let year = a.year;
    state.write(user.actor(), async |tx| compute::run(tx, &within, year, tx.now()).await).await
}

/// The indicators as a workbook: the figures, and each indicator's regions below.
#[utoipa::path(get, path = "/api/v1/indicators.xlsx", tag = "indicators", params(IndicatorQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn indicators_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<IndicatorQuery>,
) -> AppResult<axum::response::Response> {
    let a = asked(&state, &user, &q).await?;
    let overview = read::overview_cached(&state, &a).await?.as_ref().clone();
    let mut details = Vec::with_capacity(overview.items.len());
    for i in &overview.items {
        details.push(read::detail_cached(&state, &a, &i.code).await?.as_ref().clone());
    }
    let name = format!("安全生产指标-{}-{}.xlsx", overview.region_name, a.year);
    let bytes = tokio::task::spawn_blocking(move || super::workbook::build(&overview, &details))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("xlsx")))?;
    Ok(crate::xlsx::response(bytes, &name))
}
