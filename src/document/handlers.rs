//! The documents API: the documents issued for a hazard, and issuing one.

use super::{DocumentKind, issue, issued};
use crate::auth::CurrentUser;
use crate::entities::{bureau, hazard_document};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::ApiPath;
use crate::routes::{ApiRoutes, routes};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait};
use serde::Serialize;

/// A document issued for a hazard.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DocumentResponse {
    pub kind: DocumentKind,
    /// e.g. 江汉区应急隐改〔2026〕12号.
    pub number: String,
    pub bureau_id: i64,
    pub bureau_name: String,
    pub issued_at: DateTime<Utc>,
    /// The printable page.
    pub link: String,
}

pub async fn response<C: ConnectionTrait>(db: &C, d: hazard_document::Model) -> AppResult<DocumentResponse> {
    let b = bureau::Entity::find_by_id(d.bureau_id).one(db).await?.ok_or(AppError::NotFound)?;
    Ok(DocumentResponse {
        link: format!("/hazards/{}/documents/{}", d.hazard_id, d.kind.slug()),
        kind: d.kind,
        number: d.number,
        bureau_id: d.bureau_id,
        bureau_name: b.name,
        issued_at: d.issued_at,
    })
}

/// The documents issued for a hazard (whoever sees the hazard).
#[utoipa::path(get, path = "/api/v1/hazards/{id}/documents", tag = "documents", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<DocumentResponse>), (status = 404, body = ErrorBody)))]
pub async fn list_documents(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<DocumentResponse>>> {
    let db = state.db.conn();
    crate::hazard::service::get_visible(db, &user, id).await?;
    let mut out = Vec::new();
    for d in issued(db, id).await? {
        out.push(response(db, d).await?);
    }
    Ok(Json(out))
}

/// Issue a document for a hazard: its number is issued once; a second call
/// answers the same number. `kind` is `rectification_notice` (regulators and
/// inspectors), `supervision_notice` or `closure_opinion` (regulators).
#[utoipa::path(post, path = "/api/v1/hazards/{id}/documents/{kind}", tag = "documents",
    params(("id" = i64, Path), ("kind" = DocumentKind, Path)),
    responses((status = 200, body = DocumentResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn issue_document(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, kind)): ApiPath<(i64, String)>,
) -> AppResult<Json<DocumentResponse>> {
    let kind = DocumentKind::from_slug(&kind).ok_or(AppError::NotFound)?;
    let d = state.write(user.actor(), async |tx| issue(tx, &user, id, kind).await).await?;
    Ok(Json(response(state.db.conn(), d).await?))
}

pub fn routes() -> ApiRoutes {
    ApiRoutes::new().routes(routes!(list_documents)).routes(routes!(issue_document))
}
