//! One error type for the whole service and its single JSON shape:
//! `{"error":{"code":"…","message":"…","fields":{…}}}`.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use sea_orm::DbErr;
use serde::Serialize;
use std::collections::BTreeMap;

/// Problems per field: field name → messages (Chinese, for the person filling the form).
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// One bad spreadsheet row cell.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct RowError {
    /// Excel row number (the header is row 1).
    pub row: u32,
    /// Column header as in the file (or the expected header when missing).
    pub column: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("需要登录")]
    Unauthenticated,
    /// The session was revoked (a lost device): 401 `session_revoked`, and the
    /// answer asks the browser to clear what the site stored.
    #[error("此设备的登录已被吊销，设备上的数据已清除")]
    SessionRevoked,
    #[error("没有权限执行此操作")]
    Forbidden,
    /// 403 `forbidden` saying why (e.g. the bureau that listed a major hazard).
    #[error("{0}")]
    ForbiddenBecause(String),
    #[error("记录不存在")]
    NotFound,
    #[error("提交的数据有误")]
    Validation(FieldErrors),
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    /// A well-formed request refused for what it says (422 with its own code, e.g. `hash_mismatch`).
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    #[error("文件中有 {} 处错误，未导入任何数据", .0.total)]
    ImportRejected(crate::row_errors::Rejection),
    #[error("尝试次数过多，请稍后再试")]
    RateLimited,
    /// A body over its route's limit.
    #[error("{0}")]
    TooLarge(String),
    /// A bounded resource (an upload gate) stayed busy; the request may be retried.
    #[error("{0}")]
    Busy(String),
    #[error("服务器内部错误")]
    Db(#[from] DbErr),
    #[error("服务器内部错误")]
    Internal(#[from] anyhow::Error),
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine code, e.g. `validation_failed`, `not_found`, `import_rejected`.
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<FieldErrors>,
    /// A rejected spreadsheet: its first problems in row order (at most 1,000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<Vec<RowError>>,
    /// A rejected spreadsheet: how many problems it has in all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows_total: Option<usize>,
    /// A rejected spreadsheet: how many problems of each code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows_by_code: Option<BTreeMap<String, usize>>,
}

impl AppError {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        let mut fields = FieldErrors::new();
        fields.insert(field.to_owned(), vec![message.into()]);
        Self::Validation(fields)
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::BadRequest { code, message: message.into() }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict { code, message: message.into() }
    }

    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> Self {
        Self::Unprocessable { code, message: message.into() }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::Unauthenticated | Self::SessionRevoked => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::ForbiddenBecause(_) => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Validation(_) | Self::ImportRejected(_) | Self::Unprocessable { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Db(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated => "unauthenticated",
            Self::SessionRevoked => "session_revoked",
            Self::Forbidden | Self::ForbiddenBecause(_) => "forbidden",
            Self::NotFound => "not_found",
            Self::Validation(_) => "validation_failed",
            Self::Conflict { code, .. } | Self::BadRequest { code, .. } | Self::Unprocessable { code, .. } => code,
            Self::ImportRejected(_) => "import_rejected",
            Self::RateLimited => "too_many_attempts",
            Self::TooLarge(_) => "payload_too_large",
            Self::Busy(_) => "server_busy",
            Self::Db(_) | Self::Internal(_) => "internal",
        }
    }

    /// The error for a log line: the whole cause chain of an internal error.
    pub fn detail(&self) -> String {
        match self {
            Self::Db(e) => e.to_string(),
            Self::Internal(e) => format!("{e:#}"),
            other => other.to_string(),
        }
    }

    pub fn body(&self) -> ErrorBody {
        let mut detail = ErrorDetail {
            code: self.code().to_owned(),
            message: self.to_string(),
            fields: None,
            rows: None,
            rows_total: None,
            rows_by_code: None,
        };
        match self {
            Self::Validation(f) => detail.fields = Some(f.clone()),
            Self::ImportRejected(r) => {
                detail.rows = Some(r.rows.clone());
                detail.rows_total = Some(r.total);
                detail.rows_by_code = Some(r.by_code.clone());
            }
            _ => {}
        }
        ErrorBody { error: detail }
    }

    /// A spreadsheet rejected for these problems (bounded, see [`crate::row_errors`]).
    pub fn rejected(errors: impl IntoIterator<Item = RowError>) -> Self {
        Self::ImportRejected(errors.into_iter().collect::<crate::row_errors::RowErrors>().into_rejection())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            Self::Db(e) => tracing::error!(error = %e, "database error"),
            // `{:#}` prints the whole cause chain, once, here where the error is answered.
            Self::Internal(e) => tracing::error!(error = format!("{e:#}"), "internal error"),
            _ => {}
        }
        let mut response = (self.status(), Json(self.body())).into_response();
        if matches!(self, Self::SessionRevoked) {
            let clear = axum::http::HeaderValue::from_static("\"cache\", \"cookies\", \"storage\"");
            response.headers_mut().insert("clear-site-data", clear);
        }
        response
    }
}

/// Turns unique-constraint violations into a 409 with the given code, on either engine.
pub trait DbResultExt<T> {
    fn on_unique(self, code: &'static str, message: &str) -> Result<T, AppError>;
    /// Names the row when a stored value fails to decode (a typed column
    /// holding no known code): an internal error whose log line carries the
    /// table, the row id and the value, never a silent default.
    fn stored_row(self, table: &str, id: i64) -> Result<T, AppError>;
}

impl<T> DbResultExt<T> for Result<T, DbErr> {
    fn on_unique(self, code: &'static str, message: &str) -> Result<T, AppError> {
        self.map_err(|e| match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::conflict(code, message),
            _ => AppError::Db(e),
        })
    }

    fn stored_row(self, table: &str, id: i64) -> Result<T, AppError> {
        self.map_err(|e| match e {
            DbErr::Type(value) => AppError::Internal(anyhow::anyhow!("{table} row {id}: stored {value}")),
            e => AppError::Db(e),
        })
    }
}

impl From<crate::row_errors::RowErrors> for AppError {
    fn from(errors: crate::row_errors::RowErrors) -> Self {
        Self::ImportRejected(errors.into_rejection())
    }
}

pub type AppResult<T> = Result<T, AppError>;
