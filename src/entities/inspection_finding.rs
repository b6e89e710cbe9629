//! A finding (检查发现的问题) of an inspection: a checklist item or free text; at
//! completion it becomes a hazard in the ledger (`hazard_id`).
use crate::checklist::Severity;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "inspection_findings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub inspection_id: i64,
    /// The checklist item (with its pinned version), or none for a free-text finding.
    pub item_code: Option<String>,
    pub checklist_hash: Option<String>,
    /// A free-text finding's short title (an item's finding takes the item's text).
    pub title: Option<String>,
    /// The hazard category code (隐患类别) the hazard will have.
    pub category: String,
    pub severity: Severity,
    pub description: String,
    pub location: Option<String>,
    /// The legal basis printed on the documents (the item's, or typed in).
    pub basis: Option<String>,
    /// The inspector confirmed a basis taken from an unverified item.
    pub basis_confirmed: bool,
    /// 整改期限: a date, or so many working days from the order's service.
    pub deadline: Option<Date>,
    pub deadline_working_days: Option<i32>,
    pub rectified_on_spot: bool,
    pub hazard_id: Option<i64>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
