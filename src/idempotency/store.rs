//! The table of keyed writes (`idempotency_keys`): claim before the handler,
//! complete with its answer or release after a refusal, purge when old. These
//! take the connection they run on; the middleware runs each in a short write
//! transaction of its own ([`crate::state::AppState::write`]), apart from the
//! handler's.

use crate::entities::idempotency_key::{self as row, Column, Entity};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, sea_query::Expr};

/// What a claim found.
pub enum Claim {
    /// The key is this request's now: run the handler.
    Mine,
    /// The key was there already (completed, or its request still running).
    Taken(row::Model),
    /// The key was there but purged before it could be read: claim again.
    Gone,
}

/// Claims (user, key) for a request with this fingerprint, in one statement
/// on both engines: the unique (user, key) index decides between two requests
/// arriving together.
pub async fn claim(
    conn: &impl ConnectionTrait,
    user: i64,
    key: &str,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<Claim, DbErr> {
    let new = row::ActiveModel {
        user_id: Set(user),
        idem_key: Set(key.to_owned()),
        request_hash: Set(hash.to_owned()),
        completed: Set(false),
        created_at: Set(now),
        ..Default::default()
    };
    let inserted = Entity::insert(new)
        .on_conflict(OnConflict::columns([Column::UserId, Column::IdemKey]).do_nothing().to_owned())
        .exec_without_returning(conn)
        .await?;
    if inserted == 1 {
        return Ok(Claim::Mine);
    }
    let found = Entity::find().filter(Column::UserId.eq(user)).filter(Column::IdemKey.eq(key)).one(conn).await?;
    Ok(found.map_or(Claim::Gone, Claim::Taken))
}

/// What is kept of an answer.
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    /// `None` when the body was too large to keep.
    pub body: Option<Vec<u8>>,
}

/// Stores the first answer on the claim.
pub async fn complete(
    conn: &impl ConnectionTrait,
    user: i64,
    key: &str,
    answer: Answer,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::Completed, Expr::value(true))
        .col_expr(Column::Status, Expr::value(i32::from(answer.status)))
        .col_expr(Column::ContentType, Expr::value(answer.content_type))
        .col_expr(Column::Body, Expr::value(answer.body))
        .col_expr(Column::CompletedAt, Expr::value(now))
        .filter(Column::UserId.eq(user))
        .filter(Column::IdemKey.eq(key))
        .filter(Column::Completed.eq(false))
        .exec(conn)
        .await?;
    Ok(())
}

/// Gives the key back after an answer that wrote nothing (4xx, 5xx).
pub async fn release(conn: &impl ConnectionTrait, user: i64, key: &str) -> Result<(), DbErr> {
    Entity::delete_many()
        .filter(Column::UserId.eq(user))
        .filter(Column::IdemKey.eq(key))
        .filter(Column::Completed.eq(false))
        .exec(conn)
        .await?;
    Ok(())
}

/// Deletes every key claimed before `cutoff` (completed or abandoned); returns how many.
pub async fn purge(conn: &impl ConnectionTrait, cutoff: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(Entity::delete_many().filter(Column::CreatedAt.lt(cutoff)).exec(conn).await?.rows_affected)
}
