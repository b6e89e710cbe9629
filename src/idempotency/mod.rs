//! `Idempotency-Key` for the writes a client may retry (creating a record or
//! taking a step): the first answer is stored per (user, key) and replayed for
//! a retry of the same request, so a retry creates nothing.
//!
//! Design decisions:
//! - **Which routes**: one list, [`KEYED`] (method + route template), read by
//!   one middleware applied to the whole router ([`guard`], after routing, so
//!   it sees the matched template) and by the OpenAPI document
//!   ([`openapi::KeyHeader`]). A route not in the list ignores the header.
//! - **Who**: keys belong to the signed-in user ([`CurrentUser`], bearer token
//!   or cookie session with its CSRF check). A request without a user (or one
//!   the extractor refuses) is not keyed: the handler answers it as usual.
//! - **Same request**: SHA-256 of method, path with query, and body. JSON and
//!   form bodies are read whole first (they are at most
//!   [`crate::upload::SMALL_BODY`]). Multipart uploads are never buffered:
//!   their fingerprint is method and path only (a multipart body differs on
//!   every send by its random boundary anyway), so a key reused for another
//!   file replays the first receipt, whose `sha256` the client can check.
//! - **Claim first**: a row is inserted before the handler runs; a second
//!   request with the key while it runs gets 409 `idempotency_key_in_progress`
//!   at once (no waiting), and one with another request 422
//!   `idempotency_key_reused`. The handler runs in a task of its own, so a
//!   client that goes away mid-request does not cancel the write halfway.
//! - **What is stored**: answers below 400 (status, content type, body up to
//!   [`MAX_STORED`]; a larger body is not kept and a retry gets 409
//!   `idempotency_response_not_kept`). A 4xx or 5xx answer wrote nothing
//!   (the handler's transaction rolled back), so its claim is deleted and a
//!   retry runs again.
//! - **Crash**: a process that dies between the handler's commit and storing
//!   the answer leaves the claim "in progress"; retries get 409 until the
//!   purge removes it ([`RETENTION`]). It never runs twice: a duplicate is
//!   worse than a client told to check and send again with a new key.
//! - **Purge**: rows older than [`RETENTION`] (7 days) are deleted by the jobs
//!   runner as a job of its own ([`purge`], see [`crate::jobs`]).

mod openapi;
mod replay;
mod store;

pub use openapi::KeyHeader;
pub use store::purge;

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::{HeaderMap, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tracing::Instrument;

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// Longest key accepted.
pub const MAX_KEY: usize = 255;
/// Largest answer body kept for replay.
pub const MAX_STORED: usize = 1 << 20;
/// How long a key and its answer are kept (at least; the purge runs with the jobs).
pub const RETENTION: chrono::TimeDelta = chrono::TimeDelta::days(7);

/// The keyed writes: method and route template, `*` standing for any one
/// segment (so `/api/v1/hazards/{id}/*` covers every hazard step however its
/// path is spelt).
pub const KEYED: &[(&str, &str)] = &[
    ("POST", "/api/v1/hazards"),
    ("POST", "/api/v1/hazards/{id}/*"),
    ("PUT", "/api/v1/hazards/{id}/report"),
    ("POST", "/api/v1/enterprises"),
    ("POST", "/api/v1/enterprises/{id}/licences"),
    ("POST", "/api/v1/enterprises/{id}/risk-assessments"),
    ("POST", "/api/v1/risk-points/{id}/review"),
    ("POST", "/api/v1/cases"),
    ("POST", "/api/v1/cases/{id}/{step}"),
    ("POST", "/api/v1/enterprises/{id}/grading/override"),
    ("POST", "/api/v1/enterprises/{id}/grading/release"),
    ("POST", "/api/v1/bureaus"),
    ("POST", "/api/v1/hazard-statistics"),
    ("POST", "/api/v1/hazard-statistics/{id}/*"),
    ("POST", "/api/v1/bulletins/{id}/*"),
    ("POST", "/api/v1/todos/{id}/done"),
    ("POST", "/api/v1/attachments"),
    ("POST", "/api/v1/uploads"),
    ("POST", "/api/v1/checklists"),
    ("POST", "/api/v1/checklists/import"),
    ("POST", "/api/v1/checklists/{id}/retire"),
    ("POST", "/api/v1/self-inspection-plans"),
    ("POST", "/api/v1/self-inspection-tasks"),
    ("PUT", "/api/v1/self-inspection-tasks/{id}/results"),
    ("POST", "/api/v1/self-inspection-tasks/{id}/*"),
    ("POST", "/api/v1/inspectors/{user_id}/*"),
    ("POST", "/api/v1/inspectors/{user_id}/conflicts/{conflict_id}/withdraw"),
    ("POST", "/api/v1/inspections"),
    ("POST", "/api/v1/inspections/{id}/*"),
    ("POST", "/api/v1/inspections/{id}/documents/{type}/*"),
    ("POST", "/api/v1/inspections/{id}/start"),
    ("PUT", "/api/v1/inspections/{id}/results"),
    ("POST", "/api/v1/inspections/{id}/findings"),
    ("POST", "/api/v1/inspections/{id}/measures"),
    ("POST", "/api/v1/inspections/{id}/signatures"),
    ("POST", "/api/v1/inspections/{id}/media"),
    ("POST", "/api/v1/inspections/{id}/complete"),
    ("POST", "/api/v1/inspections/{id}/reinspections"),
    ("POST", "/api/v1/inspections/{id}/verdicts"),
    ("POST", "/api/v1/inspections/{id}/result-conflicts/{conflict_id}/resolve"),
    ("POST", "/api/v1/draws"),
    ("POST", "/api/v1/draws/{id}/*"),
    ("POST", "/api/v1/sessions/{id}/revoke"),
    ("POST", "/api/v1/enterprises/{id}/risk-points"),
    ("POST", "/api/v1/enterprises/{id}/risk-points/import"),
    ("POST", "/api/v1/accidents"),
    ("POST", "/api/v1/accidents/{id}/*"),
    ("PUT", "/api/v1/accidents/{id}/investigation"),
    ("POST", "/api/v1/accidents/{id}/investigation/findings"),
    ("POST", "/api/v1/accidents/{id}/measures/{measure_id}/done"),
    ("POST", "/api/v1/credit-events/{id}/*"),
    ("POST", "/api/v1/credit/rules/{version}/adopt"),
    ("POST", "/api/v1/dishonesty-list/scan"),
    ("POST", "/api/v1/dishonesty-list/proposals"),
    ("POST", "/api/v1/dishonesty-list/proposals/{id}/{step}"),
    ("POST", "/api/v1/emergency-plans"),
    ("POST", "/api/v1/emergency-plans/{id}/accept"),
    ("POST", "/api/v1/emergency-plans/{id}/return"),
    ("POST", "/api/v1/emergency-plans/{id}/resubmit"),
    ("POST", "/api/v1/emergency-plans/{id}/drills"),
    ("POST", "/api/v1/insurance-policies"),
    ("POST", "/api/v1/insurance-policies/{id}/cancel"),
    ("POST", "/api/v1/insurance-policies/import"),
    ("POST", "/api/v1/insurance-services"),
    ("POST", "/api/v1/special-operation-workers"),
    ("POST", "/api/v1/special-operation-workers/{id}/end"),
    ("POST", "/api/v1/indicator-denominators"),
    ("POST", "/api/v1/indicator-denominators/import"),
    ("POST", "/api/v1/indicator-baselines"),
    ("POST", "/api/v1/indicator-targets"),
    ("POST", "/api/v1/indicator-targets/import"),
];

/// Whether a request to this route template takes an `Idempotency-Key`.
pub fn is_keyed(method: &str, template: &str) -> bool {
    KEYED.iter().any(|(m, pattern)| {
        m.eq_ignore_ascii_case(method) && {
            let (mut p, mut t) = (pattern.split('/'), template.split('/'));
            loop {
                match (p.next(), t.next()) {
                    (None, None) => break true,
                    (Some(a), Some(b)) if a == "*" || a == b => {}
                    _ => break false,
                }
            }
        }
    })
}

/// The key from the headers: absent, or 1–255 visible ASCII characters, once.
pub fn parse_key(headers: &HeaderMap) -> AppResult<Option<String>> {
    let mut values = headers.get_all(HEADER).iter();
    let Some(first) = values.next() else { return Ok(None) };
    let bad = || AppError::validation("Idempotency-Key", "幂等键须为 1–255 个可见 ASCII 字符，且只能有一个");
    if values.next().is_some() {
        return Err(bad());
    }
    let bytes = first.as_bytes();
    if bytes.is_empty() || bytes.len() > MAX_KEY || !bytes.iter().all(|b| (0x21..=0x7E).contains(b)) {
        return Err(bad());
    }
    Ok(Some(String::from_utf8_lossy(bytes).into_owned()))
}

/// The middleware: applied once to the router (see [`crate::router`]).
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let keyed = req.extensions().get::<MatchedPath>().is_some_and(|p| is_keyed(req.method().as_str(), p.as_str()));
    if !keyed {
        return next.run(req).await;
    }
    let key = match parse_key(req.headers()) {
        Ok(Some(key)) => key,
        Ok(None) => return next.run(req).await,
        Err(e) => return e.into_response(),
    };
    let (mut parts, body) = req.into_parts();
    let Ok(user) = CurrentUser::from_request_parts(&mut parts, &state).await else {
        // Anonymous or refused (CSRF, password change): not keyed, the handler answers.
        return next.run(Request::from_parts(parts, body)).await;
    };
    run_keyed(&state, user.id, &key, parts, body, next).await.unwrap_or_else(IntoResponse::into_response)
}

async fn run_keyed(
    state: &AppState,
    user: i64,
    key: &str,
    parts: Parts,
    body: Body,
    next: Next,
) -> AppResult<Response> {
    let (body, hash) = if is_multipart(&parts.headers) {
        (body, fingerprint(&parts, None))
    } else {
        let bytes = axum::body::to_bytes(body, crate::upload::SMALL_BODY)
            .await
            .map_err(|_| AppError::TooLarge("请求内容超过上限".to_owned()))?;
        let hash = fingerprint(&parts, Some(&bytes));
        (Body::from(bytes), hash)
    };
    let actor = format!("user:{user}");
    // At most twice: a key purged between the claim's insert and its read is claimed again.
    for _ in 0..2 {
        match state.write(actor.clone(), async |tx| store::claim(tx, user, key, &hash, tx.now()).await).await? {
            store::Claim::Mine => {
                return Ok(run_claimed(state, user, key, Request::from_parts(parts, body), next).await);
            }
            store::Claim::Taken(existing) => return Ok(replay::answer(&existing, &hash)),
            store::Claim::Gone => {}
        }
    }
    Err(AppError::Busy("请求繁忙，请稍后重试".to_owned()))
}

/// Runs the handler of a claimed request in a task of its own (a client that
/// goes away does not cancel the write halfway), then keeps its answer.
async fn run_claimed(state: &AppState, user: i64, key: &str, req: Request, next: Next) -> Response {
    let task = tokio::spawn(next.run(req).instrument(tracing::Span::current()));
    let response = match task.await {
        Ok(response) => response,
        // The handler panicked: a 500, and the key is released below.
        Err(e) => AppError::Internal(anyhow::anyhow!("keyed request failed: {e}")).into_response(),
    };
    replay::keep(state, user, key, response).await
}

fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("multipart/"))
}

/// SHA-256 (hex) of method, path with query and, unless multipart, the body.
fn fingerprint(parts: &Parts, body: Option<&[u8]>) -> String {
    let mut h = Sha256::new();
    h.update(parts.method.as_str());
    h.update(b"\n");
    h.update(parts.uri.path_and_query().map_or(parts.uri.path(), |p| p.as_str()));
    h.update(b"\n");
    match body {
        Some(bytes) => h.update(bytes),
        None => h.update(b"multipart"),
    }
    hex::encode(h.finalize())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn keyed_routes_match_by_template_with_wildcard_segments() {
        assert!(is_keyed("POST", "/api/v1/hazards"));
        assert!(is_keyed("POST", "/api/v1/hazards/{id}/{action}"));
        assert!(is_keyed("POST", "/api/v1/hazards/{id}/assign"));
        assert!(is_keyed("PUT", "/api/v1/hazards/{id}/report"));
        assert!(!is_keyed("GET", "/api/v1/hazards"));
        assert!(!is_keyed("POST", "/api/v1/hazards/{id}"));
        assert!(!is_keyed("POST", "/api/v1/hazards/{id}/a/b"));
        assert!(!is_keyed("POST", "/api/v1/auth/login"));
    }

    fn headers(values: &[&[u8]]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(HEADER, HeaderValue::from_bytes(v).unwrap());
        }
        h
    }

    #[test]
    fn keys_are_one_to_255_visible_ascii_characters_sent_once() {
        assert_eq!(parse_key(&headers(&[])).unwrap(), None);
        assert_eq!(parse_key(&headers(&[b"tablet-7:42"])).unwrap().as_deref(), Some("tablet-7:42"));
        assert!(parse_key(&headers(&["x".repeat(255).as_bytes()])).is_ok());
        for bad in [&b""[..], "x".repeat(256).as_bytes(), b"has space", "键".as_bytes(), b"tab\there"] {
            let err = parse_key(&headers(&[bad])).unwrap_err();
            assert!(matches!(&err, AppError::Validation(f) if f.contains_key("Idempotency-Key")), "{bad:?}");
        }
        assert!(parse_key(&headers(&[b"a", b"b"])).is_err());
    }
}
