//! The shapes every indicator source answers in, so the cockpit sums them the same
//! way whatever module counted them: figures per county region and sector on a day
//! ([`RegionCount`]), and the records behind a figure ([`Record`]).
//!
//! A source module (the register, the ledger, emergency-plan filing, special-operation
//! certificates …) counts set-based — one grouped query, never a row per enterprise —
//! and answers one [`RegionCount`] per `(region_code, sector)` that has anything to
//! count. The cockpit stores them and sums them up the region tree (a city is the sum
//! of its counties), so a region code here is the record's own (usually a county's).

use crate::enterprise::domain::{RegionCode, Sector};

/// One region's and sector's figures for an indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionCount {
    /// The record's region code (6 digits), as stored on the enterprise or bureau.
    pub region_code: String,
    /// The enterprise's sector; `None` for a record with no enterprise in the register.
    pub sector: Option<Sector>,
    pub numerator: i64,
    pub denominator: i64,
}

/// Which records to count: a region (its whole subtree) or everything.
#[derive(Debug, Clone, Default)]
pub struct Within {
    pub region: Option<RegionCode>,
}

impl Within {
    /// The `(low, high)` region codes to filter a `region_code` column with, if any.
    pub fn bounds(&self) -> Option<(String, String)> {
        self.region.as_ref().map(RegionCode::bounds)
    }
}

/// One record behind a figure (the drill-down from a number to the ledger rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// What it is, in Chinese (an enterprise's name, a worker and post, a hazard's title).
    pub label: String,
    /// A short second line in Chinese (the credit code, a certificate's validity …).
    pub detail: String,
    pub region_code: String,
    /// Counted in the numerator (otherwise only in the denominator).
    pub counted: bool,
    /// The page that opens the record (`/enterprises/12/…`).
    pub href: String,
}

/// The records behind a figure, capped: the first `limit` and how many there are.
#[derive(Debug, Clone, Default)]
pub struct Records {
    pub items: Vec<Record>,
    pub total: u64,
}
