//! The credit sources of 安责险 (see [`super::collect`] for how events are logged):
//! an open enterprise that must insure found without cover at the floor for all its
//! employees, at most once a calendar month, and each accident-prevention service an
//! insurer recorded for an enterprise.

use super::collect::{New, not_logged};
use super::domain::Signal;
use crate::entities::{enterprise, insurance_service};
use crate::error::AppResult;
use crate::insurance::prevention::domain::ServiceKind;
use chrono::{Datelike, NaiveDate};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

pub(super) async fn prevention_services<C: ConnectionTrait>(db: &C) -> AppResult<Vec<New>> {
    use insurance_service::Column as S;
    let rows: Vec<(i64, i64, NaiveDate, ServiceKind)> = insurance_service::Entity::find()
        .select_only()
        .columns([S::Id, S::EnterpriseId, S::ServedOn, S::Kind])
        .filter(not_logged(Signal::PreventionService, "insurance_service", "insurance_services"))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, e, on, kind)| New {
            enterprise_id: e,
            signal: Signal::PreventionService,
            occurred_on: on,
            source_type: "insurance_service",
            source_id: id,
            detail: format!("保险机构事故预防服务：{}", kind.zh()),
        })
        .collect())
}

pub(super) async fn uninsured<C: ConnectionTrait>(db: &C, today: NaiveDate) -> AppResult<Vec<New>> {
    use crate::enterprise::domain::EnterpriseStatus;
    use enterprise::Column as E;
    let r = crate::insurance::rules::rules()?;
    let month = today.with_day(1).unwrap_or(today);
    let logged = format!(
        "NOT EXISTS (SELECT 1 FROM credit_events e WHERE e.signal = '{}' AND e.source_type = 'enterprise' \
         AND e.source_id = enterprises.id AND e.occurred_on >= '{}')",
        Signal::UninsuredMandatory.as_str(),
        month.format("%Y-%m-%d")
    );
    let covered = crate::insurance::uninsured::covered_sql(&r.floor_sql("enterprises"), today);
    let ids: Vec<i64> = enterprise::Entity::find()
        .select_only()
        .column(E::Id)
        .filter(Expr::cust(r.mandatory_sql("enterprises")))
        .filter(E::Status.ne(EnterpriseStatus::Closed))
        .filter(Expr::cust(format!("NOT {covered}")))
        .filter(Expr::cust(logged))
        .into_tuple()
        .all(db)
        .await?;
    let detail = format!("{} 检查：应投保安全生产责任保险，无有效足额保单", month.format("%Y年%m月"));
    Ok(ids
        .into_iter()
        .map(|id| New {
            enterprise_id: id,
            signal: Signal::UninsuredMandatory,
            occurred_on: today,
            source_type: "enterprise",
            source_id: id,
            detail: detail.clone(),
        })
        .collect())
}
