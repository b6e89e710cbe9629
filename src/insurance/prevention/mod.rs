//! Accident-prevention services of the insurers (事故预防服务, 应急〔2025〕27号 and the
//! 2024 notice of 应急管理部办公厅 and 金融监管总局办公厅): risk assessment, hazard
//! inspection against the 重大事故隐患判定标准, training and drills, recorded per
//! enterprise and policy by the insurer's users and by regulators ([`service`]);
//! a hazard inspection's findings become hazards of the ledger with source
//! `insurer_service` through the ledger's own use case, in the same transaction.
//! Read as a scoped list ([`list`]); the spend as a share of each policy year's
//! premium, flagged above the 21 % ceiling and below the configured floor, and
//! the policies without a service in their policy year ([`spend`], set-based,
//! pure rules in [`domain`]).

pub mod domain;
mod handlers;
pub mod json;
pub mod list;
pub mod service;
pub mod spend;

use crate::routes::{ApiRoutes, routes};

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(handlers::create_insurance_service, handlers::list_insurance_services))
        .routes(routes!(handlers::get_insurance_service))
        .routes(routes!(handlers::insurance_service_spend))
        .routes(routes!(handlers::list_unserved_policies))
}
