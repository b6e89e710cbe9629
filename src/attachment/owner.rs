//! Who an attachment belongs to: a record of some module (`owner_type`,
//! `owner_id`) and, where the record has a timeline, the step that named the
//! file (`step_id`). A new owning module is one variant of [`OwnerType`] and
//! one arm of [`may_see`], which asks that module whether the user may see
//! the record; the attachment module knows nothing else about it.

use crate::auth::CurrentUser;
use crate::coded::coded_enum;
use crate::entities::attachment;
use crate::error::{AppError, AppResult, FieldErrors};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

coded_enum! {
    /// The kind of record an attachment belongs to (附件所属记录).
    pub enum OwnerType in "附件所属记录类型" {
        Hazard = "hazard" / "隐患",
        Inspection = "inspection" / "执法检查",
        Case = "case" / "行政处罚案件",
        EmergencyPlan = "emergency_plan" / "应急预案备案",
    }
}

/// The record (and step) files are linked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub kind: OwnerType,
    pub id: i64,
    /// The timeline event of the owner that named the files, if any.
    pub step_id: Option<i64>,
}

impl Owner {
    pub fn hazard(id: i64, step_id: Option<i64>) -> Self {
        Self { kind: OwnerType::Hazard, id, step_id }
    }

    /// An inspection's file; `step_id` names the finding (evidence) or signature it belongs to.
    pub fn inspection(id: i64, step_id: Option<i64>) -> Self {
        Self { kind: OwnerType::Inspection, id, step_id }
    }

    /// A penalty case's file; `step_id` names the step (evidence, hearing, service) that recorded it.
    pub fn case(id: i64, step_id: Option<i64>) -> Self {
        Self { kind: OwnerType::Case, id, step_id }
    }
}

/// Attachments listed for one record, at most (oldest first).
pub const PER_RECORD: u64 = 500;

/// Whether the user may see record `id` of this kind: the owning module decides.
pub async fn may_see<C: ConnectionTrait>(db: &C, user: &CurrentUser, kind: OwnerType, id: i64) -> AppResult<bool> {
    let seen = match kind {
        OwnerType::Hazard => crate::hazard::service::get_visible(db, user, id).await.map(|_| ()),
        OwnerType::Inspection => crate::inspection::record::access::visible(db, user, id).await.map(|_| ()),
        OwnerType::Case => crate::case::service::get_visible(db, user, id).await.map(|_| ()),
        OwnerType::EmergencyPlan => crate::emergency_plan::service::visible(db, user, id).await.map(|_| ()),
    };
    match seen {
        Ok(()) => Ok(true),
        Err(AppError::NotFound | AppError::Forbidden) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Whether the user may download this file: its uploader always; anyone else
/// only once it is linked to a record they may see.
pub async fn may_download<C: ConnectionTrait>(db: &C, user: &CurrentUser, row: &attachment::Model) -> AppResult<bool> {
    if row.uploaded_by == user.id {
        return Ok(true);
    }
    // An owner code this build does not know is visible to nobody but the uploader.
    match (row.owner_type.as_deref().and_then(|t| t.parse::<OwnerType>().ok()), row.owner_id) {
        (Some(kind), Some(id)) => may_see(db, user, kind, id).await,
        _ => Ok(false),
    }
}

/// Links the user's own unlinked uploads to `owner` for a purpose (`before`,
/// `after`, `plan`, `evidence`, `report`). Every id that is not such an upload
/// is reported at once under `field`. The caller owns the transaction.
pub async fn claim<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    ids: &[i64],
    owner: Owner,
    purpose: &str,
    field: &str,
) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let rows = attachment::Entity::find().filter(attachment::Column::Id.is_in(ids.iter().copied())).all(db).await?;
    let bad: Vec<String> = ids
        .iter()
        .filter(|id| !rows.iter().any(|r| r.id == **id && r.uploaded_by == user.id && r.owner_type.is_none()))
        .map(|id| format!("附件 {id} 不存在、不是本人上传或已被使用"))
        .collect();
    if !bad.is_empty() {
        let mut fields = FieldErrors::new();
        fields.insert(field.to_owned(), bad);
        return Err(AppError::Validation(fields));
    }
    let claimed = attachment::Entity::update_many()
        .col_expr(attachment::Column::OwnerType, Expr::value(owner.kind.as_str()))
        .col_expr(attachment::Column::OwnerId, Expr::value(owner.id))
        .col_expr(attachment::Column::StepId, Expr::value(owner.step_id))
        .col_expr(attachment::Column::Purpose, Expr::value(purpose))
        .filter(attachment::Column::Id.is_in(ids.iter().copied()))
        .filter(attachment::Column::OwnerType.is_null())
        .exec(db)
        .await?;
    // Another request claimed one of them between the read and the update.
    let distinct: std::collections::BTreeSet<i64> = ids.iter().copied().collect();
    if claimed.rows_affected != distinct.len() as u64 {
        return Err(AppError::validation(field, "附件已被使用"));
    }
    Ok(())
}

/// The attachments of one record, oldest first, at most [`PER_RECORD`].
pub async fn of_owner<C: ConnectionTrait>(db: &C, kind: OwnerType, id: i64) -> AppResult<Vec<attachment::Model>> {
    Ok(attachment::Entity::find()
        .filter(attachment::Column::OwnerType.eq(kind.as_str()))
        .filter(attachment::Column::OwnerId.eq(id))
        .order_by_asc(attachment::Column::Id)
        .limit(PER_RECORD)
        .all(db)
        .await?)
}
