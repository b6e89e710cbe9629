//! The whole ledger as a workbook (`GET /api/v1/hazards/export.xlsx`), with the
//! list's filters and within the caller's scope: one row per hazard, every
//! code in Chinese, newest first.
//!
//! Decisions where the issue is silent: the workbook is built in memory and
//! capped at [`MAX_ROWS`] rows (about 60 MB at most); when the filters match
//! more, the first row of the sheet says so and how to narrow them. Rows are
//! read in chunks of [`CHUNK`] by id, never all at once. The description is cut
//! to [`DESCRIPTION_CHARS`] characters (the hazard's page has all of it). One
//! export runs at a time, sharing the import gate: both hold large workbooks.

use super::domain::{Level, Source, Status, SupervisionLevel};
use super::json::HazardFilter;
use crate::auth::CurrentUser;
use crate::enterprise::domain::Sector;
use crate::entities::{hazard, hazard_category, hazard_subject};
use crate::error::{AppError, AppResult};
use crate::limits::{cell, clamp};
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// Rows one workbook holds at most.
pub const MAX_ROWS: usize = 100_000;
/// Rows read per query.
const CHUNK: u64 = 2_000;
/// Characters of the description written.
pub const DESCRIPTION_CHARS: usize = 500;

const HEADERS: [&str; 17] = [
    "编号",
    "隐患",
    "企业/主体",
    "行业",
    "行政区划",
    "隐患等级",
    "隐患类别",
    "来源",
    "状态",
    "发现日期",
    "整改期限",
    "剩余/逾期天数",
    "隐患部位",
    "判定依据",
    "挂牌督办",
    "停产停用",
    "隐患描述",
];

/// The columns a workbook row shows.
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
struct Line {
    id: i64,
    enterprise_id: Option<i64>,
    subject_id: Option<i64>,
    sector: Option<Sector>,
    region_code: String,
    source: Source,
    level: Level,
    category: String,
    title: String,
    description: String,
    location: Option<String>,
    found_at: DateTime<Utc>,
    deadline: Option<NaiveDate>,
    checklist_item_code: Option<String>,
    status: Status,
    is_open: bool,
    suspended: bool,
    assignment_level: Option<SupervisionLevel>,
}

/// Names of the enterprises, subjects and categories the lines name.
struct Names {
    enterprises: HashMap<i64, String>,
    subjects: HashMap<i64, String>,
    categories: HashMap<String, String>,
}

async fn names<C: ConnectionTrait>(db: &C, lines: &[Line], categories: &HashMap<String, String>) -> AppResult<Names> {
    let enterprises = crate::enterprise::service::names(db, lines.iter().filter_map(|l| l.enterprise_id)).await?;
    let ids: Vec<i64> = lines.iter().filter_map(|l| l.subject_id).collect();
    let subjects = hazard_subject::Entity::find()
        .select_only()
        .columns([hazard_subject::Column::Id, hazard_subject::Column::Name])
        .filter(hazard_subject::Column::Id.is_in(ids))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(Names { enterprises, subjects, categories: categories.clone() })
}

fn write_line(sheet: &mut Worksheet, r: u32, l: &Line, n: &Names, today: NaiveDate) -> Result<(), XlsxError> {
    let who = match (l.enterprise_id, l.subject_id) {
        (Some(e), _) => n.enterprises.get(&e).cloned().unwrap_or_default(),
        (None, Some(s)) => format!("{}（未登记主体）", n.subjects.get(&s).cloned().unwrap_or_default()),
        (None, None) => "未登记主体".to_owned(),
    };
    let region = crate::bureau::regions::name(&l.region_code).unwrap_or(&l.region_code);
    sheet.write_number(r, 0, f64::from(u32::try_from(l.id).unwrap_or(u32::MAX)))?;
    sheet.write_string(r, 1, cell(&l.title))?;
    sheet.write_string(r, 2, cell(&who))?;
    sheet.write_string(r, 3, l.sector.map_or("—", Sector::zh))?;
    sheet.write_string(r, 4, region)?;
    sheet.write_string(r, 5, l.level.zh())?;
    sheet.write_string(r, 6, cell(n.categories.get(&l.category).unwrap_or(&l.category)))?;
    sheet.write_string(r, 7, l.source.zh())?;
    sheet.write_string(r, 8, l.status.zh())?;
    sheet.write_string(r, 9, crate::clock::china_date(l.found_at).to_string())?;
    sheet.write_string(r, 10, l.deadline.map(|d| d.to_string()).unwrap_or_default())?;
    if let (true, Some(d)) = (l.is_open, l.deadline) {
        sheet.write_number(r, 11, f64::from(i32::try_from((d - today).num_days()).unwrap_or(i32::MIN)))?;
    }
    sheet.write_string(r, 12, cell(l.location.as_deref().unwrap_or_default()))?;
    sheet.write_string(r, 13, cell(l.checklist_item_code.as_deref().unwrap_or_default()))?;
    sheet.write_string(r, 14, l.assignment_level.map_or("", SupervisionLevel::zh))?;
    sheet.write_string(r, 15, if l.suspended { "是" } else { "否" })?;
    sheet.write_string(r, 16, clamp(&l.description, DESCRIPTION_CHARS))?;
    Ok(())
}

/// One chunk of lines below `before` (an id), newest first.
async fn chunk(state: &AppState, user: &CurrentUser, f: &HazardFilter, before: i64) -> AppResult<Vec<Line>> {
    use hazard::Column as H;
    let today = state.clock.today();
    let q = super::list::filtered(&user.scope, f, today)?.filter(H::Id.lt(before)).order_by_desc(H::Id);
    let columns = [H::Id, H::EnterpriseId, H::SubjectId, H::Sector, H::RegionCode, H::Source, H::Level, H::Category];
    let more = [H::Title, H::Description, H::Location, H::FoundAt, H::Deadline, H::ChecklistItemCode, H::Status];
    Ok(q.select_only()
        .columns(columns)
        .columns(more)
        .columns([H::IsOpen, H::Suspended, H::AssignmentLevel])
        .limit(CHUNK)
        .into_model::<Line>()
        .all(state.db.conn())
        .await?)
}

fn xlsx_error(e: &XlsxError) -> AppError {
    AppError::Internal(anyhow::anyhow!("xlsx: {e}"))
}

/// The ledger's workbook for these filters (page and page size ignored).
pub async fn workbook(state: &AppState, user: &CurrentUser, f: &HazardFilter) -> AppResult<Vec<u8>> {
    let _turn = state.gates.imports.enter().await?;
    let db = state.db.conn();
    let categories: HashMap<String, String> = hazard_category::Entity::find()
        .select_only()
        .columns([hazard_category::Column::Code, hazard_category::Column::Name])
        .into_tuple::<(String, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let today = state.clock.today();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("隐患台账").map_err(|e| xlsx_error(&e))?;
    let bold = Format::new().set_bold();
    for (c, h) in (0_u16..).zip(HEADERS) {
        sheet.write_string_with_format(1, c, h, &bold).map_err(|e| xlsx_error(&e))?;
    }
    let (mut written, mut before, mut cut) = (0_usize, i64::MAX, false);
    loop {
        let lines = chunk(state, user, f, before).await?;
        let Some(last) = lines.last() else { break };
        before = last.id;
        let names = names(db, &lines, &categories).await?;
        for l in &lines {
            if written == MAX_ROWS {
                cut = true;
                break;
            }
            let r = u32::try_from(written + 2).unwrap_or(u32::MAX);
            write_line(sheet, r, l, &names, today).map_err(|e| xlsx_error(&e))?;
            written += 1;
        }
        if cut || lines.len() < usize::try_from(CHUNK).unwrap_or(usize::MAX) {
            break;
        }
    }
    let note = if cut {
        format!(
            "隐患台账（{today} 导出）：符合条件的隐患超过 {MAX_ROWS} 条，只导出了最新的 {MAX_ROWS} 条，请缩小筛选范围后分批导出"
        )
    } else {
        format!("隐患台账（{today} 导出）：共 {written} 条")
    };
    sheet.write_string_with_format(0, 0, note, &bold).map_err(|e| xlsx_error(&e))?;
    sheet.set_column_width(1, 30).map_err(|e| xlsx_error(&e))?;
    sheet.set_column_width(2, 24).map_err(|e| xlsx_error(&e))?;
    sheet.set_column_width(16, 60).map_err(|e| xlsx_error(&e))?;
    book.save_to_buffer().map_err(|e| xlsx_error(&e))
}

/// The ledger as an xlsx workbook, with the list's filters (at most 100,000 rows, newest first; `page` and `per_page` are ignored).
#[utoipa::path(get, path = "/api/v1/hazards/export.xlsx", tag = "hazards", params(HazardFilter),
    responses((status = 200, description = "xlsx workbook"), (status = 422, body = crate::error::ErrorBody)))]
pub async fn export_hazards(
    axum::extract::State(state): axum::extract::State<AppState>,
    user: CurrentUser,
    crate::json::ApiQuery(filter): crate::json::ApiQuery<HazardFilter>,
) -> AppResult<axum::response::Response> {
    // The page and page size select nothing here, but are refused alike when out of range.
    crate::json::PageParams { page: filter.page, per_page: filter.per_page }.resolve()?;
    let bytes = workbook(&state, &user, &filter).await?;
    Ok(crate::xlsx::response(bytes, &format!("隐患台账-{}.xlsx", state.clock.today())))
}
