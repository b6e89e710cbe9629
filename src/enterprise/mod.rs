//! The enterprise register (企业名录库): enterprises with their sectors, sub-types
//! and special topics, supervising bureau (监管主体), status history and
//! licences; Excel import and export; account onboarding for enterprises.

pub mod codes;
pub mod detail;
pub mod domain;
pub mod draft;
pub mod export;
mod handlers;
pub mod import;
pub mod json;
pub mod list;
pub mod onboarding;
pub mod service;
pub mod write;

use crate::state::AppState;
use axum::{
    Router,
    routing::{get, post},
};

pub use handlers::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/enterprises", get(handlers::list_enterprises).post(handlers::create_enterprise))
        .route("/api/v1/enterprises/export", get(handlers::export_enterprises))
        .route(
            "/api/v1/enterprises/import",
            post(handlers::import_enterprises).layer(crate::upload::limit(crate::upload::SPREADSHEET)),
        )
        .route("/api/v1/enterprises/accounts", post(handlers::generate_accounts))
        .route("/api/v1/enterprises/{id}", get(handlers::get_enterprise).patch(handlers::update_enterprise))
        .route("/api/v1/enterprises/{id}/licences", post(handlers::add_licence))
}
