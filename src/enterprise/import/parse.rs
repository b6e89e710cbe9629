//! Reading one roster row into a draft, listing every problem in the row.

use super::columns::{COLUMNS, ColumnMap, Field};
use crate::bureau::regions;
use crate::enterprise::domain::{
    CoordSystem, CreditCode, CreditCodeError, MajorHazardGrade, RegionCode, Sector, SpecialTopic, StandardizationGrade,
    SubType,
};
use crate::enterprise::draft::{self, Draft};
use crate::error::RowError;
use crate::limits;
use crate::xlsx::read::{Cell, Row};
use chrono::NaiveDate;

/// A good row.
#[derive(Debug, Clone)]
pub struct ParsedRow {
    pub row: u32,
    pub code: CreditCode,
    pub draft: Draft,
    /// 安全生产许可证: number and expiry.
    pub licence: Option<(String, Option<NaiveDate>)>,
}

struct Ctx<'a> {
    cols: &'a ColumnMap,
    row: &'a Row,
    errors: Vec<RowError>,
    /// Columns whose cell is too long (or has control characters): reported
    /// once and then read as empty, so that no other message quotes them.
    unreadable: Vec<Field>,
}

impl Ctx<'_> {
    /// Checks every cell's length against its column's limit first.
    fn check_lengths(&mut self) {
        for col in &COLUMNS {
            let Some(text) = self.cell(col.field).and_then(Cell::as_text) else { continue };
            if let Some(p) = limits::problem(&text, col.field.max_chars()) {
                self.err(col.field, p.code(), p.cell_message(&text));
                self.unreadable.push(col.field);
            }
        }
    }

    fn cell(&self, f: Field) -> Option<&Cell> {
        if self.unreadable.contains(&f) {
            return None;
        }
        self.cols.index(f).and_then(|i| self.row.cells.get(i))
    }

    fn text(&self, f: Field) -> Option<String> {
        self.cell(f).and_then(Cell::as_text)
    }

    fn err(&mut self, f: Field, code: &str, message: impl Into<String>) {
        self.errors.push(RowError {
            row: self.row.number,
            column: self.cols.header(f),
            code: code.to_owned(),
            message: message.into(),
        });
    }

    /// Really empty: no value, and not one that was too long to read.
    fn empty(&self, f: Field) -> bool {
        self.text(f).is_none() && !self.unreadable.contains(&f)
    }

    fn required(&mut self, f: Field) -> Option<String> {
        let v = self.text(f);
        if self.empty(f) {
            self.err(f, "missing_required", "必填项为空");
        }
        v
    }

    fn number<T: std::str::FromStr>(&mut self, f: Field, what: &str) -> Option<T> {
        let t = self.text(f)?;
        let parsed = t.replace(',', "").parse::<T>().ok();
        if parsed.is_none() {
            self.err(f, "invalid_number", format!("{what}应为数字，实际为“{t}”"));
        }
        parsed
    }

    fn date(&mut self, f: Field) -> Option<NaiveDate> {
        match self.cell(f).map(Cell::as_date) {
            Some(Ok(d)) => d,
            Some(Err(())) => {
                let t = self.text(f).unwrap_or_default();
                self.err(f, "invalid_date", format!("日期格式不正确：“{t}”（应为 2027-06-30 或 2027/6/30）"));
                None
            }
            None => None,
        }
    }

    /// Values separated by 、 (also ， , ； ;).
    fn list(&self, f: Field) -> Option<Vec<String>> {
        let t = self.text(f)?;
        Some(
            t.split(['、', '，', ',', '；', ';', '/'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        )
    }
}

/// Whether a credit code looks cut by Excel, which stores a long number with 15
/// significant digits: all digits and shorter than 18 characters, or 18 digits
/// ending in `000`. Said with the row's error, so the user fixes the column's
/// format instead of retyping codes one by one.
pub fn looks_cut_by_excel(text: &str) -> bool {
    let t = text.trim();
    let digits = !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    digits && (t.len() < 18 || t.ends_with("000"))
}

const CUT_BY_EXCEL: &str = "（疑似被 Excel 当作数字截断：请把该列设为“文本”格式，重新填写完整的 18 位代码）";

/// A credit code as read from a cell (text or a NUMBER cell's digits), or the
/// row error's code and message, with the hint when Excel seems to have cut it.
/// Every import that names enterprises by credit code reads it through this.
pub fn credit_code_of(text: &str) -> Result<CreditCode, (&'static str, String)> {
    let hint = if looks_cut_by_excel(text) { CUT_BY_EXCEL } else { "" };
    match CreditCode::parse(text) {
        Ok(code) => Ok(code),
        Err(CreditCodeError::CheckDigit) => {
            Err(("invalid_check_digit", format!("统一社会信用代码“{text}”校验位不正确{hint}")))
        }
        Err(e) => Err(("invalid_credit_code", format!("统一社会信用代码“{text}”无效：{e}{hint}"))),
    }
}

fn credit_code(c: &mut Ctx) -> Option<CreditCode> {
    let text = c.required(Field::CreditCode)?;
    credit_code_of(&text).map_err(|(code, message)| c.err(Field::CreditCode, code, message)).ok()
}

fn kinds(c: &mut Ctx, d: &mut Draft) {
    let sector = c.required(Field::Sector).and_then(|s| {
        let found = Sector::from_zh(&s);
        if found.is_none() {
            c.err(Field::Sector, "unknown_sector", format!("未知行业“{s}”（应为 危险化学品/烟花爆竹/非煤矿山/工贸）"));
        }
        found
    });
    let subs = c.list(Field::SubTypes);
    if c.empty(Field::SubTypes) {
        c.err(Field::SubTypes, "missing_required", "必填项为空");
    }
    if let (Some(sector), Some(subs)) = (sector, subs) {
        let mut parsed = Vec::new();
        for s in subs {
            match SubType::from_zh(sector, &s) {
                Some(t) if !parsed.contains(&t) => parsed.push(t),
                Some(_) => {}
                None => c.err(Field::SubTypes, "unknown_sub_type", format!("行业“{}”下没有细分类别“{s}”", sector.zh())),
            }
        }
        d.sub_types = Some(parsed);
    }
    let mut topics = Vec::new();
    for t in c.list(Field::SpecialTopics).unwrap_or_default() {
        match SpecialTopic::from_zh(&t) {
            Some(x) if sector.is_none_or(|s| x.applies_to(s)) => topics.push(x),
            Some(_) => c.err(Field::SpecialTopics, "unknown_topic", format!("专项“{t}”不适用于该行业")),
            None => c.err(Field::SpecialTopics, "unknown_topic", format!("未知专项“{t}”")),
        }
    }
    if c.text(Field::SpecialTopics).is_some() {
        d.special_topics = Some(topics);
    }
    d.sector = sector;
}

fn grades(c: &mut Ctx, d: &mut Draft) {
    if let Some(t) = c.text(Field::AboveDesignatedSize) {
        match t.as_str() {
            "是" | "Y" | "y" | "1" => d.above_designated_size = Some(true),
            "否" | "N" | "n" | "0" => d.above_designated_size = Some(false),
            _ => c.err(Field::AboveDesignatedSize, "invalid_value", format!("规模以上应填“是”或“否”，实际为“{t}”")),
        }
    }
    if let Some(t) = c.text(Field::MajorHazardGrade) {
        match MajorHazardGrade::from_zh_optional(&t) {
            Ok(g) => d.major_hazard_grade = Some(g.map_or("none", MajorHazardGrade::as_str).to_owned()),
            Err(_) => c.err(
                Field::MajorHazardGrade,
                "invalid_value",
                format!("重大危险源等级应为 一级–四级 或 无，实际为“{t}”"),
            ),
        }
    }
    if let Some(t) = c.text(Field::Standardization) {
        match StandardizationGrade::from_zh(&t) {
            Some(g) => d.standardization_grade = Some(g),
            None => c.err(
                Field::Standardization,
                "invalid_value",
                format!("标准化等级应为 一级/二级/三级/未定级，实际为“{t}”"),
            ),
        }
    }
    d.standardization_date = c.date(Field::StandardizationDate);
}

fn place(c: &mut Ctx, d: &mut Draft) {
    if let Some(t) = c.required(Field::Region) {
        match RegionCode::parse(&t).map_err(|e| e.to_string()).and_then(|r| regions::check_exists(&r).map(|()| r)) {
            Ok(r) => d.region = Some(r),
            Err(e) => c.err(Field::Region, "invalid_region", format!("行政区划代码“{t}”无效：{e}")),
        }
    }
    let lng = coordinate(c, Field::Longitude, "经度", 180.0);
    let lat = coordinate(c, Field::Latitude, "纬度", 90.0);
    let system = match c.text(Field::CoordSystem) {
        None => Some(CoordSystem::Wgs84),
        Some(t) => {
            let s = CoordSystem::from_zh(&t);
            if s.is_none() {
                c.err(Field::CoordSystem, "invalid_value", format!("坐标系应为 WGS-84/CGCS2000/GCJ-02，实际为“{t}”"));
            }
            s
        }
    };
    // A missing partner is reported only when its cell is really empty, not when it failed to parse.
    let (lng_empty, lat_empty) = (c.empty(Field::Longitude), c.empty(Field::Latitude));
    match (lng, lat, system) {
        (Some(lng), Some(lat), Some(s)) => d.coords = Some(s.to_wgs84(lng, lat)),
        (Some(_), None, _) if lat_empty => c.err(Field::Latitude, "missing_required", "填写经度时须同时填写纬度"),
        (None, Some(_), _) if lng_empty => c.err(Field::Longitude, "missing_required", "填写纬度时须同时填写经度"),
        _ => {}
    }
}

/// A longitude or latitude: a number within ±`limit` degrees.
fn coordinate(c: &mut Ctx, f: Field, what: &str, limit: f64) -> Option<f64> {
    let v = c.number::<f64>(f, what)?;
    if v.is_finite() && v.abs() <= limit {
        Some(v)
    } else {
        c.err(f, "invalid_number", format!("{what}应在 -{limit}–{limit} 度之间，实际为 {v}"));
        None
    }
}

/// Parses one row; either a good row or every problem in it.
pub fn parse_row(cols: &ColumnMap, row: &Row) -> Result<ParsedRow, Vec<RowError>> {
    let mut c = Ctx { cols, row, errors: Vec::new(), unreadable: Vec::new() };
    c.check_lengths();
    let code = credit_code(&mut c);
    let mut d = Draft { name: c.required(Field::Name), ..Draft::default() };
    kinds(&mut c, &mut d);
    place(&mut c, &mut d);
    grades(&mut c, &mut d);
    d.address = c.text(Field::Address);
    d.legal_representative = c.text(Field::LegalRepresentative);
    d.principal = c.text(Field::Principal);
    d.phone = c.text(Field::Phone);
    d.email = c.text(Field::Email);
    d.employees = c.number::<i32>(Field::Employees, "从业人员数");
    let number = c.text(Field::LicenceNumber);
    let valid_to = c.date(Field::LicenceValidTo);
    if c.empty(Field::LicenceNumber) && valid_to.is_some() {
        c.err(Field::LicenceNumber, "missing_required", "填写许可证有效期时须同时填写许可证号");
    }
    let field_of = |name: &str| match name {
        "name" => Field::Name,
        "address" => Field::Address,
        "legal_representative" => Field::LegalRepresentative,
        "principal" => Field::Principal,
        "phone" => Field::Phone,
        "email" => Field::Email,
        "employees" => Field::Employees,
        "sub_types" => Field::SubTypes,
        "special_topics" => Field::SpecialTopics,
        _ => Field::Longitude,
    };
    // Coordinates were checked per column in `place`.
    for (field, code, message) in draft::check_formats(&d).into_iter().filter(|p| p.0 != "coords") {
        c.err(field_of(field), code, message);
    }
    match (code, c.errors.is_empty()) {
        (Some(code), true) => Ok(ParsedRow { row: row.number, code, draft: d, licence: number.map(|n| (n, valid_to)) }),
        _ => Err(c.errors),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::parse_row;
    use crate::enterprise::domain::CreditCode;
    use crate::enterprise::import::columns::ColumnMap;
    use crate::error::RowError;
    use crate::xlsx::read::{Limits, read_first_sheet};
    use crate::xlsx::testing::book;

    const HEADER: [&str; 8] =
        ["统一社会信用代码", "企业名称", "行业", "细分类别", "行政区划代码", "生产经营地址", "经度", "纬度"];

    /// Parses the one data row of a roster with the given address, name and latitude.
    fn parse(address: &str, name: &str, latitude: &str) -> Result<super::ParsedRow, Vec<RowError>> {
        let code = CreditCode::from_body("91420103MA4K00001").unwrap();
        let row = [code.as_str(), name, "危险化学品", "生产", "420103", address, "=114.3", latitude];
        let sheet = read_first_sheet(&book(&[&HEADER, &row]), &Limits::default()).unwrap();
        let (cols, missing) = ColumnMap::from_headers(&sheet.headers);
        assert!(missing.is_empty(), "{missing:?}");
        parse_row(&cols, &sheet.rows[0])
    }

    #[test]
    fn an_address_of_the_limit_is_read() {
        let row = parse(&"湖".repeat(500), "甲化工有限公司", "=30.5").unwrap();
        assert_eq!(row.draft.address.map(|a| a.chars().count()), Some(500));
    }

    #[test]
    fn an_over_long_address_is_too_long_for_its_row_without_quoting_it() {
        let errors = parse(&"湖".repeat(20_000), "甲化工有限公司", "=30.5").unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        let e = &errors[0];
        assert_eq!((e.row, e.column.as_str(), e.code.as_str()), (2, "生产经营地址", "too_long"));
        assert!(e.message.starts_with("不超过 500 字（现为 20000 字"), "{}", e.message);
        assert!(e.message.chars().count() < 60, "{}", e.message);
    }

    #[test]
    fn an_over_long_cell_gets_no_other_message() {
        let errors = parse("湖北省武汉市", &"甲".repeat(201), &"9".repeat(101)).unwrap_err();
        let got: Vec<(&str, &str)> = errors.iter().map(|e| (e.column.as_str(), e.code.as_str())).collect();
        assert_eq!(got, [("企业名称", "too_long"), ("纬度", "too_long")]);
    }

    #[test]
    fn codes_cut_by_excel_are_recognised() {
        assert!(super::looks_cut_by_excel("914201037"));
        assert!(super::looks_cut_by_excel("914201030000001000"));
        assert!(!super::looks_cut_by_excel("91420103MA4K00001X"));
        assert!(!super::looks_cut_by_excel("914201030000001234"));
        assert!(!super::looks_cut_by_excel(""));
    }
}
