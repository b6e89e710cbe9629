//! Caches shared by the modules. Today one kind: list totals (`COUNT(*)` of a
//! scope's filtered list), which are expensive on a large register or ledger
//! and asked for on every page. A cache is dropped after a commit that touched
//! what it counts (see [`crate::write`]), never by a handler.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// List totals cached per scope and filter; any write in this process to what it
/// counts bumps the generation, and entries expire after a short time so writes by
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

    /// Drops every entry (after a commit that touched what it counts).
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        if let Ok(mut map) = self.map.lock() {
            map.clear();
        }
    }
}
