//! Request and response bodies of the enterprise register API.

use super::domain::{
    CoordSystem, EnterpriseStatus, MajorHazardGrade, Sector, SpecialTopic, StandardizationGrade, SubType,
};
use crate::error::FieldErrors;
use crate::limits;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// New enterprise. Unknown fields are ignored.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct CreateEnterpriseRequest {
    /// 统一社会信用代码 (18 characters, GB 32100 check digit; lower case accepted).
    #[schema(max_length = 18)]
    pub credit_code: String,
    /// At most `limits::NAME` characters.
    #[schema(max_length = 200)]
    pub name: String,
    pub sector: Sector,
    /// At least one, all of the enterprise's sector; at most `limits::LIST`.
    #[schema(max_items = 20)]
    pub sub_types: Vec<SubType>,
    #[serde(default)]
    #[schema(max_items = 20)]
    pub special_topics: Vec<SpecialTopic>,
    /// 6-digit administrative division code of the territorial region.
    #[schema(max_length = 6)]
    pub region_code: String,
    /// Defaults to the bureau of the county-level region.
    pub supervising_bureau_id: Option<i64>,
    /// At most `limits::ADDRESS` characters.
    #[schema(max_length = 500)]
    pub address: Option<String>,
    /// At most `limits::SHORT` characters.
    #[schema(max_length = 100)]
    pub legal_representative: Option<String>,
    #[schema(max_length = 100)]
    pub principal: Option<String>,
    #[schema(max_length = 100)]
    pub phone: Option<String>,
    /// At most `limits::EMAIL` characters.
    #[schema(max_length = 254)]
    pub email: Option<String>,
    pub employees: Option<i32>,
    pub above_designated_size: Option<bool>,
    /// `grade1`–`grade4`, or `none` when the enterprise has no major hazard source.
    pub major_hazard_grade: Option<MajorHazardOrNone>,
    pub standardization_grade: Option<StandardizationGrade>,
    pub standardization_date: Option<NaiveDate>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    /// Coordinate system of the given point; GCJ-02 (Chinese map pickers) is converted to WGS-84.
    pub coord_system: Option<CoordSystem>,
}

/// Partial update: only the fields given change.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct UpdateEnterpriseRequest {
    #[schema(max_length = 200)]
    pub name: Option<String>,
    pub sector: Option<Sector>,
    #[schema(max_items = 20)]
    pub sub_types: Option<Vec<SubType>>,
    #[schema(max_items = 20)]
    pub special_topics: Option<Vec<SpecialTopic>>,
    #[schema(max_length = 6)]
    pub region_code: Option<String>,
    /// Regulators only: reassign the supervising bureau (监管主体).
    pub supervising_bureau_id: Option<i64>,
    /// At most `limits::ADDRESS` characters.
    #[schema(max_length = 500)]
    pub address: Option<String>,
    #[schema(max_length = 100)]
    pub legal_representative: Option<String>,
    #[schema(max_length = 100)]
    pub principal: Option<String>,
    #[schema(max_length = 100)]
    pub phone: Option<String>,
    #[schema(max_length = 254)]
    pub email: Option<String>,
    pub employees: Option<i32>,
    pub above_designated_size: Option<bool>,
    pub major_hazard_grade: Option<MajorHazardOrNone>,
    pub standardization_grade: Option<StandardizationGrade>,
    pub standardization_date: Option<NaiveDate>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub coord_system: Option<CoordSystem>,
    /// Regulators only: a new operating status, recorded in the status history.
    pub status: Option<EnterpriseStatus>,
    /// Why the status changed (required with `status`); at most `limits::TEXT` characters.
    #[schema(max_length = 5000)]
    pub status_reason: Option<String>,
    /// Optimistic lock: the `version` last read; a stale one answers 409.
    pub version: Option<i32>,
}

/// A major-hazard grade, or the explicit statement that there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum MajorHazardOrNone {
    Grade(MajorHazardGrade),
    None(NoneLiteral),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoneLiteral {
    None,
}

impl MajorHazardOrNone {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Grade(g) => g.as_str(),
            Self::None(_) => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        if s == "none" {
            return Some(Self::None(NoneLiteral::None));
        }
        s.parse::<MajorHazardGrade>().ok().map(Self::Grade)
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EnterpriseResponse {
    pub id: i64,
    pub credit_code: String,
    pub name: String,
    pub sector: Sector,
    pub sub_types: Vec<String>,
    pub special_topics: Vec<String>,
    pub region_code: String,
    pub supervising_bureau_id: i64,
    pub address: Option<String>,
    pub legal_representative: Option<String>,
    pub principal: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub employees: Option<i32>,
    pub above_designated_size: Option<bool>,
    pub major_hazard_grade: Option<String>,
    pub standardization_grade: StandardizationGrade,
    pub standardization_date: Option<NaiveDate>,
    /// WGS-84 / CGCS2000.
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub status: EnterpriseStatus,
    /// The enterprise's risk grade (`GET /api/v1/enterprises/{id}/grading` has why);
    /// `None`: not graded.
    pub risk_grade: Option<crate::risk::domain::RiskLevel>,
    /// Its supervision class (A–D, `data/inspection-caps.toml`), which sets the yearly
    /// inspection cap; the default class while not graded.
    pub supervision_class: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LicenceResponse {
    pub id: i64,
    /// e.g. `safety_production` (安全生产许可证).
    pub licence_type: String,
    pub number: String,
    pub issuer: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatusChangeResponse {
    pub status: EnterpriseStatus,
    pub previous_status: Option<EnterpriseStatus>,
    pub reason: Option<String>,
    pub changed_at: DateTime<Utc>,
    /// A suspension order on one of its hazards, or its lifting (the status itself unchanged).
    pub event: Option<crate::entities::enterprise_status_history::StatusEvent>,
    /// The hazard of a suspension order.
    pub hazard_id: Option<i64>,
}

/// One enterprise with its licences and status history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EnterpriseDetailResponse {
    #[serde(flatten)]
    pub enterprise: EnterpriseResponse,
    pub supervising_bureau_name: String,
    pub licences: Vec<LicenceResponse>,
    pub status_history: Vec<StatusChangeResponse>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct CreateLicenceRequest {
    /// e.g. `safety_production`. At most `limits::SHORT` characters.
    #[schema(max_length = 100)]
    pub licence_type: String,
    /// At most `limits::SHORT` characters.
    #[schema(max_length = 100)]
    pub number: String,
    /// The issuing authority. At most `limits::NAME` characters.
    #[schema(max_length = 200)]
    pub issuer: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

impl CreateLicenceRequest {
    /// Every problem at once: required fields, lengths, dates.
    pub fn check(&self) -> FieldErrors {
        let mut fields = FieldErrors::new();
        let mut push = |f: &str, m: &str| fields.entry(f.to_owned()).or_default().push(m.to_owned());
        if self.licence_type.trim().is_empty() {
            push("licence_type", "请填写许可证类型");
        }
        if self.number.trim().is_empty() {
            push("number", "请填写许可证编号");
        }
        if self.valid_from.zip(self.valid_to).is_some_and(|(a, b)| a > b) {
            push("valid_to", "有效期止不能早于起始日期");
        }
        limits::check(&mut fields, "licence_type", "许可证类型", Some(&self.licence_type), limits::SHORT);
        limits::check(&mut fields, "number", "许可证编号", Some(&self.number), limits::SHORT);
        limits::check(&mut fields, "issuer", "发证机关", self.issuer.as_deref(), limits::NAME);
        fields
    }
}

/// Filters of the register export: the list's, without pages (it exports every match).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportFilter {
    pub sector: Option<Sector>,
    /// A region code; matches every enterprise in that region and below.
    #[param(pattern = "^([0-9]{6})?$")]
    pub region: Option<String>,
    /// Part of the name, or the start of the credit code.
    pub q: Option<String>,
    pub status: Option<EnterpriseStatus>,
}

impl From<ExportFilter> for EnterpriseFilter {
    fn from(f: ExportFilter) -> Self {
        Self {
            sector: f.sector,
            region: f.region,
            q: f.q,
            status: f.status,
            risk_grade: None,
            supervision_class: None,
            page: None,
            per_page: None,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EnterpriseFilter {
    pub sector: Option<Sector>,
    /// A region code; matches every enterprise in that region and below.
    #[param(pattern = "^([0-9]{6})?$")]
    pub region: Option<String>,
    /// Part of the name, or the start of the credit code.
    pub q: Option<String>,
    pub status: Option<EnterpriseStatus>,
    /// Only enterprises of this risk grade.
    pub risk_grade: Option<crate::risk::domain::RiskLevel>,
    /// Only enterprises of this supervision class (A–D).
    #[param(max_length = 40)]
    pub supervision_class: Option<String>,
    /// 1-based page number, 1–100000 (`json::MAX_PAGE`, default 1); a larger one is 422 `validation_failed`.
    #[param(minimum = 1, maximum = 100_000)]
    pub page: Option<u64>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<u64>,
}
