//! Cell values as the importers see them: conversions from Excel's stored forms
//! (serial numbers in date formats, ISO dates, durations, calamine's values for
//! `.xls`) and the text dates clerks type.

use super::read::Cell;
use calamine::{Data, ExcelDateTime};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// Serial number of 9999-12-31 + 1 in the 1900 date system (Excel's upper bound).
const MAX_EXCEL_SERIAL: f64 = 2_958_466.0;

/// Text as a cell: whitespace-only text is empty.
pub fn text_cell(s: String) -> Cell {
    if s.chars().all(char::is_whitespace) { Cell::Empty } else { Cell::Text(s) }
}

#[allow(clippy::cast_precision_loss)]
pub fn to_cell(data: Data) -> Cell {
    match data {
        Data::String(s) | Data::DurationIso(s) => text_cell(s),
        Data::DateTimeIso(s) => iso_cell(s),
        Data::Int(i) => Cell::Number(i as f64),
        Data::Float(f) => Cell::Number(f),
        Data::Bool(b) => Cell::Bool(b),
        Data::DateTime(dt) => excel_datetime_cell(dt),
        Data::Error(e) => Cell::Text(e.to_string()),
        Data::Empty => Cell::Empty,
    }
}

/// Converts a date/time-formatted serial number with calamine's own conversion
/// (`to_ymd_hms_milli`: Excel's 1900 leap-year bug, 1900 and 1904 date systems).
pub fn excel_datetime_cell(dt: ExcelDateTime) -> Cell {
    let serial = dt.as_f64();
    if dt.is_duration() {
        return Cell::Text(format_duration(serial));
    }
    if !(0.0..MAX_EXCEL_SERIAL).contains(&serial) {
        return Cell::Number(serial); // Excel shows "#####"; keep the raw value
    }
    let (year, month, day, hour, min, sec, milli) = dt.to_ymd_hms_milli();
    let time = NaiveTime::from_hms_milli_opt(hour.into(), min.into(), sec.into(), milli.into());
    match (NaiveDate::from_ymd_opt(year.into(), month.into(), day.into()), time) {
        (_, Some(time)) if serial < 1.0 => Cell::Text(time.format("%H:%M:%S").to_string()),
        (Some(date), Some(NaiveTime::MIN)) => Cell::Date(date),
        (Some(date), Some(time)) => Cell::DateTime(date.and_time(time)),
        _ => Cell::Number(serial), // e.g. 1900-02-29, which only exists in Excel
    }
}

/// Parses the ISO 8601 value of a `t="d"` cell.
pub fn iso_cell(s: String) -> Cell {
    let t = s.trim();
    if let Ok(date) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Cell::Date(date);
    }
    match NaiveDateTime::parse_from_str(t.trim_end_matches('Z'), "%Y-%m-%dT%H:%M:%S%.f") {
        Ok(dt) if dt.time() == NaiveTime::MIN => Cell::Date(dt.date()),
        Ok(dt) => Cell::DateTime(dt),
        Err(_) if t.is_empty() => Cell::Empty,
        Err(_) => Cell::Text(s),
    }
}

/// Renders a duration in days like Excel's `[h]:mm:ss`.
#[allow(clippy::cast_possible_truncation)]
fn format_duration(days: f64) -> String {
    let ms = (days * 86_400_000.0).round() as i64; // `as` saturates, never panics
    let sign = if ms < 0 { "-" } else { "" };
    let secs = ms.unsigned_abs() / 1000;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    format!("{sign}{h}:{m:02}:{s:02}")
}

/// Parses "2027-06-30", "2027/6/30", "2027.6.30" or "2027年6月30日".
pub fn parse_text_date(s: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = if let Some(rest) = s.strip_suffix('日') {
        let (y, rest) = rest.split_once('年')?;
        let (m, d) = rest.split_once('月')?;
        vec![y.trim(), m.trim(), d.trim()]
    } else {
        let sep = s.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
        s.split(sep).collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let digits = |p: &str, max: usize| (1..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if y.len() != 4 || !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}
