//! 风险点导入 as pages, in two steps like the roster and the ledger imports: the upload
//! is checked and counted (a dry run), its bytes wait in the process-local store until
//! the user confirms, and the confirmation imports those bytes through the same use case
//! as the API, all or nothing.

use super::Stores;
use super::import_pages::{ConfirmForm, UploadProblem, read_upload, upload_expired, upload_problem};
use super::layout::{Layout, Section};
use super::page::{PagePath, PageResult, PageUser, render, render_with};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::risk::import::{RiskImportSummary, columns, run};
use crate::risk::policy;
use crate::state::AppState;
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use std::sync::Arc;

#[derive(Template)]
#[template(path = "risk_import.html")]
struct ImportPage {
    layout: Layout,
    enterprise_id: i64,
    enterprise_name: String,
    filename: String,
    problem: Option<UploadProblem>,
    summary: Option<RiskImportSummary>,
    upload_id: String,
}

/// The page for `user`, who must be one who records the enterprise's points.
async fn page(state: &AppState, user: &CurrentUser, id: i64, title: &str) -> Result<ImportPage, AppError> {
    let enterprise = crate::enterprise::service::get_scoped(state.db.conn(), &user.scope, id).await?;
    policy::check_write(user, &enterprise)?;
    let section = if user.is_bureau_user() { Section::Enterprises } else { Section::Risk };
    Ok(ImportPage {
        layout: Layout::new(state, user, title, section).await?,
        enterprise_id: enterprise.id,
        enterprise_name: enterprise.name,
        filename: String::new(),
        problem: None,
        summary: None,
        upload_id: String::new(),
    })
}

pub async fn import_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    render(&page(&state, &user, id, "风险点导入").await?)
}

/// The sample workbook (`imports/risk-points.xlsx`).
pub async fn template(PageUser(_user): PageUser) -> PageResult {
    let bytes = columns::template().map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(crate::xlsx::response(bytes, "风险点导入模板.xlsx"))
}

async fn rejected(state: &AppState, user: &CurrentUser, id: i64, filename: &str, e: AppError) -> PageResult {
    let mut p = page(state, user, id, "风险点导入").await?;
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
    PagePath(id): PagePath<i64>,
    form: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let mut p = page(&state, &user, id, "风险点导入预览").await?;
    let _turn = match state.gates.imports.enter().await {
        Ok(turn) => turn,
        Err(e) => return rejected(&state, &user, id, "", e).await,
    };
    let upload = match read_upload(&user, form).await {
        Ok(u) => u,
        Err(e @ AppError::BadRequest { code: "csrf_failed", .. }) => return Err(e.into()),
        Err(e) => return rejected(&state, &user, id, "", e).await,
    };
    let summary = match run(&state, &user, id, upload.bytes.clone(), true).await {
        Ok(s) => s,
        Err(e) => return rejected(&state, &user, id, &upload.filename, e).await,
    };
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
    PagePath(id): PagePath<i64>,
    Form(form): Form<ConfirmForm>,
) -> PageResult {
    user.check_csrf(&form.csrf_token)?;
    let Some(upload) = stores.uploads.get(&form.upload_id, user.id) else {
        return rejected(&state, &user, id, "", upload_expired()).await;
    };
    let _turn = match state.gates.imports.enter().await {
        Ok(turn) => turn,
        Err(e) => return rejected(&state, &user, id, &upload.filename, e).await,
    };
    let summary = match run(&state, &user, id, upload.bytes.clone(), false).await {
        Ok(s) => s,
        Err(e) => return rejected(&state, &user, id, &upload.filename, e).await,
    };
    stores.uploads.remove(&form.upload_id, user.id);
    let mut p = page(&state, &user, id, "风险点导入完成").await?;
    p.filename.clone_from(&upload.filename);
    p.summary = Some(summary);
    render(&p)
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/enterprises/{id}/risk-points/import",
            get(import_form).post(preview).layer(crate::upload::limit(crate::upload::LEDGER)),
        )
        .route("/enterprises/{id}/risk-points/import/confirm", post(confirm))
        .route("/risk-points/import/template.xlsx", get(template))
}
