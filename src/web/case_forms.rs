//! The step forms of the case page (`POST /cases/{id}/act/{step}`): what was typed
//! becomes the API's `StepBody` and goes through `case::steps::act` in
//! `state.write`, exactly like the API handler. Success redirects to the case with
//! what happened; a 422 comes back with what was typed and each problem beside its
//! field; a refusal (403 for the wrong person, 409 for separation of duties, the
//! wrong moment, a period still running, money owed) comes back with its message.
//!
//! Decisions:
//! - The fines of 案件处理呈批 are typed per violation (`f{violation id}_fine` …);
//!   the API's `fines[i]` (by the violation's position) is placed back on them.
//! - Measures are one checkbox each (`measure_suspension` …), participants one line each.

use super::case_detail::page;
use super::case_new_form::Typed;
use super::hazard_pages::parse_date;
use super::page::{FormErrors, PagePath, PageResult, PageUser, render_with, see_other, whole_number};
use crate::case::domain::{CaseDocument, Decision, Step};
use crate::case::json::{CaseResponse, ProposedFine, StepBody};
use crate::case::proposal::MEASURES;
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;

fn opt(t: &Typed, name: &str) -> Option<String> {
    Some(t.get(name).trim().to_owned()).filter(|s| !s.is_empty())
}

fn date(t: &Typed, name: &str, f: &mut FieldErrors) -> Option<chrono::NaiveDate> {
    let text = t.get(name).trim();
    let d = (!text.is_empty()).then(|| parse_date(text)).flatten();
    if !text.is_empty() && d.is_none() {
        f.entry(name.to_owned()).or_default().push("请按“年-月-日”填写日期".to_owned());
    }
    d
}

/// The fines typed for each violation of the case.
fn fines(t: &Typed, c: &CaseResponse, f: &mut FieldErrors) -> Vec<ProposedFine> {
    c.violations
        .iter()
        .map(|v| {
            let key = |s: &str| format!("f{}_{s}", v.id);
            let fine = whole_number(t.get(&key("fine")), &key("fine"), f);
            if fine.is_none() && t.get(&key("fine")).trim().is_empty() {
                f.entry(key("fine")).or_default().push("请填写罚款数额（不罚款填 0）".to_owned());
            }
            ProposedFine {
                violation_id: v.id,
                step: opt(t, &key("step")),
                fine_yuan: fine.unwrap_or_default(),
                annual_income_yuan: whole_number(t.get(&key("income")), &key("income"), f),
                reason: t.get(&key("reason")).trim().to_owned(),
                mitigation: !t.get(&key("mitigation")).is_empty(),
            }
        })
        .collect()
}

/// The body of `step` from the form; the form's own problems (a number that is not one).
pub fn body(t: &Typed, step: Step, c: &CaseResponse) -> Result<StepBody, AppError> {
    let mut f = FieldErrors::new();
    let decision = t.get("decision").parse::<Decision>().ok();
    let body = StepBody {
        note: t.get("note").to_owned(),
        on: date(t, "on", &mut f),
        record: t.get("record").parse::<CaseDocument>().ok(),
        decision,
        fines: if step == Step::Report && decision == Some(Decision::Penalty) { fines(t, c, &mut f) } else { vec![] },
        measures: MEASURES
            .iter()
            .filter(|(code, _)| !t.get(&format!("measure_{code}")).is_empty())
            .map(|(code, _)| (*code).to_owned())
            .collect(),
        no_penalty_ground: opt(t, "no_penalty_ground"),
        waive: !t.get("waive").is_empty(),
        hearing_officer_id: t.get("hearing_officer_id").trim().parse().ok(),
        opinion: opt(t, "opinion"),
        participants: t
            .get("participants")
            .split(['\n', '、', '，', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(ToOwned::to_owned)
            .collect(),
        method: opt(t, "method"),
        amount_yuan: whole_number(t.get("amount_yuan"), "amount_yuan", &mut f),
        due: date(t, "due", &mut f),
        days: whole_number(t.get("days"), "days", &mut f),
        ordered_on: date(t, "ordered_on", &mut f),
        attachment_ids: Vec::new(),
        to: opt(t, "to"),
    };
    if f.is_empty() { Ok(body) } else { Err(AppError::Validation(f)) }
}

/// The API's problems placed on the form's fields (`fines[1].reason` → `f{id}_reason`).
fn on_form(e: AppError, c: &CaseResponse) -> AppError {
    let AppError::Validation(fields) = e else { return e };
    let mut out = FieldErrors::new();
    for (path, messages) in fields {
        let key = match path.strip_prefix("fines[").and_then(|r| r.split_once(']')) {
            Some((i, tail)) => {
                let id = i.parse::<usize>().ok().and_then(|i| c.violations.get(i)).map_or(0, |v| v.id);
                let suffix = match tail.trim_start_matches('.') {
                    "step" => "step",
                    "reason" => "reason",
                    "annual_income_yuan" => "income",
                    _ => "fine",
                };
                format!("f{id}_{suffix}")
            }
            None if path.starts_with("measures") => "measures".to_owned(),
            None if path.starts_with("participants") => "participants".to_owned(),
            None => path,
        };
        out.entry(key).or_default().extend(messages);
    }
    AppError::Validation(out)
}

/// Takes a step from its form.
pub async fn act(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath((id, step)): PagePath<(i64, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let mut typed = Typed::from_pairs(pairs);
    user.check_csrf(typed.get("csrf_token"))?;
    let step = step.parse::<Step>().map_err(|_| AppError::NotFound)?;
    typed.set("form", step.as_str());
    let before = page(&state, &user, id, Typed::default(), FormErrors::default()).await?.c;
    let result = match body(&typed, step, &before) {
        Ok(b) => state
            .write(user.actor(), async |tx| crate::case::steps::act(tx, &user, id, step, &b).await)
            .await
            .map_err(|e| on_form(e, &before)),
        Err(e) => Err(e),
    };
    let status = match &result {
        Ok(()) => return Ok(see_other(&format!("/cases/{id}?done={}#flash", step.as_str()))),
        Err(AppError::Validation(_)) => StatusCode::UNPROCESSABLE_ENTITY,
        Err(AppError::Conflict { .. }) => StatusCode::CONFLICT,
        Err(AppError::ForbiddenBecause(_) | AppError::Forbidden) => StatusCode::FORBIDDEN,
        Err(_) => return result.map(|()| see_other("/cases")).map_err(Into::into),
    };
    let errors = result.err().map(|e| FormErrors::from_error(&e)).unwrap_or_default();
    render_with(status, &page(&state, &user, id, typed, errors).await?)
}
