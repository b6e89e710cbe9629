//! The enterprise fields as parsed from any channel (API, spreadsheet), their
//! cross-field rules, and how they apply to and differ from a stored row.

use super::domain::{RegionCode, Sector, SpecialTopic, StandardizationGrade, SubType};
use crate::entities::enterprise;
use crate::limits;
use chrono::NaiveDate;
use sea_orm::ActiveValue::Set;

/// Parsed fields; `None` means "not given" (never "clear").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    pub name: Option<String>,
    pub sector: Option<Sector>,
    pub sub_types: Option<Vec<SubType>>,
    pub special_topics: Option<Vec<SpecialTopic>>,
    pub region: Option<RegionCode>,
    pub address: Option<String>,
    pub legal_representative: Option<String>,
    pub principal: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub employees: Option<i32>,
    pub above_designated_size: Option<bool>,
    /// `grade1`–`grade4` or `none`.
    pub major_hazard_grade: Option<String>,
    pub standardization_grade: Option<StandardizationGrade>,
    pub standardization_date: Option<NaiveDate>,
    /// WGS-84 longitude and latitude.
    pub coords: Option<(f64, f64)>,
}

/// A problem with one field: (field, machine code, message).
pub type Problem = (&'static str, &'static str, String);

pub fn join_codes<T: Copy>(items: &[T], f: impl Fn(T) -> &'static str) -> String {
    items.iter().map(|i| f(*i)).collect::<Vec<_>>().join(",")
}

pub fn split_codes(s: &str) -> Vec<String> {
    s.split(',').filter(|p| !p.is_empty()).map(str::to_owned).collect()
}

pub fn check_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (7..=20).contains(&digits) && s.chars().all(|c| c.is_ascii_digit() || " -+()（）转".contains(c))
}

pub fn check_email(s: &str) -> bool {
    validator::ValidateEmail::validate_email(&s)
}

/// Rules across fields, checked on the record as it would be after the change.
pub fn check_consistency(sector: Sector, sub_types: &[SubType], topics: &[SpecialTopic]) -> Vec<Problem> {
    let mut out = Vec::new();
    if sub_types.is_empty() {
        out.push(("sub_types", "missing_required", "至少填写一个细分类别".to_owned()));
    }
    for s in sub_types.iter().filter(|s| s.sector() != sector) {
        out.push(("sub_types", "unknown_sub_type", format!("细分类别“{}”不属于行业“{}”", s.zh(), sector.zh())));
    }
    for t in topics.iter().filter(|t| !t.sectors().contains(&sector)) {
        out.push(("special_topics", "unknown_topic", format!("专项“{}”不适用于行业“{}”", t.zh(), sector.zh())));
    }
    out
}

/// The free-text fields of a draft: (field, label, value, limit).
fn texts(d: &Draft) -> [(&'static str, &'static str, Option<&str>, usize); 6] {
    [
        ("name", "企业名称", d.name.as_deref(), limits::NAME),
        ("address", "生产经营地址", d.address.as_deref(), limits::ADDRESS),
        ("legal_representative", "法定代表人", d.legal_representative.as_deref(), limits::SHORT),
        ("principal", "主要负责人", d.principal.as_deref(), limits::SHORT),
        ("phone", "联系电话", d.phone.as_deref(), limits::SHORT),
        ("email", "联系邮箱", d.email.as_deref(), limits::EMAIL),
    ]
}

/// Checks single-field formats shared by every channel, lengths first: a
/// value too long (or with control characters) gets no other message.
pub fn check_formats(d: &Draft) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for (field, label, value, max) in texts(d) {
        if let Some(p) = value.and_then(|v| limits::problem(v, max)) {
            out.push((field, p.code(), p.message(label)));
            bad.push(field);
        }
    }
    if d.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        out.push(("name", "invalid_value", "企业名称不能为空".to_owned()));
    }
    for (list, label, len) in [
        ("sub_types", "细分类别", d.sub_types.as_ref().map_or(0, Vec::len)),
        ("special_topics", "涉及专项", d.special_topics.as_ref().map_or(0, Vec::len)),
    ] {
        if len > limits::LIST {
            out.push((list, "invalid_value", format!("{label}最多 {} 项（现为 {len} 项）", limits::LIST)));
        }
    }
    if d.phone.as_deref().is_some_and(|p| !bad.contains(&"phone") && !check_phone(p)) {
        out.push(("phone", "invalid_phone", "联系电话格式不正确".to_owned()));
    }
    if d.email.as_deref().is_some_and(|e| !bad.contains(&"email") && !check_email(e)) {
        out.push(("email", "invalid_email", "联系邮箱格式不正确".to_owned()));
    }
    if d.employees.is_some_and(|n| !(0..=1_000_000).contains(&n)) {
        out.push(("employees", "invalid_number", "从业人员数应为 0–1000000 的整数".to_owned()));
    }
    if let Some((lng, lat)) = d.coords
        && let Err(m) = super::domain::validate_coords(lng, lat)
    {
        out.push(("coords", "invalid_number", m.to_owned()));
    }
    out
}

fn set_opt<T: Clone + Into<sea_orm::Value> + sea_orm::sea_query::Nullable>(
    slot: &mut sea_orm::ActiveValue<Option<T>>,
    v: Option<&T>,
) {
    if let Some(v) = v {
        *slot = Set(Some(v.clone()));
    }
}

/// Writes the given fields onto an active model (except region and bureau, which the caller decides).
pub fn apply(d: &Draft, m: &mut enterprise::ActiveModel) {
    if let Some(v) = &d.name {
        m.name = Set(v.clone());
    }
    if let Some(v) = d.sector {
        m.sector = Set(v);
    }
    if let Some(v) = &d.sub_types {
        m.sub_types = Set(join_codes(v, SubType::as_str));
    }
    if let Some(v) = &d.special_topics {
        m.special_topics = Set(join_codes(v, SpecialTopic::as_str));
    }
    if let Some(v) = &d.region {
        m.region_code = Set(v.as_str().to_owned());
    }
    set_opt(&mut m.address, d.address.as_ref());
    set_opt(&mut m.legal_representative, d.legal_representative.as_ref());
    set_opt(&mut m.principal, d.principal.as_ref());
    set_opt(&mut m.phone, d.phone.as_ref());
    set_opt(&mut m.email, d.email.as_ref());
    set_opt(&mut m.employees, d.employees.as_ref());
    set_opt(&mut m.above_designated_size, d.above_designated_size.as_ref());
    set_opt(&mut m.major_hazard_grade, d.major_hazard_grade.as_ref());
    if let Some(v) = d.standardization_grade {
        m.standardization_grade = Set(v);
    }
    set_opt(&mut m.standardization_date, d.standardization_date.as_ref());
    if let Some((lng, lat)) = d.coords {
        m.longitude = Set(Some(lng));
        m.latitude = Set(Some(lat));
    }
}

/// One changed field, rendered for people.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FieldChange {
    pub field: String,
    /// The template's column header.
    pub label: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

fn push(out: &mut Vec<FieldChange>, field: &str, label: &str, old: Option<String>, new: Option<String>) {
    if new.is_some() && old != new {
        out.push(FieldChange { field: field.to_owned(), label: label.to_owned(), old, new });
    }
}

/// What applying `d` would change on `row` (fields not given never change).
pub fn diff(row: &enterprise::Model, d: &Draft) -> Vec<FieldChange> {
    let mut out = Vec::new();
    push(&mut out, "name", "企业名称", Some(row.name.clone()), d.name.clone());
    push(&mut out, "sector", "行业", Some(row.sector.as_str().to_owned()), d.sector.map(|s| s.as_str().to_owned()));
    push(
        &mut out,
        "sub_types",
        "细分类别",
        Some(row.sub_types.clone()),
        d.sub_types.as_ref().map(|v| join_codes(v, SubType::as_str)),
    );
    push(
        &mut out,
        "special_topics",
        "涉及专项",
        Some(row.special_topics.clone()),
        d.special_topics.as_ref().map(|v| join_codes(v, SpecialTopic::as_str)),
    );
    push(
        &mut out,
        "region_code",
        "行政区划代码",
        Some(row.region_code.clone()),
        d.region.as_ref().map(|r| r.as_str().to_owned()),
    );
    contact_diff(row, d, &mut out);
    out
}

fn contact_diff(row: &enterprise::Model, d: &Draft, out: &mut Vec<FieldChange>) {
    push(out, "address", "生产经营地址", row.address.clone(), d.address.clone());
    push(out, "legal_representative", "法定代表人", row.legal_representative.clone(), d.legal_representative.clone());
    push(out, "principal", "主要负责人", row.principal.clone(), d.principal.clone());
    push(out, "phone", "联系电话", row.phone.clone(), d.phone.clone());
    push(out, "email", "联系邮箱", row.email.clone(), d.email.clone());
    push(out, "employees", "从业人员数", row.employees.map(|n| n.to_string()), d.employees.map(|n| n.to_string()));
    push(
        out,
        "above_designated_size",
        "规模以上",
        row.above_designated_size.map(|b| b.to_string()),
        d.above_designated_size.map(|b| b.to_string()),
    );
    push(out, "major_hazard_grade", "重大危险源等级", row.major_hazard_grade.clone(), d.major_hazard_grade.clone());
    push(
        out,
        "standardization_grade",
        "安全生产标准化等级",
        Some(row.standardization_grade.as_str().to_owned()),
        d.standardization_grade.map(|g| g.as_str().to_owned()),
    );
    push(
        out,
        "standardization_date",
        "标准化定级日期",
        row.standardization_date.map(|x| x.to_string()),
        d.standardization_date.map(|x| x.to_string()),
    );
    let coords = |lng: Option<f64>, lat: Option<f64>| lng.zip(lat).map(|(a, b)| format!("{a:.6},{b:.6}"));
    push(
        out,
        "coords",
        "经度/纬度",
        coords(row.longitude, row.latitude),
        d.coords.and_then(|(a, b)| coords(Some(a), Some(b))),
    );
}
