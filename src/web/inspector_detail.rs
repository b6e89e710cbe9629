//! One inspector's page (`/inspectors/{user_id}`): certificate and specialties
//! (edited by regulators), absences still to come with a form to add one, and the
//! conflicts of interest (回避) with a form to declare one and buttons to withdraw.
//! The forms call the register's use cases, as the API does.
//!
//! Decisions: a failed form comes back (422) with every problem and what was typed;
//! a date that cannot be read is reported beside its field together with the use
//! case's problems (which then run with a stand-in date and are rolled back).

use super::layout::{Layout, Section};
use super::page::{Choice, FormErrors, PagePath, PageResult, PageUser, choices, render_with, see_other};
use crate::auth::{CurrentUser, Role};
use crate::enterprise::domain::Sector;
use crate::error::{AppError, FieldErrors};
use crate::inspector::availability::{self, ConflictResponse, NewAbsence, NewConflict};
use crate::inspector::register::{self, InspectorSummary, UpdateInspector};
use crate::inspector::{AbsenceKind, handlers::AbsenceResponse};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;

#[derive(Template)]
#[template(path = "inspector.html")]
struct DetailPage {
    layout: Layout,
    i: InspectorSummary,
    absences: Vec<AbsenceResponse>,
    conflicts: Vec<ConflictResponse>,
    may_edit: bool,
    errors: FormErrors,
    typed: Typed,
    sectors: Vec<(Choice, bool)>,
    kinds: Vec<Choice>,
}

/// Every form's fields as typed.
#[derive(Debug, Default)]
pub struct Typed {
    csrf_token: String,
    certificate_no: String,
    certificate_valid_until: String,
    specialties: Vec<String>,
    from: String,
    to: String,
    kind: String,
    note: String,
    enterprise_id: String,
    enterprise_q: String,
    reason: String,
}

impl Typed {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut t = Self::default();
        for (k, v) in pairs {
            match k.as_str() {
                "csrf_token" => t.csrf_token = v,
                "certificate_no" => t.certificate_no = v,
                "certificate_valid_until" => t.certificate_valid_until = v,
                "specialties" if t.specialties.len() < 10 => t.specialties.push(v),
                "from" => t.from = v,
                "to" => t.to = v,
                "kind" => t.kind = v,
                "note" => t.note = v,
                "enterprise_id" => t.enterprise_id = v,
                "enterprise_q" => t.enterprise_q = v,
                "reason" => t.reason = v,
                _ => {}
            }
        }
        t
    }
}

fn date(text: &str, field: &str, label: &str, fields: &mut FieldErrors) -> Option<NaiveDate> {
    let d = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
    if d.is_none() {
        fields.entry(field.to_owned()).or_default().push(format!("请按 YYYY-MM-DD 填写{label}"));
    }
    d
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    mut typed: Typed,
    failed: &'static str,
    errors: FormErrors,
) -> PageResult<DetailPage> {
    // `failed`: which form came back (`certificate`, `absence`, `conflict`); the others show the stored values.
    let db = state.db.conn();
    let today = state.clock.today();
    let i = register::one(db, user, id, today).await?;
    if failed != "certificate" {
        typed.certificate_no = i.certificate_no.clone().unwrap_or_default();
        typed.certificate_valid_until = i.certificate_valid_until.map(|d| d.to_string()).unwrap_or_default();
        typed.specialties = i.specialties.iter().map(|s| s.as_str().to_owned()).collect();
    }
    let sectors = Sector::ALL
        .iter()
        .map(|s| {
            let on = typed.specialties.iter().any(|x| x == s.as_str());
            (Choice { value: s.as_str(), label: s.zh(), selected: on }, on)
        })
        .collect();
    let kind = if typed.kind.is_empty() { "leave" } else { typed.kind.as_str() };
    let title = format!("执法人员 · {}", i.display_name);
    Ok(DetailPage {
        layout: Layout::new(state, user, &title, Section::Inspections).await?,
        absences: availability::absences(db, id, today).await?.into_iter().map(Into::into).collect(),
        conflicts: availability::conflicts(db, user, id).await?,
        may_edit: user.has(Role::Regulator),
        kinds: choices(AbsenceKind::ALL, AbsenceKind::as_str, AbsenceKind::zh, kind),
        i,
        errors,
        sectors,
        typed,
    })
}

pub async fn show(State(state): State<AppState>, PageUser(user): PageUser, PagePath(id): PagePath<i64>) -> PageResult {
    let p = page(&state, &user, id, Typed::default(), "", FormErrors::default()).await?;
    render_with(StatusCode::OK, &p)
}

/// Runs a form's use case; on a validation error (or problems found before) the page comes back.
async fn finish(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    typed: Typed,
    failed: &'static str,
    result: Result<(), AppError>,
) -> PageResult {
    match result {
        Ok(()) => Ok(see_other(&format!("/inspectors/{id}"))),
        Err(e @ AppError::Validation(_)) => {
            let p = page(state, user, id, typed, failed, FormErrors::from_error(&e)).await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
        Err(e) => Err(e.into()),
    }
}

/// Merges problems found before the use case ran with its own (the use case's work is then undone).
fn merged<T>(pre: &FieldErrors, r: Result<T, AppError>) -> Result<(), AppError> {
    match r {
        Ok(_) if pre.is_empty() => Ok(()),
        Ok(_) => Err(AppError::Validation(pre.clone())),
        Err(AppError::Validation(mut f)) => {
            for (k, v) in pre.clone() {
                f.entry(k).or_default().extend(v);
            }
            Err(AppError::Validation(f))
        }
        Err(e) => Err(e),
    }
}

pub async fn certificate(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let typed = Typed::from_pairs(pairs);
    user.check_csrf(&typed.csrf_token)?;
    let mut pre = FieldErrors::new();
    let until = if typed.certificate_valid_until.trim().is_empty() {
        None
    } else {
        date(&typed.certificate_valid_until, "certificate_valid_until", "执法证有效期", &mut pre)
    };
    let req = UpdateInspector {
        certificate_no: Some(typed.certificate_no.clone()),
        certificate_valid_until: until,
        specialties: Some(typed.specialties.iter().filter_map(|s| s.parse().ok()).collect()),
    };
    let r = state.write(user.actor(), async |tx| merged(&pre, register::update(tx, &user, id, &req).await)).await;
    finish(&state, &user, id, typed, "certificate", r).await
}

pub async fn absence(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let typed = Typed::from_pairs(pairs);
    user.check_csrf(&typed.csrf_token)?;
    let mut pre = FieldErrors::new();
    let today = state.clock.today();
    let from = date(&typed.from, "from", "开始日期", &mut pre).unwrap_or(today);
    let to = date(&typed.to, "to", "结束日期", &mut pre).unwrap_or(from);
    let kind = typed.kind.parse().unwrap_or(AbsenceKind::Other);
    let note = Some(typed.note.clone()).filter(|n| !n.trim().is_empty());
    let req = NewAbsence { from, to, kind, note };
    let r =
        state.write(user.actor(), async |tx| merged(&pre, availability::add_absence(tx, &user, id, &req).await)).await;
    finish(&state, &user, id, typed, "absence", r).await
}

pub async fn conflict(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let mut typed = Typed::from_pairs(pairs);
    user.check_csrf(&typed.csrf_token)?;
    if typed.enterprise_id.parse::<i64>().is_err() && !typed.enterprise_q.trim().is_empty() {
        let hits = crate::enterprise::search::search(state.db.conn(), &user, &typed.enterprise_q).await?;
        if let [one] = hits.as_slice() {
            typed.enterprise_id = one.id.to_string();
        }
    }
    let req = NewConflict { enterprise_id: typed.enterprise_id.parse().unwrap_or(0), reason: typed.reason.clone() };
    let r = state.write(user.actor(), async |tx| availability::declare(tx, &user, id, &req).await.map(|_| ())).await;
    finish(&state, &user, id, typed, "conflict", r).await
}

pub async fn withdraw(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath((id, cid)): PagePath<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let typed = Typed::from_pairs(pairs);
    user.check_csrf(&typed.csrf_token)?;
    state.write(user.actor(), async |tx| availability::withdraw(tx, &user, id, cid).await).await?;
    Ok(see_other(&format!("/inspectors/{id}")))
}
