//! Request and response types of the special-operation API (English field names).

use super::domain::CertStatus;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// What an enterprise writes of a worker: the person, the post and the
/// certificate (all certificate fields empty while the worker has none).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct WorkerFields {
    #[schema(max_length = 100)]
    pub name: String,
    /// The resident identity number (18 characters); kept only masked. On an update,
    /// empty or absent keeps the one recorded.
    #[serde(default)]
    #[schema(max_length = 18)]
    pub id_number: Option<String>,
    /// A category code of `GET /api/v1/special-operation-workers` (`data/special-operations.toml`).
    #[schema(max_length = 40)]
    pub category: String,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub certificate_no: Option<String>,
    /// The issuing authority (考核发证机关).
    #[serde(default)]
    #[schema(max_length = 200)]
    pub issued_by: Option<String>,
    #[serde(default)]
    pub issued_on: Option<NaiveDate>,
    /// The next review (复审) date; by default `review_years` after issue.
    #[serde(default)]
    pub review_due: Option<NaiveDate>,
    /// By default `valid_years` after issue.
    #[serde(default)]
    pub expires_on: Option<NaiveDate>,
    /// First day in the post; by default today.
    #[serde(default)]
    pub listed_on: Option<NaiveDate>,
}

/// A new listing (`POST /api/v1/special-operation-workers`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CreateSpecialOperationWorker {
    pub enterprise_id: i64,
    #[serde(flatten)]
    pub fields: WorkerFields,
}

/// Ending a listing: the worker left the post (the record is kept).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct EndSpecialOperationWorker {
    /// Last day in the post.
    pub ended_on: NaiveDate,
    #[schema(max_length = 5000)]
    pub reason: String,
}

/// A listed worker.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SpecialOperationWorkerResponse {
    pub id: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub name: String,
    pub id_number_masked: String,
    pub category: String,
    pub category_name: String,
    pub certificate_no: Option<String>,
    pub issued_by: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub review_due: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    pub listed_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    /// On today's date (Beijing); meaningful while the listing runs.
    pub status: CertStatus,
    /// `edit`, `end` when the caller may take them now.
    pub allowed_actions: Vec<String>,
}

/// Filters of `GET /api/v1/special-operation-workers`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct SpecialOperationWorkerFilter {
    pub enterprise_id: Option<i64>,
    /// Part of the enterprise's name (at most 100 characters).
    #[param(max_length = 100)]
    pub enterprise_name: Option<String>,
    /// A category code.
    pub category: Option<String>,
    /// On today's date (running listings only).
    pub status: Option<CertStatus>,
    /// Also the listings already ended.
    pub include_ended: Option<bool>,
    /// From 1.
    pub page: Option<u64>,
    /// At most 100 (default 20).
    pub per_page: Option<u64>,
}

/// The catalogue of posts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SpecialOperationCategory {
    pub code: String,
    pub name: String,
    pub verified: bool,
}

/// A page of workers, with the catalogue the codes come from.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SpecialOperationWorkerList {
    pub items: Vec<SpecialOperationWorkerResponse>,
    pub total: u64,
    pub categories: Vec<SpecialOperationCategory>,
}
