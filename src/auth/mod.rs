//! Users, roles, sessions and scope. A bureau user sees the enterprises supervised
//! by its bureau or any bureau below it (optionally only some sectors); an
//! enterprise user sees only its own enterprise(s). Tokens are bearer tokens for
//! API clients and the same token in an HttpOnly cookie for pages; cookie-borne
//! writes need the session's CSRF token (header `X-CSRF-Token` for the API, a
//! hidden `csrf_token` field for page forms).

mod extract;
mod handlers;
pub mod limiter;
pub mod password;
mod role;
pub mod service;
pub mod sessions;
pub mod token;

pub use extract::{MaybeUser, SESSION_COOKIE, SessionCache};
pub use role::Role;

use crate::error::AppError;
use crate::routes::{ApiRoutes, routes};
use serde::Serialize;

/// The bureau a user works for.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BureauRef {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// Which enterprises a user may see.
#[derive(Debug, Clone)]
pub enum Scope {
    /// Enterprises supervised by the bureaus whose path starts with `path` (the
    /// user's bureau and every bureau below it, including ones created later),
    /// optionally only in these sectors.
    Bureaus { path: String, sectors: Option<Vec<String>> },
    /// Exactly these enterprises.
    Enterprises(Vec<i64>),
}

impl Scope {
    /// A stable key for caching per-scope results.
    pub fn cache_key(&self) -> String {
        match self {
            Self::Bureaus { path, sectors } => format!("b{path}{sectors:?}"),
            Self::Enterprises(ids) => format!("e{ids:?}"),
        }
    }
}

/// The signed-in user, resolved once per request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub bureau: Option<BureauRef>,
    pub enterprise_ids: Vec<i64>,
    pub scope: Scope,
    pub must_change_password: bool,
    pub csrf_token: String,
    pub session_id: i64,
}

impl CurrentUser {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// 403 unless the user holds one of `roles`.
    pub fn require_any(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.iter().any(|r| self.has(*r)) { Ok(()) } else { Err(AppError::Forbidden) }
    }

    pub fn is_bureau_user(&self) -> bool {
        self.bureau.is_some()
    }

    /// Checks a page form's CSRF token.
    pub fn check_csrf(&self, token: &str) -> Result<(), AppError> {
        if !token.is_empty() && constant_eq(token.as_bytes(), self.csrf_token.as_bytes()) {
            Ok(())
        } else {
            Err(AppError::bad_request("csrf_failed", "表单已过期，请刷新页面后重试"))
        }
    }

    /// The actor string written to the change log.
    pub fn actor(&self) -> String {
        format!("user:{}", self.id)
    }
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn routes() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(handlers::login))
        .routes(routes!(handlers::logout))
        .routes(routes!(handlers::me))
        .routes(routes!(handlers::change_password))
        .routes(routes!(handlers::activate))
        .routes(routes!(sessions::list_sessions))
        .routes(routes!(sessions::revoke_session))
}

pub use handlers::{
    __path_activate, __path_change_password, __path_login, __path_logout, __path_me, ActivateRequest,
    ChangePasswordRequest, LoginRequest, LoginResponse, UserResponse, activate, change_password, login, logout, me,
};
pub use handlers::{change_password_for, clear_cookie, session_cookie};
