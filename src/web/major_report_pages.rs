//! 双报告 as a page (`/hazards/{id}/report`): the enterprise's principal or
//! safety officer files or amends the report of a major hazard (contents after
//! 16号令 art. 14 and the date it went to the workers' congress); a failed form
//! comes back with what was typed and each problem beside its field. Others
//! who see the hazard read the report as filed.

use super::layout::{Layout, Section};
use super::page::{FormErrors, PagePath, PageResult, PageUser, render_with, see_other};
use crate::auth::CurrentUser;
use crate::entities::hazard;
use crate::error::AppError;
use crate::hazard::report::{MajorReport, file};
use crate::hazard::{policy, service};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "hazard_major_report.html")]
struct ReportPage {
    layout: Layout,
    id: i64,
    title: String,
    version: i32,
    may_file: bool,
    reported_at: String,
    /// The fields as stored or as typed.
    typed: HashMap<String, String>,
    errors: FormErrors,
    max: usize,
}

impl ReportPage {
    fn typed(&self, field: &str) -> &str {
        self.typed.get(field).map_or("", String::as_str)
    }
}

fn stored(h: &hazard::Model) -> HashMap<String, String> {
    let mut m = HashMap::new();
    for (k, v) in [
        ("current_state_and_causes", h.report_current_state.clone()),
        ("harm_and_difficulty", h.report_harm.clone()),
        ("remediation_plan", h.report_remediation.clone()),
        ("congress_reported_on", h.report_congress_on.map(|d| d.to_string())),
    ] {
        m.insert(k.to_owned(), v.unwrap_or_default());
    }
    m
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    typed: Option<HashMap<String, String>>,
    errors: FormErrors,
) -> PageResult {
    let h = service::get_visible(state.db.conn(), user, id).await?;
    let rec = policy::Record::of(&h)?;
    if !policy::report_wanted(&rec) {
        return Err(AppError::NotFound.into());
    }
    let may_file = policy::may_file_report(&policy::Actor::new(user, h.enterprise_id), &rec);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ReportPage {
        layout: Layout::new(state, user, "重大事故隐患报告（双报告）", Section::Hazards).await?,
        id,
        version: h.version,
        may_file,
        reported_at: h.reported_at.map(super::page::beijing).unwrap_or_default(),
        typed: typed.unwrap_or_else(|| stored(&h)),
        title: h.title,
        errors,
        max: crate::limits::TEXT,
    };
    render_with(status, &page)
}

pub async fn show(State(state): State<AppState>, PageUser(user): PageUser, PagePath(id): PagePath<i64>) -> PageResult {
    page(&state, &user, id, None, FormErrors::default()).await
}

/// The report from the form; a date that does not parse is a field error.
fn request(form: &HashMap<String, String>) -> Result<MajorReport, AppError> {
    let text = |k: &str| form.get(k).cloned().unwrap_or_default();
    let congress = text("congress_reported_on");
    let congress_reported_on = match congress.trim() {
        "" => None,
        d => Some(
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| AppError::validation("congress_reported_on", "报告职代会日期应为 YYYY-MM-DD"))?,
        ),
    };
    Ok(MajorReport {
        current_state_and_causes: text("current_state_and_causes"),
        harm_and_difficulty: text("harm_and_difficulty"),
        remediation_plan: text("remediation_plan"),
        congress_reported_on,
        version: form.get("version").and_then(|v| v.parse().ok()),
    })
}

pub async fn submit(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    user.check_csrf(form.get("csrf_token").map_or("", String::as_str))?;
    let outcome = match request(&form) {
        Ok(r) => state.write(user.actor(), async |tx| file(tx, &user, id, &r).await).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!("/hazards/{id}"))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            page(&state, &user, id, Some(form), FormErrors::from_error(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}
