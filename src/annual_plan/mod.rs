//! The annual supervision and inspection plan (年度监督检查计划), issue 12 item 1:
//! per bureau and year, the capacity in 执法工作日 (inspectors × available days,
//! minus a reserve — 留有余地), the key enterprises (重点检查, full coverage), the
//! ordinary ones sampled by 双随机 at set ratios per sector and supervision class, a
//! monthly breakdown, approval and revisions with their history, and the coverage
//! done vs planned (JSON and xlsx).
//!
//! - `domain`: statuses, capacity, planned counts, the monthly check, what changed;
//! - `policy`: who may do what now; `body`: checking a body, freezing the targets;
//! - `service`: the use cases; `list`, `view`, `json`, `handlers`: the API;
//! - `coverage`, `xlsx`: done vs planned.
//!
//! Decisions where the issue is silent:
//! - one plan per bureau and year: a second `POST` for the same year is refused
//!   (409 `plan_exists`); an approved plan changes only by a revision (a new row,
//!   `revision` 2, 3 …, with its reason) that is approved again and then supersedes
//!   the approved one; at most one approved revision per bureau and year (also a
//!   unique column), nothing deleted;
//! - returning a submitted plan makes it a draft again with the reason shown;
//! - the monthly breakdown not adding up to the planned total is a field error
//!   (422); the capacity below the planned total is only a warning (`warnings`);
//! - a bureau's plans are read by bureau users of that bureau and the ones above
//!   (上一级备案); enterprise users get 403 on the list and 404 on a plan.

pub mod body;
pub mod coverage;
pub mod domain;
pub mod handlers;
pub mod json;
pub mod list;
pub mod policy;
pub mod service;
pub mod view;
pub mod xlsx;

use crate::routes::{ApiRoutes, routes};

pub fn routes() -> ApiRoutes {
    use handlers::{
        __path_approve_plan, __path_create_plan, __path_get_plan, __path_list_plans, __path_plan_coverage,
        __path_plan_coverage_xlsx, __path_plan_revisions, __path_record_plan, __path_return_plan, __path_revise_plan,
        __path_submit_plan, __path_update_plan, approve_plan, create_plan, get_plan, list_plans, plan_coverage,
        plan_coverage_xlsx, plan_revisions, record_plan, return_plan, revise_plan, submit_plan, update_plan,
    };
    ApiRoutes::new()
        .routes(routes!(create_plan, list_plans))
        .routes(routes!(get_plan, update_plan))
        .routes(routes!(submit_plan))
        .routes(routes!(approve_plan))
        .routes(routes!(return_plan))
        .routes(routes!(record_plan))
        .routes(routes!(revise_plan, plan_revisions))
        .routes(routes!(plan_coverage))
        .routes(routes!(plan_coverage_xlsx))
}
