//! A keyed write's claim and stored answer (`Idempotency-Key`, see [`crate::idempotency`]).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    /// The client's key; unique per user.
    pub idem_key: String,
    /// SHA-256 (hex) of the method, path and body of the first request.
    pub request_hash: String,
    /// False while the first request runs (the claim), true once its answer is stored.
    pub completed: bool,
    pub status: Option<i32>,
    pub content_type: Option<String>,
    /// The answer's body; `None` when it was too large to keep.
    pub body: Option<Vec<u8>>,
    pub created_at: DateTimeUtc,
    pub completed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
