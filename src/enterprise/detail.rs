//! An enterprise's detail view: licences, status history (with the suspension
//! orders on its hazards and their lifting), supervising bureau.

use super::json::{CreateLicenceRequest, EnterpriseDetailResponse, LicenceResponse, StatusChangeResponse};
use crate::audit::{self, AuditCtx};
use crate::entities::{bureau, enterprise, enterprise_status_history as history, licence};
use crate::error::{AppError, AppResult, DbResultExt};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

impl From<licence::Model> for LicenceResponse {
    fn from(l: licence::Model) -> Self {
        Self {
            id: l.id,
            licence_type: l.licence_type,
            number: l.number,
            issuer: l.issuer,
            valid_from: l.valid_from,
            valid_to: l.valid_to,
        }
    }
}

pub async fn load<C: ConnectionTrait>(db: &C, row: enterprise::Model) -> AppResult<EnterpriseDetailResponse> {
    let licences = licence::Entity::find()
        .filter(licence::Column::EnterpriseId.eq(row.id))
        .order_by_asc(licence::Column::Id)
        .all(db)
        .await?;
    let history = history::Entity::find()
        .filter(history::Column::EnterpriseId.eq(row.id))
        .order_by_asc(history::Column::Id)
        .all(db)
        .await?;
    let bureau_name =
        bureau::Entity::find_by_id(row.supervising_bureau_id).one(db).await?.map(|b| b.name).unwrap_or_default();
    Ok(EnterpriseDetailResponse {
        enterprise: row.into(),
        supervising_bureau_name: bureau_name,
        licences: licences.into_iter().map(Into::into).collect(),
        status_history: history
            .into_iter()
            .map(|h| StatusChangeResponse {
                status: h.status,
                previous_status: h.previous_status,
                reason: h.reason,
                changed_at: h.changed_at,
                event: h.event,
                hazard_id: h.hazard_id,
            })
            .collect(),
    })
}

/// Records a licence after checking every field of the request.
pub async fn add_licence<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    enterprise_id: i64,
    req: &CreateLicenceRequest,
) -> AppResult<licence::Model> {
    let fields = req.check();
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let row = licence::ActiveModel {
        enterprise_id: Set(enterprise_id),
        licence_type: Set(req.licence_type.trim().to_owned()),
        number: Set(req.number.trim().to_owned()),
        issuer: Set(req.issuer.clone().filter(|s| !s.trim().is_empty())),
        valid_from: Set(req.valid_from),
        valid_to: Set(req.valid_to),
        created_at: Set(ctx.at),
        updated_at: Set(ctx.at),
        ..Default::default()
    }
    .insert(db)
    .await
    .on_unique("licence_exists", "该许可证已登记")?;
    audit::record(db, ctx, "create", &row).await?;
    Ok(row)
}

/// Licences of one type held by each of the enterprises, oldest first.
pub async fn licences_of<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
    licence_type: &str,
) -> AppResult<std::collections::HashMap<i64, Vec<licence::Model>>> {
    let mut out: std::collections::HashMap<i64, Vec<licence::Model>> = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let rows = licence::Entity::find()
            .filter(licence::Column::EnterpriseId.is_in(chunk.iter().copied()))
            .filter(licence::Column::LicenceType.eq(licence_type))
            .order_by_asc(licence::Column::Id)
            .all(db)
            .await?;
        for l in rows {
            out.entry(l.enterprise_id).or_default().push(l);
        }
    }
    Ok(out)
}
