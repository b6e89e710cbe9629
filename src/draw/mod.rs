//! The double-random spot check (双随机一公开), issue 12: random targets, random
//! teams, published results — drawn so anyone can verify the draw.
//!
//! - [`domain`]: the lifecycle, secret holding, team rule, result categories.
//! - [`proof`]: the proof document and building it from a stored draw;
//!   [`hashing`], [`chacha`], [`sampler`], [`teams`], [`verify`]: the algorithm of `SAMPLER.md`, pure
//!   functions with no database, shared by the server and `anjian draw verify`
//!   (the browser verifier is the same document in JavaScript); [`synthetic`]: executed
//!   proofs made up from a few numbers, for benchmarks and tests.
//! - [`service`]: commit and execute.
//! - [`command`]: `anjian draw verify FILE` and `anjian draw synthetic`, offline.
//! - [`results`], [`publish`], [`public_results`], [`results_xlsx`], [`spot_items`]:
//!   一公开 — each task's result, its publication within the deadline, the export
//!   and the 抽查事项清单.

pub mod chacha;
pub mod command;
pub mod domain;
pub mod hashing;
pub mod inputs;
pub mod json;
pub mod proof;
pub mod public_results;
pub mod publish;
pub mod results;
mod results_handlers;
pub mod results_list;
pub mod results_xlsx;
pub mod sampler;
pub mod service;
pub mod synthetic;
pub mod teams;
pub mod spot_items;
pub mod verify;

use crate::routes::ApiRoutes;

/// The algorithm's specification, served on the public site.
pub const SPEC: &str = include_str!("SAMPLER.md");

pub fn routes() -> ApiRoutes {
    ApiRoutes::new().merge(results_handlers::routes())
}
