//! Publication of penalty decisions (安全生产法 art. 78): the handler publishes a
//! decision on the public site within the working days of
//! `data/penalty-procedure.toml` (7), the job reminds the handlers of late ones, and
//! a revoked decision (复议 or 诉讼) is withdrawn at once when the revocation is
//! recorded — inside the 3 working days the rule allows.
//!
//! Decisions:
//! - What is published: the decision's number and date, the bureau, the unit's
//!   name and credit code, the violations' citations and conduct, the fines and
//!   measures. A person is shown by surname and 某 (张某), never an identity number.
//! - A 不予处罚 decision and a simple-procedure decision are not published here.

use super::domain::{CaseDocument, Decision, PartyKind, Procedure};
use super::service::push;
use super::steps::{Ctx, Outcome};
use crate::entities::{bureau, case, case_document, case_party};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::notice::{self, Notice};
use crate::todo::Assignee;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use serde_json::json;

/// Most decisions one public page lists.
pub const MAX_LISTED: u64 = 100;

/// Whether a case's decision is one that is published.
pub fn publishable(c: &case::Model) -> bool {
    c.decision == Some(Decision::Penalty) && c.procedure == Procedure::General
}

/// The 公开 step.
pub(super) fn publish(c: &Ctx<'_>, m: &mut case::ActiveModel) -> AppResult<Outcome> {
    if !publishable(c.case) {
        return Err(AppError::conflict("not_publishable", "只有一般程序作出的行政处罚决定需要公开"));
    }
    if c.case.published_at.is_some() {
        return Err(AppError::conflict("already_published", "本决定已经公开"));
    }
    m.published_at = Set(Some(c.tx.now()));
    Ok(Outcome { to: c.to, documents: vec![], record: json!({"note": c.body.note.trim()}) })
}

/// The 决定撤销 step: records the revocation and withdraws the publication.
pub(super) fn revoke(c: &Ctx<'_>, m: &mut case::ActiveModel, f: &mut FieldErrors) -> Outcome {
    if c.body.note.trim().is_empty() {
        push(f, "note", "请填写撤销决定的机关、文号和理由");
    }
    m.revoked_on = Set(Some(c.on));
    if c.case.published_at.is_some() {
        m.withdrawn_at = Set(Some(c.tx.now()));
    }
    Outcome { to: c.to, documents: vec![], record: json!({"on": c.on, "note": c.body.note.trim()}) }
}

/// The last day to publish a decision made on `decided_on`.
pub fn due(cal: &crate::calendar::Calendar, decided_on: NaiveDate) -> AppResult<NaiveDate> {
    Ok(cal.add_working_days(decided_on, super::rules::rules()?.publication.working_days).date)
}

/// Reminds the handlers of decisions not published in time; answers how many.
pub async fn flag_late<C: ConnectionTrait>(db: &C, at: DateTime<Utc>) -> AppResult<usize> {
    let today = crate::clock::china_date(at);
    let cal = crate::calendar::load(db).await?;
    let rows = case::Entity::find()
        .filter(case::Column::Decision.eq(Decision::Penalty))
        .filter(case::Column::Procedure.eq(Procedure::General))
        .filter(case::Column::PublishedAt.is_null())
        .filter(case::Column::RevokedOn.is_null())
        .filter(case::Column::DecidedOn.is_not_null())
        .filter(case::Column::DecidedOn.gte(today - chrono::Duration::days(365)))
        .all(db)
        .await?;
    let mut notices = Vec::new();
    for c in rows {
        let Some(decided) = c.decided_on else { continue };
        if due(&cal, decided)? >= today {
            continue;
        }
        notices.push(Notice {
            assignee: Assignee::User(c.handler_id),
            todo_kind: "case_publication_late",
            title: format!("案件 #{} 的行政处罚决定已超过公开期限，请及时公开", c.id),
            link: format!("/cases/{}", c.id),
            mail: Some(crate::mail::Kind::PublicationLate),
            ctx: crate::mail::NoticeContext {
                hazard_title: format!("案件 #{}", c.id),
                link: crate::mail::link(&format!("/cases/{}", c.id)),
                ..Default::default()
            },
            key: format!("case_publication_late:{}", c.id),
        });
    }
    let n = notices.len();
    notice::send(db, at, notices).await?;
    Ok(n)
}

/// A published decision as the public reads it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicDecision {
    pub case_id: i64,
    pub number: String,
    pub decided_on: Option<NaiveDate>,
    pub bureau: String,
    /// Units by name; persons by surname and 某.
    pub parties: Vec<String>,
    pub violations: Vec<String>,
    pub fine_total_yuan: i64,
    pub published_at: Option<DateTime<Utc>>,
}

/// 张三 → 张某.
pub fn public_name(kind: PartyKind, name: &str) -> String {
    match kind {
        PartyKind::Unit => name.to_owned(),
        PartyKind::Person => format!("{}某", name.chars().next().map(String::from).unwrap_or_default()),
    }
}

/// The published decisions, newest first (at most [`MAX_LISTED`]), or one.
pub async fn published<C: ConnectionTrait>(db: &C, only: Option<i64>) -> AppResult<Vec<PublicDecision>> {
    let mut q = case::Entity::find()
        .filter(case::Column::PublishedAt.is_not_null())
        .filter(case::Column::WithdrawnAt.is_null());
    if let Some(id) = only {
        q = q.filter(case::Column::Id.eq(id));
    }
    let rows = q.order_by_desc(case::Column::PublishedAt).limit(MAX_LISTED).all(db).await?;
    let data = super::catalogue::data()?;
    let mut out = Vec::new();
    for c in rows {
        let number = case_document::Entity::find()
            .filter(case_document::Column::CaseId.eq(c.id))
            .filter(
                case_document::Column::Kind.is_in([CaseDocument::PenaltyDecision, CaseDocument::DailyPenaltyDecision]),
            )
            .one(db)
            .await?
            .map(|d| d.number)
            .unwrap_or_default();
        let bureau = bureau::Entity::find_by_id(c.bureau_id).one(db).await?.map(|b| b.name).unwrap_or_default();
        let parties = case_party::Entity::find()
            .filter(case_party::Column::CaseId.eq(c.id))
            .order_by_asc(case_party::Column::Position)
            .all(db)
            .await?
            .iter()
            .map(|p| public_name(p.kind, &p.name))
            .collect();
        let (violations, _) = super::proposal::parts(db, c.id).await?;
        let violations = violations
            .iter()
            .filter_map(|v| data.entry(&v.catalogue_code))
            .map(|e| format!("{}：{}", data.citation(e), e.conduct))
            .collect();
        out.push(PublicDecision {
            case_id: c.id,
            number,
            decided_on: c.decided_on,
            bureau,
            parties,
            violations,
            fine_total_yuan: c.fine_total_yuan,
            published_at: c.published_at,
        });
    }
    Ok(out)
}
