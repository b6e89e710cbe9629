//! What a bureau sees of its territory: enterprises per grade by sector and county,
//! and the positions of its enterprises with their colours for the map.

use super::json::{GradeCount, GradeCounts};
use crate::auth::CurrentUser;
use crate::enterprise::domain::Sector;
use crate::entities::enterprise;
use crate::error::AppResult;
use crate::risk::domain::RiskLevel;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

/// Rows of counts one answer holds (sectors × counties of the scope).
pub const COUNT_ROWS_CAP: usize = 2_000;
/// Enterprises one map draws (the worst first).
pub const MAP_CAP: u64 = 5_000;

/// Enterprises per grade, sector and county within the user's scope.
pub async fn counts<C: ConnectionTrait>(db: &C, user: &CurrentUser) -> AppResult<GradeCounts> {
    use enterprise::Column as E;
    let rows: Vec<(Sector, String, Option<RiskLevel>, i64)> =
        crate::enterprise::service::scoped(enterprise::Entity::find(), &user.scope)
            .select_only()
            .column(E::Sector)
            .column(E::RegionCode)
            .column(E::RiskGrade)
            .column_as(E::Id.count(), "n")
            .group_by(E::Sector)
            .group_by(E::RegionCode)
            .group_by(E::RiskGrade)
            .into_tuple()
            .all(db)
            .await?;
    let mut out = GradeCounts { rows: Vec::new(), red: 0, orange: 0, yellow: 0, blue: 0, ungraded: 0 };
    let mut rows = rows;
    rows.sort_by(|a, b| (a.1.as_str(), a.0.as_str()).cmp(&(b.1.as_str(), b.0.as_str())));
    for (sector, region, grade, n) in rows {
        let n = u64::try_from(n).unwrap_or_default();
        let pos = match out.rows.iter().position(|r| r.sector == sector && r.region_code == region) {
            Some(p) => p,
            None if out.rows.len() < COUNT_ROWS_CAP => {
                let region_name =
                    crate::bureau::regions::name(&region).map_or_else(|| region.clone(), ToOwned::to_owned);
                out.rows.push(GradeCount {
                    sector,
                    region_code: region,
                    region_name,
                    red: 0,
                    orange: 0,
                    yellow: 0,
                    blue: 0,
                    ungraded: 0,
                });
                out.rows.len() - 1
            }
            None => usize::MAX,
        };
        let (total, row) = match grade {
            Some(RiskLevel::Red) => (&mut out.red, out.rows.get_mut(pos).map(|r| &mut r.red)),
            Some(RiskLevel::Orange) => (&mut out.orange, out.rows.get_mut(pos).map(|r| &mut r.orange)),
            Some(RiskLevel::Yellow) => (&mut out.yellow, out.rows.get_mut(pos).map(|r| &mut r.yellow)),
            Some(RiskLevel::Blue) => (&mut out.blue, out.rows.get_mut(pos).map(|r| &mut r.blue)),
            None => (&mut out.ungraded, out.rows.get_mut(pos).map(|r| &mut r.ungraded)),
        };
        *total += n;
        if let Some(r) = row {
            *r += n;
        }
    }
    Ok(out)
}

/// An enterprise on the territory map.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MapPoint {
    pub id: i64,
    pub name: String,
    pub longitude: f64,
    pub latitude: f64,
    pub risk_grade: Option<RiskLevel>,
    pub supervision_class: Option<String>,
}

type MapRow = (i64, String, Option<f64>, Option<f64>, Option<RiskLevel>, Option<String>);

/// The enterprises of the scope that have a position, red first (at most [`MAP_CAP`]),
/// and how many more have one.
pub async fn map_points<C: ConnectionTrait>(db: &C, user: &CurrentUser) -> AppResult<(Vec<MapPoint>, u64)> {
    use enterprise::Column as E;
    let q = crate::enterprise::service::scoped(enterprise::Entity::find(), &user.scope)
        .filter(E::Longitude.is_not_null())
        .filter(E::Latitude.is_not_null());
    let total = sea_orm::PaginatorTrait::count(q.clone(), db).await?;
    let rows: Vec<MapRow> = q
        .select_only()
        .columns([E::Id, E::Name, E::Longitude, E::Latitude, E::RiskGrade, E::SupervisionClass])
        .order_by_asc(sea_orm::sea_query::Expr::cust(
            "CASE risk_grade WHEN 'red' THEN 0 WHEN 'orange' THEN 1 WHEN 'yellow' THEN 2 WHEN 'blue' THEN 3 ELSE 4 END",
        ))
        .order_by_asc(E::Id)
        .limit(MAP_CAP)
        .into_tuple()
        .all(db)
        .await?;
    let points: Vec<MapPoint> = rows
        .into_iter()
        .filter_map(|(id, name, lon, lat, risk_grade, supervision_class)| {
            Some(MapPoint { id, name, longitude: lon?, latitude: lat?, risk_grade, supervision_class })
        })
        .collect();
    let more = total.saturating_sub(points.len() as u64);
    Ok((points, more))
}
