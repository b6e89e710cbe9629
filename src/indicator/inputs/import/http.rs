//! The entry points of the two imports: `POST /api/v1/indicator-denominators/import`
//! and `POST /api/v1/indicator-targets/import` (multipart field `file`,
//! `?dry_run=true` to check only; a regulator, checked before a byte of the body is
//! read), and the CLI's `anjian import denominators|indicator-targets FILE
//! [--dry-run] --as USERNAME`.

use super::{InputsImportSummary, Kind, run};
use crate::auth::CurrentUser;
use crate::enterprise::import::http::ImportParams;
use crate::error::{AppResult, ErrorBody};
use crate::indicator::inputs::checks::Enterer;
use crate::json::{ApiMultipart, ApiQuery};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;

async fn import(
    state: &AppState,
    user: &CurrentUser,
    kind: Kind,
    dry_run: bool,
    form: axum::extract::Multipart,
) -> AppResult<Json<InputsImportSummary>> {
    let who = Enterer::of(state.db.conn(), user).await?;
    let _turn = state.gates.imports.enter().await?;
    let bytes = crate::upload::read_file(form).await?;
    Ok(Json(run(state, kind, &who, bytes, dry_run).await?))
}

/// Import denominators (`imports/denominators.xlsx`, multipart field `file`): every bad row at once,
/// all or nothing, rows already so skipped; with `dry_run=true` it checks and lists only. 监管人员.
#[utoipa::path(post, path = "/api/v1/indicator-denominators/import", tag = "indicators", params(ImportParams),
    request_body(content_type = "multipart/form-data", description = "field `file`: the workbook"),
    responses((status = 200, body = InputsImportSummary), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 503, body = ErrorBody)))]
pub async fn import_indicator_denominators(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(params): ApiQuery<ImportParams>,
    ApiMultipart(form): ApiMultipart,
) -> AppResult<Json<InputsImportSummary>> {
    import(&state, &user, Kind::Denominators, params.dry_run, form).await
}

/// Import the bureau's own targets (`imports/indicator-targets.xlsx`), as the denominators.
#[utoipa::path(post, path = "/api/v1/indicator-targets/import", tag = "indicators", params(ImportParams),
    request_body(content_type = "multipart/form-data", description = "field `file`: the workbook"),
    responses((status = 200, body = InputsImportSummary), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 503, body = ErrorBody)))]
pub async fn import_indicator_targets(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(params): ApiQuery<ImportParams>,
    ApiMultipart(form): ApiMultipart,
) -> AppResult<Json<InputsImportSummary>> {
    import(&state, &user, Kind::Targets, params.dry_run, form).await
}

/// `anjian import denominators|indicator-targets FILE [--dry-run] --as USERNAME` (a regulator).
pub async fn cli(
    state: &AppState,
    kind: Kind,
    bytes: axum::body::Bytes,
    dry_run: bool,
    username: &str,
) -> anyhow::Result<std::process::ExitCode> {
    let (importer, actor) = crate::commands::importer_from(state, Some(username.to_owned())).await?;
    let user_id = actor.strip_prefix("user:").and_then(|id| id.parse().ok());
    let (Some(bureau), Some(user_id)) = (importer.bureau, user_id) else {
        anyhow::bail!("用户 {username} 不属于监管机构");
    };
    let who = Enterer { user_id, bureau };
    let s = run(state, kind, &who, bytes, dry_run).await.map_err(|e| crate::commands::describe(&e))?;
    let what = if s.dry_run { "预检通过，将导入" } else { "已导入" };
    let tail = if s.dry_run { "（未写入任何数据）" } else { "" };
    let noun = if kind == Kind::Denominators { "地区基数" } else { "本局目标" };
    println!("{what}{noun} {} 条，与已录入相同而跳过 {} 条{tail}", s.imported, s.already_recorded);
    Ok(std::process::ExitCode::SUCCESS)
}
