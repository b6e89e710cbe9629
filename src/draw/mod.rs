//! The double-random spot check (双随机一公开), issue 12: random targets, random
//! teams, published results — drawn so anyone can verify the draw.
//!
//! - [`domain`]: the lifecycle, secret holding, team rule, result categories.
//! - [`proof`]: the proof document and building it from a stored draw;
//!   [`hashing`], [`chacha`], [`sampler`], [`teams`], [`verify`]: the algorithm of `SAMPLER.md`, pure
//!   functions with no database, shared by the server and `anjian draw verify`
//!   (the browser verifier is the same document in JavaScript); [`synthetic`]: executed
//!   proofs made up from a few numbers, for benchmarks and tests.
//! - [`service`]: commit and execute; [`pools`] reads the pools, [`strata`] sizes
//!   the strata, [`pool_store`] keeps the frozen pool (in `draw_pools`, encoded by
//!   [`pool_codec`]), [`dispatch`] creates the tasks and inspections, [`approve`]
//!   approves them at once; [`policy`] says who may do what; [`view`] and
//!   [`handlers`] are the API.
//! - [`command`]: `anjian draw verify FILE` and `anjian draw synthetic`, offline.
//! - [`results`], [`publish`], [`public_results`], [`results_xlsx`], [`spot_items`]:
//!   一公开 — each task's result, its publication within the deadline, the export
//!   and the 抽查事项清单.

pub mod approve;
pub mod chacha;
pub mod command;
pub mod dispatch;
pub mod domain;
pub mod handlers;
pub mod hashing;
pub mod inputs;
pub mod json;
pub mod policy;
pub mod pool_codec;
pub mod pool_store;
pub mod pools;
pub mod proof;
pub mod public_results;
pub mod publish;
pub mod results;
mod results_handlers;
pub mod results_list;
pub mod results_xlsx;
pub mod sampler;
pub mod service;
pub mod spot_items;
pub mod strata;
pub mod synthetic;
pub mod teams;
pub mod verify;
pub mod view;

use crate::routes::{ApiRoutes, routes};

/// The algorithm's specification, served on the public site.
pub const SPEC: &str = include_str!("SAMPLER.md");

pub fn routes() -> ApiRoutes {
    use handlers::{
        __path_approve_draw, __path_commit_draw, __path_draw_proof, __path_execute_draw, __path_get_draw,
        __path_list_draws, approve_draw, commit_draw, draw_proof, execute_draw, get_draw, list_draws,
    };
    ApiRoutes::new()
        .routes(routes!(commit_draw, list_draws))
        .routes(routes!(get_draw))
        .routes(routes!(execute_draw))
        .routes(routes!(approve_draw))
        .routes(routes!(draw_proof))
        .merge(results_handlers::routes())
}
