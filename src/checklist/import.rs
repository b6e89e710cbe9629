//! Bureau checklist upload (检查表导入) from the template `imports/checklist.xlsx`:
//! sheet 检查表信息 (项目 | 内容: 编号, 名称, 发布机关, 文号, 施行日期, 版本) and
//! sheet 检查项 (one item a row, columns in [`rows::COLUMNS`], matched by header
//! in any order). All or nothing: every problem of both sheets is listed with
//! its row, then the stored checklists are checked (national id, clashing
//! codes); a dry run writes nothing, a real upload creates a version.

use super::rows::{self, ItemRow, err};
use super::{Checklist, service};
use crate::entities::{bureau, checklist_version as version};
use crate::error::{AppError, AppResult, RowError};
use crate::row_errors::RowErrors;
use crate::xlsx::read::{Cell, Limits, ReadError, Sheet, read_named_sheet};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use std::collections::HashMap;

pub const HEADER_SHEET: &str = "检查表信息";
pub const ITEMS_SHEET: &str = "检查项";
/// The header sheet's keys, in template order.
pub const KEYS: [&str; 6] = ["编号", "名称", "发布机关", "文号", "施行日期", "版本"];
pub const LIMITS: Limits = Limits { max_bytes: 8 << 20, max_rows: 2_000, max_cols: 64, max_memory: 32 << 20 };

/// What an upload did, or would do on a dry run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ChecklistImportSummary {
    pub dry_run: bool,
    pub checklist_id: String,
    pub title: String,
    pub version: String,
    /// The content hash of the version (new or already stored).
    pub hash: String,
    pub sections: usize,
    pub items: usize,
    pub unverified: usize,
    /// False when the same content is already the current version (nothing new is stored).
    pub new_version: bool,
}

/// The checklist read from the workbook, with the row of each item code.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub checklist: Checklist,
    pub rows: HashMap<String, u32>,
}

fn read(bytes: &[u8], name: &str) -> AppResult<Sheet> {
    read_named_sheet(bytes, &LIMITS, name).map_err(|e| match e {
        ReadError::NoSheet => AppError::bad_request("no_sheet", format!("工作簿缺少工作表“{name}”，请使用检查表模板")),
        e => AppError::bad_request(e.code(), e.to_string()),
    })
}

/// A header as meant: no spaces, no `*`, no bracketed hint (`隐患级别（重大/一般）`).
fn normalise(header: &str) -> String {
    let cut = header.find(['（', '(']).unwrap_or(header.len());
    header[..cut].chars().filter(|c| !c.is_whitespace() && *c != '*').collect()
}

fn text(cell: Option<&Cell>) -> String {
    cell.and_then(Cell::as_text).unwrap_or_default()
}

fn date(cell: Option<&Cell>) -> Result<Option<NaiveDate>, ()> {
    match cell {
        None => Ok(None),
        Some(Cell::Number(n)) => {
            let days = u64::try_from(n.to_string().parse::<i64>().map_err(|_| ())?).map_err(|_| ())?;
            NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|d| d.checked_add_days(chrono::Days::new(days)))
                .map(Some)
                .ok_or(())
        }
        Some(c) => c.as_date(),
    }
}

/// The header sheet: (编号, 名称, 发布机关, 文号, 施行日期, 版本).
fn header(sheet: &Sheet, errors: &mut RowErrors) -> Option<Checklist> {
    let mut values: HashMap<&str, (u32, Option<&Cell>)> = HashMap::new();
    for r in &sheet.rows {
        let key = normalise(&text(r.cells.first()));
        if let Some(k) = KEYS.iter().find(|k| **k == key) {
            values.insert(k, (r.number, r.cells.get(1)));
        }
    }
    let column = |k: &str| format!("{HEADER_SHEET}·{k}");
    let mut get = |k: &'static str| {
        let (row, cell) = values.get(k).copied().unwrap_or((1, None));
        let v = text(cell);
        if v.is_empty() && k != "文号" && k != "发布机关" {
            errors.push(err(row, &column(k), "missing_required", format!("请填写{k}")));
        }
        (row, v, cell)
    };
    let (id, title, issuer, number, (row, _, day), version) =
        (get("编号").1, get("名称").1, get("发布机关").1, get("文号").1, get("施行日期"), get("版本").1);
    let effective = date(day).unwrap_or_else(|()| {
        errors.push(err(row, &column("施行日期"), "invalid_date", "日期格式不正确（应为 2026-12-01）".into()));
        None
    });
    let effective = effective?;
    Some(Checklist { id, title, issuer, document_number: number, effective, version, sections: Vec::new() })
}

/// The item rows of the 检查项 sheet.
fn items(sheet: &Sheet, errors: &mut RowErrors) -> Vec<(u32, String, super::Item)> {
    let at = |name: &str| sheet.headers.iter().position(|h| normalise(h) == name);
    let required = [rows::SECTION, rows::CODE, rows::TEXT, rows::BASIS, rows::SEVERITY];
    let missing: Vec<RowError> = required
        .iter()
        .filter(|c| at(c).is_none())
        .map(|c| err(1, c, "missing_column", format!("{ITEMS_SHEET}缺少必需的列“{c}”")))
        .collect();
    if !missing.is_empty() {
        errors.extend(missing);
        return Vec::new();
    }
    let mut out = Vec::new();
    for r in &sheet.rows {
        let cell = |name: &str| at(name).map(|i| text(r.cells.get(i))).unwrap_or_default();
        let row = ItemRow {
            section: cell(rows::SECTION),
            code: cell(rows::CODE),
            text: cell(rows::TEXT),
            basis: cell(rows::BASIS),
            severity: cell(rows::SEVERITY),
            penalty_basis: cell(rows::PENALTY),
            sectors: cell(rows::SECTORS),
            sub_types: cell(rows::SUB_TYPES),
            special_topics: cell(rows::TOPICS),
            verified: cell(rows::VERIFIED),
        };
        if let Some((section, item)) = rows::item(r.number, &row, errors) {
            out.push((r.number, section, item));
        }
    }
    if sheet.rows.is_empty() {
        errors.push(err(1, ITEMS_SHEET, "no_items", "检查项工作表没有任何检查项".into()));
    }
    out
}

/// Reads and checks a workbook on its own (no database); every problem at once.
pub fn parse(bytes: &[u8]) -> AppResult<Parsed> {
    let head = read(bytes, HEADER_SHEET)?;
    let body = read(bytes, ITEMS_SHEET)?;
    let mut errors = RowErrors::default();
    let checklist = header(&head, &mut errors);
    let good = items(&body, &mut errors);
    let sections = rows::sections(&good, &mut errors);
    let rows = good.iter().map(|(n, _, i)| (i.code.clone(), *n)).collect();
    match checklist {
        Some(c) if errors.is_empty() => Ok(Parsed { checklist: Checklist { sections, ..c }, rows }),
        _ => Err(AppError::ImportRejected(errors.into_rejection())),
    }
}

/// The stored checklists' problems with the parsed one, at the rows they concern.
pub fn rejection(parsed: &Parsed, problems: Vec<service::Problem>) -> AppError {
    AppError::rejected(problems.into_iter().map(|p| {
        let row = p.code.as_ref().and_then(|c| parsed.rows.get(c)).copied();
        match row {
            Some(n) => err(n, rows::CODE, "code_taken", p.message),
            None => err(1, &format!("{HEADER_SHEET}·编号"), "conflict", p.message),
        }
    }))
}

/// The checklist upload for [`crate::import::run`]: a bureau and its regulator.
#[derive(Clone)]
pub struct ChecklistImport {
    pub bureau: bureau::Model,
    pub user_id: i64,
}

#[async_trait::async_trait]
impl crate::import::Import for ChecklistImport {
    type Parsed = Parsed;
    type Plan = (Parsed, ChecklistImportSummary);
    type Preview = ChecklistImportSummary;
    type Summary = ChecklistImportSummary;

    fn parse(&self, bytes: &[u8]) -> AppResult<Parsed> {
        parse(bytes)
    }

    async fn check<C: ConnectionTrait>(&self, db: &C, parsed: Parsed) -> AppResult<Self::Plan> {
        let problems = service::problems(db, &self.bureau, &parsed.checklist).await?;
        if !problems.is_empty() {
            return Err(rejection(&parsed, problems));
        }
        let c = &parsed.checklist;
        let hash = c.hash();
        let current = version::Entity::find()
            .filter(version::Column::ContentHash.eq(hash.as_str()))
            .filter(version::Column::Status.eq(super::VersionStatus::Current))
            .one(db)
            .await?;
        let summary = ChecklistImportSummary {
            dry_run: true,
            checklist_id: c.id.clone(),
            title: c.title.clone(),
            version: c.version.clone(),
            hash,
            sections: c.sections.len(),
            items: c.items().count(),
            unverified: c.items().filter(|(_, i)| !i.verified).count(),
            new_version: current.is_none(),
        };
        Ok((parsed, summary))
    }

    fn preview(&self, plan: &Self::Plan) -> ChecklistImportSummary {
        plan.1.clone()
    }

    async fn apply(&self, tx: &crate::write::Tx, (parsed, summary): Self::Plan) -> AppResult<ChecklistImportSummary> {
        let (_, created) = service::create(tx, &self.bureau, self.user_id, &parsed.checklist).await?;
        Ok(ChecklistImportSummary { dry_run: false, new_version: created, ..summary })
    }
}
