//! The hazard pages' shared parts: reading a multipart form with its photos,
//! dates as typed, the sources a user may choose. Forms are multipart (photos) and carry the CSRF token; they
//! call the same services as the API.

use super::page::PageResult;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::hazard::domain::Source;
use crate::state::AppState;
use axum::extract::Multipart;
use chrono::NaiveDate;
use std::collections::HashMap;

/// Text fields and uploaded photos of a multipart form.
pub struct FormData {
    pub fields: HashMap<String, String>,
    pub files: Vec<(String, axum::body::Bytes)>,
    /// The form field each of `files` came in (`photo`, `after_photo` …), by index.
    pub file_fields: Vec<String>,
}

impl FormData {
    pub fn get(&self, name: &str) -> Option<String> {
        self.fields.get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
    }

    pub fn date(&self, name: &str) -> Option<NaiveDate> {
        self.get(name).and_then(|v| parse_date(&v))
    }
}

/// A date as typed: `YYYY-MM-DD`, also with `/` or `.` between the parts
/// or without leading zeros (2026/1/5), as people type them. The pages enter
/// dates in text fields with the `YYYY-MM-DD` placeholder rather than the
/// browser's date input, whose display follows the browser's locale.
pub fn parse_date(typed: &str) -> Option<NaiveDate> {
    let t = typed.trim().replace(['/', '.', '年', '月'], "-").replace('日', "");
    NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok().filter(|d| (1..=9999).contains(&chrono::Datelike::year(d)))
}

/// Photos one page form may carry.
pub const MAX_PHOTOS: usize = 9;

/// Reads a page form with photos (the caller holds a turn of the photo gate).
pub async fn read_form(mut form: Multipart) -> PageResult<FormData> {
    let bad = |e: axum::extract::multipart::MultipartError| crate::upload::multipart_error(&e);
    let mut data = FormData { fields: HashMap::new(), files: Vec::new(), file_fields: Vec::new() };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name: String = field.name().unwrap_or_default().chars().take(64).collect();
        if field.file_name().is_some() {
            let file_name: String = field.file_name().unwrap_or("photo").chars().take(200).collect();
            let bytes = field.bytes().await.map_err(bad)?;
            if !bytes.is_empty() {
                if data.files.len() == MAX_PHOTOS {
                    return Err(AppError::validation("file", format!("一次最多上传 {MAX_PHOTOS} 张照片")).into());
                }
                data.files.push((file_name, bytes));
                data.file_fields.push(name);
            }
        } else if data.fields.len() < 64 {
            // Browsers send line breaks as CRLF; stored and counted as one character each.
            let text = field.text().await.map_err(bad)?.replace("\r\n", "\n");
            data.fields.insert(name, text);
        }
    }
    Ok(data)
}

/// Stores the form's photos as the user's uploads (the checks of every
/// upload, `crate::attachment::accept`) and returns their ids.
pub async fn save_photos(
    state: &AppState,
    user: &CurrentUser,
    files: &[(String, axum::body::Bytes)],
) -> PageResult<Vec<i64>> {
    let mut ids = Vec::new();
    let capture = crate::attachment::Capture::default();
    for (name, bytes) in files {
        ids.push(crate::attachment::accept(state, user, name, bytes, &capture).await?.id);
    }
    Ok(ids)
}

pub use super::page::{Choice, choices};

pub use super::hazard_ledger::ledger;

pub fn days_text(days: Option<i64>) -> String {
    match days {
        Some(d) if d < 0 => format!("逾期 {} 天", -d),
        Some(0) => "今天到期".to_owned(),
        Some(d) => format!("剩余 {d} 天"),
        None => String::new(),
    }
}

pub use super::hazard_detail::{act, show};
pub use super::hazard_report::{new_form, report};

/// The sources a user may choose for a report, `selected` preselected.
pub fn sources_for(user: &CurrentUser, selected: &str) -> Vec<Choice> {
    let allowed = crate::hazard::policy::sources(&user.roles, user.is_bureau_user());
    choices(&allowed, Source::as_str, Source::zh, selected)
}

/// `YYYY-MM-DD HH:MM` (also with `T`, or a date alone: its midnight), read as Beijing time.
pub fn parse_local(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let s = s.trim().replace('T', " ");
    let (date, time) = s.split_once(' ').unwrap_or((s.as_str(), "00:00"));
    let date = parse_date(date)?;
    let time = chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M")
        .or_else(|_| chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M:%S"))
        .ok()?;
    Some(crate::clock::china_day_start(date) + (time - chrono::NaiveTime::MIN))
}
