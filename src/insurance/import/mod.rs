//! Bulk import of 安责险 policies (保单批量导入) from `imports/insurance-policies.xlsx`,
//! like the roster, the ledger and risk points: columns by header, every bad row
//! listed at once with its row number and column, a dry run that writes nothing,
//! then all or nothing in one transaction ([`crate::import::run`]).
//!
//! Decisions:
//! - One way to check a policy: each row becomes the API's [`CreateInsurancePolicy`]
//!   and is checked by [`service::check_body`] (same bounds, same words), and the
//!   database checks answer with the form's own messages ([`service::not_own_insurer`],
//!   [`service::POLICY_NO_TAKEN`], the form's unknown-enterprise text).
//! - Who: regulators, for enterprises of the register in their territory and
//!   sectors (an enterprise outside it reads as unknown, as in the form); an
//!   insurer's users, for any enterprise of the register but only their own
//!   insurer's policies — another insurer named in a row is a row error, so the
//!   importing insurer is every imported policy's insurer. The role is checked
//!   before the body is read. The CLI imports as a named user (`--as`), since a
//!   policy records who entered it.
//! - The insurer must be registered (found by name or credit code): unlike the
//!   single form, an import never creates an insurer, so a misspelt name in a long
//!   file is a row error rather than a new insurer.
//! - A policy is known by its insurer and number. Twice in one file is an error;
//!   one already stored with exactly the same enterprise, term, amounts and
//!   headcount is skipped (so a file can be imported again and adds nothing);
//!   one stored with different details is `policy_no_taken`.
//! - Rows that read cleanly are checked against the database even when other
//!   rows are bad, so one answer lists every problem of the file.
//! - Caps as the ledger import ([`LIMITS`]: 32 MiB, 50,000 rows); the reader never
//!   sizes anything by what the file declares.
//! - Each policy gets a change-log entry (`import`); no notice is sent at import
//!   (the daily reminder job picks the policies up).

pub mod columns;
pub mod http;
pub mod rows;

use crate::audit::{self, Pending};
use crate::entities::{enterprise, insurance_policy, insurer};
use crate::error::{AppError, AppResult};
use crate::insurance::json::CreateInsurancePolicy;
use crate::insurance::service;
use crate::row_errors::{RowErrors, Seen};
use crate::xlsx::read::{Limits, read_first_sheet};
use chrono::NaiveDate;
use columns::row_error;
use rows::ParsedPolicy;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

pub const LIMITS: Limits = Limits { max_bytes: 32 << 20, max_rows: 50_000, max_cols: 64, max_memory: 128 << 20 };
/// How many rows a preview or a summary lists (the counts are always complete).
pub const LISTED_ROWS: usize = 500;

/// One policy that is (or would be) imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PolicyImportRow {
    pub row: u32,
    pub credit_code: String,
    pub enterprise_name: String,
    pub insurer: String,
    pub policy_no: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub premium_yuan: i64,
    pub insured_headcount: i32,
    pub death_disability_limit_yuan: i64,
}

/// What an import did, or would do on a dry run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PolicyImportSummary {
    pub dry_run: bool,
    /// Policies written (or that would be).
    pub imported: usize,
    /// Rows identical to a stored policy, skipped.
    pub already_recorded: usize,
    /// The first 500 policies written (or that would be).
    pub rows: Vec<PolicyImportRow>,
}

/// Who imports.
#[derive(Clone)]
pub enum Importer {
    /// A regulator: enterprises in its territory and sectors.
    Regulator(crate::enterprise::import::Importer),
    /// An insurer's user: its own insurer's policies.
    Insurer(insurer::Model),
}

/// The file read on its own: the rows that read cleanly and the problems of the others.
pub struct ParsedFile {
    rows: Vec<ParsedPolicy>,
    errors: RowErrors,
    headers: HashMap<&'static str, String>,
}

/// Reads and checks the workbook without the database (a missing column fails the file).
pub fn parse(bytes: &[u8]) -> AppResult<ParsedFile> {
    let sheet = read_first_sheet(bytes, &LIMITS).map_err(|e| AppError::bad_request(e.code(), e.to_string()))?;
    let cols = columns::Columns::find(&sheet.headers).map_err(AppError::rejected)?;
    let headers = columns::ALL.iter().map(|(name, _, _)| (*name, cols.header(name))).collect();
    let (mut errors, mut rows) = (RowErrors::default(), Vec::new());
    for row in &sheet.rows {
        match rows::parse_row(&cols, row) {
            Ok(p) => rows.push(p),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() && rows.is_empty() {
        errors.push(row_error(2, &cols.header(columns::CREDIT_CODE), "missing_required", "文件中没有保单"));
    }
    Ok(ParsedFile { rows, errors, headers })
}

/// A row ready to write.
struct Ready {
    p: ParsedPolicy,
    enterprise_name: String,
    insurer: insurer::Model,
}

/// The rows to write and how many are already stored.
pub struct PolicyPlan {
    ready: Vec<Ready>,
    already_recorded: usize,
}

/// Enterprises of the file by credit code (500 codes per query).
async fn enterprises<C: ConnectionTrait>(
    db: &C,
    rows: &[ParsedPolicy],
) -> AppResult<HashMap<String, enterprise::Model>> {
    let codes: Vec<&str> = rows.iter().map(|r| r.credit_code.as_str()).collect::<HashSet<_>>().into_iter().collect();
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

/// The insurers the file names, by name or credit code (500 names per query).
async fn insurers<C: ConnectionTrait>(
    db: &C,
    rows: &[ParsedPolicy],
) -> AppResult<HashMap<String, Option<insurer::Model>>> {
    let keys: Vec<&str> = rows.iter().map(|r| r.body.insurer.trim()).collect::<HashSet<_>>().into_iter().collect();
    let mut known = Vec::new();
    for chunk in keys.chunks(500) {
        let by = sea_orm::Condition::any()
            .add(insurer::Column::Name.is_in(chunk.iter().copied()))
            .add(insurer::Column::CreditCode.is_in(chunk.iter().copied()));
        known.extend(insurer::Entity::find().filter(by).all(db).await?);
    }
    let by_name: HashMap<&str, &insurer::Model> = known.iter().map(|i| (i.name.as_str(), i)).collect();
    let by_code: HashMap<&str, &insurer::Model> =
        known.iter().filter_map(|i| Some((i.credit_code.as_deref()?, i))).collect();
    let of = |key: &str| by_name.get(key).or_else(|| by_code.get(key)).map(|i| (*i).clone());
    Ok(keys.iter().map(|k| ((*k).to_owned(), of(k))).collect())
}

/// The stored policies of these insurers with these numbers, by (insurer, number).
async fn stored<C: ConnectionTrait>(
    db: &C,
    keys: &HashSet<(i64, String)>,
) -> AppResult<HashMap<(i64, String), insurance_policy::Model>> {
    let numbers: Vec<&str> = keys.iter().map(|(_, n)| n.as_str()).collect::<HashSet<_>>().into_iter().collect();
    let ids: Vec<i64> = keys.iter().map(|(i, _)| *i).collect::<HashSet<_>>().into_iter().collect();
    let mut out = HashMap::new();
    for chunk in numbers.chunks(500) {
        let found = insurance_policy::Entity::find()
            .filter(insurance_policy::Column::InsurerId.is_in(ids.iter().copied()))
            .filter(insurance_policy::Column::PolicyNo.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        out.extend(found.into_iter().map(|p| ((p.insurer_id, p.policy_no.clone()), p)));
    }
    Ok(out)
}

/// Whether a stored policy is the row's policy exactly.
fn same(p: &insurance_policy::Model, b: &CreateInsurancePolicy) -> bool {
    (p.enterprise_id, p.starts_on, p.ends_on, p.premium_yuan, p.insured_headcount, p.death_disability_limit_yuan)
        == (b.enterprise_id, b.starts_on, b.ends_on, b.premium_yuan, b.insured_headcount, b.death_disability_limit_yuan)
}

impl Importer {
    /// The enterprise if this importer may record its policies.
    fn enterprise<'a>(
        &self,
        found: &'a HashMap<String, enterprise::Model>,
        code: &str,
    ) -> Option<&'a enterprise::Model> {
        found.get(code).filter(|e| match self {
            Self::Regulator(who) => who.covers(e),
            Self::Insurer(_) => true,
        })
    }

    /// The row's insurer, or the row's problem (code and message).
    fn insurer(&self, named: Option<&insurer::Model>, name: &str) -> Result<insurer::Model, (&'static str, String)> {
        match (self, named) {
            (Self::Insurer(own), found) if found.is_none_or(|i| i.id != own.id) => {
                Err(("other_insurer", service::not_own_insurer(own)))
            }
            (_, Some(i)) => Ok(i.clone()),
            (_, None) => Err(("unknown_insurer", format!("保险机构“{name}”尚未登记：请核对名称或统一社会信用代码"))),
        }
    }
}

/// Each row's enterprise and insurer, every problem found, and repeats in the file.
fn resolve(
    who: &Importer,
    rows: Vec<ParsedPolicy>,
    found: &HashMap<String, enterprise::Model>,
    named: &HashMap<String, Option<insurer::Model>>,
    header: &dyn Fn(&str) -> String,
    errors: &mut RowErrors,
) -> Vec<Ready> {
    let (mut out, mut seen) = (Vec::new(), Seen::default());
    for mut p in rows {
        let e = who.enterprise(found, &p.credit_code);
        if e.is_none() {
            let msg = format!("{}（统一社会信用代码 {}）", service::UNKNOWN_ENTERPRISE, p.credit_code);
            errors.push(row_error(p.row, &header(columns::CREDIT_CODE), "unknown_enterprise", msg));
        }
        let name = p.body.insurer.trim().to_owned();
        let insurer = match who.insurer(named.get(&name).and_then(Option::as_ref), &name) {
            Ok(i) => Some(i),
            Err((code, msg)) => {
                errors.push(row_error(p.row, &header(columns::INSURER), code, msg));
                None
            }
        };
        if let Some(i) = &insurer
            && let Some(first) = seen.see((i.id, p.body.policy_no.trim().to_owned()), p.row)
        {
            let msg = format!("同一保险机构的保单号与第 {first} 行重复");
            errors.push(row_error(p.row, &header(columns::POLICY_NO), "duplicate_in_file", msg));
            continue;
        }
        if let (Some(e), Some(insurer)) = (e, insurer) {
            p.body.enterprise_id = e.id;
            out.push(Ready { p, enterprise_name: e.name.clone(), insurer });
        }
    }
    out
}

/// Checks the rows against the register, the insurers and the stored policies
/// (every problem at once, with those found without the database).
async fn check<C: ConnectionTrait>(db: &C, who: &Importer, parsed: ParsedFile) -> AppResult<PolicyPlan> {
    let ParsedFile { rows, mut errors, headers } = parsed;
    let header = |name: &str| headers.get(name).cloned().unwrap_or_else(|| name.to_owned());
    let found = enterprises(db, &rows).await?;
    let named = insurers(db, &rows).await?;
    let resolved = resolve(who, rows, &found, &named, &header, &mut errors);
    let keys: HashSet<(i64, String)> =
        resolved.iter().map(|r| (r.insurer.id, r.p.body.policy_no.trim().to_owned())).collect();
    let stored = stored(db, &keys).await?;
    let (mut ready, mut already_recorded) = (Vec::new(), 0);
    for r in resolved {
        match stored.get(&(r.insurer.id, r.p.body.policy_no.trim().to_owned())) {
            Some(p) if same(p, &r.p.body) => already_recorded += 1,
            Some(_) => {
                errors.push(row_error(
                    r.p.row,
                    &header(columns::POLICY_NO),
                    "policy_no_taken",
                    service::POLICY_NO_TAKEN,
                ));
            }
            None => ready.push(r),
        }
    }
    if errors.is_empty() { Ok(PolicyPlan { ready, already_recorded }) } else { Err(errors.into()) }
}

/// Writes the checked policies and their change-log entries in the caller's transaction.
async fn write(tx: &crate::write::Tx, user_id: i64, ready: &[Ready]) -> AppResult<()> {
    use crate::error::DbResultExt;
    let ctx = tx.ctx();
    tx.touch(crate::write::Touched::Insurance);
    let mut entries = Vec::with_capacity(ready.len());
    for r in ready {
        let row = service::new_row(user_id, r.insurer.id, &r.p.body, ctx.at)
            .insert(tx)
            .await
            .on_unique("policy_no_taken", service::POLICY_NO_TAKEN)?;
        entries.push(Pending::of(ctx, "import", &row));
    }
    while !entries.is_empty() {
        let rest = entries.split_off(entries.len().min(1000));
        audit::append(tx, ctx, std::mem::replace(&mut entries, rest)).await?;
    }
    Ok(())
}

/// The policy import for [`crate::import::run`]: who imports and the user recorded as the policies' author.
#[derive(Clone)]
pub struct PolicyImport {
    pub who: Importer,
    pub user_id: i64,
}

#[async_trait::async_trait]
impl crate::import::Import for PolicyImport {
    type Parsed = ParsedFile;
    type Plan = PolicyPlan;
    type Preview = PolicyImportSummary;
    type Summary = PolicyImportSummary;

    fn parse(&self, bytes: &[u8]) -> AppResult<ParsedFile> {
        parse(bytes)
    }

    async fn check<C: ConnectionTrait>(&self, db: &C, parsed: ParsedFile) -> AppResult<PolicyPlan> {
        check(db, &self.who, parsed).await
    }

    fn preview(&self, plan: &PolicyPlan) -> PolicyImportSummary {
        summarise(true, plan)
    }

    async fn apply(&self, tx: &crate::write::Tx, plan: PolicyPlan) -> AppResult<PolicyImportSummary> {
        write(tx, self.user_id, &plan.ready).await?;
        Ok(summarise(false, &plan))
    }
}

fn summarise(dry_run: bool, plan: &PolicyPlan) -> PolicyImportSummary {
    let rows = plan
        .ready
        .iter()
        .take(LISTED_ROWS)
        .map(|r| PolicyImportRow {
            row: r.p.row,
            credit_code: r.p.credit_code.clone(),
            enterprise_name: r.enterprise_name.clone(),
            insurer: r.insurer.name.clone(),
            policy_no: r.p.body.policy_no.trim().to_owned(),
            starts_on: r.p.body.starts_on,
            ends_on: r.p.body.ends_on,
            premium_yuan: r.p.body.premium_yuan,
            insured_headcount: r.p.body.insured_headcount,
            death_disability_limit_yuan: r.p.body.death_disability_limit_yuan,
        })
        .collect();
    PolicyImportSummary { dry_run, imported: plan.ready.len(), already_recorded: plan.already_recorded, rows }
}

/// The whole import as the API, the pages and the CLI run it (see [`crate::import`]).
pub async fn run(
    state: &crate::state::AppState,
    who: &Importer,
    user_id: i64,
    bytes: axum::body::Bytes,
    dry_run: bool,
) -> AppResult<PolicyImportSummary> {
    let import = PolicyImport { who: who.clone(), user_id };
    Ok(match crate::import::run(state, format!("user:{user_id}"), &import, bytes, dry_run).await? {
        crate::import::Outcome::Preview(s) | crate::import::Outcome::Done(s) => s,
    })
}

#[cfg(test)]
mod tests;
