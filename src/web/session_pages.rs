//! 登录设备: the signed-in devices the user may see (their own; a 监管人员 also
//! those of their bureau's staff), with 吊销 for a lost or stolen tablet. What a
//! revocation does is in [`crate::auth::sessions`].

use super::layout::{Layout, Section};
use super::page::{PagePath, PageResult, PageUser, beijing, render, see_other};
use crate::auth::sessions::{self, SessionResponse};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

pub struct SessionView {
    pub id: i64,
    pub who: String,
    pub device: String,
    pub created: String,
    pub expires: String,
    /// 使用中 / 已吊销 (when) / 本次登录.
    pub state: String,
    pub revoked: bool,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "sessions.html")]
struct SessionsPage {
    layout: Layout,
    items: Vec<SessionView>,
    total: u64,
    flash: Option<String>,
}

fn view(s: SessionResponse) -> SessionView {
    let state = match (s.revoked_at, s.current) {
        (Some(at), _) => format!("已吊销（{}）", beijing(at)),
        (None, true) => "本次登录".to_owned(),
        (None, false) => "使用中".to_owned(),
    };
    SessionView {
        id: s.id,
        who: format!("{}（{}）", s.display_name, s.username),
        device: s.device.unwrap_or_else(|| "浏览器".to_owned()),
        created: beijing(s.created_at),
        expires: beijing(s.expires_at),
        state,
        revoked: s.revoked_at.is_some(),
        current: s.current,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Shown {
    revoked: Option<i64>,
}

pub async fn list_page(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<Shown>) -> PageResult {
    let list = sessions::list(state.db.conn(), &user, None, state.clock.now()).await?;
    let layout = Layout::new(&state, &user, "登录设备", Section::Account).await?;
    let flash = q.revoked.map(|id| format!("已吊销登录 #{id}：该设备下次联网时将被退出登录并清除本机数据。"));
    render(&SessionsPage { layout, items: list.items.into_iter().map(view).collect(), total: list.total, flash })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RevokeForm {
    csrf_token: String,
    /// The box saying the device's unsent records will be wiped.
    confirm: Option<String>,
}

pub async fn revoke(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<RevokeForm>,
) -> PageResult {
    user.check_csrf(&form.csrf_token)?;
    if form.confirm.is_none() {
        return Err(crate::error::AppError::validation("confirm", "请先勾选确认，再吊销登录").into());
    }
    sessions::revoke(&state, &user, id).await?;
    Ok(see_other(&format!("/sessions?revoked={id}")))
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/sessions", get(list_page)).route("/sessions/{id}/revoke", post(revoke))
}
