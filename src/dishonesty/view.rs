//! Reading the list: one listing with its conditions and allowed actions, the
//! proposals and listings a user sees, and the public list.
//!
//! Decisions:
//! - The public list shows only what is listed now: a removed, expired or refused
//!   row is gone from it at once. Persons by surname and 某, never an identity
//!   number; units and bodies by name and credit code; the basis is the penalty
//!   decision's number or the accident (its date and grade), never a person.
//! - A regulator sees identity numbers masked (4201**********1234).

use super::domain::{ListingStatus, RemovalStatus, mask_id, public_name, removal_from};
use super::json::{DishonestyFilter, DishonestyListingResponse, DishonestyPublicEntry};
use super::{policy, removal, rules};
use crate::auth::CurrentUser;
use crate::entities::bureau;
use crate::entities::dishonesty_listing::{self as listing, Model};
use crate::error::AppResult;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

/// Most rows one list answers.
pub const MAX_LISTED: u64 = 100;

async fn bureau_name<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<String> {
    Ok(bureau::Entity::find_by_id(id).one(db).await?.map(|b| b.name).unwrap_or_default())
}

/// One listing as the user reads it.
pub async fn response<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    m: Model,
) -> AppResult<DishonestyListingResponse> {
    let r = rules::rules()?;
    let situation = r.situation(&m.situation);
    let conditions = if m.status == ListingStatus::Listed {
        let commitment = if m.removal_status == Some(RemovalStatus::Applied) { m.commitment.clone() } else { None };
        removal::conditions(db, &m, commitment.as_deref().unwrap_or_default()).await?
    } else {
        vec![]
    };
    let allowed_actions = policy::available(user, &m);
    Ok(DishonestyListingResponse {
        id: m.id,
        bureau_id: m.bureau_id,
        bureau: bureau_name(db, m.bureau_id).await?,
        enterprise_id: m.enterprise_id,
        subject_kind: m.subject_kind,
        subject_name: m.subject_name,
        id_number: m.id_number.as_deref().map(mask_id),
        credit_code: m.credit_code,
        situation_text: situation.map(|s| format!("{}：{}", s.article, s.text)).unwrap_or_default(),
        situation_verified: situation.is_some_and(|s| s.verified),
        situation: m.situation,
        basis_kind: m.basis_kind,
        case_id: m.case_id,
        accident_id: m.accident_id,
        basis_text: m.basis_text,
        status: m.status,
        proposed_by: m.proposed_by,
        notified_on: m.notified_on,
        statement_until: m.statement_until,
        notice_number: m.notice_number,
        statement: m.statement,
        decided_on: m.decided_on,
        decision_number: m.decision_number,
        removal_from: m.listed_on.map(|on| removal_from(on, r.duration.early_removal_months)),
        listed_on: m.listed_on,
        until: m.until,
        refused_reason: m.refused_reason,
        removal_status: m.removal_status,
        removal_applied_on: m.removal_applied_on,
        commitment: m.commitment,
        removal_reason: m.removal_reason,
        removal_number: m.removal_number,
        removed_on: m.removed_on,
        removal_revoked_on: m.removal_revoked_on,
        ended_on: m.ended_on,
        conditions,
        allowed_actions,
    })
}

/// The listings the user sees, newest change first (at most [`MAX_LISTED`]), and their count.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    f: &DishonestyFilter,
) -> AppResult<(Vec<DishonestyListingResponse>, u64)> {
    let mut q = crate::scope::scoped(listing::Entity::find(), &user.scope);
    if !user.is_bureau_user() {
        q = q.filter(listing::Column::Status.ne(ListingStatus::Proposed));
    }
    if let Some(s) = f.status {
        q = q.filter(listing::Column::Status.eq(s));
    }
    if f.removal_pending == Some(true) {
        q = q.filter(listing::Column::RemovalStatus.eq(RemovalStatus::Applied));
    }
    if let Some(e) = f.enterprise_id {
        q = q.filter(listing::Column::EnterpriseId.eq(e));
    }
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_desc(listing::Column::UpdatedAt)
        .order_by_desc(listing::Column::Id)
        .limit(MAX_LISTED)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for m in rows {
        out.push(response(db, user, m).await?);
    }
    Ok((out, total))
}

/// What is listed now, newest listing first (at most [`MAX_LISTED`]).
pub async fn public<C: ConnectionTrait>(db: &C) -> AppResult<Vec<DishonestyPublicEntry>> {
    let r = rules::rules()?;
    let rows = listing::Entity::find()
        .filter(listing::Column::Status.eq(ListingStatus::Listed))
        .order_by_desc(listing::Column::ListedOn)
        .order_by_desc(listing::Column::Id)
        .limit(MAX_LISTED)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for m in rows {
        let s = r.situation(&m.situation);
        out.push(DishonestyPublicEntry {
            id: m.id,
            name: public_name(m.subject_kind, &m.subject_name),
            credit_code: if m.subject_kind.is_person() { None } else { m.credit_code },
            subject_kind: m.subject_kind,
            situation_article: s.map(|s| s.article.clone()).unwrap_or_default(),
            situation_text: s.map(|s| s.text.clone()).unwrap_or_default(),
            basis: public_basis(&m.basis_text),
            decision_number: m.decision_number,
            bureau: bureau_name(db, m.bureau_id).await?,
            listed_on: m.listed_on,
            until: m.until,
        });
    }
    Ok(out)
}

/// The basis as published: the record part only (a regulator's reasons, after `；`, stay inside).
fn public_basis(text: &str) -> String {
    text.split('；').next().unwrap_or_default().to_owned()
}
