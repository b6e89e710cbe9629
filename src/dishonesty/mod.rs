//! The serious work-safety dishonesty list (安全生产严重失信主体名单, 应急管理部令第11号):
//! the nine situations, the listing period and early removal as data ([`rules`]),
//! proposals from the records ([`scan`]) or by a regulator ([`service`]), the lawful
//! procedure — notice, statement, a decision by an approver who neither proposed nor
//! notified, numbered documents ([`steps`], [`policy`]) — early removal (信用修复),
//! its revocation and expiry ([`removal`]), and the public list ([`view`]).
//!
//! Decisions:
//! - The list is the legal list of 部令11号 only: a listing rests on a penalty
//!   decision or an accident, never on the internal credit signals (insurance
//!   lapses, late reports), which stay off the public site.
//! - Subjects are units of the register, their principal and responsible persons,
//!   and technical-service bodies and their staff (name and credit code typed).

pub mod domain;
mod handlers;
pub mod json;
pub mod policy;
pub mod removal;
pub mod rules;
pub mod scan;
pub mod service;
pub mod steps;
pub mod view;

use crate::routes::{ApiRoutes, routes};

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(handlers::public_dishonesty_list))
        .routes(routes!(handlers::dishonesty_situations))
        .routes(routes!(handlers::scan_dishonesty))
        .routes(routes!(handlers::list_dishonesty_proposals, handlers::propose_dishonesty))
        .routes(routes!(handlers::get_dishonesty_listing))
        .routes(routes!(handlers::take_dishonesty_step))
}
