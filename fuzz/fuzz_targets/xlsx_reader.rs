//! Any bytes into the spreadsheet reader: it answers a sheet whose rows fit its
//! headers, or one of the documented errors, within its memory budget.
#![no_main]

use anjian::xlsx::read::{Limits, read_first_sheet};
use anjian_fuzz::{check_read_error, check_sheet, peak_bound, peak_during};
use libfuzzer_sys::fuzz_target;

/// Small enough that a run stays fast; the roster keeps 256 MiB.
const LIMITS: Limits = Limits { max_bytes: 8 << 20, max_rows: 200_000, max_cols: 256, max_memory: 64 << 20 };

fuzz_target!(|data: &[u8]| {
    let (read, peak) = peak_during(|| read_first_sheet(data, &LIMITS));
    match &read {
        Ok(sheet) => check_sheet(sheet, &LIMITS),
        Err(e) => check_read_error(e),
    }
    let bound = peak_bound(&LIMITS, data.len());
    assert!(peak <= bound, "peak {} MiB over {} MiB", peak >> 20, bound >> 20);
});
