//! 安责险保单导入 as pages (`/insurance/policies/import`), in two steps like the
//! other imports: the upload is checked (a dry run) and the policies it would add
//! are listed — or every problem of every row, by row number and column — its bytes
//! wait in the process-local store until the user confirms, and the confirmation
//! imports those bytes through the same use case as the API and the CLI, all or
//! nothing. Regulators and insurers' users only (403 for anyone else, before the
//! upload is read); linked from 安责险 / 承保保单.

use super::Stores;
use super::case_pages::money;
use super::import_pages::{ConfirmForm, UploadProblem, read_upload, upload_expired, upload_problem};
use super::layout::{Layout, Section};
use super::page::{PageResult, PageUser, render, render_with};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::insurance::import::http::importer_of;
use crate::insurance::import::{Importer, PolicyImportRow, PolicyImportSummary, columns, run};
use crate::state::AppState;
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use std::sync::Arc;

/// A policy as listed, amounts in yuan with separators.
pub struct RowView {
    pub r: PolicyImportRow,
    pub premium: String,
    pub limit: String,
}

#[derive(Template)]
#[template(path = "insurance_import.html")]
struct ImportPage {
    layout: Layout,
    /// The insurer's name for an insurer's user (its policies only).
    own_insurer: Option<String>,
    filename: String,
    problem: Option<UploadProblem>,
    summary: Option<PolicyImportSummary>,
    rows: Vec<RowView>,
    upload_id: String,
}

/// The page for `user`, who must be one who imports policies (checked first).
async fn page(state: &AppState, user: &CurrentUser, title: &str) -> Result<(ImportPage, Importer), AppError> {
    let who = importer_of(state, user).await?;
    let own_insurer = match &who {
        Importer::Insurer(i) => Some(i.name.clone()),
        Importer::Regulator(_) => None,
    };
    let p = ImportPage {
        layout: Layout::new(state, user, title, Section::Insurance).await?,
        own_insurer,
        filename: String::new(),
        problem: None,
        summary: None,
        rows: Vec::new(),
        upload_id: String::new(),
    };
    Ok((p, who))
}

fn with_summary(p: &mut ImportPage, filename: &str, s: PolicyImportSummary) {
    filename.clone_into(&mut p.filename);
    p.rows = s
        .rows
        .iter()
        .cloned()
        .map(|r| RowView { premium: money(r.premium_yuan), limit: money(r.death_disability_limit_yuan), r })
        .collect();
    p.summary = Some(s);
}

pub async fn import_form(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    render(&page(&state, &user, "导入安责险保单").await?.0)
}

/// The sample workbook (`imports/insurance-policies.xlsx`).
pub async fn template(PageUser(_user): PageUser) -> PageResult {
    let bytes = columns::template().map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(crate::xlsx::response(bytes, "安责险保单导入模板.xlsx"))
}

async fn rejected(state: &AppState, user: &CurrentUser, filename: &str, e: AppError) -> PageResult {
    let (mut p, _) = page(state, user, "导入安责险保单").await?;
    filename.clone_into(&mut p.filename);
    let (status, problem) = upload_problem(e)?;
    p.problem = Some(problem);
    render_with(status, &p)
}

/// Step 1: check the file and list what the import would add.
pub async fn preview(
    State(state): State<AppState>,
    Extension(stores): Extension<Arc<Stores>>,
    PageUser(user): PageUser,
    form: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let (mut p, who) = page(&state, &user, "导入安责险保单：检查结果").await?;
    let _turn = match state.gates.imports.enter().await {
        Ok(turn) => turn,
        Err(e) => return rejected(&state, &user, "", e).await,
    };
    let upload = match read_upload(&user, form).await {
        Ok(u) => u,
        Err(e @ AppError::BadRequest { code: "csrf_failed", .. }) => return Err(e.into()),
        Err(e) => return rejected(&state, &user, "", e).await,
    };
    let summary = match run(&state, &who, user.id, upload.bytes.clone(), true).await {
        Ok(s) => s,
        Err(e) => return rejected(&state, &user, &upload.filename, e).await,
    };
    with_summary(&mut p, &upload.filename, summary);
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
    let (mut p, who) = page(&state, &user, "导入安责险保单：已完成").await?;
    let Some(upload) = stores.uploads.get(&form.upload_id, user.id) else {
        return rejected(&state, &user, "", upload_expired()).await;
    };
    let _turn = match state.gates.imports.enter().await {
        Ok(turn) => turn,
        Err(e) => return rejected(&state, &user, &upload.filename, e).await,
    };
    let summary = match run(&state, &who, user.id, upload.bytes.clone(), false).await {
        Ok(s) => s,
        Err(e) => return rejected(&state, &user, &upload.filename, e).await,
    };
    stores.uploads.remove(&form.upload_id, user.id);
    with_summary(&mut p, &upload.filename, summary);
    render(&p)
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/insurance/policies/import",
            get(import_form).post(preview).layer(crate::upload::limit(crate::upload::LEDGER)),
        )
        .route("/insurance/policies/import/confirm", post(confirm))
        .route("/insurance/policies/import/template.xlsx", get(template))
}
