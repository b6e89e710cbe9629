//! 登记安责险保单 (`/insurance/policies/new`): a regulator or an insurer's user
//! records a policy through the API's use case (`insurance::service::create`).
//! A refusal or a failed form comes back with every problem in Chinese and what
//! was typed kept (403 or 422).
//!
//! Decisions:
//! - The enterprise is given by its number (`?enterprise_id=` prefills it from the
//!   enterprise's insurance page): an insurer cannot search the register.
//! - An insurer's user gets its own insurer's name prefilled.
//! - After saving, the browser goes to the enterprise's insurance page.

use super::case_new_form::Typed;
use super::layout::{Layout, Section};
use super::page::{FormErrors, PageResult, PageUser, render_with, see_other};
use crate::auth::CurrentUser;
use crate::error::{AppError, FieldErrors};
use crate::insurance::insurers::Viewer;
use crate::insurance::json::CreateInsurancePolicy;
use crate::insurance::policy::Actor;
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use chrono::NaiveDate;

#[derive(Template)]
#[template(path = "insurance_policy_form.html")]
pub struct PolicyFormPage {
    pub layout: Layout,
    pub typed: Typed,
    pub errors: FormErrors,
    pub insurer_fixed: bool,
}

impl PolicyFormPage {
    pub fn err(&self, field: &str) -> String {
        self.errors.of(field)
    }
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    typed: Typed,
    errors: FormErrors,
    status: StatusCode,
) -> PageResult {
    let viewer = Viewer::of(state.db.conn(), user).await?;
    let p = PolicyFormPage {
        layout: Layout::new(state, user, "登记安责险保单", Section::Insurance).await?,
        typed,
        errors,
        insurer_fixed: viewer.insurer_id().is_some(),
    };
    render_with(status, &p)
}

async fn refuse_unless_recorder(state: &AppState, user: &CurrentUser) -> PageResult<Viewer> {
    let viewer = Viewer::of(state.db.conn(), user).await?;
    if Actor::of(&user.roles, viewer.insurer_id()).records() {
        Ok(viewer)
    } else {
        Err(AppError::ForbiddenBecause("只有监管人员和保险机构可以登记保单".to_owned()).into())
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<Vec<(String, String)>>,
) -> PageResult {
    let viewer = refuse_unless_recorder(&state, &user).await?;
    let mut typed = Typed::default();
    if let Some((_, v)) = q.iter().find(|(k, _)| k == "enterprise_id") {
        typed.set("enterprise_id", v.trim());
    }
    if let Viewer::Insurer(i) = viewer {
        typed.set("insurer", i.name);
    }
    page(&state, &user, typed, FormErrors::default(), StatusCode::OK).await
}

fn number<T: std::str::FromStr>(t: &Typed, field: &str, f: &mut FieldErrors) -> Option<T> {
    let v = super::page::whole_number(t.get(field), field, f);
    if v.is_none() && t.get(field).trim().is_empty() {
        f.entry(field.to_owned()).or_default().push("请填写".to_owned());
    }
    v
}

fn date(t: &Typed, field: &str, f: &mut FieldErrors) -> Option<NaiveDate> {
    let d = NaiveDate::parse_from_str(t.get(field).trim(), "%Y-%m-%d").ok();
    if d.is_none() {
        f.entry(field.to_owned()).or_default().push("请填写日期（年-月-日）".to_owned());
    }
    d
}

/// The API's body from the form; every problem of the typing at once.
pub fn body(t: &Typed) -> Result<CreateInsurancePolicy, FieldErrors> {
    let mut f = FieldErrors::new();
    let enterprise_id = number(t, "enterprise_id", &mut f);
    let starts_on = date(t, "starts_on", &mut f);
    let ends_on = date(t, "ends_on", &mut f);
    let premium_yuan = number(t, "premium_yuan", &mut f);
    let insured_headcount = number(t, "insured_headcount", &mut f);
    let limit = number(t, "death_disability_limit_yuan", &mut f);
    match (enterprise_id, starts_on, ends_on, premium_yuan, insured_headcount, limit) {
        (Some(enterprise_id), Some(starts_on), Some(ends_on), Some(premium_yuan), Some(insured_headcount), Some(l))
            if f.is_empty() =>
        {
            Ok(CreateInsurancePolicy {
                enterprise_id,
                insurer: t.get("insurer").to_owned(),
                policy_no: t.get("policy_no").to_owned(),
                starts_on,
                ends_on,
                premium_yuan,
                insured_headcount,
                death_disability_limit_yuan: l,
            })
        }
        _ => Err(f),
    }
}

pub async fn create(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let typed = Typed::from_pairs(pairs);
    user.check_csrf(typed.get("csrf_token"))?;
    let result = match body(&typed) {
        Ok(b) => state.write(user.actor(), async |tx| crate::insurance::service::create(tx, &user, &b).await).await,
        Err(f) => Err(AppError::Validation(f)),
    };
    match result {
        Ok(p) => Ok(see_other(&format!("/enterprises/{}/insurance?saved=1", p.enterprise_id))),
        Err(
            e @ (AppError::Validation(_)
            | AppError::Forbidden
            | AppError::ForbiddenBecause(_)
            | AppError::Conflict { .. }),
        ) => page(&state, &user, typed, FormErrors::from_error(&e), e.status()).await,
        Err(e) => Err(e.into()),
    }
}
