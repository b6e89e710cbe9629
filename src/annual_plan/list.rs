//! The plans the caller sees (its bureau's and the bureaus' below), by year, newest first.

use super::json::PlanSummary;
use super::view;
use crate::auth::CurrentUser;
use crate::entities::annual_plan as plan;
use crate::error::{AppError, AppResult};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// At most this many plans are listed.
pub const LIST_CAP: u64 = 500;

/// Filter of `GET /api/v1/annual-plans`.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PlanFilter {
    /// Only this year.
    pub year: Option<i32>,
}

pub async fn list<C: ConnectionTrait>(db: &C, user: &CurrentUser, f: &PlanFilter) -> AppResult<Vec<PlanSummary>> {
    if !user.is_bureau_user() {
        return Err(AppError::Forbidden);
    }
    let mut q = crate::scope::scoped(plan::Entity::find(), &user.scope);
    if let Some(y) = f.year {
        q = q.filter(plan::Column::Year.eq(y));
    }
    let rows = q
        .order_by_desc(plan::Column::Year)
        .order_by_asc(plan::Column::BureauId)
        .order_by_desc(plan::Column::Revision)
        .limit(LIST_CAP)
        .all(db)
        .await?;
    let names = view::bureau_names(db, rows.iter().map(|p| p.bureau_id).collect()).await?;
    Ok(rows.iter().map(|p| view::summary(p, &names)).collect())
}
