//! Inspections (执法检查, issue 11): created with their team and checklists,
//! approved (and, over the enterprise's yearly cap, approved again) before the
//! visit, recorded on site item by item, completed into the ledger, and followed
//! up by re-inspection (复查).
//!
//! - `domain`: kinds, lifecycle, team roles, item outcomes, document types;
//! - `governance`: creating, approving, the yearly cap, the list and detail, and
//!   the 执法文书 numbers reserved at approval;
//! - `record`: the on-site record (items, findings, on-site measures, media,
//!   signatures, service), completion into the ledger, and re-inspection.

pub mod domain;
pub mod governance;
pub mod record;

use crate::routes::ApiRoutes;

pub fn routes() -> ApiRoutes {
    governance::routes().merge(record::routes())
}
