//! Failed-login limiter: per username and per client address, in this process.
//! Several `serve` processes each keep their own window (documented in README).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const WINDOW: Duration = Duration::from_mins(15);
pub const MAX_PER_USERNAME: u32 = 5;
pub const MAX_PER_ADDRESS: u32 = 30;

#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, (Instant, u32)>>,
}

impl LoginLimiter {
    fn count(&self, key: &str) -> u32 {
        let now = Instant::now();
        self.failures.lock().map_or(0, |mut map| {
            map.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
            map.get(key).map_or(0, |(_, n)| *n)
        })
    }

    pub fn blocked(&self, username: &str, address: &str) -> bool {
        self.count(&format!("u:{username}")) >= MAX_PER_USERNAME
            || self.count(&format!("a:{address}")) >= MAX_PER_ADDRESS
    }

    pub fn fail(&self, username: &str, address: &str) {
        if let Ok(mut map) = self.failures.lock() {
            let now = Instant::now();
            for key in [format!("u:{username}"), format!("a:{address}")] {
                map.entry(key).or_insert((now, 0)).1 += 1;
            }
        }
    }

    pub fn address_blocked(&self, address: &str) -> bool {
        self.count(&format!("a:{address}")) >= MAX_PER_ADDRESS
    }

    pub fn fail_address(&self, address: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.entry(format!("a:{address}")).or_insert((Instant::now(), 0)).1 += 1;
        }
    }

    pub fn succeed(&self, username: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&format!("u:{username}"));
        }
    }
}
