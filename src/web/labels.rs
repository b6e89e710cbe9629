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

/// An API field path (`enterprise_id`, `assignment.responsible_unit`) as the
/// pages name it: the one table of field names in Chinese. Unknown paths give
/// `None` (their message is shown without a name).
pub fn field(path: &str) -> Option<&'static str> {
    let last = path.rsplit('.').next().unwrap_or(path);
    let name = match (path, last) {
        ("subject.name", _) => "主体名称",
        ("subject.region_code", _) => "主体所在行政区划",
        ("subject.address", _) => "主体地址",
        ("plan.deadline", _) => "治理时限",
        ("plan.responsible_person", _) => "方案责任人",
        (_, "enterprise_id" | "subject" | "subject_id") => "企业",
        (_, "source") => "来源",
        (_, "source_ref") => "举报编号",
        (_, "reporter" | "reporter_name" | "name") => "举报人",
        (_, "phone" | "reporter_phone") => "举报人电话",
        (_, "level") => "等级",
        (_, "category") => "类别",
        (_, "title") => "标题",
        (_, "description") => "隐患描述",
        (_, "location") => "隐患部位",
        (_, "found_at") => "发现时间",
        (_, "deadline" | "due_before" | "due_after") => "整改期限",
        (_, "deadline_working_days") => "整改工作日天数",
        (_, "checklist_item_code") => "判定依据",
        (_, "attachment_ids" | "file" | "photo") => "照片",
        (_, "after_attachment_ids") => "整改后照片",
        (_, "fixed_on_spot") => "立查立改",
        (_, "note") => "说明",
        (_, "assignment") => "交办",
        (_, "assigning_body") => "交办单位",
        (_, "responsible_unit") => "责任单位",
        (_, "responsible_person") => "责任人",
        (_, "supervision_level") => "督办级别",
        (_, "notice_no") => "督办文号",
        (_, "plan") => "治理方案",
        (_, "measures") => "治理措施",
        (_, "funds") => "治理资金",
        (_, "funds_spent") => "已投入资金",
        (_, "emergency_plan") => "应急预案",
        (_, "until") => "延期至",
        (_, "version") => "版本",
        (_, "region" | "region_code") => "行政区划",
        (_, "q") => "关键词",
        (_, "found_from" | "found_to") => "发现日期",
        (_, "inspector_ids") => "执法人员",
        (_, "expert_ids") => "随行专家",
        (_, "leader_id") => "带队人",
        (_, "planned_date") => "计划检查日期",
        (_, "plan_text") => "现场检查方案",
        (_, "checklist_hashes") => "检查表",
        (_, "year") => "年度",
        (_, "inspectors") => "执法人员数",
        (_, "available_days") => "每人可用执法工作日",
        (_, "reserve_percent") => "预留比例",
        (_, "days_per_inspection") => "每次检查所需执法工作日",
        (_, "key_enterprise_ids") => "重点检查企业",
        (_, "random_targets") => "随机抽查目标",
        (_, "monthly") => "月度安排",
        (_, last) => return service_field(last).or_else(|| draw_field(last)),
    };
    Some(name)
}

/// The fields of an accident-prevention service (`/insurance/services/new`).
fn service_field(last: &str) -> Option<&'static str> {
    Some(match last {
        "policy_id" => "保单",
        "served_on" => "服务日期",
        "cost_yuan" => "服务费用",
        "provider" => "服务机构",
        "experts" => "专家",
        _ => return None,
    })
}

/// The double-random draw's fields (`/draws/new`, the execute form).
fn draw_field(last: &str) -> Option<&'static str> {
    Some(match last {
        "secret" => "密钥",
        "public_entropy" => "公开随机数",
        "sample" => "抽取数量",
        "team_size" => "每组人数",
        "strata" => "分层抽取",
        "weights" => "加权抽取",
        "specialty_rule" => "专业要求",
        "redraw_reason" => "重新抽取的理由",
        "supersedes_id" => "原抽取",
        "plan_id" => "年度检查计划",
        "sectors" => "行业领域",
        "sub_types" => "企业类型",
        "special_topics" => "专项类别",
        _ => return None,
    })
}

/// A service message as a page shows it: API names
/// in brackets (`请指定企业（enterprise_id）`) are left out.
pub fn clean(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find('（') {
        let after = &rest[start + '（'.len_utf8()..];
        let Some(end) = after.find('）') else { break };
        let inner = &after[..end];
        let is_code = inner.chars().any(|c| c.is_ascii_lowercase())
            && inner
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '/' | ' '));
        out.push_str(&rest[..start]);
        if !is_code {
            out.push_str(&rest[start..start + '（'.len_utf8() + end + '）'.len_utf8()]);
        }
        rest = &after[end + '）'.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// A step's button: a verb (提交治理方案, not 治理方案). `verify` names who
/// closes: the enterprise accepts (验收), the inspector re-inspects (复查), the
/// regulators verify (核查) or, for a major hazard, close it (核销).
pub fn verb(action: &str, closure: crate::hazard::domain::Closure) -> String {
    use crate::hazard::domain::{Action, Closure};
    let v = match action {
        "confirm" => "认定",
        "dismiss" => "不予认定",
        "assign" => "交办",
        "plan" => "提交治理方案",
        "progress" => "报告整改进展",
        "suspend" => "责令停产停用或恢复",
        "submit" => "提交验收",
        "verify" => match closure {
            Closure::Enterprise => "验收",
            Closure::Inspector => "复查",
            Closure::Regulator => "核查验收",
            Closure::Major => "核销",
        },
        "request_extension" => "申请延期",
        "decide_extension" => "审批延期申请",
        "reopen" => "重新打开",
        "void" => "作废",
        other => return other.parse::<Action>().map_or_else(|_| other.to_owned(), |a| a.zh().to_owned()),
    };
    v.to_owned()
}

/// Steps that cannot be taken back: the button asks first.
pub fn destructive(action: &str) -> Option<&'static str> {
    match action {
        "void" => Some("确定作废这条隐患吗？作废后不再计入台账统计。"),
        "dismiss" => Some("确定不予认定吗？这条隐患将不再办理。"),
        _ => None,
    }
}

/// Who acts next on a hazard in this state, for the message after a step.
pub fn next_step(status: crate::hazard::domain::Status, closure: crate::hazard::domain::Closure) -> &'static str {
    use crate::hazard::domain::{Closure, Status};
    match (status, closure) {
        (Status::Reported, _) => "等待监管部门核查认定",
        (Status::Confirmed, _) => "等待监管部门交办",
        (Status::Assigned, _) => "等待企业制定治理方案",
        (Status::Rectifying, _) => "等待企业整改",
        (Status::PendingVerification, Closure::Enterprise) => "等待企业验收",
        (Status::PendingVerification, Closure::Inspector) => "等待执法人员复查",
        (Status::PendingVerification, Closure::Regulator) => "等待监管部门核查验收",
        (Status::PendingVerification, Closure::Major) => "等待监管部门审查核销",
        (Status::Closed, _) => "隐患已销号，办理完毕",
        (Status::Dismissed, _) => "不予认定，办理完毕",
        (Status::Voided, _) => "已作废",
    }
}

/// Who closes a hazard, in words (not the internal closure name).
pub fn closer(closure: crate::hazard::domain::Closure) -> &'static str {
    use crate::hazard::domain::Closure;
    match closure {
        Closure::Enterprise => "企业自行验收销号",
        Closure::Inspector => "执法人员复查销号",
        Closure::Regulator => "监管部门核查销号",
        Closure::Major => "监管部门审查核销",
    }
}

/// An import problem's code in Chinese (the code itself when unknown).
/// What an attachment is for, as the hazard page shows it.
pub fn purpose(code: &str) -> &'static str {
    match code {
        "before" => "整改前",
        "after" => "整改后",
        "plan" => "治理方案",
        "evidence" => "佐证材料",
        "report" => "重大隐患报告",
        "assessment" | "assessment_report" | "evaluation" => "评估报告",
        "resumption" | "resumption_request" | "resumption_application" => "复产申请",
        _ => "附件",
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
        "unknown_insurer" => "保险机构未登记",
        "other_insurer" => "非本机构保单",
        "policy_no_taken" => "保单号已登记",
        "unknown_region" => "地区不在本辖区",
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

    #[test]
    fn api_names_never_reach_a_page() {
        assert_eq!(
            clean("请指定企业（enterprise_id），或未登记主体（subject / subject_id）之一"),
            "请指定企业，或未登记主体之一"
        );
        assert_eq!(clean("江汉区（420103）"), "江汉区（420103）");
        assert_eq!(clean("括号（未闭合"), "括号（未闭合");
        assert_eq!(field("enterprise_id"), Some("企业"));
        assert_eq!(field("assignment.responsible_unit"), Some("责任单位"));
        assert_eq!(field("no_such_field"), None);
    }

    #[test]
    fn buttons_are_verbs() {
        use crate::hazard::domain::Closure;
        assert_eq!(verb("plan", Closure::Major), "提交治理方案");
        assert_eq!(verb("verify", Closure::Major), "核销");
        assert_eq!(verb("verify", Closure::Enterprise), "验收");
        assert!(destructive("void").is_some() && destructive("submit").is_none());
    }
}
