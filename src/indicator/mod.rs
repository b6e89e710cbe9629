//! The indicator cockpit (指标驾驶舱): the bureaus' own five-year-plan targets,
//! computed from the records. This first part is the definitions: which indicators
//! there are, what each counts, which way is better, and the plans' targets per
//! region with the plan, year and line they come from ([`rules`], shipped as
//! `data/indicators.toml`, replaceable per province).

pub mod assess;
pub mod compute;
pub mod counts;
pub mod entered;
pub mod flow;
pub mod handlers;
pub mod inputs;
pub mod period;
pub mod read;
pub mod rules;
pub mod sources;
pub mod stored;
pub mod view;
pub mod workbook;

use crate::routes::{ApiRoutes, routes};

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(handlers::list_indicators))
        .routes(routes!(handlers::indicators_xlsx))
        .routes(routes!(handlers::recompute_indicators))
        .routes(routes!(handlers::get_indicator))
        .routes(routes!(handlers::list_indicator_records))
}
