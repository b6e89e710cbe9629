//! Download of an attachment. Files are streamed from disk in 64 KiB pieces,
//! never read whole, with single byte ranges (206 / 416) and the SHA-256 as
//! the `ETag`.
//!
//! Photos for enterprise users are the exception: they are stripped of their
//! metadata (see [`super::strip`]) and sent whole, without ranges
//! (`Accept-Ranges: none`): photos are at most 20 MB on every route, so a
//! stripped copy fits in memory, and a range of a stripped copy would need
//! the copy kept somewhere. Their `ETag` is the original's digest with
//! `-stripped`, so caches never mix the two. A photo the stripper cannot
//! follow is not served to them (422 `image_unreadable`).

use super::kind::is_photo;
use super::range::{Wanted, wanted};
use crate::auth::CurrentUser;
use crate::entities::attachment;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::ApiPath;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::EntityTrait;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

/// Size of the pieces a download is sent in.
const PIECE: usize = 64 << 10;

/// Download an attachment: its uploader, or anyone who may see the record it
/// belongs to. Supports one byte range (`Range: bytes=a-b`, `a-`, `-n`);
/// photos for enterprise users come without metadata and whole.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "attachments",
    params(("id" = i64, Path), ("Range" = Option<String>, Header, description = "one range: bytes=a-b, a- or -n")),
    responses((status = 200, description = "the file"), (status = 206, description = "the requested bytes"),
        (status = 404, body = ErrorBody), (status = 416, description = "range outside the file"),
        (status = 422, description = "`image_unreadable`: a photo that cannot be stripped", body = ErrorBody)))]
pub async fn download_attachment(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let row = attachment::Entity::find_by_id(id).one(state.db.conn()).await?.ok_or(AppError::NotFound)?;
    if !super::owner::may_download(state.db.conn(), &user, &row).await? {
        return Err(AppError::NotFound);
    }
    let path = super::path_of(&state.config.files_dir, &row.sha256);
    if is_photo(&row.content_type) && !user.is_bureau_user() {
        return stripped(&row, &path).await;
    }
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let file = tokio::fs::File::open(&path).await.map_err(|e| AppError::Internal(e.into()))?;
    let len = file.metadata().await.map_err(|e| AppError::Internal(e.into()))?.len();
    let mut res = match wanted(range, len) {
        Wanted::Whole => {
            let mut res = (StatusCode::OK, stream(file, 0, len).await?).into_response();
            set(&mut res, header::CONTENT_LENGTH, len.to_string());
            res
        }
        Wanted::Part(first, last) => {
            let mut res = (StatusCode::PARTIAL_CONTENT, stream(file, first, last - first + 1).await?).into_response();
            set(&mut res, header::CONTENT_RANGE, format!("bytes {first}-{last}/{len}"));
            set(&mut res, header::CONTENT_LENGTH, (last - first + 1).to_string());
            res
        }
        Wanted::Unsatisfiable => {
            let mut res = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            set(&mut res, header::CONTENT_RANGE, format!("bytes */{len}"));
            res
        }
    };
    set(&mut res, header::ACCEPT_RANGES, "bytes".to_owned());
    describe(&mut res, &row, &row.sha256);
    Ok(res)
}

/// The photo without metadata, whole.
async fn stripped(row: &attachment::Model, path: &std::path::Path) -> AppResult<Response> {
    let bytes = tokio::fs::read(path).await.map_err(|e| AppError::Internal(e.into()))?;
    let Ok(clean) = super::strip::strip(&row.content_type, &bytes) else {
        return Err(AppError::unprocessable("image_unreadable", "图片结构无法解析，不能提供给企业用户"));
    };
    let mut res = (StatusCode::OK, clean).into_response();
    set(&mut res, header::ACCEPT_RANGES, "none".to_owned());
    describe(&mut res, row, &format!("{}-stripped", row.sha256));
    Ok(res)
}

fn set(res: &mut Response, name: header::HeaderName, value: String) {
    if let Ok(v) = HeaderValue::try_from(value) {
        res.headers_mut().insert(name, v);
    }
}

fn describe(res: &mut Response, row: &attachment::Model, etag: &str) {
    set(res, header::CONTENT_TYPE, row.content_type.clone());
    set(
        res,
        header::CONTENT_DISPOSITION,
        format!("inline; filename*=UTF-8''{}", crate::percent::encode(&row.file_name)),
    );
    set(res, header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned());
    set(res, header::CACHE_CONTROL, "private, max-age=3600".to_owned());
    set(res, header::ETAG, format!("\"{etag}\""));
}

/// `len` bytes of the file from `first`, read as they are sent.
async fn stream(mut file: tokio::fs::File, first: u64, len: u64) -> AppResult<Body> {
    file.seek(std::io::SeekFrom::Start(first)).await.map_err(|e| AppError::Internal(e.into()))?;
    let pieces = futures::stream::try_unfold((file, len), |(mut file, left)| async move {
        if left == 0 {
            return Ok(None);
        }
        let want = usize::try_from(left).map_or(PIECE, |l| l.min(PIECE));
        let mut buf = vec![0u8; want];
        let n = file.read(&mut buf).await?;
        if n == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "attachment shorter than recorded"));
        }
        buf.truncate(n);
        Ok(Some((axum::body::Bytes::from(buf), (file, left - n as u64))))
    });
    Ok(Body::from_stream(pieces))
}
