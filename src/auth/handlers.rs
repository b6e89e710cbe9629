//! HTTP handlers for signing in and out and for passwords.

use super::{BureauRef, CurrentUser, SESSION_COOKIE, password, service};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::ApiJson;
use crate::state::AppState;
use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::EntityTrait;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    /// At most `limits::USERNAME` characters.
    #[schema(max_length = 64)]
    pub username: String,
    /// At most `limits::PASSWORD` characters.
    #[schema(max_length = 256)]
    pub password: String,
    /// What the user calls this device (e.g. 执法平板 3 号), shown in the list of
    /// sessions so a lost one can be revoked; at most `limits::SHORT` characters.
    /// An inspector's session on a named device lasts 7 days instead of 12 hours.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub device: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct UserResponse {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<super::Role>,
    pub bureau: Option<BureauRef>,
    pub enterprise_ids: Vec<i64>,
    pub must_change_password: bool,
    /// Send back as `X-CSRF-Token` on cookie-authenticated writes.
    pub csrf_token: String,
}

impl From<&CurrentUser> for UserResponse {
    fn from(u: &CurrentUser) -> Self {
        Self {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            roles: u.roles.clone(),
            bureau: u.bureau.clone(),
            enterprise_ids: u.enterprise_ids.clone(),
            must_change_password: u.must_change_password,
            csrf_token: u.csrf_token.clone(),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct LoginResponse {
    /// Bearer token; the same value is set as an HttpOnly cookie.
    pub token: String,
    pub user: UserResponse,
}

/// The session cookie, kept by the browser as long as the session lasts.
pub fn session_cookie(token: &str, secure: bool, lifetime: chrono::Duration) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let value =
        format!("{SESSION_COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={}{secure}", lifetime.num_seconds());
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("anjian_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0")
}

/// Sign in with username and password.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest, security(()),
    responses((status = 200, body = LoginResponse), (status = 400, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> AppResult<Response> {
    let device = req.device.as_deref();
    let (token, user) =
        service::login(&state, req.username.trim(), &req.password, &addr.ip().to_string(), device).await?;
    let lifetime = service::lifetime(&user.roles, device.map(str::trim).filter(|d| !d.is_empty()));
    let mut headers = HeaderMap::new();
    headers.insert(header::SET_COOKIE, session_cookie(&token, state.config.secure_cookies, lifetime));
    let body = LoginResponse { token, user: UserResponse::from(&user) };
    Ok((StatusCode::OK, headers, Json(body)).into_response())
}

/// End this session.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    service::logout(&state, &user).await?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear_cookie())]).into_response())
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", responses((status = 200, body = UserResponse)))]
pub async fn me(user: CurrentUser) -> Json<UserResponse> {
    Json(UserResponse::from(&user))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ChangePasswordRequest {
    #[schema(max_length = 256)]
    pub current_password: String,
    /// 12 to `limits::PASSWORD` characters.
    #[schema(max_length = 256)]
    pub new_password: String,
}

/// Change one's own password (required at first login for generated accounts).
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", request_body = ChangePasswordRequest,
    responses((status = 204), (status = 422, body = ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<ChangePasswordRequest>,
) -> AppResult<StatusCode> {
    change_password_for(&state, &user, &req.current_password, &req.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Shared by the API and the page.
pub async fn change_password_for(state: &AppState, user: &CurrentUser, current: &str, new: &str) -> AppResult<()> {
    password::check_policy(new).map_err(|m| AppError::validation("new_password", m))?;
    if current.chars().nth(crate::limits::PASSWORD).is_some() {
        return Err(AppError::validation("current_password", "当前密码不正确"));
    }
    if current == new {
        return Err(AppError::validation("new_password", "新密码不能与当前密码相同"));
    }
    let stored =
        crate::entities::user::Entity::find_by_id(user.id).one(state.db.conn()).await?.ok_or(AppError::NotFound)?;
    if !password::verify_blocking(current.to_owned(), stored.password_hash).await {
        return Err(AppError::validation("current_password", "当前密码不正确"));
    }
    let hash = password::hash_blocking(new.to_owned()).await?;
    state
        .write(user.actor(), async |tx| {
            service::set_password(tx, tx.ctx(), user.id, hash, Some(user.session_id)).await?;
            tx.end_sessions_of(user.id);
            Ok(())
        })
        .await
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ActivateRequest {
    /// The code from the activation letter (dashes and case ignored); at most `limits::SHORT` characters.
    #[schema(max_length = 100)]
    pub code: String,
    #[schema(max_length = 256)]
    pub new_password: String,
}

/// Activate a generated account with its one-time code and choose a password.
#[utoipa::path(post, path = "/api/v1/auth/activate", tag = "auth", request_body = ActivateRequest, security(()),
    responses((status = 200, body = LoginResponse), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn activate(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    ApiJson(req): ApiJson<ActivateRequest>,
) -> AppResult<Response> {
    password::check_policy(&req.new_password).map_err(|m| AppError::validation("new_password", m))?;
    let user_id = service::activate(&state, &req.code, &req.new_password, &addr.ip().to_string()).await?;
    let (token, user) = service::open_session(&state, user_id).await?;
    let mut headers = HeaderMap::new();
    headers
        .insert(header::SET_COOKIE, session_cookie(&token, state.config.secure_cookies, service::lifetime(&[], None)));
    Ok((StatusCode::OK, headers, Json(LoginResponse { token, user: UserResponse::from(&user) })).into_response())
}
