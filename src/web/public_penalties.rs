//! The public site's 行政处罚决定 (`/public/penalties`): the decisions a bureau
//! published (安全生产法 art. 78), newest first, at most 100; a withdrawn
//! (revoked) decision is gone from the page. Units by name, persons by surname and
//! 某, never an identity number (`case::publication`).

use super::page::{PageResult, render};
use crate::case::catalogue::yuan;
use crate::case::publication::{self, PublicDecision};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

#[derive(Template)]
#[template(path = "public_penalties.html")]
struct PenaltiesPage {
    items: Vec<(PublicDecision, String)>,
}

async fn penalties(State(state): State<AppState>) -> PageResult {
    let items = publication::published(state.db.conn(), None).await?;
    let items = items.into_iter().map(|d| {
        let fine = yuan(d.fine_total_yuan);
        (d, fine)
    });
    render(&PenaltiesPage { items: items.collect() })
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/public/penalties", get(penalties))
}
