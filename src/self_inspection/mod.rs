//! Enterprise self-inspection (隐患排查), issue 11 item 2: plans by the 78号
//! guide's types with frequencies, tasks with an assignee and a due date, one
//! result per pinned checklist item kept even when nothing is found (无隐患也留痕),
//! 不符合 items into the ledger as self-found hazards, and the regulators'
//! completion overview with the zero-findings warning.
//!
//! Decisions where the issue is silent:
//! - **Defaults** of the frequency per type and organisational level (公司级,
//!   基层单位级, 车间级, 岗位级) are data (`data/self-inspection.toml`, replaceable
//!   through `ANJIAN_SELF_INSPECTION_CONFIG`); where the guide's §6.2 is silent or
//!   unverified the file says so. A plan may choose any frequency; `as_needed`
//!   plans (节假日前, 事故类比, 复产复工前) generate nothing by period: their tasks
//!   are made ad hoc.
//! - **Items are pinned when a task is made**: one result row per applicable item
//!   (or the plan's chosen subset), with the item's text, basis, severity and the
//!   checklist version's hash, 未检查 until recorded. A later checklist version or
//!   a change of the enterprise's sector does not change a task already made.
//! - **Completion does not require every item to be checked**: an item never
//!   recorded stays 未检查 in the record and in the counts (the summary says how
//!   many); refusing would push people to tick 符合 unseen. A completed task is
//!   final (409 `task_completed`).
//! - A **不符合 item becomes a hazard** through `hazard::service::create` (source
//!   `self_check`, category 管理缺陷, level from the item's severity, the item's
//!   basis as 判定依据 in the description, `checklist_item_code`, its photos) and
//!   the hazard is linked to the task (`self_inspection_task_id`), all in the
//!   completion's transaction; photos may be attached to 不符合 items only.
//! - **Who**: see [`policy`]. Assignees are users linked to the enterprise.
//! - **Scope** follows the enterprise's supervising bureau when the plan or task
//!   was made (stored on the row, like hazards' `bureau_id`).
//! - **Overdue**: open and due before today (Beijing); shown as 已逾期. The
//!   assignee's to-do is written when the task is made, with the due date, and
//!   done at completion.

mod audit;
pub mod config;
pub mod domain;
pub mod generate;
mod handlers;
pub mod json;
pub mod list;
pub mod overview;
pub mod plans;
pub mod policy;
pub mod results;
pub mod stats;
pub mod tasks;

use crate::routes::{ApiRoutes, routes};

pub use handlers::*;

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(create_plan, list_plans))
        .routes(routes!(get_plan, update_plan))
        .routes(routes!(create_task, list_tasks))
        .routes(routes!(get_task))
        .routes(routes!(record_results))
        .routes(routes!(complete_task))
        .routes(routes!(self_inspection_overview))
}
