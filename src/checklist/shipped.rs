//! The national checklists shipped in `checklists/`, embedded in the binary.
//!
//! What the files contain, how applicability is narrowed and when an item is
//! `verified` is written down in `checklists/README.md`; the tests below hold the
//! files to it (loading, unique ids and codes, counts per section, applicability).

use super::Checklist;
use std::sync::LazyLock;

/// Each shipped file, by name.
pub const FILES: &[(&str, &str)] = &[
    ("hazchem-major.toml", include_str!("../../checklists/hazchem-major.toml")),
    ("fireworks-major.toml", include_str!("../../checklists/fireworks-major.toml")),
    ("industry-trade-major.toml", include_str!("../../checklists/industry-trade-major.toml")),
    ("mine-major.toml", include_str!("../../checklists/mine-major.toml")),
    ("general-management.toml", include_str!("../../checklists/general-management.toml")),
];

static ALL: LazyLock<Vec<Checklist>> = LazyLock::new(|| {
    FILES
        .iter()
        .filter_map(|(name, text)| match Checklist::from_toml(text) {
            Ok(c) => Some(c),
            Err(problems) => {
                // The shipped-file test fails on this; a build that got here anyway
                // serves the other checklists rather than none.
                tracing::error!(file = name, ?problems, "shipped checklist does not load");
                None
            }
        })
        .collect()
});

/// The shipped checklists, parsed once.
pub fn all() -> &'static [Checklist] {
    &ALL
}

#[cfg(test)]
mod tests {
    use super::{FILES, all};
    use crate::checklist::{Checklist, Severity, model};
    use crate::enterprise::domain::{EnterpriseStatus, Sector, SpecialTopic, StandardizationGrade, SubType};
    use crate::entities::enterprise;
    use std::collections::HashSet;

    /// Items per section (total, with verified wording), in file order. The numbers
    /// are those of the "Counts" section of `shared/domain/standards.md`:
    /// - 化工: 20 items, all [V]; 烟花爆竹: 20 items, all [V].
    /// - 工贸 (部令10号), by article 3–13: 3V; 3V/2P/3M; 7V/1P/5M; 8V; 2V/1P/4M; 7M;
    ///   2M; 2V; 8V/1P/1M; 2V; 1V/1P (64 items, 36 verified).
    /// - 金属非金属矿山 (88号), whose totals are unknown: only the items with a
    ///   source are shipped, 地下 6V + 14P, 露天 8V + 1P, 尾矿库 0V + 5P.
    const STANDARD_COUNTS: &[(&str, &[(usize, usize)])] = &[
        ("hazchem-major", &[(20, 20)]),
        ("fireworks-major", &[(20, 20)]),
        (
            "industry-trade-major",
            &[(3, 3), (8, 3), (13, 7), (8, 8), (7, 2), (7, 0), (2, 0), (2, 2), (10, 8), (2, 2), (2, 1)],
        ),
        ("mine-major", &[(20, 6), (9, 8), (5, 0)]),
    ];

    /// The general safety-management checklist is the system's own (not in
    /// standards.md): about 20–30 items, all `general`, none with verified wording.
    const GENERAL_ID: &str = "general-management";
    const GENERAL_ITEMS: std::ops::RangeInclusive<usize> = 20..=30;

    fn checklist(id: &str) -> &'static Checklist {
        all().iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no shipped checklist {id}"))
    }

    #[test]
    fn every_shipped_file_loads_with_unique_ids() {
        for (name, text) in FILES {
            if let Err(problems) = Checklist::from_toml(text) {
                panic!("{name}: {problems:?}");
            }
        }
        assert_eq!(all().len(), FILES.len());
        let ids: HashSet<&str> = all().iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.len(), FILES.len(), "checklist ids repeat");
        for (name, _) in FILES {
            assert!(ids.contains(name.trim_end_matches(".toml")), "{name}: id differs from the file name");
        }
    }

    #[test]
    fn codes_are_unique_across_files_and_every_item_is_complete() {
        let mut seen = HashSet::new();
        for c in all() {
            assert!(!c.sections.is_empty(), "{}: no section", c.id);
            for s in &c.sections {
                assert!(!s.name.trim().is_empty(), "{}: a section has no name", c.id);
                assert!(!s.items.is_empty(), "{}: section {} is empty", c.id, s.name);
            }
            for (s, i) in c.items() {
                assert!(seen.insert(i.code.clone()), "code {} repeats", i.code);
                assert!(!i.text.trim().is_empty(), "{}: no text", i.code);
                assert!(!i.basis.trim().is_empty(), "{} ({}): no basis", i.code, s.name);
                assert!(i.penalty_basis.as_ref().is_none_or(|p| !p.trim().is_empty()), "{}", i.code);
                for t in &i.applicability.special_topics {
                    let sectors = &i.applicability.sectors;
                    assert!(sectors.iter().all(|s| t.sectors().contains(s)), "{}: topic outside its sectors", i.code);
                }
            }
        }
    }

    #[test]
    fn counts_match_the_standards() {
        for (id, sections) in STANDARD_COUNTS {
            let c = checklist(id);
            let got: Vec<(usize, usize)> =
                c.sections.iter().map(|s| (s.items.len(), s.items.iter().filter(|i| i.verified).count())).collect();
            assert_eq!(&got, sections, "{id}: (items, verified) per section");
            assert!(c.items().all(|(_, i)| i.severity == Severity::Major), "{id}: every item is a major hazard");
        }
        let it: usize = checklist("industry-trade-major").sections.iter().map(|s| s.items.len()).sum();
        assert_eq!(it, 64, "部令10号 has 3 + 47 + 14 items");
        let g = checklist(GENERAL_ID);
        assert!(GENERAL_ITEMS.contains(&g.items().count()));
        assert!(g.items().all(|(_, i)| i.severity == Severity::General && !i.verified));
        assert_eq!(all().len(), STANDARD_COUNTS.len() + 1, "a shipped file without expected counts");
    }

    fn enterprise(sector: Sector, sub_types: &[SubType], topics: &[SpecialTopic]) -> enterprise::Model {
        let join = |codes: Vec<&str>| codes.join(",");
        let at = chrono::DateTime::UNIX_EPOCH;
        enterprise::Model {
            id: 1,
            credit_code: "91420103MA4K000000".to_owned(),
            name: "测试企业".to_owned(),
            sector,
            sub_types: join(sub_types.iter().map(|t| t.as_str()).collect()),
            special_topics: join(topics.iter().map(|t| t.as_str()).collect()),
            region_code: "420103".to_owned(),
            supervising_bureau_id: 1,
            address: None,
            legal_representative: None,
            principal: None,
            phone: None,
            email: None,
            employees: None,
            above_designated_size: None,
            major_hazard_grade: None,
            standardization_grade: StandardizationGrade::Unrated,
            standardization_date: None,
            longitude: None,
            latitude: None,
            status: EnterpriseStatus::Operating,
            supervision_class: None,
            risk_grade: None,
            grading_source: None,
            graded_at: None,
            version: 1,
            created_at: at,
            updated_at: at,
        }
    }

    /// The codes of the shipped items that apply to `e`.
    fn codes(e: &enterprise::Model) -> Vec<String> {
        model::applicable(all(), e).into_iter().map(|a| a.item.code).collect()
    }

    fn with_prefix<'a>(codes: &'a [String], prefix: &str) -> Vec<&'a str> {
        codes.iter().map(String::as_str).filter(|c| c.starts_with(prefix)).collect()
    }

    fn all_codes(id: &str) -> Vec<&'static str> {
        checklist(id).items().map(|(_, i)| i.code.as_str()).collect()
    }

    #[test]
    fn a_hazchem_producer_gets_the_twenty_hazchem_items_and_the_general_ones() {
        let got = codes(&enterprise(Sector::HazardousChemicals, &[SubType::HcProduction], &[]));
        assert_eq!(with_prefix(&got, "HC-"), all_codes("hazchem-major"));
        for other in ["FW-", "IT-", "MN-"] {
            assert!(with_prefix(&got, other).is_empty(), "{other} items for a hazchem producer");
        }
        let general: Vec<&str> = all_codes(GENERAL_ID).into_iter().filter(|c| *c != "GM-20").collect();
        assert_eq!(with_prefix(&got, "GM-"), general, "all general items but metal smelting's insurance");
        assert!(got.contains(&"GM-19".to_owned()), "hazchem units must carry 安责险");
    }

    #[test]
    fn a_hazchem_trader_without_storage_gets_only_the_items_without_facilities() {
        let got = codes(&enterprise(Sector::HazardousChemicals, &[SubType::HcTradingWithoutStorage], &[]));
        assert_eq!(with_prefix(&got, "HC-"), ["HC-01", "HC-02", "HC-16"]);
        let storage = codes(&enterprise(Sector::HazardousChemicals, &[SubType::HcTradingWithStorage], &[]));
        assert!(storage.contains(&"HC-20".to_owned()) && !storage.contains(&"HC-04".to_owned()));
    }

    #[test]
    fn a_fireworks_retailer_gets_no_hazchem_or_factory_items() {
        let got = codes(&enterprise(Sector::Fireworks, &[SubType::FwRetail], &[]));
        assert!(with_prefix(&got, "HC-").is_empty());
        assert_eq!(with_prefix(&got, "FW-"), ["FW-01", "FW-07", "FW-13", "FW-14", "FW-15", "FW-18", "FW-19", "FW-20"]);
        let producer = codes(&enterprise(Sector::Fireworks, &[SubType::FwProduction], &[]));
        assert_eq!(with_prefix(&producer, "FW-").len(), 19, "all but the retail point's item");
        assert!(!producer.contains(&"FW-20".to_owned()));
    }

    #[test]
    fn a_machinery_enterprise_with_dust_gets_article_3_machinery_and_dust_items() {
        let e = enterprise(Sector::IndustryTrade, &[SubType::ItMachinery], &[SpecialTopic::DustExplosion]);
        let got = codes(&e);
        let mut expected = vec!["IT-G-01", "IT-G-02"];
        expected.extend(all_codes("industry-trade-major").into_iter().filter(|c| c.starts_with("IT-JX-")));
        expected.extend(all_codes("industry-trade-major").into_iter().filter(|c| c.starts_with("IT-DUST-")));
        assert_eq!(with_prefix(&got, "IT-"), expected);
        assert_eq!(expected.len(), 2 + 7 + 10);
        assert!(["HC-", "FW-", "MN-"].iter().all(|p| with_prefix(&got, p).is_empty()));
        let smelting = enterprise(
            Sector::IndustryTrade,
            &[SubType::ItMachinery],
            &[SpecialTopic::DustExplosion, SpecialTopic::MetalSmelting],
        );
        let got = codes(&smelting);
        assert!(got.contains(&"IT-G-03".to_owned()) && got.contains(&"GM-20".to_owned()));
        assert!(!got.contains(&"GM-19".to_owned()));
    }

    #[test]
    fn a_commerce_enterprise_gets_article_3_and_only_its_topics() {
        let plain = codes(&enterprise(Sector::IndustryTrade, &[SubType::ItCommerce], &[]));
        assert_eq!(with_prefix(&plain, "IT-"), ["IT-G-01", "IT-G-02"]);
        let cold = codes(&enterprise(
            Sector::IndustryTrade,
            &[SubType::ItCommerce],
            &[SpecialTopic::AmmoniaRefrigeration, SpecialTopic::ConfinedSpace],
        ));
        assert_eq!(with_prefix(&cold, "IT-"), ["IT-G-01", "IT-G-02", "IT-NH3-01", "IT-NH3-02", "IT-CS-01", "IT-CS-02"]);
        let mine = codes(&enterprise(Sector::NonCoalMine, &[SubType::MineUnderground], &[SpecialTopic::ConfinedSpace]));
        assert!(with_prefix(&mine, "IT-").is_empty(), "the 工贸 standard's confined-space items stay in 工贸");
    }

    #[test]
    fn an_underground_mine_gets_no_open_pit_or_tailings_items() {
        let got = codes(&enterprise(Sector::NonCoalMine, &[SubType::MineUnderground], &[]));
        assert_eq!(with_prefix(&got, "MN-UG-").len(), 20);
        assert!(with_prefix(&got, "MN-OP-").is_empty() && with_prefix(&got, "MN-TL-").is_empty());
        assert!(with_prefix(&got, "HC-").is_empty());
        let both = codes(&enterprise(Sector::NonCoalMine, &[SubType::MineOpenPit, SubType::MineTailingsPond], &[]));
        assert_eq!(with_prefix(&both, "MN-").len(), 9 + 5);
    }
}
