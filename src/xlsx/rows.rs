//! Streamed cells gathered into non-blank rows, within the read's limits: the
//! widest column, the row count, and the memory budget, which every stored
//! cell, its text and the padding of rows to the sheet's width are charged to.

use super::budget::Budget;
use super::read::{Cell, Limits, ReadError, Row, Sheet};
use std::mem::size_of;

/// What one stored row costs besides its cells: its slot in the row list
/// (counted twice, for the list's growth) and the allocation of its cells.
const ROW_COST: usize = 2 * size_of::<(u32, Vec<Cell>)>() + 16;
const CELL: usize = size_of::<Cell>();

pub struct RowCollector {
    max_rows: u32,
    max_cols: u32,
    budget: Budget,
    /// Non-blank rows as `(0-based row index, cells)`; the first one becomes the header.
    rows: Vec<(u32, Vec<Cell>)>,
    current_row: u32,
    current: Vec<Cell>,
    /// One past the right-most non-empty column seen so far.
    width: usize,
    out_of_order: bool,
}

impl RowCollector {
    pub fn new(limits: &Limits, budget: Budget) -> Self {
        Self {
            max_rows: limits.max_rows,
            max_cols: limits.max_cols,
            budget,
            rows: Vec::new(),
            current_row: 0,
            current: Vec::new(),
            width: 0,
            out_of_order: false,
        }
    }

    /// Adds a cell at 0-based `(row, col)`; empty cells are ignored.
    pub fn push(&mut self, row: u32, col: u32, cell: Cell) -> Result<(), ReadError> {
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
            self.budget.charge(s.capacity(), "文字内容")?;
        }
        if row != self.current_row {
            self.flush()?;
            self.out_of_order |= row < self.current_row;
            self.current_row = row;
        }
        let col = usize::try_from(col).unwrap_or(usize::MAX - 1);
        if col >= self.current.len() {
            let before = self.current.capacity();
            self.current.resize(col, Cell::Empty);
            self.current.push(cell);
            self.budget.charge((self.current.capacity() - before) * CELL, "单元格")?;
        } else if let Some(slot) = self.current.get_mut(col) {
            *slot = cell;
        }
        self.width = self.width.max(col + 1);
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ReadError> {
        if self.current.is_empty() {
            return Ok(());
        }
        self.budget.charge(ROW_COST + self.width * CELL, "数据行")?;
        let cells = std::mem::replace(&mut self.current, Vec::with_capacity(self.width));
        self.rows.push((self.current_row, cells));
        // The first stored row is the header.
        let data_rows = self.rows.len().saturating_sub(1);
        if data_rows > usize::try_from(self.max_rows).unwrap_or(usize::MAX) {
            return Err(ReadError::TooLarge(format!("数据行数超过上限 {} 行，请拆分为多个文件", self.max_rows)));
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<Sheet, ReadError> {
        self.flush()?;
        if self.out_of_order {
            merge_unordered_rows(&mut self.rows);
        }
        let width = self.width;
        let padding: usize = self.rows.iter().map(|(_, cells)| width.saturating_sub(cells.capacity())).sum();
        self.budget.charge(padding.saturating_mul(CELL), "单元格（按最宽的一列补齐）")?;
        let mut rows = self.rows.into_iter();
        let (_, header) = rows.next().ok_or(ReadError::NoHeader)?;
        let mut headers: Vec<String> = header.iter().map(|c| c.as_text().unwrap_or_default()).collect();
        headers.resize(width, String::new());
        let rows = rows.map(|(index, mut cells)| {
            cells.reserve_exact(width.saturating_sub(cells.len()));
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    /// A header cell far right makes every later row as wide.
    fn wide(budget: usize) -> Result<Sheet, ReadError> {
        let mut rows = RowCollector::new(&Limits::default(), Budget::new(budget));
        rows.push(0, 200, text("名称"))?;
        for r in 1..=10 {
            rows.push(r, 0, text("x"))?;
        }
        rows.finish()
    }

    #[test]
    fn rows_are_charged_at_the_sheet_width() {
        assert_eq!(wide(1 << 20).unwrap().rows.len(), 10);
        let err = wide(32 << 10).unwrap_err();
        assert!(matches!(&err, ReadError::TooLarge(m) if m.starts_with("数据行")), "{err:?}");
    }

    #[test]
    fn text_is_charged_as_it_arrives() {
        let mut rows = RowCollector::new(&Limits::default(), Budget::new(1000));
        rows.push(0, 0, text("名称")).unwrap();
        let err = (1..10).try_for_each(|r| rows.push(r, 0, text(&"长".repeat(100)))).unwrap_err();
        assert!(matches!(&err, ReadError::TooLarge(m) if m.starts_with("文字内容")), "{err:?}");
    }

    #[test]
    fn rows_arriving_out_of_order_are_merged() {
        let mut rows = RowCollector::new(&Limits::default(), Budget::new(1 << 20));
        rows.push(0, 0, text("甲")).unwrap();
        rows.push(2, 1, text("丙")).unwrap();
        rows.push(1, 0, text("乙")).unwrap();
        rows.push(2, 0, text("丁")).unwrap();
        let sheet = rows.finish().unwrap();
        let numbers: Vec<u32> = sheet.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [2, 3]);
        assert_eq!(sheet.rows[1].cells, [text("丁"), text("丙")]);
    }
}
