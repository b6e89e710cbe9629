//! The enterprise's special-operation workers shown on a checklist item about
//! 特种作业人员 while an inspector works the record (the API's record, which the
//! tablet reads, and the record page): which items concern them (their text
//! contains a keyword of `data/special-operations.toml`), how many listed workers
//! hold a valid certificate, an expired one or none, and the list.
//!
//! Decisions:
//! - Running listings only, on today's date; 将到期 and 待复审 count as valid (the
//!   certificate is still in force).
//! - Shown once per record (`RecordResponse::special_operations`), naming the
//!   items it belongs to, rather than copied into each item; absent when no item
//!   concerns special operations.
//! - At most [`MAX_SHOWN`] workers are listed (expired and missing first); the
//!   counts cover all.

use super::domain::CertStatus;
use super::list::{cert_of, status_condition};
use super::rules::rules;
use crate::entities::special_operation_worker as worker;
use crate::error::AppResult;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;

pub const MAX_SHOWN: u64 = 100;

/// One worker as the checklist shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChecklistWorker {
    pub id: i64,
    pub name: String,
    pub category_name: String,
    pub certificate_no: Option<String>,
    pub expires_on: Option<NaiveDate>,
    pub status: CertStatus,
    /// The status in Chinese.
    pub status_name: String,
}

/// The enterprise's special-operation workers, for the items that ask for certificates.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChecklistWorkers {
    /// The checklist items this belongs to.
    pub item_codes: Vec<String>,
    /// Listed workers (running listings).
    pub total: u64,
    /// Holding a certificate valid today (including 将到期 and 待复审).
    pub valid: u64,
    pub expired: u64,
    /// Listed without a certificate (未持证).
    pub missing: u64,
    /// The first [`MAX_SHOWN`], expired and missing first.
    pub workers: Vec<ChecklistWorker>,
}

/// What the record shows for `enterprise_id`, given its items as `(code, text)`;
/// `None` when no item concerns special operations.
pub async fn for_items<C: ConnectionTrait>(
    db: &C,
    enterprise_id: i64,
    items: &[(&str, &str)],
    today: NaiveDate,
) -> AppResult<Option<ChecklistWorkers>> {
    let r = rules()?;
    let item_codes: Vec<String> =
        items.iter().filter(|(_, text)| r.concerns(text)).map(|(code, _)| (*code).to_owned()).collect();
    if item_codes.is_empty() {
        return Ok(None);
    }
    let window = r.reminders.days_before;
    let running = worker::Entity::find()
        .filter(worker::Column::EnterpriseId.eq(enterprise_id))
        .filter(worker::Column::EndedOn.is_null());
    let mut n = [0_u64; 5];
    for (i, s) in CertStatus::ALL.iter().enumerate() {
        n[i] = running.clone().filter(status_condition(*s, today, window)).count(db).await?;
    }
    let of = |s: CertStatus| CertStatus::ALL.iter().position(|x| *x == s).map_or(0, |i| n[i]);
    let rows = running
        .order_by_asc(worker::Column::Category)
        .order_by_asc(worker::Column::Name)
        .order_by_asc(worker::Column::Id)
        .limit(MAX_SHOWN * 5)
        .all(db)
        .await?;
    let mut workers: Vec<ChecklistWorker> = rows
        .into_iter()
        .map(|w| {
            let status = super::domain::status(cert_of(&w), today, window);
            ChecklistWorker {
                id: w.id,
                category_name: r.category_name(&w.category),
                name: w.name,
                certificate_no: w.certificate_no,
                expires_on: w.expires_on,
                status,
                status_name: status.zh().to_owned(),
            }
        })
        .collect();
    workers.sort_by_key(|w| !matches!(w.status, CertStatus::Expired | CertStatus::Missing));
    workers.truncate(usize::try_from(MAX_SHOWN).unwrap_or(usize::MAX));
    Ok(Some(ChecklistWorkers {
        item_codes,
        total: n.iter().sum(),
        valid: of(CertStatus::Valid) + of(CertStatus::Expiring) + of(CertStatus::ReviewDue),
        expired: of(CertStatus::Expired),
        missing: of(CertStatus::Missing),
        workers,
    }))
}
