//! Request and response types of the accident register.

use super::domain::{AccidentGrade, AccidentType, FlagKind};
use crate::entities::accident;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// An accident as the bureau records it. Either `enterprise_id` (a registered
/// enterprise in the caller's scope) or `operator_name` (an operator not in the register).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct CreateAccident {
    pub enterprise_id: Option<i64>,
    #[schema(max_length = 200)]
    pub operator_name: Option<String>,
    /// The operator's 统一社会信用代码, if known (only with `operator_name`).
    #[serde(default)]
    #[schema(max_length = 18)]
    pub operator_credit_code: Option<String>,
    pub occurred_at: DateTime<Utc>,
    /// One of the 20 types of GB 6441.
    #[serde(rename = "type")]
    pub accident_type: AccidentType,
    #[schema(max_length = 500)]
    pub place: String,
    #[schema(max_length = 5000)]
    pub summary: String,
    /// 0 to 10,000.
    #[schema(minimum = 0, maximum = 10_000)]
    pub deaths: i32,
    /// 0 to 10,000; counted with the deaths for the grade.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10_000)]
    pub missing: i32,
    /// Serious injuries, acute industrial poisoning included; 0 to 10,000.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10_000)]
    pub serious_injuries: i32,
    /// Direct economic loss in yuan, 0 to 10¹³.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10_000_000_000_000_i64)]
    pub direct_loss_yuan: i64,
    /// When the enterprise reported it to the bureau (the law asks for one hour).
    pub reported_at: Option<DateTime<Utc>>,
}

/// A recorded accident with its legal grade.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccidentResponse {
    pub id: i64,
    pub bureau_id: i64,
    pub enterprise_id: Option<i64>,
    pub operator_name: Option<String>,
    pub operator_credit_code: Option<String>,
    pub occurred_at: DateTime<Utc>,
    #[serde(rename = "type")]
    pub accident_type: AccidentType,
    pub type_label: String,
    pub place: String,
    pub summary: String,
    pub deaths: i32,
    pub missing: i32,
    pub serious_injuries: i32,
    pub direct_loss_yuan: i64,
    /// Computed from the figures (国务院令第493号 第三条).
    pub grade: AccidentGrade,
    pub grade_label: String,
    pub reported_at: Option<DateTime<Utc>>,
    /// Reported to the bureau more than one hour after it happened (迟报); `None` while
    /// no report time is recorded.
    pub late_report: Option<bool>,
    /// Until when changed casualty figures are reported and regraded: 30 days, 7 for a
    /// fire (条例 第十三条).
    pub supplement_until: DateTime<Utc>,
    /// 迟报 (a report made after its due time, computed) and the regulators' flags
    /// 谎报, 瞒报, 漏报, each once.
    pub flags: Vec<FlagKind>,
    pub created_at: DateTime<Utc>,
}

impl From<accident::Model> for AccidentResponse {
    fn from(a: accident::Model) -> Self {
        Self {
            id: a.id,
            bureau_id: a.bureau_id,
            enterprise_id: a.enterprise_id,
            operator_name: a.operator_name,
            operator_credit_code: a.operator_credit_code,
            occurred_at: a.occurred_at,
            accident_type: a.accident_type,
            type_label: a.accident_type.zh().to_owned(),
            place: a.place,
            summary: a.summary,
            deaths: a.deaths,
            missing: a.missing,
            serious_injuries: a.serious_injuries,
            direct_loss_yuan: a.direct_loss_yuan,
            grade: a.grade,
            grade_label: a.grade.zh().to_owned(),
            reported_at: a.reported_at,
            late_report: a.reported_at.map(|r| r - a.occurred_at > Duration::hours(1)),
            supplement_until: super::rules::supplement_until(a.accident_type, a.occurred_at),
            flags: Vec::new(),
            created_at: a.created_at,
        }
    }
}
