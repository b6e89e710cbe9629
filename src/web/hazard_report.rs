//! The one-screen report form (上报隐患), also for staff and grid workers on phones.

use super::hazard_pages::{Choice, FormData, choices, parse_local, read_form, save_photos, sources_for};
use super::layout::{Layout, Section};
use super::page::{FormErrors, PageResult, PageUser, render, render_with, see_other};
use crate::error::AppError;
use crate::hazard::domain::Level;
use crate::hazard::json::CreateHazardRequest;
use crate::limits;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "hazard_new.html")]
struct ReportPage {
    layout: Layout,
    errors: FormErrors,
    /// What was typed, when the form comes back with errors.
    typed: Typed,
    bureau_user: bool,
    sources: Vec<Choice>,
    levels: Vec<Choice>,
    categories: Vec<(String, String)>,
    /// `maxlength` of the title, description and location (`limits`).
    max: (usize, usize, usize),
}

/// The report form's fields as typed (all text, so that a bad value comes back as it was).
#[derive(Debug, Default)]
pub struct Typed {
    /// The enterprise the report is about, when fixed (enterprise users, or a link from the register).
    enterprise_id: String,
    source: String,
    level: String,
    category: String,
    title: String,
    description: String,
    location: String,
    found_at: String,
    deadline: String,
}

impl Typed {
    fn from_form(form: &FormData) -> Self {
        let raw = |k: &str| form.fields.get(k).cloned().unwrap_or_default();
        Self {
            enterprise_id: form.get("enterprise_id").unwrap_or_default(),
            source: raw("source"),
            level: raw("level"),
            category: raw("category"),
            title: raw("title"),
            description: raw("description"),
            location: raw("location"),
            found_at: raw("found_at"),
            deadline: raw("deadline"),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    enterprise_id: String,
}

async fn page(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    mut typed: Typed,
    errors: FormErrors,
) -> PageResult<ReportPage> {
    // The shipped categories and the user's province's own (the dictionary).
    let province = crate::category::province_of_user(state.db.conn(), user).await?;
    let categories = crate::category::offered(state.db.conn(), province.as_deref(), None)
        .await?
        .into_iter()
        .map(|c| (c.code, c.name))
        .collect();
    if !user.is_bureau_user() {
        typed.enterprise_id = user.enterprise_ids.first().map(ToString::to_string).unwrap_or_default();
    }
    if typed.found_at.is_empty() {
        typed.found_at = super::page::beijing(state.clock.now()).replace(' ', "T");
    }
    let level = if typed.level.is_empty() { "general" } else { typed.level.as_str() };
    Ok(ReportPage {
        layout: Layout::new(state, user, "上报隐患", Section::Hazards).await?,
        errors,
        bureau_user: user.is_bureau_user(),
        sources: sources_for(user, &typed.source),
        levels: choices(Level::ALL, Level::as_str, Level::zh, level),
        categories,
        max: (limits::NAME, limits::TEXT, limits::ADDRESS),
        typed,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<NewQuery>,
) -> PageResult {
    let typed = Typed { enterprise_id: q.enterprise_id, ..Typed::default() };
    render(&page(&state, &user, typed, FormErrors::default()).await?)
}

pub async fn report(State(state): State<AppState>, PageUser(user): PageUser, form: Multipart) -> PageResult {
    let _turn = state.gates.photos.enter().await?;
    let form = read_form(form).await?;
    user.check_csrf(&form.get("csrf_token").unwrap_or_default())?;
    let outcome = async {
        let attachment_ids = save_photos(&state, &user, &form.files).await.map_err(|e| e.0)?;
        let body = serde_json::json!({
            "enterprise_id": form.get("enterprise_id").and_then(|e| e.parse::<i64>().ok()),
            "source": form.get("source").unwrap_or_default(),
            "level": form.get("level").unwrap_or_default(),
            "category": form.get("category").unwrap_or_default(),
            "title": form.get("title").unwrap_or_default(),
            "description": form.get("description").unwrap_or_default(),
            "location": form.get("location"),
            "found_at": form.get("found_at").and_then(|t| parse_local(&t)).unwrap_or_else(|| state.clock.now()),
            "deadline": form.date("deadline"),
            "attachment_ids": attachment_ids,
        });
        let req: CreateHazardRequest =
            serde_json::from_value(body).map_err(|e| AppError::validation("body", format!("表单内容不完整：{e}")))?;
        state.write(user.actor(), async |tx| crate::hazard::service::create(tx, &user, &req).await).await
    }
    .await;
    match outcome {
        Ok((row, _)) => Ok(see_other(&format!("/hazards/{}", row.id))),
        Err(e @ (AppError::Validation(_) | AppError::NotFound)) => {
            let errors = FormErrors::from_error(&e);
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page(&state, &user, Typed::from_form(&form), errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}
