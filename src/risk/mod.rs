//! Risk grading (风险分级管控): risk points graded by LEC or LS into the four colours,
//! with direct-red conditions triggered by data. The rules are data
//! (`data/risk-rules.toml`, see [`rules`]); the scoring is a pure core ([`domain`]).

pub mod board;
pub mod domain;
mod handlers;
pub mod import;
pub mod json;
pub mod links;
pub mod lists;
mod map_handlers;
pub mod placing;
pub mod policy;
pub mod review;
pub mod rules;
pub mod service;
pub mod site_plan;

use crate::routes::{ApiRoutes, RouteExt, routes};

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(handlers::create_risk_point, handlers::list_risk_points))
        .routes(routes!(handlers::get_risk_point))
        .routes(routes!(handlers::review_risk_point))
        .routes(routes!(handlers::risk_rules))
        .routes(
            routes!(map_handlers::put_site_plan, map_handlers::get_site_plan)
                .layer(crate::upload::limit(site_plan::MAX_BYTES)),
        )
        .routes(routes!(map_handlers::put_position))
        .routes(routes!(map_handlers::risk_lists_xlsx))
        .routes(routes!(map_handlers::import_risk_points).layer(crate::upload::limit(crate::upload::LEDGER)))
}
