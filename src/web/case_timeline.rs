//! A case's steps as lines of the timeline (who, when, what) and its money and
//! people in words: every stored code of a step's record turned into Chinese.

use super::case_pages::money;
use super::page::beijing;
use crate::case::domain::{CaseDocument, Decision};
use crate::case::json::{CaseResponse, CaseStepView};
use crate::case::proposal::MEASURES;
use serde_json::Value;

/// One line of the timeline.
pub struct TimelineRow {
    pub label: String,
    pub who: String,
    pub at: String,
    pub what: String,
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(ToOwned::to_owned)
}

fn decision_zh(v: &Value) -> Option<&'static str> {
    text(v, "decision").and_then(|d| d.parse::<Decision>().ok()).map(Decision::zh)
}

fn fines_text(v: &Value, c: &CaseResponse) -> Vec<String> {
    let Some(list) = v.get("fines").and_then(Value::as_array) else { return Vec::new() };
    list.iter()
        .filter_map(|x| {
            let id = x.get("violation_id")?.as_i64()?;
            let vi = c.violations.iter().find(|vi| vi.id == id)?;
            let fine = x.get("fine_yuan").and_then(Value::as_i64).unwrap_or_default();
            let fine = if fine == 0 { "不罚款".to_owned() } else { format!("罚款 {}", money(fine)) };
            Some(format!("{}：{fine}", vi.citation))
        })
        .collect()
}

/// What a step after the decision recorded: service, payment, dates, transfer.
fn money_parts(b: &Value, parts: &mut Vec<String>) {
    if let Some(m) = text(b, "method") {
        parts.push(format!("送达方式：{m}"));
    }
    if let Some(n) = b.get("amount_yuan").and_then(Value::as_i64) {
        parts.push(format!("缴纳 {}", money(n)));
    }
    if let Some(d) = text(b, "due") {
        parts.push(format!("新的缴款期限：{d}"));
    }
    if let Some(n) = b.get("days").and_then(Value::as_i64) {
        parts.push(format!("延长 {n} 日"));
    }
    if let Some(to) = text(b, "to") {
        parts.push(format!("移送：{to}"));
    }
    if let Some(n) = b.get("fine_total_yuan").and_then(Value::as_i64) {
        parts.push(format!("当场处罚，罚款 {}", money(n)));
    }
}

fn what(s: &CaseStepView, c: &CaseResponse) -> String {
    let b = &s.body;
    let mut parts: Vec<String> = Vec::new();
    if let Some(k) = text(b, "record").and_then(|k| k.parse::<CaseDocument>().ok()) {
        parts.push(k.zh().to_owned());
    }
    if let Some(d) = decision_zh(b) {
        parts.push(format!("拟{d}"));
    }
    parts.extend(fines_text(b, c));
    if let Some(m) = b.get("measures").and_then(Value::as_array) {
        let names: Vec<&str> = m
            .iter()
            .filter_map(Value::as_str)
            .filter_map(|m| MEASURES.iter().find(|x| x.0 == m))
            .map(|x| x.1)
            .collect();
        if !names.is_empty() {
            parts.push(format!("并处：{}", names.join("、")));
        }
    }
    match text(b, "no_penalty_ground").as_deref() {
        Some("minor") => parts.push("依据：违法行为轻微并及时改正，没有造成危害后果".to_owned()),
        Some("first_offence") => parts.push("依据：初次违法且危害后果轻微并及时改正".to_owned()),
        _ => {}
    }
    if let Some(d) = text(b, "statement_until") {
        parts.push(format!("陈述申辩期限至 {d}"));
    }
    if b.get("waive").and_then(Value::as_bool) == Some(true) {
        parts.push("当事人放弃陈述申辩".to_owned());
    }
    if let Some(id) = b.get("hearing_officer_id").and_then(Value::as_i64) {
        let name = c.duties.iter().find(|d| d.user_id == id).map_or_else(String::new, |d| d.name.clone());
        parts.push(format!("听证主持人：{name}"));
    }
    match text(b, "opinion").as_deref() {
        Some("approve") => parts.push("审核意见：同意".to_owned()),
        Some("return") => parts.push("审核意见：退回补充调查".to_owned()),
        _ => {}
    }
    if let Some(p) = b.get("participants").and_then(Value::as_array) {
        let names: Vec<&str> = p.iter().filter_map(Value::as_str).collect();
        parts.push(format!("参加人员：{}", names.join("、")));
    }
    money_parts(b, &mut parts);
    if let Some(note) = text(b, "note") {
        parts.push(note);
    }
    parts.join("；")
}

/// The timeline of a case, oldest first.
pub fn rows(c: &CaseResponse) -> Vec<TimelineRow> {
    c.steps
        .iter()
        .map(|s| TimelineRow {
            label: s.step_label.clone(),
            who: s.actor_name.clone(),
            at: beijing(s.at),
            what: what(s, c),
        })
        .collect()
}
