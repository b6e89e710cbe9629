//! The bad rows of a rejected spreadsheet, bounded: every problem is counted
//! (in total and per error code), but at most [`MAX_LISTED`] are kept and
//! returned — the first ones in row order — and each message and column name
//! is cut to a fixed length, so a file of a million bad rows gets the same few
//! hundred kilobytes of answer as a file of a thousand.

use crate::error::RowError;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

/// Problems listed in a rejection; the rest are counted.
pub const MAX_LISTED: usize = 1_000;
/// Characters kept of a message (values quoted from the file can be long).
const MAX_MESSAGE: usize = 300;
/// Characters kept of a column name (headers come from the file).
const MAX_COLUMN: usize = 100;

/// Collects the problems of one file.
#[derive(Debug, Default)]
pub struct RowErrors {
    kept: Vec<RowError>,
    total: usize,
    by_code: BTreeMap<String, usize>,
}

/// What a rejected file answers: the first problems, how many there are, and how many of each code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Rejection {
    /// The first problems in row order, at most 1,000.
    pub rows: Vec<RowError>,
    /// All problems found.
    pub total: usize,
    /// All problems found, per error code.
    pub by_code: BTreeMap<String, usize>,
}

fn cut(s: &mut String, max: usize) {
    if let Some((at, _)) = s.char_indices().nth(max) {
        s.truncate(at);
        s.push('…');
    }
}

impl RowErrors {
    pub fn push(&mut self, mut e: RowError) {
        self.total += 1;
        match self.by_code.get_mut(&e.code) {
            Some(n) => *n += 1,
            None => {
                self.by_code.insert(e.code.clone(), 1);
            }
        }
        cut(&mut e.message, MAX_MESSAGE);
        cut(&mut e.column, MAX_COLUMN);
        self.kept.push(e);
        if self.kept.len() >= 2 * MAX_LISTED {
            self.prune();
        }
    }

    /// Keeps the first problems by row; within a row, in the order found.
    fn prune(&mut self) {
        self.kept.sort_by_key(|e| e.row);
        self.kept.truncate(MAX_LISTED);
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    pub fn total(&self) -> usize {
        self.total
    }

    pub fn into_rejection(mut self) -> Rejection {
        self.prune();
        Rejection { rows: self.kept, total: self.total, by_code: self.by_code }
    }
}

impl Extend<RowError> for RowErrors {
    fn extend<I: IntoIterator<Item = RowError>>(&mut self, iter: I) {
        for e in iter {
            self.push(e);
        }
    }
}

impl FromIterator<RowError> for RowErrors {
    fn from_iter<I: IntoIterator<Item = RowError>>(iter: I) -> Self {
        let mut out = Self::default();
        out.extend(iter);
        out
    }
}

impl Rejection {
    /// Problems not listed.
    pub fn unlisted(&self) -> usize {
        self.total.saturating_sub(self.rows.len())
    }
}

/// Keys that must be unique within a file, with the first row of each and how
/// often it occurs, so that each repeat is reported once, naming that row.
#[derive(Debug)]
pub struct Seen<K> {
    map: HashMap<K, (u32, usize)>,
}

impl<K> Default for Seen<K> {
    fn default() -> Self {
        Self { map: HashMap::new() }
    }
}

impl<K: Hash + Eq> Seen<K> {
    /// Records `key` at `row`; a repeat returns the row it first appeared at.
    pub fn see(&mut self, key: K, row: u32) -> Option<u32> {
        let (first, count) = self.map.entry(key).or_insert((row, 0));
        *count += 1;
        (*count > 1).then_some(*first)
    }

    /// Keys that occur more than once: (key, first row, occurrences).
    pub fn repeated(&self) -> impl Iterator<Item = (&K, u32, usize)> {
        self.map.iter().filter(|(_, (_, n))| *n > 1).map(|(k, (first, n))| (k, *first, *n))
    }

    pub fn is_repeated(&self, key: &K) -> bool {
        self.map.get(key).is_some_and(|(_, n)| *n > 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(row: u32, code: &str, message: &str) -> RowError {
        RowError { row, column: "列".into(), code: code.into(), message: message.into() }
    }

    #[test]
    fn a_million_problems_keep_the_first_thousand_and_count_all() {
        let mut errors = RowErrors::default();
        for row in (2..1_000_002u32).rev() {
            errors.push(e(row, if row % 2 == 0 { "missing_required" } else { "invalid_number" }, "x"));
        }
        let r = errors.into_rejection();
        assert_eq!(r.rows.len(), MAX_LISTED);
        assert_eq!(r.rows.first().map(|e| e.row), Some(2));
        assert_eq!(r.rows.last().map(|e| e.row), Some(1_001));
        assert_eq!(r.total, 1_000_000);
        assert_eq!(r.by_code.get("missing_required"), Some(&500_000));
        assert_eq!(r.by_code.get("invalid_number"), Some(&500_000));
        assert_eq!(r.unlisted(), 999_000);
    }

    #[test]
    fn a_repeat_names_the_first_row() {
        let mut seen = Seen::default();
        assert_eq!(seen.see("a", 2), None);
        assert_eq!(seen.see("b", 3), None);
        assert_eq!(seen.see("a", 4), Some(2));
        assert_eq!(seen.see("a", 9), Some(2));
        assert!(seen.is_repeated(&"a") && !seen.is_repeated(&"b"));
        assert_eq!(seen.repeated().collect::<Vec<_>>(), [(&"a", 2, 3)]);
    }

    #[test]
    fn long_messages_and_columns_are_cut() {
        let mut long = e(2, "invalid_value", &"值".repeat(10_000));
        long.column = "列".repeat(1_000);
        let r: Rejection = std::iter::once(long).collect::<RowErrors>().into_rejection();
        assert_eq!(r.rows[0].message.chars().count(), MAX_MESSAGE + 1);
        assert!(r.rows[0].message.ends_with('…'));
        assert_eq!(r.rows[0].column.chars().count(), MAX_COLUMN + 1);
    }
}
