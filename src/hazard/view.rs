//! Hazards as their readers see them: the flat detail with timeline and
//! attachments, and list rows. A reporter's identity — name, phone, the user
//! who recorded a tip-off or an employee report, the 12350 number and the
//! reward — is shown to the supervising regulators only
//! ([`super::policy::sees_reporter`]): grid workers, inspectors and other
//! bureau staff see none of it, enterprises never. The reference of another
//! source (a referral's document number) is shown to bureau users.

use super::json::{HazardResponse, HazardSummary, Reporter, TimelineEntry};
use super::{columns, domain};
use crate::attachment::AttachmentResponse;
use crate::auth::CurrentUser;
use crate::entities::{bureau, enterprise, hazard, hazard_event, user};
use crate::error::AppResult;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// Days until the deadline (negative when overdue) for an open hazard.
pub fn days_left(h: &hazard::Model, today: NaiveDate) -> Option<i64> {
    days_to(h.is_open, h.deadline, today)
}

fn days_to(is_open: bool, deadline: Option<NaiveDate>, today: NaiveDate) -> Option<i64> {
    if is_open { deadline.map(|d| (d - today).num_days()) } else { None }
}

pub fn summary(h: super::list::ListRow, today: NaiveDate) -> HazardSummary {
    let days = days_to(h.is_open, h.deadline, today);
    HazardSummary {
        id: h.id,
        enterprise_id: h.enterprise_id,
        subject_id: h.subject_id,
        bureau_id: h.bureau_id,
        sector: h.sector,
        source: h.source,
        level: h.level,
        category: h.category,
        title: h.title,
        status: h.status,
        deadline: h.deadline,
        days_left: days,
        overdue: super::domain::is_overdue(h.status, h.deadline, today),
        found_at: h.found_at,
        version: h.version,
    }
}

async fn timeline<C: ConnectionTrait>(
    db: &C,
    viewer: &CurrentUser,
    h: &hazard::Model,
) -> AppResult<Vec<TimelineEntry>> {
    let events = hazard_event::Entity::find()
        .filter(hazard_event::Column::HazardId.eq(h.id))
        .order_by_asc(hazard_event::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = events.iter().filter_map(|e| e.actor_id).collect();
    let names: HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let hide_reporter =
        !super::policy::sees_reporter(&viewer.roles, viewer.is_bureau_user()) && domain::protects_reporter(h.source);
    Ok(events
        .into_iter()
        .map(|e| {
            let hidden = hide_reporter && e.action == "report";
            let actor_id = if hidden { None } else { e.actor_id };
            TimelineEntry {
                actor_name: actor_id.and_then(|id| names.get(&id).cloned()),
                actor_id,
                from_status: e.from_status,
                to_status: e.to_status,
                action: e.action,
                at: e.at,
                note: e.note,
                data: e.data.as_deref().and_then(|d| serde_json::from_str(d).ok()),
            }
        })
        .collect())
}

async fn attachments_of<C: ConnectionTrait>(
    db: &C,
    viewer: &CurrentUser,
    hazard_id: i64,
) -> AppResult<Vec<AttachmentResponse>> {
    let rows = crate::attachment::of_owner(db, crate::attachment::OwnerType::Hazard, hazard_id).await?;
    Ok(rows.into_iter().map(|a| AttachmentResponse::for_viewer(a, viewer)).collect())
}

/// The reporter's identity as `viewer` may see it: the source's reference
/// (12350 number), the reporter, the reward.
fn identity(viewer: &CurrentUser, h: &hazard::Model) -> (Option<String>, Option<Reporter>, Option<String>) {
    let regulator = super::policy::sees_reporter(&viewer.roles, viewer.is_bureau_user());
    let source_ref_shown = regulator || (viewer.is_bureau_user() && !domain::protects_reporter(h.source));
    let reporter = Reporter { name: h.reporter_name.clone(), phone: h.reporter_phone.clone() };
    (
        h.source_ref.clone().filter(|_| source_ref_shown),
        Some(reporter).filter(|r| regulator && (r.name.is_some() || r.phone.is_some())),
        h.reward.clone().filter(|_| regulator),
    )
}

/// The 交办 with its supervising bureau's name.
async fn assignment_of<C: ConnectionTrait>(db: &C, h: &hazard::Model) -> AppResult<Option<super::json::Assignment>> {
    let Some(mut a) = columns::assignment(h) else { return Ok(None) };
    if let Some(id) = a.supervising_bureau_id {
        a.supervising_bureau_name = bureau::Entity::find_by_id(id).one(db).await?.map(|b| b.name);
    }
    Ok(Some(a))
}

async fn enterprise_name<C: ConnectionTrait>(db: &C, id: Option<i64>) -> AppResult<Option<String>> {
    let Some(id) = id else { return Ok(None) };
    Ok(enterprise::Entity::find_by_id(id).one(db).await?.map(|e| e.name))
}

/// The 一单四制 parts of the detail: 交办, latest 治理方案, suspension, 核销 review.
struct LoopParts {
    assignment: Option<serde_json::Value>,
    plan: Option<serde_json::Value>,
    plan_versions: i64,
    suspension: Option<super::json::Suspension>,
    review: Option<super::json::Review>,
}

async fn loop_parts<C: ConnectionTrait>(db: &C, h: &hazard::Model, timeline: &[TimelineEntry]) -> AppResult<LoopParts> {
    let (plan, plan_versions) = super::plan::latest(db, h).await?;
    Ok(LoopParts {
        assignment: assignment_of(db, h).await?.and_then(|a| serde_json::to_value(a).ok()),
        plan: plan.and_then(|p| serde_json::to_value(p).ok()),
        plan_versions,
        suspension: super::suspension::current(h, timeline),
        review: super::review::latest(db, h.id).await?,
    })
}

/// The flat detail of a visible hazard.
pub async fn detail<C: ConnectionTrait>(
    db: &C,
    viewer: &CurrentUser,
    h: hazard::Model,
    today: NaiveDate,
) -> AppResult<HazardResponse> {
    let timeline = timeline(db, viewer, &h).await?;
    let attachments = attachments_of(db, viewer, h.id).await?;
    let (source_ref, reporter, reward) = identity(viewer, &h);
    let parts = loop_parts(db, &h, &timeline).await?;
    let (actor, rec) = (super::policy::Actor::of(db, viewer, &h).await?, super::policy::Record::of(&h)?);
    Ok(HazardResponse {
        record_actions: super::correct::record_actions(db, viewer, &h).await?,
        // Read before the fields below move out of `h`.
        days_left: days_left(&h, today),
        report: columns::report(&h),
        id: h.id,
        enterprise_id: h.enterprise_id,
        enterprise_name: enterprise_name(db, h.enterprise_id).await?,
        subject_id: h.subject_id,
        bureau_id: h.bureau_id,
        sector: h.sector,
        region_code: h.region_code,
        source: h.source,
        source_ref,
        reporter,
        verification_outcome: h.verification_outcome,
        reward,
        level: h.level,
        closure: h.closure,
        origin_closure: h.origin_closure,
        category: h.category,
        title: h.title,
        description: h.description,
        location: h.location,
        found_at: h.found_at,
        deadline: h.deadline,
        overdue: super::domain::is_overdue(h.status, h.deadline, today),
        checklist_item_code: h.checklist_item_code,
        risk_point_id: h.risk_point_id,
        status: h.status,
        suspended: h.suspended,
        assignment: parts.assignment,
        plan: parts.plan,
        plan_versions: parts.plan_versions,
        suspension: parts.suspension,
        review: parts.review,
        extension_until: h.extension_until,
        extension_reason: h.extension_reason,
        funds_spent: h.funds_spent.map(columns::fen_to_yuan),
        rectifier_name: h.rectifier_name,
        acceptor_name: h.acceptor_name,
        void_requested_by: h.void_requested_by,
        void_reason: h.void_reason,
        created_at: h.created_at,
        updated_at: h.updated_at,
        closed_at: h.closed_at,
        version: h.version,
        attachments,
        timeline,
        warnings: Vec::new(),
        allowed_actions: super::policy::available(&actor, &rec),
        may_file_report: super::policy::may_file_report(&actor, &rec),
        merged_into: h.merged_into,
    })
}
