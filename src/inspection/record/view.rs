//! The record as the API returns it (`GET /api/v1/inspections/{id}/record`).

use super::complete::{Parts, parts};
use super::json::{ConflictView, FindingView, ItemView, MeasureView, RecordResponse, SignatureView, VerdictView};
use crate::attachment::{AttachmentResponse, OwnerType};
use crate::auth::CurrentUser;
use crate::entities::{attachment, inspection, inspection_finding, inspection_verdict};
use crate::error::AppResult;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

fn files(all: &[attachment::Model], viewer: &CurrentUser, purpose: &str, step: Option<i64>) -> Vec<AttachmentResponse> {
    all.iter()
        .filter(|a| a.purpose.as_deref() == Some(purpose) && (step.is_none() || a.step_id == step))
        .map(|a| AttachmentResponse::for_viewer(a.clone(), viewer))
        .collect()
}

/// The title of a finding: its item's text, or its own.
pub fn finding_title(p: &Parts, f: &inspection_finding::Model) -> String {
    let item = f.item_code.as_deref().and_then(|c| p.items.iter().find(|i| i.item.code == c));
    item.map_or_else(|| f.title.clone().unwrap_or_default(), |i| i.item.text.clone())
}

fn finding_view(p: &Parts, f: &inspection_finding::Model, all: &[attachment::Model], v: &CurrentUser) -> FindingView {
    let item = f.item_code.as_deref().and_then(|c| p.items.iter().find(|i| i.item.code == c));
    FindingView {
        id: f.id,
        item_code: f.item_code.clone(),
        title: finding_title(p, f),
        category: f.category.clone(),
        severity: f.severity,
        description: f.description.clone(),
        location: f.location.clone(),
        basis: f.basis.clone(),
        basis_confirmed: f.basis_confirmed,
        basis_printable: super::items::basis_printable(item, f.basis_confirmed),
        deadline: f.deadline,
        deadline_working_days: f.deadline_working_days,
        rectified_on_spot: f.rectified_on_spot,
        hazard_id: f.hazard_id,
        attachments: files(all, v, "evidence", Some(f.id)),
    }
}

fn item_views(p: &Parts, all: &[attachment::Model], viewer: &CurrentUser) -> Vec<ItemView> {
    p.items
        .iter()
        .map(|it| {
            let r = p.results.iter().find(|r| r.item_code == it.item.code);
            ItemView {
                code: it.item.code.clone(),
                checklist_id: it.checklist_id.clone(),
                checklist_hash: it.checklist_hash.clone(),
                section: it.section.clone(),
                text: it.item.text.clone(),
                basis: it.item.basis.clone(),
                severity: it.item.severity,
                verified: it.item.verified,
                outcome: r.map(|r| r.outcome),
                note: r.and_then(|r| r.note.clone()),
                version: r.map_or(0, |r| r.version),
                conflicts: p
                    .conflicts
                    .iter()
                    .filter(|c| c.item_code == it.item.code)
                    .map(|c| ConflictView {
                        id: c.id,
                        outcome: c.outcome,
                        note: c.note.clone(),
                        base_version: c.base_version,
                        server_version: c.server_version,
                        created_by: c.created_by,
                        created_at: c.created_at,
                    })
                    .collect(),
                attachments: r.map(|r| files(all, viewer, "item", Some(r.id))).unwrap_or_default(),
            }
        })
        .collect()
}

/// The record of inspection `i` for `viewer`.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    viewer: &CurrentUser,
    i: &inspection::Model,
    today: chrono::NaiveDate,
) -> AppResult<RecordResponse> {
    let p = parts(db, i).await?;
    let all = crate::attachment::of_owner(db, OwnerType::Inspection, i.id).await?;
    let items = item_views(&p, &all, viewer);
    let texts: Vec<(&str, &str)> = items.iter().map(|it| (it.code.as_str(), it.text.as_str())).collect();
    let special_operations =
        crate::special_operation::on_checklist::for_items(db, i.enterprise_id, &texts, today).await?;
    let verdicts = inspection_verdict::Entity::find()
        .filter(inspection_verdict::Column::InspectionId.eq(i.id))
        .order_by_asc(inspection_verdict::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|v| VerdictView { hazard_id: v.hazard_id, passed: v.passed, note: v.note })
        .collect();
    Ok(RecordResponse {
        inspection_id: i.id,
        status: i.status,
        started_at: i.started_at,
        completed_at: i.completed_at,
        latitude: i.latitude,
        longitude: i.longitude,
        position_note: i.position_note.clone(),
        people_present: i.people_present.clone(),
        items,
        findings: p.findings.iter().map(|f| finding_view(&p, f, &all, viewer)).collect(),
        measures: p
            .measures
            .iter()
            .map(|m| MeasureView {
                id: m.id,
                kind: m.kind,
                scope_text: m.scope_text.clone(),
                basis: m.basis.clone(),
                decided_at: m.decided_at,
            })
            .collect(),
        signatures: p
            .signatures
            .iter()
            .map(|s| SignatureView {
                id: s.id,
                signer: s.signer_kind,
                user_id: s.user_id,
                name: s.name.clone(),
                certificate_no: s.certificate_no.clone(),
                attachment_id: s.attachment_id,
                refused: s.refused,
                witness: s.witness.clone(),
                reason: s.reason.clone(),
                signed_at: s.signed_at,
            })
            .collect(),
        verdicts,
        special_operations,
        attachments: all.into_iter().map(|a| AttachmentResponse::for_viewer(a, viewer)).collect(),
    })
}
