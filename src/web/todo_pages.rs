//! The user's open to-dos (待办), most urgent first, each with its due date
//! and urgency and a link to the matter. Items that close when their step is
//! taken have no 完成 button; the others keep it.

use super::layout::{Layout, Section};
use super::page::{PagePath, PageResult, PageUser, beijing, render, see_other};
use crate::state::AppState;
use crate::todo::{self, TodoResponse, Urgency};
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
    /// `YYYY-MM-DD`, or "—".
    pub due: String,
    pub urgency: String,
    /// CSS class of the urgency: `overdue`, `due_today`, `upcoming`, `undated`.
    pub urgency_class: &'static str,
    /// Shows the 完成 button (items not closed by their step).
    pub manual: bool,
}

#[derive(Template)]
#[template(path = "todos.html")]
struct TodosPage {
    layout: Layout,
    items: Vec<TodoView>,
    total: u64,
}

fn view(t: TodoResponse) -> TodoView {
    TodoView {
        id: t.id,
        href: (t.link.starts_with('/') && !t.link.starts_with("//")).then_some(t.link),
        title: t.title,
        created: beijing(t.created_at),
        due: t.due_on.map_or_else(|| "—".to_owned(), |d| d.to_string()),
        urgency: t.urgency_label,
        urgency_class: match t.urgency {
            Urgency::Overdue => "overdue",
            Urgency::DueToday => "due_today",
            Urgency::Upcoming => "upcoming",
            Urgency::Undated => "undated",
        },
        manual: !t.closes_with_step,
    }
}

pub async fn list_todos(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let today = state.clock.today();
    let (rows, total) = todo::open_for(&state, &user).await?;
    let items = rows.into_iter().map(|t| view(TodoResponse::of(t, today))).collect();
    let layout = Layout::new(&state, &user, "待办事项", Section::Todos).await?;
    render(&TodosPage { layout, items, total })
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
