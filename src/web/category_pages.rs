//! `/hazard-categories`: the province's hazard category dictionary. Everyone
//! reads it; the regulators of a province-level bureau add, rename, reorder,
//! retire and reactivate their province's categories (the shipped ones are
//! read-only). A failed form comes back with what was typed and the errors.

use super::layout::{Layout, Section};
use super::page::{Choice, FormErrors, PagePath, PageResult, PageUser, render_with, see_other};
use crate::category::handlers::{CreateCategoryRequest, UpdateCategoryRequest, create, for_page, update};
use crate::enterprise::domain::Sector;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use std::collections::HashMap;

pub struct CategoryRow {
    pub id: i64,
    pub name: String,
    pub sector: &'static str,
    pub sort: i32,
    pub active: bool,
    /// Kept by the province (editable by its maintainers), not shipped.
    pub own: bool,
}

#[derive(Template)]
#[template(path = "hazard_categories.html")]
struct CategoriesPage {
    layout: Layout,
    rows: Vec<CategoryRow>,
    maintainer: bool,
    sectors: Vec<Choice>,
    errors: FormErrors,
    typed_name: String,
}

async fn page(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    errors: FormErrors,
    typed_name: String,
) -> PageResult<CategoriesPage> {
    let rows = for_page(state, user)
        .await?
        .into_iter()
        .map(|c| CategoryRow {
            id: c.id,
            sector: c.sector.as_deref().and_then(|s| s.parse::<Sector>().ok()).map_or("全部行业", Sector::zh),
            own: c.province_code.is_some(),
            name: c.name,
            sort: c.sort,
            active: c.active,
        })
        .collect();
    Ok(CategoriesPage {
        layout: Layout::new(state, user, "隐患类别", Section::Hazards).await?,
        rows,
        maintainer: crate::category::maintains(state.db.conn(), user).await?,
        sectors: super::page::choices(Sector::ALL, Sector::as_str, Sector::zh, ""),
        errors,
        typed_name,
    })
}

pub async fn list(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    render_with(StatusCode::OK, &page(&state, &user, FormErrors::default(), String::new()).await?)
}

type Fields = HashMap<String, String>;

/// `POST /hazard-categories`: a new category of the maintainer's province.
pub async fn create_form(State(state): State<AppState>, PageUser(user): PageUser, Form(f): Form<Fields>) -> PageResult {
    user.check_csrf(f.get("csrf_token").map_or("", String::as_str))?;
    let name = f.get("name").cloned().unwrap_or_default();
    let req = CreateCategoryRequest {
        name: name.clone(),
        sector: f.get("sector").and_then(|s| s.parse().ok()),
        sort: f.get("sort").and_then(|s| s.trim().parse().ok()),
    };
    match state.write(user.actor(), async |tx| create(tx, &user, &req).await).await {
        Ok(_) => Ok(see_other("/hazard-categories")),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page(&state, &user, FormErrors::from_error(&e), name).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /hazard-categories/{id}`: rename, reorder, retire or reactivate one.
pub async fn update_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(f): Form<Fields>,
) -> PageResult {
    user.check_csrf(f.get("csrf_token").map_or("", String::as_str))?;
    let req = UpdateCategoryRequest {
        name: f.get("name").cloned(),
        sector: None,
        sort: f.get("sort").and_then(|s| s.trim().parse().ok()),
        active: f.get("active").map(|a| a == "true"),
    };
    match state.write(user.actor(), async |tx| update(tx, &user, id, &req).await).await {
        Ok(_) => Ok(see_other("/hazard-categories")),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(&state, &user, FormErrors::from_error(&e), String::new()).await?,
        ),
        Err(e) => Err(e.into()),
    }
}
