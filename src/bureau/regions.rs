//! Region names (GB/T 2260), shipped in `data/regions.tsv` and embedded in the
//! binary; a `regions.tsv` in `ANJIAN_DATA_DIR` replaces the shipped table.
//! Codes not in the table still work; their bureau gets a generic name.

use crate::enterprise::domain::{RegionCode, RegionLevel};
use std::collections::HashMap;
use std::sync::LazyLock;

static SHIPPED: &str = include_str!("../../data/regions.tsv");

static NAMES: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    let local = std::env::var_os("ANJIAN_DATA_DIR")
        .map(|d| std::path::PathBuf::from(d).join("regions.tsv"))
        .and_then(|p| std::fs::read_to_string(p).ok());
    local
        .as_deref()
        .unwrap_or(SHIPPED)
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut cols = line.split('\t');
            Some((cols.next()?.trim().to_owned(), cols.next()?.trim().to_owned()))
        })
        .collect()
});

/// The region's name, if shipped.
pub fn name(code: &str) -> Option<&'static str> {
    NAMES.get(code).map(String::as_str)
}

/// 湖北省应急管理厅, 武汉市应急管理局, 江汉区应急管理局.
pub fn bureau_name(code: &RegionCode) -> String {
    match (name(code.as_str()), code.level()) {
        (Some(n), RegionLevel::Province) => format!("{n}应急管理厅"),
        (Some(n), _) => format!("{n}应急管理局"),
        (None, _) => format!("{}应急管理局", code.as_str()),
    }
}
