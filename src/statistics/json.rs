//! Request and response types of the hazard statistics.

use super::domain::ReportStatus;
use super::figures::Figures;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Generate (or regenerate, until submitted) a period's report from the ledger.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct GenerateRequest {
    /// The enterprise (default: the user's first).
    pub enterprise_id: Option<i64>,
    /// `2026Q3` (quarter) or `2026` (year); the period must have ended.
    #[schema(max_length = 6)]
    pub period: String,
    /// The enterprise's written analysis (统计分析); kept when omitted. At most `limits::TEXT` characters.
    #[schema(max_length = 5000)]
    pub analysis: Option<String>,
    /// The version read, when regenerating.
    pub version: Option<i32>,
}

pub use super::domain::ReportAction;

/// The body of `POST /api/v1/hazard-statistics/{id}/{action}`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ActionBody {
    pub version: Option<i32>,
    /// `return`: why; at most `limits::TEXT` characters.
    #[schema(max_length = 5000)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportResponse {
    pub id: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub period: String,
    /// `2026年第三季度`.
    pub period_label: String,
    /// `quarter` or `year`.
    pub kind: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// The last day a report is on time.
    pub due_on: NaiveDate,
    pub figures: Figures,
    /// 整改率 in per cent (found and rectified ÷ found), one decimal.
    pub rectification_rate: Option<f64>,
    pub analysis: Option<String>,
    pub status: ReportStatus,
    pub generated_at: DateTime<Utc>,
    pub confirmed_by: Option<i64>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub first_submitted_at: Option<DateTime<Utc>>,
    /// Whether the first submission came after the due date.
    pub late: Option<bool>,
    pub return_reason: Option<String>,
    pub version: i32,
    /// The steps this caller may take now (`POST /api/v1/hazard-statistics/{id}/{action}`), from the report's
    /// life cycle: exactly those the API accepts.
    pub allowed_actions: Vec<ReportAction>,
    /// Whether this caller may regenerate the report now (`POST /api/v1/hazard-statistics`).
    pub may_regenerate: bool,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverviewQuery {
    /// `2026Q3` or `2026`; default: the latest quarter already due.
    #[param(pattern = "^([0-9]{4}(Q[1-4])?)?$")]
    pub period: Option<String>,
    /// `on_time`, `late` or `not_submitted`; default: every enterprise that owes a report.
    #[param(value_type = Option<String>, pattern = "^(on_time|late|not_submitted)?$")]
    pub state: Option<String>,
    /// 1-based page number, 1–100000 (`json::MAX_PAGE`, default 1); a larger one is 422 `validation_failed`.
    #[param(minimum = 1, maximum = 100_000)]
    pub page: Option<u64>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<u64>,
}

impl OverviewQuery {
    /// The checks of the overview's `state`, `page` and `per_page`, every problem at
    /// once; the export (which holds the whole period) makes them too, so that the
    /// one documented parameter list means the same on both.
    pub fn check(&self) -> Result<(), crate::error::AppError> {
        let mut fields = match (crate::json::PageParams { page: self.page, per_page: self.per_page }).resolve() {
            Err(crate::error::AppError::Validation(f)) => f,
            _ => crate::error::FieldErrors::new(),
        };
        if !matches!(self.state.as_deref().unwrap_or(""), "" | "on_time" | "late" | "not_submitted") {
            fields.insert("state".into(), vec!["state 应为 on_time、late 或 not_submitted".into()]);
        }
        if fields.is_empty() { Ok(()) } else { Err(crate::error::AppError::Validation(fields)) }
    }
}

/// How many enterprises owe a report and how many have sent it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Summary {
    /// Enterprises not closed and in the register before the due date.
    pub required: u64,
    pub on_time: u64,
    pub late: u64,
    pub not_submitted: u64,
    /// Not submitted and past the due date (逾期未报).
    pub overdue: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverviewItem {
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub credit_code: String,
    pub report_id: Option<i64>,
    /// `none`, `draft`, `confirmed` or `submitted`.
    pub status: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub late: Option<bool>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverviewResponse {
    pub period: String,
    pub period_label: String,
    pub due_on: NaiveDate,
    pub summary: Summary,
    /// Sums over the submitted reports (no categories).
    pub totals: Figures,
    pub items: Vec<OverviewItem>,
    /// Enterprises matching `state`.
    pub total: u64,
}
