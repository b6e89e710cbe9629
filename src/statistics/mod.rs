//! The periodic hazard statistics (隐患排查治理情况统计分析, 16号令 art. 14), a
//! duty separate from the major-hazard report (双报告): every enterprise
//! reports each quarter by the 15th of the following month, and each year by
//! 31 January, signed by its principal (主要负责人).
//!
//! The flow: an enterprise principal or safety officer generates the report of
//! an ended period from the ledger (and may write the analysis); the principal
//! confirms it (签字确认); it is submitted to the supervising bureau, which sees
//! who reported on time, late, or not at all, with the figures summed, and may
//! return a report with a reason. A late first submission stays marked late.
//! The jobs remind enterprises once a period ends and tell each bureau of its
//! enterprises that have not reported once the due date passes ([`jobs`]).
//! Figures are counted as described in [`figures`].

pub mod domain;
pub mod export;
pub mod figures;
pub mod jobs;
pub mod json;
pub mod period;
pub mod service;

use crate::audit::{Audited, canonical};
use crate::auth::CurrentUser;
use crate::entities::hazard_statistic;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath, ApiQuery};
use crate::routes::{ApiRoutes, routes};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use json::{ActionBody, GenerateRequest, OverviewQuery, OverviewResponse, ReportAction, ReportResponse};
use serde_json::{Value, json};

impl Audited for hazard_statistic::Model {
    const ENTITY: &'static str = "hazard_statistic";
    const PAYLOAD_VERSION: i32 = 2;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload_of_version(&self, version: i32) -> Option<Value> {
        match version {
            2 => Some(self.payload()),
            1 => {
                let mut v = self.payload();
                v.as_object_mut().map(|o| o.remove("self_inspections"));
                Some(v)
            }
            _ => None,
        }
    }

    fn payload(&self) -> Value {
        json!({
            "self_inspections": self.self_inspections,
            "id": self.id, "enterprise_id": self.enterprise_id, "bureau_id": self.bureau_id,
            "period": self.period, "kind": self.kind,
            "period_start": canonical::opt_date(Some(self.period_start)),
            "period_end": canonical::opt_date(Some(self.period_end)),
            "due_on": canonical::opt_date(Some(self.due_on)),
            "found_general": self.found_general, "found_major": self.found_major,
            "rectified_general": self.rectified_general, "rectified_major": self.rectified_major,
            "rectifying_general": self.rectifying_general, "rectifying_major": self.rectifying_major,
            "overdue_general": self.overdue_general, "overdue_major": self.overdue_major,
            "found_rectified": self.found_rectified, "funds_fen": self.funds_fen,
            "by_category": self.by_category, "analysis": self.analysis, "status": self.status,
            "generated_at": canonical::time(self.generated_at), "confirmed_by": self.confirmed_by,
            "confirmed_at": self.confirmed_at.map(canonical::time), "submitted_by": self.submitted_by,
            "submitted_at": self.submitted_at.map(canonical::time),
            "first_submitted_at": self.first_submitted_at.map(canonical::time), "late": self.late,
            "return_reason": self.return_reason, "created_at": canonical::time(self.created_at),
            "updated_at": canonical::time(self.updated_at), "version": self.version,
        })
    }
}

/// Generate (or regenerate, until submitted) a period's report from the ledger.
#[utoipa::path(post, path = "/api/v1/hazard-statistics", tag = "statistics", request_body = GenerateRequest,
    responses((status = 200, body = ReportResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn generate_report(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<GenerateRequest>,
) -> AppResult<Json<ReportResponse>> {
    let (period, analysis) = (&req.period, req.analysis.as_deref());
    let row = state
        .write(user.actor(), async |tx| {
            service::generate(tx, &user, req.enterprise_id, period, analysis, req.version).await
        })
        .await?;
    Ok(Json(service::response(state.db.conn(), &user, row).await?))
}

/// Who has reported for a period (default: the latest quarter already due), in the user's scope.
#[utoipa::path(get, path = "/api/v1/hazard-statistics", tag = "statistics", params(OverviewQuery),
    responses((status = 200, body = OverviewResponse), (status = 422, body = ErrorBody)))]
pub async fn overview(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<OverviewQuery>,
) -> AppResult<Json<OverviewResponse>> {
    Ok(Json(service::overview(state.db.conn(), &user, &q, state.clock.today()).await?))
}

/// One report.
#[utoipa::path(get, path = "/api/v1/hazard-statistics/{id}", tag = "statistics", params(("id" = i64, Path)),
    responses((status = 200, body = ReportResponse), (status = 404, body = ErrorBody)))]
pub async fn get_report(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<ReportResponse>> {
    let row = service::get_visible(state.db.conn(), &user, id).await?;
    Ok(Json(service::response(state.db.conn(), &user, row).await?))
}

/// `confirm` (the principal), `submit` (principal or safety officer, once confirmed)
/// or `return` (a regulator, with `reason`).
#[utoipa::path(post, path = "/api/v1/hazard-statistics/{id}/{action}", tag = "statistics",
    params(("id" = i64, Path), ("action" = ReportAction, Path)), request_body = ActionBody,
    responses((status = 200, body = ReportResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report_action(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, action)): ApiPath<(i64, String)>,
    ApiJson(body): ApiJson<ActionBody>,
) -> AppResult<Json<ReportResponse>> {
    let action = ReportAction::parse(&action).ok_or(AppError::NotFound)?;
    let reason = body.reason.as_deref();
    let row =
        state.write(user.actor(), async |tx| service::act(tx, &user, id, action, body.version, reason).await).await?;
    Ok(Json(service::response(state.db.conn(), &user, row).await?))
}

/// A period's reports in the user's scope as an xlsx workbook.
#[utoipa::path(get, path = "/api/v1/hazard-statistics/export", tag = "statistics", params(OverviewQuery),
    responses((status = 200, description = "xlsx workbook"), (status = 422, body = ErrorBody)))]
pub async fn export_reports(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<OverviewQuery>,
) -> AppResult<axum::response::Response> {
    q.check()?;
    let period = match q.period.as_deref().filter(|p| !p.trim().is_empty()) {
        Some(p) => period::Period::parse(p)
            .ok_or_else(|| AppError::validation("period", "统计期应为 2026Q3（季度）或 2026（年度）"))?,
        None => period::Period::last_past_due(state.clock.today())[0],
    };
    let lines = export::lines(state.db.conn(), &user.scope, period).await?;
    let bytes = export::workbook(period, &lines).map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    let name = format!("隐患排查治理统计-{}.xlsx", period.zh());
    Ok(crate::xlsx::response(bytes, &name))
}

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(generate_report, overview))
        .routes(routes!(export_reports))
        .routes(routes!(get_report))
        .routes(routes!(report_action))
}
