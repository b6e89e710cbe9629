//! One change of an enterprise's operating status, or a suspension order
//! (停产停业、停止使用, WSL art. 65) on one of its hazards and its lifting.
use crate::coded::coded_enum;
use crate::enterprise::domain::EnterpriseStatus;
use sea_orm::entity::prelude::*;

coded_enum! {
    /// What a history entry records besides a change of the register's status.
    pub enum StatusEvent in "状态事项" {
        SuspensionOrdered = "suspension_ordered" / "责令停产停业/停止使用",
        SuspensionLifted = "suspension_lifted" / "解除停产停业/停止使用",
    }
}

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "enterprise_status_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enterprise_id: i64,
    /// The register's status after the entry (unchanged by a suspension order:
    /// what is stopped may be one facility, named in `reason`).
    pub status: EnterpriseStatus,
    pub previous_status: Option<EnterpriseStatus>,
    pub reason: Option<String>,
    pub actor_id: Option<i64>,
    pub changed_at: DateTimeUtc,
    /// A suspension order or its lifting; `None` for a change of status.
    pub event: Option<StatusEvent>,
    /// The hazard whose suspension order this is.
    pub hazard_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
