//! Ledger import (隐患台账导入) as pages, in two steps like the roster import:
//! the upload is checked and counted (a dry run), its bytes wait in the
//! process-local store until the regulator confirms, and the confirmation
//! imports those bytes through the same service as the API and the CLI.

use super::Stores;
use super::import_pages::{ConfirmForm, UploadProblem, read_upload, upload_expired, upload_problem};
use super::layout::{Layout, Section};
use super::page::{PageResult, PageUser, render, render_with};
use crate::auth::CurrentUser;
use crate::enterprise::import::http::importer_for;
use crate::error::AppError;
use crate::hazard::import::{HazardImportSummary, run, template_bytes};
use crate::state::AppState;
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::{Extension, Form};
use std::sync::Arc;

#[derive(Template)]
#[template(path = "hazard_import.html")]
struct ImportPage {
    layout: Layout,
    filename: String,
    problem: Option<UploadProblem>,
    /// A checked file waiting for confirmation, or an import done.
    summary: Option<HazardImportSummary>,
    upload_id: String,
}

async fn page(state: &AppState, user: &CurrentUser, title: &str) -> PageResult<ImportPage> {
    Ok(ImportPage {
        layout: Layout::new(state, user, title, Section::Hazards).await?,
        filename: String::new(),
        problem: None,
        summary: None,
        upload_id: String::new(),
    })
}

pub async fn import_form(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    crate::hazard::policy::require_importer(&user)?;
    render(&page(&state, &user, "隐患台账导入").await?)
}

/// The blank template, naming this system's categories.
pub async fn template(State(state): State<AppState>, PageUser(_user): PageUser) -> PageResult {
    Ok(crate::xlsx::response(template_bytes(state.db.conn()).await?, "隐患台账导入模板.xlsx"))
}

/// Shows what is wrong with an upload, or passes other errors on.
async fn rejected(state: &AppState, user: &CurrentUser, filename: &str, e: AppError) -> PageResult {
    let mut p = page(state, user, "隐患台账导入").await?;
    filename.clone_into(&mut p.filename);
    let (status, problem) = upload_problem(e)?;
    p.problem = Some(problem);
    render_with(status, &p)
}

/// Step 1: check the file and count what the import would do.
pub async fn preview(
    State(state): State<AppState>,
    Extension(stores): Extension<Arc<Stores>>,
    PageUser(user): PageUser,
    form: Result<Multipart, MultipartRejection>,
) -> PageResult {
    crate::hazard::policy::require_importer(&user)?;
    let _turn = match state.gates.imports.enter().await {
        Ok(turn) => turn,
        Err(e) => return rejected(&state, &user, "", e).await,
    };
    let upload = match read_upload(&user, form).await {
        Ok(u) => u,
        Err(e @ AppError::BadRequest { code: "csrf_failed", .. }) => return Err(e.into()),
        Err(e) => return rejected(&state, &user, "", e).await,
    };
    let who = importer_for(&state, &user).await?;
    let summary = match run(&state, &who, Some(user.id), upload.bytes.clone(), true).await {
        Ok(s) => s,
        Err(e) => return rejected(&state, &user, &upload.filename, e).await,
    };
    let mut p = page(&state, &user, "隐患台账导入预览").await?;
    p.filename.clone_from(&upload.filename);
    p.summary = Some(summary);
    p.upload_id = stores.uploads.put(user.id, upload);
    render(&p)
}

/// Step 2: import the kept file, all or nothing.
pub async fn confirm(
    State(state): State<AppState>,
    Extension(stores): Extension<Arc<Stores>>,
    PageUser(user): PageUser,
    Form(form): Form<ConfirmForm>,
) -> PageResult {
    user.check_csrf(&form.csrf_token)?;
    crate::hazard::policy::require_importer(&user)?;
    let Some(upload) = stores.uploads.get(&form.upload_id, user.id) else {
        return rejected(&state, &user, "", upload_expired()).await;
    };
    let who = importer_for(&state, &user).await?;
    let _turn = match state.gates.imports.enter().await {
        Ok(turn) => turn,
        Err(e) => return rejected(&state, &user, &upload.filename, e).await,
    };
    let summary = match run(&state, &who, Some(user.id), upload.bytes.clone(), false).await {
        Ok(s) => s,
        Err(e) => return rejected(&state, &user, &upload.filename, e).await,
    };
    stores.uploads.remove(&form.upload_id, user.id);
    let mut p = page(&state, &user, "隐患台账导入完成").await?;
    p.filename.clone_from(&upload.filename);
    p.summary = Some(summary);
    render(&p)
}
