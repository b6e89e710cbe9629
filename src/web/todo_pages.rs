//! The user's open to-dos (待办), each with a link to the matter and a 完成 button.

use super::layout::{Layout, Section};
use super::page::{PagePath, PageResult, PageUser, beijing, render, see_other};
use crate::state::AppState;
use crate::todo;
use askama::Template;
use axum::Form;
use axum::extract::State;
use serde::Deserialize;

pub struct TodoView {
    pub id: i64,
    pub title: String,
    /// Only links within this site are shown as links.
    pub href: Option<String>,
    pub created: String,
}

#[derive(Template)]
#[template(path = "todos.html")]
struct TodosPage {
    layout: Layout,
    items: Vec<TodoView>,
}

pub async fn list_todos(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let items = todo::open_for(&state, &user)
        .await?
        .into_iter()
        .map(|t| TodoView {
            id: t.id,
            href: (t.link.starts_with('/') && !t.link.starts_with("//")).then_some(t.link),
            title: t.title,
            created: beijing(t.created_at),
        })
        .collect();
    let layout = Layout::new(&state, &user, "待办事项", Section::Todos).await?;
    render(&TodosPage { layout, items })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneForm {
    csrf_token: String,
}

pub async fn complete_todo(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<DoneForm>,
) -> PageResult {
    user.check_csrf(&form.csrf_token)?;
    state.write(user.actor(), async |tx| todo::complete(tx, &user, id).await).await?;
    Ok(see_other("/todos"))
}
