//! Legacy `.xls` (BIFF in an OLE2 container), read through calamine's range API
//! after a structural pre-check. calamine trusts sizes inside `.xls` files: a
//! cyclic sector chain, a forged DIMENSIONS record or two far-apart cells make
//! it allocate without bound, and a failed allocation aborts the process (no
//! panic to catch). So the container and every sheet substream are walked here
//! first, the way calamine will read them, anything odd is refused, and what
//! calamine will allocate (the dense cell grid, twice, and the shared string
//! table) is charged to the read's budget before it runs.

use super::budget::Budget;
use super::cell::to_cell;
use super::le::{le16, le32, le64};
use super::read::{Limits, PASSWORD, ReadError, Sheet};
use super::rows::RowCollector;
use calamine::{Data, Reader, SheetType, SheetVisible, Xls};
use std::io::Cursor;

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Sheet, ReadError> {
    let stream = ole_workbook_stream(bytes).ok_or_else(|| {
        let encrypted = is_encrypted_ooxml(bytes); // has no Workbook stream either
        ReadError::Malformed(if encrypted { PASSWORD } else { "xls 文件的容器结构损坏" }.to_owned())
    })?;
    let mut budget = Budget::new(limits.max_memory);
    check_biff(&stream, &mut budget)?;
    drop(stream);
    let mut book: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| xls_error(&e))?;
    let name = pick_sheet(book.sheets_metadata())?;
    let range = book.worksheet_range(&name).map_err(|e| xls_error(&e))?;
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut rows = RowCollector::new(limits, budget);
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
/// skipped. A workbook listing no sheet at all is broken (Excel always keeps one).
fn pick_sheet(sheets: &[calamine::Sheet]) -> Result<String, ReadError> {
    if sheets.is_empty() {
        return Err(ReadError::Malformed("找不到工作表清单（workbook.xml 缺失或为空）".to_owned()));
    }
    let worksheets = || sheets.iter().filter(|s| s.typ == SheetType::WorkSheet);
    let sheet = worksheets().find(|s| s.visible == SheetVisible::Visible);
    sheet.or_else(|| worksheets().next()).map(|s| s.name.clone()).ok_or(ReadError::NoSheet)
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

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// 4 Mi cells (about 128 MiB per copy in calamine): 65,536 rows x 64 columns.
const MAX_XLS_AREA: u64 = 1 << 22;

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

/// Checks every sheet substream calamine will load and charges what calamine
/// will allocate: each sheet's bounding box densely (twice), and the shared
/// string table, at 16 bytes per byte of the SST records (a 3-byte empty string
/// becomes a 24-byte `String`, and the table doubles as it grows).
fn check_biff(stream: &[u8], budget: &mut Budget) -> Result<(), ReadError> {
    let (mut sheets, mut sst_bytes, mut in_sst) = (Vec::new(), 0usize, false);
    for (typ, data) in biff_records(stream) {
        match typ {
            0x002F => return Err(ReadError::Malformed(PASSWORD.to_owned())), // FILEPASS
            // CODEPAGE and DATEMODE: calamine reads two bytes without looking.
            0x0042 | 0x0022 if data.len() < 2 => {
                return Err(ReadError::Malformed(format!("xls 工作簿中的记录 0x{typ:04X} 过短")));
            }
            0x0085 => sheets.extend(le32(data, 0).and_then(|p| usize::try_from(p).ok())),
            0x00FC => {
                in_sst = true;
                sst_bytes += data.len();
            }
            0x003C if in_sst => sst_bytes += data.len(), // CONTINUE
            0x000A => break,
            _ => in_sst = false,
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
    let grid = usize::try_from(area).unwrap_or(usize::MAX).saturating_mul(2 * std::mem::size_of::<Data>());
    budget.charge(grid, "xls 单元格范围")?;
    budget.charge(sst_bytes.saturating_mul(16), "xls 共享字符串（请另存为 .xlsx 后上传）")?;
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
