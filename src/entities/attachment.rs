//! An uploaded file (附件): content-addressed by SHA-256, with what the
//! capturing device said about it; linked to its owner record (a hazard, and
//! the timeline step that named it) once that record claims it.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sha256: String,
    pub content_type: String,
    pub size: i64,
    pub file_name: String,
    pub uploaded_by: i64,
    pub uploaded_at: DateTimeUtc,
    /// `crate::attachment::OwnerType` code; `None` while unclaimed.
    pub owner_type: Option<String>,
    pub owner_id: Option<i64>,
    /// The owner's timeline step (a hazard event id) that named the file.
    pub step_id: Option<i64>,
    /// `before`, `after`, `plan`, `evidence`, `report`.
    pub purpose: Option<String>,
    pub captured_at: Option<DateTimeUtc>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub position_unavailable: bool,
    pub device: Option<String>,
    /// SHA-256 of the original a device resized before sending, as it declared.
    pub original_sha256: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
