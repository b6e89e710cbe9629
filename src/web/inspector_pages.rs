//! The inspector register's page (执法检查人员名录库, `/inspectors`): the bureau's
//! inspectors and experts with their certificate status and availability today;
//! one inspector's page is in `inspector_detail`.

use super::layout::{Layout, Section};
use super::page::{PageResult, PageUser, render};
use crate::inspector::register::{self, InspectorSummary};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

#[derive(Template)]
#[template(path = "inspectors.html")]
struct RegisterPage {
    layout: Layout,
    items: Vec<InspectorSummary>,
}

pub async fn list_page(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let items = register::summaries(state.db.conn(), &user, None, state.clock.today()).await?;
    let layout = Layout::new(&state, &user, "执法检查人员名录", Section::Inspections).await?;
    render(&RegisterPage { layout, items })
}

pub fn routes() -> Router<AppState> {
    use super::inspector_detail as d;
    Router::new()
        .route("/inspectors", get(list_page))
        .route("/inspectors/{id}", get(d::show))
        .route("/inspectors/{id}/certificate", axum::routing::post(d::certificate))
        .route("/inspectors/{id}/absences", axum::routing::post(d::absence))
        .route("/inspectors/{id}/conflicts", axum::routing::post(d::conflict))
        .route("/inspectors/{id}/conflicts/{cid}/withdraw", axum::routing::post(d::withdraw))
}
