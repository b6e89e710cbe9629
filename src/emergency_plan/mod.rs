//! Emergency-plan filing (应急预案备案, 《生产安全事故应急预案管理办法》as amended by
//! 应急管理部令第2号): an enterprise files its 综合应急预案, 专项应急预案 and 现场处置方案
//! (each with its document, publication date and 评审/论证) with its supervising
//! bureau ([`service`]); a regulator accepts it with a numbered 备案登记表 or returns
//! it with a reason, and a returned filing is corrected and filed again; the
//! enterprise records its drills ([`drills`]). Who must file, who is high-risk and
//! the evaluation and drill periods are data ([`rules`], `data/emergency-plans.toml`,
//! all to verify); the nightly to-dos are [`reminders`]; the 未备案 list [`unfiled`];
//! the cockpit's filing rate [`indicator`]. What a user may do is [`policy`].
//!
//! Decisions where the issue was silent:
//! - Only the enterprise's own 主要负责人 and 安全管理人员 file; a bureau does not file
//!   on its behalf (a paper filing is entered by the enterprise's account).
//! - On-site plans of units that are not high-risk are drilled yearly (the issue
//!   names the half-yearly period for high-risk units only; data, to verify).

pub mod checks;
pub mod domain;
pub mod drills;
mod handlers;
pub mod indicator;
pub mod json;
pub mod policy;
pub mod reminders;
pub mod rules;
pub mod service;
pub mod unfiled;
pub mod view;

use crate::routes::{ApiRoutes, routes};

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(handlers::file_emergency_plans, handlers::list_emergency_plans))
        .routes(routes!(handlers::list_unfiled_emergency_plans))
        .routes(routes!(handlers::get_emergency_plans))
        .routes(routes!(handlers::accept_emergency_plans))
        .routes(routes!(handlers::return_emergency_plans))
        .routes(routes!(handlers::resubmit_emergency_plans))
        .routes(routes!(handlers::record_emergency_plan_drill))
}
