//! Robust reader for the first worksheet of an uploaded `.xlsx` / `.xls` roster.
//!
//! The format is detected from magic bytes. `.xlsx` sheets are read as a stream of
//! cells (never through the declared `<dimension>`); `.xls` files are first walked by
//! a small structural pre-check (calamine trusts sizes inside them and can be made to
//! abort the process), then read through calamine's range API. The first row with any
//! non-empty cell is the header; blank rows are skipped; rows keep Excel's numbers.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{Data, ExcelDateTime, Reader, SheetType, SheetVisible, Xls, Xlsx};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE2_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// Serial number of 9999-12-31 + 1 in the 1900 date system (Excel's upper bound).
const MAX_EXCEL_SERIAL: f64 = 2_958_466.0;
/// Rows are padded to the widest column, so rows x width is what gets allocated: 32 Mi
/// cells (1 GiB of `Cell`s) covers 1,000,000 rows x 32 columns but stops a few MB of
/// one-cell rows at column IV from claiming 8 GiB.
const MAX_CELLS: usize = 1 << 25;
/// Every text cell owns its string, so one long shared string referenced from many
/// cells is copied many times: the total is capped (a 640,000-row roster of 19
/// columns holds roughly 250 MB of text).
const MAX_TEXT_BYTES: usize = 512 << 20;
const PASSWORD: &str = "工作簿设置了打开密码，请取消密码后重新上传";

/// Resource limits applied while reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Maximum size of the uploaded file in bytes.
    pub max_bytes: usize,
    /// Maximum number of non-blank data rows (the header row is not counted).
    pub max_rows: u32,
    /// A non-empty cell at 0-based column `>= max_cols` is rejected.
    pub max_cols: u32,
}

impl Default for Limits {
    fn default() -> Self {
        let (max_bytes, max_rows, max_cols) = (64 * 1024 * 1024, 1_000_000, 256);
        Self { max_bytes, max_rows, max_cols }
    }
}

/// One cell value. Whitespace-only text is read as [`Cell::Empty`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// Text as stored (untrimmed); also error values (`#N/A`), times of day
    /// (`08:30:00`) and durations (`36:00:00`).
    Text(String),
    Number(f64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Bool(bool),
}

impl Cell {
    /// Text as a clerk means it: trimmed; a whole Number renders without ".0" and
    /// without exponent (13800138000.0 -> "13800138000", 420103.0 -> "420103"); other
    /// numbers with Rust's shortest repr; Bool -> "是"/"否"; Date -> YYYY-MM-DD;
    /// `DateTime` -> `YYYY-MM-DD HH:MM:SS`; Empty or whitespace-only -> None.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Cell::Empty => None,
            Cell::Text(s) => Some(s.trim()).filter(|t| !t.is_empty()).map(str::to_owned),
            // `Display` for f64 never uses an exponent and prints 1.0 as "1".
            Cell::Number(n) if *n == 0.0 => Some("0".to_owned()),
            Cell::Number(n) => Some(n.to_string()),
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

/// The worksheet that was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Trimmed header texts; a column that has data but no header text gets `""`.
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
    #[error("工作簿中没有可读取的工作表")]
    NoSheet,
    #[error("工作表是空的，找不到表头行")]
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

/// Reads the first visible worksheet (or the first worksheet if all are hidden).
pub fn read_first_sheet(bytes: &[u8], limits: &Limits) -> Result<Sheet, ReadError> {
    if bytes.len() > limits.max_bytes {
        let max = limits.max_bytes;
        let limit = if max.is_multiple_of(1 << 20) { format!("{} MiB", max >> 20) } else { format!("{max} 字节") };
        return Err(ReadError::TooLarge(format!("文件大小超过上限 {limit}")));
    }
    let read: fn(&[u8], &Limits) -> Result<Sheet, ReadError> = if bytes.starts_with(ZIP_MAGIC) {
        read_xlsx
    } else if bytes.starts_with(OLE2_MAGIC) {
        read_xls
    } else {
        return Err(ReadError::NotSpreadsheet);
    };
    // Defence in depth: a parser bug on hostile input must not take the caller down.
    catch_unwind(AssertUnwindSafe(|| read(bytes, limits)))
        .unwrap_or_else(|_| Err(ReadError::Malformed("解析器内部错误".to_owned())))
}

fn read_xlsx(bytes: &[u8], limits: &Limits) -> Result<Sheet, ReadError> {
    check_inflated_size(bytes, limits)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| xlsx_error(&e))?;
    let name = pick_sheet(book.sheets_metadata())?;
    let mut cells = book.worksheet_cells_reader(&name).map_err(|e| xlsx_error(&e))?;
    let mut rows = RowCollector::new(limits);
    while let Some(cell) = cells.next_cell().map_err(|e| xlsx_error(&e))? {
        let (row, col) = cell.get_position();
        // Cloning a `DataRef` only copies for inline strings; shared strings are borrowed.
        rows.push(row, col, to_cell(cell.get_value().clone().into()))?;
    }
    rows.finish()
}

fn read_xls(bytes: &[u8], limits: &Limits) -> Result<Sheet, ReadError> {
    let stream = ole_workbook_stream(bytes).ok_or_else(|| {
        let encrypted = is_encrypted_ooxml(bytes); // has no Workbook stream either
        ReadError::Malformed(if encrypted { PASSWORD } else { "xls 文件的容器结构损坏" }.to_owned())
    })?;
    check_biff(&stream)?;
    let mut book: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| xls_error(&e))?;
    let name = pick_sheet(book.sheets_metadata())?;
    let range = book.worksheet_range(&name).map_err(|e| xls_error(&e))?;
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut rows = RowCollector::new(limits);
    for (r, c, data) in range.used_cells() {
        let row = u32::try_from(r).ok().and_then(|r| r.checked_add(top));
        let col = u32::try_from(c).ok().and_then(|c| c.checked_add(left));
        let (Some(row), Some(col)) = (row, col) else {
            return Err(ReadError::Malformed("单元格位置超出范围".to_owned()));
        };
        rows.push(row, col, to_cell(data.clone()))?;
    }
    rows.finish()
}

/// First visible worksheet, else the first worksheet; chart/macro/dialog sheets are
/// skipped. A workbook listing no sheet at all is broken (Excel always keeps one): that
/// is what a zip without `xl/workbook.xml` looks like, which calamine accepts silently.
fn pick_sheet(sheets: &[calamine::Sheet]) -> Result<String, ReadError> {
    if sheets.is_empty() {
        return Err(ReadError::Malformed("找不到工作表清单（workbook.xml 缺失或为空）".to_owned()));
    }
    let worksheets = || sheets.iter().filter(|s| s.typ == SheetType::WorkSheet);
    let sheet = worksheets().find(|s| s.visible == SheetVisible::Visible);
    sheet.or_else(|| worksheets().next()).map(|s| s.name.clone()).ok_or(ReadError::NoSheet)
}

/// Gathers streamed cells into non-blank rows while enforcing the limits.
#[derive(Default)]
struct RowCollector {
    max_rows: u32,
    max_cols: u32,
    max_cells: usize,
    /// Text bytes still allowed (see [`MAX_TEXT_BYTES`]).
    text_budget: usize,
    /// Non-blank rows as `(0-based row index, cells)`; the first one becomes the header.
    rows: Vec<(u32, Vec<Cell>)>,
    current_row: u32,
    current: Vec<Cell>,
    /// One past the right-most non-empty column seen so far.
    width: usize,
    out_of_order: bool,
}

impl RowCollector {
    fn new(limits: &Limits) -> Self {
        let (max_rows, max_cols) = (limits.max_rows, limits.max_cols);
        Self { max_rows, max_cols, max_cells: MAX_CELLS, text_budget: MAX_TEXT_BYTES, ..Self::default() }
    }

    /// Adds a cell at 0-based `(row, col)`; empty cells are ignored.
    fn push(&mut self, row: u32, col: u32, cell: Cell) -> Result<(), ReadError> {
        if cell == Cell::Empty {
            return Ok(());
        }
        if col >= self.max_cols {
            return Err(ReadError::TooLarge(format!(
                "列数超过上限 {} 列（第 {} 行第 {} 列有内容）",
                self.max_cols,
                u64::from(row) + 1,
                u64::from(col) + 1
            )));
        }
        if let Cell::Text(s) = &cell {
            self.text_budget = self
                .text_budget
                .checked_sub(s.len())
                .ok_or_else(|| ReadError::TooLarge(format!("文字内容总量超过上限 {} MiB", MAX_TEXT_BYTES >> 20)))?;
        }
        if row != self.current_row {
            self.flush()?;
            self.out_of_order |= row < self.current_row;
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
        // The first stored row is the header.
        let data_rows = self.rows.len().saturating_sub(1);
        if data_rows > usize::try_from(self.max_rows).unwrap_or(usize::MAX) {
            let msg = format!("数据行数超过上限 {} 行", self.max_rows);
            return Err(ReadError::TooLarge(msg));
        }
        if self.rows.len().saturating_mul(self.width) > self.max_cells {
            let (rows, cols) = (self.rows.len(), self.width);
            let msg = format!("{rows} 行 × {cols} 列超过 {} 个单元格的上限，请删除右侧多余的内容", self.max_cells);
            return Err(ReadError::TooLarge(msg));
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Sheet, ReadError> {
        self.flush()?;
        if self.out_of_order {
            merge_unordered_rows(&mut self.rows);
        }
        let width = self.width;
        let mut rows = self.rows.into_iter();
        let (_, header) = rows.next().ok_or(ReadError::NoHeader)?;
        let mut headers: Vec<String> = header.iter().map(|c| c.as_text().unwrap_or_default()).collect();
        headers.resize(width, String::new());
        let rows = rows.map(|(index, mut cells)| {
            cells.resize(width, Cell::Empty);
            Row { number: index.saturating_add(1), cells }
        });
        Ok(Sheet { headers, rows: rows.collect() })
    }
}

/// Sorts rows that arrived out of order and merges rows sharing an index.
fn merge_unordered_rows(rows: &mut Vec<(u32, Vec<Cell>)>) {
    rows.sort_by_key(|(index, _)| *index);
    rows.dedup_by(|(index, later), (kept_index, kept)| {
        if index != kept_index {
            return false;
        }
        if kept.len() < later.len() {
            kept.resize(later.len(), Cell::Empty);
        }
        let pairs = kept.iter_mut().zip(later.drain(..));
        pairs.filter(|(_, c)| *c != Cell::Empty).for_each(|(slot, c)| *slot = c);
        true
    });
}

#[allow(clippy::cast_precision_loss)]
fn to_cell(data: Data) -> Cell {
    match data {
        Data::String(s) | Data::DurationIso(s) if s.chars().all(char::is_whitespace) => Cell::Empty,
        Data::String(s) | Data::DurationIso(s) => Cell::Text(s),
        Data::DateTimeIso(s) => iso_cell(s),
        Data::Int(i) => Cell::Number(i as f64),
        Data::Float(f) => Cell::Number(f),
        Data::Bool(b) => Cell::Bool(b),
        Data::DateTime(dt) => excel_datetime_cell(dt),
        Data::Error(e) => Cell::Text(e.to_string()),
        Data::Empty => Cell::Empty,
    }
}

/// Converts a date/time-formatted serial number with calamine's own conversion
/// (`to_ymd_hms_milli`: Excel's 1900 leap-year bug, 1900 and 1904 date systems).
fn excel_datetime_cell(dt: ExcelDateTime) -> Cell {
    let serial = dt.as_f64();
    if dt.is_duration() {
        return Cell::Text(format_duration(serial));
    }
    if !(0.0..MAX_EXCEL_SERIAL).contains(&serial) {
        return Cell::Number(serial); // Excel shows "#####"; keep the raw value
    }
    let (year, month, day, hour, min, sec, milli) = dt.to_ymd_hms_milli();
    let time = NaiveTime::from_hms_milli_opt(hour.into(), min.into(), sec.into(), milli.into());
    match (NaiveDate::from_ymd_opt(year.into(), month.into(), day.into()), time) {
        (_, Some(time)) if serial < 1.0 => Cell::Text(time.format("%H:%M:%S").to_string()),
        (Some(date), Some(NaiveTime::MIN)) => Cell::Date(date),
        (Some(date), Some(time)) => Cell::DateTime(date.and_time(time)),
        _ => Cell::Number(serial), // e.g. 1900-02-29, which only exists in Excel
    }
}

/// Parses the ISO 8601 value of a `t="d"` cell.
fn iso_cell(s: String) -> Cell {
    let t = s.trim();
    if let Ok(date) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Cell::Date(date);
    }
    match NaiveDateTime::parse_from_str(t.trim_end_matches('Z'), "%Y-%m-%dT%H:%M:%S%.f") {
        Ok(dt) if dt.time() == NaiveTime::MIN => Cell::Date(dt.date()),
        Ok(dt) => Cell::DateTime(dt),
        Err(_) if t.is_empty() => Cell::Empty,
        Err(_) => Cell::Text(s),
    }
}

/// Renders a duration in days like Excel's `[h]:mm:ss`.
#[allow(clippy::cast_possible_truncation)]
fn format_duration(days: f64) -> String {
    let ms = (days * 86_400_000.0).round() as i64; // `as` saturates, never panics
    let sign = if ms < 0 { "-" } else { "" };
    let secs = ms.unsigned_abs() / 1000;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    format!("{sign}{h}:{m:02}:{s:02}")
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
    let digits = |p: &str, max: usize| (1..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if y.len() != 4 || !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn xlsx_error(e: &calamine::XlsxError) -> ReadError {
    use calamine::XlsxError as E;
    let what = match e {
        E::Password => return ReadError::Malformed(PASSWORD.to_owned()),
        E::Zip(_) | E::Io(_) => "压缩包结构损坏",
        E::Xml(_) | E::XmlAttr(_) | E::XmlEof(_) => "XML 内容损坏",
        E::FileNotFound(_) | E::RelationshipNotFound | E::WorksheetNotFound(_) => "缺少必要的组成部分",
        _ => "内容不符合 xlsx 格式",
    };
    malformed(what, e)
}

fn xls_error(e: &calamine::XlsError) -> ReadError {
    match e {
        calamine::XlsError::Password => ReadError::Malformed(PASSWORD.to_owned()),
        _ => malformed("内容不符合 xls 格式", e),
    }
}

fn malformed(what: &str, detail: &dyn std::fmt::Display) -> ReadError {
    let detail: String = detail.to_string().chars().take(160).collect();
    ReadError::Malformed(format!("{what}（{detail}）"))
}

/// The zip crate (9.x) stops every entry at the size declared in the central directory,
/// so the declared sizes bound how much XML calamine can inflate (and how much of it,
/// like `sharedStrings.xml`, it keeps in memory). Zip bombs are refused up front.
fn check_inflated_size(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    let max_bytes = u64::try_from(limits.max_bytes).unwrap_or(u64::MAX);
    let cap = max_bytes.saturating_mul(16).max(1 << 30);
    match zip_inflated_size(bytes) {
        Some(total) if total > cap => Err(ReadError::TooLarge(format!("解压后的内容超过上限 {} MiB", cap >> 20))),
        _ => Ok(()), // unreadable directories are left to calamine to report
    }
}

/// Sum of the uncompressed sizes declared in the zip central directory.
fn zip_inflated_size(bytes: &[u8]) -> Option<u64> {
    let tail = bytes.len().saturating_sub(22 + 65_535);
    let found = bytes.get(tail..)?.windows(4).rposition(|w| w == b"PK\x05\x06");
    let eocd = tail + found?;
    let mut at = usize::try_from(le32(bytes, eocd + 16)?).ok()?;
    let mut total = 0u64;
    for _ in 0..le16(bytes, eocd + 10)? {
        if bytes.get(at..)?.get(..4)? != b"PK\x01\x02" {
            return None;
        }
        let name = usize::from(le16(bytes, at + 28)?);
        let extra = usize::from(le16(bytes, at + 30)?);
        let mut size = u64::from(le32(bytes, at + 24)?);
        if size == u64::from(u32::MAX) {
            let fields = bytes.get(at + 46 + name..)?.get(..extra)?;
            size = zip64_size(fields).unwrap_or(u64::MAX);
        }
        total = total.saturating_add(size);
        at += 46 + name + extra + usize::from(le16(bytes, at + 32)?);
    }
    Some(total)
}

/// The uncompressed size in a ZIP64 extended-information extra field.
fn zip64_size(mut extra: &[u8]) -> Option<u64> {
    while let (Some(id), Some(len)) = (le16(extra, 0), le16(extra, 2)) {
        if id == 1 {
            return le64(extra, 4);
        }
        extra = extra.get(4 + usize::from(len)..)?;
    }
    None
}

// ---- .xls pre-check ------------------------------------------------------------------
// calamine trusts sizes inside .xls files: a cyclic sector chain, a forged DIMENSIONS
// record or two far-apart cells make it allocate without bound, and a failed allocation
// aborts the process (no panic to catch). So the container and every sheet substream
// are walked here first, the way calamine will read them, and anything odd is refused.

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// 4 Mi cells (about 128 MiB per copy in calamine): 65,536 rows x 64 columns.
const MAX_XLS_AREA: u64 = 1 << 22;

fn le16(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..)?.first_chunk().copied().map(u16::from_le_bytes)
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..)?.first_chunk().copied().map(u32::from_le_bytes)
}

fn le64(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..)?.first_chunk().copied().map(u64::from_le_bytes)
}

fn u32s(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().unwrap_or_default()))
}

/// Password-protected .xlsx files are OLE2 containers with an `EncryptedPackage` stream.
fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// Follows a sector chain like calamine does, but fails on cycles and missing sectors.
fn walk_chain(data: &[u8], base: usize, size: usize, fat: &[u32], start: u32, len: usize) -> Option<Vec<u8>> {
    let (mut out, mut id) = (Vec::new(), start);
    for _ in 0..=data.len() / size {
        if id == END_OF_CHAIN {
            return Some(out);
        }
        let index = usize::try_from(id).ok()?;
        let at = index.checked_mul(size)?.checked_add(base)?;
        let sector = data.get(at..at.checked_add(size)?)?;
        out.extend_from_slice(sector.get(..size.min(len - out.len()))?);
        if out.len() >= len {
            return Some(out);
        }
        id = *fat.get(index)?;
    }
    None
}

/// The sector allocation table, gathered like calamine does (header DIFAT + DIFAT chain).
fn ole_fat(bytes: &[u8], size: usize) -> Option<Vec<u32>> {
    let sector = |id| walk_chain(bytes, size, size, &[], id, size);
    let mut difat: Vec<u32> = u32s(bytes.get(76..512)?).collect();
    let mut next = le32(bytes, 68)?;
    for _ in 0..=bytes.len() / size {
        if next >= 0xFFFF_FFFA {
            difat.retain(|id| *id < 0xFFFF_FFFC);
            if difat.len() > bytes.len() / size + 1 {
                return None;
            }
            return difat.iter().map(|id| sector(*id)).try_fold(Vec::new(), |mut fat, s| {
                fat.extend(u32s(&s?));
                Some(fat)
            });
        }
        difat.extend(u32s(&sector(next)?));
        next = difat.pop()?;
    }
    None
}

/// Extracts the `Workbook` (or BIFF5 `Book`) stream, refusing inconsistent containers.
fn ole_workbook_stream(bytes: &[u8]) -> Option<Vec<u8>> {
    let shift = le16(bytes, 30)?;
    if !matches!(shift, 9 | 12) || le16(bytes, 32)? != 6 {
        return None;
    }
    let size = 1usize << shift;
    let fat = ole_fat(bytes, size)?;
    let chain = |start, len| walk_chain(bytes, size, size, &fat, start, len);
    let dir = chain(le32(bytes, 48)?, usize::MAX)?;
    let entries: Vec<&[u8]> = dir.chunks_exact(128).collect();
    let extent = |e: &[u8]| -> Option<(u32, usize)> {
        let len = if size == 512 { u64::from(le32(e, 120)?) } else { le64(e, 120)? };
        Some((le32(e, 116)?, usize::try_from(len).ok()?))
    };
    let named = |name: &str| {
        entries.iter().copied().find(|e| {
            let raw = e.get(..64).unwrap_or_default().chunks_exact(2);
            let units = raw.map(|c| u16::from_le_bytes(c.try_into().unwrap_or_default()));
            let chars =
                char::decode_utf16(units.take_while(|u| *u != 0)).map(|c| c.map_or('?', |c| c.to_ascii_lowercase()));
            chars.eq(name.chars())
        })
    };
    let (start, len) = extent(named("workbook").or_else(|| named("book"))?)?;
    if len >= 4096 {
        return chain(start, len);
    }
    let (root_start, root_len) = extent(entries.first()?)?;
    let mini_len = usize::try_from(le32(bytes, 64)?).ok()?.checked_mul(size)?;
    let ministream = chain(root_start, root_len)?;
    let minifat: Vec<u32> = u32s(&chain(le32(bytes, 60)?, mini_len)?).collect();
    walk_chain(&ministream, 0, 64, &minifat, start, len)
}

/// BIFF records as `(type, data)`; stops at a truncated record (calamine reports it).
fn biff_records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        let (typ, len) = (le16(rest, 0)?, usize::from(le16(rest, 2)?));
        let data = rest.get(4..4 + len)?;
        rest = rest.get(4 + len..)?;
        Some((typ, data))
    })
}

/// Checks every sheet substream calamine will load. calamine allocates each sheet's
/// bounding box densely (twice), so the boxes' total area is capped.
fn check_biff(stream: &[u8]) -> Result<(), ReadError> {
    let mut sheets = Vec::new();
    for (typ, data) in biff_records(stream) {
        match typ {
            0x002F => return Err(ReadError::Malformed(PASSWORD.to_owned())), // FILEPASS
            0x0085 => sheets.extend(le32(data, 0).and_then(|p| usize::try_from(p).ok())),
            0x000A => break,
            _ => {}
        }
    }
    let mut area = 0u64;
    for pos in sheets {
        area = area.saturating_add(sheet_area(stream.get(pos..).unwrap_or_default())?);
    }
    if area > MAX_XLS_AREA {
        let msg = format!("xls 单元格分布范围超过 {MAX_XLS_AREA} 格，请另存为 .xlsx 后上传");
        return Err(ReadError::TooLarge(msg));
    }
    Ok(())
}

/// Bounding-box area of the cells in one sheet substream, mirroring calamine's walk
/// (nested substreams such as embedded charts are skipped).
fn sheet_area(sheet: &[u8]) -> Result<u64, ReadError> {
    let bad = |what: &str| ReadError::Malformed(format!("xls 工作表中的{what}记录异常"));
    let (mut depth, mut seen_bof, mut bbox) = (0usize, false, None::<(u16, u16, u16, u16)>);
    for (typ, data) in biff_records(sheet) {
        let (row, first, last) = match typ {
            0x0809 if depth > 0 || seen_bof => {
                depth += 1;
                continue;
            }
            0x0809 => {
                seen_bof = true;
                continue;
            }
            0x000A if depth == 0 => break,
            0x000A => {
                depth -= 1;
                continue;
            }
            _ if depth > 0 => continue,
            0x0200 if !dimensions_ok(data) => return Err(bad("范围（DIMENSIONS）")),
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                (le16(data, 0), le16(data, 2), le16(data, 2))
            }
            0x00BD => (le16(data, 0), le16(data, 2), data.len().checked_sub(2).and_then(|at| le16(data, at))),
            _ => continue,
        };
        let (Some(row), Some(first), Some(last)) = (row, first, last) else {
            continue;
        };
        if first > last || last > 255 {
            return Err(bad("单元格"));
        }
        let (r0, r1, c0, c1) = bbox.unwrap_or((row, row, first, last));
        bbox = Some((r0.min(row), r1.max(row), c0.min(first), c1.max(last)));
    }
    let span = |a: u16, b: u16| u64::from(a.abs_diff(b)) + 1;
    Ok(bbox.map_or(0, |(r0, r1, c0, c1)| span(r0, r1) * span(c0, c1)))
}

/// calamine computes `last - first + 1` from DIMENSIONS and reserves that many cells.
fn dimensions_ok(d: &[u8]) -> bool {
    let dims = match d.len() {
        10 => (le16(d, 0).map(u32::from), le16(d, 2).map(u32::from), le16(d, 4), le16(d, 6)),
        14 | 16 => (le32(d, 0), le32(d, 4), le16(d, 8), le16(d, 10)),
        _ => return true, // calamine rejects other lengths itself
    };
    let (Some(rf), Some(rl), Some(cf), Some(cl)) = dims else {
        return false;
    };
    rl == 0 || cl == 0 || (rf < rl && rl <= 65_536 && cf < cl && cl <= 256)
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
        let inflated = zip_inflated_size(&bytes).unwrap();
        assert!(inflated > 4 * bytes.len() as u64, "{inflated}");
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
    fn padded_size_is_bounded() {
        let mut rows = RowCollector { max_cells: 1000, ..RowCollector::new(&Limits::default()) };
        rows.push(0, 0, text("名称")).unwrap();
        let err = (1..=10).try_for_each(|r| rows.push(r, 200, text("x"))).and_then(|()| rows.finish().map(drop));
        assert!(matches!(&err, Err(ReadError::TooLarge(m)) if m.contains("201 列")), "{err:?}");
        let mut rows = RowCollector { text_budget: 10, ..RowCollector::new(&Limits::default()) };
        rows.push(0, 0, text("名称")).unwrap(); // 6 bytes
        assert!(matches!(rows.push(1, 0, text("名称")), Err(ReadError::TooLarge(_))));
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
    fn zip_bomb_is_refused_by_declared_size() {
        let mut bytes = handmade(r#"<row r="1"><c r="A1"><v>1</v></c></row>"#);
        let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        bytes[central + 24..central + 28].copy_from_slice(&0xC000_0000u32.to_le_bytes());
        let err = read(&bytes).unwrap_err();
        assert!(matches!(&err, ReadError::TooLarge(m) if m.contains("1024 MiB")), "{err:?}");
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

    // ---- Legacy .xls: tests/fixtures_src/roster.xls is examples/make_fixture.rs's
    // workbook saved as "Excel 97-2003" by LibreOffice (see the README there). ----

    const ROSTER_XLS: &[u8] = include_bytes!("../../tests/fixtures_src/roster.xls");

    fn find(pattern: &[u8]) -> usize {
        ROSTER_XLS.windows(pattern.len()).position(|w| w == pattern).unwrap()
    }

    fn patched(at: usize, with: &[u8]) -> Vec<u8> {
        let mut bytes = ROSTER_XLS.to_vec();
        bytes[at..at + with.len()].copy_from_slice(with);
        bytes
    }

    #[test]
    fn xls_roster_reads_like_xlsx() {
        let sheet = read(ROSTER_XLS).unwrap();
        assert_eq!(sheet.headers, ["企业名称", "联系电话", "行政区划", "统一社会信用代码", "有效期"]);
        let numbers: Vec<u32> = sheet.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [2, 3, 5]);
        let texts: Vec<Vec<Option<String>>> =
            sheet.rows.iter().map(|r| r.cells.iter().map(Cell::as_text).collect()).collect();
        let s = |v: &str| Some(v.to_owned());
        assert_eq!(
            texts[0],
            [s("武汉某某有限公司"), s("13800138000"), s("420103"), s("91420100MA4K0000XY"), s("2027-06-30")]
        );
        assert_eq!(texts[1], [s("乙公司"), s("13800138000"), None, None, s("2027年6月30日")]);
        assert_eq!(texts[2], [s("丙公司"), None, s("12.5"), s("是"), None]);
        let want = NaiveDate::from_ymd_opt(2027, 6, 30).unwrap();
        assert_eq!(sheet.rows[0].cells[4], Cell::Date(want));
        assert_eq!(sheet.rows[1].cells[4].as_date(), Ok(Some(want)));
    }

    #[test]
    fn xls_forged_sizes_are_refused_instead_of_aborting() {
        // Each of these made calamine 0.38 abort the process (allocation failure).
        let dims = find(&[0x00, 0x02, 0x0E, 0x00]) + 4;
        let dir_fat_entry = {
            let le = |at: usize| u32::from_le_bytes(ROSTER_XLS[at..at + 4].try_into().unwrap());
            (le(76) as usize + 1) * 512 + le(48) as usize * 4
        };
        let dir_sector = u32::from_le_bytes(ROSTER_XLS[48..52].try_into().unwrap());
        let malformed = [
            patched(dims + 4, &u32::MAX.to_le_bytes()), // rwMac = 4 Gi rows
            patched(dims, &10u32.to_le_bytes()),        // rwMic > rwMac
            patched(dims + 10, &[0xFF, 0xFF]),          // colMac = 65535
            patched(find(&[0xFD, 0, 10, 0, 1, 0, 0, 0]) + 6, &300u16.to_le_bytes()), // cell at column 301
            patched(dir_fat_entry, &dir_sector.to_le_bytes()), // directory chain loops
        ];
        for bytes in &malformed {
            let err = read(bytes).unwrap_err();
            assert!(matches!(err, ReadError::Malformed(_)), "{err:?}");
        }
        // Two cells at opposite corners: calamine would allocate the whole grid densely.
        let corners = patched(find(&[0xFD, 0, 10, 0, 2, 0, 0, 0]) + 4, &[0xFF, 0xFF, 0xFF, 0]);
        assert!(matches!(read(&corners), Err(ReadError::TooLarge(_))));
        // A DIFAT chain whose sector links to itself.
        let last = u32::try_from(ROSTER_XLS.len() / 512 - 2).unwrap();
        let mut looped = patched(68, &last.to_le_bytes());
        let end = looped.len();
        looped[end - 4..].copy_from_slice(&last.to_le_bytes());
        assert!(matches!(read(&looped), Err(ReadError::Malformed(_))));
        for i in 1..16 {
            assert!(read(&ROSTER_XLS[..ROSTER_XLS.len() * i / 16]).is_err());
        }
    }

    #[test]
    fn encrypted_xlsx_reports_password() {
        let mut bytes = OLE2_MAGIC.to_vec();
        bytes.resize(600, 0);
        bytes.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        let err = read(&bytes).unwrap_err();
        assert!(matches!(&err, ReadError::Malformed(m) if m.contains("密码")), "{err:?}");
    }
}
