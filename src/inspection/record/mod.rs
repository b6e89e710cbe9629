//! The on-site record of an inspection (issue 11, items 4–6): starting on site,
//! each applicable item's outcome, findings, on-site measures (WSL art. 65), the
//! 执法全过程记录 media, the signatures (WSL art. 68), completion into the ledger
//! with the 执法文书, and re-inspection (复查).
//!
//! - `access`: who reads (anyone who sees the inspection) and who writes (the
//!   team's inspectors, 403 otherwise; 409 on the wrong status);
//! - `domain`: signers, measures, what completion requires;
//! - `service` (start, media), `results` (the items' outcomes and their conflicts), `findings` (findings, measures),
//!   `signatures`, `complete`, `reinspect`: the use cases, each on a `Tx`;
//! - `view`, `json`, `handlers`: the API; `sheets`: the documents' bodies;
//!   `offline`: the packet a team's tablet downloads before going on site.
//!
//! Decisions where the issue is silent are in each use case's doc comment.

pub mod access;
mod audit;
pub mod complete;
pub mod domain;
pub mod findings;
mod handlers;
pub mod items;
pub mod json;
pub mod offline;
pub mod papers;
pub mod reinspect;
pub mod results;
pub mod service;
pub mod sheets;
pub mod signatures;
pub mod view;

pub use handlers::*;

use crate::routes::{ApiRoutes, routes};

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(get_record))
        .routes(routes!(offline_packet))
        .routes(routes!(start_inspection))
        .routes(routes!(save_results))
        .routes(routes!(resolve_conflict))
        .routes(routes!(create_finding))
        .routes(routes!(update_finding, delete_finding))
        .routes(routes!(create_measure))
        .routes(routes!(create_signature))
        .routes(routes!(add_media))
        .routes(routes!(complete_inspection))
        .routes(routes!(create_reinspection))
        .routes(routes!(record_verdicts))
}
