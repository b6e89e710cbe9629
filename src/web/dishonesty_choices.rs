//! What a regulator's own proposal for the 严重失信主体名单 may rest on, as choices:
//! the penalty decisions of the proposer's bureau (谁处罚、谁决定: not revoked) and
//! the accidents its bureau handles, newest first, at most [`MAX_CHOICES`] each —
//! so a clerk picks a decision by its number and party, not by a database id.
//! The service checks the choice again (`dishonesty::service::propose`).

use super::dishonesty_pages::Opt;
use crate::auth::CurrentUser;
use crate::case::domain::Decision;
use crate::entities::{accident, case};
use crate::error::AppResult;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// Choices per list: a bureau's decisions and accidents of the last years fit.
pub const MAX_CHOICES: u64 = 300;

/// A decision row: id, decided on, fine, number, first party.
type CaseRow = (i64, Option<chrono::NaiveDate>, i64, Option<String>, Option<String>);

/// The decisions and the accidents a proposal may rest on, for the proposer's bureau.
pub async fn basis<C: ConnectionTrait>(db: &C, user: &CurrentUser) -> AppResult<(Vec<Opt>, Vec<Opt>)> {
    let Some(bureau) = user.bureau.as_ref().map(|b| b.id) else {
        return Ok((vec![], vec![]));
    };
    let cases: Vec<CaseRow> = case::Entity::find()
        .select_only()
        .columns([case::Column::Id, case::Column::DecidedOn, case::Column::FineTotalYuan])
        .expr_as(Expr::cust(crate::case::list::NUMBER), "number")
        .expr_as(Expr::cust(crate::case::list::FIRST_PARTY), "party")
        .filter(case::Column::BureauId.eq(bureau))
        .filter(case::Column::Decision.eq(Decision::Penalty))
        .filter(case::Column::RevokedOn.is_null())
        .order_by_desc(case::Column::DecidedOn)
        .order_by_desc(case::Column::Id)
        .limit(MAX_CHOICES)
        .into_tuple()
        .all(db)
        .await?;
    let cases = cases
        .into_iter()
        .map(|(id, on, fine, number, party)| Opt {
            value: id.to_string(),
            label: format!(
                "{}　{}　{}决定，罚款 {fine} 元",
                number.as_deref().unwrap_or("（无文号）"),
                party.as_deref().unwrap_or("（无当事人）"),
                on.map(|d| d.format("%Y-%m-%d ").to_string()).unwrap_or_default(),
            ),
        })
        .collect();
    let accidents = accident::Entity::find()
        .filter(accident::Column::BureauId.eq(bureau))
        .order_by_desc(accident::Column::OccurredAt)
        .order_by_desc(accident::Column::Id)
        .limit(MAX_CHOICES)
        .all(db)
        .await?
        .into_iter()
        .map(|a| Opt {
            value: a.id.to_string(),
            label: format!(
                "{}　{}　{}，死亡 {} 人",
                crate::clock::china_date(a.occurred_at).format("%Y-%m-%d"),
                a.place,
                a.grade.zh(),
                a.deaths
            ),
        })
        .collect();
    Ok((cases, accidents))
}
