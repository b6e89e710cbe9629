//! User account row.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub username: String,
    pub password_hash: String,
    pub display_name: String,
    pub bureau_id: Option<i64>,
    pub email: Option<String>,
    pub certificate_no: Option<String>,
    pub certificate_valid_until: Option<Date>,
    /// Comma-separated sector codes limiting a bureau user's scope; `None` = all.
    pub sectors: Option<String>,
    /// An inspector's specialties (comma-separated sector codes), see `crate::inspector`.
    pub specialties: Option<String>,
    pub must_change_password: bool,
    pub disabled: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
