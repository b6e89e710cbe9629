//! The legal catalogue of penalties (`data/penalty-catalogue.toml`), the discretion
//! benchmarks (`data/penalty-discretion.toml`, structure of 应急〔2024〕90号) and the
//! no-penalty list (`data/penalty-no-penalty.toml`): data, never code.
//!
//! Decisions:
//! - An entry applies to a case by the law's dates: a law in force on the day of the
//!   act (`effective_from` ≤ day ≤ `effective_until`) is offered; a code of a law not
//!   in force is a field error naming the dates.
//! - Unverified entries are offered but carry `verified: false`, shown as 未核实 on
//!   every page and document that names them.
//! - The statutory maximum of a fine row is the only hard limit; a benchmark step
//!   is advice (`domain::check_fine`).

use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;
use utoipa::ToSchema;

pub const SHIPPED: &str = include_str!("../../data/penalty-catalogue.toml");
pub const SHIPPED_DISCRETION: &str = include_str!("../../data/penalty-discretion.toml");
pub const SHIPPED_NO_PENALTY: &str = include_str!("../../data/penalty-no-penalty.toml");

/// A law, regulation or ministerial rule.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Law {
    pub code: String,
    pub name: String,
    pub short: String,
    pub effective_from: NaiveDate,
    /// Empty while in force: the last day in force otherwise.
    #[serde(default, deserialize_with = "optional_date")]
    pub effective_until: Option<NaiveDate>,
    pub verified: bool,
}

fn optional_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let s = String::deserialize(d)?;
    if s.trim().is_empty() { Ok(None) } else { s.trim().parse().map(Some).map_err(serde::de::Error::custom) }
}

/// Who a fine row is for: the unit, its 主要负责人, or other responsible persons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FineParty {
    Unit,
    Principal,
    Responsible,
}

impl FineParty {
    pub const fn zh(self) -> &'static str {
        match self {
            Self::Unit => "单位",
            Self::Principal => "主要负责人",
            Self::Responsible => "其他责任人员",
        }
    }
}

/// A fine row's amount: fixed yuan, or a share of the previous year's income.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FineKind {
    Fixed,
    IncomeShare,
}

/// One statutory fine: for a party kind at a stage.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Fine {
    pub party: FineParty,
    /// `first`, `uncorrected`, `refused`, or `accident_general` … `accident_especially_major`.
    pub stage: String,
    pub kind: FineKind,
    #[serde(default)]
    pub min_yuan: i64,
    #[serde(default)]
    pub max_yuan: i64,
    #[serde(default)]
    pub min_pct: i64,
    #[serde(default)]
    pub max_pct: i64,
}

impl Fine {
    /// The statutory range in yuan; an income share needs the income.
    pub fn range(&self, annual_income_yuan: Option<i64>) -> Option<(i64, i64)> {
        match self.kind {
            FineKind::Fixed => Some((self.min_yuan, self.max_yuan)),
            FineKind::IncomeShare => {
                let income = annual_income_yuan?;
                Some((income.saturating_mul(self.min_pct) / 100, income.saturating_mul(self.max_pct) / 100))
            }
        }
    }

    /// "2万元以上5万元以下" style text.
    pub fn text(&self) -> String {
        match self.kind {
            FineKind::IncomeShare if self.min_pct == self.max_pct => format!("上一年年收入的{}%", self.max_pct),
            FineKind::IncomeShare => format!("上一年年收入的{}%至{}%", self.min_pct, self.max_pct),
            FineKind::Fixed if self.min_yuan == 0 => format!("{}以下", yuan(self.max_yuan)),
            FineKind::Fixed => format!("{}以上{}以下", yuan(self.min_yuan), yuan(self.max_yuan)),
        }
    }
}

/// `50000` → `5万元`, `3000` → `3000元`.
pub fn yuan(n: i64) -> String {
    if n >= 10_000 && n % 100 == 0 {
        let cents = format!("{:02}", (n % 10_000) / 100);
        let cents = cents.trim_end_matches('0');
        if cents.is_empty() { format!("{}万元", n / 10_000) } else { format!("{}.{cents}万元", n / 10_000) }
    } else {
        format!("{n}元")
    }
}

/// A stage's Chinese name.
pub fn stage_zh(stage: &str) -> &'static str {
    match stage {
        "first" => "责令改正并处",
        "uncorrected" => "逾期未改正",
        "refused" => "拒不改正",
        "accident_general" => "发生一般事故",
        "accident_larger" => "发生较大事故",
        "accident_major" => "发生重大事故",
        "accident_especially_major" => "发生特别重大事故",
        _ => "其他",
    }
}

/// A violation the law punishes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CatalogueEntry {
    pub code: String,
    pub law: String,
    pub article: i32,
    #[serde(default)]
    pub clause: String,
    pub conduct: String,
    pub parties: Vec<FineParty>,
    #[serde(default)]
    pub measures: Vec<String>,
    pub daily_penalty: bool,
    pub verified: bool,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub checklist_items: Vec<String>,
    #[serde(default)]
    pub fines: Vec<Fine>,
}

/// The catalogue.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Catalogue {
    pub version: String,
    pub laws: Vec<Law>,
    pub entries: Vec<CatalogueEntry>,
}

/// One step (裁量阶次) of a benchmark.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BenchmarkStep {
    pub code: String,
    pub label: String,
    pub conditions: String,
    pub min_yuan: i64,
    pub max_yuan: i64,
}

/// The benchmark of one entry, party and stage.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Benchmark {
    pub entry: String,
    pub party: FineParty,
    pub stage: String,
    pub steps: Vec<BenchmarkStep>,
}

/// The discretion benchmarks.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Discretion {
    pub version: String,
    pub source: String,
    pub benchmarks: Vec<Benchmark>,
}

/// An entry of the no-penalty list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NoPenaltyItem {
    pub entry: String,
    /// `first_offence` (首违不罚, may) or `minor` (轻微不罚, must).
    pub kind: String,
    pub conditions: String,
    pub verified: bool,
}

/// The no-penalty list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NoPenaltyList {
    pub version: String,
    pub source: String,
    pub items: Vec<NoPenaltyItem>,
}

/// The three files, checked against each other.
pub struct Data {
    pub catalogue: Catalogue,
    pub discretion: Discretion,
    pub no_penalty: NoPenaltyList,
}

fn parse<T: serde::de::DeserializeOwned>(name: &str, shipped: &'static str) -> Result<T, String> {
    let text = crate::rules_data::text(name, shipped)?;
    toml::from_str(&text).map_err(|e| format!("{name}: {e}"))
}

/// Loads and cross-checks the files (a code naming nothing is an error).
pub fn load() -> Result<Data, String> {
    let catalogue: Catalogue = parse("penalty-catalogue.toml", SHIPPED)?;
    let discretion: Discretion = parse("penalty-discretion.toml", SHIPPED_DISCRETION)?;
    let no_penalty: NoPenaltyList = parse("penalty-no-penalty.toml", SHIPPED_NO_PENALTY)?;
    let data = Data { catalogue, discretion, no_penalty };
    for e in &data.catalogue.entries {
        if !data.catalogue.laws.iter().any(|l| l.code == e.law) {
            return Err(format!("penalty-catalogue.toml: entry {} names no law {}", e.code, e.law));
        }
    }
    for b in &data.discretion.benchmarks {
        let fine = data.entry(&b.entry).and_then(|e| e.fine(b.party, &b.stage));
        let Some(fine) = fine else {
            return Err(format!("penalty-discretion.toml: {} {:?} {} has no fine row", b.entry, b.party, b.stage));
        };
        if b.steps.iter().any(|s| s.min_yuan > s.max_yuan || s.max_yuan > fine.max_yuan) {
            return Err(format!("penalty-discretion.toml: a step of {} is outside its fine", b.entry));
        }
    }
    if let Some(i) = data.no_penalty.items.iter().find(|i| data.entry(&i.entry).is_none()) {
        return Err(format!("penalty-no-penalty.toml: {} is not in the catalogue", i.entry));
    }
    Ok(data)
}

static DATA: LazyLock<Result<Data, String>> = LazyLock::new(load);

/// The files in force (checked at `serve`'s start).
pub fn data() -> AppResult<&'static Data> {
    DATA.as_ref().map_err(|e| AppError::Internal(anyhow::anyhow!("penalty data: {e}")))
}

impl CatalogueEntry {
    /// The fine row for a party kind at a stage.
    pub fn fine(&self, party: FineParty, stage: &str) -> Option<&Fine> {
        self.fines.iter().find(|f| f.party == party && f.stage == stage)
    }

    /// 安全生产法第一百零二条第一项 style citation.
    pub fn citation(&self, law: &Law) -> String {
        let clause = self.clause.split('.').next_back().filter(|c| !c.is_empty());
        let clause = clause.map(|c| format!("第{}项", zh_number(c.parse().unwrap_or(0)))).unwrap_or_default();
        format!("《{}》第{}条{clause}", law.short, zh_number(self.article))
    }
}

impl Data {
    pub fn entry(&self, code: &str) -> Option<&CatalogueEntry> {
        self.catalogue.entries.iter().find(|e| e.code == code)
    }

    pub fn law(&self, code: &str) -> Option<&Law> {
        self.catalogue.laws.iter().find(|l| l.code == code)
    }

    /// Whether the entry's law is in force on `day`.
    pub fn in_force(&self, entry: &CatalogueEntry, day: NaiveDate) -> bool {
        self.law(&entry.law)
            .is_some_and(|l| l.effective_from <= day && l.effective_until.is_none_or(|until| day <= until))
    }

    pub fn benchmark(&self, entry: &str, party: FineParty, stage: &str) -> Option<&Benchmark> {
        self.discretion.benchmarks.iter().find(|b| b.entry == entry && b.party == party && b.stage == stage)
    }

    /// The no-penalty list's item for an entry, if any.
    pub fn no_penalty(&self, entry: &str) -> Option<&NoPenaltyItem> {
        self.no_penalty.items.iter().find(|i| i.entry == entry)
    }

    /// The citation of an entry (its law's short name, article and clause).
    pub fn citation(&self, entry: &CatalogueEntry) -> String {
        self.law(&entry.law).map_or_else(|| entry.code.clone(), |l| entry.citation(l))
    }
}

/// 1–999 in Chinese numerals (一百零二, 九十七, 十二).
pub fn zh_number(n: i32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let digit = |i: i32| D[usize::try_from(i).unwrap_or(0)];
    match n {
        0..=9 => digit(n).to_owned(),
        10..=19 => format!("十{}", if n % 10 == 0 { "" } else { digit(n % 10) }),
        20..=99 => format!("{}十{}", digit(n / 10), if n % 10 == 0 { "" } else { digit(n % 10) }),
        100..=999 => {
            let (h, rest) = (n / 100, n % 100);
            let tail = match rest {
                0 => String::new(),
                1..=9 => format!("零{}", digit(rest)),
                10..=19 => format!("一{}", zh_number(rest)),
                _ => zh_number(rest),
            };
            format!("{}百{tail}", digit(h))
        }
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_files_load_and_agree() {
        let d = load().unwrap_or_else(|e| panic!("{e}"));
        let e = d.entry("wsl-102").unwrap_or_else(|| panic!("wsl-102"));
        assert!(e.verified && e.daily_penalty);
        let unit = e.fine(FineParty::Unit, "first").unwrap_or_else(|| panic!("unit row"));
        assert_eq!(unit.range(None), Some((0, 50_000)));
        assert_eq!(d.citation(e), "《安全生产法》第一百零二条");
    }

    #[test]
    fn numerals_and_amounts_read_as_written() {
        assert_eq!(zh_number(97), "九十七");
        assert_eq!(zh_number(102), "一百零二");
        assert_eq!(zh_number(110), "一百一十");
        assert_eq!(zh_number(113), "一百一十三");
        assert_eq!(zh_number(10), "十");
        assert_eq!(yuan(50_000), "5万元");
        assert_eq!(yuan(27_500), "2.75万元");
        assert_eq!(yuan(3000), "3000元");
    }

    #[test]
    fn income_shares_need_the_income() {
        let f = Fine {
            party: FineParty::Principal,
            stage: "accident_general".into(),
            kind: FineKind::IncomeShare,
            min_yuan: 0,
            max_yuan: 0,
            min_pct: 40,
            max_pct: 40,
        };
        assert_eq!(f.range(None), None);
        assert_eq!(f.range(Some(300_000)), Some((120_000, 120_000)));
        assert_eq!(f.text(), "上一年年收入的40%");
    }
}
