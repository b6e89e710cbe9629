//! Any bytes into the roster import's parsing (`parse_bytes`: read, map the
//! columns, check every row and the duplicates): good rows and a bounded list
//! of problems, or a read error.
#![no_main]

use anjian::enterprise::import::parse_bytes;
use anjian::xlsx::read::Limits;
use anjian_fuzz::{check_import_error, check_rejection, peak_bound, peak_during};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (parsed, peak) = peak_during(|| parse_bytes(data).map(|p| p.errors.into_rejection()));
    match &parsed {
        Ok(rejection) => check_rejection(rejection),
        Err(e) => check_import_error(e),
    }
    let bound = peak_bound(&Limits::ROSTER, data.len());
    assert!(peak <= bound, "peak {} MiB over {} MiB", peak >> 20, bound >> 20);
});
