//! Risk grading (风险分级管控): risk points graded by LEC or LS into the four colours,
//! with direct-red conditions triggered by data. The rules are data
//! (`data/risk-rules.toml`, see [`rules`]); the scoring is a pure core ([`domain`]).

pub mod domain;
mod handlers;
pub mod json;
pub mod links;
pub mod policy;
pub mod review;
pub mod rules;
pub mod service;

use crate::routes::{ApiRoutes, routes};

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(handlers::create_risk_point, handlers::list_risk_points))
        .routes(routes!(handlers::get_risk_point))
        .routes(routes!(handlers::review_risk_point))
        .routes(routes!(handlers::risk_rules))
}
