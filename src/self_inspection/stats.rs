//! Figures of self-inspection for other modules (the quarterly statistics' 排查次数).

use super::domain::TaskStatus;
use crate::entities::self_inspection_task as task;
use crate::error::AppResult;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// 排查次数: the enterprise's tasks completed in `[from, to)`.
pub async fn completed_in<C: ConnectionTrait>(
    db: &C,
    enterprise_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<i64> {
    let n = task::Entity::find()
        .filter(task::Column::EnterpriseId.eq(enterprise_id))
        .filter(task::Column::Status.eq(TaskStatus::Completed))
        .filter(task::Column::CompletedAt.gte(from))
        .filter(task::Column::CompletedAt.lt(to))
        .count(db)
        .await?;
    Ok(i64::try_from(n).unwrap_or(i64::MAX))
}
