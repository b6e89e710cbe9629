//! Request and response conventions shared by every endpoint: JSON bodies that
//! fail to parse answer in the common error shape; lists take `page` and
//! `per_page` (at most 200) and answer `{"items": [...], "total": N}`.

use crate::error::AppError;
use axum::extract::{FromRequest, Request, rejection::JsonRejection};
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

pub const MAX_PER_PAGE: u64 = 200;

#[derive(Debug, Clone, Copy, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// 1-based page number.
    pub page: Option<u64>,
    /// Items per page, 1–200 (default 50).
    pub per_page: Option<u64>,
}

impl PageParams {
    pub fn resolve(self) -> Result<(u64, u64), AppError> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(50);
        let mut fields = crate::error::FieldErrors::new();
        if page == 0 {
            fields.insert("page".into(), vec!["页码从 1 开始".into()]);
        }
        if per_page == 0 || per_page > MAX_PER_PAGE {
            fields.insert("per_page".into(), vec![format!("每页条数应在 1–{MAX_PER_PAGE} 之间")]);
        }
        if fields.is_empty() { Ok((page, per_page)) } else { Err(AppError::Validation(fields)) }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ListResponse<T> {
    pub items: Vec<T>,
    pub total: u64,
}
