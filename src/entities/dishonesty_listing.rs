//! A subject on (or proposed for) the serious-dishonesty list (严重失信主体名单), with
//! its notice, statement, decision, listing period and early removal (`crate::dishonesty`).
use crate::dishonesty::domain::{BasisKind, ListingStatus, RemovalStatus, SubjectKind};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "dishonesty_listings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The deciding bureau: the case's (谁处罚、谁决定), or the enterprise's supervising bureau.
    pub bureau_id: i64,
    pub enterprise_id: Option<i64>,
    pub subject_kind: SubjectKind,
    pub subject_name: String,
    /// A person's identity number: masked when shown, never published.
    pub id_number: Option<String>,
    /// A unit's or body's 统一社会信用代码.
    pub credit_code: Option<String>,
    /// The situation's code in `data/dishonesty-situations.toml`.
    pub situation: String,
    pub basis_kind: BasisKind,
    pub case_id: Option<i64>,
    pub accident_id: Option<i64>,
    /// What the proposal rests on, unique: the same basis never proposes twice.
    pub basis_key: String,
    /// The basis in words (the decision's number, the accidents).
    pub basis_text: String,
    pub status: ListingStatus,
    /// `None`: proposed by the records (the scan).
    pub proposed_by: Option<i64>,
    pub proposed_at: DateTimeUtc,
    pub notified_by: Option<i64>,
    pub notified_on: Option<Date>,
    pub statement_until: Option<Date>,
    pub notice_number: Option<String>,
    pub statement: Option<String>,
    pub statement_on: Option<Date>,
    pub decided_by: Option<i64>,
    pub decided_on: Option<Date>,
    pub decision_number: Option<String>,
    pub listed_on: Option<Date>,
    /// The end of the listing (`listed_on` + 3 years, removed that day); kept when a removal is revoked.
    pub until: Option<Date>,
    pub refused_by: Option<i64>,
    pub refused_reason: Option<String>,
    pub removal_status: Option<RemovalStatus>,
    pub removal_applied_by: Option<i64>,
    pub removal_applied_on: Option<Date>,
    /// The public credit commitment (信用承诺) of the application.
    pub commitment: Option<String>,
    /// The conditions as checked at the application and the decision (JSON).
    pub removal_conditions: Option<String>,
    pub removal_decided_by: Option<i64>,
    pub removal_reason: Option<String>,
    pub removal_number: Option<String>,
    pub removed_on: Option<Date>,
    pub removal_revoked_on: Option<Date>,
    /// Removed at the end of the period by the nightly job.
    pub ended_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
