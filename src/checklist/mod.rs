//! Inspection checklists (检查表): the national ones shipped as TOML in
//! `checklists/` and embedded in the binary, and the bureaus' own.
//!
//! A checklist is a header (`id`, `title`, issuing document and number, effective
//! date, `version`) and sections of items; each item has a stable `code`, its
//! Chinese `text`, legal `basis`, the `severity` of a failure, the `penalty_basis`,
//! its applicability (sectors, sub-types, special topics; an empty list means
//! "any") and whether its wording is `verified` against the official text.
//!
//! Decisions:
//! - A version is identified by its **content hash**: SHA-256 of the canonical JSON
//!   of the parsed checklist (so reformatting a TOML file, or the same content
//!   uploaded as xlsx, is the same version). Inspections and self-inspections pin
//!   the hashes they used; a pinned version is never deleted.
//! - An item applies to an enterprise when each of its non-empty lists matches:
//!   the enterprise's sector is listed, one of its sub-types is listed, one of its
//!   special topics is listed.

pub mod model;
pub mod shipped;

pub use model::{Applicability, ApplicableItem, Checklist, Item, Section, Severity};

use crate::entities::enterprise;
use crate::error::AppResult;
use sea_orm::ConnectionTrait;

#[allow(clippy::unused_async)]
/// The items of every checklist in force for `e` that apply to it, in checklist
/// and section order.
pub async fn applicable_items<C: ConnectionTrait>(_db: &C, e: &enterprise::Model) -> AppResult<Vec<ApplicableItem>> {
    Ok(model::applicable(shipped::all(), e))
}

#[allow(clippy::unused_async)]
/// The checklist version with `hash`, if this server knows it.
pub async fn by_hash<C: ConnectionTrait>(_db: &C, hash: &str) -> AppResult<Option<Checklist>> {
    Ok(shipped::all().iter().find(|c| c.hash() == hash).cloned())
}

pub fn routes() -> crate::routes::ApiRoutes {
    crate::routes::ApiRoutes::new()
}
