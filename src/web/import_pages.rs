//! Roster import (名录导入) as pages, in two steps. The upload is checked and
//! previewed (a dry run that writes nothing); its bytes wait in the
//! process-local store (see [`super::store`]: user-bound, 30 minutes) until
//! the user confirms, and the confirmation re-plans those bytes inside the
//! write transaction, through the same service the API uses.

use super::labels;
use super::layout::{Layout, Section};
use super::page::{PageResult, PageUser, messages, render, render_with};
use super::{Stores, Upload};
use crate::auth::{CurrentUser, Role};
use crate::enterprise::export::workbook;
use crate::enterprise::import::ImportSummary;
use crate::enterprise::import::http::{ImportOutcome, ImportPreview, PREVIEW_ROWS, run};
use crate::error::{AppError, AppResult, RowError};
use crate::state::AppState;
use crate::upload::multipart_error;
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::{Extension, Form};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

const TITLE: &str = "名录导入";

#[derive(Template)]
#[template(path = "import.html")]
struct UploadPage {
    layout: Layout,
    filename: String,
    problem: Option<UploadProblem>,
}

async fn upload_page(state: &AppState, user: &CurrentUser) -> AppResult<UploadPage> {
    let layout = Layout::new(state, user, TITLE, Section::Import).await?;
    Ok(UploadPage { layout, filename: String::new(), problem: None })
}

pub async fn import_form(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    user.require_any(&[Role::Regulator])?;
    render(&upload_page(&state, &user).await?)
}

/// The blank roster template.
pub async fn template(PageUser(_user): PageUser) -> PageResult {
    let bytes = tokio::task::spawn_blocking(|| workbook(&[], &HashMap::new()))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(crate::xlsx::response(bytes, "企业名录导入模板.xlsx"))
}

/// Reads the upload form: the CSRF field must come (and pass) before the file is read.
pub(super) async fn read_upload(user: &CurrentUser, form: Result<Multipart, MultipartRejection>) -> AppResult<Upload> {
    let bad = |e: &dyn std::fmt::Display| AppError::bad_request("invalid_upload", format!("上传内容无法读取：{e}"));
    let mut form = form.map_err(|e| bad(&e.body_text()))?;
    let mut csrf_ok = false;
    while let Some(field) = form.next_field().await.map_err(|e| multipart_error(&e))? {
        match field.name() {
            Some("csrf_token") => {
                user.check_csrf(&field.text().await.map_err(|e| multipart_error(&e))?)?;
                csrf_ok = true;
            }
            Some("file") if csrf_ok => {
                let filename: String = field.file_name().unwrap_or_default().chars().take(200).collect();
                let bytes = field.bytes().await.map_err(|e| multipart_error(&e))?;
                if bytes.is_empty() {
                    break;
                }
                return Ok(Upload { filename, bytes });
            }
            Some("file") => user.check_csrf("")?,
            _ => {}
        }
    }
    if !csrf_ok {
        user.check_csrf("")?;
    }
    Err(AppError::validation("file", "请选择要导入的 Excel 文件（.xlsx 或 .xls）"))
}

/// What a rejected upload shows: the problem, the first bad rows, how many of
/// each kind there are and how many are not listed.
pub struct UploadProblem {
    pub message: String,
    pub rows: Vec<RowError>,
    /// (kind in Chinese, count), most frequent first.
    pub counts: Vec<(String, usize)>,
    pub unlisted: usize,
}

/// The rejection of an upload and its status, for the roster and the ledger
/// import pages; other errors pass on.
pub(super) fn upload_problem(e: AppError) -> AppResult<(axum::http::StatusCode, UploadProblem)> {
    match e {
        AppError::ImportRejected(r) => {
            let message = format!("文件中有 {} 处错误，未导入任何数据。请修改后重新上传。", r.total);
            let mut counts: Vec<(String, usize)> =
                r.by_code.iter().map(|(code, n)| (labels::row_error(code).to_owned(), *n)).collect();
            counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let unlisted = r.unlisted();
            let problem = UploadProblem { message, rows: r.rows, counts, unlisted };
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, problem))
        }
        e @ (AppError::BadRequest { .. } | AppError::Validation(_) | AppError::TooLarge(_) | AppError::Busy(_)) => {
            let problem =
                UploadProblem { message: messages(&e).join("；"), rows: Vec::new(), counts: Vec::new(), unlisted: 0 };
            Ok((e.status(), problem))
        }
        e => Err(e),
    }
}

/// The error when a kept upload is gone (expired, or imported already).
pub(super) fn upload_expired() -> AppError {
    AppError::bad_request("upload_expired", "上传的文件已过期（保留 30 分钟）或已导入，请重新上传")
}

/// Shows what is wrong with an upload on the upload page, or passes other errors on.
async fn rejected(state: &AppState, user: &CurrentUser, filename: &str, e: AppError) -> PageResult {
    let mut page = upload_page(state, user).await?;
    filename.clone_into(&mut page.filename);
    let (status, problem) = upload_problem(e)?;
    page.problem = Some(problem);
    render_with(status, &page)
}

pub struct ChangeView {
    pub label: String,
    pub old: String,
    pub new: String,
}

pub struct ChangedView {
    pub row: u32,
    pub credit_code: String,
    pub name: String,
    pub changes: Vec<ChangeView>,
}

#[derive(Template)]
#[template(path = "import_preview.html")]
struct PreviewPage {
    layout: Layout,
    filename: String,
    upload_id: String,
    preview: ImportPreview,
    changed_rows: Vec<ChangedView>,
    preview_rows: usize,
}

fn changed_views(p: &ImportPreview) -> Vec<ChangedView> {
    p.changed_rows
        .iter()
        .map(|c| ChangedView {
            row: c.row,
            credit_code: c.credit_code.clone(),
            name: c.name.clone(),
            changes: c
                .changes
                .iter()
                .map(|f| ChangeView {
                    label: f.label.clone(),
                    old: labels::change_value(&f.field, f.old.as_deref()),
                    new: labels::change_value(&f.field, f.new.as_deref()),
                })
                .collect(),
        })
        .collect()
}

/// Step 1: check the file and show what the import would do.
pub async fn preview_import(
    State(state): State<AppState>,
    Extension(stores): Extension<Arc<Stores>>,
    PageUser(user): PageUser,
    form: Result<Multipart, MultipartRejection>,
) -> PageResult {
    user.require_any(&[Role::Regulator])?;
    let _turn = match state.gates.imports.enter().await {
        Ok(turn) => turn,
        Err(e) => return rejected(&state, &user, "", e).await,
    };
    let upload = match read_upload(&user, form).await {
        Ok(u) => u,
        Err(e @ AppError::BadRequest { code: "csrf_failed", .. }) => return Err(e.into()),
        Err(e) => return rejected(&state, &user, "", e).await,
    };
    let preview = match run(&state, &user, upload.bytes.clone(), true).await {
        Ok(ImportOutcome::Preview(p)) => p,
        Ok(ImportOutcome::Done(_)) => return Err(AppError::Internal(anyhow::anyhow!("dry run wrote")).into()),
        Err(e) => return rejected(&state, &user, &upload.filename, e).await,
    };
    let filename = upload.filename.clone();
    let upload_id = stores.uploads.put(user.id, upload);
    let layout = Layout::new(&state, &user, "导入预览", Section::Import).await?;
    let changed_rows = changed_views(&preview);
    render(&PreviewPage { layout, filename, upload_id, preview, changed_rows, preview_rows: PREVIEW_ROWS })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConfirmForm {
    pub(super) csrf_token: String,
    pub(super) upload_id: String,
}

#[derive(Template)]
#[template(path = "import_done.html")]
struct DonePage {
    layout: Layout,
    filename: String,
    summary: ImportSummary,
}

/// Step 2: import the kept file for real, all or nothing.
pub async fn confirm_import(
    State(state): State<AppState>,
    Extension(stores): Extension<Arc<Stores>>,
    PageUser(user): PageUser,
    Form(form): Form<ConfirmForm>,
) -> PageResult {
    user.check_csrf(&form.csrf_token)?;
    user.require_any(&[Role::Regulator])?;
    let Some(upload) = stores.uploads.get(&form.upload_id, user.id) else {
        return rejected(&state, &user, "", upload_expired()).await;
    };
    let _turn = match state.gates.imports.enter().await {
        Ok(turn) => turn,
        Err(e) => return rejected(&state, &user, &upload.filename, e).await,
    };
    let summary = match run(&state, &user, upload.bytes.clone(), false).await {
        Ok(ImportOutcome::Done(s)) => s,
        Ok(ImportOutcome::Preview(_)) => {
            return Err(AppError::Internal(anyhow::anyhow!("import only previewed")).into());
        }
        Err(e) => return rejected(&state, &user, &upload.filename, e).await,
    };
    stores.uploads.remove(&form.upload_id, user.id);
    let layout = Layout::new(&state, &user, "导入完成", Section::Import).await?;
    render(&DonePage { layout, filename: upload.filename.clone(), summary })
}
