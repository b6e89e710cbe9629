//! Hostile spreadsheets, built in memory in a second or two: the constructs
//! that once killed the server or took it past a gigabyte. Each is a real zip
//! package an attacker (or a careless clerk) could upload. Packages are written
//! by a small zip writer of our own, so that a part can declare what it likes
//! and a 950 MB part can be made from one compressed megabyte repeated.

use flate2::{Compress, Compression, FlushCompress};
use std::fmt::Write;
use std::io::Read;

/// One zip entry: its data deflated, or stored as it is.
struct Part {
    name: String,
    deflated: Vec<u8>,
    stored: bool,
    crc: u32,
    size: u64,
}

/// Raw deflate of `data` to the end of the stream.
fn deflate(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 4 + 64);
    let mut z = Compress::new(Compression::fast(), false);
    loop {
        out.reserve(64 << 10);
        let at = usize::try_from(z.total_in()).unwrap();
        if z.compress_vec(&data[at..], &mut out, FlushCompress::Finish).unwrap() == flate2::Status::StreamEnd {
            return out;
        }
    }
}

fn part(name: &str, data: &[u8]) -> Part {
    let (deflated, crc, size) = (deflate(data), crc32fast::hash(data), data.len() as u64);
    Part { name: name.to_owned(), deflated, stored: false, crc, size }
}

/// `head`, then `unit` `times` over, then `tail`, deflated without ever being
/// inflated here: `unit` (repeated to ~1 MiB) is compressed once as non-final
/// blocks ending on a byte boundary, and that block run is repeated.
fn repeated_part(name: &str, head: &[u8], unit: &[u8], times: u64, tail: &[u8]) -> Part {
    let per_chunk = (1 << 20) / unit.len() as u64;
    let chunk: Vec<u8> = unit.repeat(usize::try_from(per_chunk).unwrap());
    let sync = |data: &[u8]| {
        let mut z = Compress::new(Compression::fast(), false);
        let mut out = Vec::with_capacity(data.len() + 1024);
        z.compress_vec(data, &mut out, FlushCompress::Sync).unwrap();
        assert_eq!(z.total_in(), data.len() as u64);
        out
    };
    let (chunks, rest) = (times / per_chunk, times % per_chunk);
    let mut deflated = sync(head);
    let block = sync(&chunk);
    for _ in 0..chunks {
        deflated.extend_from_slice(&block);
    }
    deflated.extend(sync(&unit.repeat(usize::try_from(rest).unwrap())));
    deflated.extend(deflate(tail));
    // The CRC of the whole, by combining the pieces' CRCs (no pass over 950 MB).
    let mut crc = crc32fast::Hasher::new();
    crc.update(head);
    let mut block_crc = crc32fast::Hasher::new();
    block_crc.update(&chunk);
    let mut run = crc32fast::Hasher::new(); // `chunks` copies of the chunk, by doubling
    let (mut power, mut n) = (block_crc, chunks);
    while n > 0 {
        if n & 1 == 1 {
            run.combine(&power);
        }
        let copy = power.clone();
        power.combine(&copy);
        n >>= 1;
    }
    crc.combine(&run);
    crc.update(&unit.repeat(usize::try_from(rest).unwrap()));
    crc.update(tail);
    let size = head.len() as u64 + unit.len() as u64 * times + tail.len() as u64;
    Part { name: name.to_owned(), deflated, stored: false, crc: crc.finalize(), size }
}

/// A zip archive of the parts (32-bit sizes: every part stays under 4 GiB).
fn zip(parts: &[Part]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for p in parts {
        let offset = u32::try_from(out.len()).unwrap();
        let common = |v: &mut Vec<u8>| {
            let method = if p.stored { 0 } else { 8 };
            v.extend([20, 0, 0, 0, method, 0, 0, 0, 0x21, 0]); // version, flags, method, time, date
            v.extend(p.crc.to_le_bytes());
            v.extend(u32::try_from(p.deflated.len()).unwrap().to_le_bytes());
            v.extend(u32::try_from(p.size).unwrap().to_le_bytes());
            v.extend(u16::try_from(p.name.len()).unwrap().to_le_bytes());
            v.extend([0, 0]);
        };
        out.extend(b"PK\x03\x04");
        common(&mut out);
        out.extend(p.name.as_bytes());
        out.extend(&p.deflated);
        central.extend(b"PK\x01\x02\x14\x00");
        common(&mut central);
        central.extend([0u8; 10]);
        central.extend(offset.to_le_bytes());
        central.extend(p.name.as_bytes());
    }
    let (cd_offset, cd_len) = (u32::try_from(out.len()).unwrap(), u32::try_from(central.len()).unwrap());
    let n = u16::try_from(parts.len()).unwrap();
    out.extend(central);
    out.extend(b"PK\x05\x06\0\0\0\0");
    out.extend(n.to_le_bytes());
    out.extend(n.to_le_bytes());
    out.extend(cd_len.to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend([0, 0]);
    out
}

/// The parts of a real workbook, with `edit` applied to each part's text.
fn rewrite(book: &[u8], edit: impl Fn(&str, String) -> String) -> Vec<u8> {
    zip(&rewritten(book, edit, false))
}

/// `book` again with every part stored uncompressed (the fuzzer's mutations then reach the XML).
pub fn uncompressed(book: &[u8]) -> Vec<u8> {
    zip(&rewritten(book, |_, text| text, true))
}

fn rewritten(book: &[u8], edit: impl Fn(&str, String) -> String, stored: bool) -> Vec<Part> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
    let mut parts = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().into_owned();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        let data = match String::from_utf8(data) {
            Ok(text) => edit(&name, text).into_bytes(),
            Err(e) => e.into_bytes(),
        };
        parts.push(if stored {
            Part { name, crc: crc32fast::hash(&data), size: data.len() as u64, deflated: data, stored: true }
        } else {
            part(&name, &data)
        });
    }
    parts
}

const NS: &str = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

/// The package around one worksheet (and a shared string table, if given).
fn package(sheet: Part, strings: Option<Part>) -> Vec<u8> {
    let root = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let workbook = format!(
        r#"<?xml version="1.0"?><workbook {NS}><sheets><sheet name="企业名录" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
    let mut parts = vec![
        part("_rels/.rels", root.as_bytes()),
        part("xl/workbook.xml", workbook.as_bytes()),
        part("xl/_rels/workbook.xml.rels", rels.as_bytes()),
        sheet,
    ];
    parts.extend(strings);
    zip(&parts)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Appends row `r` of inline strings.
fn inline_row<S: AsRef<str>>(xml: &mut String, r: u32, values: &[S]) {
    let _ = write!(xml, r#"<row r="{r}">"#);
    for v in values {
        let _ = write!(xml, r#"<c t="inlineStr"><is><t>{}</t></is></c>"#, escape(v.as_ref()));
    }
    xml.push_str("</row>");
}

/// A worksheet starting with `header`, then what `body` appends.
fn sheet(header: &[&str], body: impl FnOnce(&mut String)) -> Part {
    let mut xml = format!(r#"<?xml version="1.0"?><worksheet {NS}><sheetData>"#);
    inline_row(&mut xml, 1, header);
    body(&mut xml);
    xml.push_str("</sheetData></worksheet>");
    part("xl/worksheets/sheet1.xml", xml.as_bytes())
}

/// A sheet of inline strings: `header`, then `rows` rows made by `row(i)`.
fn sheet_of(header: &[&str], rows: u32, row: impl Fn(u32) -> Vec<String>) -> Part {
    sheet(header, |xml| (0..rows).for_each(|i| inline_row(xml, i + 2, &row(i))))
}

/// `book` with `uniqueCount` on its shared string table set to `count`.
pub fn declared_unique_count(book: &[u8], count: &str) -> Vec<u8> {
    rewrite(book, |name, text| {
        if !name.ends_with("sharedStrings.xml") {
            return text;
        }
        let at = text.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
        let end = at + text[at..].find('"').unwrap();
        format!("{}{count}{}", &text[..at], &text[end..])
    })
}

/// `header`, then `n` copies of `row`.
pub fn identical_rows(header: &[&str], row: &[&str], n: u32) -> Vec<u8> {
    let row: Vec<String> = row.iter().map(|v| (*v).to_owned()).collect();
    package(sheet_of(header, n, |_| row.clone()), None)
}

/// `header`, then `n` rows holding only the number 1 in column A.
pub fn ones_in_column_a(header: &[&str], n: u32) -> Vec<u8> {
    let body = |xml: &mut String| {
        for r in 2..n + 2 {
            let _ = write!(xml, r#"<row r="{r}"><c r="A{r}"><v>1</v></c></row>"#);
        }
    };
    package(sheet(header, body), None)
}

/// `header`, then `n` distinct bad rows (a wrong key and a name in each).
pub fn distinct_bad_rows(header: &[&str], n: u32) -> Vec<u8> {
    package(sheet_of(header, n, |i| vec![format!("坏{i}"), format!("名称{i}")]), None)
}

/// A shared string table of `n` empty strings (5 bytes each inflated) behind a header row.
pub fn empty_shared_strings(header: &[&str], n: u64) -> Vec<u8> {
    let head = format!(r#"<?xml version="1.0"?><sst {NS} count="{n}" uniqueCount="{n}">"#);
    let strings = repeated_part("xl/sharedStrings.xml", head.as_bytes(), b"<si/>", n, b"</sst>");
    package(sheet_of(header, 0, |_| Vec::new()), Some(strings))
}

/// One text cell holding `len` bytes (one XML token far beyond any real cell).
pub fn one_huge_cell(header: &[&str], len: u64) -> Vec<u8> {
    let head = format!(
        r#"<?xml version="1.0"?><worksheet {NS}><sheetData><row r="1"><c t="inlineStr"><is><t>{}</t></is></c></row><row r="2"><c t="inlineStr"><is><t>"#,
        escape(header[0])
    );
    let sheet = repeated_part(
        "xl/worksheets/sheet1.xml",
        head.as_bytes(),
        b"x",
        len,
        b"</t></is></c></row></sheetData></worksheet>",
    );
    package(sheet, None)
}

/// A cell referring to the same long shared string over and over: the text is
/// small once but large as many copies.
pub fn one_string_many_times(header: &[&str], text_len: usize, cells: u32) -> Vec<u8> {
    let sst = format!(r#"<?xml version="1.0"?><sst {NS}><si><t>{}</t></si></sst>"#, "长".repeat(text_len / 3));
    let body = |xml: &mut String| {
        for r in 2..cells + 2 {
            let _ = write!(xml, r#"<row r="{r}"><c r="B{r}" t="s"><v>0</v></c></row>"#);
        }
    };
    package(sheet(header, body), Some(part("xl/sharedStrings.xml", sst.as_bytes())))
}
