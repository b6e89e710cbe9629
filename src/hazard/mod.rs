//! The hidden-hazard ledger (隐患台账) and the "one list, four systems" loop
//! for major hazards (一单四制): intake from every channel, who closes what,
//! the timeline, to-dos, the major-hazard list and the regulators' queries.
//! Rules are in [`domain`]; see its doc comment for who closes each kind.

pub mod actions;
mod audit;
mod checks;
pub mod columns;
pub mod correct;
pub mod decisions;
pub mod domain;
pub mod export;
mod handlers;
pub mod import;
pub mod json;
pub mod ledger_xlsx;
pub mod list;
pub mod loop_steps;
pub mod major;
pub mod notify;
pub mod plan;
pub mod policy;
pub mod report;
pub mod review;
pub mod service;
pub mod steps;
pub mod suspension;
pub mod view;

use crate::routes::{ApiRoutes, RouteExt, routes};

pub use handlers::*;

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(create_hazard, list_hazards))
        .routes(routes!(hazard_counts))
        .routes(routes!(ledger_xlsx::export_hazards))
        .routes(routes!(import::import_hazards).layer(crate::upload::limit(crate::upload::LEDGER)))
        .routes(routes!(get_hazard))
        .routes(routes!(file_major_report))
        .merge(steps::routes())
        .merge(correct::routes())
        .routes(routes!(plan::list_plans))
        .routes(routes!(major::export_major_hazards))
        .routes(routes!(major::list_major_hazards))
}
