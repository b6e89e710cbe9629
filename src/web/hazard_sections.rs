//! What the hazard page shows besides its form: the record's fields, the 交办,
//! the 治理方案, the 双报告 and the photos paired per rectification round, all
//! in Chinese with "—" for what is not recorded.
//!
//! Decisions: the 交办, 方案 and 双报告 objects are shown key by key through
//! one table of labels (`LABELS`), in its order, so fields added to them later
//! show once they are named there; a key without a label is not shown (rather
//! than showing an API name). Photos: the report's (整改前) first, then each
//! submission's (整改后) as its own round, numbered in the order submitted;
//! other files under their purpose.

use super::labels::{EMPTY, purpose};
use crate::attachment::AttachmentResponse;
use crate::hazard::json::HazardResponse;
use serde_json::Value;

/// One labelled value.
pub struct Line {
    pub label: &'static str,
    pub value: String,
}

/// Labels of the keys of the 交办, 方案 and 双报告 objects, in the order shown.
const LABELS: &[(&str, &str)] = &[
    ("assigning_body", "交办单位"),
    ("supervising_bureau_name", "督办机关"),
    ("assigning_bureau_name", "督办机关"),
    ("supervision_level", "挂牌督办级别"),
    ("notice_no", "督办文号"),
    ("assigned_on", "交办日期"),
    ("responsible_unit", "责任单位"),
    ("responsible_person", "责任人"),
    ("cooperating_units", "配合单位"),
    ("assisting_units", "配合单位"),
    ("version", "方案版本"),
    ("goals", "目标和任务"),
    ("measures", "方法和措施"),
    ("methods", "方法和措施"),
    ("funds", "经费（元）"),
    ("materials", "经费和物资"),
    ("funds_and_materials", "经费和物资"),
    ("responsible_org", "负责的机构"),
    ("organization", "负责的机构和人员"),
    ("requirements", "时限和要求"),
    ("time_and_requirements", "时限和要求"),
    ("safety_measures", "安全措施"),
    ("emergency_plan", "应急预案"),
    ("signed_by", "签批人（主要负责人）"),
    ("signed_on", "签批日期"),
    ("current_state_and_causes", "现状及其产生原因"),
    ("harm_and_difficulty", "危害程度和整改难易程度分析"),
    ("remediation_plan", "治理方案"),
    ("congress_reported_on", "向职工代表大会报告日期"),
    ("reported_at", "报告时间"),
    ("deadline", "期限"),
];

fn text_of(key: &str, v: &Value) -> String {
    match v {
        Value::Null | Value::Object(_) => EMPTY.to_owned(),
        Value::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.trim().is_empty() => EMPTY.to_owned(),
        Value::String(s) if key == "supervision_level" => {
            s.parse::<crate::hazard::domain::SupervisionLevel>().map_or_else(|_| s.clone(), |l| l.zh().to_owned())
        }
        Value::String(s) => {
            chrono::DateTime::parse_from_rfc3339(s).map_or_else(|_| s.clone(), |t| super::page::beijing(t.to_utc()))
        }
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|i| i.get("name").map_or_else(|| text_of("", i), |n| text_of("", n)))
                .filter(|t| t != EMPTY)
                .collect();
            if parts.is_empty() { EMPTY.to_owned() } else { parts.join("、") }
        }
    }
}

/// The labelled keys of an object (交办, 方案, 双报告), in the table's order.
pub fn lines(v: Option<&Value>) -> Vec<Line> {
    let Some(obj) = v.and_then(Value::as_object) else { return Vec::new() };
    let mut seen = Vec::new();
    LABELS
        .iter()
        .filter_map(|(key, label)| {
            let value = obj.get(*key)?;
            if seen.contains(label) {
                return None;
            }
            seen.push(*label);
            Some(Line { label, value: text_of(key, value) })
        })
        .collect()
}

/// The 交办: its 交办单位 is the body as written (e.g. 区安委办), else the supervising bureau.
pub fn assignment_lines(h: &HazardResponse) -> Vec<Line> {
    let Some(mut a) = h.assignment.clone() else { return Vec::new() };
    let written = a.get("assigning_body").and_then(Value::as_str).is_some_and(|b| !b.trim().is_empty());
    if !written && let Some(name) = a.get("supervising_bureau_name").cloned() {
        a["assigning_body"] = name;
    }
    lines(Some(&a))
}

/// The latest 治理方案: its version and whether the principal signed it, then its contents.
pub fn plan_lines(h: &HazardResponse) -> Vec<Line> {
    let Some(plan) = h.plan.as_ref() else { return Vec::new() };
    let signed = plan.get("signed_by_principal").and_then(Value::as_bool).unwrap_or(false);
    let signed = if signed { "主要负责人已签字确认" } else { "未经主要负责人签字" };
    let mut v =
        vec![Line { label: "方案版本", value: format!("第 {} 版（{signed}）", h.plan_versions.max(1)) }];
    v.extend(lines(Some(plan)));
    v
}

/// The record's own fields.
pub fn fields(h: &HazardResponse, category: &str) -> Vec<Line> {
    let text = |v: Option<&str>| super::labels::text(v);
    let mut out = vec![
        Line { label: "隐患描述", value: text(Some(&h.description)) },
        Line { label: "隐患类别", value: category.to_owned() },
        Line { label: "隐患部位", value: text(h.location.as_deref()) },
        Line { label: "发现时间", value: super::page::beijing(h.found_at) },
        Line { label: "判定依据", value: text(h.checklist_item_code.as_deref()) },
        Line { label: "行业", value: h.sector.map_or(EMPTY, crate::enterprise::domain::Sector::zh).to_owned() },
        Line {
            label: "行政区划",
            value: crate::bureau::regions::name(&h.region_code).unwrap_or(&h.region_code).to_owned(),
        },
        Line { label: "整改期限", value: h.deadline.map_or_else(|| EMPTY.to_owned(), |d| d.to_string()) },
        Line { label: "停产停用", value: if h.suspended { "是" } else { "否" }.to_owned() },
        Line {
            label: "已投入资金", value: h.funds_spent.map_or_else(|| EMPTY.to_owned(), |f| format!("{f} 元"))
        },
    ];
    if let Some(u) = h.extension_until {
        out.push(Line { label: "申请延期至", value: u.to_string() });
        out.push(Line { label: "延期理由", value: text(h.extension_reason.as_deref()) });
    }
    if let Some(r) = &h.source_ref {
        out.push(Line { label: "举报/移送编号", value: r.clone() });
    }
    if let Some(o) = h.verification_outcome {
        out.push(Line { label: "核查结果", value: o.zh().to_owned() });
    }
    if let Some(r) = &h.reporter {
        let who = [r.name.as_deref(), r.phone.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
        out.push(Line { label: "举报人（保密）", value: text(Some(&who)) });
    }
    if let Some(r) = &h.reward {
        out.push(Line { label: "举报奖励", value: r.clone() });
    }
    if let Some(t) = h.closed_at {
        out.push(Line { label: "销号时间", value: super::page::beijing(t) });
    }
    out
}

/// Files of one kind or one round.
pub struct PhotoGroup {
    pub title: String,
    pub files: Vec<AttachmentResponse>,
}

/// The files grouped: 整改前, then each round's 整改后 (by the step that
/// named them), then the others by purpose.
pub fn photo_groups(files: &[AttachmentResponse]) -> Vec<PhotoGroup> {
    let mut groups: Vec<(String, Option<i64>, PhotoGroup)> = Vec::new();
    let mut rounds = 0;
    for a in files {
        let code = a.purpose.clone().unwrap_or_default();
        let step = if code == "after" { a.step_id } else { None };
        if let Some(g) = groups.iter_mut().find(|(c, s, _)| *c == code && *s == step) {
            g.2.files.push(a.clone());
            continue;
        }
        let title = match code.as_str() {
            "before" => "整改前（上报时）".to_owned(),
            "after" => {
                rounds += 1;
                format!("整改后（第 {rounds} 次提交）")
            }
            "" => "其他附件".to_owned(),
            other => purpose(other).to_owned(),
        };
        groups.push((code, step, PhotoGroup { title, files: vec![a.clone()] }));
    }
    groups.sort_by_key(|(c, _, _)| match c.as_str() {
        "before" => 0,
        "after" => 1,
        _ => 2,
    });
    groups.into_iter().map(|(_, _, g)| g).collect()
}
