//! Which bulletin is a major hazard's 通报: the latest internal bulletin that lists it.

use crate::entities::{bulletin, bulletin_item};
use crate::error::AppResult;
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use serde::Serialize;
use std::collections::HashMap;

/// The bulletin that notified (通报) a hazard.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BulletinRef {
    pub bulletin_id: i64,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
}

impl BulletinRef {
    /// 2026-12-01 至 2026-12-15.
    pub fn period(&self) -> String {
        format!("{} 至 {}", self.period_start, self.period_end)
    }
}

/// For each of these hazards that a bulletin lists, the latest such bulletin.
pub async fn latest_for<C: ConnectionTrait>(db: &C, ids: &[i64]) -> AppResult<HashMap<i64, BulletinRef>> {
    let mut out: HashMap<i64, BulletinRef> = HashMap::new();
    for chunk in ids.chunks(500) {
        let q = Query::select()
            .column((bulletin_item::Entity, bulletin_item::Column::HazardId))
            .column((bulletin::Entity, bulletin::Column::Id))
            .column((bulletin::Entity, bulletin::Column::PeriodStart))
            .column((bulletin::Entity, bulletin::Column::PeriodEnd))
            .from(bulletin_item::Entity)
            .inner_join(
                bulletin::Entity,
                Expr::col((bulletin::Entity, bulletin::Column::Id))
                    .equals((bulletin_item::Entity, bulletin_item::Column::BulletinId)),
            )
            .and_where(Expr::col((bulletin_item::Entity, bulletin_item::Column::HazardId)).is_in(chunk.iter().copied()))
            .to_owned();
        for row in db.query_all(&q).await? {
            let hazard: i64 = row.try_get_by_index(0)?;
            let b = BulletinRef {
                bulletin_id: row.try_get_by_index(1)?,
                period_start: row.try_get_by_index(2)?,
                period_end: row.try_get_by_index(3)?,
            };
            let newer = out.get(&hazard).is_none_or(|o| (o.period_end, o.bulletin_id) < (b.period_end, b.bulletin_id));
            if newer {
                out.insert(hazard, b);
            }
        }
    }
    Ok(out)
}
