//! Production-safety accidents (生产安全事故): the register, each accident graded by
//! law from its figures ([`domain`]). Accidents feed the risk grades and, later,
//! credit and the indicators.

pub mod domain;
mod handlers;
pub mod json;
pub mod service;

use crate::routes::{ApiRoutes, routes};

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(handlers::create_accident, handlers::list_accidents))
        .routes(routes!(handlers::get_accident))
}
