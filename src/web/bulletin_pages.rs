//! Bulletins as pages: the regulators' review (choose the overdue major
//! hazards to publish) and the public page, which needs no sign-in and shows
//! only what was published — enterprise, hazard title, deadline.

use super::layout::{Layout, Section};
use super::page::{PagePath, PageResult, PageUser, render, see_other};
use crate::bulletin::build::{get_visible, publish};
use crate::bulletin::handlers_api::{BulletinResponse, response, visible_bulletins};
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
    may_publish: bool,
}

pub async fn show(State(state): State<AppState>, PageUser(user): PageUser, PagePath(id): PagePath<i64>) -> PageResult {
    let row = get_visible(state.db.conn(), &user, id).await?;
    let may_publish =
        user.has(crate::auth::Role::Regulator) && user.bureau.as_ref().map(|b| b.id) == Some(row.bureau_id);
    let b = response(state.db.conn(), row).await?;
    let layout = Layout::new(&state, &user, "通报审核", Section::Bulletins).await?;
    render(&ReviewPage { layout, b, may_publish })
}

/// The review form: the CSRF token and one `h<id>` checkbox per hazard to publish.
pub async fn publish_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    user.check_csrf(form.get("csrf_token").map_or("", String::as_str))?;
    let ids: Vec<i64> = form.keys().filter_map(|k| k.strip_prefix('h')?.parse().ok()).collect();
    state.write(user.actor(), async |tx| publish(tx, tx.ctx(), &user, id, &ids).await).await?;
    Ok(see_other(&format!("/bulletins/{id}")))
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
