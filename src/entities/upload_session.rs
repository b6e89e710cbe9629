//! A resumable upload (分片上传) in progress, or its receipt for a day after
//! completion. See `crate::attachment::uploads`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "upload_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Random name of the partial file under the files directory.
    pub token: String,
    pub user_id: i64,
    pub file_name: String,
    /// Declared total size in bytes.
    pub size: i64,
    /// The hash the client computed at capture, if it sent one.
    pub declared_sha256: Option<String>,
    /// The hash of the received file, once computed.
    pub sha256: Option<String>,
    /// Bytes durably written.
    pub received: i64,
    /// Lease of the request appending a chunk.
    pub writing_until: Option<DateTimeUtc>,
    pub captured_at: Option<DateTimeUtc>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub position_unavailable: bool,
    pub device: Option<String>,
    pub original_sha256: Option<String>,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub attachment_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
