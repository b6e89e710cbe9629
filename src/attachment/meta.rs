//! What the capturing device says about a file: the SHA-256 it computed (the
//! server refuses a file that does not match it), when it was taken, where
//! (latitude/longitude in WGS-84 with the accuracy in metres, or an explicit
//! "position unavailable"), and the device. Every problem is listed at once.

use crate::error::{AppError, FieldErrors};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use std::collections::HashMap;

/// Characters of a device description.
pub const DEVICE: usize = crate::limits::NAME;
/// Hex digits of a SHA-256.
pub const SHA256_HEX: usize = 64;
/// The largest position accuracy accepted, in metres (a cell-tower fix).
pub const MAX_ACCURACY_M: f64 = 100_000.0;
/// How far ahead of the server clock a capture time may be (tablets drift).
const CLOCK_SKEW: Duration = Duration::minutes(5);

/// Capture metadata of one file, as sent by the client.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct Capture {
    /// SHA-256 the client computed at capture (64 hex digits); a file that does not
    /// match it is refused with 422 `hash_mismatch`.
    #[schema(max_length = 64)]
    pub sha256: Option<String>,
    /// When the photo or recording was taken.
    pub captured_at: Option<DateTime<Utc>>,
    /// WGS-84 latitude, −90 to 90; with `longitude`.
    pub latitude: Option<f64>,
    /// WGS-84 longitude, −180 to 180; with `latitude`.
    pub longitude: Option<f64>,
    /// Accuracy of the position in metres, 0 to 100,000; only with a position.
    pub accuracy_m: Option<f64>,
    /// The device had no position fix; then no coordinates may be given.
    #[serde(default)]
    pub position_unavailable: bool,
    /// The capturing device (e.g. 执法记录仪 model and number), at most 200 characters.
    #[schema(max_length = 200)]
    pub device: Option<String>,
    /// A photo resized on the device: the SHA-256 of the original it keeps (64 hex digits).
    #[schema(max_length = 64)]
    pub original_sha256: Option<String>,
}

fn push(fields: &mut FieldErrors, field: &str, message: impl Into<String>) {
    fields.entry(field.to_owned()).or_default().push(message.into());
}

impl Capture {
    /// Every problem, per field; empty when the metadata is good.
    pub fn check(&self, now: DateTime<Utc>) -> FieldErrors {
        let mut fields = FieldErrors::new();
        for (field, value) in [("sha256", &self.sha256), ("original_sha256", &self.original_sha256)] {
            if value.as_ref().is_some_and(|s| s.len() != SHA256_HEX || !s.bytes().all(|b| b.is_ascii_hexdigit())) {
                push(&mut fields, field, "SHA-256 须为 64 位十六进制数字");
            }
        }
        if self.captured_at.is_some_and(|t| t > now + CLOCK_SKEW) {
            push(&mut fields, "captured_at", "拍摄时间晚于当前时间");
        }
        self.check_position(&mut fields);
        crate::limits::check(&mut fields, "device", "设备", self.device.as_deref(), DEVICE);
        fields
    }

    fn check_position(&self, fields: &mut FieldErrors) {
        let bad = |v: Option<f64>, max: f64| v.is_some_and(|v| !v.is_finite() || v.abs() > max);
        if bad(self.latitude, 90.0) {
            push(fields, "latitude", "纬度须在 -90 到 90 之间");
        }
        if bad(self.longitude, 180.0) {
            push(fields, "longitude", "经度须在 -180 到 180 之间");
        }
        if self.accuracy_m.is_some_and(|a| !a.is_finite() || !(0.0..=MAX_ACCURACY_M).contains(&a)) {
            push(fields, "accuracy_m", "定位精度须在 0 到 100000 米之间");
        }
        let has_position = self.latitude.is_some() || self.longitude.is_some();
        if self.position_unavailable && (has_position || self.accuracy_m.is_some()) {
            push(fields, "position_unavailable", "已声明无定位，不能同时填写经纬度");
        } else if self.latitude.is_some() != self.longitude.is_some() {
            let missing = if self.latitude.is_none() { "latitude" } else { "longitude" };
            push(fields, missing, "经度和纬度须同时填写");
        } else if !has_position && self.accuracy_m.is_some() {
            push(fields, "accuracy_m", "定位精度须与经纬度一同填写");
        }
    }

    /// The declared hash of the original, lower-case.
    pub fn original(&self) -> Option<String> {
        self.original_sha256.as_ref().map(|s| s.to_ascii_lowercase())
    }

    /// The declared hash, lower-case.
    pub fn declared_sha256(&self) -> Option<String> {
        self.sha256.as_ref().map(|s| s.to_ascii_lowercase())
    }

    /// Reads the metadata from the text fields of a multipart form; a value
    /// that does not parse is reported under its field.
    pub fn from_form(form: &HashMap<String, String>, fields: &mut FieldErrors) -> Self {
        let text = |k: &str| form.get(k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let mut number = |k: &str| match text(k).map(|v| v.parse::<f64>()) {
            Some(Ok(v)) => Some(v),
            Some(Err(_)) => {
                push(fields, k, "须为数字");
                None
            }
            None => None,
        };
        let (latitude, longitude, accuracy_m) = (number("latitude"), number("longitude"), number("accuracy_m"));
        let captured_at = match text("captured_at").map(|v| DateTime::parse_from_rfc3339(&v)) {
            Some(Ok(t)) => Some(t.to_utc()),
            Some(Err(_)) => {
                push(fields, "captured_at", "须为 RFC 3339 时间，如 2026-11-21T08:00:00+08:00");
                None
            }
            None => None,
        };
        let position_unavailable = match text("position_unavailable").as_deref() {
            None | Some("false") => false,
            Some("true") => true,
            Some(_) => {
                push(fields, "position_unavailable", "须为 true 或 false");
                false
            }
        };
        Self {
            sha256: text("sha256"),
            captured_at,
            latitude,
            longitude,
            accuracy_m,
            position_unavailable,
            device: text("device"),
            original_sha256: text("original_sha256"),
        }
    }
}

/// A file whose hash differs from the one its client declared: 422 `hash_mismatch`.
pub fn hash_mismatch(declared: &str, actual: &str) -> AppError {
    AppError::unprocessable(
        "hash_mismatch",
        format!("文件的 SHA-256（{actual}）与声明的（{declared}）不一致，文件可能在传输中损坏，未保存"),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::Capture;
    use chrono::{TimeZone, Utc};

    #[test]
    fn every_problem_is_listed_at_once() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 2, 0, 0).unwrap();
        let bad = Capture {
            sha256: Some("xyz".into()),
            captured_at: Some(now + chrono::Duration::hours(1)),
            latitude: Some(91.0),
            longitude: Some(f64::NAN),
            accuracy_m: Some(-1.0),
            position_unavailable: false,
            device: Some("x".repeat(201)),
            original_sha256: Some("0".repeat(63)),
        };
        let keys: Vec<_> = bad.check(now).into_keys().collect();
        assert_eq!(keys, ["accuracy_m", "captured_at", "device", "latitude", "longitude", "original_sha256", "sha256"]);
        let both =
            Capture { latitude: Some(30.5), longitude: Some(114.3), position_unavailable: true, ..Capture::default() };
        assert!(both.check(now).contains_key("position_unavailable"));
        let half = Capture { latitude: Some(30.5), ..Capture::default() };
        assert!(half.check(now).contains_key("longitude"));
        let good = Capture {
            sha256: Some("AB".repeat(32)),
            captured_at: Some(now),
            latitude: Some(30.58),
            longitude: Some(114.27),
            accuracy_m: Some(8.5),
            position_unavailable: false,
            device: Some("DSJ-V9 执法记录仪".into()),
            original_sha256: Some("CD".repeat(32)),
        };
        assert!(good.check(now).is_empty());
        assert_eq!(good.declared_sha256(), Some("ab".repeat(32)));
        assert_eq!(good.original(), Some("cd".repeat(32)));
    }
}
