//! Who may see and who may write an inspection's record: anyone who may see the
//! inspection reads it; only the team's inspectors (members with the `inspector`
//! role, not experts) write it (403 otherwise); a status that does not allow the
//! step answers 409.

use crate::auth::{CurrentUser, Role};
use crate::entities::{inspection, inspection_member};
use crate::error::{AppError, AppResult};
use crate::inspection::domain::{MemberRole, Status};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// The inspection if the user may see it (an enterprise user: once in progress); otherwise 404.
pub async fn visible<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<inspection::Model> {
    crate::inspection::governance::service::get_visible(db, user, id).await
}

/// The team's inspectors (leader and members; experts are not), in team order.
pub async fn inspectors<C: ConnectionTrait>(db: &C, inspection_id: i64) -> AppResult<Vec<inspection_member::Model>> {
    Ok(inspection_member::Entity::find()
        .filter(inspection_member::Column::InspectionId.eq(inspection_id))
        .filter(inspection_member::Column::Role.ne(MemberRole::Expert))
        .order_by_asc(inspection_member::Column::Id)
        .all(db)
        .await?)
}

/// The inspection if the user is one of its team's inspectors: 404 outside the
/// scope, 403 for anyone else.
pub async fn team_inspection<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<inspection::Model> {
    let i = visible(db, user, id).await?;
    if !user.has(Role::Inspector) || !inspectors(db, id).await?.iter().any(|m| m.user_id == user.id) {
        return Err(AppError::Forbidden);
    }
    Ok(i)
}

/// 409 unless the inspection is in one of `allowed`.
pub fn require_status(i: &inspection::Model, allowed: &[Status]) -> AppResult<()> {
    if allowed.contains(&i.status) {
        return Ok(());
    }
    let message = format!("该检查当前为“{}”，不能进行此操作", i.status.zh());
    Err(AppError::conflict("inspection_status", message))
}

/// The team's record while it is being written: a team inspector, status in progress.
pub async fn editable<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<inspection::Model> {
    let i = team_inspection(db, user, id).await?;
    require_status(&i, &[Status::InProgress])?;
    Ok(i)
}
