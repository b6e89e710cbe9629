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
pub mod search;
pub mod service;
pub mod write;

use crate::routes::{ApiRoutes, RouteExt, routes};

pub use handlers::*;

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(list_enterprises, create_enterprise))
        .routes(routes!(export_enterprises))
        .routes(routes!(search::search_enterprises))
        .routes(routes!(import_enterprises).layer(crate::upload::limit(crate::upload::SPREADSHEET)))
        .routes(routes!(generate_accounts))
        .routes(routes!(get_enterprise, update_enterprise))
        .routes(routes!(add_licence))
}
