//! What every page handler shares: the signed-in-user gate, HTML error pages,
//! rendering, redirects, the session cookie, and the small formatting helpers.

use crate::auth::{CurrentUser, MaybeUser};
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;
use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts};
use axum::response::{Html, IntoResponse, Redirect, Response};

/// Paths a user who must change the password may still open.
const ALLOWED_BEFORE_CHANGE: [&str; 2] = ["/password", "/logout"];

/// The signed-in user of a page. Anonymous visitors are sent to the login page
/// (coming back here afterwards); a user who must change the password is sent
/// to `/password` first.
pub struct PageUser(pub CurrentUser);

impl FromRequestParts<AppState> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let MaybeUser(user) =
            MaybeUser::from_request_parts(parts, state).await.map_err(|e| PageError(e).into_response())?;
        let Some(user) = user else {
            let here = parts.uri.path_and_query().map_or("/", |p| p.as_str());
            return Err(see_other(&format!("/login?next={}", crate::percent::encode(here))));
        };
        if user.must_change_password && !ALLOWED_BEFORE_CHANGE.contains(&parts.uri.path()) {
            return Err(see_other("/password"));
        }
        Ok(Self(user))
    }
}

/// `Path<T>` for pages: parameters that do not parse (an id beyond 64 bits)
/// name no record, so the visitor gets the 404 page, as from
/// [`crate::json::ApiPath`] in the API.
pub struct PagePath<T>(pub T);

impl<S, T> FromRequestParts<S> for PagePath<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        let crate::json::ApiPath(v) = crate::json::ApiPath::<T>::from_request_parts(parts, state).await?;
        Ok(Self(v))
    }
}

/// An [`AppError`] shown as an HTML page instead of the API's JSON body.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        Self(e)
    }
}

pub type PageResult<T = Response> = Result<T, PageError>;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    title: String,
    status: u16,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let (title, message) = match &self.0 {
            AppError::NotFound => {
                ("页面不存在".to_owned(), "您访问的页面或记录不存在，或不在您的管辖范围内。".to_owned())
            }
            AppError::Forbidden => ("没有权限".to_owned(), "您的账号没有访问此页面的权限。".to_owned()),
            AppError::Db(e) => {
                tracing::error!(error = %e, "database error");
                ("服务器内部错误".to_owned(), "系统暂时无法处理请求，请稍后再试。".to_owned())
            }
            AppError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                ("服务器内部错误".to_owned(), "系统暂时无法处理请求，请稍后再试。".to_owned())
            }
            other => ("无法完成操作".to_owned(), messages(other).join("；")),
        };
        let page = ErrorPage { title, status: status.as_u16(), message };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, page.message).into_response(),
        }
    }
}

/// The person-readable messages of an error (every field message of a validation error).
pub fn messages(e: &AppError) -> Vec<String> {
    match e {
        AppError::Validation(fields) => fields.values().flatten().cloned().collect(),
        other => vec![other.to_string()],
    }
}

/// A whole number typed into a form: `None` when left empty; a problem under `field`
/// (and `None`) when it is not one.
pub fn whole_number<T: std::str::FromStr>(text: &str, field: &str, fields: &mut FieldErrors) -> Option<T> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let n = t.parse().ok();
    if n.is_none() {
        fields.entry(field.to_owned()).or_default().push("须为整数".to_owned());
    }
    n
}

/// A failed form's problems: each field's messages are shown beside it (`of`)
/// and all of them above the form (`all`); a problem that is not about a
/// field (a conflict, a refusal) only above it.
#[derive(Debug, Default)]
pub struct FormErrors(FieldErrors);

impl FormErrors {
    pub fn from_error(e: &AppError) -> Self {
        match e {
            AppError::Validation(fields) => Self(fields.clone()),
            other => Self(FieldErrors::from([(String::new(), vec![other.to_string()])])),
        }
    }

    /// The messages about one field, joined; empty when there are none.
    pub fn of(&self, field: &str) -> String {
        self.0
            .get(field)
            .map(|m| m.iter().map(|m| super::labels::clean(m)).collect::<Vec<_>>().join("；"))
            .unwrap_or_default()
    }

    /// Every message, each led by its field's Chinese name (`labels::field`)
    /// unless it already names it; API field names never show.
    pub fn all(&self) -> Vec<String> {
        self.0
            .iter()
            .flat_map(|(path, messages)| {
                let label = super::labels::field(path);
                messages.iter().map(move |m| {
                    let m = super::labels::clean(m);
                    match label {
                        Some(l) if !m.contains(l) => format!("{l}：{m}"),
                        _ => m,
                    }
                })
            })
            .collect()
    }

    /// The messages about the fields under `prefix` (`documents[0]` → `documents[0].title` …).
    pub fn all_under(&self, prefix: &str) -> Vec<String> {
        self.0
            .range(prefix.to_owned()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .flat_map(|(_, m)| m.iter().map(|m| super::labels::clean(m)))
            .collect()
    }

    /// Whether there is a problem with any of these fields.
    pub fn any_of(&self, fields: &[&str]) -> bool {
        fields.iter().any(|f| self.0.contains_key(*f))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The page of a list page from what was typed into its address: a number
/// from 1 to [`crate::json::MAX_PAGE`] as given, a larger one as the highest,
/// anything else as the first page (a pager link is never refused).
pub fn page_number(typed: &str) -> u64 {
    let typed = typed.trim();
    if typed.is_empty() || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return 1;
    }
    typed.parse::<u64>().unwrap_or(u64::MAX).clamp(1, crate::json::MAX_PAGE)
}

/// Renders a template to an HTML response.
pub fn render(t: &impl Template) -> PageResult {
    render_with(StatusCode::OK, t)
}

pub fn render_with(status: StatusCode, t: &impl Template) -> PageResult {
    let html = t.render().map_err(|e| AppError::Internal(anyhow::anyhow!("template: {e}")))?;
    Ok((status, Html(html)).into_response())
}

/// 303 See Other: after a POST the browser follows with a GET.
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// A redirect that also sets or clears the session cookie.
pub fn see_other_with_cookie(to: &str, cookie: HeaderValue) -> Response {
    ([(header::SET_COOKIE, cookie)], Redirect::to(to)).into_response()
}

/// The session cookie as the API's login sets it (HttpOnly, SameSite=Lax).
pub use crate::auth::{clear_cookie, session_cookie};

/// Where to go after signing in: only a path on this site (`/…`, not `//…`),
/// else the start page.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && !n.chars().any(char::is_control) =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// For forms posted without a session (login, activation): a present `Origin`
/// header must name this host.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else { return true };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin.to_str().ok().and_then(|o| o.split_once("://")).map(|(_, rest)| rest);
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

/// Refuses a session-less form posted from another site.
pub fn check_origin(headers: &HeaderMap) -> PageResult<()> {
    if same_origin(headers) {
        Ok(())
    } else {
        Err(AppError::bad_request("origin_mismatch", "请求来源不正确，请从本系统页面提交").into())
    }
}

/// One option of a `<select>`.
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

/// The options of a coded enum (`code` stored, `zh` shown), `selected` preselected.
pub fn choices<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    zh: fn(T) -> &'static str,
    selected: &str,
) -> Vec<Choice> {
    all.iter().map(|&v| Choice { value: code(v), label: zh(v), selected: code(v) == selected }).collect()
}

pub use crate::clock::beijing;

/// `a=1&b=2` from pairs, skipping empty values.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", crate::percent::encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_must_stay_on_this_site() {
        assert_eq!(safe_next(Some("/enterprises?page=2")), "/enterprises?page=2");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn origin_must_match_host_when_sent() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://evil.example"));
        assert!(!same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&h));
    }

    #[test]
    fn query_strings_encode_chinese_and_skip_empty_values() {
        assert_eq!(query_string(&[("q", "化工 A&B"), ("sector", "")]), "q=%E5%8C%96%E5%B7%A5%20A%26B");
    }
}
