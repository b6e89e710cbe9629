//! The enterprise roster template (`imports/enterprises.xlsx`): the contract
//! with clerks. Columns are matched by header, in any order. Version 1 had the
//! seventeen columns up to 许可证有效期至; version 2 added the optional
//! 联系邮箱, 涉及专项, 坐标系 and 标准化定级日期. Every version keeps importing.

use crate::limits;

/// The newest template version; export writes it.
pub const TEMPLATE_VERSION: u32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    CreditCode,
    Name,
    Sector,
    SubTypes,
    Region,
    Address,
    LegalRepresentative,
    Principal,
    Phone,
    Employees,
    AboveDesignatedSize,
    MajorHazardGrade,
    Standardization,
    Longitude,
    Latitude,
    LicenceNumber,
    LicenceValidTo,
    Email,
    SpecialTopics,
    CoordSystem,
    StandardizationDate,
}

impl Field {
    /// The most characters a cell of this column may hold (`limits`); longer
    /// cells are reported as `too_long` and not read any further.
    pub fn max_chars(self) -> usize {
        match self {
            Self::Name | Self::SubTypes | Self::SpecialTopics => limits::NAME,
            Self::Address => limits::ADDRESS,
            Self::Email => limits::EMAIL,
            Self::CreditCode
            | Self::Sector
            | Self::Region
            | Self::LegalRepresentative
            | Self::Principal
            | Self::Phone
            | Self::Employees
            | Self::AboveDesignatedSize
            | Self::MajorHazardGrade
            | Self::Standardization
            | Self::Longitude
            | Self::Latitude
            | Self::LicenceNumber
            | Self::LicenceValidTo
            | Self::CoordSystem
            | Self::StandardizationDate => limits::SHORT,
        }
    }
}

pub struct Column {
    pub header: &'static str,
    pub field: Field,
    /// Must be present as a column and filled on every row.
    pub required: bool,
    /// Template version that introduced the column.
    pub since: u32,
}

const fn col(header: &'static str, field: Field, required: bool, since: u32) -> Column {
    Column { header, field, required, since }
}

pub const COLUMNS: [Column; 21] = [
    col("统一社会信用代码", Field::CreditCode, true, 1),
    col("企业名称", Field::Name, true, 1),
    col("行业", Field::Sector, true, 1),
    col("细分类别", Field::SubTypes, true, 1),
    col("行政区划代码", Field::Region, true, 1),
    col("生产经营地址", Field::Address, false, 1),
    col("法定代表人", Field::LegalRepresentative, false, 1),
    col("主要负责人", Field::Principal, false, 1),
    col("联系电话", Field::Phone, false, 1),
    col("从业人员数", Field::Employees, false, 1),
    col("规模以上", Field::AboveDesignatedSize, false, 1),
    col("重大危险源等级", Field::MajorHazardGrade, false, 1),
    col("安全生产标准化等级", Field::Standardization, false, 1),
    col("经度", Field::Longitude, false, 1),
    col("纬度", Field::Latitude, false, 1),
    col("安全生产许可证号", Field::LicenceNumber, false, 1),
    col("许可证有效期至", Field::LicenceValidTo, false, 1),
    col("联系邮箱", Field::Email, false, 2),
    col("涉及专项", Field::SpecialTopics, false, 2),
    col("坐标系", Field::CoordSystem, false, 2),
    col("标准化定级日期", Field::StandardizationDate, false, 2),
];

/// Where each known column sits in a file: field → (index, header as written).
#[derive(Debug, Default)]
pub struct ColumnMap {
    slots: Vec<(Field, usize, String)>,
}

impl ColumnMap {
    /// Matches headers (trimmed, ignoring spaces and a trailing `*` or `（必填）`).
    /// Returns the map and the required headers that are missing.
    pub fn from_headers(headers: &[String]) -> (Self, Vec<&'static str>) {
        let norm = |h: &str| {
            h.chars()
                .filter(|c| !c.is_whitespace() && *c != '*')
                .collect::<String>()
                .replace("（必填）", "")
                .replace("(必填)", "")
        };
        let mut slots = Vec::new();
        let mut missing = Vec::new();
        for c in &COLUMNS {
            match headers.iter().position(|h| norm(h) == c.header) {
                Some(i) => slots.push((c.field, i, headers.get(i).cloned().unwrap_or_default())),
                None if c.required => missing.push(c.header),
                None => {}
            }
        }
        (Self { slots }, missing)
    }

    pub fn index(&self, field: Field) -> Option<usize> {
        self.slots.iter().find(|(f, _, _)| *f == field).map(|(_, i, _)| *i)
    }

    /// The header to name in an error: as written in the file, else the template's.
    pub fn header(&self, field: Field) -> String {
        self.slots
            .iter()
            .find(|(f, _, _)| *f == field)
            .map(|(_, _, h)| h.clone())
            .or_else(|| COLUMNS.iter().find(|c| c.field == field).map(|c| c.header.to_owned()))
            .unwrap_or_default()
    }
}
