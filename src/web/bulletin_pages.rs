//! Bulletins as pages: the regulators' review (propose overdue major hazards
//! for publication), the approver's decision (publish or return; never the
//! proposer's own), and the public page, which needs no sign-in and shows
//! only what was published — enterprise, hazard title, deadline.

use super::layout::{Layout, Section};
use super::page::{PagePath, PageResult, PageUser, render, see_other};
use crate::auth::Role;
use crate::bulletin::build::get_visible;
use crate::bulletin::handlers_api::{BulletinResponse, response, visible_bulletins};
use crate::bulletin::publish::{decide, propose};
use crate::entities::{bulletin, bulletin_publication, bureau};
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::State;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "bulletins.html")]
struct ListPage {
    layout: Layout,
    items: Vec<BulletinResponse>,
}

pub async fn list(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let mut items = Vec::new();
    for b in visible_bulletins(&state, &user).await? {
        items.push(response(state.db.conn(), b).await?);
    }
    let layout = Layout::new(&state, &user, "通报", Section::Bulletins).await?;
    render(&ListPage { layout, items })
}

#[derive(Template)]
#[template(path = "bulletin.html")]
struct ReviewPage {
    layout: Layout,
    b: BulletinResponse,
    may_propose: bool,
    /// An approver of the bureau who did not propose the pending items.
    may_approve: bool,
    /// The problems of the last form, in Chinese.
    errors: Vec<String>,
}

impl ReviewPage {
    fn checked(&self, id: impl std::borrow::Borrow<i64>) -> bool {
        let id = *id.borrow();
        self.b
            .proposal
            .as_ref()
            .map_or_else(|| self.b.published_hazard_ids.contains(&id), |p| p.hazard_ids.contains(&id))
    }
}

async fn review(state: &AppState, user: &crate::auth::CurrentUser, id: i64, errors: Vec<String>) -> PageResult {
    let row = get_visible(state.db.conn(), user, id).await?;
    let own = user.bureau.as_ref().map(|b| b.id) == Some(row.bureau_id);
    let b = response(state.db.conn(), row).await?;
    let may_approve = own && user.has(Role::Approver) && b.proposal.as_ref().is_some_and(|p| p.proposed_by != user.id);
    let layout = Layout::new(state, user, "通报审核", Section::Bulletins).await?;
    let page = ReviewPage { layout, may_propose: own && user.has(Role::Regulator), may_approve, b, errors };
    if page.errors.is_empty() {
        render(&page)
    } else {
        super::page::render_with(axum::http::StatusCode::UNPROCESSABLE_ENTITY, &page)
    }
}

pub async fn show(State(state): State<AppState>, PageUser(user): PageUser, PagePath(id): PagePath<i64>) -> PageResult {
    review(&state, &user, id, Vec::new()).await
}

/// The proposal form: the CSRF token and one `h<id>` checkbox per hazard to publish.
pub async fn propose_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    user.check_csrf(form.get("csrf_token").map_or("", String::as_str))?;
    let ids: Vec<i64> = form.keys().filter_map(|k| k.strip_prefix('h')?.parse().ok()).collect();
    match state.write(user.actor(), async |tx| propose(tx, tx.ctx(), &user, id, &ids).await).await {
        Ok(_) => Ok(see_other(&format!("/bulletins/{id}"))),
        Err(e @ AppError::Validation(_)) => review(&state, &user, id, super::page::messages(&e)).await,
        Err(e) => Err(e.into()),
    }
}

/// The approver's form: `approved` is `true` (publish) or `false` (return).
pub async fn approve_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    user.check_csrf(form.get("csrf_token").map_or("", String::as_str))?;
    let approved = form.get("approved").is_some_and(|v| v == "true");
    match state.write(user.actor(), async |tx| decide(tx, tx.ctx(), &user, id, approved).await).await {
        Ok(_) => Ok(see_other(&format!("/bulletins/{id}"))),
        Err(e @ AppError::Conflict { .. }) => review(&state, &user, id, super::page::messages(&e)).await,
        Err(e) => Err(e.into()),
    }
}

pub struct PublicItem {
    pub enterprise_name: String,
    pub title: String,
    pub deadline: String,
    pub days_overdue: i64,
}

pub struct PublicBulletin {
    pub bureau: String,
    pub period: String,
    pub items: Vec<PublicItem>,
}

#[derive(Template)]
#[template(path = "public_bulletins.html")]
struct PublicPage {
    bulletins: Vec<PublicBulletin>,
}

fn item(summary: &str) -> Option<PublicItem> {
    let v: serde_json::Value = serde_json::from_str(summary).ok()?;
    let text = |k: &str| v.get(k).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
    Some(PublicItem {
        enterprise_name: text("enterprise_name"),
        title: text("title"),
        deadline: text("deadline"),
        days_overdue: v.get("days_overdue").and_then(serde_json::Value::as_i64).unwrap_or_default(),
    })
}

/// The published bulletins, newest first (no sign-in).
pub async fn public(State(state): State<AppState>) -> PageResult {
    let db = state.db.conn();
    let rows = bulletin::Entity::find()
        .filter(bulletin::Column::Status.eq(crate::bulletin::BulletinStatus::Published))
        .order_by_desc(bulletin::Column::PublishedAt)
        .limit(50)
        .all(db)
        .await
        .map_err(AppError::from)?;
    let mut bulletins = Vec::new();
    for b in rows {
        let bureau = bureau::Entity::find_by_id(b.bureau_id).one(db).await.map_err(AppError::from)?;
        let summaries: Vec<String> = bulletin_publication::Entity::find()
            .select_only()
            .column(bulletin_publication::Column::Summary)
            .filter(bulletin_publication::Column::BulletinId.eq(b.id))
            .order_by_asc(bulletin_publication::Column::Id)
            .into_tuple()
            .all(db)
            .await
            .map_err(AppError::from)?;
        bulletins.push(PublicBulletin {
            bureau: bureau.map(|b| b.name).unwrap_or_default(),
            period: format!("{} 至 {}", b.period_start, b.period_end),
            items: summaries.iter().filter_map(|s| item(s)).collect(),
        });
    }
    render(&PublicPage { bulletins })
}
