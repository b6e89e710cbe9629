//! `GET /api/v1/calendar`, `GET /api/v1/calendar/working-days` and
//! `POST /api/v1/calendar/holidays/import[?dry_run=true]`.

use super::domain::{DayKind, WorkingDeadline};
use super::import::{self, HolidayImportSummary, Importer};
use crate::auth::{CurrentUser, Role};
use crate::enterprise::domain::{RegionCode, RegionLevel};
use crate::enterprise::import::http::ImportParams;
use crate::error::{AppError, AppResult, ErrorBody, FieldErrors};
use crate::json::ApiQuery;
use crate::state::AppState;
use axum::extract::{Multipart, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Longest range `GET /api/v1/calendar` lists, in days (both ends included).
pub const MAX_RANGE_DAYS: i64 = 400;
/// Most working days `GET /api/v1/calendar/working-days` counts (about 14 years).
pub const MAX_WORKING_DAYS: u32 = 3650;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/calendar", get(get_calendar))
        .route("/api/v1/calendar/working-days", get(get_working_days))
        .route(
            "/api/v1/calendar/holidays/import",
            post(import_holidays).layer(crate::upload::limit(crate::upload::CALENDAR)),
        )
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarParams {
    /// First date, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last date, `YYYY-MM-DD`; at most 400 days in all.
    pub to: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkingDaysParams {
    /// The day counting starts after (not itself counted), `YYYY-MM-DD`.
    pub start: Option<String>,
    /// Working days to count, 0–3650.
    pub days: Option<String>,
}

/// One date of the calendar.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub working: bool,
    /// Set when the date is listed as an exception (休 `off`, 班 `work`).
    pub kind: Option<DayKind>,
    /// The holiday the listed date belongs to, e.g. 国庆节.
    pub name: Option<String>,
    /// After the last year with holiday data: only weekends are off.
    pub beyond_calendar: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarResponse {
    /// 31 December of the last year with holiday data.
    pub covered_until: Option<NaiveDate>,
    pub days: Vec<CalendarDay>,
}

/// Reads a required `YYYY-MM-DD` parameter, noting a problem under its name.
fn date_param(field: &str, value: Option<&str>, errors: &mut FieldErrors) -> Option<NaiveDate> {
    let problem = match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => "必填，格式为 YYYY-MM-DD".to_owned(),
        Some(v) => match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            Ok(d) => return Some(d),
            Err(_) => format!("日期格式不正确：“{}”（应为 YYYY-MM-DD）", crate::limits::preview(v)),
        },
    };
    errors.entry(field.to_owned()).or_default().push(problem);
    None
}

/// Imports are for regulators of a province-level bureau (省厅, region code
/// ending 0000): the arrangement applies to the whole province.
fn require_province_regulator(user: &CurrentUser) -> AppResult<()> {
    user.require_any(&[Role::Regulator])?;
    let province = user
        .bureau
        .as_ref()
        .and_then(|b| RegionCode::parse(&b.code).ok())
        .is_some_and(|c| c.level() == RegionLevel::Province);
    if province { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Each date from `from` to `to` (at most 400 days): working or off, and why.
#[utoipa::path(get, path = "/api/v1/calendar", tag = "calendar", params(CalendarParams),
    responses((status = 200, body = CalendarResponse), (status = 422, body = ErrorBody)))]
pub async fn get_calendar(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiQuery(params): ApiQuery<CalendarParams>,
) -> AppResult<Json<CalendarResponse>> {
    let mut errors = FieldErrors::new();
    let from = date_param("from", params.from.as_deref(), &mut errors);
    let to = date_param("to", params.to.as_deref(), &mut errors);
    let (Some(from), Some(to)) = (from, to) else { return Err(AppError::Validation(errors)) };
    if to < from || (to - from).num_days() >= MAX_RANGE_DAYS {
        return Err(AppError::validation("to", format!("应不早于 from，且范围不超过 {MAX_RANGE_DAYS} 天")));
    }
    let cal = super::load(state.db.conn()).await?;
    let days = from
        .iter_days()
        .take_while(|d| *d <= to)
        .map(|date| {
            let exception = cal.exception(date);
            CalendarDay {
                date,
                working: cal.is_working_day(date),
                kind: exception.map(|e| e.kind),
                name: exception.and_then(|e| e.name.clone()),
                beyond_calendar: cal.is_beyond(date),
            }
        })
        .collect();
    Ok(Json(CalendarResponse { covered_until: cal.covered_until(), days }))
}

/// The `days`-th working day after `start` (e.g. a rectification deadline, 整改期限).
#[utoipa::path(get, path = "/api/v1/calendar/working-days", tag = "calendar", params(WorkingDaysParams),
    responses((status = 200, body = WorkingDeadline), (status = 422, body = ErrorBody)))]
pub async fn get_working_days(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiQuery(params): ApiQuery<WorkingDaysParams>,
) -> AppResult<Json<WorkingDeadline>> {
    let mut errors = FieldErrors::new();
    let start = date_param("start", params.start.as_deref(), &mut errors);
    let days = params.days.as_deref().map(str::trim).and_then(|d| d.parse::<u32>().ok());
    let days = days.filter(|d| *d <= MAX_WORKING_DAYS);
    if days.is_none() {
        errors.entry("days".to_owned()).or_default().push(format!("应为 0–{MAX_WORKING_DAYS} 的整数"));
    }
    let (Some(start), Some(days)) = (start, days) else { return Err(AppError::Validation(errors)) };
    let cal = super::load(state.db.conn()).await?;
    Ok(Json(cal.add_working_days(start, days)))
}

/// Import holiday overrides (.xlsx/.xls: 日期, 类型 休/班, 名称), all or nothing;
/// `dry_run=true` checks and counts only. Regulators of a province-level bureau only.
#[utoipa::path(post, path = "/api/v1/calendar/holidays/import", tag = "calendar", params(ImportParams),
    request_body(content_type = "multipart/form-data", description = "field `file`: the workbook"),
    responses((status = 200, body = HolidayImportSummary), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 503, body = ErrorBody)))]
pub async fn import_holidays(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(params): ApiQuery<ImportParams>,
    form: Multipart,
) -> AppResult<Json<HolidayImportSummary>> {
    require_province_regulator(&user)?;
    let _turn = state.gates.imports.enter().await?;
    let bytes = crate::upload::read_file(form).await?;
    let who = Importer { user_id: Some(user.id), at: state.clock.now() };
    Ok(Json(import::run(&state, &who, bytes, params.dry_run).await?))
}
