//! Demo risk points and grades: the first enterprise (the demo enterprise users')
//! records five points of every colour through the same service as the API, as its
//! safety officer; the regulator records one or two points for about half of the
//! other enterprises, so the register and 风险分布 show every colour; then the day's
//! grading runs.

use crate::entities::enterprise;
use crate::error::{AppError, AppResult};
use crate::risk::json::RiskPointBody;
use crate::state::AppState;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

/// The demo points: name, location, hazard factors, (L, E, C), owning level.
const POINTS: [(&str, &str, &str, [f64; 3], &str); 5] = [
    ("液氯储罐区", "东厂区 3 号罐组", "有毒气体泄漏、中毒窒息", [6.0, 6.0, 15.0], "company"),
    ("氯化反应釜", "一车间二楼", "反应失控、超温超压、火灾爆炸", [3.0, 6.0, 15.0], "workshop"),
    ("装卸站台", "北门装卸区", "槽车泄漏、静电火花", [3.0, 6.0, 7.0], "workshop"),
    ("配电室", "综合楼一层", "触电、电气火灾", [3.0, 3.0, 7.0], "team"),
    ("叉车作业", "成品仓库", "车辆伤害", [1.0, 6.0, 3.0], "post"),
];

fn body(point: &(&str, &str, &str, [f64; 3], &str)) -> AppResult<RiskPointBody> {
    let (name, location, factors, [likelihood, exposure, consequence], owning) = *point;
    let value = json!({"name": name, "location": location, "hazard_factors": factors, "method": "lec",
        "l": likelihood, "e": exposure, "c": consequence, "owning_level": owning, "responsible_person": "张安全", "control_measures": "定期巡检，持证上岗，设置警示标识",
        "emergency_measures": "立即停止作业，疏散人员，报告值班领导并拨打 119/120"});
    serde_json::from_value(value).map_err(|e| AppError::Internal(e.into()))
}

/// Seeds the points and grades the register.
pub async fn seed(state: &AppState) -> AppResult<()> {
    let officer = crate::demo::as_user(state, "qy_aqy").await?;
    let regulator = crate::demo::as_user(state, "jianghan_jg").await?;
    let Some(own) = officer.enterprise_ids.first().copied() else { return Ok(()) };
    for p in &POINTS {
        let b = body(p)?;
        state.write(officer.actor(), async |tx| crate::risk::service::create(tx, &officer, own, &b).await).await?;
    }
    let others: Vec<i64> = crate::enterprise::service::scoped(enterprise::Entity::find(), &regulator.scope)
        .select_only()
        .column(enterprise::Column::Id)
        .filter(enterprise::Column::Id.ne(own))
        .order_by_asc(enterprise::Column::Id)
        .into_tuple()
        .all(state.db.conn())
        .await?;
    for (i, id) in others.iter().enumerate().filter(|(i, _)| i % 2 == 0) {
        let b = body(&POINTS[i / 2 % POINTS.len()])?;
        state.write(regulator.actor(), async |tx| crate::risk::service::create(tx, &regulator, *id, &b).await).await?;
    }
    state
        .write("system:demo".to_owned(), async |tx| crate::grading::compute::run(tx, tx.now(), None, "demo").await)
        .await?;
    for u in [&officer, &regulator] {
        crate::auth::service::logout(state, u).await?;
    }
    Ok(())
}
