//! Approving a draw's inspections at once: each pending one through the
//! inspections' own approve use case (so its document numbers are reserved), on one
//! transaction; those the policy refuses (over the cap without its approval, the
//! approver on the team) stay pending and are listed with the reason.

use super::policy::Action;
use crate::auth::CurrentUser;
use crate::entities::inspection;
use crate::error::{AppError, AppResult};
use crate::inspection::domain::Status;
use crate::write::Tx;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

/// The most refusals one answer lists.
pub const MAX_REFUSED: usize = 200;

/// One inspection left pending, and why.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NotApproved {
    pub inspection_id: i64,
    pub enterprise_id: i64,
    /// Why (in Chinese).
    pub reason: String,
}

/// `POST /api/v1/draws/{id}/approve`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApproveAllResponse {
    pub approved: u64,
    pub not_approved_count: u64,
    /// The first [`MAX_REFUSED`] not approved.
    pub not_approved: Vec<NotApproved>,
}

/// An approver approves every pending inspection of the draw that may be approved.
pub async fn approve_all(tx: &Tx, user: &CurrentUser, id: i64) -> AppResult<ApproveAllResponse> {
    let d = super::service::for_step(tx, user, id, Action::Approve).await?;
    let pending: Vec<(i64, i64)> = inspection::Entity::find()
        .select_only()
        .columns([inspection::Column::Id, inspection::Column::EnterpriseId])
        .filter(inspection::Column::DrawId.eq(d.id))
        .filter(inspection::Column::Status.eq(Status::PendingApproval))
        .order_by_asc(inspection::Column::Id)
        .into_tuple()
        .all(tx)
        .await?;
    let mut out = ApproveAllResponse { approved: 0, not_approved_count: 0, not_approved: Vec::new() };
    for (inspection_id, enterprise_id) in pending {
        match crate::inspection::governance::service::approve(tx, user, inspection_id).await {
            Ok(_) => out.approved += 1,
            Err(
                e @ (AppError::Forbidden
                | AppError::ForbiddenBecause(_)
                | AppError::Conflict { .. }
                | AppError::NotFound),
            ) => {
                out.not_approved_count += 1;
                if out.not_approved.len() < MAX_REFUSED {
                    out.not_approved.push(NotApproved { inspection_id, enterprise_id, reason: e.to_string() });
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}
