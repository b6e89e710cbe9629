//! Short-lived, process-local holding of things a page needs again a moment
//! later and that must not be written to the database:
//!
//! - an uploaded roster between the dry run and the confirmed import (the
//!   confirmation re-reads and re-plans these bytes inside the write
//!   transaction, so nothing changed in between can slip through);
//! - the activation codes of an onboarding batch, which exist only in the
//!   response that issued them (only their digests are stored), so the
//!   printable letters and the xlsx list can be fetched after the POST.
//!
//! Each entry is keyed by a random 256-bit id, bound to the user who made it
//! (another user's id is simply not found) and expires 30 minutes after it was
//! made. Each user keeps at most a few entries per kind, and the process a
//! bounded number (uploads may be large: see [`super::Stores`]), oldest dropped
//! first. With several `serve` processes behind
//! a load balancer, the follow-up request must reach the same process (sticky
//! sessions); otherwise the page says the entry has expired and the user starts
//! again — nothing is lost, since nothing was written.

use crate::auth::token;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long an entry lives.
pub const TTL: Duration = Duration::from_mins(30);

struct Entry<T> {
    user_id: i64,
    /// Bytes the entry holds, for the shelf's byte cap.
    weight: usize,
    /// Insertion order, to drop the oldest first.
    seq: u64,
    at: Instant,
    value: Arc<T>,
}

/// A user-bound map with expiry.
pub struct Shelf<T> {
    entries: Mutex<HashMap<String, Entry<T>>>,
    next_seq: AtomicU64,
    /// Entries one user may hold.
    per_user: usize,
    /// Entries in the whole process.
    total: usize,
    /// Bytes the entries of the whole process may hold.
    max_weight: usize,
    weigh: fn(&T) -> usize,
}

impl<T> Shelf<T> {
    pub fn new(per_user: usize, total: usize) -> Self {
        Self::weighed(per_user, total, usize::MAX, |_| 0)
    }

    /// A shelf whose entries together hold at most `max_weight` bytes, as `weigh` counts them.
    pub fn weighed(per_user: usize, total: usize, max_weight: usize, weigh: fn(&T) -> usize) -> Self {
        Self { entries: Mutex::new(HashMap::new()), next_seq: AtomicU64::new(0), per_user, total, max_weight, weigh }
    }

    /// Keeps `value` for `user_id`; returns its id.
    pub fn put(&self, user_id: i64, value: T) -> String {
        let id = token::new_token();
        if let Ok(mut map) = self.entries.lock() {
            map.retain(|_, e| e.at.elapsed() < TTL);
            drop_oldest(&mut map, self.per_user.saturating_sub(1), |e| e.user_id == user_id);
            drop_oldest(&mut map, self.total.saturating_sub(1), |_| true);
            let weight = (self.weigh)(&value);
            while map.values().map(|e| e.weight).sum::<usize>().saturating_add(weight) > self.max_weight
                && !map.is_empty()
            {
                let keep = map.len() - 1;
                drop_oldest(&mut map, keep, |_| true);
            }
            let seq = self.next_seq.fetch_add(1, Ordering::Relaxed);
            map.insert(id.clone(), Entry { user_id, weight, seq, at: Instant::now(), value: Arc::new(value) });
        }
        id
    }

    /// The entry, if it exists, belongs to `user_id` and has not expired.
    pub fn get(&self, id: &str, user_id: i64) -> Option<Arc<T>> {
        let map = self.entries.lock().ok()?;
        let e = map.get(id)?;
        (e.user_id == user_id && e.at.elapsed() < TTL).then(|| Arc::clone(&e.value))
    }

    /// Forgets an entry (after it has been used).
    pub fn remove(&self, id: &str, user_id: i64) {
        if let Ok(mut map) = self.entries.lock()
            && map.get(id).is_some_and(|e| e.user_id == user_id)
        {
            map.remove(id);
        }
    }
}

/// Removes the oldest entries matching `select` until at most `keep` remain.
fn drop_oldest<T>(map: &mut HashMap<String, Entry<T>>, keep: usize, select: impl Fn(&Entry<T>) -> bool) {
    let mut matching: Vec<(u64, String)> =
        map.iter().filter(|(_, e)| select(e)).map(|(k, e)| (e.seq, k.clone())).collect();
    if matching.len() <= keep {
        return;
    }
    matching.sort();
    for (_, k) in matching.iter().take(matching.len() - keep) {
        map.remove(k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_only_found_by_its_owner() {
        let shelf = Shelf::new(3, 10);
        let id = shelf.put(7, "roster");
        assert_eq!(shelf.get(&id, 7).as_deref(), Some(&"roster"));
        assert!(shelf.get(&id, 8).is_none());
        shelf.remove(&id, 8);
        assert!(shelf.get(&id, 7).is_some());
        shelf.remove(&id, 7);
        assert!(shelf.get(&id, 7).is_none());
    }

    #[test]
    fn a_user_keeps_only_the_newest_entries() {
        let shelf = Shelf::new(3, 10);
        let ids: Vec<String> = (0..5).map(|i| shelf.put(1, i)).collect();
        let kept = ids.iter().filter(|id| shelf.get(id, 1).is_some()).count();
        assert_eq!(kept, 3);
        assert!(shelf.get(&ids[4], 1).is_some());
        assert!(shelf.get(&ids[0], 1).is_none());
    }

    #[test]
    fn the_process_keeps_a_bounded_number_of_bytes() {
        let shelf: Shelf<Vec<u8>> = Shelf::weighed(3, 10, 100, Vec::len);
        let ids: Vec<String> = (0..4).map(|u| shelf.put(u, vec![0; 40])).collect();
        let kept: Vec<bool> = ids.iter().zip(0..).map(|(id, u)| shelf.get(id, u).is_some()).collect();
        assert_eq!(kept, [false, false, true, true]);
    }

    #[test]
    fn the_process_keeps_a_bounded_number_of_entries() {
        let shelf = Shelf::new(3, 4);
        let ids: Vec<String> = (0..6).map(|u| shelf.put(u, u)).collect();
        let kept: Vec<bool> = ids.iter().zip(0..).map(|(id, u)| shelf.get(id, u).is_some()).collect();
        assert_eq!(kept, [false, false, true, true, true, true]);
    }
}
