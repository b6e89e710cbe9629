//! Stored codes shown in Chinese, through the domain types' `zh()` names.

use crate::bureau::regions;
use crate::enterprise::domain::{MajorHazardGrade, Sector, SpecialTopic, StandardizationGrade, SubType};
use crate::enterprise::draft::split_codes;
use crate::enterprise::import::SAFETY_LICENCE;

/// Shown where a value is not recorded.
pub const EMPTY: &str = "—";

/// A stored code's Chinese name, or the code itself when it names nothing known.
fn zh_of<T: std::str::FromStr>(code: &str, zh: impl Fn(T) -> &'static str) -> String {
    code.parse::<T>().map_or_else(|_| code.to_owned(), |v| zh(v).to_owned())
}

pub fn sector(code: &str) -> String {
    zh_of(code, Sector::zh)
}

pub fn standardization(code: &str) -> String {
    zh_of(code, StandardizationGrade::zh)
}

/// Comma-separated sub-type codes as 储存、使用.
pub fn sub_types(codes: &str) -> String {
    list(codes, SubType::zh)
}

pub fn special_topics(codes: &str) -> String {
    list(codes, SpecialTopic::zh)
}

fn list<T: std::str::FromStr>(codes: &str, zh: impl Fn(T) -> &'static str + Copy) -> String {
    let names: Vec<String> = split_codes(codes).iter().map(|c| zh_of(c, zh)).collect();
    if names.is_empty() { EMPTY.to_owned() } else { names.join("、") }
}

/// `grade1`…`grade4` as 一级…四级, `none` as 无, missing as not reported.
pub fn major_hazard(code: Option<&str>) -> String {
    match code {
        None => "未填报".to_owned(),
        Some("none") => "无".to_owned(),
        Some(c) => zh_of(c, MajorHazardGrade::zh),
    }
}

pub fn yes_no(b: Option<bool>) -> String {
    b.map_or(EMPTY, |b| if b { "是" } else { "否" }).to_owned()
}

/// 江汉区（420103）, or the bare code when the name is not shipped.
pub fn region(code: &str) -> String {
    regions::name(code).map_or_else(|| code.to_owned(), |n| format!("{n}（{code}）"))
}

pub fn licence_type(code: &str) -> String {
    if code == SAFETY_LICENCE { "安全生产许可证".to_owned() } else { code.to_owned() }
}

pub fn text(v: Option<&str>) -> String {
    v.filter(|s| !s.trim().is_empty()).unwrap_or(EMPTY).to_owned()
}

/// One side of an import diff (`FieldChange` carries stored codes) in Chinese.
pub fn change_value(field: &str, value: Option<&str>) -> String {
    let Some(v) = value.filter(|v| !v.is_empty()) else { return "（空）".to_owned() };
    match field {
        "sector" => sector(v),
        "sub_types" => sub_types(v),
        "special_topics" => special_topics(v),
        "region_code" => region(v),
        "major_hazard_grade" => major_hazard(Some(v)),
        "standardization_grade" => standardization(v),
        "above_designated_size" => yes_no(v.parse().ok()),
        _ => v.to_owned(),
    }
}

/// An import problem's code in Chinese (the code itself when unknown).
/// What an attachment is for, as the hazard page shows it.
pub fn purpose(code: &str) -> &str {
    match code {
        "before" => "整改前",
        "after" => "整改后",
        "plan" => "治理方案",
        "evidence" => "佐证材料",
        "report" => "重大隐患报告",
        "assessment_report" => "评估报告",
        "resumption_application" => "复产申请",
        other => other,
    }
}

pub fn row_error(code: &str) -> &str {
    match code {
        "missing_column" => "缺少列",
        "missing_required" => "必填项为空",
        "invalid_credit_code" => "信用代码无效",
        "invalid_check_digit" => "信用代码校验位错误",
        "duplicate_in_file" => "文件内重复",
        "unknown_sector" => "行业无效",
        "unknown_sub_type" => "细分类别无效",
        "unknown_topic" => "专项无效",
        "invalid_region" => "行政区划无效",
        "invalid_number" => "数字无效",
        "invalid_date" => "日期无效",
        "invalid_value" => "取值无效",
        "invalid_phone" => "电话无效",
        "invalid_email" => "邮箱无效",
        "invalid_kind" => "类型无效",
        "out_of_jurisdiction" => "超出管辖范围",
        "unknown_enterprise" => "企业不在名录中",
        "unknown_category" => "隐患类别无效",
        "date_in_future" => "日期晚于今天",
        "date_out_of_range" => "日期超出范围",
        "deadline_before_found" => "整改期限早于发现日期",
        "closed_before_found" => "销号日期早于发现日期",
        "too_long" => "内容过长",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_shown_in_chinese() {
        assert_eq!(sector("hazardous_chemicals"), "危险化学品");
        assert_eq!(purpose("before"), "整改前");
        assert_eq!(purpose("after"), "整改后");
        assert_eq!(purpose("assessment_report"), "评估报告");
        assert_eq!(purpose("resumption_application"), "复产申请");
        assert_eq!(sub_types("hc_storage,hc_use"), "储存、使用");
        assert_eq!(sub_types(""), EMPTY);
        assert_eq!(major_hazard(Some("none")), "无");
        assert_eq!(major_hazard(Some("grade3")), "三级");
        assert_eq!(change_value("above_designated_size", Some("true")), "是");
        assert_eq!(change_value("address", None), "（空）");
        assert_eq!(sector("unknown_code"), "unknown_code");
    }
}
