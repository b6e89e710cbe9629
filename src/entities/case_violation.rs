//! A violation charged in a case: a catalogue entry against one party, with the
//! fine proposed or decided and the discretion behind it.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "case_violations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub position: i32,
    pub party_position: i32,
    pub catalogue_code: String,
    /// The fine row's stage (first, uncorrected, refused, accident_*).
    pub stage: String,
    /// Violations of one party with the same act number are one act (one fine).
    pub act: i32,
    /// The discretion step (裁量阶次) chosen.
    pub step_code: Option<String>,
    pub fine_yuan: Option<i64>,
    /// For a fine that is a share of income.
    pub annual_income_yuan: Option<i64>,
    /// Why the amount is outside its step or below the statutory minimum.
    pub reason: String,
    /// A 减轻 ground (行政处罚法 art. 32) is claimed.
    pub mitigation: bool,
    pub outside_step: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
