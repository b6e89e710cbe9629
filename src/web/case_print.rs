//! The printable documents of a case (`/cases/{id}/documents/{doc_id}`): an A4 page
//! with the issuing bureau, the title and signature lines from
//! `data/case-documents.toml`, the number, the parties (identity numbers masked),
//! the facts, the violations with citations and amounts (未核实 marked), the
//! record of the step that issued it, and the notices of `[texts]` with their
//! placeholders filled: `{days}` from the procedure rules, `{region}` the bureau's
//! region, `{bank}` a neutral 指定银行, `{upper}` the upper bureau in general words.

use super::case_pages::money;
use super::case_timeline;
use super::page::{PagePath, PageResult, PageUser, render};
use crate::case::documents;
use crate::case::domain::CaseDocument;
use crate::case::json::{CaseResponse, ViolationView};
use crate::entities::{bureau, case};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use sea_orm::EntityTrait;

#[derive(Template)]
#[template(path = "case_print.html")]
struct PrintPage {
    case_id: i64,
    bureau: String,
    title: String,
    number: String,
    case_number: String,
    parties: Vec<String>,
    facts: String,
    violations: Vec<ViolationView>,
    total: String,
    record: String,
    notices: Vec<String>,
    signatures: Vec<String>,
}

/// The notices printed on a document of `kind`, placeholders filled.
fn notices(kind: CaseDocument, region: &str) -> AppResult<Vec<String>> {
    let t = &documents::templates()?.texts;
    let r = crate::case::rules::rules()?;
    let fill = |text: &str, days: String| {
        text.replace("{days}", &days)
            .replace("{region}", region)
            .replace("{bank}", "指定银行")
            .replace("{upper}", "上一级应急管理部门")
    };
    Ok(match kind {
        CaseDocument::PriorNotice => vec![fill(&t.prior_notice_rights, r.statement.working_days.to_string())],
        CaseDocument::HearingNotice => vec![fill(&t.hearing_rights, r.hearing.request_days.to_string())],
        CaseDocument::PenaltyDecision | CaseDocument::SimpleDecision | CaseDocument::DailyPenaltyDecision => {
            vec![fill(&t.payment_instructions, r.payment.days.to_string()), fill(&t.relief, String::new())]
        }
        CaseDocument::NoPenaltyDecision => vec![fill(&t.relief, String::new())],
        _ => Vec::new(),
    })
}

fn parties(c: &CaseResponse) -> Vec<String> {
    c.parties
        .iter()
        .map(|p| match &p.id_number_masked {
            Some(n) => format!("{}（{}，身份证件号码 {n}）", p.name, p.role_label),
            None => format!("{}（{}）", p.name, p.role_label),
        })
        .collect()
}

/// The record of the step that issued the document, in words.
fn record(c: &CaseResponse, step_id: Option<i64>) -> String {
    let rows = case_timeline::rows(c);
    c.steps
        .iter()
        .zip(rows)
        .find(|(s, _)| Some(s.id) == step_id)
        .map(|(_, r)| format!("{}：{}（{}，{}）", r.label, if r.what.is_empty() { "—" } else { &r.what }, r.who, r.at))
        .unwrap_or_default()
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath((id, doc_id)): PagePath<(i64, i64)>,
) -> PageResult {
    if !user.is_bureau_user() {
        return Err(AppError::NotFound.into());
    }
    let db = state.db.conn();
    let row = crate::scope::get::<case::Entity, _>(db, &user.scope, id).await?;
    let b =
        bureau::Entity::find_by_id(row.bureau_id).one(db).await.map_err(AppError::from)?.ok_or(AppError::NotFound)?;
    let today = crate::clock::china_date(state.clock.now());
    let c = crate::case::view::response(db, &user, row, today).await?;
    let doc = c.documents.iter().find(|d| d.id == doc_id).ok_or(AppError::NotFound)?;
    let template = documents::template(doc.kind)?;
    let region = b.name.trim_end_matches("应急管理局").trim_end_matches("应急管理厅").to_owned();
    render(&PrintPage {
        case_id: id,
        title: template.title.clone(),
        number: doc.number.clone(),
        case_number: c.number.clone().unwrap_or_default(),
        parties: parties(&c),
        facts: c.facts.clone(),
        total: money(c.money.fine_yuan),
        record: record(&c, doc.step_id),
        notices: notices(doc.kind, &region)?,
        signatures: template.signatures.clone(),
        violations: c.violations.clone(),
        bureau: b.name,
    })
}
