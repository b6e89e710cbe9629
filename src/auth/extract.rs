//! Resolving the signed-in user from a bearer token or the session cookie.

use super::{CurrentUser, service, token};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const SESSION_COOKIE: &str = "anjian_session";

/// How long a resolved session is reused without asking the database. Logout and
/// password changes in this process evict at once; another process's logout
/// takes effect within this time.
const CACHE_TTL: Duration = Duration::from_secs(10);

/// Paths a user who must change the password may still call.
const ALLOWED_BEFORE_CHANGE: [&str; 3] = ["/api/v1/auth/password", "/api/v1/auth/logout", "/api/v1/auth/me"];

/// When cached, until when the session is valid, and the user.
type CachedSession = (Instant, DateTime<Utc>, CurrentUser);

#[derive(Debug, Default)]
pub struct SessionCache {
    map: Mutex<HashMap<String, CachedSession>>,
}

impl SessionCache {
    fn get(&self, key: &str, now: DateTime<Utc>) -> Option<CurrentUser> {
        let map = self.map.lock().ok()?;
        let (at, expires, user) = map.get(key)?;
        (at.elapsed() < CACHE_TTL && *expires > now).then(|| user.clone())
    }

    fn put(&self, key: String, expires: DateTime<Utc>, user: CurrentUser) {
        if let Ok(mut map) = self.map.lock() {
            if map.len() > 10_000 {
                map.retain(|_, (at, _, _)| at.elapsed() < CACHE_TTL);
            }
            map.insert(key, (Instant::now(), expires, user));
        }
    }

    /// Forgets every cached session of a user.
    pub fn evict_user(&self, user_id: i64) {
        if let Ok(mut map) = self.map.lock() {
            map.retain(|_, (_, _, u)| u.id != user_id);
        }
    }
}

fn bearer(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer "))?;
    Some(token.trim().to_owned())
}

pub(crate) fn session_cookie(parts: &Parts) -> Option<String> {
    parts.headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|v| {
        v.split(';').find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == SESSION_COOKIE && !value.is_empty()).then(|| value.to_owned())
        })
    })
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let (secret, via_cookie) = match bearer(parts) {
            Some(t) => (t, false),
            None => (session_cookie(parts).ok_or(AppError::Unauthenticated)?, true),
        };
        let key = token::digest(&secret);
        let now = state.clock.now();
        let user = if let Some(user) = state.sessions.get(&key, now) {
            user
        } else {
            let (user, expires) =
                service::load_session(state.db.conn(), &key, now).await?.ok_or(AppError::Unauthenticated)?;
            state.sessions.put(key, expires, user.clone());
            user
        };
        let path = parts.uri.path();
        if via_cookie && !parts.method.is_safe() && path.starts_with("/api/") {
            let sent = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
            user.check_csrf(sent)?;
        }
        // The request's span names who acted (an id, never a name).
        tracing::Span::current().record("user.id", user.id);
        if user.must_change_password && path.starts_with("/api/") && !ALLOWED_BEFORE_CHANGE.contains(&path) {
            return Err(AppError::conflict("password_change_required", "首次登录请先修改密码"));
        }
        Ok(user)
    }
}

/// The user if signed in, for pages that redirect to the login page otherwise.
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match CurrentUser::from_request_parts(parts, state).await {
            Ok(u) => Ok(Self(Some(u))),
            Err(AppError::Unauthenticated | AppError::SessionRevoked) => Ok(Self(None)),
            Err(e) => Err(e),
        }
    }
}
