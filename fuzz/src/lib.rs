//! What the fuzz targets share: an allocator that turns a single huge
//! allocation into a crash and measures the peak a call reaches, and the
//! checks every answer of the reader and the importers must pass.

use anjian::error::AppError;
use anjian::row_errors::{MAX_LISTED, Rejection};
use anjian::xlsx::read::{Limits, ReadError, Sheet};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// A single allocation at least this large is a crash, as `-malloc_limit_mb`
/// would report it under a sanitizer (without one libFuzzer cannot see allocations).
pub const MAX_ALLOCATION: usize = 1 << 30;

/// The system allocator, counting the bytes live and their peak.
pub struct Guard;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

impl Guard {
    fn grew(size: usize) {
        if size >= MAX_ALLOCATION {
            // No allocation here: report and abort, which libFuzzer records as a crash.
            let _ = std::io::Write::write_all(&mut std::io::stderr(), b"==fuzz== single allocation over 1 GiB\n");
            std::process::abort();
        }
        let live = LIVE.fetch_add(size, Relaxed) + size;
        PEAK.fetch_max(live, Relaxed);
    }
}

// SAFETY: every call is forwarded to `System` with the same arguments.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Guard {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Self::grew(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        Self::grew(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Old and new block are both live while the bytes are copied.
        Self::grew(new_size);
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        LIVE.fetch_sub(layout.size(), Relaxed);
        moved
    }
}

#[global_allocator]
static GUARD: Guard = Guard;

/// Bytes allocated beyond those live when `f` began, at its peak.
pub fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
    let out = f();
    (out, PEAK.load(Relaxed).saturating_sub(base))
}

/// What a read may use at its peak: what it keeps (`max_memory`, the budget),
/// the same again for vectors doubling as they grow, and the input twice over
/// plus 16 MiB for buffers that are not kept (inflate windows, an `.xls`
/// stream copied out of its container).
pub fn peak_bound(limits: &Limits, input: usize) -> usize {
    2 * limits.max_memory + 2 * input + (16 << 20)
}

/// The invariants of a sheet read under `limits`.
pub fn check_sheet(sheet: &Sheet, limits: &Limits) {
    assert!(!sheet.headers.is_empty(), "a sheet without headers");
    assert!(sheet.headers.len() <= limits.max_cols as usize, "{} columns", sheet.headers.len());
    assert!(sheet.rows.len() <= limits.max_rows as usize, "{} rows", sheet.rows.len());
    let mut last = 0;
    for row in &sheet.rows {
        assert_eq!(row.cells.len(), sheet.headers.len(), "row {}: cells and headers differ", row.number);
        assert!(row.number > last, "row {} after row {last}", row.number);
        last = row.number;
    }
}

/// Every error is one of the documented kinds, and a panic caught inside the
/// reader (its defence in depth) is a finding here.
pub fn check_read_error(e: &ReadError) {
    match e {
        ReadError::Malformed(m) => assert!(!m.contains("解析器内部错误"), "the reader panicked inside: {m}"),
        ReadError::TooLarge(_) | ReadError::NotSpreadsheet | ReadError::NoSheet | ReadError::NoHeader => {}
    }
}

/// An importer's answer to a file: a read error (400), or a bounded rejection.
pub fn check_import_error(e: &AppError) {
    const READ_CODES: [&str; 5] = ["not_spreadsheet", "malformed_file", "file_too_large", "no_sheet", "no_header"];
    match e {
        AppError::BadRequest { code, message } => {
            assert!(READ_CODES.contains(code), "unexpected code {code}");
            assert!(!message.contains("解析器内部错误"), "the reader panicked inside: {message}");
        }
        AppError::ImportRejected(r) => {
            assert!(!r.rows.is_empty(), "a rejection without rows");
            check_rejection(r);
        }
        other => panic!("unexpected error {other:?}"),
    }
}

/// A rejection lists at most 1,000 problems, first rows first, and counts them all.
pub fn check_rejection(r: &Rejection) {
    assert!(r.rows.len() <= MAX_LISTED, "{} rows listed", r.rows.len());
    assert!(r.total >= r.rows.len(), "total {} < {} listed", r.total, r.rows.len());
    assert_eq!(r.by_code.values().sum::<usize>(), r.total, "per-code counts do not add up");
    assert!(r.rows.windows(2).all(|w| w[0].row <= w[1].row), "rows out of order");
}
