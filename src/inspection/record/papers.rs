//! The record's use of the inspection's reserved 执法文书 numbers, through the
//! governance module's documents: issuing (and serving on site) the ones the
//! record needs, voiding with a reason the ones it does not, reserving the
//! re-inspection's 整改复查意见书.

use crate::entities::{inspection, inspection_document};
use crate::error::AppResult;
use crate::inspection::domain::DocumentType;
use crate::inspection::governance::documents;
use crate::write::Tx;
use sea_orm::ConnectionTrait;

/// The inspection's documents, in order.
pub async fn of_inspection<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<Vec<inspection_document::Model>> {
    documents::of_inspection(db, id).await
}

/// Issues the reserved number of `kind`; with `served_to`, served on site today (直接送达).
pub async fn issue(
    tx: &Tx,
    i: &inspection::Model,
    kind: DocumentType,
    served_to: Option<&str>,
) -> AppResult<Option<inspection_document::Model>> {
    let Some(d) = documents::reserved(tx, i.id, kind).await? else { return Ok(None) };
    let done = match served_to {
        Some(to) => {
            let to = crate::limits::clamp(to, 200);
            documents::serve(tx, &d, crate::clock::china_date(tx.now()), "直接送达", &to).await?
        }
        None => documents::issue(tx, &d).await?,
    };
    Ok(Some(done))
}

/// Voids the reserved number of `kind`, keeping it with its reason.
pub async fn void(tx: &Tx, i: &inspection::Model, kind: DocumentType, reason: &str) -> AppResult<()> {
    if let Some(d) = documents::reserved(tx, i.id, kind).await? {
        documents::void(tx, &d, reason).await?;
    }
    Ok(())
}

/// Reserves a number of `kind` for the inspection (the re-inspection's 整改复查意见书).
pub async fn reserve(tx: &Tx, i: &inspection::Model, kind: DocumentType) -> AppResult<()> {
    documents::reserve(tx, i, kind).await?;
    Ok(())
}
