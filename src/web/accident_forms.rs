//! The forms of the accident page (`/accidents/{id}/…`): changed figures, a
//! report, a flag, the investigation, a finding, a measure and its completion.
//! Each posts to its own path, calls the same use case as the API, and either
//! redirects with a message or comes back (422, or 409 for a refusal) with what
//! was typed and every problem beside its field, in the form that failed.

use super::accident_detail_pages::page;
use super::hazard_pages::{parse_date, parse_local};
use super::page::{FormErrors, PagePath, PageResult, PageUser, render_with, see_other, whole_number};
use crate::accident::figures::{self, UpdateFigures};
use crate::accident::investigation::{self, PutInvestigation, ResponsibilityRequest, TeamMember};
use crate::accident::measures::{self, CompleteAccidentMeasure, CreateAccidentMeasure};
use crate::accident::reports::{self, FlagRequest, RecordReport};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

/// Every form's fields as typed (the HTML names are unique across the forms).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Typed {
    pub csrf_token: String,
    /// Which form was sent (set by the handler).
    #[serde(skip)]
    pub form: String,
    pub deaths: String,
    pub missing: String,
    pub serious_injuries: String,
    pub direct_loss_yuan: String,
    pub reason: String,
    pub from_level: String,
    pub to_level: String,
    pub reported_at: String,
    pub content: String,
    pub flag_kind: String,
    pub flag_reason: String,
    pub organised_by: String,
    pub leader: String,
    pub members: String,
    pub extended_days: String,
    pub extension_reason: String,
    pub report_submitted_on: String,
    pub report_summary: String,
    pub party: String,
    pub responsibility: String,
    pub suggestion: String,
    pub description: String,
    pub responsible_unit: String,
    pub deadline: String,
    pub measure_id: String,
    pub evidence: String,
    pub verifier: String,
    pub done_on: String,
}

fn push(fields: &mut FieldErrors, field: &str, message: &str) {
    fields.entry(field.to_owned()).or_default().push(message.to_owned());
}

fn done<T>(fields: FieldErrors, body: T) -> AppResult<T> {
    if fields.is_empty() { Ok(body) } else { Err(AppError::Validation(fields)) }
}

/// An optional date: empty is none; anything else must be a date.
fn date(text: &str, field: &str, fields: &mut FieldErrors) -> Option<chrono::NaiveDate> {
    let t = text.trim();
    let d = (!t.is_empty()).then(|| parse_date(t)).flatten();
    if !t.is_empty() && d.is_none() {
        push(fields, field, "请按“年-月-日”填写日期");
    }
    d
}

fn opt(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

impl Typed {
    fn figures(&self) -> AppResult<UpdateFigures> {
        let mut f = FieldErrors::new();
        let body = UpdateFigures {
            deaths: whole_number(&self.deaths, "deaths", &mut f).unwrap_or_default(),
            missing: whole_number(&self.missing, "missing", &mut f).unwrap_or_default(),
            serious_injuries: whole_number(&self.serious_injuries, "serious_injuries", &mut f).unwrap_or_default(),
            direct_loss_yuan: whole_number(&self.direct_loss_yuan, "direct_loss_yuan", &mut f).unwrap_or_default(),
            reason: self.reason.clone(),
        };
        done(f, body)
    }

    fn report(&self) -> AppResult<RecordReport> {
        let mut f = FieldErrors::new();
        let reported_at = parse_local(&self.reported_at);
        if reported_at.is_none() {
            push(&mut f, "reported_at", "请按“年-月-日 时:分”填写报告时间");
        }
        let from_level = self.from_level.parse().unwrap_or(crate::accident::domain::ReportLevel::County);
        let to_level = self.to_level.parse().unwrap_or(crate::accident::domain::ReportLevel::City);
        done(
            f,
            RecordReport {
                from_level,
                to_level,
                reported_at: reported_at.unwrap_or_default(),
                content: self.content.clone(),
            },
        )
    }

    fn flag(&self) -> AppResult<FlagRequest> {
        let mut f = FieldErrors::new();
        let kind = self.flag_kind.parse().unwrap_or(crate::accident::domain::FlagKind::Late);
        if kind == crate::accident::domain::FlagKind::Late {
            push(&mut f, "kind", "请选择谎报、瞒报或漏报");
        }
        done(f, FlagRequest { kind, reason: self.flag_reason.clone() })
    }

    fn investigation(&self) -> AppResult<PutInvestigation> {
        let mut f = FieldErrors::new();
        let mut members = Vec::new();
        for (i, line) in self.members.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
            match line.split_once([',', '，', '、', ' ', '\t']) {
                Some((name, unit)) if !name.trim().is_empty() && !unit.trim().is_empty() => {
                    members.push(TeamMember { name: name.trim().to_owned(), unit: unit.trim().to_owned() });
                }
                _ => push(&mut f, "members", &format!("第 {} 行请写“姓名，单位”", i + 1)),
            }
        }
        let body = PutInvestigation {
            organised_by: self.organised_by.clone(),
            leader: self.leader.clone(),
            members,
            extended_days: whole_number(&self.extended_days, "extended_days", &mut f).unwrap_or_default(),
            extension_reason: opt(&self.extension_reason),
            report_submitted_on: date(&self.report_submitted_on, "report_submitted_on", &mut f),
            report_summary: opt(&self.report_summary),
        };
        done(f, body)
    }

    fn finding(&self) -> ResponsibilityRequest {
        let responsibility = self.responsibility.parse().unwrap_or(crate::accident::domain::Responsibility::Direct);
        ResponsibilityRequest { party: self.party.clone(), responsibility, suggestion: self.suggestion.clone() }
    }

    fn measure(&self) -> AppResult<CreateAccidentMeasure> {
        let mut f = FieldErrors::new();
        let deadline = date(&self.deadline, "deadline", &mut f);
        if self.deadline.trim().is_empty() {
            push(&mut f, "deadline", "请填写整改期限");
        }
        let body = CreateAccidentMeasure {
            description: self.description.clone(),
            responsible_unit: self.responsible_unit.clone(),
            deadline: deadline.unwrap_or_default(),
        };
        done(f, body)
    }

    fn completion(&self) -> AppResult<CompleteAccidentMeasure> {
        let mut f = FieldErrors::new();
        let done_on = date(&self.done_on, "done_on", &mut f);
        done(f, CompleteAccidentMeasure { evidence: self.evidence.clone(), verifier: self.verifier.clone(), done_on })
    }
}

/// Redirects after a step, or shows the page again with the form's problems.
async fn finish<T>(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: i64,
    typed: Typed,
    result: AppResult<T>,
    anchor: &str,
) -> PageResult {
    let status = match &result {
        Ok(_) => return Ok(see_other(&format!("/accidents/{id}?done={}#{anchor}", typed.form))),
        Err(AppError::Validation(_)) => StatusCode::UNPROCESSABLE_ENTITY,
        Err(AppError::Conflict { .. }) => StatusCode::CONFLICT,
        Err(_) => return result.map(|_| see_other("/accidents")).map_err(Into::into),
    };
    let errors = result.err().map(|e| FormErrors::from_error(&e)).unwrap_or_default();
    render_with(status, &page(state, user, id, typed, errors, None).await?)
}

/// One POST handler per form: check the token, parse, run the use case, finish.
macro_rules! form_handler {
    ($name:ident, $form:literal, $anchor:literal, |$tx:ident, $user:ident, $id:ident, $typed:ident| $call:expr) => {
        pub async fn $name(
            State(state): State<AppState>,
            PageUser($user): PageUser,
            PagePath($id): PagePath<i64>,
            Form(mut $typed): Form<Typed>,
        ) -> PageResult {
            $user.check_csrf(&$typed.csrf_token)?;
            $typed.form = $form.to_owned();
            let result = state.write($user.actor(), async |$tx| $call.await.map(drop)).await;
            finish(&state, &$user, $id, $typed, result, $anchor).await
        }
    };
}

form_handler!(post_figures, "figures", "figures", |tx, user, id, typed| async {
    figures::update(tx, &user, id, &typed.figures()?).await
});
form_handler!(post_report, "report", "reports", |tx, user, id, typed| async {
    reports::record(tx, &user, id, &typed.report()?).await
});
form_handler!(post_flag, "flag", "reports", |tx, user, id, typed| async {
    reports::add_flag(tx, &user, id, &typed.flag()?).await
});
form_handler!(post_investigation, "investigation", "investigation", |tx, user, id, typed| async {
    investigation::put(tx, &user, id, &typed.investigation()?).await
});
form_handler!(post_finding, "finding", "findings", |tx, user, id, typed| async {
    investigation::add_finding(tx, &user, id, &typed.finding()).await
});
form_handler!(post_measure, "measure", "measures", |tx, user, id, typed| async {
    measures::create(tx, &user, id, &typed.measure()?).await
});
form_handler!(post_measure_done, "measure_done", "measures", |tx, user, id, typed| async {
    let measure_id = typed.measure_id.trim().parse().map_err(|_| AppError::NotFound)?;
    measures::complete(tx, &user, id, measure_id, &typed.completion()?).await
});

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/accidents/{id}", get(super::accident_detail_pages::show))
        .route("/accidents/{id}/figures", post(post_figures))
        .route("/accidents/{id}/reports", post(post_report))
        .route("/accidents/{id}/flags", post(post_flag))
        .route("/accidents/{id}/investigation", post(post_investigation))
        .route("/accidents/{id}/findings", post(post_finding))
        .route("/accidents/{id}/measures", post(post_measure))
        .route("/accidents/{id}/measures/done", post(post_measure_done))
}
