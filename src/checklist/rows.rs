//! One item as a row of Chinese texts — a row of the upload's 检查项 sheet or
//! of the page's editing table — read into an [`Item`], every problem noted
//! with the row number and the column's Chinese label.

use super::{Applicability, Item, Severity};
use crate::enterprise::domain::{Sector, SpecialTopic, SubType};
use crate::error::RowError;
use crate::limits;
use crate::row_errors::RowErrors;

pub const SECTION: &str = "章节";
pub const CODE: &str = "编号";
pub const TEXT: &str = "检查内容";
pub const BASIS: &str = "判定依据";
pub const SEVERITY: &str = "隐患级别";
pub const PENALTY: &str = "处罚依据";
pub const SECTORS: &str = "适用行业";
pub const SUB_TYPES: &str = "适用企业类型";
pub const TOPICS: &str = "适用专项";
pub const VERIFIED: &str = "已核实";
/// The item columns in template order.
pub const COLUMNS: [&str; 10] = [SECTION, CODE, TEXT, BASIS, SEVERITY, PENALTY, SECTORS, SUB_TYPES, TOPICS, VERIFIED];

/// An item row as typed, by column (empty cells are empty strings).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct ItemRow {
    pub section: String,
    pub code: String,
    pub text: String,
    pub basis: String,
    pub severity: String,
    pub penalty_basis: String,
    pub sectors: String,
    pub sub_types: String,
    pub special_topics: String,
    pub verified: String,
}

impl ItemRow {
    pub fn is_blank(&self) -> bool {
        self.cells().iter().all(|(_, v)| v.trim().is_empty())
    }

    fn cells(&self) -> [(&'static str, &str); 10] {
        [
            (SECTION, &self.section),
            (CODE, &self.code),
            (TEXT, &self.text),
            (BASIS, &self.basis),
            (SEVERITY, &self.severity),
            (PENALTY, &self.penalty_basis),
            (SECTORS, &self.sectors),
            (SUB_TYPES, &self.sub_types),
            (TOPICS, &self.special_topics),
            (VERIFIED, &self.verified),
        ]
    }

    /// The row of a stored item, in Chinese (for the editing table).
    pub fn of(section: &str, i: &Item) -> Self {
        let join = |v: Vec<&str>| v.join("、");
        let a = &i.applicability;
        let qualified = |t: &SubType| {
            if a.sectors.len() == 1 { t.zh().to_owned() } else { format!("{}{}", t.sector().zh(), t.zh()) }
        };
        Self {
            section: section.to_owned(),
            code: i.code.clone(),
            text: i.text.clone(),
            basis: i.basis.clone(),
            severity: severity_zh(i.severity).to_owned(),
            penalty_basis: i.penalty_basis.clone().unwrap_or_default(),
            sectors: join(a.sectors.iter().map(|s| s.zh()).collect()),
            sub_types: a.sub_types.iter().map(qualified).collect::<Vec<_>>().join("、"),
            special_topics: join(a.special_topics.iter().map(|t| t.zh()).collect()),
            verified: if i.verified { "是" } else { "否" }.to_owned(),
        }
    }
}

/// 重大 or 一般, as the template's drop-down offers.
pub fn severity_zh(s: Severity) -> &'static str {
    match s {
        Severity::Major => "重大",
        Severity::General => "一般",
    }
}

pub fn err(row: u32, column: &str, code: &str, message: String) -> RowError {
    RowError { row, column: column.to_owned(), code: code.to_owned(), message }
}

/// The values of a list cell: 危险化学品、工贸 (also separated by commas, semicolons or spaces).
pub fn split(v: &str) -> impl Iterator<Item = &str> {
    v.split(['、', ',', '，', ';', '；', '/', ' ', '\n']).map(str::trim).filter(|s| !s.is_empty())
}

fn severity(v: &str) -> Option<Severity> {
    match v.trim() {
        "重大" | "重大事故隐患" | "重大隐患" => Some(Severity::Major),
        "一般" | "一般事故隐患" | "一般隐患" => Some(Severity::General),
        _ => None,
    }
}

/// A sub-type named within the listed sectors (or any sector); 生产 alone is
/// ambiguous without a single sector, 烟花爆竹生产 is not.
fn sub_type(sectors: &[Sector], v: &str) -> Result<SubType, String> {
    let within: &[Sector] = if sectors.is_empty() { Sector::ALL } else { sectors };
    let found: Vec<SubType> = within.iter().filter_map(|s| SubType::from_zh(*s, v)).collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(format!("未知的企业类型“{}”", limits::preview(v))),
        _ => Err(format!("企业类型“{}”在多个行业都有，请写成“行业+类型”，如“危险化学品生产”", limits::preview(v))),
    }
}

/// Reads the applicability columns.
fn applicability(n: u32, r: &ItemRow, errors: &mut RowErrors) -> Applicability {
    let mut a = Applicability::default();
    for v in split(&r.sectors) {
        match Sector::from_zh(v) {
            Some(s) if !a.sectors.contains(&s) => a.sectors.push(s),
            Some(_) => {}
            None => errors.push(err(n, SECTORS, "unknown_sector", format!("未知的行业“{}”", limits::preview(v)))),
        }
    }
    for v in split(&r.sub_types) {
        match sub_type(&a.sectors, v) {
            Ok(t) if !a.sub_types.contains(&t) => a.sub_types.push(t),
            Ok(_) => {}
            Err(m) => errors.push(err(n, SUB_TYPES, "unknown_sub_type", m)),
        }
    }
    for v in split(&r.special_topics) {
        match SpecialTopic::from_zh(v) {
            Some(t) if !a.special_topics.contains(&t) => a.special_topics.push(t),
            Some(_) => {}
            None => errors.push(err(n, TOPICS, "unknown_topic", format!("未知的专项“{}”", limits::preview(v)))),
        }
    }
    a
}

/// Reads row `n`; its problems go to `errors`. Returns the section and the item when the row is good.
pub fn item(n: u32, r: &ItemRow, errors: &mut RowErrors) -> Option<(String, Item)> {
    let before = errors.total();
    for (column, v) in r.cells() {
        if let Some(p) = limits::problem(v, if column == CODE { limits::SHORT } else { limits::TEXT }) {
            errors.push(err(n, column, p.code(), p.cell_message(v)));
        }
    }
    for (column, v) in [(SECTION, &r.section), (CODE, &r.code), (TEXT, &r.text), (BASIS, &r.basis)] {
        if v.trim().is_empty() {
            errors.push(err(n, column, "missing_required", "必填项为空".to_owned()));
        }
    }
    let sev = severity(&r.severity);
    if sev.is_none() {
        let m = format!("隐患级别应为“重大”或“一般”，实际为“{}”", limits::preview(&r.severity));
        errors.push(err(n, SEVERITY, "invalid_severity", m));
    }
    let verified = match r.verified.trim() {
        "是" => Some(true),
        "否" | "" => Some(false),
        v => {
            errors.push(err(
                n,
                VERIFIED,
                "invalid_value",
                format!("已核实应为“是”或“否”，实际为“{}”", limits::preview(v)),
            ));
            None
        }
    };
    let applicability = applicability(n, r, errors);
    let (Some(severity), Some(verified)) = (sev, verified) else { return None };
    if errors.total() != before {
        return None;
    }
    let penalty = Some(r.penalty_basis.trim().to_owned()).filter(|p| !p.is_empty());
    let item = Item {
        code: r.code.trim().to_owned(),
        text: r.text.trim().to_owned(),
        basis: r.basis.trim().to_owned(),
        severity,
        penalty_basis: penalty,
        applicability,
        verified,
    };
    Some((r.section.trim().to_owned(), item))
}

/// Groups good rows into sections in the order they first appear; each
/// repeated code is reported at its row, naming the first.
pub fn sections(rows: &[(u32, String, Item)], errors: &mut RowErrors) -> Vec<super::Section> {
    let mut seen = crate::row_errors::Seen::default();
    let mut out: Vec<super::Section> = Vec::new();
    for (n, section, item) in rows {
        if let Some(first) = seen.see(item.code.clone(), *n) {
            errors.push(err(*n, CODE, "duplicate_in_file", format!("编号“{}”与第 {first} 行重复", item.code)));
        }
        match out.iter_mut().find(|s| &s.name == section) {
            Some(s) => s.items.push(item.clone()),
            None => out.push(super::Section { name: section.clone(), items: vec![item.clone()] }),
        }
    }
    out
}
