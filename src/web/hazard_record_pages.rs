//! The hazard page's record-keeping forms: correct a record (更正记录) and
//! merge a duplicate into it (合并重复记录), through the same use cases as
//! `POST /api/v1/hazards/{id}/correct` and `/merge`. A failed form comes back
//! on the hazard page with what was typed and the errors beside the fields.

use super::hazard_detail::{Failed, page};
use super::page::{FormErrors, PagePath, PageResult, PageUser, render_with, see_other};
use crate::entities::hazard;
use crate::error::{AppError, AppResult};
use crate::hazard::correct::{self, CorrectRequest, MergeRequest};
use crate::state::AppState;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use std::collections::HashMap;

/// The categories the correction form offers: those of the hazard's province and
/// sector, with its current one first if it was retired since.
pub async fn categories(state: &AppState, h: &hazard::Model) -> AppResult<Vec<(String, String)>> {
    let province = crate::category::province_of(&h.region_code);
    let sector = h.sector.map(crate::enterprise::domain::Sector::as_str);
    let offered = crate::category::offered(state.db.conn(), province.as_deref(), sector).await?;
    let mut out: Vec<(String, String)> = offered.into_iter().map(|c| (c.code, c.name)).collect();
    if !out.iter().any(|(code, _)| *code == h.category) {
        out.insert(0, (h.category.clone(), h.category.clone()));
    }
    Ok(out)
}

type Fields = HashMap<String, String>;

fn text(f: &Fields, name: &str) -> Option<String> {
    f.get(name).cloned()
}

fn version(f: &Fields) -> i32 {
    f.get("version").and_then(|v| v.trim().parse().ok()).unwrap_or_default()
}

async fn back(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: i64,
    action: &'static str,
    fields: Fields,
    e: &AppError,
) -> PageResult {
    let failed = Failed { action, fields, errors: FormErrors::from_error(e) };
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page(state, user, id, Some(failed), None).await?)
}

/// `POST /hazards/{id}/correct`.
pub async fn correct_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(fields): Form<Fields>,
) -> PageResult {
    user.check_csrf(fields.get("csrf_token").map_or("", String::as_str))?;
    let req = CorrectRequest {
        version: version(&fields),
        category: text(&fields, "category"),
        title: text(&fields, "title"),
        description: text(&fields, "description"),
        location: text(&fields, "location"),
        reason: text(&fields, "reason").unwrap_or_default(),
    };
    match state.write(user.actor(), async |tx| correct::correct(tx, &user, id, &req).await).await {
        Ok(_) => Ok(see_other(&format!("/hazards/{id}"))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            back(&state, &user, id, "correct", fields, &e).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /hazards/{id}/merge`.
pub async fn merge_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(fields): Form<Fields>,
) -> PageResult {
    user.check_csrf(fields.get("csrf_token").map_or("", String::as_str))?;
    let duplicate = fields.get("duplicate_id").and_then(|d| d.trim().trim_start_matches('#').parse::<i64>().ok());
    let Some(duplicate_id) = duplicate else {
        let e = AppError::validation("duplicate_id", "请填写重复记录的编号（数字）");
        return back(&state, &user, id, "merge", fields, &e).await;
    };
    let req =
        MergeRequest { version: version(&fields), duplicate_id, reason: text(&fields, "reason").unwrap_or_default() };
    match state.write(user.actor(), async |tx| correct::merge(tx, &user, id, &req).await).await {
        Ok(_) => Ok(see_other(&format!("/hazards/{id}"))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            back(&state, &user, id, "merge", fields, &e).await
        }
        Err(e) => Err(e.into()),
    }
}
