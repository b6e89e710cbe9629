//! The central directory of an uploaded `.xlsx`, walked before any zip library
//! sees the file. Counts and sizes a file declares are checked against the file
//! itself and against fixed caps, so nothing later allocates by them: at most
//! [`MAX_ENTRIES`] entries, a directory that lies inside the file, and a total
//! declared inflated size under the cap (the zip crate stops every entry at its
//! declared size, so these sizes bound what inflating can produce).

use super::le::{le16, le32, le64};
use super::read::ReadError;

/// A workbook has a few dozen parts; a few thousand allows for many images.
pub const MAX_ENTRIES: u64 = 10_000;

/// One entry as the central directory declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    /// Declared uncompressed size.
    pub size: u64,
}

fn broken() -> ReadError {
    ReadError::Malformed("压缩包目录损坏".to_owned())
}

/// Where the central directory is and how many entries it has, from the end
/// record (and the ZIP64 end record when the end record defers to it).
fn locate(bytes: &[u8]) -> Option<(u64, u64, u64)> {
    let tail = bytes.len().saturating_sub(22 + 65_535);
    let eocd = tail + bytes.get(tail..)?.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let (entries, size, offset) =
        (u64::from(le16(bytes, eocd + 10)?), u64::from(le32(bytes, eocd + 12)?), u64::from(le32(bytes, eocd + 16)?));
    let deferred = entries == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF;
    let locator = eocd.checked_sub(20).filter(|at| bytes.get(*at..*at + 4) == Some(b"PK\x06\x07"));
    match locator {
        Some(at) => {
            let record = usize::try_from(le64(bytes, at + 8)?).ok()?;
            if bytes.get(record..record.checked_add(4)?)? != b"PK\x06\x06" {
                return None;
            }
            Some((le64(bytes, record + 32)?, le64(bytes, record + 40)?, le64(bytes, record + 48)?))
        }
        None if deferred => None,
        None => Some((entries, size, offset)),
    }
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

/// Walks the directory; `None` when it is not where it says or not what it says.
fn walk(bytes: &[u8]) -> Result<Vec<Entry>, ReadError> {
    let (count, size, offset) = locate(bytes).ok_or_else(broken)?;
    if count > MAX_ENTRIES {
        return Err(ReadError::TooLarge(format!("压缩包内的文件数超过上限 {MAX_ENTRIES} 个")));
    }
    let start = usize::try_from(offset).map_err(|_| broken())?;
    let end = usize::try_from(size).ok().and_then(|s| start.checked_add(s)).ok_or_else(broken)?;
    let dir = bytes.get(start..end).ok_or_else(broken)?;
    let mut out = Vec::new();
    let mut at = 0usize;
    for _ in 0..count {
        let entry = || -> Option<(Entry, usize)> {
            if dir.get(at..at + 4)? != b"PK\x01\x02" {
                return None;
            }
            let name_len = usize::from(le16(dir, at + 28)?);
            let extra_len = usize::from(le16(dir, at + 30)?);
            let comment_len = usize::from(le16(dir, at + 32)?);
            let name = dir.get(at + 46..at + 46 + name_len)?;
            let mut size = u64::from(le32(dir, at + 24)?);
            if size == u64::from(u32::MAX) {
                size = zip64_size(dir.get(at + 46 + name_len..)?.get(..extra_len)?).unwrap_or(u64::MAX);
            }
            let name = String::from_utf8_lossy(name).into_owned();
            Some((Entry { name, size }, 46 + name_len + extra_len + comment_len))
        };
        let (e, len) = entry().ok_or_else(broken)?;
        out.push(e);
        at += len;
    }
    Ok(out)
}

/// The entries of a zip whose directory is consistent and whose declared
/// inflated total is at most `max_inflated` bytes.
pub fn entries(bytes: &[u8], max_inflated: u64) -> Result<Vec<Entry>, ReadError> {
    let entries = walk(bytes)?;
    let total = entries.iter().fold(0u64, |sum, e| sum.saturating_add(e.size));
    if total > max_inflated {
        return Err(ReadError::TooLarge(format!("解压后的内容超过上限 {} MiB", max_inflated >> 20)));
    }
    Ok(entries)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::xlsx::testing::stored_zip;

    #[test]
    fn a_plain_directory_is_listed() {
        let zip = stored_zip(&[("a.xml", "<a/>"), ("b/c.xml", "hello")]);
        let listed = entries(&zip, 1 << 20).unwrap();
        let names: Vec<(&str, u64)> = listed.iter().map(|e| (e.name.as_str(), e.size)).collect();
        assert_eq!(names, [("a.xml", 4), ("b/c.xml", 5)]);
    }

    #[test]
    fn declared_sizes_above_the_cap_are_refused() {
        let zip = stored_zip(&[("a.xml", "<a/>")]);
        assert!(matches!(entries(&zip, 3), Err(ReadError::TooLarge(_))));
    }

    #[test]
    fn forged_counts_and_offsets_are_malformed_or_too_large() {
        let zip = stored_zip(&[("a.xml", "<a/>")]);
        let eocd = zip.windows(4).rposition(|w| w == b"PK\x05\x06").unwrap();
        let patch = |at: usize, with: &[u8]| {
            let mut z = zip.clone();
            z[at..at + with.len()].copy_from_slice(with);
            z
        };
        // More entries than the directory holds.
        assert!(matches!(entries(&patch(eocd + 10, &[2, 0]), 1 << 20), Err(ReadError::Malformed(_))));
        // A directory beyond the end of the file.
        assert!(matches!(entries(&patch(eocd + 16, &[0, 0, 0, 0x7F]), 1 << 20), Err(ReadError::Malformed(_))));
        // A ZIP64 marker without a ZIP64 record.
        assert!(matches!(entries(&patch(eocd + 10, &[0xFF, 0xFF]), 1 << 20), Err(ReadError::Malformed(_))));
        // A ZIP64 record declaring 10^15 entries.
        let mut z64 = zip[..eocd].to_vec();
        let record = z64.len() as u64;
        z64.extend(b"PK\x06\x06");
        z64.extend(44u64.to_le_bytes());
        z64.extend([45, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        z64.extend(1_000_000_000_000_000u64.to_le_bytes());
        z64.extend(1_000_000_000_000_000u64.to_le_bytes());
        z64.extend(100u64.to_le_bytes());
        z64.extend(0u64.to_le_bytes());
        z64.extend(b"PK\x06\x07\0\0\0\0");
        z64.extend(record.to_le_bytes());
        z64.extend(1u32.to_le_bytes());
        z64.extend(&zip[eocd..]);
        assert!(matches!(entries(&z64, 1 << 20), Err(ReadError::TooLarge(m)) if m.contains("10000")));
    }
}
