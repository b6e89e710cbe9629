//! The columns of the two workbooks, how a row becomes the API's body, and the
//! committed templates (`anjian gen denominators-template FILE`,
//! `anjian gen indicator-targets-template FILE`): headers, example rows with the
//! region's name filled in, and a sheet of instructions.

use super::sheet::{Col, Reader};
use super::{Input, Kind};
use crate::indicator::inputs::json::{DenominatorInput, TargetInput};
use chrono::NaiveDate;
use rust_xlsxwriter::{DocProperties, Format, Workbook, XlsxError};

pub const REGION: &str = "地区代码";
pub const REGION_NAME: &str = "地区名称";
pub const YEAR: &str = "年份";
pub const GDP: &str = "地区生产总值";
pub const WORKERS: &str = "工矿商贸就业人员";
pub const SOURCE: &str = "来源";
pub const INDICATOR: &str = "指标";
pub const PLAN: &str = "规划名称";
pub const VALUE: &str = "目标值";
pub const CHANGE: &str = "变化幅度";
pub const BASE_YEAR: &str = "基期年份";
pub const LINE: &str = "出处";
pub const BINDING: &str = "约束性";

const fn col(name: &'static str, field: &'static str, width: u16, hint: &'static str, required: bool) -> Col {
    Col { name, field, width, hint, required }
}

/// `imports/denominators.xlsx` (the column names are a contract).
pub const DENOMINATOR_COLUMNS: [Col; 6] = [
    col(REGION, "region_code", 10, "", true),
    col(REGION_NAME, "", 16, "", false),
    col(YEAR, "year", 8, "", true),
    col(GDP, "gdp_100m_yuan", 20, "亿元", true),
    col(WORKERS, "industrial_workers", 22, "人", true),
    col(SOURCE, "source", 36, "", true),
];

/// `imports/indicator-targets.xlsx`.
pub const TARGET_COLUMNS: [Col; 10] = [
    col(REGION, "region_code", 10, "", true),
    col(REGION_NAME, "", 16, "", false),
    col(INDICATOR, "indicator", 30, "代码或名称", true),
    col(YEAR, "year", 8, "", true),
    col(PLAN, "plan", 36, "", true),
    col(VALUE, "value", 10, "", true),
    col(CHANGE, "change_percent", 12, "%", true),
    col(BASE_YEAR, "base_year", 10, "", true),
    col(LINE, "line", 24, "", true),
    col(BINDING, "binding", 10, "是/否", true),
];

pub fn columns(kind: Kind) -> &'static [Col] {
    match kind {
        Kind::Denominators => &DENOMINATOR_COLUMNS,
        Kind::Targets => &TARGET_COLUMNS,
    }
}

/// An indicator given by its code or its Chinese name, as its code.
fn indicator_code(text: &str) -> String {
    let data = crate::indicator::rules::data().ok();
    data.and_then(|d| d.indicators.iter().find(|i| i.name == text).map(|i| i.code.clone()))
        .unwrap_or_else(|| text.to_owned())
}

/// A row as the API's body (what could not be read is left empty; its problem is recorded).
pub fn read(kind: Kind, rd: &mut Reader) -> Input {
    let region_code = rd.text(REGION);
    let year = rd.year(YEAR);
    match kind {
        Kind::Denominators => Input::Denominator(DenominatorInput {
            region_code,
            year,
            gdp_100m_yuan: rd.decimal(GDP),
            industrial_workers: rd.whole(WORKERS),
            source: rd.text(SOURCE),
        }),
        Kind::Targets => Input::Target(TargetInput {
            region_code,
            indicator: indicator_code(&rd.text(INDICATOR)),
            year,
            plan: rd.text(PLAN),
            value: rd.decimal(VALUE),
            change_percent: rd.decimal(CHANGE),
            base_year: rd.whole(BASE_YEAR).and_then(|y| i32::try_from(y).ok()),
            line: rd.text(LINE),
            binding: rd.flag(BINDING),
        }),
    }
}

pub fn describe_denominator(d: &DenominatorInput) -> String {
    let mut parts = Vec::new();
    if let Some(g) = d.gdp_100m_yuan {
        parts.push(format!("地区生产总值 {g} 亿元"));
    }
    if let Some(w) = d.industrial_workers {
        parts.push(format!("工矿商贸就业人员 {w} 人"));
    }
    parts.join("；")
}

pub fn describe_target(t: &TargetInput) -> String {
    let what = match (t.value, t.change_percent, t.base_year) {
        (Some(v), _, _) => format!("目标值 {v}"),
        (None, Some(c), Some(b)) => format!("较 {b} 年{}{}%", if c < 0.0 { "下降 " } else { "上升 " }, c.abs()),
        _ => String::new(),
    };
    format!("{what}（{}，{}）", t.plan.trim(), if t.binding { "约束性" } else { "预期性" })
}

fn header(sheet: &mut rust_xlsxwriter::Worksheet, cols: &[Col]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    for (c, col) in (0_u16..).zip(cols) {
        let star = if col.name == REGION_NAME { "" } else { "*" };
        let h = if col.hint.is_empty() {
            format!("{}{star}", col.name)
        } else {
            format!("{}{star}（{}）", col.name, col.hint)
        };
        sheet.write_string_with_format(0, c, &h, &bold)?;
        sheet.set_column_width(c, col.width)?;
    }
    sheet.set_column_format(0, &text)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn book() -> Workbook {
    let mut book = Workbook::new();
    let created = NaiveDate::from_ymd_opt(2026, 12, 20).unwrap_or_default();
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    book
}

fn notes(book: &mut Workbook, lines: &[&str]) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet().set_name("填写说明")?;
    for (row, line) in (0_u32..).zip(lines) {
        sheet.write_string(row, 0, *line)?;
    }
    sheet.set_column_width(0, 120)?;
    Ok(())
}

fn name(code: &str) -> &'static str {
    crate::bureau::regions::name(code).unwrap_or("")
}

/// `imports/denominators.xlsx`: the same bytes on every run.
pub fn denominators() -> Result<Vec<u8>, XlsxError> {
    let mut book = book();
    let sheet = book.add_worksheet().set_name("地区基数")?;
    header(sheet, &DENOMINATOR_COLUMNS)?;
    let examples = [("420103", 2020, 1_300.0, 160_000.0), ("420103", 2025, 1_650.0, 165_000.0)];
    for (r, (code, year, gdp, workers)) in (1_u32..).zip(examples) {
        sheet.write_string(r, 0, code)?;
        sheet.write_string(r, 1, name(code))?;
        sheet.write_number(r, 2, year)?;
        sheet.write_number(r, 3, gdp)?;
        sheet.write_number(r, 4, workers)?;
        sheet.write_string(r, 5, "示例数据，请替换为统计公报或统计年鉴的数字")?;
    }
    notes(
        &mut book,
        &[
            "每行一个地区一个年份的基数，用于计算亿元地区生产总值生产安全事故死亡率和工矿商贸就业人员十万人生产安全事故死亡率。整个文件检查通过后才会一次性导入，有任何错误都不写入，所有错误一次列出。",
            "地区代码：6 位行政区划代码，须为本局辖区（本级或下级）；请将该列设为“文本”格式。地区名称仅供阅读，导入时不读取。",
            "年份：2000 到 2100 之间的整数。",
            "地区生产总值（亿元）：大于 0 的数字；工矿商贸就业人员（人）：大于 0 的整数；两项至少填写一项。",
            "来源：必填，如“2020 年江汉区国民经济和社会发展统计公报”。",
            "同一地区、年份在文件中只能出现一次；已录入的会按文件更新，与已录入完全相同的行会跳过，因此同一文件可以放心重复导入。",
            "本表前两行为示例，导入前请替换为实际数字。",
        ],
    )?;
    book.save_to_buffer()
}

/// An example target: (indicator, plan, value, change, base year, line, binding).
type Example = (&'static str, &'static str, Option<f64>, Option<f64>, Option<f64>, &'static str, &'static str);

/// `imports/indicator-targets.xlsx`: the same bytes on every run.
pub fn targets() -> Result<Vec<u8>, XlsxError> {
    let mut book = book();
    let sheet = book.add_worksheet().set_name("本局目标")?;
    header(sheet, &TARGET_COLUMNS)?;
    let plan = "江汉区应急体系建设“十四五”规划";
    let rows: [Example; 2] = [
        ("accident_deaths", plan, None, Some(-15.0), Some(2020.0), "示例：指标表第 1 项", "是"),
        ("安全生产责任保险投保率", plan, Some(100.0), None, None, "示例：指标表第 9 项", "否"),
    ];
    for (r, (indicator, plan, value, change, base, line, binding)) in (1_u32..).zip(rows) {
        sheet.write_string(r, 0, "420103")?;
        sheet.write_string(r, 1, name("420103"))?;
        sheet.write_string(r, 2, indicator)?;
        sheet.write_number(r, 3, 2025)?;
        sheet.write_string(r, 4, plan)?;
        for (c, v) in [(5, value), (6, change), (7, base)] {
            if let Some(v) = v {
                sheet.write_number(r, c, v)?;
            }
        }
        sheet.write_string(r, 8, line)?;
        sheet.write_string(r, 9, binding)?;
    }
    notes(
        &mut book,
        &[
            "每行一项本局自定的指标目标：某地区某年份某项指标。整个文件检查通过后才会一次性导入，有任何错误都不写入，所有错误一次列出。",
            "地区代码：6 位行政区划代码，须为本局辖区（本级或下级）。地区名称仅供阅读，导入时不读取。",
            "指标：指标代码（如 accident_deaths）或指标名称（如 生产安全事故死亡人数），须为驾驶舱已有的指标。",
            "目标值与变化幅度（%）只填一项：填目标值（百分比类指标 0 到 100）；或填变化幅度（如 -15 表示下降 15%）和基期年份（早于目标年份）。",
            "规划名称、出处（规划中的页码、条目）必填；约束性填“是”或“否”（预期性）。",
            "同一地区、指标、年份只保留一项本局目标：已录入的按文件更新，完全相同的行跳过，重复导入不会产生重复目标。本局目标优先于系统内置的规划目标。",
            "本表前两行为示例，导入前请替换为实际目标。",
        ],
    )?;
    book.save_to_buffer()
}
