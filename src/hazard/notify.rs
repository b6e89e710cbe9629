//! What each step asks of whom. Each step closes the hazard's earlier open
//! to-dos (the work has moved on) and notifies whoever acts next, by to-do and
//! mail (see [`crate::notice`]); keys carry the timeline step, so a retried
//! request never duplicates a notice.

use super::domain::{Action, Closure, Status};
use crate::audit::AuditCtx;
use crate::auth::Role;
use crate::entities::{enterprise, hazard, todo};
use crate::error::AppResult;
use crate::mail::{Kind, NoticeContext};
use crate::notice::Notice;
use crate::todo::Assignee;
use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// The page of a hazard.
pub fn link(id: i64) -> String {
    format!("/hazards/{id}")
}

pub fn enterprise_roles(h: &hazard::Model) -> Vec<Assignee> {
    h.enterprise_id
        .map(|e| vec![Assignee::EnterpriseRole(e, Role::Principal), Assignee::EnterpriseRole(e, Role::SafetyOfficer)])
        .unwrap_or_default()
}

pub fn regulators(bureau_id: i64) -> Vec<Assignee> {
    vec![Assignee::BureauRole(bureau_id, Role::Regulator)]
}

/// What comes next after `action` (None: the report) for a hazard now in its
/// status: the to-do kind, its title prefix, the mail (if one is sent) and who.
type Next = (&'static str, &'static str, Option<Kind>, Vec<Assignee>);

fn next_up(h: &hazard::Model, action: Option<Action>) -> Option<Next> {
    let (closure, status) = (h.closure, h.status);
    let rectify_mail = match action {
        Some(Action::Verify) => Some(Kind::HazardRejected),
        Some(Action::DecideExtension) => Some(Kind::ExtensionDecided),
        _ => None,
    };
    Some(match status {
        Status::Reported => ("hazard_to_confirm", "待认定", Some(Kind::HazardToConfirm), regulators(h.bureau_id)),
        Status::Confirmed => ("hazard_to_assign", "待交办", None, regulators(h.bureau_id)),
        Status::Assigned => ("hazard_to_plan", "待制定治理方案", Some(Kind::HazardAssigned), enterprise_roles(h)),
        Status::Rectifying if h.extension_until.is_some() => {
            let who = match closure {
                Closure::Enterprise => vec![Assignee::EnterpriseRole(h.enterprise_id?, Role::Principal)],
                _ => regulators(h.bureau_id),
            };
            ("extension_to_decide", "延期申请待审批", Some(Kind::ExtensionRequested), who)
        }
        Status::Rectifying => ("hazard_to_rectify", "待整改", rectify_mail, enterprise_roles(h)),
        Status::PendingVerification => match closure {
            Closure::Enterprise => ("hazard_to_accept", "待验收", Some(Kind::HazardToAccept), enterprise_roles(h)),
            Closure::Inspector => (
                "hazard_to_reinspect",
                "待复查",
                Some(Kind::HazardToReinspect),
                vec![Assignee::BureauRole(h.bureau_id, Role::Inspector)],
            ),
            Closure::Regulator => {
                ("hazard_to_review", "待核查销号", Some(Kind::HazardToReview), regulators(h.bureau_id))
            }
            Closure::Major => ("hazard_to_review", "待现场审查", Some(Kind::HazardToReview), regulators(h.bureau_id)),
        },
        Status::Closed | Status::Dismissed | Status::Voided => return None,
    })
}

/// The mail context of a hazard.
pub fn context(h: &hazard::Model, enterprise_name: &str, today: NaiveDate, note: Option<String>) -> NoticeContext {
    NoticeContext {
        enterprise_name: enterprise_name.to_owned(),
        hazard_title: h.title.clone(),
        hazard_id: h.id,
        deadline: h.deadline,
        days: h.deadline.map(|d| (d - today).num_days().abs()),
        note,
        link: link(h.id),
    }
}

/// The name shown for the hazard's operator.
pub async fn operator_name<C: ConnectionTrait>(db: &C, h: &hazard::Model) -> AppResult<String> {
    let name = match h.enterprise_id {
        Some(id) => enterprise::Entity::find_by_id(id).one(db).await?.map(|e| e.name),
        None => None,
    };
    Ok(name.unwrap_or_else(|| "未登记主体".to_owned()))
}

/// Closes the hazard's open to-dos.
async fn close_open<C: ConnectionTrait>(db: &C, ctx: &AuditCtx, hazard_id: i64) -> AppResult<()> {
    todo::Entity::update_many()
        .col_expr(todo::Column::DoneAt, Expr::value(ctx.at))
        .filter(todo::Column::DoneAt.is_null())
        .filter(crate::like::starts_with(todo::Column::DedupeKey, &format!("hazard:{hazard_id}:")))
        .exec(db)
        .await?;
    Ok(())
}

/// Notifies whoever acts next; `step` names the timeline step.
async fn notify_next<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    h: &hazard::Model,
    action: Option<Action>,
    step: i64,
    note: Option<String>,
) -> AppResult<()> {
    let Some((kind, prefix, mail, who)) = next_up(h, action) else { return Ok(()) };
    // An inspection's finding is re-inspected by the team that ordered it, not by every inspector.
    let who = match h.inspection_id {
        Some(inspection) if kind == "hazard_to_reinspect" => crate::events::reinspection_team(db, inspection).await?,
        _ => who,
    };
    let name = operator_name(db, h).await?;
    let mail_ctx = context(h, &name, crate::clock::china_date(ctx.at), note);
    let notices = who
        .into_iter()
        .enumerate()
        .map(|(i, assignee)| Notice {
            assignee,
            todo_kind: kind,
            title: format!("{prefix}：{}（{name}）", h.title),
            link: link(h.id),
            mail,
            ctx: mail_ctx.clone(),
            key: format!("hazard:{}:{kind}:{step}:{i}", h.id),
        })
        .collect::<Vec<Notice>>();
    let keys = notices.iter().map(|n| n.key.clone()).collect();
    crate::notice::send(db, ctx.at, notices).await?;
    crate::todo::set_due(db, keys, crate::jobs::deadlines::step_due(db, h).await?).await
}

/// After a new hazard is recorded. A self-found general hazard is the
/// enterprise's own business: its only to-do is its own rectification, and
/// regulators hear nothing of it (they see counts).
pub async fn after_report<C: ConnectionTrait>(db: &C, ctx: &AuditCtx, h: &hazard::Model) -> AppResult<()> {
    super::report::ask_for_report(db, ctx, h).await?;
    notify_next(db, ctx, h, None, 0, None).await
}

/// After a step: earlier to-dos close, the next ones open.
pub async fn after_step<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    h: &hazard::Model,
    action: Action,
    step: i64,
    note: Option<String>,
) -> AppResult<()> {
    close_open(db, ctx, h.id).await?;
    super::report::ask_for_report(db, ctx, h).await?;
    notify_next(db, ctx, h, Some(action), step, note).await
}
