//! Hazards as their readers see them: the flat detail with timeline and
//! attachments, and list rows. Protected reporters (举报人) are shown only to
//! bureau users: an enterprise user sees neither the reporter nor who recorded
//! a tip-off or an employee report.

use super::json::{HazardResponse, HazardSummary, Reporter, TimelineEntry};
use super::{columns, domain};
use crate::attachment::AttachmentResponse;
use crate::auth::CurrentUser;
use crate::entities::{hazard, hazard_event, user};
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
    let hide_reporter = !viewer.is_bureau_user() && domain::protects_reporter(h.source);
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

/// The flat detail of a visible hazard.
pub async fn detail<C: ConnectionTrait>(
    db: &C,
    viewer: &CurrentUser,
    h: hazard::Model,
    today: NaiveDate,
) -> AppResult<HazardResponse> {
    let timeline = timeline(db, viewer, &h).await?;
    let attachments = attachments_of(db, viewer, h.id).await?;
    let mut names = crate::enterprise::service::names(db, h.enterprise_id).await?;
    let enterprise_name = h.enterprise_id.and_then(|e| names.remove(&e));
    let bureau_side = viewer.is_bureau_user();
    let days = days_left(&h, today);
    let assignment = columns::assignment(&h).and_then(|a| serde_json::to_value(a).ok());
    let plan = columns::plan(&h).and_then(|p| serde_json::to_value(p).ok());
    let report = columns::report(&h);
    let actor = super::policy::Actor::new(viewer, h.enterprise_id);
    let rec = super::policy::Record::of(&h)?;
    Ok(HazardResponse {
        record_actions: super::correct::record_actions(db, viewer, &h).await?,
        id: h.id,
        enterprise_id: h.enterprise_id,
        enterprise_name,
        subject_id: h.subject_id,
        bureau_id: h.bureau_id,
        sector: h.sector,
        region_code: h.region_code,
        source: h.source,
        source_ref: if bureau_side { h.source_ref } else { None },
        reporter: bureau_side
            .then_some(Reporter { name: h.reporter_name, phone: h.reporter_phone })
            .filter(|r| r.name.is_some() || r.phone.is_some()),
        verification_outcome: h.verification_outcome,
        reward: if bureau_side { h.reward } else { None },
        level: h.level,
        closure: h.closure,
        category: h.category,
        title: h.title,
        description: h.description,
        location: h.location,
        found_at: h.found_at,
        deadline: h.deadline,
        days_left: days,
        overdue: super::domain::is_overdue(h.status, h.deadline, today),
        checklist_item_code: h.checklist_item_code,
        risk_point_id: h.risk_point_id,
        status: h.status,
        suspended: h.suspended,
        assignment,
        plan,
        report,
        extension_until: h.extension_until,
        extension_reason: h.extension_reason,
        funds_spent: h.funds_spent.map(columns::fen_to_yuan),
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
