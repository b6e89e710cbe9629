//! The table of keyed writes (`idempotency_keys`): claim before the handler,
//! complete with its answer or release after a refusal, purge when old.
//! Each write is a short transaction of its own on the writer, apart from the
//! handler's.

use crate::db::Db;
use crate::entities::idempotency_key::{self as row, Column, Entity};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, sea_query::Expr};

/// Claims (user, key) for a request with this fingerprint. `None`: claimed,
/// run the handler. `Some(row)`: the key was there already (completed or still
/// running), answer from it.
pub async fn claim(db: &Db, user: i64, key: &str, hash: &str, now: DateTime<Utc>) -> Result<Option<row::Model>, DbErr> {
    let new = row::ActiveModel {
        user_id: Set(user),
        idem_key: Set(key.to_owned()),
        request_hash: Set(hash.to_owned()),
        completed: Set(false),
        created_at: Set(now),
        ..Default::default()
    };
    let txn = db.begin_write().await?;
    // A single statement on both engines: the unique (user, key) index decides
    // between two requests arriving together.
    let inserted = Entity::insert(new)
        .on_conflict(OnConflict::columns([Column::UserId, Column::IdemKey]).do_nothing().to_owned())
        .exec_without_returning(&txn)
        .await?;
    let existing = if inserted == 0 { find(&txn, user, key).await? } else { None };
    txn.commit().await?;
    match existing {
        Some(found) => Ok(Some(found)),
        None if inserted == 1 => Ok(None),
        // Purged between the insert and the read: claim again.
        None => Box::pin(claim(db, user, key, hash, now)).await,
    }
}

async fn find(conn: &impl ConnectionTrait, user: i64, key: &str) -> Result<Option<row::Model>, DbErr> {
    Entity::find().filter(Column::UserId.eq(user)).filter(Column::IdemKey.eq(key)).one(conn).await
}

/// What is kept of an answer.
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    /// `None` when the body was too large to keep.
    pub body: Option<Vec<u8>>,
}

/// Stores the first answer on the claim.
pub async fn complete(db: &Db, user: i64, key: &str, answer: Answer, now: DateTime<Utc>) -> Result<(), DbErr> {
    let txn = db.begin_write().await?;
    Entity::update_many()
        .col_expr(Column::Completed, Expr::value(true))
        .col_expr(Column::Status, Expr::value(i32::from(answer.status)))
        .col_expr(Column::ContentType, Expr::value(answer.content_type))
        .col_expr(Column::Body, Expr::value(answer.body))
        .col_expr(Column::CompletedAt, Expr::value(now))
        .filter(Column::UserId.eq(user))
        .filter(Column::IdemKey.eq(key))
        .filter(Column::Completed.eq(false))
        .exec(&txn)
        .await?;
    txn.commit().await
}

/// Gives the key back after an answer that wrote nothing (4xx, 5xx).
pub async fn release(db: &Db, user: i64, key: &str) -> Result<(), DbErr> {
    let txn = db.begin_write().await?;
    Entity::delete_many()
        .filter(Column::UserId.eq(user))
        .filter(Column::IdemKey.eq(key))
        .filter(Column::Completed.eq(false))
        .exec(&txn)
        .await?;
    txn.commit().await
}

/// Deletes every key claimed before `cutoff` (completed or abandoned); returns how many.
pub async fn purge(conn: &impl ConnectionTrait, cutoff: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(Entity::delete_many().filter(Column::CreatedAt.lt(cutoff)).exec(conn).await?.rows_affected)
}
