//! The hidden-hazard ledger (隐患台账) and the "one list, four systems" loop
//! for major hazards (一单四制): intake from every channel, who closes what,
//! the timeline, to-dos, the major-hazard list and the regulators' queries.
//! Rules are in [`domain`]; see its doc comment for who closes each kind.

pub mod actions;
mod audit;
mod checks;
pub mod columns;
pub mod domain;
pub mod export;
mod handlers;
pub mod import;
pub mod json;
pub mod list;
pub mod notify;
pub mod policy;
pub mod report;
pub mod service;
pub mod steps;
pub mod view;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub use handlers::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/hazards", post(create_hazard).get(list_hazards))
        .route("/api/v1/hazards/counts", get(hazard_counts))
        .route(
            "/api/v1/hazards/import",
            post(import::import_hazards).layer(crate::upload::limit(crate::upload::LEDGER)),
        )
        .route("/api/v1/hazards/{id}", get(get_hazard))
        .route("/api/v1/hazards/{id}/report", axum::routing::put(file_major_report))
        .merge(steps::routes())
        .route("/api/v1/major-hazards/export", get(export_major_hazards))
        .route("/api/v1/major-hazards", get(list_major_hazards))
        .route("/api/v1/hazard-categories", get(list_categories))
}
