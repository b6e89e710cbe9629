//! The draws on the public site (no sign-in, no personal data): the list of every
//! bureau's draws, one draw (see `public_draw_detail`), its public proof as a
//! download, the browser verifier (`assets/draw-verify.js`) and the algorithm's text.
//!
//! Decisions where the issue is silent:
//! - The list shows every draw from the moment it is committed — the pool hash and
//!   the commitment are worth publishing before execution — newest first, 50 a page.
//! - The proof is always the public one (`draw::proof::build(.., true)`): no user ids.
//! - `/public/draws/verify?id=N` loads that draw's proof in the page; a number that
//!   names no draw is reported by the page itself (the download answers 404).
//! - The algorithm page shows `SAMPLER.md` as preformatted text, wrapped on a phone.

use super::page::{PagePath, PageResult, page_number, render};
use crate::entities::{bureau, draw};
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use std::collections::HashMap;

/// Draws per page of the list.
const PER_PAGE: u64 = 50;

/// `?page=` as typed (a bad value is the first page).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PageQuery {
    pub(super) page: String,
}

/// One draw in the list.
struct Row {
    id: i64,
    bureau: String,
    title: String,
    committed_at: String,
    enterprises: i32,
    inspectors: i32,
    sample: i32,
    status: &'static str,
    status_class: &'static str,
    pool_hash: String,
    commitment: String,
}

#[derive(Template)]
#[template(path = "public_draws.html")]
struct ListPage {
    rows: Vec<Row>,
    total: u64,
    page: u64,
    pages: u64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

/// The CSS class of a status tag: committed draws wait, superseded ones are struck.
pub(super) fn status_class(s: crate::draw::domain::Status) -> &'static str {
    use crate::draw::domain::Status;
    match s {
        Status::Committed => "tag-warn",
        Status::Executed => "tag-ok",
        Status::Superseded => "tag-muted",
    }
}

/// The names of the bureaus with these ids.
pub(super) async fn bureau_names<C: ConnectionTrait>(db: &C, ids: Vec<i64>) -> Result<HashMap<i64, String>, AppError> {
    let rows: Vec<(i64, String)> = bureau::Entity::find()
        .select_only()
        .column(bureau::Column::Id)
        .column(bureau::Column::Name)
        .filter(bureau::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

async fn list(State(state): State<AppState>, Query(q): Query<PageQuery>) -> PageResult {
    let db = state.db.conn();
    let query = draw::Entity::find().order_by_desc(draw::Column::CommittedAt).order_by_desc(draw::Column::Id);
    let total = query.clone().count(db).await.map_err(AppError::from)?;
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = page_number(&q.page).min(pages);
    let draws = query.offset((page - 1) * PER_PAGE).limit(PER_PAGE).all(db).await.map_err(AppError::from)?;
    let names = bureau_names(db, draws.iter().map(|d| d.bureau_id).collect()).await?;
    let rows = draws
        .into_iter()
        .map(|d| Row {
            id: d.id,
            bureau: names.get(&d.bureau_id).cloned().unwrap_or_default(),
            committed_at: super::page::beijing(d.committed_at),
            enterprises: d.enterprise_count,
            inspectors: d.inspector_count,
            sample: d.sample_count,
            status: d.status.zh(),
            status_class: status_class(d.status),
            pool_hash: d.pool_hash,
            commitment: d.commitment,
            title: d.title,
        })
        .collect();
    let href = |p: u64| format!("/public/draws?page={p}");
    render(&ListPage {
        rows,
        total,
        page,
        pages,
        prev_href: (page > 1).then(|| href(page - 1)),
        next_href: (page < pages).then(|| href(page + 1)),
    })
}

/// `GET /public/draws/{id}/proof.json`: the public proof, as a download.
async fn proof(State(state): State<AppState>, PagePath(id): PagePath<i64>) -> PageResult {
    let db = state.db.conn();
    let d = draw::Entity::find_by_id(id).one(db).await.map_err(AppError::from)?.ok_or(AppError::NotFound)?;
    let names = bureau_names(db, vec![d.bureau_id]).await?;
    let tasks = crate::draw::service::tasks(db, d.id).await?;
    let bureau = names.get(&d.bureau_id).map_or("", String::as_str);
    let frozen = crate::draw::pool_store::load(db, d.id).await?;
    let proof = crate::draw::proof::build(&d, frozen, bureau, &tasks, true);
    let body = serde_json::to_vec(&proof).map_err(|e| AppError::Internal(e.into()))?;
    let name = format!("attachment; filename=\"draw-{}-proof.json\"", d.id);
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (header::CONTENT_DISPOSITION, name),
            (header::CACHE_CONTROL, "no-cache".to_owned()),
        ],
        body,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "public_draw_verify.html")]
struct VerifyPage {
    /// The proof to load at once (`?id=N`), if any.
    proof_url: Option<String>,
    id: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct VerifyQuery {
    id: String,
}

async fn verify(Query(q): Query<VerifyQuery>) -> PageResult {
    let id = q.id.trim().parse::<i64>().ok().filter(|id| *id > 0);
    render(&VerifyPage { proof_url: id.map(|id| format!("/public/draws/{id}/proof.json")), id })
}

#[derive(Template)]
#[template(path = "public_draw_algorithm.html")]
struct AlgorithmPage {
    text: &'static str,
}

async fn algorithm() -> PageResult {
    render(&AlgorithmPage { text: crate::draw::SPEC })
}

async fn script() -> Response {
    super::assets::draw_verify_js()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/public/draws", get(list))
        .route("/public/draws/verify", get(verify))
        .route("/public/draws/algorithm", get(algorithm))
        .route("/public/draws/{id}", get(super::public_draw_detail::show))
        .route("/public/draws/{id}/proof.json", get(proof))
        .route("/assets/draw-verify.js", get(script))
}
