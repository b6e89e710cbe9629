//! 导入地区基数 / 导入本局目标 as pages (`/indicators/inputs/denominators/import`,
//! `/indicators/inputs/targets/import`), in two steps like the other imports: the
//! upload is checked (a dry run) and what it would write is listed — or every
//! problem of every row — its bytes wait in the process-local store until the user
//! confirms, and the confirmation imports those bytes through the same use case as
//! the API and the CLI, all or nothing. Regulators only (403 before the upload is
//! read); linked from 指标基数与目标.

use super::Stores;
use super::import_pages::{ConfirmForm, UploadProblem, read_upload, upload_expired, upload_problem};
use super::layout::{Layout, Section};
use super::page::{PageResult, PageUser, render, render_with};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::indicator::inputs::checks::Enterer;
use crate::indicator::inputs::import::{InputsImportSummary, Kind, run, templates};
use crate::state::AppState;
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use std::sync::Arc;

#[derive(Template)]
#[template(path = "indicator_inputs_import.html")]
struct ImportPage {
    layout: Layout,
    /// `denominators` or `targets` (the pages' paths).
    path: &'static str,
    noun: &'static str,
    denominators: bool,
    filename: String,
    problem: Option<UploadProblem>,
    summary: Option<InputsImportSummary>,
    upload_id: String,
}

fn names(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Denominators => ("denominators", "地区基数"),
        Kind::Targets => ("targets", "本局目标"),
    }
}

/// The page for a regulator (checked first).
async fn page(state: &AppState, user: &CurrentUser, kind: Kind, step: &str) -> Result<(ImportPage, Enterer), AppError> {
    let who = Enterer::of(state.db.conn(), user).await?;
    let (path, noun) = names(kind);
    let p = ImportPage {
        layout: Layout::new(state, user, &format!("导入{noun}{step}"), Section::Statistics).await?,
        path,
        noun,
        denominators: kind == Kind::Denominators,
        filename: String::new(),
        problem: None,
        summary: None,
        upload_id: String::new(),
    };
    Ok((p, who))
}

async fn rejected(state: &AppState, user: &CurrentUser, kind: Kind, filename: &str, e: AppError) -> PageResult {
    let (mut p, _) = page(state, user, kind, "").await?;
    filename.clone_into(&mut p.filename);
    let (status, problem) = upload_problem(e)?;
    p.problem = Some(problem);
    render_with(status, &p)
}

async fn form(state: AppState, user: CurrentUser, kind: Kind) -> PageResult {
    render(&page(&state, &user, kind, "").await?.0)
}

fn template(user: CurrentUser, kind: Kind) -> PageResult {
    drop(user);
    let (bytes, name) = match kind {
        Kind::Denominators => (templates::denominators(), "地区基数导入模板.xlsx"),
        Kind::Targets => (templates::targets(), "本局指标目标导入模板.xlsx"),
    };
    let bytes = bytes.map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(crate::xlsx::response(bytes, name))
}

/// Step 1: check the file and list what the import would write.
async fn preview(
    state: AppState,
    stores: Arc<Stores>,
    user: CurrentUser,
    kind: Kind,
    upload: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let (mut p, who) = page(&state, &user, kind, "：检查结果").await?;
    let _turn = match state.gates.imports.enter().await {
        Ok(turn) => turn,
        Err(e) => return rejected(&state, &user, kind, "", e).await,
    };
    let upload = match read_upload(&user, upload).await {
        Ok(u) => u,
        Err(e @ AppError::BadRequest { code: "csrf_failed", .. }) => return Err(e.into()),
        Err(e) => return rejected(&state, &user, kind, "", e).await,
    };
    let summary = match run(&state, kind, &who, upload.bytes.clone(), true).await {
        Ok(s) => s,
        Err(e) => return rejected(&state, &user, kind, &upload.filename, e).await,
    };
    upload.filename.clone_into(&mut p.filename);
    p.summary = Some(summary);
    p.upload_id = stores.uploads.put(user.id, upload);
    render(&p)
}

/// Step 2: import the kept file, all or nothing.
async fn confirm(state: AppState, stores: Arc<Stores>, user: CurrentUser, kind: Kind, form: ConfirmForm) -> PageResult {
    user.check_csrf(&form.csrf_token)?;
    let (mut p, who) = page(&state, &user, kind, "：已完成").await?;
    let Some(upload) = stores.uploads.get(&form.upload_id, user.id) else {
        return rejected(&state, &user, kind, "", upload_expired()).await;
    };
    let _turn = match state.gates.imports.enter().await {
        Ok(turn) => turn,
        Err(e) => return rejected(&state, &user, kind, &upload.filename, e).await,
    };
    let summary = match run(&state, kind, &who, upload.bytes.clone(), false).await {
        Ok(s) => s,
        Err(e) => return rejected(&state, &user, kind, &upload.filename, e).await,
    };
    stores.uploads.remove(&form.upload_id, user.id);
    upload.filename.clone_into(&mut p.filename);
    p.summary = Some(summary);
    render(&p)
}

macro_rules! kind_routes {
    ($router:expr, $kind:expr, $base:literal) => {
        $router
            .route(
                concat!($base, "/import"),
                get(|State(s): State<AppState>, PageUser(u): PageUser| form(s, u, $kind))
                    .post(
                        |State(s): State<AppState>,
                         Extension(st): Extension<Arc<Stores>>,
                         PageUser(u): PageUser,
                         m: Result<Multipart, MultipartRejection>| preview(s, st, u, $kind, m),
                    )
                    .layer(crate::upload::limit(crate::upload::LEDGER)),
            )
            .route(
                concat!($base, "/import/confirm"),
                post(
                    |State(s): State<AppState>,
                     Extension(st): Extension<Arc<Stores>>,
                     PageUser(u): PageUser,
                     Form(f): Form<ConfirmForm>| confirm(s, st, u, $kind, f),
                ),
            )
            .route(
                concat!($base, "/import/template.xlsx"),
                get(|PageUser(u): PageUser| async move { template(u, $kind) }),
            )
    };
}

pub fn routes() -> Router<AppState> {
    let r = kind_routes!(Router::new(), Kind::Denominators, "/indicators/inputs/denominators");
    kind_routes!(r, Kind::Targets, "/indicators/inputs/targets")
}
