//! Internal credit (监管风险信号): a supervision-risk score per enterprise, shown to
//! regulators and to the enterprise as its own breakdown, never on the public site
//! and never a 失信 mark (that is the serious-dishonesty list, with its legal basis).
//!
//! - The event log ([`collect`]): facts taken from the records — overdue major
//!   hazards, accidents, penalty decisions (and refused inspections), late
//!   statistics, repeat findings; and positive ones — standardisation grades,
//!   self-reported hazards closed. One event per fact; revoked decisions and upheld
//!   contests void an event, nothing is deleted.
//! - The score ([`domain::score`]) is a pure function of the events, one rule version
//!   (`data/credit-rules.toml`, [`rules`]) and the day; stored for lists
//!   ([`recompute`]) and checked against a recomputation by `anjian credit recompute
//!   --check`.
//! - Versions are previewed and adopted ([`adopt`]).
//! - Decision: the score does **not** change the supervision class (the risk
//!   issue's grading); a regulator who finds a high score warrants it may set the
//!   class by decision, with a reason (`POST /api/v1/enterprises/{id}/grading/override`).
//!   That is the one documented path from score to class.

pub mod adopt;
pub mod collect;
mod collect_insurance;
pub mod domain;
mod handlers;
pub mod json;
pub mod recompute;
pub mod rules;
pub mod service;

pub use handlers::required_text;

use crate::routes::{ApiRoutes, routes};

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(handlers::enterprise_credit))
        .routes(routes!(handlers::credit_scores))
        .routes(routes!(handlers::credit_recompute))
        .routes(routes!(handlers::credit_rules))
        .routes(routes!(handlers::credit_preview))
        .routes(routes!(handlers::credit_adopt))
        .routes(routes!(handlers::contest_event))
        .routes(routes!(handlers::resolve_event))
}
