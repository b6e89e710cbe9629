//! Early removal (信用修复) and removal at expiry.
//!
//! Decisions:
//! - An application is refused before the listing has lasted the months of the
//!   data (12): 422 `removal_too_early`, naming the first day it may be made.
//! - The conditions are checked from the records and shown with the application:
//!   the penalty performed (the case paid or closed; none when the basis is an
//!   accident), no open major hazard of the enterprise, a public credit commitment,
//!   and no penalty decision against the enterprise since the listing. The approver
//!   sees them again when deciding; removing with one unmet is refused (409
//!   `removal_conditions_unmet`), rejecting needs a reason.
//! - A removal obtained by false information is revoked by the deciding bureau's
//!   approver with the reason: the listing is restored with its original end date.
//! - Expiry: the nightly job moves every listing whose end date has come to
//!   `expired`; the public list shows it no more.

use super::domain::{ListingStatus, RemovalStatus, removal_from};
use super::json::{DishonestyCondition, DishonestyStepBody};
use super::steps::push;
use super::{rules, service};
use crate::auth::{CurrentUser, Role};
use crate::case::domain::{CaseStatus, Decision};
use crate::entities::dishonesty_listing::{self as listing, ActiveModel, Model};
use crate::entities::{case, hazard};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::hazard::domain::Level;
use crate::notice::{self, Notice};
use crate::todo::Assignee;
use crate::write::Tx;
use chrono::NaiveDate;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

fn condition(code: &str, label: &str, met: bool, detail: String) -> DishonestyCondition {
    DishonestyCondition { code: code.to_owned(), label: label.to_owned(), met, detail }
}

/// Whether the penalty the listing rests on was performed, and what the case says.
async fn performed<C: ConnectionTrait>(db: &C, m: &Model) -> AppResult<(bool, String)> {
    let Some(id) = m.case_id else {
        return Ok((true, "列入依据为生产安全事故，无行政处罚决定需要履行".to_owned()));
    };
    let c = case::Entity::find_by_id(id).one(db).await?;
    let done = c
        .as_ref()
        .is_some_and(|c| matches!(c.status, CaseStatus::Paid | CaseStatus::Closed) || c.paid_yuan >= c.fine_total_yuan);
    Ok((done, c.map_or_else(String::new, |c| format!("案件 #{}：{}", c.id, c.status.zh()))))
}

/// The early-removal conditions of a listing as they stand (with `commitment` as given).
pub async fn conditions<C: ConnectionTrait>(
    db: &C,
    m: &Model,
    commitment: &str,
) -> AppResult<Vec<DishonestyCondition>> {
    let mut out = Vec::new();
    let performed = performed(db, m).await?;
    out.push(condition("penalty_performed", "已履行行政处罚决定", performed.0, performed.1));
    let open_major = match m.enterprise_id {
        Some(e) => {
            hazard::Entity::find()
                .filter(hazard::Column::EnterpriseId.eq(e))
                .filter(hazard::Column::IsOpen.eq(true))
                .filter(hazard::Column::Level.eq(Level::Major))
                .count(db)
                .await?
        }
        None => 0,
    };
    out.push(condition(
        "hazards_corrected",
        "重大事故隐患已整改",
        open_major == 0,
        if open_major == 0 {
            "无未销号的重大事故隐患".to_owned()
        } else {
            format!("尚有 {open_major} 项重大事故隐患未销号")
        },
    ));
    let committed = commitment.trim().chars().count() >= 10;
    out.push(condition(
        "commitment",
        "作出公开信用承诺",
        committed,
        if committed { "已提交信用承诺书".to_owned() } else { "信用承诺不少于10个字".to_owned() },
    ));
    let new = match (m.enterprise_id, m.listed_on) {
        (Some(e), Some(on)) => {
            case::Entity::find()
                .filter(case::Column::EnterpriseId.eq(e))
                .filter(case::Column::Decision.eq(Decision::Penalty))
                .filter(case::Column::RevokedOn.is_null())
                .filter(case::Column::DecidedOn.gt(on))
                .count(db)
                .await?
        }
        _ => 0,
    };
    out.push(condition(
        "no_new_violation",
        "列入后未再受到行政处罚",
        new == 0,
        if new == 0 {
            "列入以来无新的行政处罚决定".to_owned()
        } else {
            format!("列入以来有 {new} 个行政处罚决定")
        },
    ));
    Ok(out)
}

/// 申请提前移出: after the months of the data, with the commitment; the conditions stored.
pub(super) async fn apply(
    tx: &Tx,
    user: &CurrentUser,
    m: &Model,
    body: &DishonestyStepBody,
    row: &mut ActiveModel,
    f: &mut FieldErrors,
) -> AppResult<()> {
    let today = crate::clock::china_date(tx.now());
    let months = rules::rules()?.duration.early_removal_months;
    let from = m.listed_on.map_or(NaiveDate::MAX, |on| removal_from(on, months));
    if today < from {
        return Err(AppError::unprocessable(
            "removal_too_early",
            format!("列入严重失信主体名单满{months}个月后方可申请提前移出，{from}起可以申请"),
        ));
    }
    if body.commitment.trim().is_empty() {
        push(f, "commitment", "请填写公开信用承诺");
    }
    let checked = conditions(tx, m, &body.commitment).await?;
    row.removal_status = Set(Some(RemovalStatus::Applied));
    row.removal_applied_by = Set(Some(user.id));
    row.removal_applied_on = Set(Some(today));
    row.commitment = Set(Some(body.commitment.trim().to_owned()));
    row.removal_conditions = Set(Some(serde_json::to_string(&checked).map_err(|e| AppError::Internal(e.into()))?));
    row.removal_decided_by = Set(None);
    row.removal_reason = Set(None);
    if f.is_empty() {
        let n = Notice {
            assignee: Assignee::BureauRole(m.bureau_id, Role::Approver),
            todo_kind: "dishonesty_removal_applied",
            title: format!("{}申请提前移出严重失信主体名单，请审核", m.subject_name),
            link: format!("/dishonesty-list/{}", m.id),
            mail: None,
            ctx: crate::mail::NoticeContext::default(),
            key: format!("dishonesty_removal_applied:{}:{today}", m.id),
        };
        notice::send(tx, tx.now(), vec![n]).await?;
    }
    Ok(())
}

/// 提前移出审核: remove with every condition met, or reject with the reason.
pub(super) async fn decide(
    tx: &Tx,
    user: &CurrentUser,
    m: &Model,
    body: &DishonestyStepBody,
    row: &mut ActiveModel,
    f: &mut FieldErrors,
) -> AppResult<()> {
    let today = crate::clock::china_date(tx.now());
    row.removal_decided_by = Set(Some(user.id));
    row.removal_reason = Set(Some(body.note.trim().to_owned()));
    match body.approve {
        None => push(f, "approve", "请选择同意或不同意提前移出"),
        Some(false) => {
            if body.note.trim().is_empty() {
                push(f, "note", "请填写不同意提前移出的理由");
            }
            row.removal_status = Set(Some(RemovalStatus::Rejected));
        }
        Some(true) => {
            let checked = conditions(tx, m, m.commitment.as_deref().unwrap_or_default()).await?;
            let unmet: Vec<&str> = checked.iter().filter(|c| !c.met).map(|c| c.label.as_str()).collect();
            if !unmet.is_empty() {
                return Err(AppError::conflict(
                    "removal_conditions_unmet",
                    format!("提前移出的条件未满足：{}", unmet.join("、")),
                ));
            }
            row.removal_conditions =
                Set(Some(serde_json::to_string(&checked).map_err(|e| AppError::Internal(e.into()))?));
            if f.is_empty() {
                row.removal_number = Set(Some(service::number(tx, m.bureau_id, "removal").await?));
            }
            row.removal_status = Set(Some(RemovalStatus::Approved));
            row.status = Set(ListingStatus::Removed);
            row.removed_on = Set(Some(today));
        }
    }
    Ok(())
}

/// 撤销提前移出: the listing restored with its original end date.
pub(super) fn revoke(
    m: &Model,
    body: &DishonestyStepBody,
    row: &mut ActiveModel,
    f: &mut FieldErrors,
    today: NaiveDate,
) {
    if body.note.trim().is_empty() {
        push(f, "note", "请填写撤销的理由（如申请时提供虚假材料）");
    }
    row.status = Set(ListingStatus::Listed);
    row.removal_status = Set(Some(RemovalStatus::Revoked));
    row.removal_revoked_on = Set(Some(today));
    row.removed_on = Set(None);
    row.removal_reason = Set(Some(body.note.trim().to_owned()));
    row.until = Set(m.until);
}

/// The nightly removal of listings whose end date has come; answers how many.
pub async fn expire(tx: &Tx) -> AppResult<u64> {
    let today = crate::clock::china_date(tx.now());
    let ended = listing::Entity::find()
        .filter(listing::Column::Status.eq(ListingStatus::Listed))
        .filter(listing::Column::Until.lte(today))
        .all(tx)
        .await?;
    let ids: Vec<i64> = ended.iter().map(|m| m.id).collect();
    if ids.is_empty() {
        return Ok(0);
    }
    listing::Entity::update_many()
        .col_expr(listing::Column::Status, Expr::value(ListingStatus::Expired.as_str()))
        .col_expr(listing::Column::EndedOn, Expr::value(today))
        .col_expr(listing::Column::UpdatedAt, Expr::value(tx.now()))
        .filter(listing::Column::Id.is_in(ids.clone()))
        .exec(tx)
        .await?;
    let rows = listing::Entity::find().filter(listing::Column::Id.is_in(ids)).all(tx).await?;
    for r in &rows {
        crate::audit::record(tx, tx.ctx(), "expire", r).await?;
    }
    Ok(rows.len() as u64)
}
