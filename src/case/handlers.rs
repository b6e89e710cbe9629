//! HTTP handlers of penalty cases and the legal catalogue.

use super::catalogue::{self, Benchmark, CatalogueEntry, Law, NoPenaltyItem};
use super::domain::Step;
use super::json::{CaseResponse, CaseSummary, CreateCase, StepBody};
use super::list::{self, CaseFilter};
use super::{rules, service, steps, view};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath, ApiQuery, ListResponse};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

async fn respond(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<Json<CaseResponse>> {
    let db = state.db.conn();
    let c = crate::scope::get::<crate::entities::case::Entity, _>(db, &user.scope, id).await?;
    if !user.is_bureau_user() {
        return Err(AppError::NotFound);
    }
    let today = crate::clock::china_date(state.clock.now());
    Ok(Json(view::response(db, user, c, today).await?))
}

/// Open a case (a certified 执法人员, who becomes its 承办人). A general-procedure case
/// waits for 立案; a simple-procedure case is decided on the spot (at most 200 yuan
/// for a person, 3,000 for a unit).
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = CreateCase,
    responses((status = 201, body = CaseResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_case(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<CreateCase>,
) -> AppResult<(StatusCode, Json<CaseResponse>)> {
    let id = state.write(user.actor(), async |tx| service::create(tx, &user, &body).await).await?;
    Ok((StatusCode::CREATED, respond(&state, &user, id).await?))
}

/// The cases of the caller's bureau and those below it, with the 90-day clock.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(CaseFilter),
    responses((status = 200, body = ListResponse<CaseSummary>), (status = 403, body = ErrorBody)))]
pub async fn list_cases(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<CaseFilter>,
) -> AppResult<Json<ListResponse<CaseSummary>>> {
    let today = crate::clock::china_date(state.clock.now());
    let (items, total) = list::list(&state, &user, &f, today).await?;
    Ok(Json(ListResponse { items, total }))
}

/// One case with its parties, violations, steps, documents, clock, money and allowed actions.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases", params(("id" = i64, Path)),
    responses((status = 200, body = CaseResponse), (status = 404, body = ErrorBody)))]
pub async fn get_case(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<CaseResponse>> {
    respond(&state, &user, id).await
}

/// Take a step of the procedure: `file`, `decline`, `investigate`, `report`, `notify`,
/// `statement`, `hearing_request`, `hearing`, `review`, `discuss`, `decide`, `serve`,
/// `pay`, `instalment`, `enforce`, `transfer`, `extend`, `close`. Refusals: 403 (not
/// this person's step), 409 `separation_of_duties`, 409 `illegal_transition`, 409 for
/// a period still running or money owed, 422 for the body.
#[utoipa::path(post, path = "/api/v1/cases/{id}/{step}", tag = "cases", request_body = StepBody,
    params(("id" = i64, Path), ("step" = Step, Path)),
    responses((status = 200, body = CaseResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn take_step(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, step)): ApiPath<(i64, String)>,
    ApiJson(body): ApiJson<StepBody>,
) -> AppResult<Json<CaseResponse>> {
    let Ok(step) = step.parse::<Step>() else { return Err(AppError::NotFound) };
    state.write(user.actor(), async |tx| steps::act(tx, &user, id, step, &body).await).await?;
    respond(&state, &user, id).await
}

/// Filters of the catalogue.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct CatalogueFilter {
    /// Only the entries a checklist item maps to (e.g. `HC-05`).
    pub checklist_item: Option<String>,
    /// Only one law (`wsl`, `hcr` …).
    pub law: Option<String>,
}

/// The catalogue as served.
#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogueResponse {
    pub version: String,
    pub laws: Vec<Law>,
    pub entries: Vec<CatalogueEntry>,
    pub no_penalty: Vec<NoPenaltyItem>,
}

/// The legal catalogue of penalties (versioned data): laws with their dates, entries with
/// their party kinds, fines, measures and the art. 112 flag; `verified: false` marks an
/// entry not yet checked against the official text.
#[utoipa::path(get, path = "/api/v1/penalty-catalogue", tag = "cases", params(CatalogueFilter),
    responses((status = 200, body = CatalogueResponse)))]
pub async fn penalty_catalogue(
    _user: CurrentUser,
    ApiQuery(f): ApiQuery<CatalogueFilter>,
) -> AppResult<Json<CatalogueResponse>> {
    let d = catalogue::data()?;
    let entries = d
        .catalogue
        .entries
        .iter()
        .filter(|e| f.checklist_item.as_deref().is_none_or(|i| e.checklist_items.iter().any(|c| c == i)))
        .filter(|e| f.law.as_deref().is_none_or(|l| e.law == l))
        .cloned()
        .collect();
    Ok(Json(CatalogueResponse {
        version: d.catalogue.version.clone(),
        laws: d.catalogue.laws.clone(),
        entries,
        no_penalty: d.no_penalty.items.clone(),
    }))
}

/// Filter of the benchmarks.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct BenchmarkFilter {
    /// Only one catalogue entry.
    pub entry: Option<String>,
}

/// The discretion benchmarks as served.
#[derive(Debug, Serialize, ToSchema)]
pub struct BenchmarksResponse {
    pub version: String,
    pub source: String,
    pub benchmarks: Vec<Benchmark>,
}

/// The discretion benchmarks (裁量基准): per entry, party and stage, the steps with their
/// conditions and ranges.
#[utoipa::path(get, path = "/api/v1/penalty-benchmarks", tag = "cases", params(BenchmarkFilter),
    responses((status = 200, body = BenchmarksResponse)))]
pub async fn penalty_benchmarks(
    _user: CurrentUser,
    ApiQuery(f): ApiQuery<BenchmarkFilter>,
) -> AppResult<Json<BenchmarksResponse>> {
    let d = catalogue::data()?;
    let benchmarks =
        d.discretion.benchmarks.iter().filter(|b| f.entry.as_deref().is_none_or(|e| b.entry == e)).cloned().collect();
    Ok(Json(BenchmarksResponse {
        version: d.discretion.version.clone(),
        source: d.discretion.source.clone(),
        benchmarks,
    }))
}

/// The procedure's periods and amounts in force (simple-procedure limits, the 90-day
/// limit, hearing and discussion thresholds, payment and 加处罚款, publication).
#[utoipa::path(get, path = "/api/v1/penalty-procedure", tag = "cases",
    responses((status = 200, body = rules::ProcedureRules)))]
pub async fn penalty_procedure(_user: CurrentUser) -> AppResult<Json<rules::ProcedureRules>> {
    Ok(Json(rules::rules()?.clone()))
}

/// The year's penalty figures of the caller's bureau and those below it: cases filed,
/// decisions, fines decided and collected, by sector and article (bureau users).
#[utoipa::path(get, path = "/api/v1/cases/statistics", tag = "cases", params(super::stats::StatsQuery),
    responses((status = 200, body = super::stats::CaseStatistics), (status = 403, body = ErrorBody)))]
pub async fn case_statistics(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<super::stats::StatsQuery>,
) -> AppResult<Json<super::stats::CaseStatistics>> {
    use chrono::Datelike;
    let year = q.year.unwrap_or_else(|| crate::clock::china_date(state.clock.now()).year());
    Ok(Json(super::stats::statistics(state.db.conn(), &user, year).await?))
}

/// An enterprise that meets 安全生产法 art. 113, with its decisions in the window.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClosureAlertView {
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub case_ids: Vec<i64>,
}

/// The enterprises of the caller's territory that now meet 安全生产法 art. 113 (an open
/// major hazard and 3 WSL decisions within 180 days or 4 within a year); bureau users.
#[utoipa::path(get, path = "/api/v1/cases/closure-alerts", tag = "cases",
    responses((status = 200, body = ListResponse<ClosureAlertView>), (status = 403, body = ErrorBody)))]
pub async fn closure_alerts(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<ListResponse<ClosureAlertView>>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    if !user.is_bureau_user() {
        return Err(AppError::Forbidden);
    }
    let db = state.db.conn();
    let today = crate::clock::china_date(state.clock.now());
    let alerts = super::escalation::closure_alerts(db, today, None).await?;
    let mut items = Vec::new();
    for chunk in alerts.chunks(500) {
        let ids = chunk.iter().map(|a| a.enterprise_id);
        let names: std::collections::HashMap<i64, String> =
            crate::scope::scoped(crate::entities::enterprise::Entity::find(), &user.scope)
                .select_only()
                .columns([crate::entities::enterprise::Column::Id, crate::entities::enterprise::Column::Name])
                .filter(crate::entities::enterprise::Column::Id.is_in(ids))
                .into_tuple()
                .all(db)
                .await?
                .into_iter()
                .collect();
        items.extend(chunk.iter().filter_map(|a| {
            names.get(&a.enterprise_id).map(|n| ClosureAlertView {
                enterprise_id: a.enterprise_id,
                enterprise_name: n.clone(),
                case_ids: a.case_ids.clone(),
            })
        }));
    }
    let total = u64::try_from(items.len()).unwrap_or_default();
    Ok(Json(ListResponse { items, total }))
}
