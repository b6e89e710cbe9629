//! Checklist pages (检查表): the list of national and bureau checklists with
//! their versions, one version's items by section, and the items that apply
//! to an enterprise. Upload and editing are in [`super::checklist_edit`].

use super::checklist_edit;
use super::layout::{Layout, Section};
use super::page::{PagePath, PageResult, PageUser, render};
use crate::auth::{CurrentUser, Role};
use crate::checklist::json::ApplicableItemView;
use crate::checklist::json::{ChecklistVersionResponse, VersionEntry};
use crate::checklist::{Applicability, Item, list};
use crate::entities::enterprise;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/checklists", get(list_page))
        .route(
            "/checklists/import",
            get(checklist_edit::upload_form)
                .post(checklist_edit::preview_upload)
                .layer(crate::upload::limit(crate::upload::CALENDAR)),
        )
        .route("/checklists/import/confirm", post(checklist_edit::confirm_upload))
        .route("/checklists/template.xlsx", get(checklist_edit::template))
        .route("/checklists/edit", get(checklist_edit::edit_form).post(checklist_edit::save))
        .route("/checklists/retire", post(checklist_edit::retire))
        .route("/checklists/{hash}", get(show))
        .route("/enterprises/{id}/checklist-items", get(enterprise_items))
        .layer(axum::middleware::map_response(super::page_headers))
}

/// Whether the user writes its bureau's checklists.
pub fn is_author(user: &CurrentUser) -> bool {
    user.has(Role::Regulator) && user.bureau.is_some()
}

pub struct VersionRow {
    pub seq: i32,
    pub version: String,
    pub title: String,
    pub hash: String,
    pub current: bool,
    pub status: &'static str,
    pub items: i32,
    pub unverified: i32,
    pub created: String,
}

impl From<&VersionEntry> for VersionRow {
    fn from(v: &VersionEntry) -> Self {
        Self {
            seq: v.seq,
            version: v.version.clone(),
            title: v.title.clone(),
            hash: v.hash.clone(),
            current: v.current,
            status: v.status.zh(),
            items: v.item_count,
            unverified: v.unverified_count,
            created: crate::clock::china_date(v.created_at).to_string(),
        }
    }
}

pub struct ListRow {
    pub title: String,
    pub source: String,
    pub versions: Vec<VersionRow>,
}

#[derive(Template)]
#[template(path = "checklists.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<ListRow>,
    author: bool,
    truncated: bool,
}

fn source(national: bool, bureau: Option<&crate::checklist::json::AuthorBureau>) -> String {
    match (national, bureau) {
        (true, _) | (false, None) => "国家".to_owned(),
        (false, Some(b)) => b.name.clone(),
    }
}

pub async fn list_page(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let all = list::checklists(state.db.conn(), &user).await?;
    let rows = all
        .items
        .iter()
        .map(|c| ListRow {
            title: c.title.clone(),
            source: source(c.national, c.bureau.as_ref()),
            versions: c.versions.iter().map(VersionRow::from).collect(),
        })
        .collect();
    let layout = Layout::new(&state, &user, "检查表", Section::Checklists).await?;
    render(&ListPage { layout, rows, author: is_author(&user), truncated: all.truncated })
}

/// Where an item applies, in Chinese.
pub fn applies(a: &Applicability) -> String {
    let mut parts = Vec::new();
    let join = |v: Vec<&str>| v.join("、");
    if !a.sectors.is_empty() {
        parts.push(format!("行业：{}", join(a.sectors.iter().map(|s| s.zh()).collect())));
    }
    if !a.sub_types.is_empty() {
        let names = a.sub_types.iter().map(|t| format!("{}{}", t.sector().zh(), t.zh())).collect::<Vec<_>>();
        parts.push(format!("企业类型：{}", names.join("、")));
    }
    if !a.special_topics.is_empty() {
        parts.push(format!("专项：{}", join(a.special_topics.iter().map(|t| t.zh()).collect())));
    }
    if parts.is_empty() { "所有企业".to_owned() } else { parts.join("；") }
}

pub struct ItemView {
    pub code: String,
    pub text: String,
    pub basis: String,
    pub severity: &'static str,
    pub penalty: String,
    pub applies: String,
    pub verified: bool,
}

impl From<&Item> for ItemView {
    fn from(i: &Item) -> Self {
        Self {
            code: i.code.clone(),
            text: i.text.clone(),
            basis: i.basis.clone(),
            severity: i.severity.zh(),
            penalty: i.penalty_basis.clone().unwrap_or_else(|| "—".to_owned()),
            applies: applies(&i.applicability),
            verified: i.verified,
        }
    }
}

pub struct SectionView {
    pub name: String,
    pub items: Vec<ItemView>,
}

#[derive(Template)]
#[template(path = "checklist.html")]
struct DetailPage {
    layout: Layout,
    notice: String,
    checklist_id: String,
    source: String,
    issuer: String,
    document_number: String,
    effective: String,
    seq: i32,
    version: String,
    status: &'static str,
    items: i32,
    unverified: i32,
    hash: String,
    sections: Vec<SectionView>,
    can_edit: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DetailQuery {
    pub done: String,
}

fn notice(done: &str) -> String {
    match done {
        "created" => "已保存为新版本，现行检查表已更新。".to_owned(),
        "same" => "内容与现行版本相同，未生成新版本。".to_owned(),
        "retired" => "检查表已停用：不再用于新的检查和自查，已使用的记录保留。".to_owned(),
        _ => String::new(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(hash): PagePath<String>,
    Query(q): Query<DetailQuery>,
) -> PageResult {
    let v: ChecklistVersionResponse = list::version(state.db.conn(), &user, &hash).await?;
    let own = v.bureau.as_ref().map(|b| b.id) == user.bureau.as_ref().map(|b| b.id) && !v.national;
    let c = &v.checklist;
    let sections = c
        .sections
        .iter()
        .map(|s| SectionView { name: s.name.clone(), items: s.items.iter().map(ItemView::from).collect() })
        .collect();
    let layout = Layout::new(&state, &user, &c.title, Section::Checklists).await?;
    render(&DetailPage {
        layout,
        notice: notice(&q.done),
        checklist_id: v.checklist_id.clone(),
        source: source(v.national, v.bureau.as_ref()),
        issuer: if c.issuer.is_empty() { "—".to_owned() } else { c.issuer.clone() },
        document_number: if c.document_number.is_empty() { "—".to_owned() } else { c.document_number.clone() },
        effective: c.effective.to_string(),
        seq: v.entry.seq,
        version: v.entry.version.clone(),
        status: v.entry.status.zh(),
        items: v.entry.item_count,
        unverified: v.entry.unverified_count,
        hash: v.entry.hash.clone(),
        sections,
        can_edit: own && v.entry.current && is_author(&user),
    })
}

pub struct ApplicableView {
    pub checklist: String,
    pub hash: String,
    pub section: String,
    pub code: String,
    pub text: String,
    pub basis: String,
    pub severity: &'static str,
    pub verified: bool,
}

impl From<ApplicableItemView> for ApplicableView {
    fn from(a: ApplicableItemView) -> Self {
        Self {
            checklist: a.checklist_title,
            hash: a.checklist_hash,
            section: a.section,
            code: a.code,
            text: a.text,
            basis: a.basis,
            severity: a.severity.zh(),
            verified: a.verified,
        }
    }
}

#[derive(Template)]
#[template(path = "checklist_items.html")]
struct ItemsPage {
    layout: Layout,
    enterprise_id: i64,
    enterprise_name: String,
    items: Vec<ApplicableView>,
    truncated: bool,
}

pub async fn enterprise_items(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let e = crate::scope::get::<enterprise::Entity, _>(state.db.conn(), &user.scope, id).await?;
    let found = list::items_of(state.db.conn(), &e).await?;
    let section = if user.is_bureau_user() { Section::Checklists } else { Section::OwnEnterprise };
    let layout = Layout::new(&state, &user, "适用检查项", section).await?;
    let items = found.items.into_iter().map(ApplicableView::from).collect();
    render(&ItemsPage { layout, enterprise_id: e.id, enterprise_name: e.name, items, truncated: found.truncated })
}
