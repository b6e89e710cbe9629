//! Safety-production liability insurance (安全生产责任保险, 安责险, 应急〔2025〕27号):
//! insurers and their users ([`insurers`]), policies recorded by regulators and
//! insurers ([`service`], [`view`]), who must insure and the floor as data
//! ([`rules`], `data/insurance-rules.toml`), and the check of an enterprise's
//! cover, a pure function ([`domain`]), and the uninsured mandatory enterprises of a
//! territory ([`uninsured`], set-based), and the coverage rate by sector and
//! region ([`coverage`], set-based), and the daily expiry and lapse notices
//! ([`reminders`]), the bulk import of policies from a workbook ([`import`]), and
//! the insurers' accident-prevention services with their findings as hazards and
//! the spend against the premium ([`prevention`]). What an actor may do is
//! [`policy`].

pub mod coverage;
pub mod domain;
mod handlers;
pub mod import;
pub mod insurers;
pub mod json;
pub mod policy;
pub mod prevention;
pub mod reminders;
pub mod rules;
pub mod service;
pub mod uninsured;
pub mod view;

use crate::routes::{ApiRoutes, RouteExt, routes};

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(handlers::create_insurance_policy, handlers::list_insurance_policies))
        .routes(routes!(import::http::import_insurance_policies).layer(crate::upload::limit(crate::upload::LEDGER)))
        .routes(routes!(handlers::get_insurance_policy))
        .routes(routes!(handlers::cancel_insurance_policy))
        .routes(routes!(handlers::get_enterprise_insurance))
        .routes(routes!(handlers::list_uninsured))
        .routes(routes!(handlers::insurance_coverage))
        .routes(routes!(handlers::insurance_coverage_xlsx))
}
