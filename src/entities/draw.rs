//! A double-random draw (双随机抽取); see `crate::draw`.
use crate::draw::domain::{SecretMode, Status};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "draws")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The drawing bureau; its inspections are this bureau's.
    pub bureau_id: i64,
    pub title: String,
    pub status: Status,
    /// Whether the pools reach the bureaus below (cross-region teams).
    pub include_subordinates: bool,
    /// JSON of the request's `filter` as given.
    pub filter: String,
    /// JSON of the rest of the request (sample, strata, weights, team size, rule), as given.
    pub request: String,
    /// The day the drawn inspections are planned for (availability is checked that day).
    pub planned_date: Date,
    /// The annual plan the draw carries out, if named.
    pub plan_id: Option<i64>,
    pub supersedes_id: Option<i64>,
    pub redraw_reason: Option<String>,
    pub superseded_by_id: Option<i64>,
    pub algorithm: String,
    pub hash_alg: String,
    pub pool_hash: String,
    pub enterprises_hash: String,
    pub inspectors_hash: String,
    pub exclusions_hash: String,
    pub parameters_hash: String,
    pub inspector_ids_hash: String,
    pub commitment: String,
    pub secret_mode: SecretMode,
    /// The server's secret, withheld until execution (server mode only).
    pub held_secret: Option<String>,
    /// The revealed secret (after execution).
    pub secret: Option<String>,
    pub public_entropy: Option<String>,
    pub seed: Option<String>,
    pub enterprise_count: i32,
    pub inspector_count: i32,
    pub sample_count: i32,
    pub unstaffed_count: i32,
    pub created_by: i64,
    pub committed_at: DateTimeUtc,
    pub executed_by: Option<i64>,
    pub executed_at: Option<DateTimeUtc>,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
