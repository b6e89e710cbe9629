//! A self-inspection task's page: the checklist form (per item large 符合 /
//! 不符合 / 不适用 buttons, a note and a photo; items whose wording is not
//! verified are marked 未核实), saving and completing, and after completion the
//! record with its summary (本次排查 N 项，发现隐患 M 项; 无隐患也留痕).

use super::layout::{Layout, Section};
use super::page::{FormErrors, PagePath, PageResult, PageUser, render, see_other};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::inspection::domain::Outcome;
use crate::self_inspection::json::{ResultInput, TaskResponse};
use crate::self_inspection::{list, results};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::routing::{get, post};
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/self-inspection/tasks/{id}", get(show))
        .route("/self-inspection/tasks/{id}/results", post(save).layer(crate::upload::limit(crate::upload::PHOTO_FORM)))
        .route("/self-inspection/tasks/{id}/complete", post(complete))
}

#[derive(Template)]
#[template(path = "self_inspection_task.html")]
struct TaskPage {
    layout: Layout,
    t: TaskResponse,
    may_edit: bool,
    errors: FormErrors,
    flash: Option<String>,
    choices: [Outcome; 3],
}

/// The outcomes the form offers (未检查 is what an item not chosen stays).
const CHOICES: [Outcome; 3] = [Outcome::Conform, Outcome::NonConform, Outcome::NotApplicable];

async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    errors: FormErrors,
    flash: Option<String>,
) -> PageResult<TaskPage> {
    let db = state.db.conn();
    let row = list::get_visible(db, user, id).await?;
    let t = list::detail(db, user, row, state.clock.today()).await?;
    let title = format!("排查任务：{}", t.task.title);
    Ok(TaskPage {
        layout: Layout::new(state, user, &title, Section::SelfInspection).await?,
        may_edit: !t.allowed_actions.is_empty(),
        t,
        errors,
        flash,
        choices: CHOICES,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Flash {
    done: String,
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Query(f): Query<Flash>,
) -> PageResult {
    let flash = match f.done.as_str() {
        "saved" => Some("检查结果已保存。全部检查完毕后请点击“完成排查”。".to_owned()),
        "completed" => Some("排查已完成，检查记录已存档；不符合项已登记为隐患，请在隐患台账中整改。".to_owned()),
        _ => None,
    };
    render(&page(&state, &user, id, FormErrors::default(), flash).await?)
}

/// The form: text fields by name, photos by field name.
struct Posted {
    fields: HashMap<String, String>,
    photos: Vec<(String, String, axum::body::Bytes)>,
}

async fn read(mut form: Multipart, max_fields: usize) -> PageResult<Posted> {
    let bad = |e: axum::extract::multipart::MultipartError| crate::upload::multipart_error(&e);
    let mut p = Posted { fields: HashMap::new(), photos: Vec::new() };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name: String = field.name().unwrap_or_default().chars().take(64).collect();
        if field.file_name().is_some() {
            let file: String = field.file_name().unwrap_or("photo").chars().take(200).collect();
            let bytes = field.bytes().await.map_err(bad)?;
            if !bytes.is_empty() {
                if p.photos.len() == super::hazard_pages::MAX_PHOTOS {
                    let m = format!("一次最多上传 {} 张照片", super::hazard_pages::MAX_PHOTOS);
                    return Err(AppError::validation("file", m).into());
                }
                p.photos.push((name, file, bytes));
            }
        } else if p.fields.len() < max_fields {
            p.fields.insert(name, field.text().await.map_err(bad)?.replace("\r\n", "\n"));
        }
    }
    Ok(p)
}

/// The results typed into the form (items without a chosen outcome are left as they are).
async fn inputs(state: &AppState, user: &CurrentUser, t: &TaskResponse, p: &Posted) -> PageResult<Vec<ResultInput>> {
    let mut out = Vec::new();
    let _turn = if p.photos.is_empty() { None } else { Some(state.gates.photos.enter().await?) };
    for (n, item) in t.items.iter().enumerate() {
        let Some(outcome) = p.fields.get(&format!("outcome_{n}")).and_then(|o| o.parse::<Outcome>().ok()) else {
            continue;
        };
        let note = p.fields.get(&format!("note_{n}")).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        let files: Vec<(String, axum::body::Bytes)> = p
            .photos
            .iter()
            .filter(|(f, _, _)| *f == format!("photo_{n}"))
            .map(|(_, name, b)| (name.clone(), b.clone()))
            .collect();
        let attachment_ids = super::hazard_pages::save_photos(state, user, &files).await?;
        out.push(ResultInput { code: item.code.clone(), outcome, note, attachment_ids });
    }
    Ok(out)
}

pub async fn save(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    form: Multipart,
) -> PageResult {
    let db = state.db.conn();
    let row = list::get_visible(db, &user, id).await?;
    let t = list::detail(db, &user, row, state.clock.today()).await?;
    let p = read(form, t.items.len() * 3 + 8).await?;
    user.check_csrf(p.fields.get("csrf_token").map_or("", String::as_str))?;
    let typed = inputs(&state, &user, &t, &p).await?;
    let then_complete = p.fields.get("then").is_some_and(|v| v == "complete");
    let out = state
        .write(user.actor(), async |tx| {
            if !typed.is_empty() {
                results::record(tx, &user, id, &typed).await?;
            }
            if then_complete { results::complete(tx, &user, id).await.map(|_| ()) } else { Ok(()) }
        })
        .await;
    match out {
        Ok(()) if then_complete => Ok(see_other(&format!("/self-inspection/tasks/{id}?done=completed"))),
        Ok(()) => Ok(see_other(&format!("/self-inspection/tasks/{id}?done=saved"))),
        Err(e @ AppError::Validation(_)) => render(&page(&state, &user, id, FormErrors::from_error(&e), None).await?),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CompleteForm {
    csrf_token: String,
}

pub async fn complete(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    axum::Form(f): axum::Form<CompleteForm>,
) -> PageResult {
    user.check_csrf(&f.csrf_token)?;
    state.write(user.actor(), async |tx| results::complete(tx, &user, id).await).await?;
    Ok(see_other(&format!("/self-inspection/tasks/{id}?done=completed")))
}
