//! Production-safety accidents (生产安全事故): the legal grade from the casualties
//! and the direct economic loss, per 《生产安全事故报告和调查处理条例》(国务院令第493号)
//! art. 3, and the 20 accident types of GB 6441.
//!
//! Decisions:
//! - The three figures are read separately and the highest grade any of them
//!   reaches is the grade ("以上" includes the bound, "以下" excludes it).
//! - Missing persons (失踪) count with the deaths, as accident reports state
//!   "死亡（含失踪）"; the art. 3 text names deaths only [M: practice, not verified
//!   against a national rule].
//! - Loss is in whole yuan; 1亿 = 100,000,000.

use crate::coded::coded_enum;

coded_enum! {
    /// 事故等级 (国务院令第493号 第三条).
    pub enum AccidentGrade in "事故等级" {
        EspeciallySerious = "especially_serious" / "特别重大事故",
        Serious = "serious" / "重大事故",
        RelativelySerious = "relatively_serious" / "较大事故",
        General = "general" / "一般事故",
    }
}

coded_enum! {
    /// 事故类别 (GB 6441-1986 《企业职工伤亡事故分类》, 20 types).
    pub enum AccidentType in "事故类别" {
        StruckByObject = "struck_by_object" / "物体打击",
        Vehicle = "vehicle" / "车辆伤害",
        Machinery = "machinery" / "机械伤害",
        Lifting = "lifting" / "起重伤害",
        Electric = "electric" / "触电",
        Drowning = "drowning" / "淹溺",
        Scald = "scald" / "灼烫",
        Fire = "fire" / "火灾",
        FallFromHeight = "fall_from_height" / "高处坠落",
        Collapse = "collapse" / "坍塌",
        RoofFall = "roof_fall" / "冒顶片帮",
        WaterInrush = "water_inrush" / "透水",
        Blasting = "blasting" / "放炮",
        GasExplosion = "gas_explosion" / "瓦斯爆炸",
        GunpowderExplosion = "gunpowder_explosion" / "火药爆炸",
        BoilerExplosion = "boiler_explosion" / "锅炉爆炸",
        VesselExplosion = "vessel_explosion" / "容器爆炸",
        OtherExplosion = "other_explosion" / "其他爆炸",
        Poisoning = "poisoning" / "中毒和窒息",
        Other = "other" / "其他伤害",
    }
}

coded_enum! {
    /// Who reports to whom (条例 第九条、第十条): the enterprise, then the safety
    /// supervision departments level by level.
    pub enum ReportLevel in "报告层级" {
        Enterprise = "enterprise" / "事故单位",
        County = "county" / "县级应急管理部门",
        City = "city" / "设区的市级应急管理部门",
        Province = "province" / "省级应急管理部门",
        National = "national" / "国务院应急管理部门",
    }
}

coded_enum! {
    /// A flag on an accident's reporting. 迟报 is computed from the report times;
    /// the others are a regulator's finding, with a reason.
    pub enum FlagKind in "报告问题" {
        Late = "late" / "迟报",
        False = "false_report" / "谎报",
        Concealed = "concealed" / "瞒报",
        Omitted = "omitted" / "漏报",
    }
}

coded_enum! {
    /// 责任认定: the kind of responsibility the investigation finds.
    pub enum Responsibility in "责任类型" {
        Direct = "direct" / "直接责任",
        Main = "main" / "主要责任",
        Important = "important" / "重要责任",
        Leadership = "leadership" / "领导责任",
    }
}

coded_enum! {
    /// The state of one 整改措施.
    pub enum MeasureStatus in "整改状态" {
        Open = "open" / "整改中",
        Done = "done" / "已完成",
    }
}

/// The reports the law asks for at this grade, in order (条例 第十条): the
/// enterprise to the county, then up to the 设区的市级 department (一般), the
/// province (较大) or the State Council's department (重大、特别重大).
pub fn report_chain(grade: AccidentGrade) -> Vec<(ReportLevel, ReportLevel)> {
    use ReportLevel as L;
    let top = match grade {
        AccidentGrade::General => 2,
        AccidentGrade::RelativelySerious => 3,
        AccidentGrade::Serious | AccidentGrade::EspeciallySerious => 4,
    };
    let levels = [L::Enterprise, L::County, L::City, L::Province, L::National];
    levels.windows(2).take(top).map(|w| (w[0], w[1])).collect()
}

/// The bounds of one grade: deaths, serious injuries, loss in yuan (each "以上", inclusive).
struct Bound {
    grade: AccidentGrade,
    deaths: u32,
    injuries: u32,
    loss_yuan: u64,
}

const BOUNDS: [Bound; 3] = [
    Bound { grade: AccidentGrade::EspeciallySerious, deaths: 30, injuries: 100, loss_yuan: 100_000_000 },
    Bound { grade: AccidentGrade::Serious, deaths: 10, injuries: 50, loss_yuan: 50_000_000 },
    Bound { grade: AccidentGrade::RelativelySerious, deaths: 3, injuries: 10, loss_yuan: 10_000_000 },
];

/// The grade of an accident with these figures (missing persons counted as deaths).
pub fn grade(deaths: u32, missing: u32, serious_injuries: u32, direct_loss_yuan: u64) -> AccidentGrade {
    let dead = deaths.saturating_add(missing);
    BOUNDS
        .iter()
        .find(|b| dead >= b.deaths || serious_injuries >= b.injuries || direct_loss_yuan >= b.loss_yuan)
        .map_or(AccidentGrade::General, |b| b.grade)
}

#[cfg(test)]
mod tests {
    use super::{AccidentGrade as G, ReportLevel as L, grade, report_chain};

    #[test]
    fn the_report_chain_reaches_the_level_of_the_grade() {
        let tops = [
            (G::General, L::City),
            (G::RelativelySerious, L::Province),
            (G::Serious, L::National),
            (G::EspeciallySerious, L::National),
        ];
        for (g, top) in tops {
            let chain = report_chain(g);
            assert_eq!(chain[0], (L::Enterprise, L::County));
            assert_eq!(chain.last().map(|s| s.1), Some(top), "{g:?}");
        }
    }

    #[test]
    fn each_figure_grades_at_its_bounds() {
        // Deaths: 30 / 10 / 3 are the lower bounds, included.
        for (deaths, want) in [
            (0, G::General),
            (2, G::General),
            (3, G::RelativelySerious),
            (9, G::RelativelySerious),
            (10, G::Serious),
            (29, G::Serious),
            (30, G::EspeciallySerious),
        ] {
            assert_eq!(grade(deaths, 0, 0, 0), want, "{deaths} deaths");
        }
        // Serious injuries (acute industrial poisoning included): 100 / 50 / 10.
        for (injured, want) in [
            (9, G::General),
            (10, G::RelativelySerious),
            (49, G::RelativelySerious),
            (50, G::Serious),
            (99, G::Serious),
            (100, G::EspeciallySerious),
        ] {
            assert_eq!(grade(0, 0, injured, 0), want, "{injured} injured");
        }
        // Direct loss: 1亿 / 5000万 / 1000万.
        for (loss, want) in [
            (9_999_999, G::General),
            (10_000_000, G::RelativelySerious),
            (49_999_999, G::RelativelySerious),
            (50_000_000, G::Serious),
            (99_999_999, G::Serious),
            (100_000_000, G::EspeciallySerious),
        ] {
            assert_eq!(grade(0, 0, 0, loss), want, "{loss} yuan");
        }
    }

    #[test]
    fn the_highest_figure_decides_and_the_missing_count_with_the_dead() {
        assert_eq!(grade(1, 0, 12, 0), G::RelativelySerious);
        assert_eq!(grade(2, 0, 0, 60_000_000), G::Serious);
        assert_eq!(grade(2, 1, 0, 0), G::RelativelySerious, "2 dead and 1 missing is 3");
        assert_eq!(grade(u32::MAX, u32::MAX, 0, 0), G::EspeciallySerious);
    }
}
