//! Inspections' governance (国办发〔2024〕54号), issue 11 items 4–5: creating an
//! inspection with its team (≥ 2 certified inspectors, experts alongside), the
//! approval before the visit, the enterprise's yearly cap with its second, recorded
//! approval, the list and detail, and the 执法文书 numbers reserved at approval.
//!
//! - `service`: create, approve, approve over the cap, reject, cancel; `get_visible`;
//! - `team`: the team check and the members; `policy`: who may do what now;
//! - `cap`: classes and caps (`data/inspection-caps.toml`), the yearly count;
//! - `documents`, `document_steps`, `templates`: numbers, service, voiding, titles;
//! - `list`, `view`, `json`, `handlers`: the API.
//!
//! Decisions where the issue is silent:
//! - The inspection belongs to its creator's bureau (scope, numbers, approvals); the
//!   creator is a regulator or an inspector of a bureau whose scope covers the
//!   enterprise; the team comes from that bureau or the bureaus below it.
//! - The enterprise sees its inspections only once the team is on site (in progress
//!   or completed), so an unannounced visit (四不两直) stays unannounced.
//! - The planned date may not be in the past; the cap year is the planned date's year.
//! - Over the cap: the second approval comes first (`approve_over_cap`, with a reason),
//!   then the normal approval by another approver; `approved` means every approval it
//!   needs is on record. The cap is re-checked at approval, so two pending inspections
//!   cannot both slip under it.
//! - The cancel reason is kept in `rejected_reason` (why it did not take place).
//! - Room for the next issues: `draw_id` (double-random) is returned in lists and the
//!   detail; every step is a separate POST with an `Idempotency-Key` for the tablet app.

pub mod cap;
pub mod document_steps;
pub mod documents;
pub mod handlers;
pub mod json;
pub mod list;
pub mod policy;
pub mod service;
pub mod team;
pub mod templates;
pub mod view;

use crate::routes::{ApiRoutes, routes};

pub fn routes() -> ApiRoutes {
    use handlers::{
        __path_approve_inspection, __path_approve_over_cap, __path_cancel_inspection, __path_create_inspection,
        __path_get_inspection, __path_list_inspections, __path_reject_inspection, __path_serve_document,
        __path_void_document, approve_inspection, approve_over_cap, cancel_inspection, create_inspection,
        get_inspection, list_inspections, reject_inspection, serve_document, void_document,
    };
    ApiRoutes::new()
        .routes(routes!(create_inspection, list_inspections))
        .routes(routes!(get_inspection))
        .routes(routes!(approve_inspection))
        .routes(routes!(approve_over_cap))
        .routes(routes!(reject_inspection))
        .routes(routes!(cancel_inspection))
        .routes(routes!(serve_document))
        .routes(routes!(void_document))
}
