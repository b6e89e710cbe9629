//! Writing and reading a draw's frozen pool (`draw_pools`, encoded by [`pool_codec`]).
//!
//! [`pool_codec`]: super::pool_codec

use super::pool_codec::{self, Head};
use super::proof::Frozen;
use crate::entities::draw_pool;
use crate::error::{AppError, AppResult};
use sea_orm::ActiveValue::Set;
use sea_orm::{ConnectionTrait, EntityTrait};

/// Stores the pool of a just-committed draw.
pub async fn save<C: ConnectionTrait>(db: &C, draw_id: i64, frozen: &Frozen) -> AppResult<()> {
    let row = draw_pool::ActiveModel {
        draw_id: Set(draw_id),
        format: Set(pool_codec::FORMAT.to_owned()),
        body: Set(pool_codec::encode(frozen)),
    };
    draw_pool::Entity::insert(row).exec_without_returning(db).await?;
    Ok(())
}

async fn row<C: ConnectionTrait>(db: &C, draw_id: i64) -> AppResult<draw_pool::Model> {
    draw_pool::Entity::find_by_id(draw_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("draw {draw_id} has no stored pool")))
}

fn damaged(draw_id: i64, e: &pool_codec::Damaged) -> AppError {
    AppError::Internal(anyhow::anyhow!("draw {draw_id}: {e}"))
}

/// The whole frozen pool of a draw.
pub async fn load<C: ConnectionTrait>(db: &C, draw_id: i64) -> AppResult<Frozen> {
    let r = row(db, draw_id).await?;
    pool_codec::decode(&r.format, &r.body).map_err(|e| damaged(draw_id, &e))
}

/// The parameters and ineligible list of a draw's pool.
pub async fn head<C: ConnectionTrait>(db: &C, draw_id: i64) -> AppResult<Head> {
    let r = row(db, draw_id).await?;
    pool_codec::head(&r.format, &r.body).map_err(|e| damaged(draw_id, &e))
}
