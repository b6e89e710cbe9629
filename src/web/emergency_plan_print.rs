//! The printable 备案登记表 of an accepted filing (`/emergency-plans/{id}/print`, A4):
//! the issuing bureau, the number, the enterprise, each plan with its publication
//! date and 评审/论证, and the bureau's 备案意见. Anyone who sees the filing may
//! print it; a filing not yet accepted has no 登记表 (404).

use super::page::{PagePath, PageResult, PageUser, render};
use crate::emergency_plan::domain::FilingStatus;
use crate::emergency_plan::view;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;

#[derive(Template)]
#[template(path = "emergency_plan_print.html")]
struct PrintPage {
    filing_id: i64,
    bureau: String,
    number: String,
    enterprise: String,
    credit_code: String,
    sector: &'static str,
    rows: Vec<[String; 4]>,
    accepted_on: String,
}

pub async fn show(State(state): State<AppState>, PageUser(user): PageUser, PagePath(id): PagePath<i64>) -> PageResult {
    let db = state.db.conn();
    let f = view::get(db, &user, id).await?;
    let (FilingStatus::Accepted, Some(number), Some(on)) =
        (f.summary.status, f.summary.number.clone(), f.summary.accepted_on)
    else {
        return Err(AppError::NotFound.into());
    };
    let ent = crate::scope::get::<crate::entities::enterprise::Entity, _>(db, &user.scope, f.summary.enterprise_id)
        .await
        .ok();
    let rows = f
        .documents
        .iter()
        .map(|d| {
            [
                d.kind_zh.clone(),
                d.title.clone(),
                d.published_on.format("%Y年%m月%d日").to_string(),
                format!(
                    "{}（{}）：{}",
                    d.evaluation_form.zh(),
                    d.evaluated_on.format("%Y年%m月%d日"),
                    d.evaluation_conclusion
                ),
            ]
        })
        .collect();
    render(&PrintPage {
        filing_id: id,
        bureau: f.bureau_name.clone(),
        number,
        enterprise: f.summary.enterprise_name.clone(),
        credit_code: ent.map(|e| e.credit_code).unwrap_or_default(),
        sector: f.summary.sector.zh(),
        rows,
        accepted_on: on.format("%Y年%m月%d日").to_string(),
    })
}
