//! Pure rules of the enterprise register: sector and classification enums,
//! identifier newtypes (re-exported from `codes`) and coordinate handling.

use std::f64::consts::PI;

pub use super::codes::{CreditCode, CreditCodeError, RegionCode, RegionCodeError, RegionLevel};

pub use crate::coded::UnknownValue;
use crate::coded::coded_enum;

/// The variant of `all` whose Chinese name is `s` (trimmed), else whatever
/// `alias` maps `s` to.
fn find_zh<T: Copy>(all: &[T], zh: fn(T) -> &'static str, s: &str, alias: fn(&str) -> Option<T>) -> Option<T> {
    let s = s.trim();
    all.iter().copied().find(|&v| zh(v) == s).or_else(|| alias(s))
}

fn no_alias<T>(_: &str) -> Option<T> {
    None
}

coded_enum! {
    /// Regulated sector (行业领域).
    pub enum Sector in "行业领域" {
        HazardousChemicals = "hazardous_chemicals" / "危险化学品",
        Fireworks = "fireworks" / "烟花爆竹",
        NonCoalMine = "non_coal_mine" / "非煤矿山",
        IndustryTrade = "industry_trade" / "工贸",
    }
}

impl Sector {
    /// Also accepts the abbreviation 危化品.
    pub fn from_zh(s: &str) -> Option<Self> {
        find_zh(Self::ALL, Self::zh, s, |s| match s {
            "危化品" => Some(Self::HazardousChemicals),
            _ => None,
        })
    }

    /// The sub-types of this sector, in display order.
    pub fn sub_types(self) -> impl Iterator<Item = SubType> {
        SubType::ALL.iter().copied().filter(move |t| t.sector() == self)
    }
}

coded_enum! {
    /// Sub-type within a sector (企业类型); Chinese names repeat across
    /// sectors (生产), so look them up with [`SubType::from_zh`] and a sector.
    pub enum SubType in "企业类型" {
        HcProduction = "hc_production" / "生产",
        HcStorage = "hc_storage" / "储存",
        HcUse = "hc_use" / "使用",
        HcTradingWithStorage = "hc_trading_with_storage" / "带储存经营",
        HcTradingWithoutStorage = "hc_trading_without_storage" / "不带储存经营",
        FwProduction = "fw_production" / "生产",
        FwWholesale = "fw_wholesale" / "批发",
        FwRetail = "fw_retail" / "零售",
        MineUnderground = "mine_underground" / "地下矿山",
        MineOpenPit = "mine_open_pit" / "露天矿山",
        MineTailingsPond = "mine_tailings_pond" / "尾矿库",
        ItMetallurgy = "it_metallurgy" / "冶金",
        ItNonferrous = "it_nonferrous" / "有色",
        ItBuildingMaterials = "it_building_materials" / "建材",
        ItMachinery = "it_machinery" / "机械",
        ItLightIndustry = "it_light_industry" / "轻工",
        ItTextile = "it_textile" / "纺织",
        ItTobacco = "it_tobacco" / "烟草",
        ItCommerce = "it_commerce" / "商贸",
    }
}

impl SubType {
    pub const fn sector(self) -> Sector {
        match self {
            Self::HcProduction
            | Self::HcStorage
            | Self::HcUse
            | Self::HcTradingWithStorage
            | Self::HcTradingWithoutStorage => Sector::HazardousChemicals,
            Self::FwProduction | Self::FwWholesale | Self::FwRetail => Sector::Fireworks,
            Self::MineUnderground | Self::MineOpenPit | Self::MineTailingsPond => Sector::NonCoalMine,
            Self::ItMetallurgy
            | Self::ItNonferrous
            | Self::ItBuildingMaterials
            | Self::ItMachinery
            | Self::ItLightIndustry
            | Self::ItTextile
            | Self::ItTobacco
            | Self::ItCommerce => Sector::IndustryTrade,
        }
    }

    /// Looks a Chinese sub-type name up within `sector`. Also accepts the name
    /// prefixed with the sector's (烟花爆竹批发), and plain 经营 for hazardous
    /// chemicals, which means trading without storage.
    pub fn from_zh(sector: Sector, s: &str) -> Option<Self> {
        let s = s.trim();
        let s = s.strip_prefix(sector.zh()).unwrap_or(s);
        if sector == Sector::HazardousChemicals && s == "经营" {
            return Some(Self::HcTradingWithoutStorage);
        }
        sector.sub_types().find(|t| t.zh() == s)
    }
}

coded_enum! {
    /// Special supervision topic (专项), flagged per enterprise.
    pub enum SpecialTopic in "专项类别" {
        DustExplosion = "dust_explosion" / "粉尘涉爆",
        AmmoniaRefrigeration = "ammonia_refrigeration" / "涉氨制冷",
        ConfinedSpace = "confined_space" / "有限空间作业",
        MetalSmelting = "metal_smelting" / "金属冶炼",
        GasCoal = "gas_coal" / "涉及煤气",
        SprayPainting = "spray_painting" / "喷涂作业",
        KeyHazardousProcess = "key_hazardous_process" / "重点监管危险化工工艺",
        KeyHazardousChemical = "key_hazardous_chemical" / "重点监管危险化学品",
        InChemicalPark = "in_chemical_park" / "位于化工园区",
        OverheadTailings = "overhead_tailings" / "头顶库",
        UndergroundOver30 = "underground_over_30" / "井下作业人员30人以上",
        DepthOver800m = "depth_over_800m" / "开采深度800米以上",
        SlopeOver200m = "slope_over_200m" / "边坡高度200米以上",
    }
}

impl SpecialTopic {
    pub fn from_zh(s: &str) -> Option<Self> {
        find_zh(Self::ALL, Self::zh, s, |s| match s {
            "喷涂" => Some(Self::SprayPainting),
            _ => None,
        })
    }

    /// Sectors where the topic applies; confined space applies to all.
    pub const fn sectors(self) -> &'static [Sector] {
        match self {
            Self::ConfinedSpace => Sector::ALL,
            Self::DustExplosion
            | Self::AmmoniaRefrigeration
            | Self::MetalSmelting
            | Self::GasCoal
            | Self::SprayPainting => &[Sector::IndustryTrade],
            Self::KeyHazardousProcess | Self::KeyHazardousChemical | Self::InChemicalPark => {
                &[Sector::HazardousChemicals]
            }
            Self::OverheadTailings | Self::UndergroundOver30 | Self::DepthOver800m | Self::SlopeOver200m => {
                &[Sector::NonCoalMine]
            }
        }
    }

    pub fn applies_to(self, sector: Sector) -> bool {
        self.sectors().contains(&sector)
    }
}

coded_enum! {
    /// Major hazard source grade (重大危险源等级); grade 1 is the gravest.
    pub enum MajorHazardGrade in "重大危险源等级" {
        Grade1 = "grade1" / "一级",
        Grade2 = "grade2" / "二级",
        Grade3 = "grade3" / "三级",
        Grade4 = "grade4" / "四级",
    }
}

impl MajorHazardGrade {
    /// Accepts 一级…四级 and 1级…4级.
    pub fn from_zh(s: &str) -> Option<Self> {
        find_zh(Self::ALL, Self::zh, s, |s| match s {
            "1级" => Some(Self::Grade1),
            "2级" => Some(Self::Grade2),
            "3级" => Some(Self::Grade3),
            "4级" => Some(Self::Grade4),
            _ => None,
        })
    }

    /// For an optional spreadsheet cell: empty, 无, 否, `-`, `—` or `/` mean
    /// no major hazard source (`Ok(None)`); otherwise a Chinese name or the
    /// English code.
    pub fn from_zh_optional(s: &str) -> Result<Option<Self>, UnknownValue> {
        let s = s.trim();
        if matches!(s, "" | "无" | "否" | "-" | "—" | "/") {
            return Ok(None);
        }
        Self::from_zh(s).map_or_else(|| s.parse().map(Some), |g| Ok(Some(g)))
    }

    /// 1 for grade 1 … 4 for grade 4.
    pub const fn number(self) -> u8 {
        match self {
            Self::Grade1 => 1,
            Self::Grade2 => 2,
            Self::Grade3 => 3,
            Self::Grade4 => 4,
        }
    }
}

coded_enum! {
    /// Work-safety standardisation grade (安全生产标准化等级).
    pub enum StandardizationGrade in "安全生产标准化等级" {
        Level1 = "level1" / "一级",
        Level2 = "level2" / "二级",
        Level3 = "level3" / "三级",
        Unrated = "unrated" / "未定级",
    }
}

impl StandardizationGrade {
    pub fn from_zh(s: &str) -> Option<Self> {
        find_zh(Self::ALL, Self::zh, s, no_alias)
    }
}

coded_enum! {
    /// Operating status (生产经营状态).
    pub enum EnterpriseStatus in "生产经营状态" {
        Operating = "operating" / "正常",
        Suspended = "suspended" / "停产",
        OrderedSuspension = "ordered_suspension" / "责令停产整顿",
        LongTermSuspended = "long_term_suspended" / "长期停产",
        Closed = "closed" / "关闭",
    }
}

impl EnterpriseStatus {
    pub fn from_zh(s: &str) -> Option<Self> {
        find_zh(Self::ALL, Self::zh, s, no_alias)
    }
}

coded_enum! {
    /// Coordinate reference system (坐标系) a location was captured in.
    /// CGCS2000 is treated as WGS-84 (they differ by centimetres).
    pub enum CoordSystem in "坐标系" {
        Wgs84 = "wgs84" / "WGS-84",
        Gcj02 = "gcj02" / "GCJ-02",
    }
}

impl CoordSystem {
    /// Accepts the display names and common labels, ignoring ASCII case and
    /// hyphens: WGS84, CGCS2000, GPS; GCJ02, 火星坐标(系), 高德(地图), 腾讯(地图).
    pub fn from_zh(s: &str) -> Option<Self> {
        let key: String = s.trim().chars().filter(|&c| c != '-').map(|c| c.to_ascii_uppercase()).collect();
        match key.as_str() {
            "WGS84" | "CGCS2000" | "GPS" => Some(Self::Wgs84),
            "GCJ02" | "火星坐标" | "火星坐标系" | "高德" | "高德地图" | "腾讯" | "腾讯地图" => {
                Some(Self::Gcj02)
            }
            _ => None,
        }
    }

    /// Converts a point captured in this system to WGS-84.
    pub fn to_wgs84(self, lng: f64, lat: f64) -> (f64, f64) {
        match self {
            Self::Wgs84 => (lng, lat),
            Self::Gcj02 => gcj02_to_wgs84(lng, lat),
        }
    }
}

/// Checks that a longitude/latitude pair is finite and in range.
pub fn validate_coords(lng: f64, lat: f64) -> Result<(), &'static str> {
    if !lng.is_finite() || !(-180.0..=180.0).contains(&lng) {
        return Err("经度应在-180到180之间");
    }
    if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
        return Err("纬度应在-90到90之间");
    }
    Ok(())
}

/// Krasovsky 1940 semi-major axis and eccentricity squared, as GCJ-02 uses.
const GCJ_A: f64 = 6_378_245.0;
const GCJ_EE: f64 = 0.006_693_421_622_965_943;

/// GCJ-02 is only applied inside this rough box around China.
fn out_of_china(lng: f64, lat: f64) -> bool {
    !(72.004..=137.8347).contains(&lng) || !(0.8293..=55.8271).contains(&lat)
}

fn gcj_delta_lat(x: f64, y: f64) -> f64 {
    let mut ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    ret
}

fn gcj_delta_lng(x: f64, y: f64) -> f64 {
    let mut ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    ret
}

/// The published GCJ-02 (火星坐标) forward offset; points outside China are
/// returned unchanged.
pub fn wgs84_to_gcj02(lng: f64, lat: f64) -> (f64, f64) {
    if out_of_china(lng, lat) {
        return (lng, lat);
    }
    let d_lat = gcj_delta_lat(lng - 105.0, lat - 35.0);
    let d_lng = gcj_delta_lng(lng - 105.0, lat - 35.0);
    let rad_lat = lat / 180.0 * PI;
    let magic = 1.0 - GCJ_EE * rad_lat.sin().powi(2);
    let sqrt_magic = magic.sqrt();
    let d_lat = (d_lat * 180.0) / ((GCJ_A * (1.0 - GCJ_EE)) / (magic * sqrt_magic) * PI);
    let d_lng = (d_lng * 180.0) / (GCJ_A / sqrt_magic * rad_lat.cos() * PI);
    (lng + d_lng, lat + d_lat)
}

/// Inverts [`wgs84_to_gcj02`] by fixed-point iteration (at most 20 steps,
/// stopping once the residual is below 1e-9 degrees). Points outside China
/// are returned unchanged.
pub fn gcj02_to_wgs84(lng: f64, lat: f64) -> (f64, f64) {
    if out_of_china(lng, lat) {
        return (lng, lat);
    }
    let (mut w_lng, mut w_lat) = (lng, lat);
    for _ in 0..20 {
        let (g_lng, g_lat) = wgs84_to_gcj02(w_lng, w_lat);
        let (e_lng, e_lat) = (g_lng - lng, g_lat - lat);
        w_lng -= e_lng;
        w_lat -= e_lat;
        if e_lng.abs() < 1e-9 && e_lat.abs() < 1e-9 {
            break;
        }
    }
    (w_lng, w_lat)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};
    use std::fmt;
    use std::str::FromStr;

    /// Checks the generated API of one coded enum against its expected codes.
    fn check_coded<T>(all: &[T], codes: &[&str])
    where
        T: Copy + fmt::Debug + PartialEq + Serialize + FromStr + fmt::Display,
        T: for<'de> Deserialize<'de>,
    {
        assert_eq!(all.len(), codes.len());
        for (&v, &code) in all.iter().zip(codes) {
            assert_eq!(v.to_string(), code);
            assert_eq!(serde_json::to_string(&v).unwrap(), format!("\"{code}\""));
            assert_eq!(serde_json::from_str::<T>(&format!("\"{code}\"")).unwrap(), v);
            assert!(code.parse::<T>().ok() == Some(v), "{code}");
        }
        assert!("no_such_value".parse::<T>().is_err());
    }

    #[test]
    fn stable_codes_are_as_specified() {
        check_coded(Sector::ALL, &["hazardous_chemicals", "fireworks", "non_coal_mine", "industry_trade"]);
        #[rustfmt::skip]
        check_coded(SubType::ALL, &[
            "hc_production", "hc_storage", "hc_use", "hc_trading_with_storage",
            "hc_trading_without_storage", "fw_production", "fw_wholesale", "fw_retail",
            "mine_underground", "mine_open_pit", "mine_tailings_pond", "it_metallurgy",
            "it_nonferrous", "it_building_materials", "it_machinery", "it_light_industry",
            "it_textile", "it_tobacco", "it_commerce",
        ]);
        #[rustfmt::skip]
        check_coded(SpecialTopic::ALL, &[
            "dust_explosion", "ammonia_refrigeration", "confined_space", "metal_smelting",
            "gas_coal", "spray_painting", "key_hazardous_process", "key_hazardous_chemical",
            "in_chemical_park", "overhead_tailings", "underground_over_30", "depth_over_800m",
            "slope_over_200m",
        ]);
        check_coded(MajorHazardGrade::ALL, &["grade1", "grade2", "grade3", "grade4"]);
        check_coded(StandardizationGrade::ALL, &["level1", "level2", "level3", "unrated"]);
        #[rustfmt::skip]
        check_coded(EnterpriseStatus::ALL, &[
            "operating", "suspended", "ordered_suspension", "long_term_suspended", "closed",
        ]);
        check_coded(CoordSystem::ALL, &["wgs84", "gcj02"]);
    }

    #[test]
    fn chinese_names_round_trip() {
        for &v in Sector::ALL {
            assert_eq!(Sector::from_zh(v.zh()), Some(v));
        }
        for &v in SpecialTopic::ALL {
            assert_eq!(SpecialTopic::from_zh(v.zh()), Some(v));
        }
        for &v in MajorHazardGrade::ALL {
            assert_eq!(MajorHazardGrade::from_zh(v.zh()), Some(v));
        }
        for &v in StandardizationGrade::ALL {
            assert_eq!(StandardizationGrade::from_zh(v.zh()), Some(v));
        }
        for &v in EnterpriseStatus::ALL {
            assert_eq!(EnterpriseStatus::from_zh(v.zh()), Some(v));
        }
        for &v in CoordSystem::ALL {
            assert_eq!(CoordSystem::from_zh(v.zh()), Some(v));
        }
        for &v in SubType::ALL {
            assert_eq!(SubType::from_zh(v.sector(), v.zh()), Some(v));
        }
        assert_eq!(Sector::from_zh(" 工贸 "), Some(Sector::IndustryTrade));
        assert_eq!(Sector::from_zh("危化品"), Some(Sector::HazardousChemicals));
        assert_eq!(Sector::from_zh("煤矿"), None);
        assert_eq!(EnterpriseStatus::from_zh("正常生产"), None);
    }

    #[test]
    fn sub_types_resolve_within_their_sector() {
        use SubType as T;
        let hc = Sector::HazardousChemicals;
        let fw = Sector::Fireworks;
        assert_eq!(T::from_zh(hc, "生产"), Some(T::HcProduction));
        assert_eq!(T::from_zh(fw, "生产"), Some(T::FwProduction));
        assert_eq!(T::from_zh(hc, "经营"), Some(T::HcTradingWithoutStorage));
        assert_eq!(T::from_zh(hc, "带储存经营"), Some(T::HcTradingWithStorage));
        assert_eq!(T::from_zh(hc, "危险化学品使用"), Some(T::HcUse));
        assert_eq!(T::from_zh(fw, "烟花爆竹批发"), Some(T::FwWholesale));
        assert_eq!(T::from_zh(fw, "经营"), None);
        assert_eq!(T::from_zh(fw, "储存"), None);
        assert_eq!(T::from_zh(Sector::NonCoalMine, "尾矿库"), Some(T::MineTailingsPond));
        assert_eq!(T::from_zh(Sector::IndustryTrade, "商贸"), Some(T::ItCommerce));
        assert_eq!(T::from_zh(Sector::IndustryTrade, "生产"), None);
        let counts: Vec<usize> = Sector::ALL.iter().map(|s| s.sub_types().count()).collect();
        assert_eq!(counts, [5, 3, 3, 8]);
        // Within a sector the Chinese names are unique.
        for &s in Sector::ALL {
            let mut names: Vec<&str> = s.sub_types().map(SubType::zh).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), s.sub_types().count());
        }
    }

    #[test]
    fn special_topics_apply_to_their_sectors() {
        use SpecialTopic as S;
        assert_eq!(S::from_zh("喷涂"), Some(S::SprayPainting));
        assert_eq!(S::from_zh("喷涂作业"), Some(S::SprayPainting));
        assert_eq!(S::from_zh("有限空间"), None);
        assert_eq!(S::ConfinedSpace.sectors(), Sector::ALL);
        for &sector in Sector::ALL {
            assert!(S::ConfinedSpace.applies_to(sector));
        }
        for t in [S::DustExplosion, S::AmmoniaRefrigeration, S::MetalSmelting, S::GasCoal] {
            assert_eq!(t.sectors(), [Sector::IndustryTrade]);
        }
        assert_eq!(S::SprayPainting.sectors(), [Sector::IndustryTrade]);
        assert!(S::InChemicalPark.applies_to(Sector::HazardousChemicals));
        assert!(!S::InChemicalPark.applies_to(Sector::IndustryTrade));
        assert!(S::KeyHazardousProcess.applies_to(Sector::HazardousChemicals));
        for t in [S::OverheadTailings, S::UndergroundOver30, S::DepthOver800m, S::SlopeOver200m] {
            assert_eq!(t.sectors(), [Sector::NonCoalMine]);
        }
        assert!(!S::DepthOver800m.applies_to(Sector::Fireworks));
    }

    #[test]
    fn major_hazard_grade_parsing() {
        use MajorHazardGrade as G;
        assert_eq!(G::from_zh("3级"), Some(G::Grade3));
        assert_eq!(G::from_zh("五级"), None);
        for blank in ["", "  ", "无", "否", "-", "—", "/"] {
            assert_eq!(G::from_zh_optional(blank), Ok(None), "{blank:?}");
        }
        assert_eq!(G::from_zh_optional(" 二级 "), Ok(Some(G::Grade2)));
        assert_eq!(G::from_zh_optional("4级"), Ok(Some(G::Grade4)));
        assert_eq!(G::from_zh_optional("grade1"), Ok(Some(G::Grade1)));
        let err = G::from_zh_optional("五级").unwrap_err();
        assert_eq!(err.to_string(), "重大危险源等级“五级”无法识别");
        let numbers: Vec<u8> = G::ALL.iter().map(|g| g.number()).collect();
        assert_eq!(numbers, [1, 2, 3, 4]);
    }

    #[test]
    fn coord_system_labels() {
        use CoordSystem as C;
        for s in ["WGS-84", "wgs84", "WGS84", "CGCS2000", "GPS", "gps"] {
            assert_eq!(C::from_zh(s), Some(C::Wgs84), "{s}");
        }
        for s in ["GCJ-02", "gcj02", "火星坐标", "高德", "腾讯", " 高德地图 "] {
            assert_eq!(C::from_zh(s), Some(C::Gcj02), "{s}");
        }
        assert_eq!(C::from_zh("百度"), None);
        assert_eq!(C::from_zh("BD-09"), None);
        assert_eq!(C::Wgs84.to_wgs84(114.3, 30.6), (114.3, 30.6));
    }

    #[test]
    fn openapi_schemas_list_the_codes() {
        use utoipa::PartialSchema;
        let json = serde_json::to_string(&SpecialTopic::schema()).unwrap();
        assert!(json.contains("\"depth_over_800m\""), "{json}");
        assert!(json.contains("\"underground_over_30\""), "{json}");
        let json = serde_json::to_string(&SubType::schema()).unwrap();
        assert!(json.contains("\"hc_trading_without_storage\""), "{json}");
        let json = serde_json::to_string(&CreditCode::schema()).unwrap();
        assert!(json.contains("\"string\""), "{json}");
        let json = serde_json::to_string(&RegionCode::schema()).unwrap();
        assert!(json.contains("\"string\""), "{json}");
    }

    #[test]
    fn coords_are_range_checked() {
        assert_eq!(validate_coords(114.3, 30.6), Ok(()));
        assert_eq!(validate_coords(-180.0, 90.0), Ok(()));
        assert_eq!(validate_coords(180.0, -90.0), Ok(()));
        assert_eq!(validate_coords(180.1, 0.0), Err("经度应在-180到180之间"));
        assert_eq!(validate_coords(f64::NAN, 0.0), Err("经度应在-180到180之间"));
        assert_eq!(validate_coords(0.0, -90.5), Err("纬度应在-90到90之间"));
        assert_eq!(validate_coords(0.0, f64::INFINITY), Err("纬度应在-90到90之间"));
    }

    /// Approximate ground distance in metres for small separations.
    fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
        let dx = (a.0 - b.0) * (a.1.to_radians().cos()) * 111_320.0;
        let dy = (a.1 - b.1) * 110_574.0;
        dx.hypot(dy)
    }

    const CITIES: [(f64, f64); 3] = [
        (114.305_39, 30.593_10), // Wuhan
        (112.938_81, 28.228_21), // Changsha
        (115.858_20, 28.682_89), // Nanchang
    ];

    #[test]
    fn gcj02_inverse_round_trips() {
        for p in CITIES {
            let w = gcj02_to_wgs84(p.0, p.1);
            let g = wgs84_to_gcj02(w.0, w.1);
            assert!((g.0 - p.0).abs() < 1e-6 && (g.1 - p.1).abs() < 1e-6, "{p:?} -> {g:?}");
            // Tighter than required: the iteration converges to ~1e-9.
            assert!((g.0 - p.0).abs() < 1e-8 && (g.1 - p.1).abs() < 1e-8, "{p:?}");
            assert_eq!(CoordSystem::Gcj02.to_wgs84(p.0, p.1), w);
        }
    }

    #[test]
    fn gcj02_offset_in_wuhan_is_hundreds_of_metres() {
        let p = CITIES[0];
        let d = metres(p, gcj02_to_wgs84(p.0, p.1));
        assert!((100.0..700.0).contains(&d), "{d}");
        let d = metres(p, wgs84_to_gcj02(p.0, p.1));
        assert!((100.0..700.0).contains(&d), "{d}");
    }

    #[test]
    fn gcj02_leaves_points_outside_china_alone() {
        for p in [(2.35, 48.85), (-74.0, 40.7), (139.7, 35.7), (114.3, 60.0)] {
            assert_eq!(gcj02_to_wgs84(p.0, p.1), p);
            assert_eq!(wgs84_to_gcj02(p.0, p.1), p);
        }
    }
}
