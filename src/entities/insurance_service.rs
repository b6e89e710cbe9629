//! An accident-prevention service (事故预防服务) of an insurer for an insured
//! enterprise under a policy (`crate::insurance::prevention`).
use crate::insurance::prevention::domain::ServiceKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "insurance_services")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub policy_id: i64,
    /// The policy's enterprise and insurer, copied for the scoped lists.
    pub enterprise_id: i64,
    pub insurer_id: i64,
    pub kind: ServiceKind,
    pub served_on: Date,
    pub cost_yuan: i64,
    /// The organisation or team that delivered it.
    pub provider: String,
    /// The experts' names.
    pub experts: Option<String>,
    pub summary: String,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
