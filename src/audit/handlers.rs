//! HTTP handler for the change-log check.

use super::verify::{VerifyReport, verify};
use crate::auth::{CurrentUser, Role};
use crate::error::{AppResult, ErrorBody};
use crate::state::AppState;
use axum::{Json, extract::State};

/// Recompute the change-log chain and check every audited record (regulators).
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit",
    responses((status = 200, body = VerifyReport), (status = 403, body = ErrorBody)))]
pub async fn verify_audit(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<VerifyReport>> {
    user.require_any(&[Role::Regulator])?;
    Ok(Json(verify(state.db.conn()).await?))
}
