//! Request and response conventions shared by every endpoint: JSON bodies,
//! path parameters and query strings that fail to parse answer in the common
//! error shape; lists take `page` (at most 100,000) and `per_page` (at most
//! 200) and answer `{"items": [...], "total": N}`.

use crate::error::AppError;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// `Json<T>` whose rejections use the common error body. Unknown fields are ignored.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v)),
            Err(JsonRejection::JsonDataError(e)) => Err(AppError::validation("body", e.body_text())),
            Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(AppError::TooLarge(format!("请求内容超过上限 {} KiB", crate::upload::SMALL_BODY >> 10)))
            }
            Err(e) => Err(AppError::bad_request("invalid_json", e.body_text())),
        }
    }
}

/// `Path<T>` whose rejections use the common error body. A path whose
/// parameters do not parse (an id that is not a 64-bit integer) names no
/// record: 404 `not_found`, as for an id that does not exist.
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        record_path_in_span(parts, state).await;
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Self(v)),
            Err(PathRejection::FailedToDeserializePathParams(_)) => Err(AppError::NotFound),
            Err(e) => Err(AppError::Internal(anyhow::anyhow!("path parameters: {}", e.body_text()))),
        }
    }
}

/// Puts the record id and the action of the path (`{id}`, `{action}`) on the
/// request's span, beside the user id: the log of one request says who did
/// what to which record.
async fn record_path_in_span<S: Send + Sync>(parts: &mut Parts, state: &S) {
    if let Ok(params) = axum::extract::RawPathParams::from_request_parts(parts, state).await {
        let span = tracing::Span::current();
        for (name, value) in &params {
            match (name, value.parse::<i64>()) {
                ("id", Ok(id)) => span.record("record.id", id),
                ("id", Err(_)) => span.record("record.id", tracing::field::display(value)),
                ("action", _) => span.record("action", tracing::field::display(value)),
                _ => &span,
            };
        }
    }
}

/// `Query<T>` whose rejections use the common error body: a value of the wrong
/// kind (`page=abc`, an id beyond 64 bits, an unknown sector) is 422
/// `validation_failed` naming the parameter.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        match axum::extract::Query::<T>::try_from_uri(&parts.uri) {
            Ok(axum::extract::Query(v)) => Ok(Self(v)),
            Err(e) => Err(query_problem(&e)),
        }
    }
}

/// The parameter a query-string error is about and what is wrong with it.
/// axum reports `<parameter>: <problem>` (`serde_path_to_error`) as the source of
/// its rejection; without a parameter name the problem is put under `query`.
fn query_problem(e: &(dyn std::error::Error + 'static)) -> AppError {
    let detail = e.source().and_then(std::error::Error::source).map(ToString::to_string).unwrap_or_default();
    let (field, problem) = match detail.split_once(": ") {
        Some((name, problem)) if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
            (name, problem)
        }
        _ => ("query", detail.as_str()),
    };
    AppError::validation(field, format!("参数 {field} 的值无效（{}）", crate::limits::clamp(problem, 200)))
}

/// `Multipart` whose rejections (no or a bad `boundary`, not a multipart
/// body) use the common error body: 400 `invalid_upload`.
pub struct ApiMultipart(pub axum::extract::Multipart);

impl<S> FromRequest<S> for ApiMultipart
where
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        axum::extract::Multipart::from_request(req, state)
            .await
            .map(Self)
            .map_err(|e| AppError::bad_request("invalid_upload", format!("上传内容无法读取：{}", e.body_text())))
    }
}

pub const MAX_PER_PAGE: u64 = 200;
/// The highest page number a list serves: with `per_page` at most 200 that
/// reaches 20 million rows, and keeps every offset far inside SQL's 64 bits.
pub const MAX_PAGE: u64 = 100_000;

/// The largest `offset` a list accepts (lists paged by offset rather than page).
pub const MAX_OFFSET: u64 = 10_000_000;

/// `offset`, checked against [`MAX_OFFSET`] (422 beyond it).
pub fn offset(offset: Option<u64>) -> crate::error::AppResult<u64> {
    match offset.unwrap_or(0) {
        o if o > MAX_OFFSET => {
            Err(crate::error::AppError::validation("offset", format!("起始位置应在 0–{MAX_OFFSET} 之间")))
        }
        o => Ok(o),
    }
}

#[derive(Debug, Clone, Copy, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// 1-based page number, 1–100000 (default 1); a page after the last one is empty.
    #[param(minimum = 1, maximum = 100_000)]
    pub page: Option<u64>,
    /// Items per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<u64>,
}

impl PageParams {
    /// `(offset, limit)` for SQL, once `page` and `per_page` are in range.
    pub fn resolve(self) -> Result<(u64, u64), AppError> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(50);
        let mut fields = crate::error::FieldErrors::new();
        if page == 0 || page > MAX_PAGE {
            fields.insert("page".into(), vec![format!("页码应在 1–{MAX_PAGE} 之间")]);
        }
        if per_page == 0 || per_page > MAX_PER_PAGE {
            fields.insert("per_page".into(), vec![format!("每页条数应在 1–{MAX_PER_PAGE} 之间")]);
        }
        if fields.is_empty() { Ok(((page - 1) * per_page, per_page)) } else { Err(AppError::Validation(fields)) }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ListResponse<T> {
    pub items: Vec<T>,
    pub total: u64,
}
