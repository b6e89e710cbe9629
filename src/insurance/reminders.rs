//! The daily 安责险 notices (a step of `crate::jobs`): before a policy ends
//! (`reminders.days_before_expiry` of the rules, 30 and 7 days) a to-do and mail to
//! the enterprise's 主要负责人 and 安全管理人员 and to the insurer's users; when a
//! mandatory enterprise's cover lapses, a to-do and mail to the supervising
//! regulators. Each notice sent is recorded in `insurance_notices`, so a re-run
//! sends nothing twice.
//!
//! Decisions:
//! - A policy first seen inside a shorter window gets that reminder only (the
//!   longer ones are recorded as passed, never sent late).
//! - A cancelled policy gets no expiry reminder.
//! - A lapse is noticed for policies that ended or were cancelled in the last
//!   [`LAPSE_LOOKBACK_DAYS`] days, when the enterprise must insure, is open and
//!   has no adequate cover today (the same SQL as the coverage figures); older
//!   lapses are on the uninsured list already.

use super::rules::rules;
use super::uninsured::covered_sql;
use crate::auth::Role;
use crate::entities::{enterprise, insurance_notice, insurance_policy, insurer, insurer_user};
use crate::error::AppResult;
use crate::mail::{Kind, NoticeContext};
use crate::notice::{self, Notice};
use crate::todo::Assignee;
use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{HashMap, HashSet};

pub const LAPSE_LOOKBACK_DAYS: u64 = 30;

/// What one run sent.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct ReminderReport {
    /// Policies reminded of their end.
    pub expiring: usize,
    /// Policies whose lapse was noticed to the regulators.
    pub lapsed: usize,
}

struct Facts {
    names: HashMap<i64, (String, i64)>,
    insurers: HashMap<i64, String>,
    insurer_users: HashMap<i64, Vec<i64>>,
    sent: HashSet<(i64, String)>,
}

async fn facts<C: ConnectionTrait>(db: &C, ps: &[insurance_policy::Model]) -> AppResult<Facts> {
    let names = enterprise::Entity::find()
        .filter(enterprise::Column::Id.is_in(ps.iter().map(|p| p.enterprise_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, (e.name, e.supervising_bureau_id)))
        .collect();
    let insurers = insurer::Entity::find()
        .filter(insurer::Column::Id.is_in(ps.iter().map(|p| p.insurer_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i.name))
        .collect();
    let mut insurer_users: HashMap<i64, Vec<i64>> = HashMap::new();
    for l in insurer_user::Entity::find()
        .filter(insurer_user::Column::InsurerId.is_in(ps.iter().map(|p| p.insurer_id)))
        .all(db)
        .await?
    {
        insurer_users.entry(l.insurer_id).or_default().push(l.user_id);
    }
    let sent = insurance_notice::Entity::find()
        .filter(insurance_notice::Column::PolicyId.is_in(ps.iter().map(|p| p.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.policy_id, n.kind))
        .collect();
    Ok(Facts { names, insurers, insurer_users, sent })
}

fn ctx(f: &Facts, p: &insurance_policy::Model, days: Option<i64>) -> NoticeContext {
    let insurer = f.insurers.get(&p.insurer_id).cloned().unwrap_or_default();
    NoticeContext {
        enterprise_name: f.names.get(&p.enterprise_id).map(|n| n.0.clone()).unwrap_or_default(),
        hazard_title: format!("{insurer} 保单号 {}", p.policy_no),
        deadline: Some(p.ends_on),
        days,
        link: crate::mail::link(&format!("/enterprises/{}/insurance", p.enterprise_id)),
        ..Default::default()
    }
}

fn record(p: &insurance_policy::Model, kind: String, at: DateTime<Utc>) -> insurance_notice::ActiveModel {
    insurance_notice::ActiveModel { policy_id: Set(p.id), kind: Set(kind), sent_at: Set(at), ..Default::default() }
}

/// Runs the step on `at` (the day is Beijing's).
pub async fn run<C: ConnectionTrait>(db: &C, at: DateTime<Utc>) -> AppResult<ReminderReport> {
    let today = crate::clock::china_date(at);
    let mut notices = Vec::new();
    let mut rows = Vec::new();
    let expiring = expiring(db, today, at, &mut notices, &mut rows).await?;
    let lapsed = lapsed(db, today, at, &mut notices, &mut rows).await?;
    if !rows.is_empty() {
        insurance_notice::Entity::insert_many(rows).exec_without_returning(db).await?;
    }
    notice::send(db, at, notices).await?;
    Ok(ReminderReport { expiring, lapsed })
}

async fn expiring<C: ConnectionTrait>(
    db: &C,
    today: NaiveDate,
    at: DateTime<Utc>,
    notices: &mut Vec<Notice>,
    rows: &mut Vec<insurance_notice::ActiveModel>,
) -> AppResult<usize> {
    use insurance_policy::Column as P;
    let mut days = rules()?.reminders.days_before_expiry.clone();
    days.sort_unstable();
    let Some(until) = days.last().and_then(|d| today.checked_add_days(Days::new(d.unsigned_abs()))) else {
        return Ok(0);
    };
    let ps = insurance_policy::Entity::find()
        .filter(P::EndsOn.gte(today))
        .filter(P::EndsOn.lte(until))
        .filter(Condition::any().add(P::CancelledOn.is_null()).add(P::CancelledOn.gt(today)))
        .all(db)
        .await?;
    let f = facts(db, &ps).await?;
    let mut n = 0;
    for p in &ps {
        let left = (p.ends_on - today).num_days();
        let Some(&window) = days.iter().find(|d| left <= **d) else { continue };
        if f.sent.contains(&(p.id, format!("expiry_{window}"))) {
            continue;
        }
        n += 1;
        for d in days.iter().filter(|d| **d >= window) {
            if !f.sent.contains(&(p.id, format!("expiry_{d}"))) {
                rows.push(record(p, format!("expiry_{d}"), at));
            }
        }
        let name = f.names.get(&p.enterprise_id).map(|n| n.0.clone()).unwrap_or_default();
        let mut to = vec![
            Assignee::EnterpriseRole(p.enterprise_id, Role::Principal),
            Assignee::EnterpriseRole(p.enterprise_id, Role::SafetyOfficer),
        ];
        to.extend(f.insurer_users.get(&p.insurer_id).into_iter().flatten().map(|u| Assignee::User(*u)));
        for a in to {
            notices.push(Notice {
                key: format!("insurance_expiring:{}:{window}:{a:?}", p.id),
                assignee: a,
                todo_kind: "insurance_expiring",
                title: format!(
                    "{name}的安责险保单 {} 将于 {} 到期（还有 {left} 天），请及时续保",
                    p.policy_no, p.ends_on
                ),
                link: format!("/enterprises/{}/insurance", p.enterprise_id),
                mail: Some(Kind::InsuranceExpiring),
                ctx: ctx(&f, p, Some(left)),
            });
        }
    }
    Ok(n)
}

async fn lapsed<C: ConnectionTrait>(
    db: &C,
    today: NaiveDate,
    at: DateTime<Utc>,
    notices: &mut Vec<Notice>,
    rows: &mut Vec<insurance_notice::ActiveModel>,
) -> AppResult<usize> {
    use insurance_policy::Column as P;
    let since = today.checked_sub_days(Days::new(LAPSE_LOOKBACK_DAYS)).unwrap_or(today);
    let ps = insurance_policy::Entity::find()
        .filter(
            Condition::any()
                .add(Condition::all().add(P::EndsOn.gte(since)).add(P::EndsOn.lt(today)))
                .add(Condition::all().add(P::CancelledOn.gte(since)).add(P::CancelledOn.lte(today))),
        )
        .all(db)
        .await?;
    let r = rules()?;
    let bare: HashSet<i64> = enterprise::Entity::find()
        .select_only()
        .column(enterprise::Column::Id)
        .filter(enterprise::Column::Id.is_in(ps.iter().map(|p| p.enterprise_id)))
        .filter(Expr::cust(r.mandatory_sql("enterprises")))
        .filter(enterprise::Column::Status.ne(crate::enterprise::domain::EnterpriseStatus::Closed))
        .filter(Expr::cust(format!("NOT {}", covered_sql(&r.floor_sql("enterprises"), today))))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let ps: Vec<_> = ps.into_iter().filter(|p| bare.contains(&p.enterprise_id)).collect();
    let f = facts(db, &ps).await?;
    let mut n = 0;
    for p in ps.iter().filter(|p| !f.sent.contains(&(p.id, "lapse".to_owned()))) {
        let Some((name, bureau)) = f.names.get(&p.enterprise_id) else { continue };
        n += 1;
        rows.push(record(p, "lapse".to_owned(), at));
        notices.push(Notice {
            assignee: Assignee::BureauRole(*bureau, Role::Regulator),
            todo_kind: "insurance_lapsed",
            title: format!(
                "{name}应当投保安责险，保单 {} 已到期或退保，目前没有足额有效的保单，请督促投保",
                p.policy_no
            ),
            link: format!("/enterprises/{}/insurance", p.enterprise_id),
            mail: Some(Kind::InsuranceLapsed),
            ctx: ctx(&f, p, None),
            key: format!("insurance_lapsed:{}", p.id),
        });
    }
    Ok(n)
}
