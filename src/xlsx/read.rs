//! Robust reader for the first worksheet of an uploaded `.xlsx` / `.xls` roster.
//!
//! The format is detected from magic bytes. `.xlsx` packages are read by our own
//! streaming reader ([`super::ooxml`]): cells arrive one by one and are never
//! allocated by a size or count the file declares. `.xls` files are first walked by
//! a structural pre-check (calamine trusts sizes inside them), then read through
//! calamine. Either way, everything the read keeps is charged to a memory budget
//! ([`Limits::max_memory`]); a file that needs more is refused with
//! `file_too_large`, a broken one with `malformed_file`. The first row with any
//! non-empty cell is the header; blank rows are skipped; rows keep Excel's numbers.

use std::panic::{AssertUnwindSafe, catch_unwind};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

pub(crate) const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
pub(crate) const OLE2_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
pub(crate) const PASSWORD: &str = "工作簿设置了打开密码，请取消密码后重新上传";

/// Resource limits applied while reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Maximum size of the uploaded file in bytes.
    pub max_bytes: usize,
    /// Maximum number of non-blank data rows (the header row is not counted).
    pub max_rows: u32,
    /// A non-empty cell at 0-based column `>= max_cols` is rejected.
    pub max_cols: u32,
    /// Bytes the read may keep: shared strings, cells and their text.
    pub max_memory: usize,
}

impl Limits {
    /// The roster's limits: 64 MiB, 200,000 rows, 256 columns, 256 MiB kept.
    pub const ROSTER: Self = Self { max_bytes: 64 << 20, max_rows: 200_000, max_cols: 256, max_memory: 256 << 20 };
}

impl Default for Limits {
    fn default() -> Self {
        Self::ROSTER
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
            Cell::Text(s) => super::cell::parse_text_date(s.trim()).map(Some).ok_or(()),
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
        super::ooxml::read
    } else if bytes.starts_with(OLE2_MAGIC) {
        super::xls::read
    } else {
        return Err(ReadError::NotSpreadsheet);
    };
    // Defence in depth: a parser bug on hostile input must not take the caller down.
    catch_unwind(AssertUnwindSafe(|| read(bytes, limits)))
        .unwrap_or_else(|_| Err(ReadError::Malformed("解析器内部错误".to_owned())))
}

/// Reads the worksheet called `name` of an `.xlsx` workbook (legacy `.xls` is
/// refused: the importers that need a named sheet ship an `.xlsx` template).
pub fn read_named_sheet(bytes: &[u8], limits: &Limits, name: &str) -> Result<Sheet, ReadError> {
    if bytes.len() > limits.max_bytes {
        return Err(ReadError::TooLarge(format!("文件大小超过上限 {} 字节", limits.max_bytes)));
    }
    if !bytes.starts_with(ZIP_MAGIC) {
        return Err(ReadError::NotSpreadsheet);
    }
    catch_unwind(AssertUnwindSafe(|| super::ooxml::read_sheet(bytes, limits, Some(name))))
        .unwrap_or_else(|_| Err(ReadError::Malformed("解析器内部错误".to_owned())))
}
