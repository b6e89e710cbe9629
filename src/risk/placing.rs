//! Placing a risk point on its enterprise's site plan: `plan_x` and `plan_y` are
//! fractions 0–1 of the plan's width and height (so a replaced plan of another pixel
//! size keeps the points where they were drawn), both or neither (neither takes the
//! point off the plan). Only where a plan exists (409 `no_site_plan`); by the same
//! people who record points ([`super::policy::check_write`]); in the change log.

use super::json::RiskPointResponse;
use super::{policy, site_plan};
use crate::audit;
use crate::auth::CurrentUser;
use crate::entities::risk_point;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::write::Tx;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde::Deserialize;

/// Where a point sits on the plan; both `null` takes it off the plan.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
pub struct PositionBody {
    /// From the plan's left edge, 0 to 1.
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub plan_x: Option<f64>,
    /// From the plan's top edge, 0 to 1.
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub plan_y: Option<f64>,
}

/// Every problem with a position at once.
fn check(b: PositionBody) -> AppResult<Option<(f64, f64)>> {
    let mut fields = FieldErrors::new();
    for (f, v) in [("plan_x", b.plan_x), ("plan_y", b.plan_y)] {
        if v.is_some_and(|v| !(v.is_finite() && (0.0..=1.0).contains(&v))) {
            fields.entry(f.to_owned()).or_default().push("须为 0 到 1 之间的数（占平面图宽、高的比例）".to_owned());
        }
    }
    match (b.plan_x, b.plan_y) {
        _ if !fields.is_empty() => Err(AppError::Validation(fields)),
        (Some(x), Some(y)) => Ok(Some((x, y))),
        (None, None) => Ok(None),
        (None, Some(_)) => Err(AppError::validation("plan_x", "横、纵位置须同时填写")),
        (Some(_), None) => Err(AppError::validation("plan_y", "横、纵位置须同时填写")),
    }
}

/// Places point `id` (or takes it off the plan).
pub async fn place(tx: &Tx, user: &CurrentUser, id: i64, b: PositionBody) -> AppResult<RiskPointResponse> {
    let p = risk_point::Entity::find_by_id(id).one(tx).await?.ok_or(AppError::NotFound)?;
    let enterprise = crate::enterprise::service::get_scoped(tx, &user.scope, p.enterprise_id).await?;
    policy::check_write(user, &enterprise)?;
    let at = check(b)?;
    if at.is_some() && site_plan::current(tx, enterprise.id).await?.is_none() {
        return Err(AppError::conflict("no_site_plan", "请先上传本企业的平面图，再标注风险点位置"));
    }
    let ctx = tx.ctx();
    let mut row: risk_point::ActiveModel = p.into();
    row.plan_x = Set(at.map(|a| a.0));
    row.plan_y = Set(at.map(|a| a.1));
    row.updated_at = Set(ctx.at);
    let row = row.update(tx).await?;
    audit::record(tx, ctx, if at.is_some() { "place" } else { "unplace" }, &row).await?;
    Ok(row.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_fractions_given_together() {
        let b = |x, y| PositionBody { plan_x: x, plan_y: y };
        assert_eq!(check(b(Some(0.0), Some(1.0))).ok(), Some(Some((0.0, 1.0))));
        assert_eq!(check(b(None, None)).ok(), Some(None));
        assert!(check(b(Some(1.01), Some(0.5))).is_err());
        assert!(check(b(Some(f64::NAN), Some(0.5))).is_err());
        assert!(check(b(Some(0.5), None)).is_err());
    }
}
