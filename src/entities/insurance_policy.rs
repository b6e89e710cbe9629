//! A 安责险 policy of an enterprise (`crate::insurance`).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "insurance_policies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enterprise_id: i64,
    pub insurer_id: i64,
    pub policy_no: String,
    /// First day covered.
    pub starts_on: Date,
    /// Last day covered.
    pub ends_on: Date,
    pub premium_yuan: i64,
    pub insured_headcount: i32,
    /// 每人死亡伤残责任限额.
    pub death_disability_limit_yuan: i64,
    /// The day the cancellation took effect (no cover from that day on).
    pub cancelled_on: Option<Date>,
    pub cancel_reason: Option<String>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
