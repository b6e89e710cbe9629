//! Proposals from the records: the scan finds where the data shows a listing
//! situation and proposes it once per subject and basis (the unique `basis_key`).
//!
//! Decisions:
//! - What the records show: a 特别重大 or 重大 accident (`accident_grade`); a 较大
//!   accident with another one of the same enterprise within the 12 months before
//!   it (`accident_pair`, keyed by the later one); an accident flagged 瞒报 or 谎报
//!   (`accident_flag`); a penalty decision under a licence entry of the catalogue
//!   (`licence_case`, the codes in the data); a case sent for 强制执行 after the
//!   party did not pay (`refused_case`). The situation each rule proposes is the one
//!   the data names for it; a province's file without the rule proposes nothing.
//! - Subjects: the unit, and its principal when the situation reaches principals —
//!   the case's 主要负责人 party, or the register's principal for an accident.
//!   Other responsible persons come from the investigation, so a regulator proposes
//!   them by hand.
//! - Only records of the listing period (3 years) are read, at most
//!   [`MAX_PER_RULE`] a rule and run; a rerun proposes nothing twice.

use super::domain::{BasisKind, SubjectKind};
use super::rules::{self, DishonestySituation};
use super::service::{NewProposal, insert_once};
use crate::accident::domain::{AccidentGrade, FlagKind};
use crate::case::domain::{CaseDocument, CaseStatus, Decision, PartyRole};
use crate::entities::{accident, accident_flag, case, case_document, case_party, case_violation, enterprise};
use crate::error::AppResult;
use crate::notice::{self, Notice};
use crate::todo::Assignee;
use crate::write::Tx;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// Most records one rule reads in one run.
pub const MAX_PER_RULE: u64 = 2_000;

/// The accident in words: 2026年11月20日 较大事故（事故 #12）.
pub fn accident_text(a: &accident::Model) -> String {
    let day = crate::clock::china_date(a.occurred_at);
    format!("{} {}（事故 #{}）", day.format("%Y年%m月%d日"), a.grade.zh(), a.id)
}

/// The decision in words: 行政处罚决定书（江汉）应急罚决〔2026〕3号.
pub async fn case_text<C: ConnectionTrait>(db: &C, c: &case::Model) -> AppResult<String> {
    let number = case_document::Entity::find()
        .filter(case_document::Column::CaseId.eq(c.id))
        .filter(case_document::Column::Kind.eq(CaseDocument::PenaltyDecision))
        .one(db)
        .await?
        .map_or_else(|| format!("案件 #{}", c.id), |d| d.number);
    Ok(format!("行政处罚决定书{number}"))
}

/// Runs every rule; answers how many proposals were made.
pub async fn run(tx: &Tx) -> AppResult<usize> {
    let r = rules::rules()?;
    let today = crate::clock::china_date(tx.now());
    let since = today - chrono::Duration::days(i64::from(r.duration.years) * 366);
    let mut made = Vec::new();
    if let Some(s) = r.by_rule("accident_grade") {
        for a in accidents(tx, since, &[AccidentGrade::EspeciallySerious, AccidentGrade::Serious]).await? {
            made.extend(for_accident(tx, s, &a, accident_text(&a)).await?);
        }
    }
    if let Some(s) = r.by_rule("accident_pair") {
        let rows = accidents(tx, since, &[AccidentGrade::RelativelySerious]).await?;
        for (i, a) in rows.iter().enumerate() {
            let earlier = rows[..i].iter().rev().find(|b| {
                b.enterprise_id == a.enterprise_id && a.occurred_at - b.occurred_at <= chrono::Duration::days(365)
            });
            if let Some(b) = earlier {
                let text = format!("12个月内两起较大事故：{}、{}", accident_text(b), accident_text(a));
                made.extend(for_accident(tx, s, a, text).await?);
            }
        }
    }
    if let Some(s) = r.by_rule("accident_flag") {
        made.extend(flagged(tx, s, since).await?);
    }
    if let Some(s) = r.by_rule("licence_case") {
        made.extend(licence_cases(tx, s, since).await?);
    }
    if let Some(s) = r.by_rule("refused_case") {
        let rows = case::Entity::find()
            .filter(case::Column::Status.eq(CaseStatus::Enforcing))
            .filter(case::Column::RevokedOn.is_null())
            .order_by_asc(case::Column::Id)
            .limit(MAX_PER_RULE)
            .all(tx)
            .await?;
        for c in rows {
            made.extend(for_case(tx, s, &c).await?);
        }
    }
    let n = made.len();
    tell(tx, &made).await?;
    Ok(n)
}

async fn accidents(tx: &Tx, since: chrono::NaiveDate, grades: &[AccidentGrade]) -> AppResult<Vec<accident::Model>> {
    let from = since.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    Ok(accident::Entity::find()
        .filter(accident::Column::Grade.is_in(grades.iter().copied()))
        .filter(accident::Column::EnterpriseId.is_not_null())
        .filter(accident::Column::OccurredAt.gte(from))
        .order_by_asc(accident::Column::OccurredAt)
        .order_by_asc(accident::Column::Id)
        .limit(MAX_PER_RULE)
        .all(tx)
        .await?)
}

async fn flagged(tx: &Tx, s: &DishonestySituation, since: chrono::NaiveDate) -> AppResult<Vec<i64>> {
    let flags = accident_flag::Entity::find()
        .filter(accident_flag::Column::Kind.is_in([FlagKind::False, FlagKind::Concealed]))
        .order_by_asc(accident_flag::Column::Id)
        .limit(MAX_PER_RULE)
        .all(tx)
        .await?;
    let mut made = Vec::new();
    for fl in flags {
        let Some(a) = accident::Entity::find_by_id(fl.accident_id).one(tx).await? else { continue };
        if a.enterprise_id.is_none() || crate::clock::china_date(a.occurred_at) < since {
            continue;
        }
        let text = format!("{}，经认定{}", accident_text(&a), fl.kind.zh());
        made.extend(for_accident(tx, s, &a, text).await?);
    }
    Ok(made)
}

async fn licence_cases(tx: &Tx, s: &DishonestySituation, since: chrono::NaiveDate) -> AppResult<Vec<i64>> {
    if s.catalogue_codes.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<i64> = case_violation::Entity::find()
        .select_only()
        .column(case_violation::Column::CaseId)
        .filter(case_violation::Column::CatalogueCode.is_in(s.catalogue_codes.iter().cloned()))
        .distinct()
        .limit(MAX_PER_RULE)
        .into_tuple()
        .all(tx)
        .await?;
    let rows = case::Entity::find()
        .filter(case::Column::Id.is_in(ids))
        .filter(case::Column::Decision.eq(Decision::Penalty))
        .filter(case::Column::RevokedOn.is_null())
        .filter(case::Column::DecidedOn.gte(since))
        .order_by_asc(case::Column::Id)
        .all(tx)
        .await?;
    let mut made = Vec::new();
    for c in rows {
        made.extend(for_case(tx, s, &c).await?);
    }
    Ok(made)
}

fn reaches(s: &DishonestySituation, kind: SubjectKind) -> bool {
    s.subjects.iter().any(|k| k == kind.as_str())
}

/// The unit and (when reached) its principal from the register, on an accident.
async fn for_accident(tx: &Tx, s: &DishonestySituation, a: &accident::Model, text: String) -> AppResult<Vec<i64>> {
    let Some(e) = enterprise::Entity::find_by_id(a.enterprise_id.unwrap_or_default()).one(tx).await? else {
        return Ok(vec![]);
    };
    let mut subjects = vec![(SubjectKind::Unit, e.name.clone(), None, Some(e.credit_code.clone()))];
    if let Some(p) =
        e.principal.as_deref().map(str::trim).filter(|p| !p.is_empty() && reaches(s, SubjectKind::Principal))
    {
        subjects.push((SubjectKind::Principal, p.to_owned(), None, None));
    }
    let mut made = Vec::new();
    for (kind, name, id_number, credit_code) in subjects {
        let p = NewProposal {
            bureau_id: a.bureau_id,
            enterprise_id: Some(e.id),
            kind,
            name,
            id_number,
            credit_code,
            situation: s.code.clone(),
            basis_kind: BasisKind::Accident,
            case_id: None,
            accident_id: Some(a.id),
            key: format!("{}:accident:{}:{}", s.code, a.id, kind.as_str()),
            basis_text: text.clone(),
            proposed_by: None,
        };
        made.extend(insert_once(tx, p).await?.map(|m| m.id));
    }
    Ok(made)
}

/// The case's unit party and (when reached) its principal party.
async fn for_case(tx: &Tx, s: &DishonestySituation, c: &case::Model) -> AppResult<Vec<i64>> {
    let text = case_text(tx, c).await?;
    let parties = case_party::Entity::find()
        .filter(case_party::Column::CaseId.eq(c.id))
        .order_by_asc(case_party::Column::Position)
        .all(tx)
        .await?;
    let mut made = Vec::new();
    for party in parties {
        let kind = match party.role {
            PartyRole::Unit => SubjectKind::Unit,
            PartyRole::Principal => SubjectKind::Principal,
            PartyRole::Responsible => continue,
        };
        if !reaches(s, kind) {
            continue;
        }
        let credit_code = match party.enterprise_id {
            Some(id) => enterprise::Entity::find_by_id(id).one(tx).await?.map(|e| e.credit_code),
            None => None,
        };
        let p = NewProposal {
            bureau_id: c.bureau_id,
            enterprise_id: party.enterprise_id.or(c.enterprise_id),
            kind,
            name: party.name.clone(),
            id_number: party.id_number.clone(),
            credit_code: if kind == SubjectKind::Unit { credit_code } else { None },
            situation: s.code.clone(),
            basis_kind: BasisKind::Case,
            case_id: Some(c.id),
            accident_id: None,
            key: format!("{}:case:{}:party:{}", s.code, c.id, party.id),
            basis_text: text.clone(),
            proposed_by: None,
        };
        made.extend(insert_once(tx, p).await?.map(|m| m.id));
    }
    Ok(made)
}

/// A to-do for the deciding bureau's regulators per new proposal.
async fn tell(tx: &Tx, ids: &[i64]) -> AppResult<()> {
    let rows = crate::entities::dishonesty_listing::Entity::find()
        .filter(crate::entities::dishonesty_listing::Column::Id.is_in(ids.iter().copied()))
        .all(tx)
        .await?;
    let notices = rows
        .into_iter()
        .map(|m| Notice {
            assignee: Assignee::BureauRole(m.bureau_id, crate::auth::Role::Regulator),
            todo_kind: "dishonesty_proposed",
            title: format!("拟列入严重失信主体名单：{}（{}）", m.subject_name, m.subject_kind.zh()),
            link: format!("/dishonesty-list/{}", m.id),
            mail: None,
            ctx: crate::mail::NoticeContext::default(),
            key: format!("dishonesty_proposed:{}", m.id),
        })
        .collect();
    notice::send(tx, tx.now(), notices).await?;
    Ok(())
}
