//! Robust reader for the first worksheet of an uploaded `.xlsx` / `.xls` roster.
//!
//! The format is detected from magic bytes. `.xlsx` sheets are read as a
//! stream of cells (never through the declared `<dimension>`), `.xls` through
//! calamine's range API; both go through the same limits. Row 1 of the result
//! is the first row with any non-empty cell (the header); fully blank rows are
//! skipped and every data row keeps its 1-based Excel row number.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{Data, DataRef, ExcelDateTime, Reader, SheetType, SheetVisible, Xls, Xlsx};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE2_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// Serial number of 9999-12-31 + 1 in the 1900 date system (Excel's upper bound).
const MAX_EXCEL_SERIAL: f64 = 2_958_466.0;
const MS_PER_DAY: f64 = 86_400_000.0;

/// Resource limits applied while reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Maximum size of the uploaded file in bytes.
    pub max_bytes: usize,
    /// Maximum number of non-blank data rows (the header row is not counted).
    pub max_rows: u32,
    /// Maximum number of columns; a non-empty cell at 0-based column `>= max_cols` is rejected.
    pub max_cols: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_bytes: 64 * 1024 * 1024, max_rows: 1_000_000, max_cols: 256 }
    }
}

/// One cell value. Whitespace-only text is read as [`Cell::Empty`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// Text exactly as stored (not trimmed), also error values such as `#N/A`,
    /// time-of-day values (`"08:30:00"`) and durations (`"36:00:00"`).
    Text(String),
    Number(f64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Bool(bool),
}

impl Cell {
    /// Text as a clerk means it: trimmed; a whole Number renders without ".0"
    /// and without exponent (13800138000.0 -> "13800138000", 420103.0 -> "420103");
    /// other numbers with Rust's shortest repr; Bool -> "是"/"否"; Date -> YYYY-MM-DD;
    /// `DateTime` -> `YYYY-MM-DD HH:MM:SS`; Empty or whitespace-only -> None.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Cell::Empty => None,
            Cell::Text(s) => {
                let t = s.trim();
                (!t.is_empty()).then(|| t.to_owned())
            }
            Cell::Number(n) => Some(format_number(*n)),
            Cell::Date(d) => Some(d.format("%Y-%m-%d").to_string()),
            Cell::DateTime(dt) => Some(dt.format("%Y-%m-%d %H:%M:%S").to_string()),
            Cell::Bool(b) => Some(if *b { "是" } else { "否" }.to_owned()),
        }
    }

    /// A date from a real date cell (also a `DateTime` at midnight), or text
    /// "2027-06-30", "2027/6/30", "2027.6.30", "2027年6月30日"; `Err(())` if present
    /// but not a date, `Ok(None)` if empty.
    #[allow(clippy::result_unit_err)]
    pub fn as_date(&self) -> Result<Option<NaiveDate>, ()> {
        match self {
            Cell::Empty => Ok(None),
            Cell::Date(d) => Ok(Some(*d)),
            Cell::DateTime(dt) if dt.time() == NaiveTime::MIN => Ok(Some(dt.date())),
            Cell::Text(s) if s.trim().is_empty() => Ok(None),
            Cell::Text(s) => parse_text_date(s.trim()).map(Some).ok_or(()),
            Cell::DateTime(_) | Cell::Number(_) | Cell::Bool(_) => Err(()),
        }
    }
}

/// A non-blank data row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based Excel row number.
    pub number: u32,
    /// Cells aligned to [`Sheet::headers`] (same length, padded with [`Cell::Empty`]).
    pub cells: Vec<Cell>,
}

/// The first worksheet of a workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Trimmed header texts. A column with data but no header text gets `""`.
    pub headers: Vec<String>,
    /// Data rows in sheet order, blank rows skipped.
    pub rows: Vec<Row>,
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("文件不是 Excel 工作簿（.xlsx 或 .xls）")]
    NotSpreadsheet,
    #[error("Excel 文件已损坏或无法解析：{0}")]
    Malformed(String),
    #[error("文件超出限制：{0}")]
    TooLarge(String),
    #[error("工作簿中没有工作表")]
    NoSheet,
    #[error("第一个工作表是空的，找不到表头行")]
    NoHeader,
}

impl ReadError {
    /// Stable machine-readable error code.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::NotSpreadsheet => "not_spreadsheet",
            ReadError::Malformed(_) => "malformed_file",
            ReadError::TooLarge(_) => "file_too_large",
            ReadError::NoSheet => "no_sheet",
            ReadError::NoHeader => "no_header",
        }
    }
}

/// Reads the first visible worksheet (falling back to the first worksheet).
pub fn read_first_sheet(bytes: &[u8], limits: &Limits) -> Result<Sheet, ReadError> {
    if bytes.len() > limits.max_bytes {
        return Err(ReadError::TooLarge(format!("文件大小超过上限 {}", human_size(limits.max_bytes))));
    }
    let reader: fn(&[u8], &Limits) -> Result<Sheet, ReadError> = if bytes.starts_with(ZIP_MAGIC) {
        read_xlsx
    } else if bytes.starts_with(OLE2_MAGIC) {
        read_xls
    } else {
        return Err(ReadError::NotSpreadsheet);
    };
    // Defence in depth: a parser bug on hostile input must not take the caller down.
    catch_unwind(AssertUnwindSafe(|| reader(bytes, limits)))
        .unwrap_or_else(|_| Err(ReadError::Malformed("解析器内部错误".to_owned())))
}

fn read_xlsx(bytes: &[u8], limits: &Limits) -> Result<Sheet, ReadError> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| xlsx_error(&e))?;
    let name = pick_sheet(book.sheets_metadata())?;
    let mut cells = book.worksheet_cells_reader(&name).map_err(|e| xlsx_error(&e))?;
    let mut rows = RowCollector::new(limits);
    while let Some(cell) = cells.next_cell().map_err(|e| xlsx_error(&e))? {
        let (row, col) = cell.get_position();
        let value = match cell.get_value() {
            DataRef::SharedString(s) => text_cell(s),
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) if s.trim().is_empty() => {
                Cell::Empty
            }
            DataRef::String(s) | DataRef::DurationIso(s) => Cell::Text(s.clone()),
            DataRef::DateTimeIso(s) => iso_cell(s),
            DataRef::Int(i) => int_cell(*i),
            DataRef::Float(f) => Cell::Number(*f),
            DataRef::Bool(b) => Cell::Bool(*b),
            DataRef::DateTime(dt) => excel_datetime_cell(dt),
            DataRef::Error(e) => Cell::Text(e.to_string()),
            DataRef::Empty => Cell::Empty,
        };
        rows.push(row, col, value)?;
    }
    rows.finish()
}

fn read_xls(bytes: &[u8], limits: &Limits) -> Result<Sheet, ReadError> {
    let mut book: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| xls_error(&e, bytes))?;
    let name = pick_sheet(book.sheets_metadata())?;
    let range = book.worksheet_range(&name).map_err(|e| xls_error(&e, bytes))?;
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut rows = RowCollector::new(limits);
    for (r, c, data) in range.used_cells() {
        let value = match data {
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) if s.trim().is_empty() => Cell::Empty,
            Data::String(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
            Data::DateTimeIso(s) => iso_cell(s),
            Data::Int(i) => int_cell(*i),
            Data::Float(f) => Cell::Number(*f),
            Data::Bool(b) => Cell::Bool(*b),
            Data::DateTime(dt) => excel_datetime_cell(dt),
            Data::Error(e) => Cell::Text(e.to_string()),
            Data::Empty => Cell::Empty,
        };
        let row = u32::try_from(r).ok().and_then(|r| r.checked_add(top));
        let col = u32::try_from(c).ok().and_then(|c| c.checked_add(left));
        let (Some(row), Some(col)) = (row, col) else {
            return Err(ReadError::Malformed("单元格位置超出范围".to_owned()));
        };
        rows.push(row, col, value)?;
    }
    rows.finish()
}

/// First visible worksheet, else first worksheet (chart/macro/dialog sheets are ignored).
/// A workbook listing no sheets at all is broken (Excel always keeps one), e.g. a zip
/// without `xl/workbook.xml`, which calamine silently treats as empty.
fn pick_sheet(sheets: &[calamine::Sheet]) -> Result<String, ReadError> {
    if sheets.is_empty() {
        return Err(ReadError::Malformed("找不到工作表清单（workbook.xml 缺失或为空）".to_owned()));
    }
    let worksheets = || sheets.iter().filter(|s| s.typ == SheetType::WorkSheet);
    worksheets()
        .find(|s| s.visible == SheetVisible::Visible)
        .or_else(|| worksheets().next())
        .map(|s| s.name.clone())
        .ok_or(ReadError::NoSheet)
}

/// Gathers streamed cells into non-blank rows, enforcing the limits.
struct RowCollector<'l> {
    limits: &'l Limits,
    /// Non-blank rows as `(0-based row index, cells)`.
    rows: Vec<(u32, Vec<Cell>)>,
    current_row: u32,
    current: Vec<Cell>,
    /// One past the right-most non-empty column seen so far.
    width: usize,
    in_order: bool,
}

impl<'l> RowCollector<'l> {
    fn new(limits: &'l Limits) -> Self {
        Self { limits, rows: Vec::new(), current_row: 0, current: Vec::new(), width: 0, in_order: true }
    }

    /// Adds a cell at 0-based `(row, col)`; empty cells are ignored.
    fn push(&mut self, row: u32, col: u32, cell: Cell) -> Result<(), ReadError> {
        if matches!(cell, Cell::Empty) {
            return Ok(());
        }
        if col >= self.limits.max_cols {
            return Err(ReadError::TooLarge(format!(
                "列数超过上限 {} 列（第 {} 行第 {} 列有数据）",
                self.limits.max_cols,
                u64::from(row) + 1,
                u64::from(col) + 1
            )));
        }
        if row != self.current_row {
            self.flush()?;
            self.in_order &= row > self.current_row;
            self.current_row = row;
        }
        let col = usize::try_from(col).unwrap_or(usize::MAX - 1);
        if col == self.current.len() {
            self.current.push(cell); // the common, in-order case
        } else {
            if col > self.current.len() {
                self.current.resize(col + 1, Cell::Empty);
            }
            if let Some(slot) = self.current.get_mut(col) {
                *slot = cell;
            }
        }
        self.width = self.width.max(col + 1);
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ReadError> {
        if self.current.is_empty() {
            return Ok(());
        }
        let cells = std::mem::replace(&mut self.current, Vec::with_capacity(self.width));
        self.rows.push((self.current_row, cells));
        // The first stored row is the header, so allow max_rows + 1 in total.
        let max = usize::try_from(self.limits.max_rows).map_or(usize::MAX, |m| m.saturating_add(1));
        if self.rows.len() > max {
            return Err(ReadError::TooLarge(format!("数据行数超过上限 {} 行", self.limits.max_rows)));
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Sheet, ReadError> {
        self.flush()?;
        if !self.in_order {
            merge_unordered_rows(&mut self.rows);
        }
        let width = self.width;
        let mut rows = self.rows.into_iter();
        let (_, header_cells) = rows.next().ok_or(ReadError::NoHeader)?;
        let mut headers: Vec<String> = header_cells.iter().map(|c| c.as_text().unwrap_or_default()).collect();
        headers.resize(width, String::new());
        let rows = rows
            .map(|(index, mut cells)| {
                cells.resize(width, Cell::Empty);
                Row { number: index.saturating_add(1), cells }
            })
            .collect();
        Ok(Sheet { headers, rows })
    }
}

/// Sorts rows that arrived out of order and merges rows sharing an index.
fn merge_unordered_rows(rows: &mut Vec<(u32, Vec<Cell>)>) {
    rows.sort_by_key(|(index, _)| *index);
    let mut merged: Vec<(u32, Vec<Cell>)> = Vec::with_capacity(rows.len());
    for (index, cells) in rows.drain(..) {
        match merged.last_mut() {
            Some((last, target)) if *last == index => {
                if target.len() < cells.len() {
                    target.resize(cells.len(), Cell::Empty);
                }
                for (slot, cell) in target.iter_mut().zip(cells) {
                    if !matches!(cell, Cell::Empty) {
                        *slot = cell;
                    }
                }
            }
            _ => merged.push((index, cells)),
        }
    }
    *rows = merged;
}

fn text_cell(s: &str) -> Cell {
    if s.trim().is_empty() { Cell::Empty } else { Cell::Text(s.to_owned()) }
}

#[allow(clippy::cast_precision_loss)]
fn int_cell(i: i64) -> Cell {
    Cell::Number(i as f64)
}

/// Converts a date/time-formatted serial number using calamine's conversion
/// (which reproduces Excel's 1900 leap-year bug and handles the 1904 system).
fn excel_datetime_cell(dt: &ExcelDateTime) -> Cell {
    let serial = dt.as_f64();
    if dt.is_duration() {
        return Cell::Text(format_duration(serial));
    }
    if !(0.0..MAX_EXCEL_SERIAL).contains(&serial) {
        return Cell::Number(serial);
    }
    let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
    let time = NaiveTime::from_hms_milli_opt(h.into(), mi.into(), s.into(), ms.into());
    if serial < 1.0 {
        // A time of day without a date (format like "hh:mm").
        return time.map_or(Cell::Number(serial), |t| Cell::Text(t.format("%H:%M:%S").to_string()));
    }
    match (NaiveDate::from_ymd_opt(y.into(), mo.into(), d.into()), time) {
        (Some(date), Some(NaiveTime::MIN)) => Cell::Date(date),
        (Some(date), Some(time)) => Cell::DateTime(date.and_time(time)),
        // 1900-02-29 (Excel's phantom leap day) or a conversion glitch.
        _ => Cell::Number(serial),
    }
}

/// Parses an ISO 8601 date or date-time written with `t="d"`.
fn iso_cell(s: &str) -> Cell {
    let t = s.trim();
    if let Ok(date) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Cell::Date(date);
    }
    match NaiveDateTime::parse_from_str(t.trim_end_matches('Z'), "%Y-%m-%dT%H:%M:%S%.f") {
        Ok(dt) if dt.time() == NaiveTime::MIN => Cell::Date(dt.date()),
        Ok(dt) => Cell::DateTime(dt),
        Err(_) => Cell::Text(s.to_owned()),
    }
}

/// Renders a duration (in days) like Excel's `[h]:mm:ss`.
#[allow(clippy::cast_possible_truncation)]
fn format_duration(days: f64) -> String {
    let ms = (days * MS_PER_DAY).round() as i64; // `as` saturates; never panics.
    let sign = if ms < 0 { "-" } else { "" };
    let secs = ms.unsigned_abs() / 1000;
    format!("{sign}{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// `Display` for `f64` never uses an exponent and drops ".0" from whole numbers.
fn format_number(n: f64) -> String {
    if n == 0.0 { "0".to_owned() } else { n.to_string() }
}

/// Parses "2027-06-30", "2027/6/30", "2027.6.30" or "2027年6月30日".
fn parse_text_date(s: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = if let Some(rest) = s.strip_suffix('日') {
        let (y, rest) = rest.split_once('年')?;
        let (m, d) = rest.split_once('月')?;
        vec![y.trim(), m.trim(), d.trim()]
    } else {
        let sep = s.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
        s.split(sep).collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let digits =
        |p: &str, min: usize, max: usize| (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4, 4) && digits(m, 1, 2) && digits(d, 1, 2)) {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn human_size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{bytes} 字节")
    }
}

fn xlsx_error(e: &calamine::XlsxError) -> ReadError {
    use calamine::XlsxError as E;
    let what = match e {
        E::Password => {
            return ReadError::Malformed("工作簿设置了密码，请取消密码后重新上传".to_owned());
        }
        E::Zip(_) | E::Io(_) => "压缩包结构损坏",
        E::Xml(_) | E::XmlAttr(_) | E::XmlEof(_) => "XML 内容损坏",
        E::FileNotFound(_) | E::RelationshipNotFound | E::WorksheetNotFound(_) => "缺少必要的组成部分",
        _ => "内容不符合 xlsx 格式",
    };
    malformed(what, e)
}

fn xls_error(e: &calamine::XlsError, bytes: &[u8]) -> ReadError {
    if matches!(e, calamine::XlsError::Password) || is_encrypted_ooxml(bytes) {
        return ReadError::Malformed("工作簿设置了密码，请取消密码后重新上传".to_owned());
    }
    malformed("内容不符合 xls 格式", e)
}

/// Password-protected .xlsx files are OLE2 containers with an `EncryptedPackage` stream.
fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

fn malformed(what: &str, detail: &dyn std::fmt::Display) -> ReadError {
    let detail: String = detail.to_string().chars().take(160).collect();
    ReadError::Malformed(format!("{what}（{detail}）"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp, clippy::cast_possible_truncation)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{ExcelDateTime as WDate, Format, Workbook, Worksheet};
    use std::sync::atomic::{AtomicUsize, Ordering};

    static COUNTER: AtomicUsize = AtomicUsize::new(0);

    /// Builds a real .xlsx with `rust_xlsxwriter`, saves it to a temp path and reads the bytes back.
    fn xlsx(build: impl FnOnce(&mut Workbook)) -> Vec<u8> {
        let mut wb = Workbook::new();
        build(&mut wb);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("anjian-read-{}-{n}.xlsx", std::process::id()));
        wb.save(&path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::remove_file(&path).ok();
        bytes
    }

    fn one_sheet(build: impl FnOnce(&mut Worksheet)) -> Vec<u8> {
        xlsx(|wb| build(wb.add_worksheet()))
    }

    fn read(bytes: &[u8]) -> Result<Sheet, ReadError> {
        read_first_sheet(bytes, &Limits::default())
    }

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    #[test]
    fn headers_in_any_order_and_numbers_vs_text() {
        let bytes = one_sheet(|ws| {
            for (c, h) in [" 联系电话 ", "企业名称", "统一社会信用代码", "行政区划", "在册"].iter().enumerate()
            {
                ws.write_string(0, c as u16, *h).unwrap();
            }
            ws.write_number(1, 0, 13_800_138_000.0).unwrap();
            ws.write_string(1, 1, "  武汉某某有限公司 ").unwrap();
            ws.write_string(1, 2, "91420100MA4K0000XY").unwrap();
            ws.write_number(1, 3, 420_103.0).unwrap();
            ws.write_boolean(1, 4, true).unwrap();
            ws.write_string(2, 0, "13800138000").unwrap();
            ws.write_number(2, 2, 12.5).unwrap();
            ws.write_string(2, 3, "420103").unwrap();
            ws.write_boolean(2, 4, false).unwrap();
        });
        let sheet = read(&bytes).unwrap();
        assert_eq!(sheet.headers, ["联系电话", "企业名称", "统一社会信用代码", "行政区划", "在册"]);
        assert_eq!(sheet.rows.len(), 2);
        let r = &sheet.rows[0];
        assert_eq!(r.number, 2);
        assert_eq!(r.cells[0], Cell::Number(13_800_138_000.0));
        assert_eq!(r.cells[0].as_text().as_deref(), Some("13800138000"));
        assert_eq!(r.cells[1].as_text().as_deref(), Some("武汉某某有限公司"));
        assert_eq!(r.cells[2], text("91420100MA4K0000XY"));
        assert_eq!(r.cells[3].as_text().as_deref(), Some("420103"));
        assert_eq!(r.cells[4].as_text().as_deref(), Some("是"));
        let r = &sheet.rows[1];
        assert_eq!(r.number, 3);
        assert_eq!(r.cells[0], text("13800138000"));
        assert_eq!(r.cells[1], Cell::Empty);
        assert_eq!(r.cells[2].as_text().as_deref(), Some("12.5"));
        assert_eq!(r.cells[3], text("420103"));
        assert_eq!(r.cells[4].as_text().as_deref(), Some("否"));
    }

    #[test]
    fn real_and_text_dates() {
        let bytes = one_sheet(|ws| {
            let day = Format::new().set_num_format("yyyy-mm-dd");
            let stamp = Format::new().set_num_format("yyyy-mm-dd hh:mm");
            let clock = Format::new().set_num_format("hh:mm");
            ws.write_string(0, 0, "有效期").unwrap();
            let d = WDate::from_ymd(2027, 6, 30).unwrap();
            ws.write_datetime_with_format(1, 0, &d, &day).unwrap();
            let t = WDate::from_ymd(2027, 6, 30).unwrap().and_hms(8, 30, 0).unwrap();
            ws.write_datetime_with_format(2, 0, &t, &stamp).unwrap();
            ws.write_datetime_with_format(3, 0, &d, &stamp).unwrap();
            ws.write_datetime_with_format(4, 0, WDate::from_hms(8, 30, 0).unwrap(), &clock).unwrap();
            for (i, s) in
                ["2027-06-30", "2027/6/30", "2027.6.30", " 2027年6月30日 ", "2027-13-01", "明天"].iter().enumerate()
            {
                ws.write_string(5 + i as u32, 0, *s).unwrap();
            }
            ws.write_number(11, 0, 46_568.0).unwrap();
        });
        let sheet = read(&bytes).unwrap();
        let want = NaiveDate::from_ymd_opt(2027, 6, 30).unwrap();
        let cells: Vec<&Cell> = sheet.rows.iter().map(|r| &r.cells[0]).collect();
        assert_eq!(*cells[0], Cell::Date(want));
        assert_eq!(cells[0].as_text().as_deref(), Some("2027-06-30"));
        assert_eq!(*cells[1], Cell::DateTime(want.and_hms_opt(8, 30, 0).unwrap()));
        assert_eq!(cells[1].as_date(), Err(()));
        assert_eq!(*cells[2], Cell::Date(want));
        assert_eq!(*cells[3], text("08:30:00"));
        for cell in &cells[4..8] {
            assert_eq!(cell.as_date(), Ok(Some(want)), "{cell:?}");
        }
        assert_eq!(cells[8].as_date(), Err(()));
        assert_eq!(cells[9].as_date(), Err(()));
        assert_eq!(cells[10].as_date(), Err(()));
        assert_eq!(Cell::Empty.as_date(), Ok(None));
        assert_eq!(text("  ").as_date(), Ok(None));
    }

    #[test]
    fn blank_rows_skipped_and_excel_row_numbers_kept() {
        let bytes = one_sheet(|ws| {
            ws.write_string(2, 1, "姓名").unwrap(); // header on Excel row 3, column B
            ws.write_string(3, 1, "张三").unwrap();
            ws.write_string(4, 1, "李四").unwrap();
            ws.write_string(5, 1, "   ").unwrap(); // whitespace only: blank
            ws.write_string(6, 2, "王五").unwrap(); // data without header
        });
        let sheet = read(&bytes).unwrap();
        assert_eq!(sheet.headers, ["", "姓名", ""]);
        let numbers: Vec<u32> = sheet.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [4, 5, 7]);
        assert!(sheet.rows.iter().all(|r| r.cells.len() == 3));
        assert_eq!(sheet.rows[2].cells[2], text("王五"));

        let bytes = one_sheet(|ws| {
            ws.write_string(0, 0, "名称").unwrap();
            ws.write_string(1, 0, "甲").unwrap();
            ws.write_string(2, 0, "乙").unwrap();
            ws.write_string(4, 0, "丙").unwrap();
        });
        let numbers: Vec<u32> = read(&bytes).unwrap().rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [2, 3, 5]);
    }

    #[test]
    fn header_only_and_empty_sheets() {
        let sheet = read(&one_sheet(|ws| {
            ws.write_string(0, 0, "A").unwrap();
        }))
        .unwrap();
        assert_eq!((sheet.headers.len(), sheet.rows.len()), (1, 0));
        let err = read(&one_sheet(|ws| {
            ws.write_string(0, 0, "  ").unwrap();
        }))
        .unwrap_err();
        assert!(matches!(err, ReadError::NoHeader), "{err:?}");
        assert_eq!(err.code(), "no_header");
    }

    #[test]
    fn twenty_thousand_rows() {
        let bytes = one_sheet(|ws| {
            ws.write_string(0, 0, "序号").unwrap();
            ws.write_string(0, 1, "名称").unwrap();
            for i in 1..=20_000u32 {
                ws.write_number(i, 0, f64::from(i)).unwrap();
                ws.write_string(i, 1, format!("企业{i}")).unwrap();
            }
        });
        let sheet = read(&bytes).unwrap();
        assert_eq!(sheet.rows.len(), 20_000);
        for (i, row) in sheet.rows.iter().enumerate() {
            let i = i as u32 + 1;
            assert_eq!(row.number, i + 1);
            assert_eq!(row.cells[0].as_text(), Some(i.to_string()));
            assert_eq!(row.cells[1].as_text(), Some(format!("企业{i}")));
        }
    }

    #[test]
    fn limits_on_columns_rows_and_bytes() {
        let bytes = one_sheet(|ws| {
            ws.write_string(0, 0, "A").unwrap();
            ws.write_string(5, 299, "far away").unwrap();
        });
        let err = read(&bytes).unwrap_err();
        assert!(matches!(&err, ReadError::TooLarge(m) if m.contains("256")), "{err}");
        assert_eq!(err.code(), "file_too_large");

        let bytes = one_sheet(|ws| {
            for r in 0..=10 {
                ws.write_number(r, 0, f64::from(r)).unwrap();
            }
        });
        let limits = |max_rows| Limits { max_rows, ..Limits::default() };
        assert_eq!(read_first_sheet(&bytes, &limits(10)).unwrap().rows.len(), 10);
        let err = read_first_sheet(&bytes, &limits(9)).unwrap_err();
        assert!(matches!(&err, ReadError::TooLarge(m) if m.contains('9')), "{err}");
        let small = Limits { max_bytes: 100, ..Limits::default() };
        assert!(matches!(read_first_sheet(&bytes, &small), Err(ReadError::TooLarge(_))));
    }

    #[test]
    fn huge_declared_dimension_is_not_allocated() {
        // A styled blank cell at XFD1048576 makes the <dimension> claim the whole grid.
        let bytes = one_sheet(|ws| {
            ws.write_string(0, 0, "名称").unwrap();
            ws.write_string(1, 0, "甲").unwrap();
            ws.write_blank(1_048_575, 16_383, &Format::new().set_bold()).unwrap();
        });
        let sheet = read(&bytes).unwrap();
        assert_eq!(sheet.headers, ["名称"]);
        assert_eq!(sheet.rows.len(), 1);
    }

    #[test]
    fn first_visible_worksheet_is_read() {
        let bytes = xlsx(|wb| {
            let hidden = wb.add_worksheet();
            hidden.write_string(0, 0, "下拉选项").unwrap();
            hidden.set_hidden(true);
            wb.add_worksheet().write_string(0, 0, "企业名称").unwrap();
            wb.worksheet_from_index(1).unwrap().set_active(true);
        });
        assert_eq!(read(&bytes).unwrap().headers, ["企业名称"]);
    }

    #[test]
    fn garbage_inputs_are_rejected_without_panicking() {
        let valid = one_sheet(|ws| {
            ws.write_string(0, 0, "名称").unwrap();
            ws.write_string(1, 0, "甲").unwrap();
        });
        let not_sheet: [&[u8]; 5] = [
            b"",
            &[0x13, 0x37, 0x42],
            "名称,电话\n甲,1\n".as_bytes(),
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
            &OLE2_MAGIC[..4],
        ];
        for input in not_sheet {
            let err = read(input).unwrap_err();
            assert!(matches!(err, ReadError::NotSpreadsheet), "{input:?}: {err:?}");
            assert_eq!(err.code(), "not_spreadsheet");
        }
        let mut pk_garbage = ZIP_MAGIC.to_vec();
        pk_garbage.extend((0..500u32).map(|i| (i * 7919 % 251) as u8));
        let mut ole_garbage = OLE2_MAGIC.to_vec();
        ole_garbage.extend([0u8; 600]);
        let no_workbook = replace_all(&valid, b"xl/workbook.xml", b"xl/workbooq.xml");
        for input in [&valid[..valid.len() / 2], &pk_garbage, &ole_garbage, &no_workbook, ZIP_MAGIC] {
            let err = read(input).unwrap_err();
            assert!(matches!(err, ReadError::Malformed(_)), "{err:?}");
            assert_eq!(err.code(), "malformed_file");
        }
        // Truncation at every 1/16th must never panic.
        for i in 1..16 {
            assert!(read(&valid[..valid.len() * i / 16]).is_err());
        }
    }

    fn replace_all(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
        let mut out = haystack.to_vec();
        let mut i = 0;
        while i + from.len() <= out.len() {
            if &out[i..i + from.len()] == from {
                out[i..i + from.len()].copy_from_slice(to);
            }
            i += 1;
        }
        out
    }

    // ---- Hand-written packages for XML shapes rust_xlsxwriter never produces. ----

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    /// A zip archive with uncompressed ("stored") entries.
    fn stored_zip(entries: &[(&str, &str)]) -> Vec<u8> {
        let (mut out, mut central) = (Vec::new(), Vec::new());
        for (name, data) in entries {
            let (crc, len, offset) = (crc32(data.as_bytes()), data.len() as u32, out.len() as u32);
            let common = |v: &mut Vec<u8>| {
                v.extend([20, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // version, flags, stored, time, date
                v.extend(crc.to_le_bytes());
                v.extend(len.to_le_bytes());
                v.extend(len.to_le_bytes());
                v.extend((name.len() as u16).to_le_bytes());
                v.extend([0, 0]); // extra length
            };
            out.extend(b"PK\x03\x04");
            common(&mut out);
            out.extend(name.as_bytes());
            out.extend(data.as_bytes());
            central.extend(b"PK\x01\x02\x14\x00");
            common(&mut central);
            central.extend([0u8; 10]); // comment len, disk, internal attrs, external attrs
            central.extend(offset.to_le_bytes());
            central.extend(name.as_bytes());
        }
        let (cd_offset, cd_len, n) = (out.len() as u32, central.len() as u32, entries.len() as u16);
        out.extend(central);
        out.extend(b"PK\x05\x06\0\0\0\0");
        out.extend(n.to_le_bytes());
        out.extend(n.to_le_bytes());
        out.extend(cd_len.to_le_bytes());
        out.extend(cd_offset.to_le_bytes());
        out.extend([0, 0]);
        out
    }

    const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    fn handmade(sheet_data: &str) -> Vec<u8> {
        let workbook = format!(
            r#"<?xml version="1.0"?><workbook xmlns="{MAIN_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#
        );
        let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
        let sheet = format!(
            r#"<?xml version="1.0"?><worksheet xmlns="{MAIN_NS}"><dimension ref="A1:XFD1048576"/><sheetData>{sheet_data}</sheetData></worksheet>"#
        );
        let root = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
        stored_zip(&[
            ("_rels/.rels", root),
            ("xl/workbook.xml", &workbook),
            ("xl/_rels/workbook.xml.rels", rels),
            ("xl/worksheets/sheet1.xml", &sheet),
        ])
    }

    #[test]
    fn handmade_cells_errors_inline_strings_and_unordered_rows() {
        let bytes = handmade(concat!(
            r#"<row r="1"><c r="B1" t="inlineStr"><is><t>电话</t></is></c><c r="A1" t="inlineStr"><is><t>名称</t></is></c></row>"#,
            r#"<row r="3"><c r="A3" t="e"><v>#N/A</v></c><c r="B3" t="d"><v>2027-06-30T00:00:00</v></c></row>"#,
            r#"<row r="2"><c r="A2" t="str"><v>甲&amp;乙</v></c><c r="B2"><v>1.5E+3</v></c></row>"#,
            r#"<row r="3"><c r="C3" t="b"><v>1</v></c></row>"#,
        ));
        let sheet = read(&bytes).unwrap();
        assert_eq!(sheet.headers, ["名称", "电话", ""]);
        assert_eq!(sheet.rows.len(), 2);
        assert_eq!(sheet.rows[0].number, 2);
        assert_eq!(sheet.rows[0].cells, [text("甲&乙"), Cell::Number(1500.0), Cell::Empty]);
        assert_eq!(sheet.rows[0].cells[1].as_text().as_deref(), Some("1500"));
        let date = NaiveDate::from_ymd_opt(2027, 6, 30).unwrap();
        assert_eq!(sheet.rows[1].cells, [text("#N/A"), Cell::Date(date), Cell::Bool(true)]);
    }

    #[test]
    fn handmade_broken_xml_is_malformed() {
        for data in [
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c></row><row r="2"><c r="A2"><v>1"#,
            r#"<row r="1"><c r="A1" t="s"><v>7</v></c></row>"#,
            r#"<row r="1"><c r="A1" t="zz"><v>7</v></c></row>"#,
            r#"<row r="1"><c r="1A"><v>7</v></c></row>"#,
        ] {
            let err = read(&handmade(data)).unwrap_err();
            eprintln!("{err}");
            assert!(matches!(err, ReadError::Malformed(_)), "{data}: {err:?}");
        }
    }

    #[test]
    fn as_text_rendering() {
        assert_eq!(Cell::Number(13_800_138_000.0).as_text().unwrap(), "13800138000");
        assert_eq!(Cell::Number(420_103.0).as_text().unwrap(), "420103");
        assert_eq!(Cell::Number(1e20).as_text().unwrap(), "100000000000000000000");
        assert_eq!(Cell::Number(-0.0).as_text().unwrap(), "0");
        assert_eq!(Cell::Number(0.1).as_text().unwrap(), "0.1");
        assert_eq!(Cell::Number(-2.5).as_text().unwrap(), "-2.5");
        assert_eq!(text("  \t ").as_text(), None);
        assert_eq!(Cell::Empty.as_text(), None);
        assert_eq!(Cell::Bool(false).as_text().unwrap(), "否");
    }

    #[test]
    fn error_messages_are_chinese_and_codes_stable() {
        assert_eq!(ReadError::NotSpreadsheet.to_string(), "文件不是 Excel 工作簿（.xlsx 或 .xls）");
        assert_eq!(ReadError::NoSheet.code(), "no_sheet");
        assert_eq!(ReadError::TooLarge(String::new()).code(), "file_too_large");
        assert!(ReadError::Malformed("x".into()).to_string().contains('x'));
    }
}
