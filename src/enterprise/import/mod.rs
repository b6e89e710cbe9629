//! Roster import (名录导入), all or nothing, in two steps: a dry run that shows
//! what would be new, changed (with field diffs) and unchanged, writing nothing;
//! then the import itself in one transaction. Empty cells never clear a field;
//! fields regulators maintain (supervising bureau, status) are never touched.

pub mod columns;
pub mod http;
pub mod parse;

use crate::audit::{self, AuditCtx, Pending};
use crate::bureau;
use crate::enterprise::domain::{CreditCode, EnterpriseStatus};
use crate::enterprise::draft::{self, FieldChange};
use crate::entities::{bureau as bureau_row, enterprise, enterprise_status_history as history, licence};
use crate::error::{AppError, AppResult, RowError};
use crate::row_errors::{RowErrors, Seen};
use crate::xlsx::read::{Limits, read_first_sheet};
use chrono::NaiveDate;
use columns::{ColumnMap, Field};
use parse::{ParsedRow, parse_row};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};
use serde::Serialize;
use std::collections::HashMap;

/// The licence type the template's 安全生产许可证号 column records.
pub const SAFETY_LICENCE: &str = "safety_production";

/// Who imports: a bureau (limited to its territory and scope) or the operator's CLI.
#[derive(Debug, Clone)]
pub struct Importer {
    pub bureau: Option<bureau_row::Model>,
    pub scope_bureau_ids: Option<Vec<i64>>,
    /// The sectors a sector-limited regulator may import; `None` = all.
    pub sectors: Option<Vec<String>>,
}

impl Importer {
    /// The operator at the command line: no territory or sector limit.
    pub fn operator() -> Self {
        Self { bureau: None, scope_bureau_ids: None, sectors: None }
    }

    /// Whether an enterprise of the register is within this importer's territory
    /// and sectors (the ledger and the insurance-policy imports).
    pub fn covers(&self, e: &crate::entities::enterprise::Model) -> bool {
        self.scope_bureau_ids.as_ref().is_none_or(|ids| ids.contains(&e.supervising_bureau_id))
            && self.sectors.as_ref().is_none_or(|s| s.iter().any(|x| x == e.sector.as_str()))
    }

    /// Who supervises what this importer adds: a park supervises what it imports;
    /// otherwise the bureau of the enterprise's region (the default).
    fn supervisor_override(&self) -> Option<i64> {
        self.bureau.as_ref().filter(|b| b.kind == "park").map(|b| b.id)
    }
}

#[derive(Debug)]
pub enum LicenceAction {
    Add(String, Option<NaiveDate>),
    Extend(licence::Model, Option<NaiveDate>),
}

#[derive(Debug)]
pub struct Change {
    pub row: ParsedRow,
    pub existing: enterprise::Model,
    pub fields: Vec<FieldChange>,
    pub licence: Option<LicenceAction>,
}

#[derive(Debug, Default)]
pub struct Plan {
    pub new: Vec<ParsedRow>,
    pub changed: Vec<Change>,
    pub unchanged: usize,
    /// Supervising bureau for new enterprises instead of their region's bureau.
    pub supervisor: Option<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportSummary {
    pub imported: usize,
    pub updated: usize,
    pub unchanged: usize,
}

fn row_error(row: u32, column: String, code: &str, message: String) -> RowError {
    RowError { row, column, code: code.to_owned(), message }
}

/// A file read and checked on its own (no database): good rows and every row problem.
#[derive(Debug)]
pub struct ParsedFile {
    pub cols: ColumnMap,
    pub rows: Vec<ParsedRow>,
    pub errors: RowErrors,
}

/// Reads the workbook and checks every row, without the database.
pub fn parse_bytes(bytes: &[u8]) -> AppResult<ParsedFile> {
    let sheet = read_first_sheet(bytes, &Limits::ROSTER).map_err(|e| AppError::bad_request(e.code(), e.to_string()))?;
    let (cols, missing) = ColumnMap::from_headers(&sheet.headers);
    if !missing.is_empty() {
        let rows =
            missing.iter().map(|h| row_error(1, (*h).to_owned(), "missing_column", format!("缺少必需的列“{h}”")));
        return Err(AppError::rejected(rows));
    }
    let mut errors = RowErrors::default();
    let mut rows = Vec::with_capacity(sheet.rows.len());
    for row in &sheet.rows {
        match parse_row(&cols, row) {
            Ok(p) => rows.push(p),
            Err(e) => errors.extend(e),
        }
    }
    check_duplicates(&sheet.rows, &cols, &mut rows, &mut errors);
    Ok(ParsedFile { cols, rows, errors })
}

/// The names of these bureaus.
/// Checks a parsed file against the register and the importer's territory.
pub async fn check<C: ConnectionTrait>(db: &C, who: &Importer, file: ParsedFile) -> AppResult<Plan> {
    let ParsedFile { cols, rows: parsed, mut errors } = file;
    if let Some(b) = &who.bureau {
        for p in &parsed {
            if let Some(r) = p.draft.region.as_ref().filter(|r| !bureau::covers_region(b, r)) {
                // Name the region and the bureau that covers it, so the row can be sent on.
                let place = bureau::regions::name(r.as_str()).unwrap_or_default();
                let msg = format!(
                    "行政区划 {}{place} 不在{}管辖范围内，应由{}导入",
                    r.as_str(),
                    b.name,
                    bureau::regions::bureau_name(r)
                );
                errors.push(row_error(p.row, cols.header(Field::Region), "out_of_jurisdiction", msg));
            }
        }
    }
    if let Some(sectors) = &who.sectors {
        for p in parsed.iter().filter(|p| p.draft.sector.is_some_and(|s| !sectors.iter().any(|x| x == s.as_str()))) {
            let msg = "该行业不在本账号的监管范围内".to_owned();
            errors.push(row_error(p.row, cols.header(Field::Sector), "out_of_jurisdiction", msg));
        }
    }
    let existing = load_existing(db, &parsed).await?;
    if let Some(sectors) = &who.sectors {
        for p in &parsed {
            if existing.get(p.code.as_str()).is_some_and(|e| !sectors.iter().any(|s| s == e.sector.as_str())) {
                let msg = "该企业属于本账号监管范围以外的行业，不能通过导入修改".to_owned();
                errors.push(row_error(p.row, cols.header(Field::CreditCode), "out_of_jurisdiction", msg));
            }
        }
    }
    check_sector_changes(&cols, &parsed, &existing, &mut errors);
    if let Some(ids) = &who.scope_bureau_ids {
        let others: Vec<i64> =
            existing.values().map(|e| e.supervising_bureau_id).filter(|b| !ids.contains(b)).collect();
        let names = bureau::names(db, others).await?;
        for p in &parsed {
            if let Some(e) = existing.get(p.code.as_str()).filter(|e| !ids.contains(&e.supervising_bureau_id)) {
                let by = names.get(&e.supervising_bureau_id).map_or("其他监管机构", String::as_str);
                let msg = format!("该企业已由{by}登记监管，本机构无权修改");
                errors.push(row_error(p.row, cols.header(Field::CreditCode), "out_of_jurisdiction", msg));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let mut plan = build_plan(db, parsed, existing).await?;
    plan.supervisor = who.supervisor_override();
    Ok(plan)
}

/// A row that moves an enterprise to another sector must not leave it with
/// topics of the old one: they have to be restated in 涉及专项.
fn check_sector_changes(
    cols: &ColumnMap,
    parsed: &[ParsedRow],
    existing: &HashMap<String, enterprise::Model>,
    errors: &mut RowErrors,
) {
    for p in parsed.iter().filter(|p| p.draft.special_topics.is_none()) {
        let (Some(row), Some(sector)) = (existing.get(p.code.as_str()), p.draft.sector) else { continue };
        let (_, _, topics) = crate::enterprise::service::stored_kinds(row);
        for t in topics.iter().filter(|t| !t.applies_to(sector)) {
            let msg = format!("已登记的专项“{}”不适用于行业“{}”，请在“涉及专项”列重新填写", t.zh(), sector.zh());
            errors.push(row_error(p.row, cols.header(Field::SpecialTopics), "unknown_topic", msg));
        }
    }
}

/// Reports each row of a credit code that appears more than once, once: a
/// repeat names the row it repeats, the first row says how often it occurs.
/// Codes are compared as written (trimmed, upper-cased), so a row with other
/// errors still counts.
fn check_duplicates(
    rows: &[crate::xlsx::read::Row],
    cols: &ColumnMap,
    parsed: &mut Vec<ParsedRow>,
    errors: &mut RowErrors,
) {
    let mut seen = Seen::default();
    let at = cols.index(Field::CreditCode);
    let column = cols.header(Field::CreditCode);
    for row in rows {
        if let Some(text) = at.and_then(|i| row.cells.get(i)).and_then(crate::xlsx::read::Cell::as_text) {
            // Compared as the register would store it (full-width digits, case), else as written.
            let key = CreditCode::parse(&text).map_or_else(|_| text.trim().to_uppercase(), |c| c.as_str().to_owned());
            if let Some(first) = seen.see(key, row.number) {
                let msg = format!("统一社会信用代码与第 {first} 行重复");
                errors.push(row_error(row.number, column.clone(), "duplicate_in_file", msg));
            }
        }
    }
    for (code, first, count) in seen.repeated() {
        let msg = format!("统一社会信用代码 {code} 在文件中出现 {count} 次（本行为第一次）");
        errors.push(row_error(first, column.clone(), "duplicate_in_file", msg));
    }
    parsed.retain(|p| !seen.is_repeated(&p.code.as_str().to_owned()));
}

async fn load_existing<C: ConnectionTrait>(
    db: &C,
    parsed: &[ParsedRow],
) -> AppResult<HashMap<String, enterprise::Model>> {
    let mut out = HashMap::new();
    for chunk in parsed.chunks(500) {
        let codes = chunk.iter().map(|p| p.code.as_str().to_owned());
        for m in enterprise::Entity::find().filter(enterprise::Column::CreditCode.is_in(codes)).all(db).await? {
            out.insert(m.credit_code.clone(), m);
        }
    }
    Ok(out)
}

fn licence_action(
    p: &ParsedRow,
    held: Option<&Vec<licence::Model>>,
    fields: &mut Vec<FieldChange>,
) -> Option<LicenceAction> {
    let (number, valid_to) = p.licence.clone()?;
    let held = held.map(Vec::as_slice).unwrap_or_default();
    let change = |field: &str, label: &str, old: Option<String>, new: Option<String>| FieldChange {
        field: field.to_owned(),
        label: label.to_owned(),
        old,
        new,
    };
    match held.iter().find(|l| l.number == number) {
        Some(l) if valid_to.is_some() && l.valid_to != valid_to => {
            fields.push(change(
                "licence_valid_to",
                "许可证有效期至",
                l.valid_to.map(|d| d.to_string()),
                valid_to.map(|d| d.to_string()),
            ));
            Some(LicenceAction::Extend(l.clone(), valid_to))
        }
        Some(_) => None,
        None => {
            fields.push(change(
                "licence_number",
                "安全生产许可证号",
                held.last().map(|l| l.number.clone()),
                Some(number.clone()),
            ));
            Some(LicenceAction::Add(number, valid_to))
        }
    }
}

async fn build_plan<C: ConnectionTrait>(
    db: &C,
    parsed: Vec<ParsedRow>,
    mut existing: HashMap<String, enterprise::Model>,
) -> AppResult<Plan> {
    let ids: Vec<i64> = existing.values().map(|e| e.id).collect();
    let licences = crate::enterprise::detail::licences_of(db, &ids, SAFETY_LICENCE).await?;
    let mut plan = Plan::default();
    for p in parsed {
        let Some(row) = existing.remove(p.code.as_str()) else {
            plan.new.push(p);
            continue;
        };
        let mut fields = draft::diff(&row, &p.draft);
        let licence = licence_action(&p, licences.get(&row.id), &mut fields);
        if fields.is_empty() {
            plan.unchanged += 1;
        } else {
            plan.changed.push(Change { row: p, existing: row, fields, licence });
        }
    }
    Ok(plan)
}

fn new_licence(
    ctx: &AuditCtx,
    enterprise_id: i64,
    number: String,
    valid_to: Option<NaiveDate>,
) -> licence::ActiveModel {
    licence::ActiveModel {
        enterprise_id: Set(enterprise_id),
        licence_type: Set(SAFETY_LICENCE.to_owned()),
        number: Set(number),
        issuer: Set(None),
        valid_from: Set(None),
        valid_to: Set(valid_to),
        created_at: Set(ctx.at),
        updated_at: Set(ctx.at),
        ..Default::default()
    }
}

/// Digests a batch's payloads on a blocking thread.
fn digest_rows<T: crate::audit::Audited + Send + 'static>(
    ctx: &AuditCtx,
    action: &'static str,
    rows: Vec<T>,
) -> tokio::task::JoinHandle<Vec<Pending>> {
    let ctx = ctx.clone();
    tokio::task::spawn_blocking(move || rows.iter().map(|m| Pending::of(&ctx, action, m)).collect())
}

/// The ids of rows just inserted, keyed by a column that identifies them within
/// the transaction (the credit code for enterprises, the enterprise for a new
/// enterprise's first status and licence). Inserting without `RETURNING` and
/// reading two columns back is several times cheaper on SQLite than returning
/// whole rows.
async fn ids_by<C, E, K>(db: &C, key: E::Column, keys: Vec<K>, id: E::Column) -> AppResult<HashMap<K, i64>>
where
    C: ConnectionTrait,
    E: EntityTrait,
    K: sea_orm::TryGetable + Into<sea_orm::Value> + Eq + std::hash::Hash,
{
    let rows: Vec<(i64, K)> =
        E::find().select_only().column(id).column(key).filter(key.is_in(keys)).into_tuple().all(db).await?;
    Ok(rows.into_iter().map(|(i, k)| (k, i)).collect())
}

/// The model as stored: the values just written plus the id they were given.
fn stored<A, M>(mut a: A, id: i64, id_col: <A::Entity as EntityTrait>::Column) -> AppResult<M>
where
    A: ActiveModelTrait + sea_orm::TryIntoModel<M>,
    M: sea_orm::ModelTrait,
{
    a.set(id_col, id.into());
    Ok(a.try_into_model()?)
}

/// The first status of each new enterprise.
fn first_status(ctx: &AuditCtx, enterprise_id: i64) -> history::ActiveModel {
    history::ActiveModel {
        enterprise_id: Set(enterprise_id),
        status: Set(EnterpriseStatus::Operating),
        previous_status: Set(None),
        reason: Set(Some("名录导入".to_owned())),
        actor_id: Set(ctx.actor.strip_prefix("user:").and_then(|s| s.parse().ok())),
        changed_at: Set(ctx.at),
        event: Set(None),
        hazard_id: Set(None),
        ..Default::default()
    }
}

/// Supervising bureau per region code of the rows (created on demand).
async fn bureaus_for<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    rows: &[ParsedRow],
) -> AppResult<HashMap<String, i64>> {
    let mut bureaus: HashMap<String, i64> = HashMap::new();
    for p in rows {
        if let Some(r) = &p.draft.region
            && !bureaus.contains_key(r.as_str())
        {
            let id = bureau::ensure_for_region(db, ctx, &r.county_or_self()).await?.id;
            bureaus.insert(r.as_str().to_owned(), id);
        }
    }
    Ok(bureaus)
}

/// Inserts a batch of new enterprises' licences (at most one each).
async fn insert_licences<C: ConnectionTrait>(
    db: &C,
    lics: Vec<licence::ActiveModel>,
) -> AppResult<Vec<licence::Model>> {
    licence::Entity::insert_many(lics.clone()).exec_without_returning(db).await?;
    let owners: Vec<i64> = lics.iter().map(|l| *l.enterprise_id.as_ref()).collect();
    let ids = ids_by::<_, licence::Entity, i64>(db, licence::Column::EnterpriseId, owners.clone(), licence::Column::Id)
        .await?;
    lics.into_iter().zip(&owners).map(|(l, e)| stored(l, ids[e], licence::Column::Id)).collect()
}

/// Inserts the new enterprises in batches, with their first status and licences.
async fn insert_new<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    rows: &[ParsedRow],
    supervisor: Option<i64>,
    log: &mut Vec<Pending>,
) -> AppResult<()> {
    // Payload digests are computed on blocking threads while the next batch is
    // written, then appended to the log in the original order.
    let mut digests: Vec<tokio::task::JoinHandle<Vec<Pending>>> = Vec::new();
    let bureaus = if supervisor.is_some() { HashMap::new() } else { bureaus_for(db, ctx, rows).await? };
    // 1,000 rows × 24 columns stays under SQLite's 32,766 bound parameters.
    for chunk in rows.chunks(1000) {
        let models: Vec<_> = chunk
            .iter()
            .map(|p| {
                let b = supervisor
                    .or_else(|| p.draft.region.as_ref().and_then(|r| bureaus.get(r.as_str())).copied())
                    .unwrap_or_default();
                crate::enterprise::service::new_row(ctx, &p.code, &p.draft, b)
            })
            .collect();
        enterprise::Entity::insert_many(models.clone()).exec_without_returning(db).await?;
        let codes = chunk.iter().map(|p| p.code.as_str().to_owned()).collect();
        let by_code =
            ids_by::<_, enterprise::Entity, String>(db, enterprise::Column::CreditCode, codes, enterprise::Column::Id)
                .await?;
        let id_of = |p: &ParsedRow| {
            by_code.get(p.code.as_str()).copied().ok_or(AppError::Internal(anyhow::anyhow!("imported row not found")))
        };
        let mut inserted: Vec<enterprise::Model> = Vec::with_capacity(chunk.len());
        for (p, m) in chunk.iter().zip(models) {
            inserted.push(stored(m, id_of(p)?, enterprise::Column::Id)?);
        }
        let ids: Vec<i64> = inserted.iter().map(|m| m.id).collect();
        let statuses: Vec<_> = ids.iter().map(|&id| first_status(ctx, id)).collect();
        digests.push(digest_rows(ctx, "import", inserted));
        history::Entity::insert_many(statuses.clone()).exec_without_returning(db).await?;
        let status_ids =
            ids_by::<_, history::Entity, i64>(db, history::Column::EnterpriseId, ids.clone(), history::Column::Id)
                .await?;
        let statuses = statuses
            .into_iter()
            .zip(&ids)
            .map(|(s, e)| stored(s, status_ids[e], history::Column::Id))
            .collect::<AppResult<Vec<history::Model>>>()?;
        digests.push(digest_rows(ctx, "create", statuses));
        let mut lics = Vec::new();
        for p in chunk {
            if let Some((n, v)) = p.licence.clone() {
                lics.push(new_licence(ctx, id_of(p)?, n, v));
            }
        }
        if !lics.is_empty() {
            digests.push(digest_rows(ctx, "create", insert_licences(db, lics).await?));
        }
    }
    for handle in digests {
        log.extend(handle.await.map_err(|e| AppError::Internal(e.into()))?);
    }
    Ok(())
}

async fn update_changed<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    changes: Vec<Change>,
    log: &mut Vec<Pending>,
) -> AppResult<()> {
    for c in changes {
        let id = c.existing.id;
        let version = c.existing.version;
        let only_licence = c.fields.iter().all(|f| f.field.starts_with("licence_"));
        if !only_licence {
            let before = c.existing.clone();
            let mut m: enterprise::ActiveModel = c.existing.into();
            draft::apply(&c.row.draft, &mut m);
            m.version = Set(version + 1);
            m.updated_at = Set(ctx.at);
            let updated = m.update(db).await?;
            log.push(Pending::of(ctx, "import", &updated));
            crate::events::enterprise_changed(db, ctx, &before, &updated).await?;
        }
        let saved = match c.licence {
            Some(LicenceAction::Add(n, v)) => Some(new_licence(ctx, id, n, v).insert(db).await?),
            Some(LicenceAction::Extend(l, v)) => {
                let mut a: licence::ActiveModel = l.into();
                a.valid_to = Set(v);
                a.updated_at = Set(ctx.at);
                Some(a.update(db).await?)
            }
            None => None,
        };
        if let Some(l) = saved {
            log.push(Pending::of(ctx, "import", &l));
        }
    }
    Ok(())
}

/// Writes a checked plan inside the caller's transaction.
pub async fn apply<C: ConnectionTrait>(db: &C, ctx: &AuditCtx, plan: Plan) -> AppResult<ImportSummary> {
    let summary = ImportSummary { imported: plan.new.len(), updated: plan.changed.len(), unchanged: plan.unchanged };
    let mut log = Vec::with_capacity(plan.new.len() * 3 + plan.changed.len());
    insert_new(db, ctx, &plan.new, plan.supervisor, &mut log).await?;
    update_changed(db, ctx, plan.changed, &mut log).await?;
    audit::append(db, ctx, log).await?;
    Ok(summary)
}
