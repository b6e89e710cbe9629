//! Canonical JSON for hashing: object keys sorted by code point, no white space,
//! integers as written, floats in Rust's shortest round-trip form, strings with
//! `serde_json`'s escaping. Times enter payloads already formatted by [`time`].

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use std::fmt::Write;

/// Renders `value` canonically.
pub fn to_string(value: &Value) -> String {
    let mut out = String::with_capacity(256);
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                let _ = write!(out, "{i}");
            } else if let Some(u) = n.as_u64() {
                let _ = write!(out, "{u}");
            } else if let Some(f) = n.as_f64() {
                let _ = write!(out, "{f}");
            }
        }
        Value::String(s) => out.push_str(&Value::String(s.clone()).to_string()),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                if let Some(v) = map.get(key) {
                    write_value(out, v);
                }
            }
            out.push('}');
        }
    }
}

/// A UTC instant with exactly six fractional digits, as both engines store it.
pub fn time(at: DateTime<Utc>) -> Value {
    Value::String(time_text(at))
}

/// `2026-11-22T07:00:00.000000Z`, written directly (this runs for every audited row).
pub fn time_text(at: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    let mut s = String::with_capacity(27);
    let _ = write!(
        s,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.nanosecond() / 1000 % 1_000_000
    );
    s
}

pub fn opt_date(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Null, |d| Value::String(d.format("%Y-%m-%d").to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_sorted_and_nested() {
        let v = json!({"b": 1, "a": {"d": [1, 2.5, null], "c": "中文\"q"}});
        assert_eq!(to_string(&v), r#"{"a":{"c":"中文\"q","d":[1,2.5,null]},"b":1}"#);
    }

    #[test]
    fn direct_time_text_matches_the_strftime_form() {
        for t in ["2026-11-22T07:00:00Z", "1999-01-02T03:04:05.123456Z", "2030-12-31T23:59:59.999999Z"] {
            let at = DateTime::parse_from_rfc3339(t).map(|t| t.to_utc()).unwrap_or_default();
            assert_eq!(time_text(at), at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string());
        }
    }

    #[test]
    fn times_have_six_digits() {
        let at = DateTime::parse_from_rfc3339("2026-11-22T07:00:00Z").map(|t| t.to_utc());
        assert_eq!(at.map(time).ok(), Some(json!("2026-11-22T07:00:00.000000Z")));
    }
}
