//! The cockpit as a workbook: the figures against their targets, each indicator's
//! regions below, and the months of the year — every code in Chinese.

use super::view::{IndicatorDetail, IndicatorItem, IndicatorsResponse};
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};
use std::fmt::Write;

fn header(sheet: &mut Worksheet, cols: &[&str]) -> Result<(), XlsxError> {
    for (c, h) in (0_u16..).zip(cols) {
        sheet.write_string(0, c, *h)?;
    }
    Ok(())
}

fn opt(sheet: &mut Worksheet, r: u32, c: u16, v: Option<f64>) -> Result<(), XlsxError> {
    if let Some(v) = v {
        sheet.write_number(r, c, v)?;
    }
    Ok(())
}

/// The target as a line of text: the value, the plan and line, inherited or unverified.
pub fn target_text(i: &IndicatorItem) -> String {
    let Some(t) = &i.target else { return "未设目标".to_owned() };
    let value = match (t.value, t.change_percent) {
        (Some(v), Some(c)) => format!("{v}（较{}年{c:+}%）", t.base_year.unwrap_or(t.year)),
        (Some(v), None) => format!("{v}{}", i.unit.zh()),
        (None, Some(c)) => format!("较{}年{c:+}%（未录入基期值）", t.base_year.unwrap_or(t.year)),
        (None, None) => String::new(),
    };
    let mut s = format!("{value}；{}（{}年，{}）", t.plan, t.year, t.line);
    if let Some(r) = &t.inherited_from {
        let _ = write!(s, "；沿用{}目标", crate::bureau::regions::name(r).unwrap_or(r));
    }
    if !t.verified {
        s.push_str("；未核实");
    }
    s
}

#[allow(clippy::cast_precision_loss)] // counts far below 2^52
pub fn build(o: &IndicatorsResponse, details: &[IndicatorDetail]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("指标")?;
    sheet.write_string(0, 0, format!("{} {}年安全生产指标", o.region_name, o.year))?;
    let as_of = o.as_of.map_or_else(|| "尚未计算".to_owned(), crate::clock::beijing);
    sheet.write_string(1, 0, format!("数据截至：{as_of}"))?;
    for (c, h) in (0_u16..).zip(["指标", "数值", "单位", "分子", "分母", "目标", "状态", "数据来源", "统计口径"])
    {
        sheet.write_string(3, c, h)?;
    }
    for (r, i) in (4_u32..).zip(&o.items) {
        sheet.write_string(r, 0, &i.name)?;
        opt(sheet, r, 1, i.value)?;
        sheet.write_string(r, 2, i.unit.zh())?;
        sheet.write_number(r, 3, i.numerator as f64)?;
        opt(sheet, r, 4, i.denominator)?;
        sheet.write_string(r, 5, target_text(i))?;
        sheet.write_string(r, 6, i.status.zh())?;
        sheet.write_string(r, 7, &i.source)?;
        sheet.write_string(r, 8, &i.counts)?;
    }
    let sheet = book.add_worksheet();
    sheet.set_name("分地区")?;
    header(sheet, &["指标", "地区代码", "地区", "数值", "分子", "分母", "目标", "状态"])?;
    let mut r = 1_u32;
    for d in details {
        for x in &d.regions {
            sheet.write_string(r, 0, &d.item.name)?;
            sheet.write_string(r, 1, &x.region_code)?;
            sheet.write_string(r, 2, &x.name)?;
            opt(sheet, r, 3, x.value)?;
            sheet.write_number(r, 4, x.numerator as f64)?;
            opt(sheet, r, 5, x.denominator)?;
            opt(sheet, r, 6, x.target)?;
            sheet.write_string(r, 7, x.status.zh())?;
            r += 1;
        }
    }
    let sheet = book.add_worksheet();
    sheet.set_name("逐月")?;
    header(sheet, &["指标", "月份", "数值（1月至当月累计）", "分子", "分母"])?;
    let mut r = 1_u32;
    for d in details {
        for m in &d.months {
            sheet.write_string(r, 0, &d.item.name)?;
            sheet.write_string(r, 1, format!("{}月", m.month))?;
            opt(sheet, r, 2, m.value)?;
            sheet.write_number(r, 3, m.numerator as f64)?;
            opt(sheet, r, 4, m.denominator)?;
            r += 1;
        }
    }
    book.save_to_buffer()
}
