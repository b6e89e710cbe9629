//! The Work Safety Law's escalations.
//!
//! - Art. 113 (提请关闭): an enterprise with an open major hazard that received 3
//!   penalty decisions under the WSL within 180 days, or 4 within a year, is
//!   reported to its supervising regulators (a to-do for the bureau's 监管人员, with
//!   the cases listed). Checked when a decision is made and by the nightly job,
//!   set-based over the decisions of the last year; each alert is keyed by the latest
//!   decision, so a new decision alerts again and a rerun does not.
//! - Art. 112 (按日连续处罚): when a re-inspection finds that a unit ordered to
//!   correct and fined refuses to, the handler proposes a new case from the decided
//!   one: the violations that allow daily penalties, with the potential amount (the
//!   original fine for each day from the day after the order to the re-inspection)
//!   written into its facts. It is a proposal that goes through its own procedure
//!   and notice — never a debt that runs by itself.
//!
//! Decisions:
//! - "A decision under the WSL" is a penalty decision of a case with at least one
//!   violation whose catalogue entry belongs to the WSL (codes `wsl-…`), counted for
//!   the unit party the case names; decisions later revoked do not count.

use super::domain::{CaseStatus, Decision, Procedure};
use super::service::push;
use super::steps::{Ctx, Outcome};
use crate::auth::Role;
use crate::entities::{case, case_violation, enterprise, hazard};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::notice::{self, Notice};
use crate::todo::Assignee;
use chrono::{Duration, NaiveDate};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;
use std::collections::{BTreeMap, HashSet};

/// One enterprise that meets art. 113: its decisions in the window, newest first.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ClosureAlert {
    pub enterprise_id: i64,
    pub case_ids: Vec<i64>,
}

/// The enterprises meeting art. 113 on `today` (or only `only`).
pub async fn closure_alerts<C: ConnectionTrait>(
    db: &C,
    today: NaiveDate,
    only: Option<i64>,
) -> AppResult<Vec<ClosureAlert>> {
    let rule = &super::rules::rules()?.closure_alert;
    let year_ago = today - Duration::days(365);
    let window = today - Duration::days(rule.within_days);
    let wsl = sea_orm::sea_query::Query::select()
        .column(case_violation::Column::CaseId)
        .from(case_violation::Entity)
        .and_where(case_violation::Column::CatalogueCode.like("wsl-%"))
        .to_owned();
    let mut q = case::Entity::find()
        .select_only()
        .columns([case::Column::EnterpriseId, case::Column::Id, case::Column::DecidedOn])
        .filter(case::Column::Decision.eq(Decision::Penalty))
        .filter(case::Column::Status.ne(CaseStatus::Revoked))
        .filter(case::Column::DecidedOn.gt(year_ago))
        .filter(case::Column::EnterpriseId.is_not_null())
        .filter(case::Column::Id.in_subquery(wsl));
    if let Some(id) = only {
        q = q.filter(case::Column::EnterpriseId.eq(id));
    }
    let rows: Vec<(Option<i64>, i64, Option<NaiveDate>)> =
        q.order_by_desc(case::Column::DecidedOn).order_by_desc(case::Column::Id).into_tuple().all(db).await?;
    let mut by: BTreeMap<i64, Vec<(i64, NaiveDate)>> = BTreeMap::new();
    for (e, id, on) in rows {
        if let (Some(e), Some(on)) = (e, on) {
            by.entry(e).or_default().push((id, on));
        }
    }
    let count = usize::try_from(rule.count).unwrap_or(usize::MAX);
    let year_count = usize::try_from(rule.year_count).unwrap_or(usize::MAX);
    by.retain(|_, v| v.iter().filter(|(_, on)| *on > window).count() >= count || v.len() >= year_count);
    let mut open = HashSet::new();
    let ids: Vec<i64> = by.keys().copied().collect();
    for chunk in ids.chunks(500) {
        let rows: Vec<Option<i64>> = hazard::Entity::find()
            .select_only()
            .column(hazard::Column::EnterpriseId)
            .filter(hazard::Column::EnterpriseId.is_in(chunk.iter().copied()))
            .filter(Expr::cust(r#""hazards"."is_open" = TRUE AND "hazards"."level" = 'major'"#))
            .distinct()
            .into_tuple()
            .all(db)
            .await?;
        open.extend(rows.into_iter().flatten());
    }
    Ok(by
        .into_iter()
        .filter(|(e, _)| open.contains(e))
        .map(|(enterprise_id, v)| ClosureAlert { enterprise_id, case_ids: v.into_iter().map(|(id, _)| id).collect() })
        .collect())
}

/// Sends the art. 113 alerts due on `today` (or only for `only`); answers how many.
pub async fn alert<C: ConnectionTrait>(
    db: &C,
    at: chrono::DateTime<chrono::Utc>,
    only: Option<i64>,
) -> AppResult<usize> {
    let alerts = closure_alerts(db, crate::clock::china_date(at), only).await?;
    let mut notices = Vec::new();
    for a in &alerts {
        let Some(e) = enterprise::Entity::find_by_id(a.enterprise_id).one(db).await? else { continue };
        let latest = a.case_ids.first().copied().unwrap_or_default();
        let cases: Vec<String> = a.case_ids.iter().map(|id| format!("#{id}")).collect();
        notices.push(Notice {
            assignee: Assignee::BureauRole(e.supervising_bureau_id, Role::Regulator),
            todo_kind: "closure_alert",
            title: format!(
                "{}存在重大事故隐患且多次受到行政处罚（案件 {}），符合安全生产法第一百一十三条提请关闭的情形，请研究处理",
                e.name,
                cases.join("、")
            ),
            link: format!("/enterprises/{}", e.id),
            mail: Some(crate::mail::Kind::ClosureAlert),
            ctx: crate::mail::NoticeContext {
                enterprise_name: e.name.clone(),
                hazard_title: format!("行政处罚案件 {}", cases.join("、")),
                link: crate::mail::link(&format!("/enterprises/{}", e.id)),
                ..Default::default()
            },
            key: format!("closure_alert:{}:{latest}", e.id),
        });
    }
    notice::send(db, at, notices).await?;
    Ok(alerts.len())
}

/// The 按日连续处罚 step on a decided case: proposes a new case; answers the record.
pub(super) async fn daily_penalty(c: &Ctx<'_>, f: &mut FieldErrors) -> AppResult<Outcome> {
    if c.case.decision != Some(Decision::Penalty) || c.case.procedure != Procedure::General {
        return Err(AppError::conflict("not_a_penalty", "只有一般程序作出罚款决定的案件才能提出按日连续处罚"));
    }
    let data = super::catalogue::data()?;
    let (violations, _) = super::proposal::parts(c.tx, c.case.id).await?;
    let daily: Vec<&case_violation::Model> = violations
        .iter()
        .filter(|v| v.fine_yuan.unwrap_or(0) > 0 && data.entry(&v.catalogue_code).is_some_and(|e| e.daily_penalty))
        .collect();
    if daily.is_empty() {
        return Err(AppError::conflict("no_daily_penalty", "本案没有可以按日连续处罚的罚款"));
    }
    let Some(ordered) = c.body.ordered_on else {
        push(f, "ordered_on", "请填写责令改正的日期");
        return Ok(Outcome { to: c.to, documents: vec![], record: json!({}) });
    };
    if ordered >= c.on {
        push(f, "ordered_on", "责令改正日期应早于复查发现拒不改正的日期");
    }
    if c.body.note.trim().is_empty() {
        push(f, "note", "请填写复查发现拒不改正的事实");
    }
    if !f.is_empty() {
        return Ok(Outcome { to: c.to, documents: vec![], record: json!({}) });
    }
    let days = (c.on - ordered).num_days();
    let per_day: i64 = daily.iter().filter_map(|v| v.fine_yuan).sum();
    let potential = per_day.saturating_mul(days);
    let facts = format!(
        "按日连续处罚（安全生产法第一百一十二条）：原案件 #{} 责令改正之日 {ordered} 的次日起至复查发现之日 {} 共 {days} 日拒不改正。{}\n按原处罚数额每日 {per_day} 元计，可能的罚款数额为 {potential} 元；须经立案、告知和审核另行作出决定，不是自动累计的债务。",
        c.case.id,
        c.on,
        c.body.note.trim()
    );
    let new_id = super::service::propose_from(c.tx, c.user, c.case, &daily, &facts).await?;
    let record = json!({"new_case_id": new_id, "ordered_on": ordered, "found_on": c.on, "days": days,
        "per_day_yuan": per_day, "potential_yuan": potential, "note": c.body.note.trim()});
    Ok(Outcome { to: c.to, documents: vec![], record })
}
