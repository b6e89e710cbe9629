//! The checklist document: parsing, checking, hashing and applicability.

use crate::enterprise::domain::{Sector, SpecialTopic, SubType};
use crate::entities::enterprise;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

crate::coded::coded_enum! {
    /// How grave a failed item is.
    pub enum Severity in "隐患级别" {
        Major = "major" / "重大事故隐患",
        General = "general" / "一般事故隐患",
    }
}

crate::coded::coded_enum! {
    /// Where a stored version stands.
    pub enum VersionStatus in "检查表版本状态" {
        Current = "current" / "现行",
        Superseded = "superseded" / "已被新版本取代",
        Retired = "retired" / "已停用",
    }
}

/// Which enterprises an item applies to; an empty list matches any.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Applicability {
    #[serde(default)]
    pub sectors: Vec<Sector>,
    #[serde(default)]
    pub sub_types: Vec<SubType>,
    #[serde(default)]
    pub special_topics: Vec<SpecialTopic>,
}

impl Applicability {
    pub fn matches(&self, sector: Sector, sub_types: &[SubType], topics: &[SpecialTopic]) -> bool {
        (self.sectors.is_empty() || self.sectors.contains(&sector))
            && (self.sub_types.is_empty() || self.sub_types.iter().any(|t| sub_types.contains(t)))
            && (self.special_topics.is_empty() || self.special_topics.iter().any(|t| topics.contains(t)))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Stable across versions and unique across checklists, e.g. `HC-01`.
    pub code: String,
    pub text: String,
    /// 判定依据 / legal basis.
    pub basis: String,
    pub severity: Severity,
    #[serde(default)]
    pub penalty_basis: Option<String>,
    #[serde(default)]
    pub applicability: Applicability,
    /// Whether the wording is verified against the official text.
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub name: String,
    pub items: Vec<Item>,
}

/// The most sections a checklist has, and items a section has.
pub const MAX_SECTIONS: usize = 100;
pub const MAX_ITEMS: usize = 500;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    #[schema(max_length = 100)]
    pub id: String,
    #[schema(max_length = 200)]
    pub title: String,
    /// The issuing body and document, e.g. 国家安全监管总局.
    #[schema(max_length = 200)]
    pub issuer: String,
    /// The document number, e.g. 安监总管三〔2017〕121号.
    #[schema(max_length = 100)]
    pub document_number: String,
    /// `YYYY-MM-DD` (in TOML also a bare date, `effective = 2017-11-13`).
    #[serde(deserialize_with = "date_field")]
    pub effective: NaiveDate,
    #[schema(max_length = 100)]
    pub version: String,
    #[schema(max_items = 100)]
    pub sections: Vec<Section>,
}

/// A date from a string (JSON, a quoted TOML value) or from a TOML date, which
/// reaches serde as a one-entry map holding its text.
fn date_field<'de, D: serde::Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    use serde::de::{Error, MapAccess, Visitor};
    struct Date;
    impl<'de> Visitor<'de> for Date {
        type Value = NaiveDate;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a date YYYY-MM-DD")
        }
        fn visit_str<E: Error>(self, v: &str) -> Result<NaiveDate, E> {
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| E::custom(format!("日期格式不正确：{v}（应为 YYYY-MM-DD）")))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<NaiveDate, A::Error> {
            let Some((_, v)) = m.next_entry::<String, String>()? else { return Err(A::Error::custom("empty date")) };
            self.visit_str(&v)
        }
    }
    d.deserialize_any(Date)
}

impl Checklist {
    /// Parses a TOML checklist and checks it; every problem is listed.
    pub fn from_toml(text: &str) -> Result<Self, Vec<String>> {
        let c: Self = toml::from_str(text).map_err(|e| vec![format!("检查表格式错误：{}", e.message())])?;
        let problems = c.problems();
        if problems.is_empty() { Ok(c) } else { Err(problems) }
    }

    /// What is wrong with this checklist on its own (uniqueness across files is
    /// checked where they are gathered).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (label, v) in [("检查表编号", &self.id), ("检查表名称", &self.title), ("版本", &self.version)] {
            if v.trim().is_empty() {
                out.push(format!("{label}不能为空"));
            }
        }
        self.length_problems(&mut out);
        if self.sections.is_empty() {
            out.push("检查表没有任何章节".to_owned());
        }
        let mut seen = std::collections::HashSet::new();
        for s in &self.sections {
            if s.items.is_empty() {
                out.push(format!("章节“{}”没有检查项", s.name));
            }
            for i in &s.items {
                if i.code.trim().is_empty() || i.text.trim().is_empty() {
                    out.push(format!("章节“{}”有检查项缺少编号或内容", s.name));
                }
                if !seen.insert(i.code.as_str()) {
                    out.push(format!("检查项编号“{}”重复", i.code));
                }
                for t in &i.applicability.sub_types {
                    if !i.applicability.sectors.is_empty() && !i.applicability.sectors.contains(&t.sector()) {
                        out.push(format!("检查项“{}”的企业类型“{}”不属于其适用行业", i.code, t.zh()));
                    }
                }
            }
        }
        out
    }

    /// Every text and list within its bound (`src/limits.rs`): the header's fields,
    /// at most 100 sections of at most 500 items, each item's texts.
    fn length_problems(&self, out: &mut Vec<String>) {
        use crate::limits::{NAME, SHORT, TEXT};
        let mut long = |label: &str, v: &str, max: usize| {
            if v.chars().count() > max {
                out.push(format!("{label}最多 {max} 个字（现为 {} 个字）", v.chars().count()));
            }
        };
        long("检查表编号", &self.id, SHORT);
        long("检查表名称", &self.title, NAME);
        long("发布机关", &self.issuer, NAME);
        long("文号", &self.document_number, SHORT);
        long("版本", &self.version, SHORT);
        for s in &self.sections {
            long("章节名称", &s.name, NAME);
            for i in &s.items {
                long("检查项编号", &i.code, SHORT);
                long("检查内容", &i.text, TEXT);
                long("判定依据", &i.basis, TEXT);
                long("处罚依据", i.penalty_basis.as_deref().unwrap_or_default(), TEXT);
            }
        }
        if self.sections.len() > MAX_SECTIONS {
            out.push(format!("检查表最多 {MAX_SECTIONS} 个章节（现为 {} 个）", self.sections.len()));
        }
        if let Some(s) = self.sections.iter().find(|s| s.items.len() > MAX_ITEMS) {
            out.push(format!("章节“{}”最多 {MAX_ITEMS} 个检查项（现为 {} 个）", s.name, s.items.len()));
        }
    }

    /// SHA-256 (hex) of the canonical JSON of the checklist: its version's identity.
    pub fn hash(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(Sha256::digest(json))
    }

    pub fn items(&self) -> impl Iterator<Item = (&Section, &Item)> {
        self.sections.iter().flat_map(|s| s.items.iter().map(move |i| (s, i)))
    }
}

/// An item of a checklist version that applies to an enterprise (sent by the API
/// as `json::ApplicableItemView`).
#[derive(Debug, Clone, Serialize)]
pub struct ApplicableItem {
    pub checklist_id: String,
    pub checklist_title: String,
    pub checklist_version: String,
    /// The content hash of the checklist version (what a record pins).
    pub checklist_hash: String,
    pub section: String,
    #[serde(flatten)]
    pub item: Item,
}

fn codes<T: std::str::FromStr>(csv: &str) -> Vec<T> {
    csv.split(',').filter_map(|c| c.trim().parse().ok()).collect()
}

/// The items of `lists` that apply to enterprise `e`.
pub fn applicable(lists: &[Checklist], e: &enterprise::Model) -> Vec<ApplicableItem> {
    let hashed: Vec<(&Checklist, String)> = lists.iter().map(|c| (c, c.hash())).collect();
    applicable_hashed(hashed.iter().map(|(c, h)| (*c, h.as_str())), e)
}

/// The items of `lists` (each with its known hash) that apply to enterprise `e`.
pub fn applicable_hashed<'a>(
    lists: impl IntoIterator<Item = (&'a Checklist, &'a str)>,
    e: &enterprise::Model,
) -> Vec<ApplicableItem> {
    applicable_to(lists, e.sector, &e.sub_types, &e.special_topics)
}

/// [`applicable_hashed`] for an enterprise of `sector` with these sub-types and special
/// topics (stored comma-separated), when the rest of the enterprise is not at hand.
pub fn applicable_to<'a>(
    lists: impl IntoIterator<Item = (&'a Checklist, &'a str)>,
    sector: Sector,
    sub_types: &str,
    special_topics: &str,
) -> Vec<ApplicableItem> {
    let sub_types: Vec<SubType> = codes(sub_types);
    let topics: Vec<SpecialTopic> = codes(special_topics);
    let mut out = Vec::new();
    for (c, hash) in lists {
        for (s, i) in c.items() {
            if i.applicability.matches(sector, &sub_types, &topics) {
                out.push(ApplicableItem {
                    checklist_id: c.id.clone(),
                    checklist_title: c.title.clone(),
                    checklist_version: c.version.clone(),
                    checklist_hash: hash.to_owned(),
                    section: s.name.clone(),
                    item: i.clone(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Checklist;

    const BODY: &str = "issuer = \"i\"\ndocument_number = \"n\"\nversion = \"1\"\n[[sections]]\nname = \"s\"\n\
        [[sections.items]]\ncode = \"X-1\"\ntext = \"t\"\nbasis = \"b\"\nseverity = \"general\"\nverified = true\n";

    #[test]
    fn every_shipped_file_loads() {
        for (name, text) in super::super::shipped::FILES {
            if let Err(p) = Checklist::from_toml(text) {
                panic!("{name}: {p:?}");
            }
        }
    }

    #[test]
    fn the_effective_date_may_be_a_toml_date_or_a_string() {
        for head in [
            "id = \"a\"\ntitle = \"a\"\neffective = 2017-11-13\n",
            "id = \"a\"\ntitle = \"a\"\neffective = \"2017-11-13\"\n",
        ] {
            let parsed = Checklist::from_toml(&format!("{head}{BODY}"));
            assert_eq!(parsed.map(|c| c.effective.to_string()), Ok("2017-11-13".to_owned()));
        }
        assert!(
            Checklist::from_toml(&format!("id = \"a\"\ntitle = \"a\"\neffective = \"13/11/2017\"\n{BODY}")).is_err()
        );
    }
}
