//! The one source of time. "As of T" means "pretend now is T"; nothing reads the
//! system clock or a database-side default except through a [`Clock`].

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use std::sync::{Arc, RwLock};

/// Bureau time zone (Asia/Shanghai has no daylight saving: a fixed +08:00).
pub const CHINA_OFFSET_SECONDS: i32 = 8 * 3600;

pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Now, truncated to whole microseconds so that what is stored in SQLite and
    /// PostgreSQL reads back identically.
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in China.
    fn today(&self) -> NaiveDate {
        china_date(self.now())
    }
}

pub fn china_date(at: DateTime<Utc>) -> NaiveDate {
    let offset = chrono::FixedOffset::east_opt(CHINA_OFFSET_SECONDS)
        .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!("zero offset is valid")));
    at.with_timezone(&offset).date_naive()
}

/// Midnight at the start of a Beijing date, as an instant.
pub fn china_day_start(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - chrono::Duration::seconds(i64::from(CHINA_OFFSET_SECONDS))
}

#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now().trunc_subsecs(6)
    }
}

/// A clock fixed at an instant, for "as of" runs and tests.
#[derive(Debug, Clone)]
pub struct FixedClock(Arc<RwLock<DateTime<Utc>>>);

impl FixedClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Arc::new(RwLock::new(at.trunc_subsecs(6))))
    }

    pub fn set(&self, at: DateTime<Utc>) {
        if let Ok(mut guard) = self.0.write() {
            *guard = at.trunc_subsecs(6);
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.read().map_or_else(|e| **e.get_ref(), |g| *g)
    }
}

/// `YYYY-MM-DD HH:MM` in Beijing time (Asia/Shanghai, +08:00).
pub fn beijing(at: DateTime<Utc>) -> String {
    chrono::FixedOffset::east_opt(CHINA_OFFSET_SECONDS).map_or_else(
        || at.format("%Y-%m-%d %H:%M").to_string(),
        |o| at.with_timezone(&o).format("%Y-%m-%d %H:%M").to_string(),
    )
}

pub type SharedClock = Arc<dyn Clock>;

#[cfg(test)]
mod tests {
    #[test]
    fn beijing_time_is_eight_hours_ahead() {
        let t = chrono::DateTime::parse_from_rfc3339("2026-11-22T18:30:00Z").map(|t| t.to_utc()).unwrap_or_default();
        assert_eq!(super::beijing(t), "2026-11-23 02:30");
    }
}
