//! The draw's use cases: commit (freeze and hash the pools, commit to the secret) and
//! execute (reveal, draw, create the inspections). Each takes the `Tx` it runs on.

use super::json::{CommitDraw, ExecuteDraw};
use crate::auth::CurrentUser;
use crate::entities::{draw, draw_task};
use crate::error::{AppError, AppResult};
use crate::write::Tx;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

impl crate::scope::Owned for draw::Entity {
    fn bureau() -> Self::Column {
        Self::Column::BureauId
    }
    fn enterprise() -> Option<Self::Column> {
        None
    }
}

/// The draw if the user may see it (a bureau user of the drawing bureau or one above); 404 otherwise.
pub async fn get_visible<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<draw::Model> {
    if !user.is_bureau_user() {
        return Err(AppError::NotFound);
    }
    crate::scope::get::<draw::Entity, _>(db, &user.scope, id).await
}

/// The draw's tasks in result order.
pub async fn tasks<C: ConnectionTrait>(db: &C, draw_id: i64) -> AppResult<Vec<draw_task::Model>> {
    Ok(draw_task::Entity::find()
        .filter(draw_task::Column::DrawId.eq(draw_id))
        .order_by_asc(draw_task::Column::Seq)
        .all(db)
        .await?)
}

/// Commits a draw: pools frozen and hashed, exclusions fixed, the secret committed.
#[allow(clippy::unused_async)]
pub async fn commit(_tx: &Tx, _user: &CurrentUser, _req: &CommitDraw) -> AppResult<draw::Model> {
    Err(AppError::Forbidden)
}

/// Executes a committed draw: the secret checked, the seed made, tasks drawn, the
/// `double_random` inspections created pending approval.
#[allow(clippy::unused_async)]
pub async fn execute(_tx: &Tx, _user: &CurrentUser, _id: i64, _req: &ExecuteDraw) -> AppResult<draw::Model> {
    Err(AppError::Forbidden)
}
