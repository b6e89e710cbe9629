//! `POST /api/v1/enterprises/import[?dry_run=true]` with a multipart field `file`.

use super::{Importer, Plan, apply};
use crate::auth::{CurrentUser, Role, Scope};
use crate::enterprise::draft::FieldChange;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::ApiQuery;
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use serde::{Deserialize, Serialize};

/// How many new or changed rows a preview lists (the counts are always complete).
pub const PREVIEW_ROWS: usize = 500;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// Check and preview only; write nothing.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NewRow {
    pub row: u32,
    pub credit_code: String,
    pub name: String,
    /// The sector the row maps to, in Chinese (e.g. 危险化学品).
    pub sector: Option<String>,
    /// The sub-types it maps to, in Chinese.
    pub sub_types: Vec<String>,
    /// The region's name (e.g. 江汉区), or its code when the name is not shipped.
    pub region: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ChangedRow {
    pub row: u32,
    pub credit_code: String,
    pub name: String,
    pub changes: Vec<FieldChange>,
}

/// What an import would do.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportPreview {
    pub dry_run: bool,
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// The first rows that would be new.
    pub new_rows: Vec<NewRow>,
    /// The first rows that would change, with their field diffs.
    pub changed_rows: Vec<ChangedRow>,
}

impl From<&Plan> for ImportPreview {
    fn from(p: &Plan) -> Self {
        Self {
            dry_run: true,
            new: p.new.len(),
            changed: p.changed.len(),
            unchanged: p.unchanged,
            new_rows: p
                .new
                .iter()
                .take(PREVIEW_ROWS)
                .map(|r| NewRow {
                    row: r.row,
                    credit_code: r.code.to_string(),
                    name: r.draft.name.clone().unwrap_or_default(),
                    sector: r.draft.sector.map(|s| s.zh().to_owned()),
                    sub_types: r.draft.sub_types.iter().flatten().map(|t| t.zh().to_owned()).collect(),
                    region: r.draft.region.as_ref().map(|c| {
                        crate::bureau::regions::name(c.as_str()).map_or_else(|| c.as_str().to_owned(), str::to_owned)
                    }),
                })
                .collect(),
            changed_rows: p
                .changed
                .iter()
                .take(PREVIEW_ROWS)
                .map(|c| ChangedRow {
                    row: c.row.row,
                    credit_code: c.existing.credit_code.clone(),
                    name: c.existing.name.clone(),
                    changes: c.fields.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum ImportOutcome {
    Preview(ImportPreview),
    Done(super::ImportSummary),
}

/// The importer for a bureau user: its territory and scope.
pub async fn importer_for(state: &AppState, user: &CurrentUser) -> AppResult<Importer> {
    let bureau = crate::scope::own_bureau(state.db.conn(), user).await?;
    let (ids, sectors) = match &user.scope {
        Scope::Bureaus { path, sectors } => {
            (crate::auth::service::subtree_ids(state.db.conn(), path).await?, sectors.clone())
        }
        Scope::Enterprises(_) => return Err(AppError::Forbidden),
    };
    Ok(Importer { bureau: Some(bureau), scope_bureau_ids: Some(ids), sectors })
}

/// The roster import for [`crate::import::run`].
#[derive(Clone)]
pub struct RosterImport(pub Importer);

#[async_trait::async_trait]
impl crate::import::Import for RosterImport {
    type Parsed = super::ParsedFile;
    type Plan = Plan;
    type Preview = ImportPreview;
    type Summary = super::ImportSummary;

    fn parse(&self, bytes: &[u8]) -> AppResult<super::ParsedFile> {
        super::parse_bytes(bytes)
    }

    async fn check<C: sea_orm::ConnectionTrait>(&self, db: &C, parsed: super::ParsedFile) -> AppResult<Plan> {
        super::check(db, &self.0, parsed).await
    }

    fn preview(&self, plan: &Plan) -> ImportPreview {
        ImportPreview::from(plan)
    }

    /// Writes the roster; new enterprises leave the importing bureau a to-do to onboard their accounts.
    async fn apply(&self, tx: &crate::write::Tx, plan: Plan) -> AppResult<super::ImportSummary> {
        tx.touch(crate::write::Touched::Register);
        let summary = apply(tx, tx.ctx(), plan).await?;
        if summary.imported > 0
            && let Some(b) = &self.0.bureau
        {
            let todo = crate::todo::NewTodo {
                assignee: crate::todo::Assignee::BureauRole(b.id, Role::Regulator),
                kind: "onboard_accounts",
                title: format!("新导入 {} 家企业，请为其开通企业账号", summary.imported),
                link: "/enterprises/accounts".to_owned(),
                dedupe_key: format!("onboard:{}:{}", b.id, tx.now().timestamp_micros()),
            };
            crate::todo::add(tx, tx.now(), todo).await?;
        }
        Ok(summary)
    }
}

/// Runs a dry run or a real import for a bureau user.
pub async fn run(state: &AppState, user: &CurrentUser, bytes: Bytes, dry_run: bool) -> AppResult<ImportOutcome> {
    user.require_any(&[Role::Regulator])?;
    let import = RosterImport(importer_for(state, user).await?);
    Ok(match crate::import::run(state, user.actor(), &import, bytes, dry_run).await? {
        crate::import::Outcome::Preview(p) => ImportOutcome::Preview(p),
        crate::import::Outcome::Done(s) => ImportOutcome::Done(s),
    })
}

/// Import an enterprise roster (.xlsx/.xls), all or nothing; `dry_run=true` previews.
#[utoipa::path(post, path = "/api/v1/enterprises/import", tag = "enterprises", params(ImportParams),
    request_body(content_type = "multipart/form-data", description = "field `file`: the workbook"),
    responses((status = 200, body = ImportOutcome), (status = 400, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn import_enterprises(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(params): ApiQuery<ImportParams>,
    crate::json::ApiMultipart(form): crate::json::ApiMultipart,
) -> AppResult<Json<ImportOutcome>> {
    user.require_any(&[Role::Regulator])?;
    let _turn = state.gates.imports.enter().await?;
    let bytes = crate::upload::read_file(form).await?;
    Ok(Json(run(&state, &user, bytes, params.dry_run).await?))
}
