//! Signing in and out, changing the password, activating a generated account.
//! The login and activation forms have no session yet, so instead of a CSRF
//! token they require a present `Origin` header to name this host.

use super::layout::{Layout, Section};
use super::page::{
    PageResult, PageUser, check_origin, clear_cookie, messages, render, render_with, safe_next, see_other,
    see_other_with_cookie, session_cookie,
};
use crate::auth::{MaybeUser, password, service};
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    next: String,
    username: String,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(MaybeUser(user): MaybeUser, Query(q): Query<NextQuery>) -> PageResult {
    let next = safe_next(q.next.as_deref());
    if user.is_some() {
        return Ok(see_other(&next));
    }
    render(&LoginPage { next, username: String::new(), error: None })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> PageResult {
    check_origin(&headers)?;
    let next = safe_next(form.next.as_deref());
    let username = form.username.trim().to_owned();
    match service::login(&state, &username, &form.password, &addr.ip().to_string(), None).await {
        Ok((token, user)) => {
            let to = if user.must_change_password { "/password".to_owned() } else { next };
            Ok(see_other_with_cookie(
                &to,
                session_cookie(&token, state.config.secure_cookies, service::lifetime(&[], None)),
            ))
        }
        Err(e @ (AppError::BadRequest { .. } | AppError::RateLimited | AppError::Validation(_))) => {
            let error = Some(messages(&e).join("；"));
            render_with(e.status(), &LoginPage { next, username, error })
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    csrf_token: String,
}

pub async fn logout(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    let Some(user) = user else { return Ok(see_other_with_cookie("/login", clear_cookie())) };
    user.check_csrf(&form.csrf_token)?;
    service::logout(&state, &user).await?;
    Ok(see_other_with_cookie("/login", clear_cookie()))
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    layout: Layout,
    must_change: bool,
    done: bool,
    errors: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn password_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let layout = Layout::new(&state, &user, "修改密码", Section::Account).await?;
    let page =
        PasswordPage { layout, must_change: user.must_change_password, done: q.done.is_some(), errors: Vec::new() };
    render(&page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    csrf_token: String,
    current_password: String,
    new_password: String,
    confirm_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(form): Form<PasswordForm>,
) -> PageResult {
    user.check_csrf(&form.csrf_token)?;
    let outcome = if form.new_password == form.confirm_password {
        crate::auth::change_password_for(&state, &user, &form.current_password, &form.new_password).await
    } else {
        Err(AppError::validation("confirm_password", "两次输入的新密码不一致"))
    };
    match outcome {
        Ok(()) if user.must_change_password => Ok(see_other("/")),
        Ok(()) => Ok(see_other("/password?done=1")),
        Err(e @ AppError::Validation(_)) => {
            let layout = Layout::new(&state, &user, "修改密码", Section::Account).await?;
            let page =
                PasswordPage { layout, must_change: user.must_change_password, done: false, errors: messages(&e) };
            render_with(e.status(), &page)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "activate.html")]
struct ActivatePage {
    code: String,
    errors: Vec<String>,
}

pub async fn activate_form() -> PageResult {
    render(&ActivatePage { code: String::new(), errors: Vec::new() })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActivateForm {
    code: String,
    new_password: String,
    confirm_password: String,
}

pub async fn activate(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<ActivateForm>,
) -> PageResult {
    check_origin(&headers)?;
    match redeem(&state, &form, &addr.ip().to_string()).await {
        Ok(response) => Ok(response),
        Err(e @ (AppError::Validation(_) | AppError::BadRequest { .. })) => {
            render_with(e.status(), &ActivatePage { code: form.code.trim().to_owned(), errors: messages(&e) })
        }
        Err(e) => Err(e.into()),
    }
}

/// Sets the chosen password with the code, then signs the user in.
async fn redeem(state: &AppState, form: &ActivateForm, address: &str) -> Result<Response, AppError> {
    password::check_policy(&form.new_password).map_err(|m| AppError::validation("new_password", m))?;
    if form.new_password != form.confirm_password {
        return Err(AppError::validation("confirm_password", "两次输入的新密码不一致"));
    }
    let user_id = service::activate(state, &form.code, &form.new_password, address).await?;
    let (token, _) = service::open_session(state, user_id).await?;
    Ok(see_other_with_cookie("/", session_cookie(&token, state.config.secure_cookies, service::lifetime(&[], None))))
}
