//! Identifier newtypes for the enterprise register: the unified social credit
//! code and the administrative region code, each valid by construction.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The 31 characters GB 32100-2015 allows (no I, O, Z, S, V); a character's
/// value is its index here.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// GB 32100-2015 weights (3^i mod 31) for the first 17 characters.
const WEIGHTS: [usize; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

const CODE_LEN: usize = 18;
const BODY_LEN: usize = 17;

/// Trims, maps full-width ASCII forms (common in Chinese spreadsheets) to
/// ASCII, and upper-cases.
fn normalize(input: &str) -> String {
    input
        .trim()
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Why a unified social credit code was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("统一社会信用代码应为18位（当前为{0}位）")]
    Length(usize),
    /// `position` is 1-based.
    #[error("统一社会信用代码第{position}位字符“{ch}”不合法（不得使用I、O、Z、S、V）")]
    Character { position: usize, ch: char },
    #[error("统一社会信用代码校验位不正确，请核对")]
    CheckDigit,
    /// Only from [`CreditCode::from_body`].
    #[error("统一社会信用代码前17位应为17位（当前为{0}位）")]
    BodyLength(usize),
}

/// Unified social credit code (统一社会信用代码), GB 32100-2015: registration
/// authority (1), category (2), region (3–8), organisation code (9–17) and a
/// mod-31 check character (18). Stored normalised: ASCII upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "91350100M000100Y43")]
pub struct CreditCode(String);

/// Alphabet values of `chars`, or the first character outside the alphabet.
fn char_values(chars: &[char]) -> Result<Vec<usize>, CreditCodeError> {
    chars
        .iter()
        .enumerate()
        .map(|(i, &ch)| {
            ALPHABET.iter().position(|&b| char::from(b) == ch).ok_or(CreditCodeError::Character { position: i + 1, ch })
        })
        .collect()
}

/// Check character for the values of the first 17 characters.
fn check_char(body: &[usize]) -> char {
    let sum: usize = body.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    // 31 - (sum mod 31), where 31 itself means 0.
    let c = (31 - sum % 31) % 31;
    char::from(ALPHABET[c])
}

impl CreditCode {
    pub fn parse(input: &str) -> Result<Self, CreditCodeError> {
        let code = normalize(input);
        let chars: Vec<char> = code.chars().collect();
        if chars.len() != CODE_LEN {
            return Err(CreditCodeError::Length(chars.len()));
        }
        let values = char_values(&chars)?;
        if chars[BODY_LEN] != check_char(&values[..BODY_LEN]) {
            return Err(CreditCodeError::CheckDigit);
        }
        Ok(Self(code))
    }

    /// Completes the first 17 characters with their check character (used
    /// to make valid codes for demo data).
    pub fn from_body(body: &str) -> Result<Self, CreditCodeError> {
        let mut code = normalize(body);
        let chars: Vec<char> = code.chars().collect();
        if chars.len() != BODY_LEN {
            return Err(CreditCodeError::BodyLength(chars.len()));
        }
        let values = char_values(&chars)?;
        code.push(check_char(&values));
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Character 1: the registration authority (登记管理部门), e.g. `9` for
    /// market regulation.
    pub fn registration_authority(&self) -> char {
        self.0.chars().next().unwrap_or('0')
    }

    /// Character 2: the organisation category within that authority, e.g.
    /// `1` for a company.
    pub fn category(&self) -> char {
        self.0.chars().nth(1).unwrap_or('0')
    }

    /// Characters 3–8: the region code of the registering authority, if it is
    /// a well-formed one. It may be a city-level summary code such as 420100.
    pub fn region_code(&self) -> Option<RegionCode> {
        self.0.get(2..8).and_then(|s| RegionCode::parse(s).ok())
    }

    /// Characters 9–17: the organisation code (主体标识码).
    pub fn organisation_code(&self) -> &str {
        self.0.get(8..BODY_LEN).unwrap_or_default()
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for CreditCode {
    type Err = CreditCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<CreditCode> for String {
    fn from(code: CreditCode) -> Self {
        code.0
    }
}

impl AsRef<str> for CreditCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Why a region code was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionCodeError {
    #[error("行政区划代码应为6位数字")]
    Format,
    #[error("行政区划代码“{0}”的省级前缀不存在")]
    Province(String),
}

/// Level of an administrative division, read mechanically from the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    /// 省级: `xx0000`.
    Province,
    /// 地级: `xxxx00`.
    Prefecture,
    /// 县级: anything else.
    County,
}

impl RegionLevel {
    pub const fn zh(self) -> &'static str {
        match self {
            Self::Province => "省级",
            Self::Prefecture => "地级",
            Self::County => "县级",
        }
    }
}

/// Administrative region code (行政区划代码, GB/T 2260): six digits with a
/// real province prefix. Whether the code is currently in use is a data
/// question (`data/regions.tsv`), not checked here.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "420103")]
pub struct RegionCode(String);

const fn is_province_prefix(p: u8) -> bool {
    matches!(p, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81 | 82)
}

impl RegionCode {
    pub fn parse(input: &str) -> Result<Self, RegionCodeError> {
        let code = normalize(input);
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(RegionCodeError::Format);
        }
        let prefix = code.get(..2).and_then(|p| p.parse::<u8>().ok());
        if !prefix.is_some_and(is_province_prefix) {
            return Err(RegionCodeError::Province(code));
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> RegionLevel {
        if self.0.ends_with("0000") {
            RegionLevel::Province
        } else if self.0.ends_with("00") {
            RegionLevel::Prefecture
        } else {
            RegionLevel::County
        }
    }

    /// The digits that every region inside this one starts with: 2 for a
    /// province, 4 for a prefecture, all 6 for a county. Suits a SQL
    /// `LIKE 'prefix%'` scope filter.
    pub fn prefix(&self) -> &str {
        let len = match self.level() {
            RegionLevel::Province => 2,
            RegionLevel::Prefecture => 4,
            RegionLevel::County => 6,
        };
        self.0.get(..len).unwrap_or(&self.0)
    }

    /// The lowest and highest codes inside this region (`420100`..`420199` for
    /// a prefecture), for a range filter on a region-code column.
    pub fn bounds(&self) -> (String, String) {
        let prefix = self.prefix();
        let pad = 6 - prefix.len();
        (format!("{prefix}{}", "0".repeat(pad)), format!("{prefix}{}", "9".repeat(pad)))
    }

    /// The enclosing division by code arithmetic: county `xxxxyy` →
    /// `xxxx00`, prefecture → `xx0000`, province → `None`. This is mechanical:
    /// 110101's parent is 110100, and Hubei's province-administered 429004
    /// gets 429000 (a statistics summary code) rather than 420000.
    pub fn parent(&self) -> Option<RegionCode> {
        let keep = match self.level() {
            RegionLevel::Province => return None,
            RegionLevel::Prefecture => 2,
            RegionLevel::County => 4,
        };
        let head = self.0.get(..keep)?;
        Some(Self(format!("{head:0<6}")))
    }

    /// The province this code lies in (itself for a province).
    #[must_use]
    pub fn province(&self) -> RegionCode {
        let head = self.0.get(..2).unwrap_or_default();
        Self(format!("{head:0<6}"))
    }

    /// Whether `other` lies within this region (or is it): a province covers
    /// codes with the same first 2 digits, a prefecture the same first 4, a
    /// county only itself.
    pub fn covers(&self, other: &RegionCode) -> bool {
        other.0.starts_with(self.prefix())
    }

    /// The county-level code this region falls in, or the code itself when
    /// it is above county level. Six-digit codes stop at county level, so
    /// this is always the code itself; it marks the call sites that need
    /// "the finest known region", should finer codes ever be accepted.
    #[must_use]
    pub fn county_or_self(&self) -> RegionCode {
        self.clone()
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for RegionCode {
    type Err = RegionCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = RegionCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<RegionCode> for String {
    fn from(code: RegionCode) -> Self {
        code.0
    }
}

impl AsRef<str> for RegionCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const PUBLISHED: &str = "91350100M000100Y43";

    #[test]
    fn published_code_is_valid() {
        let code = CreditCode::parse(PUBLISHED).unwrap();
        assert_eq!(code.as_str(), PUBLISHED);
        assert_eq!(code.to_string(), PUBLISHED);
        assert_eq!(code.registration_authority(), '9');
        assert_eq!(code.category(), '1');
        assert_eq!(code.region_code().unwrap().as_str(), "350100");
        assert_eq!(code.organisation_code(), "M000100Y4");
    }

    #[test]
    fn other_published_codes_are_valid() {
        for code in ["91440300708461136T", "914403001922038216", "91330100716105852F"] {
            assert_eq!(CreditCode::parse(code).unwrap().as_str(), code);
        }
    }

    #[test]
    fn parse_trims_upper_cases_and_folds_full_width() {
        let code = CreditCode::parse("  91350100m000100y43\t").unwrap();
        assert_eq!(code.as_str(), PUBLISHED);
        let code = CreditCode::parse("９１３５０１００Ｍ０００１００Ｙ４３").unwrap();
        assert_eq!(code.as_str(), PUBLISHED);
    }

    #[test]
    fn wrong_length_is_length_error() {
        assert_eq!(CreditCode::parse(""), Err(CreditCodeError::Length(0)));
        assert_eq!(CreditCode::parse(&PUBLISHED[..17]), Err(CreditCodeError::Length(17)));
        assert_eq!(CreditCode::parse(&format!("{PUBLISHED}0")), Err(CreditCodeError::Length(19)));
        // Counted in characters, not bytes.
        assert_eq!(CreditCode::parse("统一社会信用代码"), Err(CreditCodeError::Length(8)));
    }

    #[test]
    fn forbidden_letters_are_character_errors() {
        for bad in ['I', 'O', 'Z', 'S', 'V', '-', '统'] {
            let mut s: Vec<char> = PUBLISHED.chars().collect();
            s[9] = bad;
            let s: String = s.into_iter().collect();
            assert_eq!(CreditCode::parse(&s), Err(CreditCodeError::Character { position: 10, ch: bad }), "{s}");
        }
    }

    #[test]
    fn changing_any_single_character_fails() {
        for (pos, original) in PUBLISHED.char_indices() {
            for &b in ALPHABET {
                let replacement = char::from(b);
                if replacement == original {
                    continue;
                }
                let mut s = PUBLISHED.to_owned();
                s.replace_range(pos..=pos, &replacement.to_string());
                assert_eq!(CreditCode::parse(&s), Err(CreditCodeError::CheckDigit), "{s}");
            }
        }
    }

    #[test]
    fn from_body_round_trips() {
        for body in
            ["91420100MA4K2B3C0", "91430102MA4L0XYW1", "91360281MA35ABCDE", "12420000011005679", "Y1420103000000001"]
        {
            let code = CreditCode::from_body(body).unwrap();
            assert_eq!(code.as_str().len(), 18);
            assert!(code.as_str().starts_with(body));
            assert_eq!(CreditCode::parse(code.as_str()).unwrap(), code);
        }
        let published = CreditCode::from_body(&PUBLISHED[..17]).unwrap();
        assert_eq!(published.as_str(), PUBLISHED);
    }

    #[test]
    fn check_value_31_maps_to_zero() {
        let code = CreditCode::from_body("00000000000000000").unwrap();
        assert_eq!(code.as_str(), "000000000000000000");
    }

    #[test]
    fn from_body_rejects_bad_input() {
        assert_eq!(CreditCode::from_body(PUBLISHED), Err(CreditCodeError::BodyLength(18)));
        assert_eq!(
            CreditCode::from_body("91350100M00010OY4"),
            Err(CreditCodeError::Character { position: 15, ch: 'O' })
        );
    }

    #[test]
    fn credit_code_serde_is_a_checked_string() {
        let code = CreditCode::parse(PUBLISHED).unwrap();
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(json, format!("\"{PUBLISHED}\""));
        let back: CreditCode = serde_json::from_str(" \"91350100m000100y43\" ").unwrap();
        assert_eq!(back, code);
        let err = serde_json::from_str::<CreditCode>("\"91350100M000100Y44\"").unwrap_err();
        assert!(err.to_string().contains("校验位"), "{err}");
    }

    #[test]
    fn error_messages_are_chinese() {
        assert_eq!(CreditCodeError::Length(17).to_string(), "统一社会信用代码应为18位（当前为17位）");
        assert_eq!(RegionCodeError::Format.to_string(), "行政区划代码应为6位数字");
    }

    fn rc(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    #[test]
    fn region_parse_checks_shape_and_province() {
        for ok in ["110000", "420103", "429021", "710000", "810000", "820000", " 360281 "] {
            assert!(RegionCode::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "42010", "4201030", "42010a", "４２０１０３x", "42-103"] {
            assert_eq!(RegionCode::parse(bad), Err(RegionCodeError::Format), "{bad}");
        }
        for bad in ["000000", "100000", "160000", "240000", "380000", "470000", "550000"] {
            assert!(matches!(RegionCode::parse(bad), Err(RegionCodeError::Province(_))), "{bad}");
        }
        for bad in ["660000", "700000", "720000", "800000", "830000", "990000"] {
            assert!(RegionCode::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(rc("４２０１０３").as_str(), "420103");
    }

    #[test]
    fn region_level_and_parent_are_mechanical() {
        assert_eq!(rc("420000").level(), RegionLevel::Province);
        assert_eq!(rc("420100").level(), RegionLevel::Prefecture);
        assert_eq!(rc("420103").level(), RegionLevel::County);
        assert_eq!(rc("420103").parent(), Some(rc("420100")));
        assert_eq!(rc("420100").parent(), Some(rc("420000")));
        assert_eq!(rc("420000").parent(), None);
        assert_eq!(rc("110101").parent(), Some(rc("110100")));
        assert_eq!(rc("429004").parent(), Some(rc("429000")));
        assert_eq!(rc("429004").province(), rc("420000"));
        assert_eq!(rc("420000").province(), rc("420000"));
        assert_eq!(rc("421202").county_or_self(), rc("421202"));
        assert_eq!(rc("421200").county_or_self(), rc("421200"));
    }

    #[test]
    fn covers_follows_the_prefix() {
        let hubei = rc("420000");
        let wuhan = rc("420100");
        let jianghan = rc("420103");
        assert_eq!((hubei.prefix(), wuhan.prefix(), jianghan.prefix()), ("42", "4201", "420103"));
        assert!(hubei.covers(&hubei) && hubei.covers(&wuhan) && hubei.covers(&jianghan));
        assert!(hubei.covers(&rc("429004")));
        assert!(wuhan.covers(&wuhan) && wuhan.covers(&jianghan));
        assert!(!wuhan.covers(&hubei) && !wuhan.covers(&rc("420202")));
        assert!(jianghan.covers(&jianghan));
        assert!(!jianghan.covers(&wuhan) && !jianghan.covers(&rc("420102")));
        assert!(!hubei.covers(&rc("430100")));
    }

    #[test]
    fn region_serde_is_a_checked_string() {
        let json = serde_json::to_string(&rc("360281")).unwrap();
        assert_eq!(json, "\"360281\"");
        assert_eq!(serde_json::from_str::<RegionCode>(&json).unwrap(), rc("360281"));
        assert!(serde_json::from_str::<RegionCode>("\"990000\"").is_err());
        assert!(serde_json::from_str::<RegionCode>("420103").is_err());
        assert_eq!(serde_json::to_string(&RegionLevel::Prefecture).unwrap(), "\"prefecture\"");
    }

    #[test]
    fn shipped_region_table_is_consistent() {
        let tsv = include_str!("../../data/regions.tsv");
        let mut lines = tsv.lines();
        assert_eq!(lines.next(), Some("code\tname\tparent"));
        let mut count = 0;
        for line in lines {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 3, "{line}");
            let code = rc(cols[0]);
            assert!(!cols[1].is_empty(), "{line}");
            if code.level() == RegionLevel::Province {
                assert!(cols[2].is_empty(), "{line}");
            } else {
                let parent = rc(cols[2]);
                assert!(parent.covers(&code) && parent != code, "{line}");
                // Only Hubei's province-administered units skip a level.
                if code.parent() != Some(parent.clone()) {
                    assert!(code.as_str().starts_with("4290"), "{line}");
                    assert_eq!(parent, code.province(), "{line}");
                }
            }
            count += 1;
        }
        assert_eq!(count, 397);
    }
}
