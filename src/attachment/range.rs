//! Byte ranges, both ways: the `Range` header of a download (one range,
//! `bytes=a-b`, `a-` or `-n`; several ranges or another unit get the whole
//! file, as RFC 9110 allows) and the `Content-Range` of an uploaded chunk
//! (`bytes a-b/total`).

/// What to send for a download of `len` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    Whole,
    /// First and last byte, inclusive.
    Part(u64, u64),
    /// 416 Range Not Satisfiable.
    Unsatisfiable,
}

/// Reads a `Range` header against a file of `len` bytes.
pub fn wanted(header: Option<&str>, len: u64) -> Wanted {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else { return Wanted::Whole };
    if spec.contains(',') {
        return Wanted::Whole;
    }
    let Some((a, b)) = spec.split_once('-') else { return Wanted::Whole };
    let (a, b) = (a.trim(), b.trim());
    let number = |s: &str| s.parse::<u64>().ok();
    match (a.is_empty(), b.is_empty()) {
        // The last n bytes.
        (true, false) => match number(b) {
            Some(0) => Wanted::Unsatisfiable,
            Some(_) if len == 0 => Wanted::Unsatisfiable,
            Some(n) => Wanted::Part(len.saturating_sub(n), len - 1),
            None => Wanted::Whole,
        },
        (false, _) => {
            let Some(first) = number(a) else { return Wanted::Whole };
            let last = if b.is_empty() { Some(u64::MAX) } else { number(b) };
            match last {
                None => Wanted::Whole,
                Some(last) if last < first => Wanted::Whole,
                Some(_) if first >= len => Wanted::Unsatisfiable,
                Some(last) => Wanted::Part(first, last.min(len - 1)),
            }
        }
        (true, true) => Wanted::Whole,
    }
}

/// A chunk's place in its file: `bytes first-last/total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkRange {
    pub first: u64,
    pub last: u64,
    pub total: u64,
}

impl ChunkRange {
    #[allow(clippy::len_without_is_empty)] // a range is never empty: first ≤ last
    pub fn len(self) -> u64 {
        self.last - self.first + 1
    }
}

/// Parses `Content-Range: bytes a-b/total` (a ≤ b < total).
pub fn chunk_range(header: &str) -> Option<ChunkRange> {
    let rest = header.trim().strip_prefix("bytes ")?;
    let (span, total) = rest.split_once('/')?;
    let (a, b) = span.split_once('-')?;
    let r =
        ChunkRange { first: a.trim().parse().ok()?, last: b.trim().parse().ok()?, total: total.trim().parse().ok()? };
    (r.first <= r.last && r.last < r.total).then_some(r)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{ChunkRange, Wanted, chunk_range, wanted};

    #[test]
    fn download_ranges() {
        assert_eq!(wanted(None, 100), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=0-9"), 100), Wanted::Part(0, 9));
        assert_eq!(wanted(Some("bytes=90-"), 100), Wanted::Part(90, 99));
        assert_eq!(wanted(Some("bytes=90-500"), 100), Wanted::Part(90, 99));
        assert_eq!(wanted(Some("bytes=-10"), 100), Wanted::Part(90, 99));
        assert_eq!(wanted(Some("bytes=-500"), 100), Wanted::Part(0, 99));
        assert_eq!(wanted(Some("bytes=100-"), 100), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=-0"), 100), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=0-"), 0), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=5-1"), 100), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=0-1,5-6"), 100), Wanted::Whole);
        assert_eq!(wanted(Some("items=0-1"), 100), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=x-1"), 100), Wanted::Whole);
    }

    #[test]
    fn chunk_ranges() {
        assert_eq!(chunk_range("bytes 0-99/1000"), Some(ChunkRange { first: 0, last: 99, total: 1000 }));
        assert_eq!(chunk_range("bytes 0-99/1000").map(ChunkRange::len), Some(100));
        assert_eq!(chunk_range("bytes 900-999/1000").map(|r| r.last), Some(999));
        assert_eq!(chunk_range("bytes 900-1000/1000"), None);
        assert_eq!(chunk_range("bytes 9-1/1000"), None);
        assert_eq!(chunk_range("bytes */1000"), None);
        assert_eq!(chunk_range("0-1/2"), None);
    }
}
