//! Signed-in devices (登录设备) and revoking one (a lost or stolen tablet).
//!
//! Decisions:
//! - Everyone sees and may revoke their own sessions; a 监管人员 also sees and
//!   may revoke those of the bureau users of their bureau and the bureaus below
//!   (the inspectors whose tablets they are responsible for). Other sessions are
//!   404, as if they did not exist.
//! - A revoked session is not deleted: it stays until [`super::service::KEEP_REVOKED_DAYS`]
//!   after it would have expired, so the device still learns at its next contact
//!   (401 `session_revoked` with `Clear-Site-Data`) that it was revoked and wipes
//!   what it holds, even after a long time without a network.
//! - Revoking an already revoked session answers the session as it is.
//! - Revocations are in the change log (entity `session`); the token digest is
//!   never written there.

use super::{CurrentUser, Role, Scope};
use crate::audit::{self, Audited, canonical};
use crate::entities::{session, user};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::{ApiPath, ApiQuery, ListResponse};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::HashMap;

/// The most sessions one list returns (newest first).
pub const MAX_LISTED: u64 = 500;

impl Audited for session::Model {
    const ENTITY: &'static str = "session";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "user_id": self.user_id, "device": self.device,
            "created_at": canonical::time(self.created_at), "expires_at": canonical::time(self.expires_at),
            "revoked_at": self.revoked_at.map(canonical::time), "revoked_by": self.revoked_by,
        })
    }
}

/// One signed-in device.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionResponse {
    pub id: i64,
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    /// What the user called the device at sign-in; `None` for a browser sign-in.
    pub device: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<i64>,
    /// The session of this request.
    pub current: bool,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SessionQuery {
    /// Only this user's sessions.
    pub user_id: Option<i64>,
}

/// The sessions `viewer` may see and revoke: their own, and for a 监管人员 those of the
/// users of their bureau and below (a subquery, however many users that is).
fn visible(viewer: &CurrentUser) -> Condition {
    let own = Condition::any().add(session::Column::UserId.eq(viewer.id));
    match (viewer.has(Role::Regulator), &viewer.scope) {
        (true, Scope::Bureaus { path, .. }) => {
            let staff = sea_orm::sea_query::Query::select()
                .column(user::Column::Id)
                .from(user::Entity)
                .and_where(user::Column::BureauId.in_subquery(crate::scope::subtree(path)))
                .to_owned();
            own.add(session::Column::UserId.in_subquery(staff))
        }
        _ => own,
    }
}

/// The live and the revoked sessions `viewer` may see, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    viewer: &CurrentUser,
    only_user: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<ListResponse<SessionResponse>> {
    let shown = Condition::any().add(session::Column::ExpiresAt.gt(now)).add(session::Column::RevokedAt.is_not_null());
    let mut query = session::Entity::find().filter(visible(viewer)).filter(shown);
    if let Some(id) = only_user {
        query = query.filter(session::Column::UserId.eq(id));
    }
    let total = sea_orm::PaginatorTrait::count(query.clone(), db).await?;
    let rows = query.order_by_desc(session::Column::CreatedAt).limit(MAX_LISTED).all(db).await?;
    let ids: Vec<i64> = rows.iter().map(|s| s.user_id).collect();
    let names: HashMap<i64, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let items = rows.into_iter().map(|s| response(s, &names, viewer)).collect();
    Ok(ListResponse { items, total })
}

fn response(s: session::Model, names: &HashMap<i64, user::Model>, viewer: &CurrentUser) -> SessionResponse {
    let u = names.get(&s.user_id);
    SessionResponse {
        id: s.id,
        user_id: s.user_id,
        username: u.map(|u| u.username.clone()).unwrap_or_default(),
        display_name: u.map(|u| u.display_name.clone()).unwrap_or_default(),
        device: s.device,
        created_at: s.created_at,
        expires_at: s.expires_at,
        revoked_at: s.revoked_at,
        revoked_by: s.revoked_by,
        current: s.id == viewer.session_id,
    }
}

/// Revokes a session `viewer` may see; the device is told at its next contact.
pub async fn revoke(state: &AppState, viewer: &CurrentUser, id: i64) -> AppResult<SessionResponse> {
    let now = state.clock.now();
    state
        .write(viewer.actor(), async |tx| {
            let found =
                session::Entity::find_by_id(id).filter(visible(viewer)).one(tx).await?.ok_or(AppError::NotFound)?;
            let s = if found.revoked_at.is_some() {
                found
            } else {
                let mut active: session::ActiveModel = found.into();
                active.revoked_at = sea_orm::ActiveValue::Set(Some(now));
                active.revoked_by = sea_orm::ActiveValue::Set(Some(viewer.id));
                let s = sea_orm::ActiveModelTrait::update(active, tx).await?;
                audit::record(tx, tx.ctx(), "revoke", &s).await?;
                tx.end_sessions_of(s.user_id);
                s
            };
            let owner = user::Entity::find_by_id(s.user_id).one(tx).await?.ok_or(AppError::NotFound)?;
            Ok(response(s, &HashMap::from([(owner.id, owner)]), viewer))
        })
        .await
}

/// The signed-in devices of the caller, and for a 监管人员 also those of the bureau
/// users of their bureau and below (newest first, at most 500).
#[utoipa::path(get, path = "/api/v1/sessions", tag = "auth", params(SessionQuery),
    responses((status = 200, body = ListResponse<SessionResponse>), (status = 422, body = ErrorBody)))]
pub async fn list_sessions(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<SessionQuery>,
) -> AppResult<Json<ListResponse<SessionResponse>>> {
    Ok(Json(list(state.db.conn(), &user, q.user_id, state.clock.now()).await?))
}

/// Revoke a session (a lost tablet): its next request gets 401 `session_revoked`
/// and the tablet app wipes its local data.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/revoke", tag = "auth", params(("id" = i64, Path)),
    responses((status = 200, body = SessionResponse), (status = 404, body = ErrorBody)))]
pub async fn revoke_session(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<SessionResponse>> {
    Ok(Json(revoke(&state, &user, id).await?))
}
