//! The upload endpoints.

use super::service::{self, Appended};
use crate::attachment::json::{CreateUploadRequest, UploadResponse};
use crate::attachment::range::chunk_range;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::{ApiJson, ApiPath};
use crate::state::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Header carrying the received offset.
pub const UPLOAD_OFFSET: &str = "upload-offset";

fn with_offset(mut res: Response, received: i64) -> Response {
    res.headers_mut().insert(UPLOAD_OFFSET, HeaderValue::from(received));
    res
}

/// Declare a file to upload in chunks: its name, total size (at most 4 GiB),
/// optionally the SHA-256 computed at capture, and capture metadata.
#[utoipa::path(post, path = "/api/v1/uploads", tag = "attachments", request_body = CreateUploadRequest,
    responses((status = 201, body = UploadResponse), (status = 409, description = "`too_many_uploads`", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<CreateUploadRequest>,
) -> AppResult<(StatusCode, Json<UploadResponse>)> {
    let s = service::create(&state, &user, &req).await?;
    Ok((StatusCode::CREATED, Json(UploadResponse::new(&s, None))))
}

/// How far an upload got (`received`), and its receipt once complete.
#[utoipa::path(get, path = "/api/v1/uploads/{id}", tag = "attachments", params(("id" = i64, Path)),
    responses((status = 200, body = UploadResponse), (status = 404, body = ErrorBody)))]
pub async fn get_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let s = service::find_own(state.db.conn(), &user, id, state.clock.now()).await?;
    let receipt = service::receipt(state.db.conn(), &s).await?;
    Ok(with_offset(Json(UploadResponse::new(&s, receipt)).into_response(), s.received))
}

/// Append a chunk: `Content-Range: bytes a-b/total`, the bytes as the body (at
/// most 16 MiB), starting at the received offset. The last chunk answers 201
/// with the receipt.
#[utoipa::path(put, path = "/api/v1/uploads/{id}", tag = "attachments",
    params(("id" = i64, Path), ("Content-Range" = String, Header, description = "bytes a-b/total")),
    request_body(content_type = "application/octet-stream", description = "the chunk's bytes"),
    responses((status = 200, description = "stored; `received` is the next offset", body = UploadResponse),
        (status = 201, description = "complete: `receipt`", body = UploadResponse),
        (status = 400, description = "`incomplete_chunk`: resume from `received`", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`offset_mismatch` (resume from header `Upload-Offset`) or `upload_busy`", body = ErrorBody),
        (status = 413, body = ErrorBody),
        (status = 422, description = "`validation_failed` or `hash_mismatch` (the upload is dropped)", body = ErrorBody)))]
pub async fn put_chunk(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    body: Body,
) -> AppResult<Response> {
    let text = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    let Some(range) = text(header::CONTENT_RANGE).and_then(chunk_range) else {
        return Err(AppError::validation("content_range", "须提供 Content-Range: bytes 起-止/总大小"));
    };
    if range.len() > super::CHUNK as u64 {
        return Err(AppError::TooLarge(format!("每个分片不超过 {} MiB", super::CHUNK >> 20)));
    }
    if text(header::CONTENT_LENGTH).is_some_and(|l| l.parse::<u64>().ok() != Some(range.len())) {
        return Err(AppError::validation("content_range", "Content-Length 与 Content-Range 不一致"));
    }
    Ok(match service::append(&state, &user, id, range, body).await? {
        Appended::Stored(s) => with_offset(Json(UploadResponse::new(&s, None)).into_response(), s.received),
        Appended::Complete(s, receipt) => {
            let res = (StatusCode::CREATED, Json(UploadResponse::new(&s, Some(receipt)))).into_response();
            with_offset(res, s.received)
        }
        Appended::Behind { received } => {
            let e =
                AppError::conflict("offset_mismatch", format!("分片应从第 {received} 字节开始，请从该位置继续上传"));
            with_offset(e.into_response(), received)
        }
    })
}
