//! Register export in the newest template layout, and the blank template itself.
//! Codes, phone numbers and region codes are written as text so Excel keeps
//! leading zeros and long digits; an exported file imports back unchanged.
//! Text longer than an Excel cell holds (rows stored before the length limits)
//! is cut to fit and ends with `…`, so that the export never fails.

use super::domain::{MajorHazardGrade, SpecialTopic, SubType};
use super::draft::split_codes;
use super::import::SAFETY_LICENCE;
use super::import::columns::{COLUMNS, Field, TEMPLATE_VERSION};
use super::json::{EnterpriseFilter, ExportFilter};
use crate::auth::{CurrentUser, Role};
use crate::entities::{enterprise, licence};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::ApiQuery;
use crate::limits;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use sea_orm::{ConnectionTrait, QueryOrder};
use std::collections::HashMap;

fn xlsx_err(e: XlsxError) -> AppError {
    AppError::Internal(anyhow::Error::new(e).context("xlsx"))
}

fn zh_list<T: std::str::FromStr + Copy>(codes: &str, zh: fn(T) -> &'static str) -> String {
    split_codes(codes).iter().filter_map(|c| c.parse::<T>().ok()).map(zh).collect::<Vec<_>>().join("、")
}

enum Value {
    Text(String),
    Number(f64),
    Date(chrono::NaiveDate),
    Empty,
}

fn text(s: Option<&str>) -> Value {
    s.filter(|s| !s.is_empty()).map_or(Value::Empty, |s| Value::Text(s.to_owned()))
}

fn value(e: &enterprise::Model, lic: Option<&licence::Model>, f: Field) -> Value {
    match f {
        Field::CreditCode => Value::Text(e.credit_code.clone()),
        Field::Name => Value::Text(e.name.clone()),
        Field::Sector => Value::Text(e.sector.zh().to_owned()),
        Field::SubTypes => Value::Text(zh_list(&e.sub_types, SubType::zh)),
        Field::SpecialTopics => text(Some(&zh_list(&e.special_topics, SpecialTopic::zh))),
        Field::Region => Value::Text(e.region_code.clone()),
        Field::Address => text(e.address.as_deref()),
        Field::LegalRepresentative => text(e.legal_representative.as_deref()),
        Field::Principal => text(e.principal.as_deref()),
        Field::Phone => text(e.phone.as_deref()),
        Field::Email => text(e.email.as_deref()),
        Field::Employees => e.employees.map_or(Value::Empty, |n| Value::Number(f64::from(n))),
        Field::AboveDesignatedSize => text(e.above_designated_size.map(|b| if b { "是" } else { "否" })),
        Field::MajorHazardGrade => text(
            e.major_hazard_grade.as_deref().map(|g| g.parse::<MajorHazardGrade>().map_or("无", MajorHazardGrade::zh)),
        ),
        Field::Standardization => Value::Text(e.standardization_grade.zh().to_owned()),
        Field::StandardizationDate => e.standardization_date.map_or(Value::Empty, Value::Date),
        Field::Longitude => e.longitude.map_or(Value::Empty, Value::Number),
        Field::Latitude => e.latitude.map_or(Value::Empty, Value::Number),
        Field::CoordSystem => text(e.longitude.map(|_| "WGS-84")),
        Field::LicenceNumber => text(lic.map(|l| l.number.as_str())),
        Field::LicenceValidTo => lic.and_then(|l| l.valid_to).map_or(Value::Empty, Value::Date),
    }
}

fn header_sheet(book: &mut Workbook) -> Result<&mut Worksheet, XlsxError> {
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name("企业名录")?;
    for (i, c) in (0_u16..).zip(COLUMNS.iter()) {
        sheet.write_string_with_format(0, i, c.header, &bold)?;
        sheet.set_column_width(i, if c.header.chars().count() > 6 { 22 } else { 14 })?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(sheet)
}

fn notes_sheet(book: &mut Workbook) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet().set_name("填写说明")?;
    let lines = [
        format!("模板版本：{TEMPLATE_VERSION}"),
        "必填列：统一社会信用代码、企业名称、行业、细分类别、行政区划代码。列的顺序可以调整，按表头识别。".to_owned(),
        "行业：危险化学品 / 烟花爆竹 / 非煤矿山 / 工贸。".to_owned(),
        "细分类别、涉及专项：可填多个，用顿号“、”分隔。".to_owned(),
        "规模以上：是 / 否；重大危险源等级：一级–四级 或 无；标准化等级：一级 / 二级 / 三级 / 未定级。".to_owned(),
        "日期：2027-06-30 或 2027/6/30，也可用 Excel 日期单元格。".to_owned(),
        "坐标系：WGS-84（默认，与 CGCS2000 相同）或 GCJ-02（高德、腾讯地图拾取的坐标）。".to_owned(),
        "空白单元格不会清空系统中已有的信息；监管主体和经营状态由监管部门维护，导入不会修改。".to_owned(),
    ];
    for (i, line) in (0_u32..).zip(lines.iter()) {
        sheet.write_string(i, 0, line)?;
    }
    sheet.set_column_width(0, 100)?;
    Ok(())
}

/// Builds a workbook; with no rows it is the blank template.
pub fn workbook<S: std::hash::BuildHasher>(
    rows: &[enterprise::Model],
    licences: &HashMap<i64, licence::Model, S>,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = header_sheet(&mut book)?;
    for (r, e) in (1_u32..).zip(rows) {
        for (c, col) in (0_u16..).zip(COLUMNS.iter()) {
            match value(e, licences.get(&e.id), col.field) {
                Value::Text(s) => sheet.write_string(r, c, limits::cell(&s))?,
                Value::Number(n) => sheet.write_number(r, c, n)?,
                Value::Date(d) => sheet.write_datetime_with_format(r, c, d, &date)?,
                Value::Empty => sheet,
            };
        }
    }
    notes_sheet(&mut book)?;
    book.save_to_buffer()
}

/// The latest safety licence of each enterprise.
pub async fn latest_licences<C: ConnectionTrait>(db: &C, ids: &[i64]) -> AppResult<HashMap<i64, licence::Model>> {
    let all = super::detail::licences_of(db, ids, SAFETY_LICENCE).await?;
    Ok(all.into_iter().filter_map(|(id, mut held)| Some((id, held.pop()?))).collect())
}

/// Export the register (same filters as the list, all pages) as the newest template.
#[utoipa::path(get, path = "/api/v1/enterprises/export", tag = "enterprises", params(ExportFilter),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = ErrorBody)))]
pub async fn export_enterprises(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(filter): ApiQuery<ExportFilter>,
) -> AppResult<Response> {
    user.require_any(&[Role::Regulator])?;
    let filter = EnterpriseFilter::from(filter);
    let rows =
        super::list::filtered(&user.scope, &filter)?.order_by_asc(enterprise::Column::Id).all(state.db.conn()).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let licences = latest_licences(state.db.conn(), &ids).await?;
    let bytes = tokio::task::spawn_blocking(move || workbook(&rows, &licences))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(xlsx_err)?;
    Ok(crate::xlsx::response(bytes, &format!("企业名录-{}.xlsx", state.clock.today())))
}
