//! The entry points of the policy import: `POST /api/v1/insurance-policies/import`
//! (multipart field `file`, `?dry_run=true` to check only), who may import
//! ([`importer_of`], checked before a byte of the body is read) and the CLI's
//! `anjian import insurance-policies FILE [--dry-run] --as USERNAME`.

use super::{Importer, PolicyImportSummary, run};
use crate::auth::{CurrentUser, Role};
use crate::enterprise::import::http::ImportParams;
use crate::entities::{insurer, insurer_user, user, user_role};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::insurance::insurers::Viewer;
use crate::insurance::policy::Actor;
use crate::json::{ApiMultipart, ApiQuery};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// Who `user` imports as: a regulator (its territory) or an insurer's user (its insurer); 403 otherwise.
pub async fn importer_of(state: &AppState, user: &CurrentUser) -> AppResult<Importer> {
    let viewer = Viewer::of(state.db.conn(), user).await?;
    if !Actor::of(&user.roles, viewer.insurer_id()).records() {
        return Err(AppError::Forbidden);
    }
    match viewer {
        Viewer::Insurer(own) => Ok(Importer::Insurer(own)),
        Viewer::Scoped(_) => Ok(Importer::Regulator(crate::enterprise::import::http::importer_for(state, user).await?)),
    }
}

/// Import 安责险 policies (`imports/insurance-policies.xlsx`, multipart field `file`): every bad row at
/// once, all or nothing; with `dry_run=true` it checks and lists only. Regulators (enterprises in
/// their territory) and insurers' users (their own insurer's policies).
#[utoipa::path(post, path = "/api/v1/insurance-policies/import", tag = "insurance", params(ImportParams),
    request_body(content_type = "multipart/form-data", description = "field `file`: the workbook"),
    responses((status = 200, body = PolicyImportSummary), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 503, body = ErrorBody)))]
pub async fn import_insurance_policies(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(params): ApiQuery<ImportParams>,
    ApiMultipart(form): ApiMultipart,
) -> AppResult<Json<PolicyImportSummary>> {
    let who = importer_of(&state, &user).await?;
    let _turn = state.gates.imports.enter().await?;
    let bytes = crate::upload::read_file(form).await?;
    Ok(Json(run(&state, &who, user.id, bytes, params.dry_run).await?))
}

/// `anjian import insurance-policies FILE [--dry-run] --as USERNAME`: as an insurer's user
/// (its insurer) or a regulator (its territory, as the other imports' `--as`).
pub async fn cli(
    state: &AppState,
    bytes: axum::body::Bytes,
    dry_run: bool,
    username: &str,
) -> anyhow::Result<std::process::ExitCode> {
    let db = state.db.conn();
    let u = user::Entity::find().filter(user::Column::Username.eq(username)).one(db).await?;
    let u = u.filter(|u| !u.disabled).ok_or_else(|| anyhow::anyhow!("用户 {username} 不存在或已停用"))?;
    let roles = user_role::Entity::find().filter(user_role::Column::UserId.eq(u.id)).all(db).await?;
    let who = if roles.iter().any(|r| r.role == Role::Insurer.as_str()) {
        let link = insurer_user::Entity::find_by_id(u.id).one(db).await?;
        let own = match link {
            Some(l) => insurer::Entity::find_by_id(l.insurer_id).one(db).await?,
            None => None,
        };
        Importer::Insurer(own.ok_or_else(|| anyhow::anyhow!("用户 {username} 未关联保险机构"))?)
    } else {
        Importer::Regulator(crate::commands::importer_from(state, Some(username.to_owned())).await?.0)
    };
    let s = run(state, &who, u.id, bytes, dry_run).await.map_err(|e| crate::commands::describe(&e))?;
    let what = if s.dry_run { "预检通过，将导入" } else { "已导入" };
    let tail = if s.dry_run { "（未写入任何数据）" } else { "" };
    println!("{what}保单 {} 份，与已登记保单相同而跳过 {} 份{tail}", s.imported, s.already_recorded);
    Ok(std::process::ExitCode::SUCCESS)
}
