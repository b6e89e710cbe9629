//! Any bytes into the ledger import's and the holiday import's parsing (both
//! read a whole workbook and check every row): good rows, or a read error, or
//! a bounded list of problems.
#![no_main]

use anjian_fuzz::{check_import_error, peak_bound, peak_during};
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(today) = NaiveDate::from_ymd_opt(2026, 6, 15) else { return };
    let (ledger, peak) = peak_during(|| anjian::hazard::import::parse(data, today));
    if let Err(e) = &ledger {
        check_import_error(e);
    }
    let bound = peak_bound(&anjian::hazard::import::LIMITS, data.len());
    assert!(peak <= bound, "ledger: peak {} MiB over {} MiB", peak >> 20, bound >> 20);
    // The holiday import reads under smaller limits; the same bytes exercise its row checks.
    if let Err(e) = &anjian::calendar::import::parse(data, today) {
        check_import_error(e);
    }
});
