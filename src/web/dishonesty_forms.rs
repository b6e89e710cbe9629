//! The forms of the list pages: the scan (`POST /dishonesty-list/scan`), a regulator's
//! proposal (`POST /dishonesty-list/propose`) and the steps of a listing
//! (`POST /dishonesty-list/{id}/act/{step}`). What was typed becomes the API's body
//! and goes through the same use case in `state.write` as the API handler. Success
//! redirects with what happened; a 422 comes back with what was typed and each
//! problem beside its field; a refusal (403 for the wrong person, 409 for separation
//! of duties, the wrong moment, the statement period, unmet conditions, 422 too early)
//! comes back as its Chinese message above the form, what was typed kept.

use super::case_new_form::Typed;
use super::dishonesty_detail::page;
use super::page::{FormErrors, PagePath, PageResult, PageUser, render_with, see_other, whole_number};
use crate::auth::Role;
use crate::dishonesty::domain::{ListingStep, SubjectKind};
use crate::dishonesty::json::{DishonestyProposalBody, DishonestyStepBody};
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;

/// The status a refused form is answered with; `None` for an error that is not the form's.
fn status_of(e: &AppError) -> Option<StatusCode> {
    match e {
        AppError::Validation(_) | AppError::Unprocessable { .. } => Some(StatusCode::UNPROCESSABLE_ENTITY),
        AppError::Conflict { .. } => Some(StatusCode::CONFLICT),
        AppError::ForbiddenBecause(_) | AppError::Forbidden => Some(StatusCode::FORBIDDEN),
        _ => None,
    }
}

/// Runs the scan now (regulators, as the API).
pub async fn scan(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let typed = Typed::from_pairs(pairs);
    user.check_csrf(typed.get("csrf_token"))?;
    if !user.is_bureau_user() || !user.has(Role::Regulator) {
        return Err(AppError::Forbidden.into());
    }
    let proposed = state.write(user.actor(), async |tx| crate::dishonesty::scan::run(tx).await).await?;
    Ok(see_other(&format!("/dishonesty-list?tab=proposed&scanned={proposed}")))
}

fn opt(t: &Typed, name: &str) -> Option<String> {
    Some(t.get(name).trim().to_owned()).filter(|s| !s.is_empty())
}

/// The proposal body from the form; the form's own problems (a number that is not one).
fn proposal(t: &Typed) -> Result<DishonestyProposalBody, AppError> {
    let mut f = FieldErrors::new();
    let kind = t.get("subject_kind").parse::<SubjectKind>();
    if kind.is_err() {
        f.entry("subject_kind".to_owned()).or_default().push("请选择主体类型".to_owned());
    }
    let body = DishonestyProposalBody {
        situation: t.get("situation").trim().to_owned(),
        subject_kind: kind.unwrap_or(SubjectKind::Unit),
        enterprise_id: whole_number(t.get("enterprise_id"), "enterprise_id", &mut f),
        subject_name: t.get("subject_name").trim().to_owned(),
        id_number: opt(t, "id_number"),
        credit_code: opt(t, "credit_code"),
        case_id: whole_number(t.get("case_id"), "case_id", &mut f),
        accident_id: whole_number(t.get("accident_id"), "accident_id", &mut f),
        reason: t.get("reason").trim().to_owned(),
    };
    if body.enterprise_id.is_none() && !t.get("enterprise_q").trim().is_empty() {
        f.entry("enterprise_id".to_owned())
            .or_default()
            .push("请从名录中选择企业（输入名称后在列表中点选）".to_owned());
    }
    if f.is_empty() { Ok(body) } else { Err(AppError::Validation(f)) }
}

/// A regulator's own proposal.
pub async fn propose(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let mut typed = Typed::from_pairs(pairs);
    user.check_csrf(typed.get("csrf_token"))?;
    // Without the picker's script the typed name is sent: one match is the enterprise.
    if typed.get("enterprise_id").trim().is_empty() && !typed.get("enterprise_q").trim().is_empty() {
        let hits = crate::enterprise::search::search(state.db.conn(), &user, typed.get("enterprise_q")).await?;
        if let [one] = hits.as_slice() {
            typed.set("enterprise_id", one.id.to_string());
        }
    }
    let result = match proposal(&typed) {
        Ok(b) => state.write(user.actor(), async |tx| crate::dishonesty::service::propose(tx, &user, &b).await).await,
        Err(e) => Err(e),
    };
    let e = match result {
        Ok(m) => return Ok(see_other(&format!("/dishonesty-list/{}?done=proposed#flash", m.id))),
        Err(e) => e,
    };
    let Some(status) = status_of(&e) else { return Err(e.into()) };
    let p = super::dishonesty_pages::page(&state, &user, "proposed", typed, FormErrors::from_error(&e)).await?;
    render_with(status, &p)
}

/// The step body from the form.
fn body(t: &Typed) -> DishonestyStepBody {
    DishonestyStepBody {
        note: t.get("note").to_owned(),
        waive: !t.get("waive").is_empty(),
        commitment: t.get("commitment").to_owned(),
        approve: match t.get("approve") {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
    }
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
    let step = step.parse::<ListingStep>().map_err(|_| AppError::NotFound)?;
    typed.set("form", step.as_str());
    let b = body(&typed);
    let result =
        state.write(user.actor(), async |tx| crate::dishonesty::steps::act(tx, &user, id, step, &b).await).await;
    let Err(e) = result else {
        return Ok(see_other(&format!("/dishonesty-list/{id}?done={}#flash", step.as_str())));
    };
    let Some(status) = status_of(&e) else { return Err(e.into()) };
    render_with(status, &page(&state, &user, id, typed, FormErrors::from_error(&e)).await?)
}
