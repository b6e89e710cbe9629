//! A worker an enterprise lists in a special-operation post, with the
//! certificate (特种作业操作证) when there is one (`crate::special_operation`).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "special_operation_workers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enterprise_id: i64,
    pub name: String,
    /// The identity number masked (4201**********1234); the number itself is never stored.
    pub id_number_masked: String,
    /// SHA-256 of the identity number, to find the same person twice (never returned).
    pub id_number_digest: String,
    /// A category code of `data/special-operations.toml`.
    pub category: String,
    /// Absent while the worker holds the post without a certificate.
    pub certificate_no: Option<String>,
    pub issued_by: Option<String>,
    pub issued_on: Option<Date>,
    pub review_due: Option<Date>,
    pub expires_on: Option<Date>,
    /// First day in the post.
    pub listed_on: Date,
    /// Last day in the post, once the listing is ended.
    pub ended_on: Option<Date>,
    pub end_reason: Option<String>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::enterprise::Entity",
        from = "Column::EnterpriseId",
        to = "super::enterprise::Column::Id"
    )]
    Enterprise,
}

impl Related<super::enterprise::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Enterprise.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
