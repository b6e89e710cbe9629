//! The reader end to end: real workbooks from `rust_xlsxwriter`, hand-made
//! packages for shapes it never writes, the legacy `.xls` fixture, and forged
//! files of each kind.
#![allow(clippy::unwrap_used, clippy::float_cmp, clippy::cast_possible_truncation)]

use super::read::*;
use super::testing::stored_zip;
use chrono::NaiveDate;
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
    let inflated: u64 = super::zip_dir::entries(&bytes, u64::MAX).unwrap().iter().map(|e| e.size).sum();
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
fn xls_empty_codepage_or_datemode_record_is_malformed_not_a_panic() {
    // Found by fuzz/ledger_parse: calamine 0.38 indexes two bytes of these
    // records unchecked. The record is emptied, its two bytes and the next
    // record's header becoming the header of an unknown record.
    for record in [[0x42, 0, 2, 0], [0x22, 0, 2, 0]] {
        let bytes = patched(find(&record), &[record[0], 0, 0, 0, 0xFF, 0x0F, 4, 0]);
        let err = super::xls::read(&bytes, &Limits::default()).unwrap_err();
        assert!(matches!(&err, ReadError::Malformed(m) if m.contains("过短")), "{err:?}");
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
