//! The API shapes of credit.

use super::domain::Signal;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One event in a breakdown: its weight, how much of it still counts and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreditEventView {
    pub id: i64,
    pub signal: Signal,
    pub signal_label: String,
    pub occurred_on: NaiveDate,
    pub detail: String,
    pub source_type: String,
    pub source_id: i64,
    /// Points while in full (negative: positive behaviour).
    pub weight: i64,
    pub full_days: i64,
    pub expire_days: i64,
    /// Share of the weight still counted today, percent.
    pub decay_percent: i64,
    /// Points counted today.
    pub contribution: f64,
    pub contested_at: Option<DateTime<Utc>>,
    pub contest_reason: Option<String>,
    pub resolution: Option<String>,
    pub voided: bool,
    pub void_reason: Option<String>,
}

/// `GET /api/v1/enterprises/{id}/credit`: the score recomputed today from the events
/// under the version in force, and the stored one beside it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreditBreakdown {
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub score: f64,
    pub class: String,
    pub class_name: String,
    pub rule_version: String,
    /// False: the weights are product defaults, not a rule in force anywhere.
    pub rule_verified: bool,
    pub as_of: NaiveDate,
    /// The score stored by the last recomputation (`null`: no events then).
    pub stored_score: Option<f64>,
    pub stored_as_of: Option<NaiveDate>,
    /// Newest first, at most 500.
    pub events: Vec<CreditEventView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreditScoreRow {
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub sector_label: String,
    pub score: f64,
    pub class: String,
    pub class_name: String,
    pub events: i32,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct ScoreFilter {
    /// A class code of the version in force (`low`, `medium`, `elevated`, `high`).
    pub class: Option<String>,
    pub page: Option<u64>,
    /// At most 100 (default 50).
    pub per_page: Option<u64>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ContestBody {
    /// Why the event is wrong (1–1,000 characters).
    #[schema(max_length = 1000)]
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ResolveBody {
    /// True: the contest stands and the event is voided.
    pub upheld: bool,
    #[schema(max_length = 1000)]
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AdoptBody {
    #[schema(max_length = 1000)]
    pub note: String,
}

/// How many enterprises move from one class to another.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClassMove {
    pub from: String,
    pub to: String,
    pub enterprises: u64,
}

/// `GET /api/v1/credit/rules/{version}/preview`: the version against the one in force.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreditPreview {
    pub current: String,
    pub candidate: String,
    pub as_of: NaiveDate,
    /// Enterprises with events.
    pub enterprises: u64,
    /// Enterprises whose class changes.
    pub moved: u64,
    pub moves: Vec<ClassMove>,
    /// Up to 50 of the enterprises that move (id order).
    pub sample: Vec<i64>,
}
