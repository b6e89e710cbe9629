//! What the API and pages read and do: an enterprise's breakdown (regulators in
//! scope, and the enterprise itself — never another enterprise, never the public
//! site), the scored list, a contest by the enterprise and its resolution by the
//! supervising regulators. Internal signals never leave these routes.

use super::domain::{self, Signal};
use super::json::{CreditBreakdown, CreditEventView, CreditScoreRow, ScoreFilter};
use super::rules::RuleVersion;
use crate::auth::{CurrentUser, Role};
use crate::entities::{credit_event, credit_run, credit_score, enterprise};
use crate::error::{AppError, AppResult};
use crate::write::Tx;
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};

/// At most this many events in a breakdown (newest first); the score counts all.
pub const MAX_EVENTS: u64 = 500;
pub const MAX_PER_PAGE: u64 = 100;

/// The enterprise, if the user may see its credit: a bureau user in scope, or a
/// principal or safety officer of that enterprise.
pub async fn enterprise_of<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<enterprise::Model> {
    let e = crate::scope::get::<enterprise::Entity, _>(db, &user.scope, id).await?;
    if user.is_bureau_user() || user.has(Role::Principal) || user.has(Role::SafetyOfficer) {
        Ok(e)
    } else {
        Err(AppError::NotFound)
    }
}

/// The version in force: the latest adoption, else the rule file's default.
pub async fn version_in_force<C: ConnectionTrait>(db: &C) -> AppResult<&'static RuleVersion> {
    let rules = super::rules::data()?;
    let adopted = crate::entities::credit_adoption::Entity::find()
        .order_by_desc(crate::entities::credit_adoption::Column::Id)
        .one(db)
        .await?;
    let name = adopted.map_or_else(|| rules.default_version.clone(), |a| a.version);
    rules
        .version(&name)
        .or_else(|| rules.version(&rules.default_version))
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("credit rule version {name} is not in the rule file")))
}

/// The enterprise's score recomputed now from its events, with every event, and the
/// stored score beside it.
pub async fn breakdown<C: ConnectionTrait>(
    db: &C,
    e: &enterprise::Model,
    today: NaiveDate,
) -> AppResult<CreditBreakdown> {
    let version = version_in_force(db).await?;
    let events = credit_event::Entity::find()
        .filter(credit_event::Column::EnterpriseId.eq(e.id))
        .order_by_desc(credit_event::Column::OccurredOn)
        .order_by_desc(credit_event::Column::Id)
        .limit(MAX_EVENTS)
        .all(db)
        .await?;
    // The score counts every event, also those beyond the ones listed.
    let counted: Vec<(Signal, NaiveDate)> = credit_event::Entity::find()
        .select_only()
        .columns([credit_event::Column::Signal, credit_event::Column::OccurredOn])
        .filter(credit_event::Column::EnterpriseId.eq(e.id))
        .filter(credit_event::Column::VoidedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let events_counted = counted.into_iter().map(|(signal, occurred_on)| domain::Event { signal, occurred_on });
    let score = domain::score(version, events_counted, today);
    let stored = credit_score::Entity::find_by_id(e.id).one(db).await?;
    let last_run = credit_run::Entity::find().order_by_desc(credit_run::Column::Id).one(db).await?;
    let class = version.class_of(score);
    Ok(CreditBreakdown {
        enterprise_id: e.id,
        enterprise_name: e.name.clone(),
        score: centi(score),
        class: class.code.clone(),
        class_name: class.name.clone(),
        rule_version: version.version.clone(),
        rule_verified: version.verified,
        as_of: today,
        stored_score: stored.as_ref().map(|s| centi(s.score_centi)),
        stored_as_of: last_run.map(|r| r.as_of),
        events: events.into_iter().map(|x| event_view(version, x, today)).collect(),
    })
}

/// Hundredths of a point as a number with two decimals.
#[allow(clippy::cast_precision_loss)] // scores are far below 2^52 hundredths
pub fn centi(v: i64) -> f64 {
    v as f64 / 100.0
}

fn event_view(version: &RuleVersion, x: credit_event::Model, today: NaiveDate) -> CreditEventView {
    let rule = version.signals.get(&x.signal);
    let (contribution, percent) = match (rule, x.voided_at) {
        (Some(r), None) => domain::contribution(r, x.occurred_on, today),
        _ => (0, 0),
    };
    CreditEventView {
        id: x.id,
        signal: x.signal,
        signal_label: x.signal.zh().to_owned(),
        occurred_on: x.occurred_on,
        detail: x.detail,
        source_type: x.source_type,
        source_id: x.source_id,
        weight: rule.map_or(0, |r| r.weight),
        full_days: rule.map_or(0, |r| r.full_days),
        expire_days: rule.map_or(0, |r| r.expire_days),
        decay_percent: percent,
        contribution: centi(contribution),
        contested_at: x.contested_at,
        contest_reason: x.contest_reason,
        resolution: x.resolution,
        voided: x.voided_at.is_some(),
        void_reason: x.void_reason,
    }
}

/// The stored scores of the enterprises in the caller's scope, highest first.
pub async fn list<C: ConnectionTrait>(db: &C, user: &CurrentUser, f: &ScoreFilter) -> AppResult<Vec<CreditScoreRow>> {
    use credit_score::Column as S;
    if !user.is_bureau_user() {
        return Err(AppError::Forbidden);
    }
    let mine = crate::scope::scoped(enterprise::Entity::find(), &user.scope)
        .select_only()
        .column(enterprise::Column::Id)
        .into_query();
    let mut q = credit_score::Entity::find().filter(S::EnterpriseId.in_subquery(mine));
    if let Some(c) = &f.class {
        q = q.filter(S::ClassCode.eq(c.as_str()));
    }
    let per_page = f.per_page.unwrap_or(50).clamp(1, MAX_PER_PAGE);
    let rows = q
        .order_by_desc(S::ScoreCenti)
        .order_by_asc(S::EnterpriseId)
        .offset((f.page.unwrap_or(1).max(1) - 1).saturating_mul(per_page))
        .limit(per_page)
        .all(db)
        .await?;
    let names: std::collections::HashMap<i64, (String, crate::enterprise::domain::Sector)> = enterprise::Entity::find()
        .select_only()
        .columns([enterprise::Column::Id, enterprise::Column::Name, enterprise::Column::Sector])
        .filter(enterprise::Column::Id.is_in(rows.iter().map(|r| r.enterprise_id)))
        .into_tuple::<(i64, String, crate::enterprise::domain::Sector)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, n, s)| (id, (n, s)))
        .collect();
    let version = version_in_force(db).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let (name, sector) = names.get(&r.enterprise_id).cloned().unzip();
            CreditScoreRow {
                enterprise_id: r.enterprise_id,
                enterprise_name: name.unwrap_or_default(),
                sector_label: sector.map(|s| s.zh().to_owned()).unwrap_or_default(),
                score: centi(r.score_centi),
                class_name: version
                    .classes
                    .iter()
                    .find(|c| c.code == r.class_code)
                    .map_or_else(|| r.class_code.clone(), |c| c.name.clone()),
                class: r.class_code,
                events: r.events,
            }
        })
        .collect())
}

/// The enterprise says an event is wrong; the supervising regulators get a to-do.
pub async fn contest(tx: &Tx, user: &CurrentUser, id: i64, reason: &str) -> AppResult<()> {
    if user.is_bureau_user() || !(user.has(Role::Principal) || user.has(Role::SafetyOfficer)) {
        return Err(AppError::Forbidden);
    }
    let ev = credit_event::Entity::find_by_id(id).one(tx).await?.ok_or(AppError::NotFound)?;
    if !user.enterprise_ids.contains(&ev.enterprise_id) {
        return Err(AppError::NotFound);
    }
    if ev.voided_at.is_some() || (ev.contested_at.is_some() && ev.resolved_at.is_none()) {
        return Err(AppError::conflict("credit_event_closed", "该信号已作废或异议正在处理"));
    }
    let e = enterprise::Entity::find_by_id(ev.enterprise_id).one(tx).await?.ok_or(AppError::NotFound)?;
    let now = tx.now();
    let mut m: credit_event::ActiveModel = ev.clone().into();
    m.contested_at = Set(Some(now));
    m.contested_by = Set(Some(user.id));
    m.contest_reason = Set(Some(reason.to_owned()));
    m.resolved_at = Set(None);
    m.resolved_by = Set(None);
    m.resolution = Set(None);
    m.update(tx).await?;
    let notice = crate::notice::Notice {
        assignee: crate::todo::Assignee::BureauRole(e.supervising_bureau_id, Role::Regulator),
        todo_kind: "credit_contest",
        title: format!("{}对监管风险信号“{}”提出异议，请核实处理", e.name, ev.signal.zh()),
        link: format!("/enterprises/{}/credit", e.id),
        mail: None,
        ctx: crate::mail::NoticeContext { enterprise_name: e.name.clone(), ..Default::default() },
        key: format!("credit_contest:{id}:{}", now.timestamp()),
    };
    crate::notice::send(tx, now, vec![notice]).await?;
    Ok(())
}

/// A regulator in scope resolves a contest: `upheld` voids the event (it counts
/// nothing from the next recomputation on); otherwise it stands, with the reply.
pub async fn resolve(tx: &Tx, user: &CurrentUser, id: i64, upheld: bool, note: &str) -> AppResult<()> {
    user.require_any(&[Role::Regulator])?;
    let ev = credit_event::Entity::find_by_id(id).one(tx).await?.ok_or(AppError::NotFound)?;
    crate::scope::get::<enterprise::Entity, _>(tx, &user.scope, ev.enterprise_id).await?;
    if ev.contested_at.is_none() || ev.resolved_at.is_some() {
        return Err(AppError::conflict("credit_event_not_contested", "该信号没有待处理的异议"));
    }
    let now = tx.now();
    let mut m: credit_event::ActiveModel = ev.into();
    m.resolved_at = Set(Some(now));
    m.resolved_by = Set(Some(user.id));
    m.resolution = Set(Some(note.to_owned()));
    if upheld {
        m.voided_at = Set(Some(now));
        m.void_reason = Set(Some(format!("异议成立：{note}")));
    }
    m.update(tx).await?;
    Ok(())
}

/// Signals listed for the rule page, in display order.
pub fn signals() -> &'static [Signal] {
    Signal::ALL
}
