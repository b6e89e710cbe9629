//! The bulletins API: list and read (bureau users); propose items for the
//! public page (a regulator of the bureau) and approve or return the proposal
//! (an approver of the bureau who did not propose it).

use super::Content;
use super::build::get_visible;
use super::publish::{decide, pending, propose, proposed_ids};
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
    /// The proposal waiting for an approver, if any.
    pub proposal: Option<ProposalResponse>,
    pub version: i32,
}

/// A pending proposal to publish items of a bulletin.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProposalResponse {
    pub hazard_ids: Vec<i64>,
    pub proposed_by: i64,
    pub proposed_by_name: Option<String>,
    pub proposed_at: DateTime<Utc>,
}

/// Items proposed for the public page.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PublishRequest {
    /// Overdue major hazards of this bulletin to show on the public page; at most `limits::IDS`.
    #[schema(max_items = 1000)]
    pub hazard_ids: Vec<i64>,
}

/// An approver's decision on the pending proposal.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DecisionRequest {
    /// `true` publishes the proposed items, `false` returns the proposal.
    pub approved: bool,
}

pub async fn response(db: &impl sea_orm::ConnectionTrait, b: bulletin::Model) -> AppResult<BulletinResponse> {
    let published = bulletin_publication::Entity::find()
        .select_only()
        .column(bulletin_publication::Column::HazardId)
        .filter(bulletin_publication::Column::BulletinId.eq(b.id))
        .into_tuple()
        .all(db)
        .await?;
    let proposal = match pending(db, b.id).await? {
        Some(p) => Some(ProposalResponse {
            hazard_ids: proposed_ids(&p),
            proposed_by: p.proposed_by,
            proposed_by_name: crate::entities::user::Entity::find_by_id(p.proposed_by)
                .one(db)
                .await?
                .map(|u| u.display_name),
            proposed_at: p.proposed_at,
        }),
        None => None,
    };
    Ok(BulletinResponse {
        id: b.id,
        bureau_id: b.bureau_id,
        period_start: b.period_start,
        period_end: b.period_end,
        status: b.status,
        content: serde_json::from_str(&b.content).map_err(|e| AppError::Internal(e.into()))?,
        published_at: b.published_at,
        published_hazard_ids: published,
        proposal,
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

/// Propose overdue major hazards of a bulletin for the public page (a regulator of its bureau).
#[utoipa::path(post, path = "/api/v1/bulletins/{id}/propose", tag = "bulletins", params(("id" = i64, Path)),
    request_body = PublishRequest,
    responses((status = 200, body = BulletinResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn propose_publication(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<PublishRequest>,
) -> AppResult<Json<BulletinResponse>> {
    state.write(user.actor(), async |tx| propose(tx, tx.ctx(), &user, id, &req.hazard_ids).await).await?;
    let row = get_visible(state.db.conn(), &user, id).await?;
    Ok(Json(response(state.db.conn(), row).await?))
}

/// Approve (publish) or return the pending proposal: an approver of the
/// bulletin's bureau other than its proposer (409 `same_person` otherwise).
#[utoipa::path(post, path = "/api/v1/bulletins/{id}/approve", tag = "bulletins", params(("id" = i64, Path)),
    request_body = DecisionRequest,
    responses((status = 200, body = BulletinResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn decide_publication(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<DecisionRequest>,
) -> AppResult<Json<BulletinResponse>> {
    let row = state.write(user.actor(), async |tx| decide(tx, tx.ctx(), &user, id, req.approved).await).await?;
    Ok(Json(response(state.db.conn(), row).await?))
}
