//! Bulk entry of denominators (`imports/denominators.xlsx`) and bureau targets
//! (`imports/indicator-targets.xlsx`), like the other imports: columns by header,
//! every bad row listed at once with its row number, column and code, a dry run
//! that writes nothing, then all or nothing in one transaction
//! ([`crate::import::run`]).
//!
//! Decisions:
//! - One way to check an entry: each row becomes the API's body and is checked by
//!   the same function as the form ([`super::checks`]), its problems placed under
//!   the column of the field; a region outside the importer's territory reads as
//!   unknown (`unknown_region`), as in the form.
//! - A row is known by its key (region and year; for a target also the indicator).
//!   Twice in one file is an error; a row already stored exactly so is skipped (so
//!   the same file imported again changes nothing); a stored entry with other
//!   figures is updated, as entering it in the form would.
//! - 地区名称 is filled in the template for the reader and ignored on read.
//! - Written through the same use cases as the API, so each write is logged.
//! - Small tables (regions × years): at most 5,000 rows, 8 MiB.

pub mod http;
pub mod sheet;
pub mod templates;

use super::checks::{self, Enterer};
use super::json::{DenominatorInput, TargetInput};
use super::service;
use crate::entities::{indicator_denominator as denom, indicator_target as target};
use crate::error::{AppError, AppResult};
use crate::row_errors::{RowErrors, Seen};
use crate::xlsx::read::{Limits, read_first_sheet};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;
use sheet::{Columns, Reader, row_error};
use std::collections::HashMap;

pub const LIMITS: Limits = Limits { max_bytes: 8 << 20, max_rows: 5_000, max_cols: 32, max_memory: 64 << 20 };
/// How many rows a preview or a summary lists (the counts are always complete).
pub const LISTED_ROWS: usize = 500;

/// Which workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Denominators,
    Targets,
}

/// One row read and checked on its own.
#[derive(Debug, Clone)]
pub enum Input {
    Denominator(DenominatorInput),
    Target(TargetInput),
}

impl Input {
    fn region(&self) -> &str {
        match self {
            Self::Denominator(d) => d.region_code.trim(),
            Self::Target(t) => t.region_code.trim(),
        }
    }

    fn key(&self) -> (String, String, i32) {
        match self {
            Self::Denominator(d) => (self.region().to_owned(), String::new(), d.year),
            Self::Target(t) => (self.region().to_owned(), t.indicator.trim().to_owned(), t.year),
        }
    }

    fn row_view(&self, row: u32) -> ImportedRow {
        let region_code = self.region().to_owned();
        let region_name = super::list::region_name(&region_code);
        match self {
            Self::Denominator(d) => ImportedRow {
                row,
                region_code,
                region_name,
                year: d.year,
                indicator: None,
                what: templates::describe_denominator(d),
            },
            Self::Target(t) => ImportedRow {
                row,
                region_code,
                region_name,
                year: t.year,
                indicator: Some(super::list::indicator_name(t.indicator.trim())),
                what: templates::describe_target(t),
            },
        }
    }
}

/// One entry that is (or would be) written.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ImportedRow {
    pub row: u32,
    pub region_code: String,
    pub region_name: String,
    pub year: i32,
    /// The indicator's name (targets).
    pub indicator: Option<String>,
    /// The figures, in Chinese.
    pub what: String,
}

/// What an import did, or would do on a dry run.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct InputsImportSummary {
    pub dry_run: bool,
    /// Entries written, new or updated (or that would be).
    pub imported: usize,
    /// Rows identical to a stored entry, skipped.
    pub already_recorded: usize,
    /// The first 500 entries written (or that would be).
    pub rows: Vec<ImportedRow>,
}

/// The file read on its own.
pub struct ParsedFile {
    rows: Vec<(u32, Input)>,
    errors: RowErrors,
}

/// Reads the workbook and checks each row as the form would (the territory included).
pub fn parse(kind: Kind, who: &Enterer, bytes: &[u8]) -> AppResult<ParsedFile> {
    let sheet = read_first_sheet(bytes, &LIMITS).map_err(|e| AppError::bad_request(e.code(), e.to_string()))?;
    let all = templates::columns(kind);
    let cols = Columns::find(&sheet.headers, all).map_err(AppError::rejected)?;
    let data = crate::indicator::rules::data()?;
    let (mut errors, mut rows, mut seen) = (RowErrors::default(), Vec::new(), Seen::default());
    for row in &sheet.rows {
        let mut rd = Reader::new(&cols, row);
        let input = templates::read(kind, &mut rd);
        let fields = match &input {
            Input::Denominator(d) => checks::denominator(who, d),
            Input::Target(t) => checks::target(who, data, t),
        };
        rd.place(fields);
        if rd.errors.is_empty()
            && let Some(first) = seen.see(input.key(), row.number)
        {
            let msg =
                format!("与第 {first} 行重复（同一地区、年份{}）", if kind == Kind::Targets { "、指标" } else { "" });
            rd.fail(all[0].name, "duplicate_in_file", msg);
        }
        if rd.errors.is_empty() {
            rows.push((row.number, input));
        } else {
            errors.extend(rd.errors);
        }
    }
    if errors.is_empty() && rows.is_empty() {
        errors.push(row_error(2, &cols.header(all[0].name), "missing_required", "文件中没有数据行"));
    }
    Ok(ParsedFile { rows, errors })
}

/// The rows to write and how many are already stored exactly so.
pub struct Plan {
    ready: Vec<(u32, Input)>,
    already_recorded: usize,
}

/// The stored entries of the importer's territory, by key.
async fn stored<C: ConnectionTrait>(
    db: &C,
    kind: Kind,
    who: &Enterer,
) -> AppResult<HashMap<(String, String, i32), Input>> {
    let own = crate::enterprise::domain::RegionCode::parse(&who.bureau.region_code).map_err(|_| AppError::Forbidden)?;
    let (low, high) = own.bounds();
    let mut out = HashMap::new();
    match kind {
        Kind::Denominators => {
            let rows = denom::Entity::find()
                .filter(denom::Column::RegionCode.between(low, high))
                .limit(super::CAP)
                .all(db)
                .await?;
            for m in rows {
                let d = DenominatorInput {
                    region_code: m.region_code,
                    year: m.year,
                    gdp_100m_yuan: m.gdp_100m_yuan,
                    industrial_workers: m.industrial_workers,
                    source: m.source,
                };
                let i = Input::Denominator(d);
                out.insert(i.key(), i);
            }
        }
        Kind::Targets => {
            let rows = target::Entity::find()
                .filter(target::Column::RegionCode.between(low, high))
                .filter(target::Column::DeletedAt.is_null())
                .limit(super::CAP)
                .all(db)
                .await?;
            for m in rows {
                let t = TargetInput {
                    region_code: m.region_code,
                    indicator: m.indicator,
                    year: m.year,
                    plan: m.plan,
                    value: m.value,
                    change_percent: m.change_percent,
                    base_year: m.base_year,
                    line: m.line,
                    binding: m.binding,
                };
                let i = Input::Target(t);
                out.insert(i.key(), i);
            }
        }
    }
    Ok(out)
}

/// Whether a stored entry already says what the row says.
fn same(stored: &Input, row: &Input) -> bool {
    match (stored, row) {
        (Input::Denominator(s), Input::Denominator(r)) => {
            (s.gdp_100m_yuan, s.industrial_workers, s.source.as_str())
                == (r.gdp_100m_yuan, r.industrial_workers, r.source.trim())
        }
        (Input::Target(s), Input::Target(r)) => {
            (s.plan.as_str(), s.value, s.change_percent, s.base_year, s.line.as_str(), s.binding)
                == (r.plan.trim(), r.value, r.change_percent, r.base_year, r.line.trim(), r.binding)
        }
        _ => false,
    }
}

async fn check<C: ConnectionTrait>(db: &C, kind: Kind, who: &Enterer, parsed: ParsedFile) -> AppResult<Plan> {
    let ParsedFile { rows, errors } = parsed;
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let stored = stored(db, kind, who).await?;
    let (mut ready, mut already_recorded) = (Vec::new(), 0);
    for (row, input) in rows {
        if stored.get(&input.key()).is_some_and(|s| same(s, &input)) {
            already_recorded += 1;
        } else {
            ready.push((row, input));
        }
    }
    Ok(Plan { ready, already_recorded })
}

/// One kind of inputs import for [`crate::import::run`], by a regulator.
#[derive(Clone)]
pub struct InputsImport {
    pub kind: Kind,
    pub who: Enterer,
}

#[async_trait::async_trait]
impl crate::import::Import for InputsImport {
    type Parsed = ParsedFile;
    type Plan = Plan;
    type Preview = InputsImportSummary;
    type Summary = InputsImportSummary;

    fn parse(&self, bytes: &[u8]) -> AppResult<ParsedFile> {
        parse(self.kind, &self.who, bytes)
    }

    async fn check<C: ConnectionTrait>(&self, db: &C, parsed: ParsedFile) -> AppResult<Plan> {
        check(db, self.kind, &self.who, parsed).await
    }

    fn preview(&self, plan: &Plan) -> InputsImportSummary {
        summarise(true, plan)
    }

    async fn apply(&self, tx: &crate::write::Tx, plan: Plan) -> AppResult<InputsImportSummary> {
        for (_, input) in &plan.ready {
            match input {
                Input::Denominator(d) => drop(service::save_denominator(tx, &self.who, d).await?),
                Input::Target(t) => drop(service::save_target(tx, &self.who, t).await?),
            }
        }
        Ok(summarise(false, &plan))
    }
}

fn summarise(dry_run: bool, plan: &Plan) -> InputsImportSummary {
    let rows = plan.ready.iter().take(LISTED_ROWS).map(|(row, i)| i.row_view(*row)).collect();
    InputsImportSummary { dry_run, imported: plan.ready.len(), already_recorded: plan.already_recorded, rows }
}

/// The whole import as the API, the pages and the CLI run it.
pub async fn run(
    state: &crate::state::AppState,
    kind: Kind,
    who: &Enterer,
    bytes: axum::body::Bytes,
    dry_run: bool,
) -> AppResult<InputsImportSummary> {
    let import = InputsImport { kind, who: who.clone() };
    Ok(match crate::import::run(state, format!("user:{}", who.user_id), &import, bytes, dry_run).await? {
        crate::import::Outcome::Preview(s) | crate::import::Outcome::Done(s) => s,
    })
}

#[cfg(test)]
mod tests;
