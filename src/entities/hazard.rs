//! Hidden hazard (隐患): one row per hazard, never deleted; see `crate::hazard`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "hazards")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enterprise_id: Option<i64>,
    /// A provisional subject (打非治违 lead) when the operator is not in the register.
    pub subject_id: Option<i64>,
    /// The supervising bureau (监管主体) when the hazard was recorded.
    pub bureau_id: i64,
    pub sector: Option<String>,
    pub region_code: String,
    pub source: String,
    /// 12350 reference number, referral document number and the like.
    pub source_ref: Option<String>,
    /// Protected reporter identity (举报人): never shown to enterprise users.
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub reporter_user_id: Option<i64>,
    /// 核查结果: `substantiated` (属实) / `unsubstantiated` (不属实).
    pub verification_outcome: Option<String>,
    pub reward: Option<String>,
    pub level: String,
    /// Who closes it: `enterprise`, `inspector`, `regulator`, `major`.
    pub closure: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub location: Option<String>,
    pub found_at: DateTimeUtc,
    pub deadline: Option<Date>,
    pub checklist_item_code: Option<String>,
    pub risk_point_id: Option<i64>,
    pub status: String,
    pub is_open: bool,
    /// Production or use suspended during remediation (WSL art. 65).
    pub suspended: bool,
    /// 交办 details (JSON).
    pub assignment: Option<String>,
    /// 治理方案 with the 五定 (JSON).
    pub plan: Option<String>,
    /// The major-hazard report (双报告) contents (JSON).
    pub report: Option<String>,
    pub extension_until: Option<Date>,
    pub extension_reason: Option<String>,
    /// The user who submitted completion; the acceptor must be someone else.
    pub rectified_by: Option<i64>,
    /// Funds spent on rectification, in fen (分).
    pub funds_spent: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub status_changed_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
