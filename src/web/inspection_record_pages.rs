//! The on-site record page (`/inspections/{id}/record`) for a tablet's browser:
//! the start form, the checklist by section with three large buttons per item,
//! findings, measures, signatures drawn on canvases (or a refusal with a
//! witness), completion, the documents, and — for a re-inspection — the
//! parent's hazards with pass / fail. Forms are sent to the JSON API by
//! `assets/inspection.js`; a failed save keeps what was typed.

use super::layout::{Layout, Section};
use super::page::{PagePath, PageResult, PageUser, render};
use crate::auth::Role;
use crate::entities::inspection_document;
use crate::inspection::domain::{Kind, Status};
use crate::inspection::record::domain::MeasureKind;
use crate::inspection::record::json::{FindingView, ItemView, SignatureView};
use crate::inspection::record::{access, papers, reinspect, view};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

static JS: &str = include_str!("../../assets/inspection.js");
static CSS: &str = include_str!("../../assets/inspection.css");

pub struct ItemRow {
    pub code: String,
    pub text: String,
    pub basis: String,
    pub verified: bool,
    /// The outcome's code, or empty.
    pub outcome: &'static str,
    pub note: String,
    pub photos: usize,
    /// Writes from other devices kept until someone chooses: id and a sentence.
    pub conflicts: Vec<(i64, String)>,
    /// The item asks for special-operation certificates: the enterprise's workers are shown.
    pub special_ops: bool,
}

pub struct ItemGroup {
    pub name: String,
    pub items: Vec<ItemRow>,
}

pub struct Member {
    pub user_id: i64,
    pub name: String,
    pub certificate_no: String,
    pub signed: bool,
}

pub struct HazardRow {
    pub id: i64,
    pub title: String,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "inspection_record.html")]
struct RecordPage {
    layout: Layout,
    id: i64,
    kind: &'static str,
    /// A 复查: the page shows the parent's hazards and their state instead of a checklist.
    follow_up: bool,
    status: &'static str,
    /// Which forms the page shows: `start`, `write`, `reinspect`, `verdicts`, or none.
    mode: &'static str,
    started: String,
    position: String,
    groups: Vec<ItemGroup>,
    /// The items a finding may be on: code and a label (code and the item's text, shortened).
    codes: Vec<(String, String)>,
    findings: Vec<FindingView>,
    measures: Vec<(String, String, String)>,
    measure_kinds: Vec<(&'static str, &'static str)>,
    signatures: Vec<SignatureView>,
    members: Vec<Member>,
    enterprise_signed: bool,
    hazards: Vec<HazardRow>,
    documents: Vec<(String, String, String, &'static str)>,
    /// The 执法全过程记录: attachment id and file name.
    media: Vec<(i64, String)>,
    /// The enterprise's special-operation workers, shown under the items about them.
    special_operations: Option<crate::special_operation::on_checklist::ChecklistWorkers>,
}

fn groups(items: Vec<ItemView>) -> Vec<ItemGroup> {
    let mut out: Vec<ItemGroup> = Vec::new();
    for it in items {
        let section = it.section.clone();
        let it = ItemRow {
            outcome: it.outcome.map_or("", |o| o.as_str()),
            note: it.note.unwrap_or_default(),
            photos: it.attachments.len(),
            conflicts: it
                .conflicts
                .iter()
                .map(|c| {
                    let note = c.note.as_deref().map(|n| format!("（{n}）")).unwrap_or_default();
                    let at = crate::clock::beijing(c.created_at);
                    (c.id, format!("{at} 另一设备提交的结果为“{}”{note}", c.outcome.zh()))
                })
                .collect(),
            special_ops: false,
            code: it.code,
            text: it.text,
            basis: it.basis,
            verified: it.verified,
        };
        match out.last_mut() {
            Some(g) if g.name == section => g.items.push(it),
            _ => out.push(ItemGroup { name: section, items: vec![it] }),
        }
    }
    out
}

/// Flags the items the special-operation workers are shown under.
fn mark_special_ops(
    mut groups: Vec<ItemGroup>,
    so: Option<&crate::special_operation::on_checklist::ChecklistWorkers>,
) -> Vec<ItemGroup> {
    let codes = so.map(|s| s.item_codes.as_slice()).unwrap_or_default();
    for it in groups.iter_mut().flat_map(|g| g.items.iter_mut()) {
        it.special_ops = codes.contains(&it.code);
    }
    groups
}

async fn members(state: &AppState, id: i64, signatures: &[SignatureView]) -> PageResult<Vec<Member>> {
    let db = state.db.conn();
    let mut out = Vec::new();
    for m in access::inspectors(db, id).await? {
        let name = <crate::entities::user::Entity as sea_orm::EntityTrait>::find_by_id(m.user_id)
            .one(db)
            .await
            .map_err(crate::error::AppError::from)?
            .map(|u| u.display_name)
            .unwrap_or_default();
        let signed = signatures.iter().any(|s| s.user_id == Some(m.user_id));
        out.push(Member { user_id: m.user_id, name, certificate_no: m.certificate_no.unwrap_or_default(), signed });
    }
    Ok(out)
}

fn document_rows(id: i64, docs: Vec<inspection_document::Model>) -> Vec<(String, String, String, &'static str)> {
    docs.into_iter()
        .map(|d| {
            (
                d.kind.zh().to_owned(),
                d.number,
                format!("/inspections/{id}/documents/{}", d.kind.as_str()),
                d.status.zh(),
            )
        })
        .collect()
}

/// An item as the finding form offers it: its code and text, the text cut at 36 characters.
fn item_label(code: &str, text: &str) -> String {
    let short: String = text.chars().take(36).collect();
    let more = if text.chars().count() > 36 { "…" } else { "" };
    format!("{code} {short}{more}")
}

/// The audio and video of the 执法全过程记录 linked to the record.
async fn media<C: sea_orm::ConnectionTrait>(db: &C, id: i64) -> PageResult<Vec<(i64, String)>> {
    let all = crate::attachment::of_owner(db, crate::attachment::OwnerType::Inspection, id).await?;
    Ok(all.into_iter().filter(|a| a.purpose.as_deref() == Some("media")).map(|a| (a.id, a.file_name)).collect())
}

/// The forms the team sees now (others read only).
fn mode(team: bool, i: &crate::entities::inspection::Model, has_hazards: bool) -> &'static str {
    let follow_up = i.kind == Kind::ReInspection;
    match i.status {
        _ if !team => "",
        Status::Approved | Status::InProgress if follow_up => "verdicts",
        Status::Approved => "start",
        Status::InProgress => "write",
        Status::Completed if !follow_up && has_hazards => "reinspect",
        _ => "",
    }
}

pub async fn show(State(state): State<AppState>, PageUser(user): PageUser, PagePath(id): PagePath<i64>) -> PageResult {
    let db = state.db.conn();
    let i = access::visible(db, &user, id).await?;
    let team = access::team_inspection(db, &user, id).await.is_ok() && user.has(Role::Inspector);
    let r = view::record(db, &user, &i, crate::clock::china_date(state.clock.now())).await?;
    let hazards = match i.parent_id {
        Some(p) if i.kind == Kind::ReInspection => reinspect::hazards_of(db, p).await?,
        _ => reinspect::hazards_of(db, i.id).await?,
    };
    let members = members(&state, id, &r.signatures).await?;
    let layout = Layout::new(&state, &user, "现场检查记录", Section::Inspections).await?;
    let page = RecordPage {
        layout,
        id,
        kind: i.kind.zh(),
        follow_up: i.kind == Kind::ReInspection,
        status: i.status.zh(),
        mode: mode(team, &i, !hazards.is_empty()),
        started: i.started_at.map(crate::clock::beijing).unwrap_or_default(),
        position: i.position_note.clone().unwrap_or_default(),
        codes: r.items.iter().map(|it| (it.code.clone(), item_label(&it.code, &it.text))).collect(),
        groups: mark_special_ops(groups(r.items), r.special_operations.as_ref()),
        special_operations: r.special_operations,
        findings: r.findings,
        measures: r.measures.into_iter().map(|m| (m.kind.zh().to_owned(), m.scope_text, m.basis)).collect(),
        measure_kinds: MeasureKind::ALL.iter().map(|k| (k.as_str(), k.zh())).collect(),
        enterprise_signed: r
            .signatures
            .iter()
            .any(|s| s.signer == crate::inspection::record::domain::SignerKind::Enterprise),
        signatures: r.signatures,
        members,
        hazards: hazards.into_iter().map(|h| HazardRow { id: h.id, title: h.title, status: h.status.zh() }).collect(),
        documents: document_rows(id, papers::of_inspection(db, id).await?),
        media: media(db, id).await?,
    };
    render(&page)
}

async fn script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], JS)
        .into_response()
}

async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], CSS).into_response()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inspections/{id}/record", get(show))
        .route("/assets/inspection.js", get(script))
        .route("/assets/inspection.css", get(style))
}
