//! The cells of one worksheet part, streamed from `<sheetData>` into the row
//! collector: positions from `r` (or counted, when a writer leaves them out),
//! values by the cell type `t` and, for numbers, the style's number format.

use super::strings::{SharedStrings, rich_text, unescape_x};
use super::styles::Kind;
use super::xml::{Xml, is};
use crate::xlsx::cell::{excel_datetime_cell, iso_cell, text_cell};
use crate::xlsx::read::{Cell, ReadError};
use crate::xlsx::rows::RowCollector;
use calamine::{ExcelDateTime, ExcelDateTimeType};
use quick_xml::events::{BytesStart, Event};
use std::io::Read;

/// Excel's grid: 1,048,576 rows by 16,384 columns.
const MAX_ROW: u32 = 1_048_576;
const MAX_COL: u32 = 16_384;

pub struct Context<'a> {
    pub strings: &'a SharedStrings,
    pub styles: &'a [Kind],
    pub date1904: bool,
}

/// The cell type attribute `t`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    Number,
    Shared,
    Formula,
    Inline,
    Bool,
    Error,
    Date,
}

/// What a `<c>` start tag says, copied out of the parser's buffer.
struct CellTag {
    at: Option<(u32, u32)>,
    style: usize,
    typ: Option<Type>,
}

/// `"AB12"` → 0-based (row 11, column 27).
pub fn parse_ref(r: &str) -> Option<(u32, u32)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let col = letters.bytes().fold(0u32, |n, b| n * 26 + u32::from(b - b'A') + 1);
    let row = parse_row(digits)?;
    (col <= MAX_COL).then_some((row, col - 1))
}

/// A 1-based row number → 0-based index.
fn parse_row(digits: &str) -> Option<u32> {
    if digits.is_empty() || digits.len() > 7 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = digits.parse().ok()?;
    (1..=MAX_ROW).contains(&n).then(|| n - 1)
}

fn cell_tag(e: &BytesStart<'_>) -> Result<CellTag, String> {
    let mut tag = CellTag { at: None, style: 0, typ: None };
    let mut attrs = e.attributes();
    attrs.with_checks(false);
    for a in attrs.flatten() {
        let v = a.value.as_ref();
        match a.key.local_name().as_ref() {
            "r" => tag.at = Some(parse_ref(v).ok_or_else(|| format!("单元格位置“{}”无效", short(v)))?),
            "s" => tag.style = v.trim().parse().unwrap_or(0),
            "t" => {
                tag.typ = Some(match v {
                    "n" => Type::Number,
                    "s" => Type::Shared,
                    "str" => Type::Formula,
                    "inlineStr" => Type::Inline,
                    "b" => Type::Bool,
                    "e" => Type::Error,
                    "d" => Type::Date,
                    other => return Err(format!("未知的单元格类型“{}”", short(other))),
                });
            }
            _ => {}
        }
    }
    Ok(tag)
}

fn short(s: &str) -> String {
    s.chars().take(16).collect()
}

/// Streams the cells of the worksheet into `rows`.
pub fn read_cells<R: Read>(xml: &mut Xml<R>, ctx: &Context<'_>, rows: &mut RowCollector) -> Result<(), ReadError> {
    loop {
        match xml.next()? {
            Event::Start(e) if is(&e, "sheetData") => break,
            Event::Eof => return Ok(()), // no cells at all
            _ => {}
        }
    }
    let (mut row, mut col) = (0u32, 0u32);
    loop {
        let tag = match xml.next()? {
            Event::Start(e) if is(&e, "row") => {
                if let Some(r) = super::xml::attr(&e, "r") {
                    row = parse_row(r.trim()).ok_or_else(|| xml.malformed(&format!("行号“{}”无效", short(&r))))?;
                }
                col = 0;
                continue;
            }
            Event::End(e) if e.local_name().as_ref() == "row" => {
                row = row.saturating_add(1).min(MAX_ROW);
                col = 0;
                continue;
            }
            Event::Start(e) if is(&e, "c") => cell_tag(&e),
            Event::End(e) if e.local_name().as_ref() == "sheetData" => return Ok(()),
            Event::Eof => return Err(xml.malformed("sheetData 没有结束")),
            _ => continue,
        };
        let tag = tag.map_err(|m| xml.malformed(&m))?;
        let (r, c) = tag.at.unwrap_or((row, col));
        col = c.saturating_add(1);
        let cell = read_cell(xml, ctx, &tag)?;
        rows.push(r, c, cell)?;
    }
}

/// Reads the children of the `<c>` just started and makes its value.
fn read_cell<R: Read>(xml: &mut Xml<R>, ctx: &Context<'_>, tag: &CellTag) -> Result<Cell, ReadError> {
    let (mut value, mut inline) = (None, None);
    loop {
        match xml.next()? {
            Event::Start(e) if is(&e, "v") => value = Some(xml.text()?),
            Event::Start(e) if is(&e, "is") => inline = Some(rich_text(xml)?),
            Event::Start(_) => xml.skip()?, // formulas and extensions
            Event::End(_) => break,
            Event::Eof => return Err(xml.malformed("单元格没有结束")),
            _ => {}
        }
    }
    let v = value.unwrap_or_default();
    let cell = match tag.typ {
        Some(Type::Inline) => inline.map_or(Cell::Empty, text_cell),
        Some(Type::Shared) if v.trim().is_empty() => Cell::Empty,
        Some(Type::Shared) => {
            let text = v.trim().parse::<usize>().ok().and_then(|i| ctx.strings.get(i));
            text_cell(text.ok_or_else(|| xml.malformed(&format!("共享字符串编号“{}”不存在", short(&v))))?.to_owned())
        }
        Some(Type::Formula | Type::Error) => text_cell(unescape_x(v)),
        Some(Type::Date) => iso_cell(v),
        Some(Type::Bool) => match v.trim() {
            "" => Cell::Empty,
            "0" | "false" | "FALSE" => Cell::Bool(false),
            "1" | "true" | "TRUE" => Cell::Bool(true),
            other => return Err(xml.malformed(&format!("布尔值“{}”无效", short(other)))),
        },
        Some(Type::Number) | None => number(xml, ctx, tag, v)?,
    };
    Ok(cell)
}

fn number<R: Read>(xml: &Xml<R>, ctx: &Context<'_>, tag: &CellTag, v: String) -> Result<Cell, ReadError> {
    let t = v.trim();
    if t.is_empty() {
        return Ok(Cell::Empty);
    }
    match t.parse::<f64>() {
        Ok(n) if n.is_finite() => Ok(match ctx.styles.get(tag.style).copied().unwrap_or_default() {
            Kind::Number => Cell::Number(n),
            Kind::Date => excel_datetime_cell(ExcelDateTime::new(n, ExcelDateTimeType::DateTime, ctx.date1904)),
            Kind::Duration => excel_datetime_cell(ExcelDateTime::new(n, ExcelDateTimeType::TimeDelta, ctx.date1904)),
        }),
        // A writer that leaves out `t` may put text in `<v>`.
        _ if tag.typ.is_none() => Ok(text_cell(v)),
        _ => Err(xml.malformed(&format!("数字“{}”无效", short(t)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_parse_within_the_grid() {
        assert_eq!(parse_ref("A1"), Some((0, 0)));
        assert_eq!(parse_ref("AB12"), Some((11, 27)));
        assert_eq!(parse_ref("XFD1048576"), Some((1_048_575, 16_383)));
        for bad in ["1A", "A0", "XFE1", "A1048577", "a1", "AAAA1", "A", "", "A1B", "A99999999999"] {
            assert_eq!(parse_ref(bad), None, "{bad}");
        }
    }
}
