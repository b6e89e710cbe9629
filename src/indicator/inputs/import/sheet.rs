//! Reading an inputs workbook: columns matched by header in any order (a `*`,
//! spaces and a bracketed hint such as `（亿元）` are ignored), and the cells of
//! one row read as text, decimals or whole numbers, each problem under its column.

use crate::error::RowError;
use crate::xlsx::read::{Cell, Row};

/// One column: its Chinese name, the API field its problems belong to, its width and
/// hint in the template, and whether the column must be present.
pub struct Col {
    pub name: &'static str,
    pub field: &'static str,
    pub width: u16,
    pub hint: &'static str,
    pub required: bool,
}

/// A header as meant: no spaces, no `*`, nothing from a bracket on.
fn normalise(header: &str) -> String {
    let cut = header.find(['（', '(']).unwrap_or(header.len());
    header[..cut].chars().filter(|c| !c.is_whitespace() && *c != '*').collect()
}

pub fn row_error(row: u32, column: &str, code: &str, message: impl Into<String>) -> RowError {
    RowError { row, column: column.to_owned(), code: code.to_owned(), message: message.into() }
}

/// Where each column sits, and its header as written.
pub struct Columns {
    all: &'static [Col],
    found: Vec<(&'static str, usize, String)>,
}

impl Columns {
    /// Finds the columns; every missing required one is an error on row 1.
    pub fn find(headers: &[String], all: &'static [Col]) -> Result<Self, Vec<RowError>> {
        let (mut found, mut missing) = (Vec::new(), Vec::new());
        for c in all {
            match headers.iter().position(|h| normalise(h) == c.name) {
                Some(i) => found.push((c.name, i, headers[i].clone())),
                None if c.required => {
                    missing.push(row_error(1, c.name, "missing_column", format!("缺少必需的列“{}”", c.name)));
                }
                None => {}
            }
        }
        if missing.is_empty() { Ok(Self { all, found }) } else { Err(missing) }
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.found.iter().find(|f| f.0 == name).map(|f| f.1)
    }

    /// The header as the file wrote it (the canonical name when absent).
    pub fn header(&self, name: &str) -> String {
        self.found.iter().find(|f| f.0 == name).map_or_else(|| name.to_owned(), |f| f.2.clone())
    }

    /// The header of the column a field's problems belong to.
    pub fn header_of_field(&self, field: &str) -> String {
        let name = self.all.iter().find(|c| c.field == field).or_else(|| self.all.first()).map_or("", |c| c.name);
        self.header(name)
    }
}

/// One row being read; its problems.
pub struct Reader<'a> {
    pub cols: &'a Columns,
    pub row: &'a Row,
    pub errors: Vec<RowError>,
}

impl<'a> Reader<'a> {
    pub fn new(cols: &'a Columns, row: &'a Row) -> Self {
        Self { cols, row, errors: Vec::new() }
    }

    fn cell(&self, name: &str) -> Option<&Cell> {
        self.cols.index(name).and_then(|i| self.row.cells.get(i))
    }

    pub fn fail(&mut self, name: &str, code: &str, message: impl Into<String>) {
        self.errors.push(row_error(self.row.number, &self.cols.header(name), code, message));
    }

    /// The cell as trimmed text (empty when absent).
    pub fn text(&self, name: &str) -> String {
        self.cell(name).and_then(Cell::as_text).unwrap_or_default()
    }

    /// A decimal from a number cell or text (`1,234.5`, `1234.5亿元`, `-15%`); `None` when empty.
    pub fn decimal(&mut self, name: &str) -> Option<f64> {
        if let Some(Cell::Number(n)) = self.cell(name) {
            return Some(*n);
        }
        let t = self.text(name);
        if t.is_empty() {
            return None;
        }
        let cleaned = t.trim_end_matches(['元', '人', '%', '％']).trim_end_matches("亿").replace([',', '，'], "");
        let cleaned = cleaned.trim().replace('−', "-");
        let v = cleaned.parse::<f64>().ok().filter(|v| v.is_finite());
        if v.is_none() {
            let t = crate::limits::preview(&t);
            self.fail(name, "invalid_number", format!("“{t}”不是数字"));
        }
        v
    }

    /// A whole number; `None` when empty or not whole (the latter reported).
    pub fn whole(&mut self, name: &str) -> Option<i64> {
        let v = self.decimal(name)?;
        if v.fract() != 0.0 || v.abs() > 9.0e15 {
            self.fail(name, "invalid_number", format!("{v} 不是整数"));
            return None;
        }
        #[allow(clippy::cast_possible_truncation)]
        Some(v as i64)
    }

    /// A year (whole number), 0 when missing or unreadable (its problem reported).
    pub fn year(&mut self, name: &str) -> i32 {
        let before = self.errors.len();
        match self.whole(name).map(i32::try_from) {
            Some(Ok(y)) => y,
            Some(Err(_)) => {
                self.fail(name, "invalid_value", "年份不正确");
                0
            }
            None if self.errors.len() == before => {
                self.fail(name, "missing_required", "必填项为空");
                0
            }
            None => 0,
        }
    }

    /// 是/否 (also 约束性/预期性, true/false, 1/0); empty is no.
    pub fn flag(&mut self, name: &str) -> bool {
        match self.text(name).as_str() {
            "" | "否" | "预期性" | "预期" | "false" | "FALSE" | "0" | "N" | "n" => false,
            "是" | "约束性" | "约束" | "true" | "TRUE" | "1" | "Y" | "y" => true,
            other => {
                let t = crate::limits::preview(other);
                self.fail(name, "invalid_value", format!("“{t}”应为“是”或“否”"));
                false
            }
        }
    }

    /// The row's problems from a use case's checks, each under its field's column,
    /// except where the cell already failed to read.
    pub fn place(&mut self, fields: crate::error::FieldErrors) {
        for (field, messages) in fields {
            let header = self.cols.header_of_field(&field);
            if self.errors.iter().any(|e| e.column == header) {
                continue;
            }
            let code = if field == "region_code" { "unknown_region" } else { "invalid_value" };
            for m in messages {
                let code = if m.starts_with("请填写") { "missing_required" } else { code };
                self.errors.push(row_error(self.row.number, &header, code, m));
            }
        }
    }
}
