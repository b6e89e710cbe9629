//! One version of a major hazard's 治理方案 (16号令 art. 15); versions are kept.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "hazard_plans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub hazard_id: i64,
    /// 1, 2, … per hazard.
    pub version: i32,
    /// 目标和任务.
    pub goals: String,
    /// 方法和措施.
    pub measures: String,
    /// 经费 in fen (分).
    pub funds_fen: i64,
    /// 物资.
    pub materials: Option<String>,
    /// 负责的机构和人员.
    pub responsible_org: String,
    pub responsible_person: String,
    /// 时限和要求.
    pub deadline: Date,
    pub requirements: Option<String>,
    /// 安全措施和应急预案.
    pub safety_measures: String,
    pub emergency_plan: String,
    /// Filed by the enterprise's principal's own account (签字确认).
    pub signed_by_principal: bool,
    pub author_id: Option<i64>,
    /// The timeline step that filed it.
    pub event_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
