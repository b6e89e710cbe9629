//! The numbered documents of penalty cases: titles, words and signature lines from
//! `data/case-documents.toml`, numbers from the same gap-free counter as the
//! inspections' 执法文书 (per bureau, kind and Beijing year), e.g.
//! （江汉）应急罚决〔2026〕3号. A document is issued by the step that makes it, in the
//! step's transaction, so a refused step takes no number.

use super::domain::CaseDocument;
use crate::entities::{bureau, case, case_document};
use crate::error::{AppError, AppResult};
use crate::inspection::governance::documents::{next_in, number_text, short_name};
use crate::write::Tx;
use chrono::Datelike;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::LazyLock;

pub const SHIPPED: &str = include_str!("../../data/case-documents.toml");

/// One document's template.
#[derive(Debug, Clone, Deserialize)]
pub struct Template {
    pub title: String,
    pub word: String,
    #[serde(default)]
    pub signatures: Vec<String>,
}

/// The boilerplate printed on notices and decisions.
#[derive(Debug, Clone, Deserialize)]
pub struct Texts {
    pub prior_notice_rights: String,
    pub hearing_rights: String,
    pub payment_instructions: String,
    pub relief: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Templates {
    pub documents: HashMap<String, Template>,
    pub texts: Texts,
}

pub fn load() -> Result<Templates, String> {
    let text = crate::rules_data::text("case-documents.toml", SHIPPED)?;
    let t: Templates = toml::from_str(&text).map_err(|e| e.to_string())?;
    if let Some(k) = CaseDocument::ALL.iter().find(|k| !t.documents.contains_key(k.as_str())) {
        return Err(format!("no template for {}", k.as_str()));
    }
    Ok(t)
}

static TEMPLATES: LazyLock<Result<Templates, String>> = LazyLock::new(load);

pub fn templates() -> AppResult<&'static Templates> {
    TEMPLATES.as_ref().map_err(|e| AppError::Internal(anyhow::anyhow!("case-documents.toml: {e}")))
}

/// A document kind's template (checked complete at load).
pub fn template(kind: CaseDocument) -> AppResult<&'static Template> {
    templates()?
        .documents
        .get(kind.as_str())
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no template for {}", kind.as_str())))
}

/// Issues the next number of `kind` for case `c` in its bureau's name.
pub async fn issue(
    tx: &Tx,
    c: &case::Model,
    step_id: Option<i64>,
    kind: CaseDocument,
) -> AppResult<case_document::Model> {
    let b = bureau::Entity::find_by_id(c.bureau_id).one(tx).await?.ok_or(AppError::NotFound)?;
    let year = crate::clock::china_date(tx.now()).year();
    let n = next_in(tx, b.id, kind.as_str(), year).await?;
    let word = &template(kind)?.word;
    let row = case_document::ActiveModel {
        case_id: Set(c.id),
        step_id: Set(step_id),
        kind: Set(kind),
        bureau_id: Set(b.id),
        year: Set(year),
        seq: Set(n),
        number: Set(number_text(&short_name(&b.name), word, year, n)),
        issued_at: Set(tx.now()),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    Ok(row)
}

/// The documents of a case, oldest first.
pub async fn of_case<C: ConnectionTrait>(db: &C, case_id: i64) -> AppResult<Vec<case_document::Model>> {
    Ok(case_document::Entity::find()
        .filter(case_document::Column::CaseId.eq(case_id))
        .order_by_asc(case_document::Column::Id)
        .all(db)
        .await?)
}

/// The case number: its 立案审批表's (or the on-the-spot decision's) number.
pub fn case_number(docs: &[case_document::Model]) -> Option<String> {
    docs.iter()
        .find(|d| matches!(d.kind, CaseDocument::CaseFiling | CaseDocument::SimpleDecision))
        .map(|d| d.number.clone())
}
