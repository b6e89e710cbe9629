//! The bulletins API: list and read (bureau users), publish (a regulator of the bureau).

use super::Content;
use super::build::{get_visible, publish};
use crate::auth::{CurrentUser, Scope};
use crate::entities::{bulletin, bulletin_publication};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath, ListResponse};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};

/// A bulletin with what it says and what was published.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BulletinResponse {
    pub id: i64,
    pub bureau_id: i64,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// `draft` or `published`.
    pub status: super::BulletinStatus,
    pub content: Content,
    pub published_at: Option<DateTime<Utc>>,
    /// Hazards published on the public page.
    pub published_hazard_ids: Vec<i64>,
    pub version: i32,
}

/// Items to publish.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PublishRequest {
    /// Overdue major hazards of this bulletin to show on the public page; at most `limits::IDS`.
    #[schema(max_items = 1000)]
    pub hazard_ids: Vec<i64>,
}

pub async fn response(db: &impl sea_orm::ConnectionTrait, b: bulletin::Model) -> AppResult<BulletinResponse> {
    let published = bulletin_publication::Entity::find()
        .select_only()
        .column(bulletin_publication::Column::HazardId)
        .filter(bulletin_publication::Column::BulletinId.eq(b.id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(BulletinResponse {
        id: b.id,
        bureau_id: b.bureau_id,
        period_start: b.period_start,
        period_end: b.period_end,
        status: b.status,
        content: serde_json::from_str(&b.content).map_err(|e| AppError::Internal(e.into()))?,
        published_at: b.published_at,
        published_hazard_ids: published,
        version: b.version,
    })
}

/// Bulletins of the user's bureau and those below it, newest first (at most 200).
pub async fn visible_bulletins(state: &AppState, user: &CurrentUser) -> AppResult<Vec<bulletin::Model>> {
    if !matches!(user.scope, Scope::Bureaus { .. }) {
        return Err(AppError::Forbidden);
    }
    Ok(crate::scope::scoped(bulletin::Entity::find(), &user.scope)
        .order_by_desc(bulletin::Column::PeriodStart)
        .order_by_asc(bulletin::Column::BureauId)
        .limit(200)
        .all(state.db.conn())
        .await?)
}

/// Bulletins of the user's bureau and those below it (bureau users).
#[utoipa::path(get, path = "/api/v1/bulletins", tag = "bulletins",
    responses((status = 200, body = ListResponse<BulletinResponse>), (status = 403, body = ErrorBody)))]
pub async fn list_bulletins(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<Json<ListResponse<BulletinResponse>>> {
    let rows = visible_bulletins(&state, &user).await?;
    let mut items = Vec::with_capacity(rows.len());
    for b in rows {
        items.push(response(state.db.conn(), b).await?);
    }
    let total = items.len() as u64;
    Ok(Json(ListResponse { items, total }))
}

/// One bulletin.
#[utoipa::path(get, path = "/api/v1/bulletins/{id}", tag = "bulletins", params(("id" = i64, Path)),
    responses((status = 200, body = BulletinResponse), (status = 404, body = ErrorBody)))]
pub async fn get_bulletin(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<BulletinResponse>> {
    let b = get_visible(state.db.conn(), &user, id).await?;
    Ok(Json(response(state.db.conn(), b).await?))
}

/// Publish selected overdue major hazards of a bulletin on the public page.
#[utoipa::path(post, path = "/api/v1/bulletins/{id}/publish", tag = "bulletins", params(("id" = i64, Path)),
    request_body = PublishRequest,
    responses((status = 200, body = BulletinResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn publish_bulletin(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<PublishRequest>,
) -> AppResult<Json<BulletinResponse>> {
    let row = state.write(user.actor(), async |tx| publish(tx, tx.ctx(), &user, id, &req.hazard_ids).await).await?;
    Ok(Json(response(state.db.conn(), row).await?))
}
