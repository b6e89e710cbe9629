//! 交办 (assignment), 治理方案 (plan) and 双报告 (report) as stored: typed
//! columns of the hazard row (so the ledger can be queried by supervision level,
//! assigning bureau, responsible unit or funds), read back into the API's JSON
//! shapes. The 交办's 配合单位 are a JSON array of names in one text column;
//! the plan's columns hold its latest version (all versions: [`super::plan`]).
//!
//! Funds are fen (分) in the column and yuan in the API. The change log's
//! version-1 payload held the three as JSON text; [`v1_texts`] rebuilds that
//! text exactly, so rows last written before the columns still verify.

use super::domain::SupervisionLevel;
use super::json::{Assignment, Plan};
use super::report::MajorReport;
use crate::entities::hazard;
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use serde_json::{Value, json};

/// Yuan to fen. Amounts are checked to lie in 0 – 10¹² yuan first.
#[allow(clippy::cast_possible_truncation)]
pub fn yuan_to_fen(y: f64) -> i64 {
    (y * 100.0).round() as i64
}

/// Fen to yuan, exact for every amount the API accepts (whole fen up to 10¹² yuan).
#[allow(clippy::cast_precision_loss)]
pub fn fen_to_yuan(fen: i64) -> f64 {
    fen as f64 / 100.0
}

/// Stores a 交办 as resolved by [`super::loop_steps`]: `level` is the checked
/// `supervision_level`, `x` carries the supervising and listing bureaus, the
/// date and the deadline.
pub fn set_assignment(a: &mut hazard::ActiveModel, x: &Assignment, level: SupervisionLevel, at: DateTime<Utc>) {
    a.assignment_level = Set(Some(level));
    a.assigning_bureau_id = Set(x.assigning_bureau_id);
    a.supervising_bureau_id = Set(x.supervising_bureau_id);
    a.assigning_body = Set(x.assigning_body.clone());
    a.assigned_unit = Set(Some(x.responsible_unit.trim().to_owned()));
    a.assigned_person = Set(Some(x.responsible_person.trim().to_owned()));
    a.assignment_notice_no = Set(x.notice_no.clone());
    a.assigned_at = Set(Some(at));
    a.assigned_on = Set(x.assigned_on);
    a.assignment_deadline = Set(x.deadline);
    let units: Vec<&str> = x.cooperating_units.iter().map(|u| u.trim()).collect();
    a.cooperating_units = Set((!units.is_empty()).then(|| json!(units).to_string()));
}

/// Stores the latest 治理方案 in the hazard's columns (the versions are in `hazard_plans`).
pub fn set_plan(a: &mut hazard::ActiveModel, p: &Plan) {
    a.plan_measures = Set(Some(p.measures.trim().to_owned()));
    a.plan_person = Set(Some(p.responsible_person.trim().to_owned()));
    a.plan_funds_fen = Set(Some(yuan_to_fen(p.funds)));
    a.plan_deadline = Set(Some(p.deadline));
    a.plan_emergency = Set(Some(p.emergency_plan.trim().to_owned()));
}

/// Stores a 双报告 filed at `at`.
pub fn set_report(a: &mut hazard::ActiveModel, r: &MajorReport, at: DateTime<Utc>) {
    a.report_current_state = Set(Some(r.current_state_and_causes.clone()));
    a.report_harm = Set(Some(r.harm_and_difficulty.clone()));
    a.report_remediation = Set(Some(r.remediation_plan.clone()));
    a.report_congress_on = Set(r.congress_reported_on);
    a.reported_at = Set(Some(at));
}

/// The 交办 of a hazard, if it was assigned (its supervising bureau's name is
/// the view's to fill in).
pub fn assignment(h: &hazard::Model) -> Option<Assignment> {
    let level = h.assignment_level?;
    Some(Assignment {
        assigned_on: h.assigned_on,
        supervising_bureau_id: h.supervising_bureau_id,
        supervising_bureau_name: None,
        assigning_bureau_id: h.assigning_bureau_id,
        assigning_body: h.assigning_body.clone(),
        responsible_unit: h.assigned_unit.clone().unwrap_or_default(),
        responsible_person: h.assigned_person.clone().unwrap_or_default(),
        cooperating_units: h
            .cooperating_units
            .as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default(),
        supervision_level: level.as_str().to_owned(),
        notice_no: h.assignment_notice_no.clone(),
        deadline: h.assignment_deadline,
        deadline_working_days: None,
    })
}

/// The 治理方案 in the hazard's columns (the latest version), if one was filed.
pub fn plan(h: &hazard::Model) -> Option<Plan> {
    Some(Plan {
        measures: h.plan_measures.clone()?,
        responsible_person: h.plan_person.clone().unwrap_or_default(),
        funds: fen_to_yuan(h.plan_funds_fen.unwrap_or_default()),
        deadline: h.plan_deadline?,
        emergency_plan: h.plan_emergency.clone().unwrap_or_default(),
        ..Plan::default()
    })
}

/// The 双报告 as the API shows it (its fields and `reported_at`), if filed.
pub fn report(h: &hazard::Model) -> Option<Value> {
    Some(json!({
        "current_state_and_causes": h.report_current_state.as_ref()?,
        "harm_and_difficulty": h.report_harm,
        "remediation_plan": h.report_remediation,
        "congress_reported_on": h.report_congress_on,
        "reported_at": h.reported_at.map(crate::audit::canonical::time_text),
    }))
}

/// The assignment, plan and report as the JSON text the change log's payload
/// version 1 held (keys sorted, as `serde_json` wrote them).
pub fn v1_texts(h: &hazard::Model) -> [Option<String>; 3] {
    let assignment = assignment(h).map(|a| {
        json!({
            "assigning_body": a.assigning_body, "responsible_unit": a.responsible_unit,
            "responsible_person": a.responsible_person, "supervision_level": a.supervision_level,
            "notice_no": a.notice_no, "deadline": a.deadline,
        })
        .to_string()
    });
    let plan = plan(h).map(|p| {
        json!({
            "measures": p.measures, "responsible_person": p.responsible_person, "funds": p.funds,
            "deadline": p.deadline, "emergency_plan": p.emergency_plan,
        })
        .to_string()
    });
    [assignment, plan, report(h).map(|r| r.to_string())]
}
