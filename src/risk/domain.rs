//! Risk points (风险点) and their four colours: the classifications, the LEC and LS
//! scores, and the direct-red conditions. Pure functions of the inputs and a rule
//! set ([`super::rules::Rules`]); nothing here reads the database.

use super::rules::{Rules, tenths};
use crate::coded::coded_enum;
use crate::error::FieldErrors;

coded_enum! {
    /// 风险等级 and its colour.
    pub enum RiskLevel in "风险等级" {
        /// 重大风险
        Red = "red" / "重大风险（红）",
        /// 较大风险
        Orange = "orange" / "较大风险（橙）",
        /// 一般风险
        Yellow = "yellow" / "一般风险（黄）",
        /// 低风险
        Blue = "blue" / "低风险（蓝）",
    }
}

coded_enum! {
    /// How a point was assessed.
    pub enum Method in "评价方法" {
        /// D = L × E × C (作业条件危险性评价法)
        Lec = "lec" / "LEC 法",
        /// R = L × S (风险矩阵)
        Ls = "ls" / "LS 法",
    }
}

coded_enum! {
    /// Who owns the control of a point (管控层级).
    pub enum OwningLevel in "管控层级" {
        Company = "company" / "公司级",
        Workshop = "workshop" / "车间级",
        Team = "team" / "班组级",
        Post = "post" / "岗位级",
    }
}

coded_enum! {
    /// A direct-red (直接判定) condition; each is triggered by data about the point.
    pub enum DirectRed in "直接判定情形" {
        /// An open major hazard (重大事故隐患) is recorded at the point.
        OpenMajorHazard = "open_major_hazard" / "存在未销号的重大事故隐患",
        /// The point is a 一级 or 二级 重大危险源.
        MajorHazardInstallation = "major_hazard_installation" / "涉及一级、二级重大危险源",
        /// Ten or more people work at once in a toxic or explosive place.
        CrowdedToxicOrExplosive = "crowded_toxic_or_explosive" / "有毒有害、易燃易爆场所作业人员 10 人及以上",
        /// A fatal accident happened at the point and its conditions are unchanged.
        FatalAccidentUnchanged = "fatal_accident_unchanged" / "发生过死亡事故且条件未改变",
    }
}

/// What the assessor gave: LEC's three factors or LS's two.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Assessment {
    Lec { l: f64, e: f64, c: f64 },
    Ls { l: i64, s: i64 },
}

/// The facts about a point that direct-red conditions read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PointFacts {
    pub open_major_hazard: bool,
    /// 重大危险源 grade 1–4, if the point is one.
    pub major_hazard_installation: Option<u8>,
    /// People at once in a toxic or explosive place, if it is one.
    pub people_in_toxic_or_explosive: Option<u32>,
    pub fatal_accident_unchanged: bool,
}

impl PointFacts {
    fn holds(&self, condition: DirectRed) -> bool {
        match condition {
            DirectRed::OpenMajorHazard => self.open_major_hazard,
            DirectRed::MajorHazardInstallation => self.major_hazard_installation.is_some_and(|g| g <= 2),
            DirectRed::CrowdedToxicOrExplosive => self.people_in_toxic_or_explosive.is_some_and(|n| n >= 10),
            DirectRed::FatalAccidentUnchanged => self.fatal_accident_unchanged,
        }
    }
}

/// A graded point: its score, the level of the score, the direct-red conditions that
/// hold, and the level that applies (red when any holds).
#[derive(Debug, Clone, PartialEq)]
pub struct Grade {
    pub score: f64,
    pub scored_level: RiskLevel,
    pub direct_red: Vec<DirectRed>,
    pub level: RiskLevel,
}

fn push(fields: &mut FieldErrors, field: &str, message: String) {
    fields.entry(field.to_owned()).or_default().push(message);
}

/// The index of `v` in an LEC table, if it is one of its values.
fn on_table(table: &[super::rules::TableValue], v: f64) -> Option<i64> {
    let t = tenths(v)?;
    table.iter().filter_map(|x| tenths(x.value)).find(|x| *x == t)
}

fn listed(table: &[super::rules::TableValue]) -> String {
    table.iter().map(|v| v.value.to_string()).collect::<Vec<_>>().join("、")
}

/// The score of an assessment, or every problem with it at once (values off the tables,
/// LS factors outside 1–5).
pub fn score(rules: &Rules, assessment: Assessment) -> Result<f64, FieldErrors> {
    let mut fields = FieldErrors::new();
    match assessment {
        Assessment::Lec { l, e, c } => {
            let lec = &rules.lec;
            let found =
                [("l", &lec.l, l, "L"), ("e", &lec.e, e, "E"), ("c", &lec.c, c, "C")].map(|(f, table, v, name)| {
                    let hit = on_table(table, v);
                    if hit.is_none() {
                        push(&mut fields, f, format!("{name} 须取 LEC 表中的值：{}", listed(table)));
                    }
                    hit
                });
            match found {
                // 1000·D = (10·L)(10·E)(10·C): whole numbers, so D is exact at every bound.
                [Some(l), Some(e), Some(c)] if fields.is_empty() =>
                {
                    #[allow(clippy::cast_precision_loss)]
                    Ok((l * e * c) as f64 / 1000.0)
                }
                _ => Err(fields),
            }
        }
        Assessment::Ls { l, s } => {
            for (f, v, name) in [("l", l, "L（可能性）"), ("s", s, "S（严重性）")] {
                if !(1..=5).contains(&v) {
                    push(&mut fields, f, format!("{name} 须为 1 到 5 的整数"));
                }
            }
            if fields.is_empty() {
                #[allow(clippy::cast_precision_loss)]
                Ok((l * s) as f64)
            } else {
                Err(fields)
            }
        }
    }
}

/// Grades a point: scored, banded, then red if an enabled direct-red condition holds.
pub fn grade(rules: &Rules, a: Assessment, facts: &PointFacts) -> Result<Grade, FieldErrors> {
    let score = score(rules, a)?;
    let bands = match a {
        Assessment::Lec { .. } => &rules.lec.bands,
        Assessment::Ls { .. } => &rules.ls.bands,
    };
    let scored_level = bands.level(score);
    let direct_red: Vec<DirectRed> =
        rules.direct_red.iter().filter(|r| r.enabled && facts.holds(r.code)).map(|r| r.code).collect();
    let level = if direct_red.is_empty() { scored_level } else { RiskLevel::Red };
    Ok(Grade { score, scored_level, direct_red, level })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::risk::rules::national;

    fn rules() -> &'static Rules {
        national().unwrap()
    }

    #[test]
    fn the_lec_bands_take_the_higher_level_at_each_bound() {
        let b = &rules().lec.bands;
        let cases = [
            (0.05, RiskLevel::Blue),
            (69.99, RiskLevel::Blue),
            (70.0, RiskLevel::Yellow),
            (159.99, RiskLevel::Yellow),
            (160.0, RiskLevel::Orange),
            (319.99, RiskLevel::Orange),
            (320.0, RiskLevel::Red),
            (10_000.0, RiskLevel::Red),
        ];
        for (d, level) in cases {
            assert_eq!(b.level(d), level, "D = {d}");
        }
    }

    #[test]
    fn every_lec_combination_scores_the_product_and_colours_by_the_bands() {
        let t = &rules().lec;
        let mut seen = 0;
        for l in &t.l {
            for e in &t.e {
                for c in &t.c {
                    let d = score(rules(), Assessment::Lec { l: l.value, e: e.value, c: c.value }).unwrap();
                    assert!(
                        (d - l.value * e.value * c.value).abs() < 1e-9,
                        "{} × {} × {} = {d}",
                        l.value,
                        e.value,
                        c.value
                    );
                    let want = if d >= 320.0 {
                        RiskLevel::Red
                    } else if d >= 160.0 {
                        RiskLevel::Orange
                    } else if d >= 70.0 {
                        RiskLevel::Yellow
                    } else {
                        RiskLevel::Blue
                    };
                    let g =
                        grade(rules(), Assessment::Lec { l: l.value, e: e.value, c: c.value }, &PointFacts::default());
                    assert_eq!(g.unwrap().level, want, "D = {d}");
                    seen += 1;
                }
            }
        }
        assert_eq!(seen, 7 * 6 * 6);
        // Exact at a bound reachable from the tables: 10 × 1 × 7 = 70 is yellow.
        assert_eq!(score(rules(), Assessment::Lec { l: 10.0, e: 1.0, c: 7.0 }).unwrap(), 70.0);
        let g = grade(rules(), Assessment::Lec { l: 10.0, e: 1.0, c: 7.0 }, &PointFacts::default()).unwrap();
        assert_eq!(g.level, RiskLevel::Yellow);
        // Tenths multiply without a floating-point slip: 0.1 × 0.5 × 1 = 0.05.
        assert_eq!(score(rules(), Assessment::Lec { l: 0.1, e: 0.5, c: 1.0 }).unwrap(), 0.05);
    }

    #[test]
    fn every_ls_product_colours_by_the_bands() {
        for l in 1..=5 {
            for s in 1..=5 {
                let r = l * s;
                let want = match r {
                    20.. => RiskLevel::Red,
                    10..20 => RiskLevel::Orange,
                    4..10 => RiskLevel::Yellow,
                    _ => RiskLevel::Blue,
                };
                let g = grade(rules(), Assessment::Ls { l, s }, &PointFacts::default()).unwrap();
                assert_eq!((g.score, g.level), (f64::from(u8::try_from(r).unwrap()), want), "L={l} S={s}");
            }
        }
    }

    #[test]
    fn values_off_the_tables_are_refused_all_at_once() {
        let e = score(rules(), Assessment::Lec { l: 5.0, e: 4.0, c: 50.0 }).unwrap_err();
        assert_eq!(e.keys().collect::<Vec<_>>(), ["c", "e", "l"]);
        assert!(e["l"][0].contains("10、6、3、1、0.5、0.2、0.1"), "{e:?}");
        assert!(score(rules(), Assessment::Lec { l: 0.15, e: 1.0, c: 1.0 }).is_err());
        assert!(score(rules(), Assessment::Lec { l: f64::NAN, e: 1.0, c: 1.0 }).is_err());
        let e = score(rules(), Assessment::Ls { l: 0, s: 6 }).unwrap_err();
        assert_eq!(e.keys().collect::<Vec<_>>(), ["l", "s"]);
    }

    #[test]
    fn direct_red_comes_from_data_about_the_point_only() {
        let low = Assessment::Lec { l: 0.1, e: 0.5, c: 1.0 };
        let none = grade(rules(), low, &PointFacts::default()).unwrap();
        assert_eq!((none.level, none.direct_red.len()), (RiskLevel::Blue, 0));
        let grade3 = PointFacts {
            major_hazard_installation: Some(3),
            people_in_toxic_or_explosive: Some(9),
            ..PointFacts::default()
        };
        assert_eq!(grade(rules(), low, &grade3).unwrap().level, RiskLevel::Blue, "三级 and 9 people do not trigger");
        let facts = PointFacts {
            open_major_hazard: true,
            major_hazard_installation: Some(2),
            people_in_toxic_or_explosive: Some(10),
            fatal_accident_unchanged: true,
        };
        let g = grade(rules(), low, &facts).unwrap();
        assert_eq!((g.scored_level, g.level), (RiskLevel::Blue, RiskLevel::Red));
        assert_eq!(g.direct_red, DirectRed::ALL.to_vec());
        // A disabled condition does not trigger.
        let mut off = rules().clone();
        for r in &mut off.direct_red {
            r.enabled = false;
        }
        assert_eq!(grade(&off, low, &facts).unwrap().level, RiskLevel::Blue);
    }

    #[test]
    fn the_shipped_rules_load_and_bad_bands_are_named() {
        let r = rules();
        assert_eq!((r.lec.l.len(), r.lec.e.len(), r.lec.c.len()), (7, 6, 6));
        assert_eq!(r.direct_red.len(), DirectRed::ALL.len());
        let mut bad = r.clone();
        bad.ls.bands.orange = 25.0;
        assert_eq!(bad.problems().len(), 1);
    }
}
