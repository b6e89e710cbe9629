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
//! - Every version is a row of `checklist_versions` (see [`store`]), never
//!   deleted. The shipped national checklists are registered when the schema is
//!   brought up to date (`Db::migrate`, under the migration lock; insert-if-unknown
//!   on the unique hash), so every pinned hash stays resolvable after an upgrade;
//!   an earlier national version is then `superseded`. [`by_hash`] also answers
//!   the shipped ones from memory, so it works on a database not yet registered.
//! - **Bureau checklists** belong to the authoring bureau and are written by its
//!   regulators (upload or the page form; the same use case, [`service::create`]).
//!   A checklist is `(bureau, id)`: a new upload with the same `id` is a new
//!   version (`seq` 1, 2, …), the previous one `superseded`; the same content again
//!   is the current version (nothing stored); an earlier version's content again
//!   becomes current once more. Retiring marks the current version `retired`;
//!   uploading again brings the checklist back.
//! - A bureau checklist's `id` must not be a national one; its codes must not be
//!   national codes nor codes of another current checklist of a bureau above or
//!   below the author (whose enterprises would see both). Bureaus side by side may
//!   reuse codes: no enterprise sees both.
//! - **Which apply** ([`applicable_items`]): every shipped (current national)
//!   checklist, then the current versions of the enterprise's supervising bureau
//!   and every bureau above it (its `path`), ordered from the top bureau down.
//! - **Who sees** (list, a version by hash): everyone the national ones; a bureau
//!   user the checklists of its own bureau, those above it (which apply to its
//!   enterprises) and those below it (which it supervises); an enterprise user
//!   those above its enterprises. Otherwise 404.
//! - Uploads are `.xlsx` only (two named sheets, 检查表信息 and 检查项; the reader
//!   keeps the memory budget of [`import::LIMITS`]); 已核实 left empty means 否.
//!   Sub-types whose name repeats across sectors (生产) must name the sector
//!   (危险化学品生产) unless the row lists exactly one sector.
//! - Parsed bodies are cached by hash ([`store::parse`]): content never changes.

pub mod handlers;
pub mod import;
pub mod json;
pub mod list;
pub mod model;
pub mod rows;
pub mod service;
pub mod shipped;
pub mod store;
pub mod template;

pub use model::{Applicability, ApplicableItem, Checklist, Item, Section, Severity, VersionStatus};

use crate::entities::{checklist_version as version, enterprise};
use crate::error::AppResult;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::sync::{Arc, LazyLock};

static SHIPPED_HASHES: LazyLock<Vec<String>> = LazyLock::new(|| shipped::all().iter().map(Checklist::hash).collect());

/// The shipped checklists with their hashes (computed once).
pub fn national() -> impl Iterator<Item = (&'static Checklist, &'static str)> {
    shipped::all().iter().zip(SHIPPED_HASHES.iter().map(String::as_str))
}

/// The items of every checklist in force for `e` that apply to it, in checklist
/// and section order: the national ones, then its bureaus' from the top down.
pub async fn applicable_items<C: ConnectionTrait>(db: &C, e: &enterprise::Model) -> AppResult<Vec<ApplicableItem>> {
    let bureau = bureau_lists(db, e).await?;
    let mut lists: Vec<(&Checklist, &str)> = national().collect();
    lists.extend(bureau.iter().map(|(c, h)| (c.as_ref(), h.as_str())));
    Ok(model::applicable_hashed(lists, e))
}

/// The bureaus' checklists in force for `e` (after the national ones), from the top
/// down, with their hashes: the same for every enterprise of the same supervising
/// bureau, so a caller handling many enterprises loads them once per bureau.
pub async fn bureau_lists<C: ConnectionTrait>(
    db: &C,
    e: &enterprise::Model,
) -> AppResult<Vec<(Arc<Checklist>, String)>> {
    let chain = store::chain_of_enterprise(db, e).await?;
    let rows = store::current_of(db, &chain).await?;
    let mut bureau: Vec<(usize, Arc<Checklist>, String)> = Vec::with_capacity(rows.len());
    for r in &rows {
        let depth = r.bureau_id.and_then(|b| chain.iter().position(|c| *c == b)).unwrap_or(usize::MAX);
        bureau.push((depth, store::parse(r)?, r.content_hash.clone()));
    }
    bureau.sort_by_key(|(depth, ..)| *depth);
    Ok(bureau.into_iter().map(|(_, c, h)| (c, h)).collect())
}

/// The checklist version with `hash`, if this server knows it (national or a bureau's, current or not).
pub async fn by_hash<C: ConnectionTrait>(db: &C, hash: &str) -> AppResult<Option<Checklist>> {
    if let Some((c, _)) = national().find(|(_, h)| *h == hash) {
        return Ok(Some(c.clone()));
    }
    let row = version::Entity::find().filter(version::Column::ContentHash.eq(hash)).one(db).await?;
    row.map(|r| store::parse(&r).map(|c| (*c).clone())).transpose()
}

pub use handlers::routes;
