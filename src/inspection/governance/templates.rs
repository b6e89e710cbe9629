//! The 执法文书 templates as data (`data/document-templates.toml`): per type the title,
//! the word of its numbers (文号代字) and the signature blocks, national defaults with
//! province overrides; and the national default 救济告知.
//!
//! Decisions: the province is the first two digits of the issuing bureau's region
//! code; an override changes only the keys it gives; a type missing from the file
//! falls back to the enum's Chinese name and a built-in word.

use crate::inspection::domain::DocumentType;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

pub const SHIPPED: &str = include_str!("../../../data/document-templates.toml");

#[derive(Debug, Clone, Default, Deserialize)]
struct Override {
    title: Option<String>,
    word: Option<String>,
    signatures: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct Province {
    #[serde(default)]
    documents: BTreeMap<String, Override>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct File {
    relief_notice: String,
    #[serde(default)]
    documents: BTreeMap<String, Override>,
    #[serde(default)]
    provinces: BTreeMap<String, Province>,
}

/// One document type's template for a province.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub title: String,
    pub word: String,
    pub signatures: Vec<String>,
}

static FILE: LazyLock<File> = LazyLock::new(|| {
    toml::from_str(SHIPPED).unwrap_or_else(|e| {
        tracing::error!(error = %e, "data/document-templates.toml does not load; built-in titles are used");
        File::default()
    })
});

const fn builtin_word(kind: DocumentType) -> &'static str {
    match kind {
        DocumentType::ApprovalForm => "检审",
        DocumentType::SiteRecord => "检记",
        DocumentType::RectificationOrder => "责改",
        DocumentType::OnSiteMeasures => "现决",
        DocumentType::ReinspectionOpinion => "复查",
        DocumentType::ServiceReceipt => "送达",
    }
}

/// The template of `kind` for a bureau of `region_code`.
pub fn template(kind: DocumentType, region_code: &str) -> Template {
    let file = &*FILE;
    let mut t = Template { title: kind.zh().to_owned(), word: builtin_word(kind).to_owned(), signatures: Vec::new() };
    let province = region_code.get(..2).and_then(|p| file.provinces.get(p));
    for o in
        [file.documents.get(kind.as_str()), province.and_then(|p| p.documents.get(kind.as_str()))].into_iter().flatten()
    {
        if let Some(x) = &o.title {
            t.title.clone_from(x);
        }
        if let Some(x) = &o.word {
            t.word.clone_from(x);
        }
        if let Some(x) = &o.signatures {
            t.signatures.clone_from(x);
        }
    }
    t
}

/// The national default 救济告知, with `{upper}` (the bureau above) and `{region}` (the
/// bureau's region, for the people's government) filled in.
pub fn default_relief(upper: &str, region: &str) -> String {
    FILE.relief_notice.replace("{upper}", upper).replace("{region}", region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_templates_load_and_a_province_overrides_only_what_it_gives() {
        let f: File = toml::from_str(SHIPPED).unwrap_or_else(|e| panic!("{e}"));
        assert!(f.relief_notice.contains("行政复议"));
        for k in DocumentType::ALL {
            assert!(f.documents.contains_key(k.as_str()), "{k:?} has a national template");
        }
        let hubei = template(DocumentType::ApprovalForm, "420103");
        assert_eq!(hubei.title, "行政检查审批表");
        assert_eq!(hubei.word, "检审");
        assert_eq!(template(DocumentType::ApprovalForm, "110101").title, "行政检查审批表及现场检查方案");
        assert_eq!(template(DocumentType::SiteRecord, "110101").word, "检记");
    }
}
