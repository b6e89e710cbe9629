//! Enterprise (企业) row of the register.
use crate::enterprise::domain::{EnterpriseStatus, Sector, StandardizationGrade};
use crate::risk::domain::RiskLevel;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "enterprises")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub credit_code: String,
    pub name: String,
    pub sector: Sector,
    /// Comma-separated [`crate::enterprise::domain::SubType`] codes.
    pub sub_types: String,
    /// Comma-separated [`crate::enterprise::domain::SpecialTopic`] codes.
    pub special_topics: String,
    pub region_code: String,
    pub supervising_bureau_id: i64,
    pub address: Option<String>,
    pub legal_representative: Option<String>,
    pub principal: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub employees: Option<i32>,
    pub above_designated_size: Option<bool>,
    /// A [`crate::enterprise::domain::MajorHazardGrade`] code, or `none` when the
    /// enterprise declared it has no major hazard source (not a grade, so text).
    pub major_hazard_grade: Option<String>,
    pub standardization_grade: StandardizationGrade,
    pub standardization_date: Option<Date>,
    /// WGS-84 / CGCS2000 degrees.
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub status: EnterpriseStatus,
    /// The supervision class for the yearly inspection cap; `None`: the default class
    /// (see `crate::inspection::governance::cap`).
    pub supervision_class: Option<String>,
    /// The enterprise's risk grade (`crate::grading`); `None`: not graded.
    pub risk_grade: Option<RiskLevel>,
    /// `computed`, `guide` or `override` (a regulator's decision, kept by recomputation).
    pub grading_source: Option<String>,
    pub graded_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
