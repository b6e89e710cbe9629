//! Region names (GB/T 2260), shipped in `data/regions.tsv` and embedded in the
//! binary; a `regions.tsv` in `ANJIAN_DATA_DIR` replaces the shipped table.
//! Codes not in the table still work; their bureau gets a generic name.

use crate::enterprise::domain::{RegionCode, RegionLevel};
use std::collections::HashMap;
use std::sync::LazyLock;

static SHIPPED: &str = include_str!("../../data/regions.tsv");

/// One shipped division: its name and, where the table gives one, its parent.
struct Division {
    name: String,
    parent: Option<String>,
}

static TABLE: LazyLock<HashMap<String, Division>> = LazyLock::new(|| {
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
            let code = cols.next()?.trim().to_owned();
            let name = cols.next()?.trim().to_owned();
            let parent = cols.next().map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned);
            Some((code, Division { name, parent }))
        })
        .collect()
});

/// The region's name, if shipped.
pub fn name(code: &str) -> Option<&'static str> {
    TABLE.get(code).map(|d| d.name.as_str())
}

/// The shipped divisions at or below `code` (a county: itself), by code, with their names.
pub fn within(code: &RegionCode) -> Vec<(String, &'static str)> {
    let (low, high) = code.bounds();
    let mut out: Vec<(String, &'static str)> = TABLE
        .iter()
        .filter(|(c, _)| c.as_str() >= low.as_str() && c.as_str() <= high.as_str())
        .map(|(c, d)| (c.clone(), d.name.as_str()))
        .collect();
    out.sort();
    out
}

/// The real parent of a region: from the table where it is listed (仙桃 429004 sits
/// directly under 湖北省), otherwise by the digits of the code.
pub fn parent(code: &RegionCode) -> Option<RegionCode> {
    match TABLE.get(code.as_str()) {
        Some(d) => d.parent.as_deref().and_then(|p| RegionCode::parse(p).ok()),
        None => code.parent(),
    }
}

/// Whether the table lists the divisions below this code's province.
fn province_listed(code: &RegionCode) -> bool {
    let prefix = &code.as_str()[..2];
    TABLE.keys().any(|k| k.starts_with(prefix) && !k.ends_with("0000"))
}

/// A code is accepted if the table lists it, or if the table does not list its
/// province's divisions at all (then any well-formed code of a real province is).
pub fn check_exists(code: &RegionCode) -> Result<(), String> {
    if TABLE.contains_key(code.as_str()) || !province_listed(code) {
        Ok(())
    } else {
        Err(format!("行政区划代码 {} 不存在（不在 GB/T 2260 区划表中）", code.as_str()))
    }
}
/// 湖北省应急管理厅, 武汉市应急管理局, 江汉区应急管理局.
pub fn bureau_name(code: &RegionCode) -> String {
    match (name(code.as_str()), code.level()) {
        (Some(n), RegionLevel::Province) => format!("{n}应急管理厅"),
        (Some(n), _) => format!("{n}应急管理局"),
        (None, _) => format!("{}应急管理局", code.as_str()),
    }
}
