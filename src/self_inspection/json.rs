//! Request and response types of self-inspection.

use super::domain::{Frequency, Kind, Level, TaskStatus};
use crate::checklist::Severity;
use crate::inspection::domain::Outcome;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A new plan (排查计划).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CreatePlanRequest {
    /// Needed when the user is linked to several enterprises.
    pub enterprise_id: Option<i64>,
    pub kind: Kind,
    pub level: Level,
    /// Default: the configured default of the kind at the level (`data/self-inspection.toml`).
    pub frequency: Option<Frequency>,
    /// Default: the kind's and level's names. At most `limits::NAME` characters.
    #[schema(max_length = 200)]
    pub title: Option<String>,
    /// A subset of the applicable items by code; absent or empty: every applicable item.
    #[serde(default)]
    #[schema(max_items = 1000)]
    pub item_codes: Vec<String>,
    /// An enterprise user of the enterprise; default: the creator.
    pub assignee_id: Option<i64>,
}

/// A plan's edit or retirement; absent fields stay.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct UpdatePlanRequest {
    /// The version read; a stale one answers 409 `version_conflict`.
    pub version: Option<i32>,
    pub frequency: Option<Frequency>,
    #[schema(max_length = 200)]
    pub title: Option<String>,
    /// Replaces the chosen items (empty: every applicable item).
    #[schema(max_items = 1000)]
    pub item_codes: Option<Vec<String>>,
    pub assignee_id: Option<i64>,
    /// `false` retires the plan: no more tasks are generated from it.
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanResponse {
    pub id: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub kind: Kind,
    pub kind_label: String,
    pub level: Level,
    pub level_label: String,
    pub frequency: Frequency,
    pub frequency_label: String,
    pub title: String,
    /// `None`: every applicable item.
    pub item_codes: Option<Vec<String>>,
    pub assignee_id: i64,
    pub assignee_name: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

/// An ad hoc task (e.g. 事故类比, 节假日前, 复产复工前).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CreateTaskRequest {
    pub enterprise_id: Option<i64>,
    pub kind: Kind,
    #[schema(max_length = 200)]
    pub title: Option<String>,
    pub due_on: NaiveDate,
    #[serde(default)]
    #[schema(max_items = 1000)]
    pub item_codes: Vec<String>,
    pub assignee_id: Option<i64>,
}

/// Filters of `GET /api/v1/self-inspection-tasks`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskFilter {
    pub status: Option<TaskStatus>,
    /// Open and past the due date.
    pub overdue: Option<bool>,
    /// Due on or before this date.
    pub due_before: Option<NaiveDate>,
    /// Due on or after this date.
    pub due_after: Option<NaiveDate>,
    pub enterprise_id: Option<i64>,
    pub plan_id: Option<i64>,
    /// Only the tasks assigned to the signed-in user.
    pub mine: Option<bool>,
    /// 1–200, default 50.
    pub limit: Option<u64>,
    /// 0–10000000 (`json::MAX_OFFSET`); a larger one is 422 `validation_failed`.
    #[param(minimum = 0, maximum = 10_000_000)]
    pub offset: Option<u64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskSummary {
    pub id: i64,
    pub plan_id: Option<i64>,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub kind: Kind,
    pub kind_label: String,
    pub title: String,
    pub period: Option<String>,
    pub assignee_id: i64,
    pub assignee_name: String,
    pub due_on: NaiveDate,
    pub status: TaskStatus,
    pub overdue: bool,
    /// 待排查 / 已逾期 / 已完成.
    pub status_label: String,
    pub findings: i64,
    pub completed_at: Option<DateTime<Utc>>,
}

/// One pinned item and its outcome.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResultResponse {
    pub code: String,
    pub checklist_hash: String,
    pub section: String,
    pub text: String,
    /// 判定依据.
    pub basis: String,
    pub severity: Severity,
    /// `false`: the wording is not verified against the official text (未核实).
    pub verified: bool,
    pub outcome: Outcome,
    pub outcome_label: String,
    pub note: Option<String>,
    pub attachment_ids: Vec<i64>,
    /// The self-found hazard this 不符合 item became.
    pub hazard_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskResponse {
    #[serde(flatten)]
    pub task: TaskSummary,
    /// The pinned checklist versions: `[{"checklist_id", "version", "hash"}]`.
    pub checklists: serde_json::Value,
    pub items: Vec<ResultResponse>,
    pub counts: OutcomeCounts,
    /// `record_results`, `complete` where the user may take them now.
    pub allowed_actions: Vec<String>,
    pub version: i32,
}

/// Items by outcome.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct OutcomeCounts {
    pub total: i64,
    pub conform: i64,
    pub non_conform: i64,
    pub not_applicable: i64,
    pub unchecked: i64,
}

/// One item's result.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[schema(as = SelfInspectionResultInput)]
pub struct ResultInput {
    #[schema(max_length = 100)]
    pub code: String,
    pub outcome: Outcome,
    /// At most `limits::TEXT` characters.
    #[schema(max_length = 5000)]
    pub note: Option<String>,
    /// Photos (uploaded through `POST /api/v1/attachments`) of a 不符合 item;
    /// they become the hazard's photos at completion. At most `limits::LIST`.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub attachment_ids: Vec<i64>,
}

/// Filters of the regulators' overview.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverviewQuery {
    /// First day of the period (default: 30 days ago).
    pub from: Option<NaiveDate>,
    /// Last day of the period (default: today).
    pub to: Option<NaiveDate>,
    /// Only enterprises with the zero-findings warning.
    pub warning: Option<bool>,
    /// 1–100, default 50.
    pub limit: Option<u64>,
    /// 0–10000000 (`json::MAX_OFFSET`); a larger one is 422 `validation_failed`.
    #[param(minimum = 0, maximum = 10_000_000)]
    pub offset: Option<u64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverviewRow {
    pub enterprise_id: i64,
    pub enterprise_name: String,
    /// Tasks due in the period.
    pub due: i64,
    /// Of those, completed.
    pub completed: i64,
    /// Of those, open and past their due date.
    pub overdue: i64,
    /// completed / due in per cent, one decimal; `None` when nothing was due.
    pub completion_rate: Option<f64>,
    /// 不符合 items of the tasks completed in the period.
    pub findings: i64,
    /// Tasks completed in the warning window (`zero_findings.days`).
    pub completed_in_window: i64,
    pub findings_in_window: i64,
    /// 零隐患预警: ≥ `min_completed` tasks completed in the window, none with a 不符合 item.
    pub zero_findings_warning: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = SelfInspectionOverview)]
pub struct OverviewResponse {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub window_days: i64,
    pub min_completed: i64,
    pub items: Vec<OverviewRow>,
    /// Enterprises in scope (matching `warning`, if given).
    pub total: u64,
}
