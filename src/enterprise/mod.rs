//! The enterprise register (企业名录库): enterprises with their sectors, sub-types
//! and special topics, supervising bureau (监管主体), status history and
//! licences; Excel import and export; account onboarding for enterprises.

pub mod codes;
pub mod detail;
pub mod domain;
pub mod draft;
pub mod export;
mod handlers;
pub mod import;
pub mod json;
pub mod list;
pub mod onboarding;
pub mod service;
pub mod write;

use crate::state::AppState;
use axum::{
    Router,
    routing::{get, post},
};
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub use handlers::*;

/// List totals cached per scope and filter; any register write in this process
/// bumps the generation, and entries expire after a short time so writes by
/// other processes (CLI import) show up too.
#[derive(Debug, Default)]
pub struct TotalsCache {
    generation: AtomicU64,
    map: Mutex<HashMap<String, (u64, Instant, u64)>>,
}

const TOTALS_TTL: Duration = Duration::from_secs(30);

impl TotalsCache {
    pub fn get(&self, key: &str) -> Option<u64> {
        let generation = self.generation.load(Ordering::Acquire);
        let map = self.map.lock().ok()?;
        let (g, at, total) = map.get(key)?;
        (*g == generation && at.elapsed() < TOTALS_TTL).then_some(*total)
    }

    pub fn put(&self, key: String, total: u64) {
        let generation = self.generation.load(Ordering::Acquire);
        if let Ok(mut map) = self.map.lock() {
            if map.len() > 10_000 {
                map.clear();
            }
            map.insert(key, (generation, Instant::now(), total));
        }
    }

    /// Call after any write to the register.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        if let Ok(mut map) = self.map.lock() {
            map.clear();
        }
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/enterprises", get(handlers::list_enterprises).post(handlers::create_enterprise))
        .route("/api/v1/enterprises/export", get(handlers::export_enterprises))
        .route(
            "/api/v1/enterprises/import",
            post(handlers::import_enterprises).layer(crate::upload::limit(crate::upload::SPREADSHEET)),
        )
        .route("/api/v1/enterprises/accounts", post(handlers::generate_accounts))
        .route("/api/v1/enterprises/{id}", get(handlers::get_enterprise).patch(handlers::update_enterprise))
        .route("/api/v1/enterprises/{id}/licences", post(handlers::add_licence))
}
