//! Request and response types of the dishonesty list (schema names start with
//! `Dishonesty`, unique in the crate).

use super::domain::{BasisKind, ListingStatus, ListingStep, RemovalStatus, SubjectKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A regulator's proposal (the records propose the others): a technical-service body
/// and its staff, a person found responsible by an accident investigation, or a
/// situation no record shows (情节特别严重, 逃匿 …).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DishonestyProposalBody {
    /// A situation code of `data/dishonesty-situations.toml` (`a1` … `b4`).
    #[schema(max_length = 20)]
    pub situation: String,
    pub subject_kind: SubjectKind,
    /// A unit of the register (its name and credit code are taken from it).
    pub enterprise_id: Option<i64>,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub subject_name: String,
    /// A person's identity number (masked when shown, never published).
    #[schema(max_length = 40)]
    pub id_number: Option<String>,
    /// A body's 统一社会信用代码 (18 characters).
    #[schema(max_length = 18)]
    pub credit_code: Option<String>,
    /// The penalty decision the listing rests on (a situation of the violation group).
    pub case_id: Option<i64>,
    /// The accident it rests on (a situation of the accident group).
    pub accident_id: Option<i64>,
    /// Why: the facts that make it 性质恶劣、情节严重.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub reason: String,
}

/// The body of a step; each step reads the fields it needs and lists every problem at once.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DishonestyStepBody {
    /// The statement, the reason of a refusal or revocation, the decision's remarks.
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub note: String,
    /// statement: the party declared it makes no statement.
    #[serde(default)]
    pub waive: bool,
    /// `apply_removal`: the public credit commitment (信用承诺).
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub commitment: String,
    /// `decide_removal`: `true` removes the listing early, `false` rejects the application.
    pub approve: Option<bool>,
}

/// One condition of an early removal, as checked.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DishonestyCondition {
    /// `penalty_performed`, `hazards_corrected`, `commitment`, `no_new_violation`.
    pub code: String,
    pub label: String,
    pub met: bool,
    pub detail: String,
}

/// A listing (or proposal) as a regulator or the listed enterprise reads it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DishonestyListingResponse {
    pub id: i64,
    pub bureau_id: i64,
    pub bureau: String,
    pub enterprise_id: Option<i64>,
    pub subject_kind: SubjectKind,
    pub subject_name: String,
    /// Masked (4201**********1234).
    pub id_number: Option<String>,
    pub credit_code: Option<String>,
    pub situation: String,
    pub situation_text: String,
    pub situation_verified: bool,
    pub basis_kind: BasisKind,
    pub case_id: Option<i64>,
    pub accident_id: Option<i64>,
    pub basis_text: String,
    pub status: ListingStatus,
    pub proposed_by: Option<i64>,
    pub notified_on: Option<NaiveDate>,
    pub statement_until: Option<NaiveDate>,
    pub notice_number: Option<String>,
    pub statement: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub decision_number: Option<String>,
    pub listed_on: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub refused_reason: Option<String>,
    pub removal_status: Option<RemovalStatus>,
    /// The first day an early removal may be applied for.
    pub removal_from: Option<NaiveDate>,
    pub removal_applied_on: Option<NaiveDate>,
    pub commitment: Option<String>,
    pub removal_reason: Option<String>,
    pub removal_number: Option<String>,
    pub removed_on: Option<NaiveDate>,
    pub removal_revoked_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    /// The early-removal conditions as they stand today (listed rows only).
    pub conditions: Vec<DishonestyCondition>,
    pub allowed_actions: Vec<ListingStep>,
}

/// Filters of the proposals and listings a user sees.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct DishonestyFilter {
    pub status: Option<ListingStatus>,
    /// Only listings with an early-removal application waiting.
    pub removal_pending: Option<bool>,
    pub enterprise_id: Option<i64>,
}

/// What a scan proposed.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct DishonestyScanReport {
    pub proposed: usize,
}

/// A listing as the public reads it: no identity number, persons by surname and 某.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DishonestyPublicEntry {
    pub id: i64,
    pub name: String,
    pub subject_kind: SubjectKind,
    pub credit_code: Option<String>,
    pub situation_article: String,
    pub situation_text: String,
    /// The basis: the penalty decision's number, or the accident.
    pub basis: String,
    pub decision_number: Option<String>,
    pub bureau: String,
    pub listed_on: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}
