//! The hazard statistics as pages: enterprises see their recent periods and
//! generate, sign and submit each report; bureaus see who has reported for a
//! period (with the sums and the workbook) and may return a report; every
//! report prints as the form the principal signs.

use super::layout::{Layout, Section};
use super::page::{FormErrors, PagePath, PageResult, PageUser, beijing, render, render_with, see_other};
use crate::auth::CurrentUser;
use crate::entities::hazard_statistic as stat;
use crate::error::AppError;
use crate::limits;
use crate::state::AppState;
use crate::statistics::figures::Figures;
use crate::statistics::json::{OverviewQuery, OverviewResponse, ReportAction, ReportResponse};
use crate::statistics::period::Period;
use crate::statistics::service;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// `draft` … as shown, with the lateness of a submitted report.
fn status_zh(status: &str, late: Option<bool>) -> &'static str {
    match (status, late) {
        ("submitted", Some(true)) => "已报送（逾期）",
        ("submitted", _) => "已报送",
        ("confirmed", _) => "已确认，待报送",
        ("draft", _) => "草稿",
        _ => "未生成",
    }
}

fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}

fn rate(r: Option<f64>) -> String {
    r.map_or_else(|| "—".to_owned(), |r| format!("{r:.1}%"))
}

/// One of an enterprise's recent periods.
pub struct PeriodRow {
    pub period: String,
    pub label: String,
    pub due: String,
    pub status: &'static str,
    pub report_id: Option<i64>,
    pub may_generate: bool,
}

#[derive(Template)]
#[template(path = "statistics_enterprise.html")]
struct EnterprisePage {
    layout: Layout,
    rows: Vec<PeriodRow>,
    enterprise_id: i64,
}

#[derive(Template)]
#[template(path = "statistics_bureau.html")]
struct BureauPage {
    layout: Layout,
    o: OverviewResponse,
    periods: Vec<(String, String, bool)>,
    state: String,
    page: u64,
    pages: u64,
    rate: String,
    funds: String,
}

// Askama passes template values to these helpers by reference.
#[allow(clippy::ref_option, clippy::trivially_copy_pass_by_ref)]
impl BureauPage {
    fn status_of(status: &str, late: &Option<bool>) -> &'static str {
        status_zh(status, *late)
    }

    fn at(t: &Option<chrono::DateTime<chrono::Utc>>) -> String {
        t.map(beijing).unwrap_or_default()
    }
}

async fn enterprise_page(state: &AppState, user: &CurrentUser) -> PageResult {
    let enterprise_id = *user.enterprise_ids.first().ok_or(AppError::NotFound)?;
    let reports: HashMap<String, stat::Model> = stat::Entity::find()
        .filter(stat::Column::EnterpriseId.eq(enterprise_id))
        .all(state.db.conn())
        .await
        .map_err(AppError::from)?
        .into_iter()
        .map(|r| (r.period.clone(), r))
        .collect();
    let writer = crate::statistics::domain::keeps_reports(&user.roles);
    let rows = Period::ended(state.clock.today(), 4, 2)
        .into_iter()
        .map(|p| {
            let r = reports.get(&p.to_string());
            PeriodRow {
                period: p.to_string(),
                label: p.zh(),
                due: p.due().to_string(),
                status: r.map_or("未生成", |r| status_zh(r.status.as_str(), r.late)),
                report_id: r.map(|r| r.id),
                may_generate: writer && r.is_none(),
            }
        })
        .collect();
    let layout = Layout::new(state, user, "隐患排查治理统计", Section::Statistics).await?;
    render(&EnterprisePage { layout, rows, enterprise_id })
}

/// The bureau list's filters as typed (all text, so that a pager link is never refused).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct OverviewFilters {
    period: String,
    state: String,
    page: String,
}

/// Enterprises: their periods. Bureaus: who has reported for a period.
pub async fn overview(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(typed): Query<OverviewFilters>,
) -> PageResult {
    if !user.is_bureau_user() {
        return enterprise_page(&state, &user).await;
    }
    let today = state.clock.today();
    let q = OverviewQuery {
        period: Some(typed.period).filter(|p| !p.trim().is_empty()),
        state: Some(typed.state).filter(|s| !s.is_empty()),
        page: Some(super::page::page_number(&typed.page)),
        per_page: Some(50),
    };
    let o = service::overview(state.db.conn(), &user, &q, today).await?;
    let mut periods: Vec<(String, String, bool)> =
        Period::ended(today, 4, 2).into_iter().map(|p| (p.to_string(), p.zh(), p.to_string() == o.period)).collect();
    if !periods.iter().any(|p| p.2) {
        periods.insert(0, (o.period.clone(), o.period_label.clone(), true));
    }
    let pages = o.total.div_ceil(50).max(1);
    let rate = rate(o.totals.rectification_rate());
    let funds = yuan(o.totals.funds_fen);
    let layout = Layout::new(&state, &user, "隐患排查治理统计", Section::Statistics).await?;
    render(&BureauPage {
        layout,
        periods,
        state: q.state.unwrap_or_default(),
        page: q.page.unwrap_or(1),
        pages,
        rate,
        funds,
        o,
    })
}

#[derive(Template)]
#[template(path = "statistics_report.html")]
struct ReportPage {
    layout: Layout,
    r: ReportResponse,
    status: &'static str,
    rate: String,
    funds: String,
    generated: String,
    confirmed: String,
    submitted: String,
    /// The steps the user may take: `regenerate`, `confirm`, `submit`, `return`.
    steps: Vec<&'static str>,
    /// The step whose form failed, with what was typed and the problems.
    failed: Option<StepFailed>,
    /// `maxlength` of the analysis and the return reason (`limits::TEXT`).
    max_text: usize,
}

/// A step's form that came back: `regenerate` (the analysis) or `return` (the reason).
pub struct StepFailed {
    pub step: &'static str,
    pub text: String,
    pub errors: FormErrors,
}

/// The figures table, shared by the page and the printed form: (label, general, major, total).
pub fn figure_rows(f: &Figures) -> Vec<(&'static str, i64, i64, i64)> {
    [
        ("排查发现", f.found),
        ("整改完成", f.rectified),
        ("未整改（期末）", f.rectifying),
        ("逾期未整改（期末）", f.overdue),
    ]
    .into_iter()
    .map(|(l, b)| (l, b.general, b.major, b.total()))
    .collect()
}

impl ReportPage {
    fn may(&self, step: &str) -> bool {
        self.steps.contains(&step)
    }

    fn failed(&self, step: &str) -> Option<&StepFailed> {
        self.failed.as_ref().filter(|f| f.step == step)
    }

    /// The problems of the failed form of `step`, all of them.
    fn errors(&self, step: &str) -> Vec<String> {
        self.failed(step).map(|f| f.errors.all()).unwrap_or_default()
    }

    /// The analysis in the regenerate form: as typed when it came back, else as stored.
    fn analysis_text(&self) -> String {
        self.failed("regenerate").map_or_else(|| self.r.analysis.clone().unwrap_or_default(), |f| f.text.clone())
    }

    /// The reason in the return form, as typed when it came back.
    fn reason_text(&self) -> String {
        self.failed("return").map(|f| f.text.clone()).unwrap_or_default()
    }

    fn rows(&self) -> Vec<(&'static str, i64, i64, i64)> {
        figure_rows(&self.r.figures)
    }
}

async fn report(state: &AppState, user: &CurrentUser, id: i64) -> PageResult<(ReportResponse, stat::Model)> {
    let row = service::get_visible(state.db.conn(), user, id).await?;
    Ok((service::response(state.db.conn(), user, row.clone()).await?, row))
}

pub async fn show(State(state): State<AppState>, PageUser(user): PageUser, PagePath(id): PagePath<i64>) -> PageResult {
    render(&report_page(&state, &user, id, None).await?)
}

async fn report_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    failed: Option<StepFailed>,
) -> PageResult<ReportPage> {
    let (r, _) = report(state, user, id).await?;
    Ok(ReportPage {
        layout: Layout::new(state, user, &format!("{}隐患排查治理统计", r.period_label), Section::Statistics).await?,
        status: status_zh(r.status.as_str(), r.late),
        rate: rate(r.rectification_rate),
        funds: yuan(r.figures.funds_fen),
        generated: beijing(r.generated_at),
        confirmed: r.confirmed_at.map(beijing).unwrap_or_default(),
        submitted: r.submitted_at.map(beijing).unwrap_or_default(),
        // The forms are the life cycle's: exactly the steps the API would accept.
        steps: r
            .may_regenerate
            .then_some("regenerate")
            .into_iter()
            .chain(r.allowed_actions.iter().map(|a| a.as_str()))
            .collect(),
        r,
        failed,
        max_text: limits::TEXT,
    })
}

/// The form's values with the browser's CRLF line breaks as LF (stored and
/// counted as one character, as the textarea's `maxlength` counts them).
fn with_lf(form: HashMap<String, String>) -> HashMap<String, String> {
    form.into_iter().map(|(k, v)| (k, v.replace("\r\n", "\n"))).collect()
}

/// A form of the report page that failed validation comes back with what was typed.
async fn came_back(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    step: &'static str,
    text: Option<&String>,
    e: &AppError,
) -> PageResult {
    let failed = StepFailed { step, text: text.cloned().unwrap_or_default(), errors: FormErrors::from_error(e) };
    render_with(e.status(), &report_page(state, user, id, Some(failed)).await?)
}

#[derive(Template)]
#[template(path = "statistics_print.html")]
struct PrintPage {
    r: ReportResponse,
    rate: String,
    funds: String,
    confirmed: String,
    submitted: String,
}

impl PrintPage {
    fn rows(&self) -> Vec<(&'static str, i64, i64, i64)> {
        figure_rows(&self.r.figures)
    }
}

/// The report as the form the principal signs (打印).
pub async fn print(State(state): State<AppState>, PageUser(user): PageUser, PagePath(id): PagePath<i64>) -> PageResult {
    let (r, _) = report(&state, &user, id).await?;
    render(&PrintPage {
        rate: rate(r.rectification_rate),
        funds: yuan(r.figures.funds_fen),
        confirmed: r.confirmed_at.map(beijing).unwrap_or_default(),
        submitted: r.submitted_at.map(beijing).unwrap_or_default(),
        r,
    })
}

/// Generate or regenerate: `period`, optional `analysis` and `version`; from a
/// report's page also `report_id`, to show that page again if the form fails.
pub async fn generate(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    user.check_csrf(form.get("csrf_token").map_or("", String::as_str))?;
    let form = with_lf(form);
    let get = |k: &str| form.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let enterprise_id = get("enterprise_id").and_then(|v| v.parse().ok());
    let (period, analysis) = (get("period").unwrap_or_default(), get("analysis"));
    let version = get("version").and_then(|v| v.parse().ok());
    let outcome = state
        .write(user.actor(), async |tx| service::generate(tx, &user, enterprise_id, period, analysis, version).await)
        .await;
    match (outcome, get("report_id").and_then(|v| v.parse().ok())) {
        (Ok(row), _) => Ok(see_other(&service::link(row.id))),
        (Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })), Some(id)) => {
            came_back(&state, &user, id, "regenerate", form.get("analysis"), &e).await
        }
        (Err(e), _) => Err(e.into()),
    }
}

/// `confirm`, `submit` or `return` (with `reason`).
pub async fn act(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath((id, action)): PagePath<(i64, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    user.check_csrf(form.get("csrf_token").map_or("", String::as_str))?;
    let action = ReportAction::parse(&action).ok_or(AppError::NotFound)?;
    let form = with_lf(form);
    let version = form.get("version").and_then(|v| v.parse().ok());
    let reason = form.get("reason").map(String::as_str);
    match state.write(user.actor(), async |tx| service::act(tx, &user, id, action, version, reason).await).await {
        Ok(_) => Ok(see_other(&service::link(id))),
        Err(e @ AppError::Validation(_)) if action == ReportAction::Return => {
            came_back(&state, &user, id, "return", form.get("reason"), &e).await
        }
        Err(e) => Err(e.into()),
    }
}
