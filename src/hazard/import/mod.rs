//! Bulk import of an existing hidden-hazard ledger (隐患台账导入) from
//! `imports/hazards.xlsx`, for bureaus moving from spreadsheets. The same rules
//! as the roster import: columns by header, every bad row reported at once, a
//! dry run that writes nothing, then all or nothing in one transaction.
//!
//! Decisions:
//! - only regulators import, for enterprises in the register within their
//!   scope (the operator's CLI without `--as`: any enterprise);
//! - a hazard already in the ledger (same enterprise, title and date found) is
//!   skipped, so importing a file twice, or again after a failure, adds nothing;
//!   the same hazard twice in one file is an error;
//! - who closes an imported hazard follows its source, as for a new report;
//!   an open general hazard is `rectifying`, an open major one `confirmed`
//!   (认定 done, 交办 to be recorded in the system); a closed one is `closed`
//!   with its closing date;
//! - reporter identities are never imported; the import is one timeline step
//!   (`import`) and change-log entries per hazard; the only notice is the
//!   待交办 to-do of an open major hazard for its supervising regulators — the
//!   deadline job reminds of what is due or overdue on its next run.

pub mod columns;
pub mod parse;

use crate::audit::{self, AuditCtx, Pending};
use crate::clock::china_day_start;
use crate::enterprise::import::Importer;
use crate::entities::{enterprise, hazard, hazard_category, hazard_event};
use crate::error::{AppError, AppResult};
use crate::hazard::domain::{self, Side, Status};
use crate::row_errors::{RowErrors, Seen};
use crate::xlsx::read::{Limits, read_first_sheet};
use chrono::NaiveDate;
use parse::{ParsedHazard, State, row_error};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

pub const LIMITS: Limits = Limits { max_bytes: 32 << 20, max_rows: 50_000, max_cols: 64, max_memory: 128 << 20 };

/// What an import did, or would do on a dry run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HazardImportSummary {
    pub dry_run: bool,
    /// Hazards written (or that would be).
    pub imported: usize,
    /// Of those, still open.
    pub open: usize,
    /// Rows already in the ledger, skipped.
    pub already_recorded: usize,
}

/// Reads and checks the workbook on its own; `today` bounds the dates.
pub fn parse(bytes: &[u8], today: NaiveDate) -> AppResult<Vec<ParsedHazard>> {
    parse_with_headers(bytes, today).map(|(rows, _)| rows)
}

/// [`parse`], also returning each canonical column's header as the file wrote it.
fn parse_with_headers(bytes: &[u8], today: NaiveDate) -> AppResult<(Vec<ParsedHazard>, HashMap<&'static str, String>)> {
    let sheet = read_first_sheet(bytes, &LIMITS).map_err(|e| AppError::bad_request(e.code(), e.to_string()))?;
    let headers = header_map(&sheet.headers);
    let cols = columns::Columns::find(&sheet.headers).map_err(AppError::rejected)?;
    let title = cols.header(columns::TITLE);
    let mut errors = RowErrors::default();
    let mut rows = Vec::with_capacity(sheet.rows.len());
    let mut seen = Seen::default();
    for row in &sheet.rows {
        match parse::parse_row(&cols, row, today) {
            Ok(h) => {
                if let Some(first) = seen.see((h.credit_code.clone(), h.title.clone(), h.found_on), h.row) {
                    let msg = format!("同一企业、隐患名称和发现日期与第 {first} 行重复");
                    errors.push(row_error(h.row, &title, "duplicate_in_file", msg));
                }
                rows.push(h);
            }
            Err(e) => errors.extend(e),
        }
    }
    for (_, first, count) in seen.repeated() {
        let msg = format!("同一企业、隐患名称和发现日期在文件中出现 {count} 次（本行为第一次）");
        errors.push(row_error(first, &title, "duplicate_in_file", msg));
    }
    if errors.is_empty() { Ok((rows, headers)) } else { Err(errors.into()) }
}

/// A row ready to write: the enterprise and category resolved.
struct Ready {
    h: ParsedHazard,
    enterprise: enterprise::Model,
    category: String,
}

/// Enterprises of the file by credit code (500 codes per query).
async fn enterprises<C: ConnectionTrait>(
    db: &C,
    rows: &[ParsedHazard],
) -> AppResult<HashMap<String, enterprise::Model>> {
    let codes: HashSet<&str> = rows.iter().map(|r| r.credit_code.as_str()).collect();
    let codes: Vec<&str> = codes.into_iter().collect();
    let mut out = HashMap::new();
    for chunk in codes.chunks(500) {
        let found = enterprise::Entity::find()
            .filter(enterprise::Column::CreditCode.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        out.extend(found.into_iter().map(|e| (e.credit_code.clone(), e)));
    }
    Ok(out)
}

/// (enterprise, title, Beijing date found) of the hazards the ledger already has for these enterprises.
async fn recorded<C: ConnectionTrait>(db: &C, ids: &[i64]) -> AppResult<HashSet<(i64, String, NaiveDate)>> {
    let mut out = HashSet::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(Option<i64>, String, chrono::DateTime<chrono::Utc>)> = hazard::Entity::find()
            .select_only()
            .columns([hazard::Column::EnterpriseId, hazard::Column::Title, hazard::Column::FoundAt])
            .filter(hazard::Column::EnterpriseId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows.into_iter().filter_map(|(e, t, f)| Some((e?, t, crate::clock::china_date(f)))));
    }
    Ok(out)
}

/// Checks the rows against the register, the scope and the category
/// dictionary (every problem at once); returns the rows to write and how many
/// are already recorded.
async fn check<C: ConnectionTrait>(
    db: &C,
    who: &Importer,
    rows: Vec<ParsedHazard>,
    headers: &HashMap<&str, String>,
) -> AppResult<(Vec<Ready>, usize)> {
    let found = enterprises(db, &rows).await?;
    let active: Vec<hazard_category::Model> =
        hazard_category::Entity::find().filter(hazard_category::Column::Active.eq(true)).all(db).await?;
    let ids: Vec<i64> = found.values().map(|e| e.id).collect();
    let recorded = recorded(db, &ids).await?;
    let header = |name: &str| headers.get(name).cloned().unwrap_or_else(|| name.to_owned());
    let outside = found.values().filter(|e| !who.covers(e)).map(|e| e.supervising_bureau_id);
    let supervisors = crate::bureau::names(db, outside).await?;
    let (mut ready, mut errors, mut skipped) = (Vec::new(), RowErrors::default(), 0);
    for h in rows {
        let enterprise = match found.get(&h.credit_code) {
            Some(e) if who.covers(e) => Some(e.clone()),
            Some(e) => {
                // Name the bureau that supervises it (and its region), so the row can be sent on.
                let by = supervisors.get(&e.supervising_bureau_id).map_or("其他监管机构", String::as_str);
                let place = crate::bureau::regions::name(&e.region_code).unwrap_or_default();
                let msg = format!("该企业（{place}）由{by}监管，不在您或下级机构的监管范围内，应由{by}导入其隐患");
                errors.push(row_error(h.row, &header(columns::CREDIT_CODE), "out_of_jurisdiction", msg));
                None
            }
            None => {
                let msg = format!("企业名录中没有统一社会信用代码为 {} 的企业，请先导入名录", h.credit_code);
                errors.push(row_error(h.row, &header(columns::CREDIT_CODE), "unknown_enterprise", msg));
                None
            }
        };
        // The categories offered in the enterprise's province and sector (the dictionary).
        let offered: Vec<hazard_category::Model> = active
            .iter()
            .filter(|c| {
                let e = enterprise.as_ref();
                let province = e.and_then(|e| crate::category::province_of(&e.region_code));
                (c.province_code.is_none() || c.province_code == province)
                    && (c.sector.is_none() || c.sector.as_deref() == e.map(|e| e.sector.as_str()))
            })
            .cloned()
            .collect();
        let category = crate::category::find(&h.category, &offered).map(|c| c.code.clone());
        if category.is_none() {
            let msg = crate::category::unknown(&h.category, &offered);
            errors.push(row_error(h.row, &header(columns::CATEGORY), "unknown_category", msg));
        }
        if let (Some(enterprise), Some(category)) = (enterprise, category) {
            if recorded.contains(&(enterprise.id, h.title.clone(), h.found_on)) {
                skipped += 1;
            } else {
                ready.push(Ready { h, enterprise, category });
            }
        }
    }
    if errors.is_empty() { Ok((ready, skipped)) } else { Err(errors.into()) }
}

fn new_row(ctx: &AuditCtx, user_id: Option<i64>, r: &Ready) -> hazard::ActiveModel {
    let side = if domain::ENTERPRISE_SOURCES.contains(&r.h.source) { Side::Enterprise } else { Side::Regulator };
    let (closure, _) = domain::intake(r.h.level, r.h.source, side);
    let status = match (r.h.state, r.h.level) {
        (State::Closed, _) => Status::Closed,
        (State::Open, domain::Level::Major) => Status::Confirmed,
        (State::Open, domain::Level::General) => Status::Rectifying,
    };
    let closed_at = r.h.closed_on.filter(|_| status == Status::Closed).map(china_day_start);
    hazard::ActiveModel {
        enterprise_id: Set(Some(r.enterprise.id)),
        subject_id: Set(None),
        bureau_id: Set(r.enterprise.supervising_bureau_id),
        sector: Set(Some(r.enterprise.sector)),
        region_code: Set(r.enterprise.region_code.clone()),
        source: Set(r.h.source),
        source_ref: Set(None),
        reporter_name: Set(None),
        reporter_phone: Set(None),
        reporter_user_id: Set(None),
        verification_outcome: Set(None),
        reward: Set(None),
        level: Set(r.h.level),
        closure: Set(closure),
        origin_closure: Set(domain::origin(r.h.source, side)),
        category: Set(r.category.clone()),
        title: Set(r.h.title.clone()),
        description: Set(r.h.description.clone()),
        location: Set(r.h.location.clone()),
        found_at: Set(china_day_start(r.h.found_on)),
        deadline: Set(r.h.deadline),
        checklist_item_code: Set(None),
        risk_point_id: Set(None),
        status: Set(status),
        is_open: Set(status != Status::Closed),
        suspended: Set(false),
        extension_until: Set(None),
        extension_reason: Set(None),
        rectified_by: Set(None),
        funds_spent: Set(r.h.funds_fen),
        created_by: Set(user_id),
        created_at: Set(ctx.at),
        updated_at: Set(ctx.at),
        status_changed_at: Set(closed_at.unwrap_or(ctx.at)),
        closed_at: Set(closed_at),
        version: Set(1),
        ..Default::default()
    }
}

/// Writes the checked rows, each with its `import` timeline step, and their
/// change-log entries, inside the caller's transaction.
async fn write<C: ConnectionTrait>(db: &C, ctx: &AuditCtx, user_id: Option<i64>, ready: &[Ready]) -> AppResult<()> {
    let mut entries = Vec::with_capacity(ready.len() * 2);
    // In tally-key order (bureau, sector, level, status), so that concurrent
    // writers on PostgreSQL lock the counters in one order.
    let mut rows: Vec<hazard::ActiveModel> = ready.iter().map(|r| new_row(ctx, user_id, r)).collect();
    let key = |a: &hazard::ActiveModel| {
        let sector = a.sector.clone().take().flatten();
        (a.bureau_id.clone().take().unwrap_or_default(), sector, a.level.clone().take(), a.status.clone().take())
    };
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| key(&rows[i]));
    for i in order {
        let r = &ready[i];
        let row = std::mem::take(&mut rows[i]).insert(db).await?;
        let data = serde_json::json!({"row": r.h.row, "original_ref": r.h.original_ref, "closed_on": r.h.closed_on});
        let event = hazard_event::ActiveModel {
            hazard_id: Set(row.id),
            action: Set("import".to_owned()),
            from_status: Set(None),
            to_status: Set(row.status),
            actor_id: Set(user_id),
            at: Set(ctx.at),
            note: Set(Some("由原隐患台账导入".to_owned())),
            data: Set(Some(data.to_string())),
            ..Default::default()
        }
        .insert(db)
        .await?;
        entries.push(Pending::of(ctx, "import", &row));
        entries.push(Pending::of(ctx, "create", &event));
        // An open major hazard waits for its 交办: the supervising regulators get the to-do.
        if row.status == Status::Confirmed {
            crate::hazard::notify::after_report(db, ctx, &row).await?;
        }
    }
    while !entries.is_empty() {
        let rest = entries.split_off(entries.len().min(1000));
        audit::append(db, ctx, std::mem::replace(&mut entries, rest)).await?;
    }
    Ok(())
}

/// The ledger import for [`crate::import::run`]: the importer's scope, the
/// user (if any) recorded on each hazard, and the day that bounds the dates.
#[derive(Clone)]
pub struct LedgerImport {
    pub who: Importer,
    pub user_id: Option<i64>,
    pub today: NaiveDate,
}

/// The rows to write, how many are already recorded, and the file's headers.
pub struct LedgerPlan {
    ready: Vec<Ready>,
    already_recorded: usize,
}

#[async_trait::async_trait]
impl crate::import::Import for LedgerImport {
    type Parsed = (Vec<ParsedHazard>, HashMap<&'static str, String>);
    type Plan = LedgerPlan;
    type Preview = HazardImportSummary;
    type Summary = HazardImportSummary;

    fn parse(&self, bytes: &[u8]) -> AppResult<Self::Parsed> {
        parse_with_headers(bytes, self.today)
    }

    async fn check<C: ConnectionTrait>(&self, db: &C, (rows, headers): Self::Parsed) -> AppResult<LedgerPlan> {
        let (ready, already_recorded) = check(db, &self.who, rows, &headers).await?;
        Ok(LedgerPlan { ready, already_recorded })
    }

    fn preview(&self, plan: &LedgerPlan) -> HazardImportSummary {
        summarise(true, plan)
    }

    async fn apply(&self, tx: &crate::write::Tx, plan: LedgerPlan) -> AppResult<HazardImportSummary> {
        tx.touch(crate::write::Touched::Ledger);
        write(tx, tx.ctx(), self.user_id, &plan.ready).await?;
        Ok(summarise(false, &plan))
    }
}

fn summarise(dry_run: bool, plan: &LedgerPlan) -> HazardImportSummary {
    HazardImportSummary {
        dry_run,
        imported: plan.ready.len(),
        open: plan.ready.iter().filter(|r| r.h.state == State::Open).count(),
        already_recorded: plan.already_recorded,
    }
}

/// The whole import as the API and the CLI run it (see [`crate::import`]).
pub async fn run(
    state: &crate::state::AppState,
    who: &Importer,
    user_id: Option<i64>,
    bytes: axum::body::Bytes,
    dry_run: bool,
) -> AppResult<HazardImportSummary> {
    let import = LedgerImport { who: who.clone(), user_id, today: state.clock.today() };
    let actor = user_id.map_or_else(|| "cli".to_owned(), |u| format!("user:{u}"));
    Ok(match crate::import::run(state, actor, &import, bytes, dry_run).await? {
        crate::import::Outcome::Preview(s) | crate::import::Outcome::Done(s) => s,
    })
}

/// Canonical column name → the header as the file wrote it.
fn header_map(headers: &[String]) -> HashMap<&'static str, String> {
    columns::Columns::find(headers)
        .map(|c| columns::ALL.iter().map(|(name, _, _)| (*name, c.header(name))).collect())
        .unwrap_or_default()
}

/// Import an existing ledger (`imports/hazards.xlsx`, multipart field `file`);
/// with `dry_run=true` it checks and counts only. Regulators, for enterprises in their scope.
#[utoipa::path(post, path = "/api/v1/hazards/import", tag = "hazards",
    params(crate::enterprise::import::http::ImportParams),
    request_body(content_type = "multipart/form-data", description = "field `file`: the workbook"),
    responses((status = 200, body = HazardImportSummary), (status = 400, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 413, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody), (status = 503, body = crate::error::ErrorBody)))]
pub async fn import_hazards(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    user: crate::auth::CurrentUser,
    crate::json::ApiQuery(params): crate::json::ApiQuery<crate::enterprise::import::http::ImportParams>,
    crate::json::ApiMultipart(form): crate::json::ApiMultipart,
) -> AppResult<axum::Json<HazardImportSummary>> {
    crate::hazard::policy::require_importer(&user)?;
    let who = crate::enterprise::import::http::importer_for(&state, &user).await?;
    let _turn = state.gates.imports.enter().await?;
    let bytes = crate::upload::read_file(form).await?;
    Ok(axum::Json(run(&state, &who, Some(user.id), bytes, params.dry_run).await?))
}

/// The blank template with the dictionary's categories named in its instructions.
pub async fn template_bytes<C: ConnectionTrait>(db: &C) -> AppResult<Vec<u8>> {
    let names: Vec<String> = hazard_category::Entity::find()
        .filter(hazard_category::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.name)
        .collect();
    columns::template(&names).map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))
}
