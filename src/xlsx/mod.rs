//! Spreadsheets: a safe, streaming reader for what clerks upload.

mod budget;
mod cell;
mod le;
mod ooxml;
pub mod read;
mod rows;
mod xls;
mod xml_guard;
mod zip_dir;

#[cfg(test)]
mod tests;

/// The media type of `.xlsx` workbooks.
pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A workbook as a download named `filename` (Chinese names kept, RFC 6266).
pub fn response(bytes: Vec<u8>, filename: &str) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    let disposition =
        format!("attachment; filename=\"export.xlsx\"; filename*=UTF-8''{}", crate::percent::encode(filename));
    ([(header::CONTENT_TYPE, XLSX_MIME.to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response()
}

/// Workbooks for the importers' unit tests.
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::cast_possible_truncation)]
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

    pub fn crc32(data: &[u8]) -> u32 {
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
    pub fn stored_zip(entries: &[(&str, &str)]) -> Vec<u8> {
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
}
