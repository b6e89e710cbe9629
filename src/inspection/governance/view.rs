//! The API shapes of an inspection: summary, detail, documents.

use super::json::{DocumentResponse, InspectionResponse, InspectionSummary, MemberResponse, PinnedChecklist};
use super::{cap, documents, policy, service, team, templates};
use crate::auth::CurrentUser;
use crate::entities::{bureau, inspection, inspection_document as doc, user};
use crate::error::{AppError, AppResult};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

pub fn summary(i: &inspection::Model, enterprise_name: String) -> InspectionSummary {
    InspectionSummary {
        id: i.id,
        enterprise_id: i.enterprise_id,
        enterprise_name,
        bureau_id: i.bureau_id,
        kind: i.kind,
        status: i.status,
        planned_date: i.planned_date,
        over_cap: i.over_cap,
        draw_id: i.draw_id,
    }
}

pub fn document(d: doc::Model, region_code: &str) -> DocumentResponse {
    DocumentResponse {
        title: templates::template(d.kind, region_code).title,
        link: format!("/inspections/{}/documents/{}", d.inspection_id, documents::slug(d.kind)),
        kind: d.kind,
        number: d.number,
        status: d.status,
        seq: d.seq,
        year: d.year,
        void_reason: d.void_reason,
        reserved_at: d.reserved_at,
        issued_at: d.issued_at,
        served_on: d.served_on,
        service_method: d.service_method,
        served_to: d.served_to,
    }
}

/// The pinned checklists stored with an inspection.
pub fn pinned(i: &inspection::Model) -> Vec<PinnedChecklist> {
    serde_json::from_str(&i.checklists).unwrap_or_default()
}

/// The team with names.
pub async fn members<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<Vec<MemberResponse>> {
    let rows = team::members(db, id).await?;
    let names: HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|m| m.user_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|m| MemberResponse {
            name: names.get(&m.user_id).cloned().unwrap_or_default(),
            user_id: m.user_id,
            role: m.role,
            certificate_no: m.certificate_no,
        })
        .collect())
}

/// One inspection as the user sees it.
pub async fn detail<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    i: inspection::Model,
) -> AppResult<InspectionResponse> {
    let e = service::enterprise_of(db, &i).await?;
    let b = bureau::Entity::find_by_id(i.bureau_id).one(db).await?.ok_or(AppError::NotFound)?;
    let (actor, record) = service::judge(db, user, &i).await?;
    let docs = documents::of_inspection(db, i.id).await?.into_iter().map(|d| document(d, &b.region_code)).collect();
    Ok(InspectionResponse {
        summary: summary(&i, e.name.clone()),
        bureau_name: b.name,
        team: members(db, i.id).await?,
        checklists: pinned(&i),
        documents: docs,
        cap: cap::standing(db, &e, cap::year_of(&i), None).await?,
        allowed_actions: policy::available(&actor, record),
        plan_text: i.plan_text,
        parent_id: i.parent_id,
        counts_against_cap: i.counts_against_cap,
        created_by: i.created_by,
        created_at: i.created_at,
        approved_by: i.approved_by,
        approved_at: i.approved_at,
        cap_approved_by: i.cap_approved_by,
        cap_approved_at: i.cap_approved_at,
        cap_reason: i.cap_reason,
        rejected_reason: i.rejected_reason,
        started_at: i.started_at,
        completed_at: i.completed_at,
        version: i.version,
    })
}
