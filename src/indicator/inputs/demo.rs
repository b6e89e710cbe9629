//! Demo inputs, so the cockpit has figures: denominators for 2020 and 2025 and a
//! 2020 deaths baseline for the province, Wuhan and the demo districts, entered as
//! the province's regulator (`sheng_jg`). The figures are invented for the demo
//! and say so in their source.

use super::checks::Enterer;
use super::json::{BaselineInput, DenominatorInput};
use super::service;
use crate::entities::{bureau, user};
use crate::error::AppResult;
use crate::state::AppState;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const SOURCE: &str = "演示数据（非真实统计）";

/// (region, 2020 GDP 亿元, workers, 2020 deaths).
const REGIONS: [(&str, f64, i64, f64); 6] = [
    ("420000", 43_443.0, 5_200_000, 470.0),
    ("420100", 15_616.0, 1_900_000, 160.0),
    ("420103", 1_300.0, 160_000, 6.0),
    ("420111", 1_450.0, 210_000, 9.0),
    ("420115", 1_100.0, 150_000, 8.0),
    ("420202", 210.0, 40_000, 3.0),
];

pub async fn seed(state: &AppState) -> AppResult<()> {
    let db = state.db.conn();
    let Some(u) = user::Entity::find().filter(user::Column::Username.eq("sheng_jg")).one(db).await? else {
        return Ok(());
    };
    let Some(b) = bureau::Entity::find_by_id(u.bureau_id.unwrap_or_default()).one(db).await? else {
        return Ok(());
    };
    let who = Enterer { user_id: u.id, bureau: b };
    state
        .write("system:demo", async |tx| {
            for (region, gdp, workers, deaths) in REGIONS {
                for (year, growth) in [(2020, 1.0), (2025, 1.25)] {
                    let d = DenominatorInput {
                        region_code: region.to_owned(),
                        year,
                        gdp_100m_yuan: Some((gdp * growth).round()),
                        industrial_workers: Some(workers),
                        source: SOURCE.to_owned(),
                    };
                    service::save_denominator(tx, &who, &d).await?;
                }
                let b = BaselineInput {
                    region_code: region.to_owned(),
                    indicator: "accident_deaths".to_owned(),
                    year: 2020,
                    value: deaths,
                    source: SOURCE.to_owned(),
                };
                service::save_baseline(tx, &who, &b).await?;
            }
            Ok(())
        })
        .await
}
