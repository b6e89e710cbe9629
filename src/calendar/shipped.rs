//! The shipped holiday table, `data/holidays.tsv`, embedded in the binary; a
//! `holidays.tsv` in `ANJIAN_DATA_DIR` replaces it. One line per exceptional
//! date: `YYYY-MM-DD<TAB>休|班<TAB>name`; `#` starts a comment line.

use super::domain::{Calendar, DayKind, Exception};
use chrono::NaiveDate;
use std::sync::LazyLock;

static SHIPPED: &str = include_str!("../../data/holidays.tsv");

static TABLE: LazyLock<Calendar> = LazyLock::new(|| {
    let local = std::env::var_os("ANJIAN_DATA_DIR")
        .map(|d| std::path::PathBuf::from(d).join("holidays.tsv"))
        .and_then(|p| std::fs::read_to_string(p).ok());
    let (entries, bad) = parse(local.as_deref().unwrap_or(SHIPPED));
    for line in bad {
        tracing::warn!(line, "holidays.tsv: line ignored (expected YYYY-MM-DD<TAB>休|班<TAB>name)");
    }
    Calendar::new(entries)
});

/// The shipped calendar (or the `ANJIAN_DATA_DIR` one), read once per process.
pub fn table() -> &'static Calendar {
    &TABLE
}

/// The entries of a holiday table and the numbers of the lines that are not entries.
pub fn parse(text: &str) -> (Vec<(NaiveDate, Exception)>, Vec<usize>) {
    let mut entries = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_line(line) {
            Some(entry) => entries.push(entry),
            None => bad.push(i + 1),
        }
    }
    (entries, bad)
}

fn parse_line(line: &str) -> Option<(NaiveDate, Exception)> {
    let mut cols = line.split('\t').map(str::trim);
    let day = NaiveDate::parse_from_str(cols.next()?, "%Y-%m-%d").ok()?;
    let kind = match cols.next()? {
        "休" => DayKind::Off,
        "班" => DayKind::Work,
        _ => return None,
    };
    let name = cols.next().filter(|n| !n.is_empty()).map(str::to_owned);
    Some((day, Exception { kind, name }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::Datelike;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn shipped() -> Calendar {
        let (entries, bad) = parse(SHIPPED);
        assert!(bad.is_empty(), "bad lines in data/holidays.tsv: {bad:?}");
        Calendar::new(entries)
    }

    #[test]
    fn the_shipped_table_reads_cleanly_and_covers_2024_to_2026() {
        let cal = shipped();
        assert_eq!(cal.covered_until(), Some(d("2026-12-31")));
        let count =
            |year: i32, kind: DayKind| cal.exceptions().filter(|(day, e)| day.year() == year && e.kind == kind).count();
        // The counts the State Council notices give (weekends inside a block included).
        assert_eq!((count(2024, DayKind::Off), count(2024, DayKind::Work)), (28, 8));
        assert_eq!((count(2025, DayKind::Off), count(2025, DayKind::Work)), (28, 5));
        assert_eq!((count(2026, DayKind::Off), count(2026, DayKind::Work)), (33, 6));
        assert!(SHIPPED.starts_with('#'), "the table names its sources");
    }

    #[test]
    fn every_swapped_working_day_is_a_weekend() {
        for (day, e) in shipped().exceptions().filter(|(_, e)| e.kind == DayKind::Work) {
            assert!(day.weekday().number_from_monday() >= 6, "{day} {e:?}");
        }
    }

    #[test]
    fn known_dates() {
        let cal = shipped();
        let working = |s: &str| cal.is_working_day(d(s));
        assert!(working("2025-01-26"), "2025 春节 调休上班 (Sunday)");
        assert!(working("2025-02-08"), "2025 春节 调休上班 (Saturday)");
        assert!(!working("2025-01-28"), "2025 除夕");
        assert!(!working("2025-10-01"));
        assert!(!working("2025-10-08"));
        assert!(working("2025-09-28") && working("2025-10-11"));
        assert!(working("2024-02-09"), "2024 除夕 is not a holiday");
        assert!(!working("2026-02-16"), "2026 除夕 (腊月二十九)");
        assert!(!working("2026-02-20") && !working("2026-02-23"), "2026 春节 补休");
        assert!(working("2026-02-14") && working("2026-02-28"), "2026 春节 调休上班");
        assert!(working("2026-02-24"), "first day back");
        assert!(working("2026-01-04") && !working("2026-01-02"), "2026 元旦");
        assert!(working("2026-10-10") && !working("2026-10-07"), "2026 国庆");
        assert_eq!(cal.exception(d("2026-09-25")).and_then(|e| e.name.as_deref()), Some("中秋节"));
    }

    #[test]
    fn comments_blank_and_bad_lines() {
        let (entries, bad) =
            parse("# header\n\n2027-01-01\t休\t元旦\r\n2027-13-01\t休\tx\n2027-01-02\t假\n2027-02-07\t班\n");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].1, Exception { kind: DayKind::Work, name: None });
        assert_eq!(bad, vec![4, 5]);
    }
}
