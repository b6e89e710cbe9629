//! A step's page form as the API's body: its fields, its textareas of one
//! name per line, and its files sorted by what they are (photos, 评估报告,
//! 复产申请).

use super::hazard_pages::{FormData, save_photos};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::hazard::json::ActionRequest;
use crate::state::AppState;

/// The files a step's form carried, by what they are.
#[derive(Default)]
pub(super) struct StepFiles {
    photos: Vec<i64>,
    assessment_reports: Vec<i64>,
    resumption_applications: Vec<i64>,
}

/// Lines of a textarea, trimmed, blanks dropped (配合单位, 审查人员).
fn lines(form: &FormData, name: &str) -> Vec<String> {
    form.get(name)
        .map(|t| t.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// The 交办 from the assign form (present when it has a responsible unit field).
fn assignment(form: &FormData) -> Option<crate::hazard::json::Assignment> {
    form.fields.get("responsible_unit")?;
    Some(crate::hazard::json::Assignment {
        assigned_on: form.date("assigned_on"),
        supervising_bureau_id: form.get("supervising_bureau_id").and_then(|v| v.parse().ok()),
        assigning_body: form.get("assigning_body"),
        responsible_unit: form.get("responsible_unit").unwrap_or_default(),
        responsible_person: form.get("responsible_person").unwrap_or_default(),
        cooperating_units: lines(form, "cooperating_units"),
        supervision_level: form.get("supervision_level").unwrap_or_default(),
        notice_no: form.get("notice_no"),
        deadline: form.date("deadline"),
        deadline_working_days: form.get("deadline_working_days").map(|v| v.parse().unwrap_or(0)),
        ..Default::default()
    })
}

/// The 治理方案 from the plan form; junk typed as funds is refused, never 0.
fn plan(form: &FormData) -> Option<crate::hazard::json::Plan> {
    let measures = form.get("measures")?;
    Some(crate::hazard::json::Plan {
        goals: form.get("goals").unwrap_or_default(),
        measures,
        funds: crate::hazard::plan::page_amount(&form.get("funds").unwrap_or_default()),
        materials: form.get("materials"),
        responsible_org: form.get("responsible_org").unwrap_or_default(),
        responsible_person: form.get("responsible_person").unwrap_or_default(),
        deadline: form.date("deadline").unwrap_or_default(),
        requirements: form.get("requirements"),
        safety_measures: form.get("safety_measures").unwrap_or_default(),
        emergency_plan: form.get("emergency_plan").unwrap_or_default(),
        signed_by_principal: false,
    })
}

/// The action's body from the form's fields.
pub(super) fn action_request(form: &FormData, files: StepFiles) -> ActionRequest {
    let yes = |name: &str| form.get(name).map(|v| v == "true");
    ActionRequest {
        version: form.get("version").and_then(|v| v.parse().ok()),
        note: form.get("note"),
        level: form.get("level").and_then(|l| l.parse().ok()),
        reason: form.get("reason"),
        outcome: form.get("outcome").and_then(|o| o.parse().ok()),
        reward: form.get("reward"),
        passed: yes("passed"),
        assignment: assignment(form),
        plan: plan(form),
        until: form.date("until"),
        until_working_days: form.get("until_working_days").map(|v| v.parse().unwrap_or(0)),
        approved: yes("approved"),
        funds_spent: form.get("funds_spent").map(|f| crate::hazard::plan::page_amount(&f)),
        deadline: form.date("deadline"),
        deadline_working_days: form.get("deadline_working_days").and_then(|n| n.parse().ok()),
        rectifier_name: form.get("rectifier_name"),
        acceptor_name: form.get("acceptor_name"),
        scope_text: form.get("scope_text"),
        basis: form.get("basis"),
        assessment_report_ids: files.assessment_reports,
        resumption_application_ids: files.resumption_applications,
        reviewed_on: form.date("reviewed_on"),
        reviewers: lines(form, "reviewers"),
        opinion: form.get("opinion"),
        lift_suspension: yes("lift_suspension"),
        attachment_ids: files.photos,
    }
}

/// Stores the form's files and sorts their ids by the field they came in.
pub(super) async fn save_files(state: &AppState, user: &CurrentUser, form: &FormData) -> Result<StepFiles, AppError> {
    let ids = save_photos(state, user, &form.files).await.map_err(|e| e.0)?;
    let mut files = StepFiles::default();
    for (id, field) in ids.into_iter().zip(&form.file_fields) {
        match field.as_str() {
            "assessment_report" => files.assessment_reports.push(id),
            "resumption_application" => files.resumption_applications.push(id),
            _ => files.photos.push(id),
        }
    }
    Ok(files)
}
