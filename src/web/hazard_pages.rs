//! The hazard ledger as pages: the ledger with filters (overdue highlighted),
//! the report form with a photo (one screen, usable on a phone), a hazard with
//! its timeline, photos and the steps the user may take, and the major-hazard
//! list (一单). Forms are multipart (photos) and carry the CSRF token; they
//! call the same services as the API.

use super::layout::{Layout, Section};
use super::page::{PageResult, PageUser, render};
use crate::auth::CurrentUser;
use crate::enterprise::domain::Sector;
use crate::error::AppError;
use crate::hazard::domain::{Level, Source, Status};
use crate::hazard::json::HazardFilter;
use crate::hazard::{list, view};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Query, State};
use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use serde::Deserialize;
use std::collections::HashMap;

/// Text fields and uploaded photos of a multipart form.
pub struct FormData {
    pub fields: HashMap<String, String>,
    pub files: Vec<(String, axum::body::Bytes)>,
}

impl FormData {
    pub fn get(&self, name: &str) -> Option<String> {
        self.fields.get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
    }

    pub fn date(&self, name: &str) -> Option<NaiveDate> {
        self.get(name).and_then(|v| NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok())
    }
}

/// Photos one page form may carry.
pub const MAX_PHOTOS: usize = 9;

/// Reads a page form with photos (the caller holds a turn of the photo gate).
pub async fn read_form(mut form: Multipart) -> PageResult<FormData> {
    let bad = |e: axum::extract::multipart::MultipartError| crate::upload::multipart_error(&e);
    let mut data = FormData { fields: HashMap::new(), files: Vec::new() };
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

// ------------------------------------------------------------------ ledger

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LedgerQuery {
    status: String,
    level: String,
    source: String,
    sector: String,
    region: String,
    overdue: String,
    page: String,
    /// One enterprise's hazards (the link from its register page).
    enterprise_id: String,
}

pub struct LedgerRow {
    pub id: i64,
    pub title: String,
    pub enterprise: String,
    pub level: &'static str,
    pub status: &'static str,
    pub source: &'static str,
    pub deadline: String,
    pub days: String,
    pub overdue: bool,
}

/// One sector's line of the counts: per status, the total and the major ones.
pub struct CountLine {
    pub sector: String,
    pub cells: Vec<(i64, i64)>,
}

#[derive(Template)]
#[template(path = "hazards.html")]
struct LedgerPage {
    layout: Layout,
    rows: Vec<LedgerRow>,
    total: u64,
    statuses: Vec<Choice>,
    levels: Vec<Choice>,
    sources: Vec<Choice>,
    sectors: Vec<Choice>,
    region: String,
    overdue: bool,
    page: u64,
    pages: u64,
    /// The filters as a query string, for the pager.
    query: String,
    count_statuses: Vec<&'static str>,
    counts: Vec<CountLine>,
    /// Regulators may import an existing ledger.
    may_import: bool,
}

/// The scope's counts as lines per sector and columns per status.
async fn count_lines(state: &AppState, user: &CurrentUser) -> PageResult<Vec<CountLine>> {
    let rows = list::counts(state.db.conn(), &user.scope).await?;
    let mut lines: Vec<CountLine> = Vec::new();
    for r in rows {
        let sector = r.sector.as_deref().map_or_else(|| "未登记主体".to_owned(), super::labels::sector);
        let i = lines.iter().position(|l| l.sector == sector).unwrap_or_else(|| {
            lines.push(CountLine { sector: sector.clone(), cells: vec![(0, 0); Status::ALL.len()] });
            lines.len() - 1
        });
        let col = Status::ALL.iter().position(|s| *s == r.status).unwrap_or(0);
        lines[i].cells[col].0 += r.count;
        if r.level == Level::Major {
            lines[i].cells[col].1 += r.count;
        }
    }
    lines.sort_by(|a, b| a.sector.cmp(&b.sector));
    Ok(lines)
}

/// One page of the ledger, with the enterprises' names.
async fn ledger_rows(state: &AppState, user: &CurrentUser, filter: &HazardFilter) -> PageResult<(Vec<LedgerRow>, u64)> {
    let today = state.clock.today();
    let (items, total) = list::list(state, &user.scope, filter, today).await?;
    let names =
        crate::enterprise::service::names(state.db.conn(), items.iter().filter_map(|h| h.enterprise_id)).await?;
    let rows = items
        .into_iter()
        .map(|h| {
            let s = view::summary(h, today);
            LedgerRow {
                id: s.id,
                enterprise: s
                    .enterprise_id
                    .and_then(|e| names.get(&e).cloned())
                    .unwrap_or_else(|| "未登记主体".to_owned()),
                title: s.title,
                level: s.level.zh(),
                status: s.status.zh(),
                source: s.source.zh(),
                deadline: s.deadline.map(|d| d.to_string()).unwrap_or_default(),
                days: days_text(s.days_left),
                overdue: s.overdue,
            }
        })
        .collect();
    Ok((rows, total))
}

pub async fn ledger(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<LedgerQuery>,
) -> PageResult {
    let page = super::page::page_number(&q.page);
    let filter = HazardFilter {
        status: q.status.parse().ok(),
        level: q.level.parse().ok(),
        source: q.source.parse().ok(),
        sector: Some(q.sector.clone()).filter(|s| s.parse::<Sector>().is_ok()),
        region: Some(q.region.trim().to_owned()).filter(|s| !s.is_empty()),
        overdue: Some(q.overdue == "true"),
        enterprise_id: q.enterprise_id.trim().parse().ok(),
        page: Some(page),
        per_page: Some(50),
        ..HazardFilter::default()
    };
    let (rows, total) = ledger_rows(&state, &user, &filter).await?;
    let counts = if user.is_bureau_user() { count_lines(&state, &user).await? } else { Vec::new() };
    let query = super::page::query_string(&[
        ("status", &q.status),
        ("level", &q.level),
        ("source", &q.source),
        ("sector", &q.sector),
        ("region", &q.region),
        ("overdue", &q.overdue),
        ("enterprise_id", &q.enterprise_id),
    ]);
    let layout = Layout::new(&state, &user, "隐患台账", Section::Hazards).await?;
    render(&LedgerPage {
        layout,
        rows,
        total,
        statuses: choices(Status::ALL, Status::as_str, Status::zh, &q.status),
        levels: choices(Level::ALL, Level::as_str, Level::zh, &q.level),
        sources: choices(Source::ALL, Source::as_str, Source::zh, &q.source),
        sectors: choices(Sector::ALL, Sector::as_str, Sector::zh, &q.sector),
        region: q.region,
        overdue: q.overdue == "true",
        page,
        pages: total.div_ceil(50).max(1),
        query,
        count_statuses: Status::ALL.iter().map(|s| s.zh()).collect(),
        counts,
        may_import: crate::hazard::policy::imports_ledger(&user.roles, user.is_bureau_user()),
    })
}

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

/// `YYYY-MM-DDTHH:MM` from a `datetime-local` input, read as Beijing time.
pub fn parse_local(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").ok()?;
    let offset = chrono::FixedOffset::east_opt(crate::clock::CHINA_OFFSET_SECONDS)?;
    offset.from_local_datetime(&naive).single().map(|t| t.to_utc())
}

// ------------------------------------------------------------------ 一单

#[derive(Template)]
#[template(path = "major_hazards.html")]
struct MajorPage {
    layout: Layout,
    rows: Vec<crate::hazard::json::MajorHazardRow>,
}

// Askama passes template values to these helpers by reference.
#[allow(clippy::trivially_copy_pass_by_ref, clippy::ref_option)]
impl MajorPage {
    fn status_zh(s: &Status) -> &'static str {
        s.zh()
    }

    fn days(d: &Option<i64>) -> String {
        days_text(*d)
    }
}

pub async fn majors(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let rows = crate::hazard::major_rows(&state, &user, &crate::hazard::json::MajorFilter::default()).await?;
    let layout = Layout::new(&state, &user, "重大事故隐患清单（一单四制）", Section::Majors).await?;
    render(&MajorPage { layout, rows })
}
