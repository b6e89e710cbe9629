//! The regulators' decisions on a hazard and the people of a rectification,
//! as [`super::actions::act`] applies them: 认定, 不予认定, 重新定级 (either
//! way), 重新打开, 作废 and its approval; the 整改责任人 named at a submission
//! and the 验收人 at an acceptance.
//!
//! Decisions where the issue is silent:
//! - a re-grading to major keeps the deadline (a confirmed major hazard owes
//!   no rectification until its 交办 sets one); to general it takes the new
//!   deadline, which is required when the hazard has none;
//! - reopening a closed hazard requires a new deadline (a date, or working
//!   days counted from today on the holiday calendar); reopening a dismissed
//!   report (复核) sends it back to 待认定 and needs only the reason;
//! - a 认定 that settles on a general hazard without a deadline takes one
//!   (a date or working days; the page's form offers both), so a confirmed
//!   tip-off can become overdue;
//! - a new deadline is never before today;
//! - the 整改责任人 and the 验收人 are required for every hazard but a major
//!   one (whose 核销 names its reviewers); people are compared by name with
//!   all white space removed (「张 三」 is 「张三」), and by account;
//! - an approver's decision on a void clears the request either way; the
//!   timeline keeps who asked, why and who decided.

use super::domain::{self, Action, Closure, Level, Status};
use super::json::ActionRequest;
use crate::entities::hazard;
use crate::error::{AppError, AppResult, FieldErrors};
use chrono::NaiveDate;
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use serde_json::{Value, json};

/// What a step needs beyond its body: who takes it, the new deadline it
/// resolved to, and whether a void is only a request.
pub struct Decided {
    pub user_id: i64,
    pub deadline: Option<NaiveDate>,
    pub void_request: bool,
}

fn push(fields: &mut FieldErrors, field: &str, message: &str) {
    fields.entry(field.to_owned()).or_default().push(message.to_owned());
}

fn blank(s: Option<&str>) -> bool {
    s.is_none_or(|s| s.trim().is_empty())
}

/// A person's name as compared: without any white space.
pub fn person(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The body's problems that depend on the stored hazard (added to the body's own).
pub fn check(action: Action, req: &ActionRequest, h: &hazard::Model, today: NaiveDate, fields: &mut FieldErrors) {
    let new_deadline = req.deadline.is_some() || req.deadline_working_days.is_some();
    if matches!(action, Action::Confirm | Action::Regrade | Action::Reopen) && req.deadline.is_some_and(|d| d < today) {
        push(fields, "deadline", "整改期限不能早于今天");
    }
    match action {
        Action::Regrade if req.level == Some(h.level) => {
            push(fields, "level", &format!("该隐患已是{}", h.level.zh()));
        }
        Action::Regrade if req.level == Some(Level::General) && h.deadline.is_none() && !new_deadline => {
            push(fields, "deadline", "改为一般隐患须填写整改期限");
        }
        Action::Confirm if req.level.unwrap_or(h.level) == Level::General && h.deadline.is_none() && !new_deadline => {
            push(fields, "deadline", "认定为一般隐患须填写整改期限");
        }
        Action::Reopen if h.status == Status::Closed && !new_deadline => {
            push(fields, "deadline", "重新打开须填写新的整改期限");
        }
        Action::Submit if h.level != Level::Major && blank(req.rectifier_name.as_deref()) => {
            push(fields, "rectifier_name", "请填写整改责任人");
        }
        Action::Verify if h.closure != Closure::Major && blank(req.acceptor_name.as_deref()) => {
            push(fields, "acceptor_name", "请填写验收人");
        }
        _ => {}
    }
}

/// 409 when the named acceptor is the named 整改责任人 (the accounts are
/// compared by the policy).
pub fn check_people(action: Action, req: &ActionRequest, h: &hazard::Model) -> AppResult<()> {
    let (Some(acceptor), Some(rectifier)) = (req.acceptor_name.as_deref(), h.rectifier_name.as_deref()) else {
        return Ok(());
    };
    if action == Action::Verify && !person(acceptor).is_empty() && person(acceptor) == person(rectifier) {
        return Err(AppError::conflict("acceptor_is_rectifier", "验收人不能是整改责任人本人"));
    }
    Ok(())
}

/// The new deadline of a re-grading or a reopening: the date, or so many
/// working days from `today` (the body was checked: 1–365).
pub async fn new_deadline<C: ConnectionTrait>(
    db: &C,
    action: Action,
    req: &ActionRequest,
    today: NaiveDate,
) -> AppResult<Option<NaiveDate>> {
    if !matches!(action, Action::Confirm | Action::Regrade | Action::Reopen) {
        return Ok(None);
    }
    match (req.deadline, req.deadline_working_days) {
        (Some(d), _) => Ok(Some(d)),
        (None, Some(n)) => Ok(Some(crate::calendar::load(db).await?.add_working_days(today, n).date)),
        (None, None) => Ok(None),
    }
}

/// Applies a decision (`confirm`, `dismiss`, `regrade`, `reopen`, `void`,
/// `approve_void`); returns the step's details for the timeline.
pub fn apply(
    action: Action,
    req: &ActionRequest,
    h: &hazard::Model,
    a: &mut hazard::ActiveModel,
    d: &Decided,
) -> Option<Value> {
    match action {
        Action::Confirm => Some(confirm(req, h, a, d.deadline)),
        Action::Dismiss => {
            a.verification_outcome = Set(req.outcome);
            None
        }
        Action::Regrade => Some(regrade(req, h, a, d.deadline)),
        Action::Reopen => Some(reopen(h, a, d.deadline)),
        Action::Void if d.void_request => {
            a.void_requested_by = Set(Some(d.user_id));
            a.void_reason = Set(req.note.clone());
            Some(json!({"approval_requested": true}))
        }
        Action::ApproveVoid => {
            a.void_requested_by = Set(None);
            a.void_reason = Set(None);
            Some(json!({"approved": req.approved, "requested_by": h.void_requested_by, "reason": h.void_reason}))
        }
        _ => None,
    }
}

/// 认定: the level settled on, who closes it now (a general hazard: its
/// origin closer), the tip-off's outcome.
fn confirm(req: &ActionRequest, h: &hazard::Model, a: &mut hazard::ActiveModel, deadline: Option<NaiveDate>) -> Value {
    let level = req.level.unwrap_or(h.level);
    a.level = Set(level);
    a.closure = Set(domain::closure_for(level, h.origin_closure));
    a.verification_outcome = Set(Some(req.outcome.unwrap_or(domain::Outcome::Substantiated)));
    if req.reward.is_some() {
        a.reward = Set(req.reward.clone());
    }
    if let Some(d) = deadline {
        a.deadline = Set(Some(d));
    }
    json!({"level": level.as_str(), "deadline": deadline})
}

/// 重新定级: the new level and closer; a general hazard's new deadline.
fn regrade(req: &ActionRequest, h: &hazard::Model, a: &mut hazard::ActiveModel, deadline: Option<NaiveDate>) -> Value {
    let level = req.level.unwrap_or(h.level);
    let closure = domain::closure_for(level, h.origin_closure);
    a.level = Set(level);
    a.closure = Set(closure);
    if level == Level::General
        && let Some(d) = deadline
    {
        a.deadline = Set(Some(d));
    }
    json!({"from_level": h.level, "level": level, "closure": closure, "deadline": deadline})
}

/// 重新打开: a closed hazard gets its new deadline and the regulators as closer.
fn reopen(h: &hazard::Model, a: &mut hazard::ActiveModel, deadline: Option<NaiveDate>) -> Value {
    if h.status != Status::Closed {
        return json!({"review": true});
    }
    let closure = domain::after_reopen(h.closure);
    a.closure = Set(closure);
    a.deadline = Set(deadline);
    json!({"deadline": deadline, "previous_deadline": h.deadline, "closure": closure})
}

/// 提交验收 names the 整改责任人.
pub fn submitted(req: &ActionRequest, a: &mut hazard::ActiveModel) {
    a.rectifier_name = Set(req.rectifier_name.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned));
}

/// 验收 names the 验收人 and the account that recorded it.
pub fn verified(req: &ActionRequest, a: &mut hazard::ActiveModel, user_id: i64) -> Value {
    let name = req.acceptor_name.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
    a.acceptor_name = Set(name.clone());
    a.accepted_by = Set(Some(user_id));
    json!({"passed": req.passed, "acceptor_name": name})
}

/// The to-dos of a void request: the approvers of the requester's bureau get
/// one; the decision closes it. Returns whether the step was such (the
/// hazard's other to-dos then stay as they are: its status did not change).
pub async fn notify<C: ConnectionTrait>(
    db: &C,
    ctx: &crate::audit::AuditCtx,
    row: &hazard::Model,
    action: Action,
    step: i64,
    requester_bureau: i64,
) -> AppResult<bool> {
    use crate::entities::todo;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    const KIND: &str = "void_to_approve";
    match action {
        Action::Void if row.status != Status::Voided => {
            let name = super::notify::operator_name(db, row).await?;
            let notice = crate::notice::Notice {
                assignee: crate::todo::Assignee::BureauRole(requester_bureau, crate::auth::Role::Approver),
                todo_kind: KIND,
                title: format!("作废待审批：{}（{name}）", row.title),
                link: super::notify::link(row.id),
                mail: None,
                ctx: crate::mail::NoticeContext::default(),
                key: format!("hazard:{}:{KIND}:{step}:0", row.id),
            };
            crate::notice::send(db, ctx.at, vec![notice]).await?;
            Ok(true)
        }
        Action::ApproveVoid => {
            todo::Entity::update_many()
                .col_expr(todo::Column::DoneAt, Expr::value(ctx.at))
                .filter(todo::Column::DoneAt.is_null())
                .filter(crate::like::starts_with(todo::Column::DedupeKey, &format!("hazard:{}:{KIND}:", row.id)))
                .exec(db)
                .await?;
            Ok(row.status != Status::Voided)
        }
        _ => Ok(false),
    }
}
