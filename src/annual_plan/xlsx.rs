//! The coverage as a workbook in Chinese: 概况, 重点检查, 随机抽查, 月度进度.

use super::coverage::CoverageResponse;
use crate::entities::annual_plan as plan;
use crate::limits::cell;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

fn header(sheet: &mut Worksheet, names: &[&str]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (c, n) in (0_u16..).zip(names) {
        sheet.write_string_with_format(0, c, *n, &bold)?;
        sheet.set_column_width(c, 16)?;
    }
    Ok(())
}

#[allow(clippy::cast_precision_loss)]
fn overview(book: &mut Workbook, p: &plan::Model, bureau: &str, c: &CoverageResponse) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet();
    sheet.set_name("概况")?;
    header(sheet, &["项目", "数值"])?;
    sheet.set_column_width(0, 28)?;
    let rows: [(&str, String); 9] = [
        ("单位", bureau.to_owned()),
        ("年度", p.year.to_string()),
        ("计划版本", format!("第 {} 版（{}）", p.revision, p.status.zh())),
        ("重点检查企业（家）", c.key_planned.to_string()),
        ("重点检查已检查（家）", c.key_inspected.to_string()),
        ("随机抽查计划（家）", c.random.iter().map(|t| t.planned).sum::<u64>().to_string()),
        ("已完成检查（家次）", c.completed_inspections.to_string()),
        ("执法能力（执法工作日）", c.capacity_days.to_string()),
        ("已用执法工作日", c.used_days.to_string()),
    ];
    for (r, (k, v)) in (1_u32..).zip(rows.iter()) {
        sheet.write_string(r, 0, *k)?;
        sheet.write_string(r, 1, cell(v))?;
    }
    Ok(())
}

fn keys(book: &mut Workbook, c: &CoverageResponse) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet();
    sheet.set_name("重点检查")?;
    header(sheet, &["企业名称", "统一社会信用代码", "是否已检查", "最近完成日期"])?;
    sheet.set_column_width(0, 32)?;
    sheet.set_column_width(1, 22)?;
    for (r, k) in (1_u32..).zip(&c.key_enterprises) {
        sheet.write_string(r, 0, cell(&k.enterprise.name))?;
        sheet.write_string(r, 1, cell(&k.enterprise.credit_code))?;
        sheet.write_string(r, 2, if k.inspected { "已检查" } else { "未检查" })?;
        sheet.write_string(r, 3, k.last_completed_on.map(|d| d.to_string()).unwrap_or_default())?;
    }
    Ok(())
}

#[allow(clippy::cast_precision_loss)]
fn random(book: &mut Workbook, c: &CoverageResponse) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet();
    sheet.set_name("随机抽查")?;
    header(sheet, &["行业领域", "监管类别", "计划抽查（家）", "已抽取（家）", "已完成（家）"])?;
    for (r, t) in (1_u32..).zip(&c.random) {
        sheet.write_string(r, 0, t.sector.zh())?;
        sheet.write_string(r, 1, cell(&t.class_name))?;
        sheet.write_number(r, 2, t.planned as f64)?;
        sheet.write_number(r, 3, t.drawn as f64)?;
        sheet.write_number(r, 4, t.completed as f64)?;
    }
    Ok(())
}

#[allow(clippy::cast_precision_loss)]
fn months(book: &mut Workbook, c: &CoverageResponse) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet();
    sheet.set_name("月度进度")?;
    header(sheet, &["月份", "计划检查（家次）", "已完成（家次）"])?;
    for (r, m) in (1_u32..).zip(&c.monthly) {
        sheet.write_string(r, 0, format!("{}月", m.month))?;
        sheet.write_number(r, 1, f64::from(m.planned))?;
        sheet.write_number(r, 2, m.completed as f64)?;
    }
    Ok(())
}

/// The coverage workbook.
pub fn workbook(p: &plan::Model, bureau: &str, c: &CoverageResponse) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    overview(&mut book, p, bureau, c)?;
    keys(&mut book, c)?;
    random(&mut book, c)?;
    months(&mut book, c)?;
    book.save_to_buffer()
}
