//! The list's records: scope, the change log, document numbers, inserting a
//! proposal once per basis, and a regulator's own proposal.
//!
//! Decisions:
//! - The deciding bureau is the one that imposed the penalty (谁处罚、谁决定): the
//!   case's bureau; for an accident, the bureau whose territory it is (the
//!   enterprise's supervising bureau). A regulator proposes only for its own bureau.
//! - A proposal rests on a record: a penalty decision (not revoked) for the
//!   violation situations, an accident for the accident ones. A technical-service
//!   body is not in the register: its name and 统一社会信用代码 are typed.
//! - Documents count in the shared counter (`documents::next_in`) under their own
//!   kinds, numbered like the case documents: （江汉）应急失信决〔2026〕1号.

use super::domain::{BasisKind, ListingStatus, SubjectKind};
use super::json::DishonestyProposalBody;
use super::rules;
use crate::audit::{self, Audited, canonical};
use crate::auth::{CurrentUser, Role};
use crate::case::domain::Decision;
use crate::entities::dishonesty_listing::{self as listing, ActiveModel, Model};
use crate::entities::{accident, bureau, case, enterprise};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::inspection::governance::documents::{next_in, number_text, short_name};
use crate::write::Tx;
use chrono::Datelike;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

impl crate::scope::Owned for listing::Entity {
    fn bureau() -> Self::Column {
        listing::Column::BureauId
    }
    fn enterprise() -> Option<Self::Column> {
        Some(listing::Column::EnterpriseId)
    }
}

impl Audited for Model {
    const ENTITY: &'static str = "dishonesty_listing";
    const PAYLOAD_VERSION: i32 = 1;
    fn entity_id(&self) -> String {
        self.id.to_string()
    }
    fn payload(&self) -> Value {
        json!({"id": self.id, "bureau_id": self.bureau_id, "enterprise_id": self.enterprise_id,
            "subject_kind": self.subject_kind, "subject_name": self.subject_name, "situation": self.situation,
            "basis_kind": self.basis_kind, "case_id": self.case_id, "accident_id": self.accident_id,
            "basis_key": self.basis_key, "status": self.status, "proposed_by": self.proposed_by,
            "notified_by": self.notified_by, "notified_on": self.notified_on, "statement_until": self.statement_until,
            "notice_number": self.notice_number, "statement_on": self.statement_on, "decided_by": self.decided_by,
            "decided_on": self.decided_on, "decision_number": self.decision_number, "listed_on": self.listed_on,
            "until": self.until, "refused_by": self.refused_by, "refused_reason": self.refused_reason,
            "removal_status": self.removal_status, "removal_applied_by": self.removal_applied_by,
            "removal_applied_on": self.removal_applied_on, "removal_decided_by": self.removal_decided_by,
            "removal_reason": self.removal_reason, "removal_number": self.removal_number,
            "removed_on": self.removed_on, "removal_revoked_on": self.removal_revoked_on, "ended_on": self.ended_on,
            "updated_at": canonical::time(self.updated_at)})
    }
}

/// A new proposal's row (status `proposed`).
pub struct NewProposal {
    pub bureau_id: i64,
    pub enterprise_id: Option<i64>,
    pub kind: SubjectKind,
    pub name: String,
    pub id_number: Option<String>,
    pub credit_code: Option<String>,
    pub situation: String,
    pub basis_kind: BasisKind,
    pub case_id: Option<i64>,
    pub accident_id: Option<i64>,
    pub key: String,
    pub basis_text: String,
    pub proposed_by: Option<i64>,
}

/// Inserts the proposal unless its basis already proposed one; answers the new row.
pub async fn insert_once(tx: &Tx, p: NewProposal) -> AppResult<Option<Model>> {
    let now = tx.now();
    let row = ActiveModel {
        bureau_id: Set(p.bureau_id),
        enterprise_id: Set(p.enterprise_id),
        subject_kind: Set(p.kind),
        subject_name: Set(p.name),
        id_number: Set(p.id_number),
        credit_code: Set(p.credit_code),
        situation: Set(p.situation),
        basis_kind: Set(p.basis_kind),
        case_id: Set(p.case_id),
        accident_id: Set(p.accident_id),
        basis_key: Set(p.key.clone()),
        basis_text: Set(p.basis_text.chars().take(2000).collect()),
        status: Set(ListingStatus::Proposed),
        proposed_by: Set(p.proposed_by),
        proposed_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let inserted = listing::Entity::insert(row)
        .on_conflict(OnConflict::column(listing::Column::BasisKey).do_nothing().to_owned())
        .exec_without_returning(tx)
        .await?;
    if inserted == 0 {
        return Ok(None);
    }
    let m = listing::Entity::find().filter(listing::Column::BasisKey.eq(p.key)).one(tx).await?;
    let Some(m) = m else { return Ok(None) };
    audit::record(tx, tx.ctx(), "propose", &m).await?;
    Ok(Some(m))
}

/// Issues the next number of a list document (`notice`, `decision`, `removal`) in the bureau's name.
pub async fn number(tx: &Tx, bureau_id: i64, kind: &str) -> AppResult<String> {
    let b = bureau::Entity::find_by_id(bureau_id).one(tx).await?.ok_or(AppError::NotFound)?;
    let docs = &rules::rules()?.documents;
    let word = match kind {
        "notice" => &docs.notice.word,
        "decision" => &docs.decision.word,
        _ => &docs.removal.word,
    };
    let year = crate::clock::china_date(tx.now()).year();
    let n = next_in(tx, b.id, &format!("dishonesty_{kind}"), year).await?;
    Ok(number_text(&short_name(&b.name), word, year, n))
}

fn push(f: &mut FieldErrors, field: &str, msg: &str) {
    f.entry(field.to_owned()).or_default().push(msg.to_owned());
}

/// A regulator proposes a listing the records do not (a body, a person found responsible …).
pub async fn propose(tx: &Tx, user: &CurrentUser, body: &DishonestyProposalBody) -> AppResult<Model> {
    let own = crate::scope::own_bureau(tx, user).await?;
    if !user.has(Role::Regulator) {
        return Err(AppError::ForbiddenBecause("拟列入严重失信主体名单只能由监管人员提出".to_owned()));
    }
    let mut errors = FieldErrors::new();
    let situation = rules::rules()?.situation(body.situation.trim());
    let unit = match body.enterprise_id {
        Some(id) => crate::scope::scoped(enterprise::Entity::find_by_id(id), &user.scope).one(tx).await?,
        None => None,
    };
    check_body(body, situation, unit.as_ref(), &mut errors);
    let group = situation.map(|s| s.group.as_str());
    let basis = basis(tx, user, own.id, group, body, &mut errors).await?;
    let (Some(situation), Some((kind, case_id, accident_id, text)), true) = (situation, basis, errors.is_empty())
    else {
        return Err(AppError::Validation(errors));
    };
    let name = unit.as_ref().map_or_else(|| body.subject_name.trim().to_owned(), |e| e.name.clone());
    let record = case_id.or(accident_id).unwrap_or(0);
    let key = format!("manual:{}:{}:{record}:{}:{name}", situation.code, kind.as_str(), body.subject_kind.as_str());
    let p = NewProposal {
        bureau_id: own.id,
        enterprise_id: unit.as_ref().map(|e| e.id),
        kind: body.subject_kind,
        name,
        id_number: body.id_number.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned),
        credit_code: unit.as_ref().map(|e| e.credit_code.clone()).or_else(|| body.credit_code.clone()),
        situation: situation.code.clone(),
        basis_kind: kind,
        case_id,
        accident_id,
        key: key.chars().take(200).collect(),
        basis_text: format!("{text}；{}", body.reason.trim()),
        proposed_by: Some(user.id),
    };
    insert_once(tx, p).await?.ok_or_else(|| AppError::conflict("already_proposed", "同一主体已依据同一事项被提出列入"))
}

/// The body's own problems, all at once.
fn check_body(
    body: &DishonestyProposalBody,
    situation: Option<&rules::DishonestySituation>,
    unit: Option<&enterprise::Model>,
    errors: &mut FieldErrors,
) {
    match situation {
        None => push(errors, "situation", "请选择列入情形"),
        Some(s) if !s.subjects.iter().any(|k| k == body.subject_kind.as_str()) => {
            push(errors, "subject_kind", &format!("该情形不适用于{}", body.subject_kind.zh()));
        }
        Some(_) => {}
    }
    crate::limits::check(errors, "subject_name", "名称或姓名", Some(&body.subject_name), crate::limits::NAME);
    crate::limits::check(errors, "situation", "列入情形", Some(&body.situation), 20);
    crate::limits::check(errors, "id_number", "身份证号码", body.id_number.as_deref(), 40);
    crate::limits::check(
        errors,
        "credit_code",
        "统一社会信用代码",
        body.credit_code.as_deref(),
        crate::limits::CREDIT_CODE,
    );
    crate::limits::check(errors, "reason", "理由", Some(&body.reason), 2000);
    if body.reason.trim().is_empty() {
        push(errors, "reason", "请填写拟列入的事实和理由");
    }
    if body.enterprise_id.is_some() && unit.is_none() {
        push(errors, "enterprise_id", "企业不存在");
    } else if body.subject_kind == SubjectKind::Unit && unit.is_none() {
        push(errors, "enterprise_id", "请选择登记的生产经营单位");
    }
    if body.subject_kind != SubjectKind::Unit && body.subject_name.trim().is_empty() {
        push(errors, "subject_name", "请填写名称或姓名");
    }
    if body.subject_kind == SubjectKind::ServiceBody
        && body.credit_code.as_deref().is_none_or(|c| crate::enterprise::codes::CreditCode::parse(c).is_err())
    {
        push(errors, "credit_code", "请填写有效的统一社会信用代码");
    }
}

type Basis = Option<(BasisKind, Option<i64>, Option<i64>, String)>;

/// The record a regulator's proposal rests on, in the proposer's own bureau.
async fn basis(
    tx: &Tx,
    user: &CurrentUser,
    bureau_id: i64,
    group: Option<&str>,
    b: &DishonestyProposalBody,
    f: &mut FieldErrors,
) -> AppResult<Basis> {
    if group == Some("accident") {
        let a = match b.accident_id {
            Some(id) => crate::scope::scoped(accident::Entity::find_by_id(id), &user.scope).one(tx).await?,
            None => None,
        };
        return Ok(match a {
            Some(a) if a.bureau_id == bureau_id => {
                Some((BasisKind::Accident, None, Some(a.id), super::scan::accident_text(&a)))
            }
            _ => {
                push(f, "accident_id", "请选择本局管辖的生产安全事故");
                None
            }
        });
    }
    let c = match b.case_id {
        Some(id) => crate::scope::scoped(case::Entity::find_by_id(id), &user.scope).one(tx).await?,
        None => None,
    };
    match c {
        Some(c) if c.bureau_id == bureau_id && c.decision == Some(Decision::Penalty) && c.revoked_on.is_none() => {
            let text = super::scan::case_text(tx, &c).await?;
            Ok(Some((BasisKind::Case, Some(c.id), None, text)))
        }
        _ => {
            push(f, "case_id", "请选择本局作出的行政处罚决定（谁处罚、谁决定）");
            Ok(None)
        }
    }
}
