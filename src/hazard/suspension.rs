//! Suspension (停产停业、停止使用, WSL art. 65) of a hazard's enterprise or
//! facility: ordered by the regulators in any open state, lifted by them only
//! once the enterprise handed in its written 复产申请 with the 评估报告 (step
//! `apply_resumption`, or with the 销号 submission), or by a passed 核销 review
//! that says so. The order and its lifting are entries of the enterprise's
//! status history (`event`, `hazard_id`); the register's own status is not
//! changed, since what is stopped may be one facility (`scope_text`).
//!
//! The files are the hazard's attachments with the purposes
//! [`ASSESSMENT_REPORT`] (评估报告) and [`RESUMPTION_APPLICATION`] (复产申请).

use super::domain::Action;
use super::json::{ActionRequest, TimelineEntry};
use crate::attachment::{Owner, OwnerType};
use crate::audit::{self, AuditCtx};
use crate::auth::CurrentUser;
use crate::entities::enterprise_status_history::{self as history, StatusEvent};
use crate::entities::{attachment, enterprise, hazard};
use crate::error::AppResult;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use serde::Serialize;
use utoipa::ToSchema;

/// The purpose of an 评估报告 attachment.
pub const ASSESSMENT_REPORT: &str = "assessment_report";
/// The purpose of a 复产申请 attachment.
pub const RESUMPTION_APPLICATION: &str = "resumption_application";

/// The suspension in force (停产停业、停止使用), from its order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suspension {
    /// What is stopped, e.g. 整个企业 / 3号储罐区.
    pub scope_text: String,
    /// The legal basis, e.g. 《安全生产法》第六十五条.
    pub basis: String,
    pub ordered_at: DateTime<Utc>,
    /// When the enterprise handed in its 复产申请.
    pub resumption_applied_at: Option<DateTime<Utc>>,
}

/// Whether the hazard has an attachment for `purpose`.
pub async fn has_file<C: ConnectionTrait>(db: &C, hazard_id: i64, purpose: &str) -> AppResult<bool> {
    let n = attachment::Entity::find()
        .filter(attachment::Column::OwnerType.eq(OwnerType::Hazard.as_str()))
        .filter(attachment::Column::OwnerId.eq(hazard_id))
        .filter(attachment::Column::Purpose.eq(purpose))
        .count(db)
        .await?;
    Ok(n > 0)
}

/// Links the step's 评估报告 and 复产申请 files to the hazard.
pub async fn claim_files<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    req: &ActionRequest,
    hazard_id: i64,
    event_id: i64,
) -> AppResult<()> {
    let owner = Owner::hazard(hazard_id, Some(event_id));
    let (reports, applications) = (&req.assessment_report_ids, &req.resumption_application_ids);
    crate::attachment::claim(db, user, reports, owner, ASSESSMENT_REPORT, "assessment_report_ids").await?;
    crate::attachment::claim(db, user, applications, owner, RESUMPTION_APPLICATION, "resumption_application_ids").await
}

async fn history_entry<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    h: &hazard::Model,
    event: StatusEvent,
    reason: String,
) -> AppResult<()> {
    let Some(id) = h.enterprise_id else { return Ok(()) };
    let Some(e) = enterprise::Entity::find_by_id(id).one(db).await? else { return Ok(()) };
    let row = history::ActiveModel {
        enterprise_id: Set(e.id),
        status: Set(e.status),
        previous_status: Set(Some(e.status)),
        reason: Set(Some(reason)),
        actor_id: Set(ctx.actor.strip_prefix("user:").and_then(|s| s.parse().ok())),
        changed_at: Set(ctx.at),
        event: Set(Some(event)),
        hazard_id: Set(Some(h.id)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(db, ctx, "create", &row).await?;
    Ok(())
}

/// The order, in the enterprise's status history.
pub async fn ordered<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    h: &hazard::Model,
    req: &ActionRequest,
) -> AppResult<()> {
    let scope = req.scope_text.as_deref().unwrap_or_default().trim();
    let basis = req.basis.as_deref().unwrap_or_default().trim();
    let reason = format!("隐患“{}”：{scope}（依据：{basis}）", h.title);
    history_entry(db, ctx, h, StatusEvent::SuspensionOrdered, reason).await
}

/// The lifting, in the enterprise's status history.
pub async fn lifted<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    h: &hazard::Model,
    action: Action,
    note: Option<&str>,
) -> AppResult<()> {
    let how =
        if action == Action::Verify { "核销通过，经复产申请和评估" } else { "经复产申请和评估" };
    let reason = match note.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => format!("隐患“{}”：{how}解除（{n}）", h.title),
        None => format!("隐患“{}”：{how}解除", h.title),
    };
    history_entry(db, ctx, h, StatusEvent::SuspensionLifted, reason).await
}

/// The regulators' to-do when the enterprise hands in its 复产申请 (no mail:
/// the application is read on the hazard's page); closed when it is lifted.
pub const RESUMPTION_TODO: &str = "resumption_to_review";

/// Asks the supervising regulators to review the 复产申请 of step `event_id`.
pub async fn notify_application<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    h: &hazard::Model,
    event_id: i64,
) -> AppResult<()> {
    let name = super::notify::operator_name(db, h).await?;
    let notice = crate::notice::Notice {
        assignee: crate::todo::Assignee::BureauRole(h.bureau_id, crate::auth::Role::Regulator),
        todo_kind: RESUMPTION_TODO,
        title: format!("复产申请待审查：{}（{name}）", h.title),
        link: super::notify::link(h.id),
        mail: None,
        ctx: super::notify::context(h, &name, crate::clock::china_date(ctx.at), None),
        key: format!("hazard:{}:{RESUMPTION_TODO}:{event_id}:0", h.id),
    };
    crate::notice::send(db, ctx.at, vec![notice]).await?;
    Ok(())
}

/// Closes the 复产申请 to-dos of a hazard whose suspension was lifted.
pub async fn close_application<C: ConnectionTrait>(db: &C, ctx: &AuditCtx, hazard_id: i64) -> AppResult<()> {
    use crate::entities::todo;
    todo::Entity::update_many()
        .col_expr(todo::Column::DoneAt, sea_orm::sea_query::Expr::value(ctx.at))
        .filter(todo::Column::DoneAt.is_null())
        .filter(todo::Column::Kind.eq(RESUMPTION_TODO))
        .filter(crate::like::starts_with(todo::Column::DedupeKey, &format!("hazard:{hazard_id}:")))
        .exec(db)
        .await?;
    Ok(())
}

/// Whether a step concerns the suspension only: it leaves the hazard's other
/// to-dos as they are (the rectification or review still waits).
pub const fn suspension_only(action: Action) -> bool {
    matches!(action, Action::Suspend | Action::ApplyResumption | Action::LiftSuspension)
}

/// The suspension in force, from its order on the timeline.
pub fn current(h: &hazard::Model, timeline: &[TimelineEntry]) -> Option<Suspension> {
    if !h.suspended {
        return None;
    }
    let order = timeline.iter().rev().find(|e| e.action == Action::Suspend.as_str())?;
    let text = |key: &str| {
        order.data.as_ref().and_then(|d| d.get(key)).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned()
    };
    Some(Suspension {
        scope_text: text("scope_text"),
        basis: text("basis"),
        ordered_at: order.at,
        resumption_applied_at: h.resumption_applied_at,
    })
}
