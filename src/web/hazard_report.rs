//! The one-screen report form (上报隐患), also for staff and grid workers on phones.

use super::hazard_pages::{Choice, choices, parse_local, read_form, save_photos, sources_for};
use super::layout::{Layout, Section};
use super::page::{PageResult, PageUser, messages, render, render_with, see_other};
use crate::error::AppError;
use crate::hazard::domain::Level;
use crate::hazard::json::CreateHazardRequest;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "hazard_new.html")]
struct ReportPage {
    layout: Layout,
    errors: Vec<String>,
    /// The enterprise the report is about, when fixed (enterprise users, or a link from the register).
    enterprise_id: String,
    bureau_user: bool,
    sources: Vec<Choice>,
    levels: Vec<Choice>,
    categories: Vec<(String, String)>,
    now: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    enterprise_id: String,
}

async fn page(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    enterprise_id: String,
    errors: Vec<String>,
) -> PageResult<ReportPage> {
    let categories = crate::entities::hazard_category::Entity::find()
        .filter(crate::entities::hazard_category::Column::Active.eq(true))
        .order_by_asc(crate::entities::hazard_category::Column::Sort)
        .all(state.db.conn())
        .await
        .map_err(AppError::from)?
        .into_iter()
        .map(|c| (c.code, c.name))
        .collect();
    let enterprise_id = if user.is_bureau_user() {
        enterprise_id
    } else {
        user.enterprise_ids.first().map(ToString::to_string).unwrap_or_default()
    };
    let now = super::page::beijing(state.clock.now()).replace(' ', "T");
    Ok(ReportPage {
        layout: Layout::new(state, user, "上报隐患", Section::Hazards).await?,
        errors,
        enterprise_id,
        bureau_user: user.is_bureau_user(),
        sources: sources_for(user),
        levels: choices(Level::ALL, Level::as_str, Level::zh, "general"),
        categories,
        now,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<NewQuery>,
) -> PageResult {
    render(&page(&state, &user, q.enterprise_id, Vec::new()).await?)
}

pub async fn report(State(state): State<AppState>, PageUser(user): PageUser, form: Multipart) -> PageResult {
    let _turn = state.gates.photos.enter().await?;
    let form = read_form(form).await?;
    user.check_csrf(&form.get("csrf_token").unwrap_or_default())?;
    let enterprise_id = form.get("enterprise_id").unwrap_or_default();
    let outcome = async {
        let attachment_ids = save_photos(&state, &user, &form.files).await.map_err(|e| e.0)?;
        let body = serde_json::json!({
            "enterprise_id": enterprise_id.parse::<i64>().ok(),
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
        crate::hazard::service::create(&state, &user, &req).await
    }
    .await;
    match outcome {
        Ok((row, _)) => Ok(see_other(&format!("/hazards/{}", row.id))),
        Err(e @ (AppError::Validation(_) | AppError::NotFound)) => {
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page(&state, &user, enterprise_id, messages(&e)).await?)
        }
        Err(e) => Err(e.into()),
    }
}
