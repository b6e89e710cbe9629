//! The party's rights before the decision: 陈述申辩 after the prior notice, and the
//! hearing where the law gives it (requested within the working days of
//! `data/penalty-procedure.toml`, held by a hearing officer who holds no other duty
//! in the case); and the legal review, which waits for both periods to run out
//! unless the party waived them (a `statement` step with `waive`).

use super::domain::{CaseStatus, Decision, Duty, Step};
use super::service::push;
use super::steps::{Ctx, Outcome};
use crate::entities::{case, case_step};
use crate::error::{AppError, AppResult, FieldErrors};
use chrono::NaiveDate;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

/// The last day to request a hearing after a notice on `notified_on`.
pub async fn hearing_until<C: sea_orm::ConnectionTrait>(db: &C, notified_on: NaiveDate) -> AppResult<NaiveDate> {
    let days = super::rules::rules()?.hearing.request_days;
    Ok(crate::calendar::load(db).await?.add_working_days(notified_on, days).date)
}

/// The 听证申请 step: recorded by the handler, naming the hearing officer.
pub(super) async fn hearing_request(c: &Ctx<'_>, m: &mut case::ActiveModel, f: &mut FieldErrors) -> AppResult<Outcome> {
    if !c.case.hearing_right {
        return Err(AppError::conflict("no_hearing_right", "本案拟作出的处罚不属于听证范围"));
    }
    let notified = c.case.notified_on.unwrap_or(c.on);
    let until = hearing_until(c.tx, notified).await?;
    if c.on > until {
        return Err(AppError::conflict(
            "hearing_request_late",
            format!(
                "当事人应在告知后 {} 个工作日内（{until} 前）提出听证申请，逾期视为放弃",
                super::rules::rules()?.hearing.request_days
            ),
        ));
    }
    match c.body.hearing_officer_id {
        None => push(f, "hearing_officer_id", "请指定听证主持人"),
        Some(id) => {
            if super::service::colleague(c.tx, c.case.bureau_id, id).await?.is_some() {
                super::policy::separation(c.case, id, Duty::HearingOfficer)?;
                m.hearing_officer_id = Set(Some(id));
            } else {
                push(f, "hearing_officer_id", "听证主持人应为本局在职人员");
            }
        }
    }
    let record = json!({"hearing_officer_id": c.body.hearing_officer_id, "on": c.on, "note": c.body.note.trim()});
    Ok(Outcome { to: c.to, documents: vec![], record })
}

async fn waived(c: &Ctx<'_>) -> AppResult<bool> {
    let rows = case_step::Entity::find()
        .filter(case_step::Column::CaseId.eq(c.case.id))
        .filter(case_step::Column::Step.eq(Step::Statement))
        .all(c.tx)
        .await?;
    Ok(rows.iter().any(|s| serde_json::from_str::<serde_json::Value>(&s.body).is_ok_and(|b| b["waive"] == true)))
}

/// The 法制审核 step: `approve`, or `return` to investigation.
pub(super) async fn review(c: &Ctx<'_>, m: &mut case::ActiveModel, f: &mut FieldErrors) -> AppResult<Outcome> {
    if c.case.status == CaseStatus::Reported && c.case.decision != Some(Decision::NoPenalty) {
        return Err(AppError::conflict("notify_first", "拟给予行政处罚的案件须先事先告知当事人"));
    }
    if c.case.status == CaseStatus::Notified && !waived(c).await? {
        if let Some(until) = c.case.statement_until.filter(|u| c.today <= *u) {
            return Err(AppError::conflict(
                "rights_period",
                format!("当事人陈述、申辩期限至 {until}，期满或当事人放弃后方可审核"),
            ));
        }
        if c.case.hearing_right {
            let until = hearing_until(c.tx, c.case.notified_on.unwrap_or(c.today)).await?;
            if c.today <= until {
                return Err(AppError::conflict(
                    "rights_period",
                    format!("当事人可在 {until} 前申请听证，期满或当事人放弃后方可审核"),
                ));
            }
        }
    }
    if c.body.note.trim().is_empty() {
        push(f, "note", "请填写审核意见");
    }
    let to = match c.body.opinion.as_deref() {
        Some("approve") => c.to,
        Some("return") => CaseStatus::Filed,
        _ => {
            push(f, "opinion", "请选择审核结论：同意或退回补充调查");
            c.to
        }
    };
    m.reviewer_id = Set(Some(c.user.id));
    let record = json!({"opinion": c.body.opinion, "note": c.body.note.trim()});
    Ok(Outcome { to, documents: vec![super::domain::CaseDocument::LegalReview], record })
}
