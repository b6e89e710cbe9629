//! Writing a bureau checklist in the pages: uploading the template (checked
//! and previewed first, then confirmed: the bytes wait in a user-bound store
//! for 30 minutes), editing in a table of rows (one row per item, the same
//! Chinese columns as the template, read by the same code), and retiring.
//! Every path ends in [`crate::checklist::service`], as the API does.

use super::checklist_pages::is_author;
use super::import_pages::{UploadProblem, read_upload, upload_expired, upload_problem};
use super::layout::{Layout, Section};
use super::page::{PageResult, PageUser, render, render_with, see_other};
use super::{Upload, store::Shelf};
use crate::auth::CurrentUser;
use crate::checklist::import::{ChecklistImport, ChecklistImportSummary};
use crate::checklist::rows::{self, ItemRow};
use crate::checklist::{Checklist, list, service};
use crate::error::{AppError, AppResult};
use crate::row_errors::RowErrors;
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Uploads waiting for confirmation: two per user, 16 in all, 64 MiB together.
static UPLOADS: LazyLock<Shelf<Upload>> = LazyLock::new(|| Shelf::weighed(2, 16, 64 << 20, |u| u.bytes.len()));
/// Blank rows offered below the items.
const BLANK_ROWS: usize = 5;

async fn bureau_of(state: &AppState, user: &CurrentUser) -> AppResult<crate::entities::bureau::Model> {
    crate::checklist::handlers::author_bureau(state, user).await
}

#[derive(Template)]
#[template(path = "checklist_import.html")]
struct UploadPage {
    layout: Layout,
    filename: String,
    problem: Option<UploadProblem>,
    preview: Option<ChecklistImportSummary>,
    upload_id: String,
}

async fn upload_page(state: &AppState, user: &CurrentUser) -> AppResult<UploadPage> {
    let layout = Layout::new(state, user, "上传检查表", Section::Checklists).await?;
    Ok(UploadPage { layout, filename: String::new(), problem: None, preview: None, upload_id: String::new() })
}

pub async fn upload_form(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    bureau_of(&state, &user).await?;
    render(&upload_page(&state, &user).await?)
}

pub async fn template(PageUser(_user): PageUser) -> PageResult {
    let bytes = crate::checklist::template::workbook().map_err(|e| AppError::Internal(e.into()))?;
    Ok(crate::xlsx::response(bytes, "检查表模板.xlsx"))
}

async fn rejected(state: &AppState, user: &CurrentUser, filename: &str, e: AppError) -> PageResult {
    let mut page = upload_page(state, user).await?;
    filename.clone_into(&mut page.filename);
    let (status, problem) = upload_problem(e)?;
    page.problem = Some(problem);
    render_with(status, &page)
}

async fn run(
    state: &AppState,
    user: &CurrentUser,
    bytes: axum::body::Bytes,
    dry_run: bool,
) -> AppResult<ChecklistImportSummary> {
    let import = ChecklistImport { bureau: bureau_of(state, user).await?, user_id: user.id };
    let _turn = state.gates.imports.enter().await?;
    Ok(match crate::import::run(state, user.actor(), &import, bytes, dry_run).await? {
        crate::import::Outcome::Preview(s) | crate::import::Outcome::Done(s) => s,
    })
}

/// Step 1: check the file and show what it holds.
pub async fn preview_upload(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    form: Result<Multipart, MultipartRejection>,
) -> PageResult {
    bureau_of(&state, &user).await?;
    let upload = match read_upload(&user, form).await {
        Ok(u) => u,
        Err(e @ AppError::BadRequest { code: "csrf_failed", .. }) => return Err(e.into()),
        Err(e) => return rejected(&state, &user, "", e).await,
    };
    let summary = match run(&state, &user, upload.bytes.clone(), true).await {
        Ok(s) => s,
        Err(e) => return rejected(&state, &user, &upload.filename, e).await,
    };
    let mut page = upload_page(&state, &user).await?;
    page.filename.clone_from(&upload.filename);
    page.upload_id = UPLOADS.put(user.id, upload);
    page.preview = Some(summary);
    render(&page)
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ConfirmForm {
    csrf_token: String,
    upload_id: String,
}

/// Step 2: store the kept file as a new version.
pub async fn confirm_upload(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(f): Form<ConfirmForm>,
) -> PageResult {
    user.check_csrf(&f.csrf_token)?;
    bureau_of(&state, &user).await?;
    let Some(upload) = UPLOADS.get(&f.upload_id, user.id) else {
        return rejected(&state, &user, "", upload_expired()).await;
    };
    match run(&state, &user, upload.bytes.clone(), false).await {
        Ok(s) => {
            UPLOADS.remove(&f.upload_id, user.id);
            let done = if s.new_version { "created" } else { "same" };
            Ok(see_other(&format!("/checklists/{}?done={done}", s.hash)))
        }
        Err(e) => rejected(&state, &user, &upload.filename, e).await,
    }
}

#[derive(Template)]
#[template(path = "checklist_edit.html")]
struct EditPage {
    layout: Layout,
    head: HashMap<&'static str, String>,
    rows: Vec<ItemRow>,
    errors: Vec<String>,
}

impl EditPage {
    fn head(&self, key: &str) -> &str {
        self.head.get(key).map_or("", String::as_str)
    }
}

const HEAD: [&str; 6] = ["id", "title", "issuer", "document_number", "effective", "version"];

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct EditQuery {
    from: String,
}

/// The editing table, empty or filled from a version (`?from=hash`).
pub async fn edit_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<EditQuery>,
) -> PageResult {
    bureau_of(&state, &user).await?;
    let mut head = HashMap::new();
    let mut rows = Vec::new();
    if !q.from.is_empty() {
        let c = list::version(state.db.conn(), &user, &q.from).await?.checklist;
        let values = [
            c.id.clone(),
            c.title.clone(),
            c.issuer.clone(),
            c.document_number.clone(),
            c.effective.to_string(),
            c.version.clone(),
        ];
        head = HEAD.into_iter().zip(values).collect();
        rows = c.items().map(|(s, i)| ItemRow::of(&s.name, i)).collect();
    }
    rows.extend(std::iter::repeat_with(ItemRow::default).take(BLANK_ROWS));
    let layout = Layout::new(&state, &user, "编写检查表", Section::Checklists).await?;
    render(&EditPage { layout, head, rows, errors: Vec::new() })
}

/// The rows of the posted table (`code_0`, `text_0`, …), up to the last one sent.
fn posted_rows(form: &HashMap<String, String>) -> Vec<ItemRow> {
    let count = form.get("rows").and_then(|n| n.parse::<usize>().ok()).unwrap_or(0).min(service::MAX_ITEMS + 50);
    let cell = |name: &str, n: usize| form.get(&format!("{name}_{n}")).cloned().unwrap_or_default();
    (0..count)
        .map(|n| ItemRow {
            section: cell("section", n),
            code: cell("code", n),
            text: cell("text", n),
            basis: cell("basis", n),
            severity: cell("severity", n),
            penalty_basis: cell("penalty_basis", n),
            sectors: cell("sectors", n),
            sub_types: cell("sub_types", n),
            special_topics: cell("special_topics", n),
            verified: cell("verified", n),
        })
        .collect()
}

/// The checklist the form describes, or every problem with it (row numbers are the table's).
fn checklist_of(head: &HashMap<&'static str, String>, rows: &[ItemRow]) -> Result<Checklist, Vec<String>> {
    let mut problems = Vec::new();
    let effective = chrono::NaiveDate::parse_from_str(head["effective"].trim(), "%Y-%m-%d");
    if effective.is_err() {
        problems.push("施行日期应为 2026-12-01 这样的日期".to_owned());
    }
    let mut errors = RowErrors::default();
    let good: Vec<_> = (1_u32..)
        .zip(rows)
        .filter(|(_, r)| !r.is_blank())
        .filter_map(|(n, r)| rows::item(n, r, &mut errors).map(|(s, i)| (n, s, i)))
        .collect();
    let sections = rows::sections(&good, &mut errors);
    if good.is_empty() && errors.is_empty() {
        problems.push("请至少填写一个检查项".to_owned());
    }
    let rejection = errors.into_rejection();
    problems.extend(rejection.rows.iter().map(|e| format!("第 {} 行 {}：{}", e.row, e.column, e.message)));
    match effective {
        Ok(effective) if problems.is_empty() => Ok(Checklist {
            id: head["id"].trim().to_owned(),
            title: head["title"].trim().to_owned(),
            issuer: head["issuer"].trim().to_owned(),
            document_number: head["document_number"].trim().to_owned(),
            effective,
            version: head["version"].trim().to_owned(),
            sections,
        }),
        _ => Err(problems),
    }
}

/// Saves the table as a new version; a failed form comes back with what was typed and every problem.
pub async fn save(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    user.check_csrf(form.get("csrf_token").map_or("", String::as_str))?;
    let b = bureau_of(&state, &user).await?;
    let head: HashMap<&'static str, String> =
        HEAD.into_iter().map(|k| (k, form.get(k).cloned().unwrap_or_default())).collect();
    let mut rows = posted_rows(&form);
    let more = form.contains_key("more");
    let errors = if more {
        Vec::new()
    } else {
        match checklist_of(&head, &rows) {
            Ok(c) => match state.write(user.actor(), async |tx| service::create(tx, &b, user.id, &c).await).await {
                Ok((row, created)) => {
                    let done = if created { "created" } else { "same" };
                    return Ok(see_other(&format!("/checklists/{}?done={done}", row.content_hash)));
                }
                Err(AppError::Validation(fields)) => fields.into_values().flatten().collect(),
                Err(e) => return Err(e.into()),
            },
            Err(problems) => problems,
        }
    };
    rows.retain(|r| !r.is_blank());
    rows.extend(std::iter::repeat_with(ItemRow::default).take(BLANK_ROWS));
    let layout = Layout::new(&state, &user, "编写检查表", Section::Checklists).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_with(status, &EditPage { layout, head, rows, errors })
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RetireForm {
    csrf_token: String,
    checklist_id: String,
}

pub async fn retire(State(state): State<AppState>, PageUser(user): PageUser, Form(f): Form<RetireForm>) -> PageResult {
    user.check_csrf(&f.csrf_token)?;
    if !is_author(&user) {
        return Err(AppError::Forbidden.into());
    }
    let b = bureau_of(&state, &user).await?;
    let row = state.write(user.actor(), async |tx| service::retire(tx, &b, &f.checklist_id).await).await?;
    Ok(see_other(&format!("/checklists/{}?done=retired", row.content_hash)))
}
