//! Special-operation certificates (特种作业操作证, 总局令第30号): the workers an
//! enterprise lists in a special-operation post and their certificates, entered by
//! the enterprise's 主要负责人 and 安全管理人员 ([`service`], [`policy`]) and read by
//! its regulators in scope ([`list`]); the catalogue, periods and reminder window as
//! data ([`rules`], `data/special-operations.toml`); where a certificate stands, a
//! pure function ([`domain`]); the nightly to-dos ([`reminders`]); the workers
//! shown on a checklist item about 特种作业人员 ([`on_checklist`]); and the
//! 持证率 figures for the indicator cockpit ([`indicator`]).
//!
//! Decisions where the issue was silent:
//! - Regulators read and filter; they do not write the enterprise's list.
//! - A listing's `ended_on` is the worker's last day in the post; an ended listing
//!   is kept unchanged and leaves the running list, the to-dos and the checklist.
//! - A worker is listed per post: one person in two posts is two listings.

pub mod domain;
mod handlers;
pub mod indicator;
pub mod json;
pub mod list;
pub mod on_checklist;
pub mod policy;
pub mod reminders;
pub mod rules;
pub mod service;

use crate::routes::{ApiRoutes, routes};

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(handlers::create_special_operation_worker, handlers::list_special_operation_workers))
        .routes(routes!(handlers::get_special_operation_worker, handlers::update_special_operation_worker))
        .routes(routes!(handlers::end_special_operation_worker))
}
