//! Whole-file upload through the API (multipart, at most 20 MB).

use super::json::AttachmentResponse;
use super::meta::Capture;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorBody, FieldErrors};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use std::collections::HashMap;

/// Header a client may send its capture hash in instead of the `sha256` field.
pub const SHA256_HEADER: &str = "x-content-sha256";

/// Upload a file of at most 20 MB as multipart field `file` — a photo (JPEG,
/// PNG, WebP), a PDF, or audio/video (MP4, MOV, `WebM`, M4A, MP3, WAV, Ogg) —
/// with optional capture fields `sha256` (or header `X-Content-SHA256`),
/// `captured_at`, `latitude`, `longitude`, `accuracy_m`, `position_unavailable`,
/// `device`, `original_sha256`; then name the returned id in a record (a hazard or one of its
/// steps). Larger files go through `POST /api/v1/uploads`.
#[utoipa::path(post, path = "/api/v1/attachments", tag = "attachments",
    request_body(content_type = "multipart/form-data",
        description = "field `file`; optional `sha256`, `captured_at`, `latitude`, `longitude`, `accuracy_m`, `position_unavailable`, `device`, `original_sha256`"),
    params(("X-Content-SHA256" = Option<String>, Header, description = "SHA-256 computed at capture")),
    responses((status = 201, body = AttachmentResponse), (status = 413, body = ErrorBody),
        (status = 422, description = "`validation_failed` (every field) or `hash_mismatch`", body = ErrorBody),
        (status = 503, body = ErrorBody)))]
pub async fn upload_attachment(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    crate::json::ApiMultipart(mut form): crate::json::ApiMultipart,
) -> AppResult<(StatusCode, Json<AttachmentResponse>)> {
    let bad = |e: axum::extract::multipart::MultipartError| crate::upload::multipart_error(&e);
    let _turn = state.gates.photos.enter().await?;
    let mut file = None;
    let mut text = HashMap::new();
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" && file.is_none() {
            let file_name = field.file_name().unwrap_or("file").to_owned();
            file = Some((file_name, field.bytes().await.map_err(bad)?));
        } else if text.len() < 16 && name != "file" {
            // Metadata values are short; a long one is cut here and refused by its check.
            let value: String = field.text().await.map_err(bad)?.chars().take(1_000).collect();
            text.insert(name, value);
        }
    }
    if let Some(h) = headers.get(SHA256_HEADER).and_then(|v| v.to_str().ok()) {
        text.entry("sha256".to_owned()).or_insert_with(|| h.to_owned());
    }
    let mut fields = FieldErrors::new();
    let capture = Capture::from_form(&text, &mut fields);
    for (field, problems) in capture.check(state.clock.now()) {
        fields.entry(field).or_default().extend(problems);
    }
    let Some((name, bytes)) = file else {
        fields.entry("file".to_owned()).or_default().push("缺少上传文件（字段 file）".to_owned());
        return Err(AppError::Validation(fields));
    };
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let row = super::service::accept(&state, &user, &name, &bytes, &capture).await?;
    Ok((StatusCode::CREATED, Json(AttachmentResponse::for_viewer(row, &user))))
}
