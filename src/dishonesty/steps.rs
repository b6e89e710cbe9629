//! The lawful procedure of a listing: 事先告知 with its statement period and a
//! numbered notice, the statement (or its waiver), the decision with a numbered
//! 决定书 — never before the statement is recorded or its period has passed — and
//! 不予列入 with a reason at any step before the decision. The removal steps are in
//! [`super::removal`].
//!
//! Refusals in order: 404 outside the scope (an enterprise does not see a proposal
//! before its notice), 403 naming who may act, 409 `separation_of_duties`, 409
//! `illegal_transition`, 409 `statement_period`, then 422 with every problem of the body.

use super::domain::{ListingStatus, ListingStep};
use super::json::DishonestyStepBody;
use super::{policy, removal, rules, service};
use crate::audit;
use crate::auth::{CurrentUser, Role};
use crate::entities::dishonesty_listing::{self as listing, ActiveModel, Model};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::notice::{self, Notice};
use crate::todo::Assignee;
use crate::write::Tx;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

/// The longest statement, reason or commitment.
pub const MAX_NOTE: usize = 5_000;

/// A listing the user may see: 404 outside the scope, and for an enterprise before the notice.
pub async fn visible<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<Model> {
    let m = crate::scope::get::<listing::Entity, _>(db, &user.scope, id).await?;
    if !user.is_bureau_user() && m.status == ListingStatus::Proposed {
        return Err(AppError::NotFound);
    }
    Ok(m)
}

pub(super) fn push(f: &mut FieldErrors, field: &str, msg: &str) {
    f.entry(field.to_owned()).or_default().push(msg.to_owned());
}

/// Takes a step; answers the row as it stands after it.
pub async fn act(
    tx: &Tx,
    user: &CurrentUser,
    id: i64,
    step: ListingStep,
    body: &DishonestyStepBody,
) -> AppResult<Model> {
    let m = visible(tx, user, id).await?;
    policy::check(user, &m, step)?;
    let today = crate::clock::china_date(tx.now());
    let mut f = FieldErrors::new();
    crate::limits::check(&mut f, "note", "说明", Some(&body.note), MAX_NOTE);
    crate::limits::check(&mut f, "commitment", "信用承诺", Some(&body.commitment), MAX_NOTE);
    let mut row: ActiveModel = m.clone().into();
    match step {
        ListingStep::Notify => notify(tx, user, &m, &mut row).await?,
        ListingStep::Statement => {
            if !body.waive && body.note.trim().is_empty() {
                push(&mut f, "note", "请记录当事人的陈述、申辩意见，或勾选当事人放弃陈述申辩");
            }
            let text =
                if body.waive { "当事人放弃陈述、申辩".to_owned() } else { body.note.trim().to_owned() };
            row.statement = Set(Some(text));
            row.statement_on = Set(Some(today));
        }
        ListingStep::Decide => {
            if m.statement_on.is_none() && m.statement_until.is_some_and(|u| today <= u) {
                return Err(AppError::conflict(
                    "statement_period",
                    format!(
                        "陈述申辩期限至{}，期限届满或记录当事人的陈述申辩后才能作出列入决定",
                        m.statement_until.map(|d| d.to_string()).unwrap_or_default()
                    ),
                ));
            }
            if f.is_empty() {
                let years = rules::rules()?.duration.years;
                row.status = Set(ListingStatus::Listed);
                row.decided_by = Set(Some(user.id));
                row.decided_on = Set(Some(today));
                row.decision_number = Set(Some(service::number(tx, m.bureau_id, "decision").await?));
                row.listed_on = Set(Some(today));
                row.until = Set(Some(super::domain::until(today, years)));
            }
        }
        ListingStep::Refuse => {
            if body.note.trim().is_empty() {
                push(&mut f, "note", "请填写不予列入的理由");
            }
            row.status = Set(ListingStatus::Refused);
            row.refused_by = Set(Some(user.id));
            row.refused_reason = Set(Some(body.note.trim().to_owned()));
        }
        ListingStep::ApplyRemoval => removal::apply(tx, user, &m, body, &mut row, &mut f).await?,
        ListingStep::DecideRemoval => removal::decide(tx, user, &m, body, &mut row, &mut f).await?,
        ListingStep::RevokeRemoval => removal::revoke(&m, body, &mut row, &mut f, today),
    }
    if !f.is_empty() {
        return Err(AppError::Validation(f));
    }
    row.updated_at = Set(tx.now());
    let saved = row.update(tx).await?;
    audit::record(tx, tx.ctx(), step.as_str(), &saved).await?;
    Ok(saved)
}

/// 事先告知: the statement period from the data, a numbered notice, a to-do for the enterprise.
async fn notify(tx: &Tx, user: &CurrentUser, m: &Model, row: &mut ActiveModel) -> AppResult<()> {
    let today = crate::clock::china_date(tx.now());
    let days = rules::rules()?.notice.statement_working_days;
    let cal = crate::calendar::load(tx).await?;
    row.status = Set(ListingStatus::Notified);
    row.notified_by = Set(Some(user.id));
    row.notified_on = Set(Some(today));
    row.statement_until = Set(Some(cal.add_working_days(today, days).date));
    row.notice_number = Set(Some(service::number(tx, m.bureau_id, "notice").await?));
    if let Some(e) = m.enterprise_id {
        let n = Notice {
            assignee: Assignee::EnterpriseRole(e, Role::Principal),
            todo_kind: "dishonesty_notified",
            title: format!("拟将{}列入安全生产严重失信主体名单，可在期限内陈述、申辩", m.subject_name),
            link: format!("/dishonesty-list/{}", m.id),
            mail: None,
            ctx: crate::mail::NoticeContext::default(),
            key: format!("dishonesty_notified:{}", m.id),
        };
        notice::send(tx, tx.now(), vec![n]).await?;
    }
    Ok(())
}
