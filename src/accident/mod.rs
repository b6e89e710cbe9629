//! Production-safety accidents (生产安全事故): the register, each accident graded by
//! law from its figures ([`domain`]), with what follows it: changed figures and
//! regrading ([`figures`]), the report chain and its flags ([`reports`]), the
//! investigation and findings of responsibility ([`investigation`]), the 整改措施
//! ([`measures`]) and the to-dos of what is overdue ([`overdue`]). The time limits
//! are data ([`rules`], `data/accident-reporting.toml`). Accidents feed the risk
//! grades and, later, credit and the indicators.

pub mod domain;
pub mod figures;
mod follow_handlers;
mod handlers;
pub mod investigation;
pub mod json;
pub mod measures;
pub mod overdue;
pub mod reports;
pub mod rules;
pub mod service;

use crate::routes::{ApiRoutes, routes};
use follow_handlers as f;

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(handlers::create_accident, handlers::list_accidents))
        .routes(routes!(handlers::get_accident))
        .routes(routes!(f::update_figures, f::list_figure_changes))
        .routes(routes!(f::record_report, f::get_timeline))
        .routes(routes!(f::flag_accident))
        .routes(routes!(f::get_investigation, f::put_investigation))
        .routes(routes!(f::add_finding))
        .routes(routes!(f::create_measure, f::list_measures))
        .routes(routes!(f::complete_measure))
}
