//! The public site's front page (`/public/`): no sign-in, no personal data. The
//! sections (抽查事项清单, draws and their proofs, the browser verifier, results,
//! bulletins) extend `templates/public_base.html`.

use super::page::{PageResult, render};
use askama::Template;
use axum::Router;
use axum::routing::get;

use crate::state::AppState;

#[derive(Template)]
#[template(path = "public_index.html")]
struct IndexPage;

async fn index() -> PageResult {
    render(&IndexPage)
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/public/", get(index)).route("/public", get(index))
}
