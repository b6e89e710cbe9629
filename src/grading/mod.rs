//! Enterprise risk grade and supervision class (企业安全风险等级、分类监管):
//! hazchem enterprises by the guide's scoring, others by a versioned rule set
//! computed from risk points, major hazard installations, open major hazards,
//! accidents and inspection findings ([`rules`], [`domain`], [`compute`]); the
//! class from the grade sets the yearly inspection cap
//! (`crate::inspection::governance::cap`). History, overrides and assessments in
//! [`service`]; the territory's counts and map in [`territory`].

pub mod compute;
pub mod domain;
mod handlers;
pub mod json;
pub mod rules;
pub mod service;
pub mod territory;

use crate::routes::{ApiRoutes, routes};

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(handlers::get_grading))
        .routes(routes!(handlers::override_grading))
        .routes(routes!(handlers::release_grading))
        .routes(routes!(handlers::create_assessment, handlers::list_assessments))
        .routes(routes!(handlers::grade_counts))
        .routes(routes!(handlers::recompute))
        .routes(routes!(handlers::grading_rules))
}
