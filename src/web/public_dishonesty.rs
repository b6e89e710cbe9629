//! The public site's 安全生产严重失信主体名单 (`/public/dishonesty-list`): who is listed
//! now, the situation, the basis (the penalty decision's number or the accident),
//! the deciding bureau, since and until when; persons by surname and 某, never an
//! identity number; nothing after removal or expiry (`dishonesty::view::public`).

use super::page::{PageResult, render};
use crate::dishonesty::json::DishonestyPublicEntry;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

#[derive(Template)]
#[template(path = "public_dishonesty.html")]
struct DishonestyPage {
    items: Vec<DishonestyPublicEntry>,
}

async fn dishonesty_list(State(state): State<AppState>) -> PageResult {
    let items = crate::dishonesty::view::public(state.db.conn()).await?;
    render(&DishonestyPage { items })
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/public/dishonesty-list", get(dishonesty_list))
}
