//! Answering from a stored key, and keeping a first answer.

use super::MAX_STORED;
use super::store::{self, Answer};
use crate::entities::idempotency_key as row;
use crate::error::AppError;
use crate::state::AppState;
use axum::body::{Body, HttpBody};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The header set on a replayed answer.
pub const REPLAYED: &str = "idempotency-replayed";

/// The answer for a request whose key was already there.
pub fn answer(existing: &row::Model, hash: &str) -> Response {
    if existing.request_hash != hash {
        return refusal(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "此幂等键已用于另一个请求，请为新的请求使用新的幂等键",
        );
    }
    if !existing.completed {
        return refusal(
            StatusCode::CONFLICT,
            "idempotency_key_in_progress",
            "使用此幂等键的请求仍在处理中，请稍后重试",
        );
    }
    let (Some(status), Some(body)) = (existing.status, existing.body.clone()) else {
        return refusal(
            StatusCode::CONFLICT,
            "idempotency_response_not_kept",
            "该请求已处理完成，但其响应过大未保存，请查询结果",
        );
    };
    let status = u16::try_from(status).ok().and_then(|s| StatusCode::from_u16(s).ok()).unwrap_or(StatusCode::OK);
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    if let Some(ct) = existing.content_type.as_deref().and_then(|c| HeaderValue::from_str(c).ok()) {
        headers.insert(header::CONTENT_TYPE, ct);
    }
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    tracing::debug!(status = status.as_u16(), "idempotent replay");
    response
}

/// The one error shape ([`AppError`]) with the given status: 422 with a code
/// of its own has no variant, so a coded error is answered with its status set.
fn refusal(status: StatusCode, code: &'static str, message: &str) -> Response {
    let mut response = AppError::conflict(code, message).into_response();
    *response.status_mut() = status;
    response
}

/// Stores the handler's answer on the claim (below 400), or releases the claim
/// (4xx, 5xx: nothing was written), and hands the answer on unchanged.
pub async fn keep(state: &AppState, user: i64, key: &str, response: Response) -> Response {
    if response.status().as_u16() >= 400 {
        if let Err(e) = state.write(format!("user:{user}"), async |tx| store::release(tx, user, key).await).await {
            tracing::error!(error = %e, "releasing an idempotency key failed; retries get 409 until the purge");
        }
        return response;
    }
    let (parts, body) = response.into_parts();
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let small = body.size_hint().upper().is_some_and(|n| n <= MAX_STORED as u64);
    let (body, kept) = if small {
        match axum::body::to_bytes(body, MAX_STORED).await {
            Ok(bytes) => (Body::from(bytes.clone()), Some(bytes.to_vec())),
            Err(e) => {
                tracing::error!(error = %e, "reading a keyed answer failed");
                (Body::empty(), None)
            }
        }
    } else {
        (body, None)
    };
    let answer = Answer { status: parts.status.as_u16(), content_type, body: kept };
    if let Err(e) =
        state.write(format!("user:{user}"), async |tx| store::complete(tx, user, key, answer, tx.now()).await).await
    {
        tracing::error!(error = %e, "storing a keyed answer failed; retries get 409 until the purge");
    }
    Response::from_parts(parts, body)
}
