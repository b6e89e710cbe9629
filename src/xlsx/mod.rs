//! Spreadsheets: a safe, streaming reader for what clerks upload.

pub mod read;

/// Workbooks for the importers' unit tests.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub mod testing {
    use rust_xlsxwriter::{Format, Workbook};

    /// One sheet from rows of cells: `=n` writes the number n, `@2027-01-01` a
    /// date cell, an empty string nothing, anything else text.
    pub fn book(rows: &[&[&str]]) -> Vec<u8> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        for (r, row) in (0_u32..).zip(rows) {
            for (c, v) in (0_u16..).zip(row.iter()) {
                if let Some(n) = v.strip_prefix('=') {
                    sheet.write_number(r, c, n.parse::<f64>().unwrap()).unwrap();
                } else if let Some(s) = v.strip_prefix('@') {
                    let day = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
                    sheet.write_datetime_with_format(r, c, day, &date).unwrap();
                } else if !v.is_empty() {
                    sheet.write_string(r, c, *v).unwrap();
                }
            }
        }
        book.save_to_buffer().unwrap()
    }
}
