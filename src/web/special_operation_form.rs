//! 登记 / 修改特种作业人员 and 离岗 (`/enterprises/{id}/special-operations/new`,
//! `/special-operations/{id}/edit`, `/special-operations/{id}/end`): the enterprise's
//! 主要负责人 or 安全管理人员 write through the API's use cases
//! (`special_operation::service`). A refusal or a failed form comes back with every
//! problem in Chinese and what was typed kept (403, 409 or 422).
//!
//! Decisions:
//! - The identity number is never shown back: on the edit form the field is empty
//!   (the masked number is shown beside it) and empty keeps the recorded one.
//! - The end form sits on the edit page; after any save the browser goes to the
//!   enterprise's list.

use super::case_new_form::Typed;
use super::layout::{Layout, Section};
use super::page::{FormErrors, PagePath, PageResult, PageUser, render_with, see_other};
use crate::auth::CurrentUser;
use crate::error::{AppError, FieldErrors};
use crate::special_operation::json::{CreateSpecialOperationWorker, EndSpecialOperationWorker, WorkerFields};
use crate::special_operation::{policy, service};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;

#[derive(Template)]
#[template(path = "special_operation_form.html")]
pub struct WorkerFormPage {
    pub layout: Layout,
    pub enterprise_id: i64,
    /// The listing edited (`None`: a new one) and its masked identity number.
    pub editing: Option<(i64, String)>,
    pub typed: Typed,
    pub errors: FormErrors,
    pub categories: Vec<(String, String)>,
    pub basis: String,
}

impl WorkerFormPage {
    pub fn err(&self, field: &str) -> String {
        self.errors.of(field)
    }
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    (enterprise_id, editing): (i64, Option<(i64, String)>),
    typed: Typed,
    errors: FormErrors,
    status: StatusCode,
) -> PageResult {
    let r = crate::special_operation::rules::rules()?;
    let title = if editing.is_some() { "修改特种作业人员" } else { "登记特种作业人员" };
    let p = WorkerFormPage {
        layout: Layout::new(state, user, title, Section::OwnSpecialOperations).await?,
        enterprise_id,
        editing,
        typed,
        errors,
        categories: r.categories.iter().map(|c| (c.code.clone(), c.name.clone())).collect(),
        basis: r.periods.basis.clone(),
    };
    render_with(status, &p)
}

fn refuse_unless_writer(user: &CurrentUser, enterprise_id: i64) -> PageResult<()> {
    if policy::Actor::of(user).writes_of(enterprise_id) {
        Ok(())
    } else {
        Err(AppError::ForbiddenBecause("只有本企业的主要负责人和安全管理人员可以登记特种作业人员".to_owned()).into())
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let e = crate::enterprise::service::get_scoped(state.db.conn(), &user.scope, id).await?;
    refuse_unless_writer(&user, e.id)?;
    page(&state, &user, (e.id, None), Typed::default(), FormErrors::default(), StatusCode::OK).await
}

fn date(t: &Typed, field: &str, f: &mut FieldErrors) -> Option<NaiveDate> {
    let v = t.get(field).trim();
    if v.is_empty() {
        return None;
    }
    let d = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
    if d.is_none() {
        f.entry(field.to_owned()).or_default().push("请填写日期（年-月-日）".to_owned());
    }
    d
}

fn opt(t: &Typed, field: &str) -> Option<String> {
    Some(t.get(field).to_owned()).filter(|v| !v.trim().is_empty())
}

/// The API's fields from the form; every problem of the typing at once.
pub fn fields(t: &Typed) -> Result<WorkerFields, FieldErrors> {
    let mut f = FieldErrors::new();
    let w = WorkerFields {
        name: t.get("name").to_owned(),
        id_number: opt(t, "id_number"),
        category: t.get("category").to_owned(),
        certificate_no: opt(t, "certificate_no"),
        issued_by: opt(t, "issued_by"),
        issued_on: date(t, "issued_on", &mut f),
        review_due: date(t, "review_due", &mut f),
        expires_on: date(t, "expires_on", &mut f),
        listed_on: date(t, "listed_on", &mut f),
    };
    if f.is_empty() { Ok(w) } else { Err(f) }
}

fn back(e: &AppError) -> bool {
    matches!(
        e,
        AppError::Validation(_) | AppError::Forbidden | AppError::ForbiddenBecause(_) | AppError::Conflict { .. }
    )
}

pub async fn create(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let typed = Typed::from_pairs(pairs);
    user.check_csrf(typed.get("csrf_token"))?;
    let e = crate::enterprise::service::get_scoped(state.db.conn(), &user.scope, id).await?;
    refuse_unless_writer(&user, e.id)?;
    let result = match fields(&typed) {
        Ok(fields) => {
            let b = CreateSpecialOperationWorker { enterprise_id: e.id, fields };
            state.write(user.actor(), async |tx| service::create(tx, &user, &b).await).await
        }
        Err(f) => Err(AppError::Validation(f)),
    };
    match result {
        Ok(w) => Ok(see_other(&format!("/enterprises/{}/special-operations?saved=1", w.enterprise_id))),
        Err(err) if back(&err) => {
            page(&state, &user, (e.id, None), typed, FormErrors::from_error(&err), err.status()).await
        }
        Err(err) => Err(err.into()),
    }
}

fn typed_of(w: &crate::entities::special_operation_worker::Model) -> Typed {
    let mut t = Typed::default();
    let d = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    t.set("name", w.name.clone());
    t.set("category", w.category.clone());
    t.set("certificate_no", w.certificate_no.clone().unwrap_or_default());
    t.set("issued_by", w.issued_by.clone().unwrap_or_default());
    t.set("issued_on", d(w.issued_on));
    t.set("review_due", d(w.review_due));
    t.set("expires_on", d(w.expires_on));
    t.set("listed_on", w.listed_on.to_string());
    t
}

pub async fn edit_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let w = service::visible(state.db.conn(), &user, id).await?;
    policy::check(&policy::Actor::of(&user), &w, policy::Action::Edit)?;
    let editing = (w.enterprise_id, Some((w.id, w.id_number_masked.clone())));
    page(&state, &user, editing, typed_of(&w), FormErrors::default(), StatusCode::OK).await
}

pub async fn update(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let typed = Typed::from_pairs(pairs);
    user.check_csrf(typed.get("csrf_token"))?;
    let w = service::visible(state.db.conn(), &user, id).await?;
    let result = match fields(&typed) {
        Ok(b) => state.write(user.actor(), async |tx| service::update(tx, &user, id, &b).await).await,
        Err(f) => Err(AppError::Validation(f)),
    };
    match result {
        Ok(w) => Ok(see_other(&format!("/enterprises/{}/special-operations?saved=1", w.enterprise_id))),
        Err(err) if back(&err) => {
            let editing = (w.enterprise_id, Some((w.id, w.id_number_masked.clone())));
            page(&state, &user, editing, typed, FormErrors::from_error(&err), err.status()).await
        }
        Err(err) => Err(err.into()),
    }
}

pub async fn end(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let typed = Typed::from_pairs(pairs);
    user.check_csrf(typed.get("csrf_token"))?;
    let w = service::visible(state.db.conn(), &user, id).await?;
    let mut f = FieldErrors::new();
    let ended_on = date(&typed, "ended_on", &mut f);
    if ended_on.is_none() && f.is_empty() {
        f.entry("ended_on".to_owned()).or_default().push("请填写离岗日期".to_owned());
    }
    let result = match ended_on {
        Some(ended_on) if f.is_empty() => {
            let b = EndSpecialOperationWorker { ended_on, reason: typed.get("reason").to_owned() };
            state.write(user.actor(), async |tx| service::end(tx, &user, id, &b).await).await
        }
        _ => Err(AppError::Validation(f)),
    };
    match result {
        Ok(w) => Ok(see_other(&format!("/enterprises/{}/special-operations?saved=1", w.enterprise_id))),
        Err(err) if back(&err) => {
            let mut shown = typed_of(&w);
            shown.set("ended_on", typed.get("ended_on"));
            shown.set("reason", typed.get("reason"));
            let editing = (w.enterprise_id, Some((w.id, w.id_number_masked.clone())));
            page(&state, &user, editing, shown, FormErrors::from_error(&err), err.status()).await
        }
        Err(err) => Err(err.into()),
    }
}
