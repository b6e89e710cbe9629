//! Upload and download of attachments.

use super::path_of;
use crate::auth::CurrentUser;
use crate::entities::attachment;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::ApiPath;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::EntityTrait;
use serde::Serialize;

/// An uploaded file.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttachmentResponse {
    pub id: i64,
    pub sha256: String,
    pub content_type: String,
    pub size: i64,
    pub file_name: String,
    pub purpose: Option<String>,
}

impl From<attachment::Model> for AttachmentResponse {
    fn from(a: attachment::Model) -> Self {
        Self {
            id: a.id,
            sha256: a.sha256,
            content_type: a.content_type,
            size: a.size,
            file_name: a.file_name,
            purpose: a.purpose,
        }
    }
}

/// Upload a photo (JPEG, PNG, WebP) or PDF, at most 20 MB, as multipart field
/// `file`; name the returned id in a hazard or one of its steps.
#[utoipa::path(post, path = "/api/v1/attachments", tag = "attachments",
    request_body(content_type = "multipart/form-data", description = "field `file`"),
    responses((status = 201, body = AttachmentResponse), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 503, body = ErrorBody)))]
pub async fn upload_attachment(
    State(state): State<AppState>,
    user: CurrentUser,
    mut form: Multipart,
) -> AppResult<(StatusCode, Json<AttachmentResponse>)> {
    let bad = |e: axum::extract::multipart::MultipartError| crate::upload::multipart_error(&e);
    let _turn = state.gates.photos.enter().await?;
    while let Some(field) = form.next_field().await.map_err(bad)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("file").to_owned();
        let bytes = field.bytes().await.map_err(bad)?;
        let row = super::receive(&state, &user, &name, &bytes).await?;
        return Ok((StatusCode::CREATED, Json(row.into())));
    }
    Err(AppError::validation("file", "缺少上传文件（字段 file）"))
}

/// Download an attachment: its uploader, or anyone who may see its hazard.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "attachments", params(("id" = i64, Path)),
    responses((status = 200, description = "the file"), (status = 404, body = ErrorBody)))]
pub async fn download_attachment(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let row = attachment::Entity::find_by_id(id).one(state.db.conn()).await?.ok_or(AppError::NotFound)?;
    let allowed = row.uploaded_by == user.id
        || match row.hazard_id {
            Some(h) => crate::hazard::service::get_visible(state.db.conn(), &user, h).await.is_ok(),
            None => false,
        };
    if !allowed {
        return Err(AppError::NotFound);
    }
    let bytes = tokio::fs::read(path_of(&state.config.files_dir, &row.sha256))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let disposition = format!("inline; filename*=UTF-8''{}", crate::percent::encode(&row.file_name));
    Ok((
        [
            (header::CONTENT_TYPE, row.content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CACHE_CONTROL, "private, max-age=3600".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
