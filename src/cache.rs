//! Caches shared by the modules. Two kinds:
//! - list totals (`COUNT(*)` of a scope's filtered list), which are expensive on
//!   a large register or ledger and asked for on every page. A cache is dropped
//!   after a commit that touched what it counts (see [`crate::write`]), never by a
//!   handler;
//! - [`VersionedCache`]: figures reused while a version read from the database
//!   (row counts and latest changes, by index) is unchanged, so writes by any
//!   process — the CLI's imports too — show at once and nothing expires by time.

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

/// Entries kept by a [`VersionedCache`] before it starts again empty.
const VERSIONED_MAX: usize = 256;

/// Values reused while the database's version of what they read is unchanged and
/// no write in this process touched it (a write in the same instant as the last
/// one, or on a clock held still, leaves the version as it was).
#[derive(Debug)]
pub struct VersionedCache<T> {
    generation: AtomicU64,
    map: Mutex<HashMap<String, (String, std::sync::Arc<T>)>>,
}

impl<T> Default for VersionedCache<T> {
    fn default() -> Self {
        Self { generation: AtomicU64::new(0), map: Mutex::new(HashMap::new()) }
    }
}

impl<T> VersionedCache<T> {
    /// Read before computing a value, handed back to [`Self::put`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The value stored under `key` for exactly this `version`.
    pub fn get(&self, key: &str, version: &str) -> Option<std::sync::Arc<T>> {
        let map = self.map.lock().ok()?;
        map.get(key).filter(|(v, _)| v == version).map(|(_, t)| std::sync::Arc::clone(t))
    }

    /// Keeps a value computed since `generation` was read, unless a write came between.
    pub fn put(&self, key: String, version: String, generation: u64, value: std::sync::Arc<T>) {
        if let Ok(mut map) = self.map.lock() {
            if generation != self.generation() {
                return;
            }
            if map.len() >= VERSIONED_MAX && !map.contains_key(&key) {
                map.clear();
            }
            map.insert(key, (version, value));
        }
    }

    /// Drops every entry (after a commit that touched what they read).
    pub fn invalidate(&self) {
        if let Ok(mut map) = self.map.lock() {
            self.generation.fetch_add(1, Ordering::AcqRel);
            map.clear();
        }
    }
}
