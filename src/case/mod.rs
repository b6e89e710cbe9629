//! Penalty cases (行政处罚) by the lawful procedure: the legal catalogue, discretion
//! benchmarks and no-penalty list as data ([`catalogue`]), the procedure's periods
//! and amounts as data ([`rules`]), cases with units and persons as parties
//! ([`service`]), every step a record by the right person with its numbered document
//! ([`steps`], [`proposal`], [`rights`], [`money`], [`documents`]), the separation of
//! duties ([`policy`]) and the 90-day clock ([`domain::clock`]).

pub mod catalogue;
pub mod documents;
pub mod domain;
pub mod escalation;
mod handlers;
pub mod json;
pub mod list;
pub mod money;
pub mod policy;
pub mod proposal;
pub mod publication;
pub mod rights;
pub mod rules;
pub mod service;
pub mod stats;
pub mod steps;
pub mod view;

use crate::routes::{ApiRoutes, routes};

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(handlers::create_case, handlers::list_cases))
        .routes(routes!(handlers::get_case))
        .routes(routes!(handlers::case_statistics))
        .routes(routes!(handlers::closure_alerts))
        .routes(routes!(handlers::take_step))
        .routes(routes!(handlers::penalty_catalogue))
        .routes(routes!(handlers::penalty_benchmarks))
        .routes(routes!(handlers::penalty_procedure))
}
