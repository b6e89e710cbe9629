//! The employees' notice sheet (信息公示栏) of a hazard, printable.

use super::page::{PagePath, PageResult, PageUser, render_with};
use crate::hazard::domain::Level;
use crate::hazard::{service, view};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;

#[derive(Template)]
#[template(path = "hazard_notice.html")]
struct NoticeSheet {
    /// A major hazard's sheet has the 双报告's contents and the date it went to the workers' congress.
    major: bool,
    enterprise: String,
    title: String,
    location: String,
    causes: String,
    harm: String,
    plan: String,
    responsible: String,
    deadline: String,
    status: &'static str,
    congress: String,
    today: String,
}

/// The printable sheet for the employees' notice board (信息公示栏) of a
/// hazard, major or general (WSL art. 41 ¶2: hazards and their rectification
/// are notified to the employees).
pub async fn notice_sheet(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let row = service::get_visible(state.db.conn(), &user, id).await?;
    let major = row.level == Level::Major;
    let h = view::detail(state.db.conn(), &user, row, state.clock.today()).await?;
    let text = |v: Option<&serde_json::Value>, key: &str| {
        v.and_then(|v| v.get(key)).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned()
    };
    let sheet = NoticeSheet {
        major,
        enterprise: h.enterprise_name.clone().unwrap_or_else(|| "未登记主体".to_owned()),
        title: h.title.clone(),
        location: h.location.clone().unwrap_or_default(),
        causes: match text(h.report.as_ref(), "current_state_and_causes") {
            c if c.is_empty() => h.description.clone(),
            c => c,
        },
        harm: text(h.report.as_ref(), "harm_and_difficulty"),
        plan: match text(h.plan.as_ref(), "measures") {
            m if m.is_empty() => text(h.report.as_ref(), "remediation_plan"),
            m => m,
        },
        responsible: text(h.plan.as_ref(), "responsible_person"),
        deadline: h.deadline.map(|d| d.to_string()).unwrap_or_default(),
        status: h.status.zh(),
        congress: text(h.report.as_ref(), "congress_reported_on"),
        today: state.clock.today().to_string(),
    };
    render_with(StatusCode::OK, &sheet)
}
