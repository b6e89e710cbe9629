//! Demo hazards for the demo province: a self-found general hazard of the
//! first enterprise, a major hazard confirmed, assigned and now overdue, and a
//! tip-off awaiting 核查, and the last quarter's statistics submitted — recorded through the same services as the API, as
//! the demo users, so the ledger, the 一单 and the to-dos have something in them.

use crate::entities::enterprise;
use crate::error::{AppError, AppResult};
use crate::hazard::domain::Action;
use crate::hazard::json::{ActionRequest, Assignment, CreateHazardRequest};
use crate::state::AppState;
use crate::{hazard, statistics};
use chrono::Duration;
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::json;

fn report(
    enterprise_id: i64,
    source: &str,
    level: &str,
    title: &str,
    days_ago: i64,
    state: &AppState,
) -> AppResult<CreateHazardRequest> {
    let found = state.clock.now() - Duration::days(days_ago);
    let body = json!({"enterprise_id": enterprise_id, "source": source, "level": level, "category": "unsafe_condition",
        "title": title, "description": format!("{title}（演示数据）"), "location": "厂区", "found_at": found,
        "deadline": (state.clock.today() + Duration::days(10))});
    serde_json::from_value(body).map_err(|e| AppError::Internal(e.into()))
}

/// The demo's 交办: ten days ago, by the district, its deadline three days past.
fn demo_assignment(unit: &str, state: &AppState) -> Assignment {
    Assignment {
        assigned_on: Some(state.clock.today() - Duration::days(10)),
        assigning_body: Some("江汉区安委办".to_owned()),
        responsible_unit: unit.to_owned(),
        responsible_person: "主要负责人".to_owned(),
        cooperating_units: vec!["江汉区住建局".to_owned()],
        supervision_level: "county".to_owned(),
        notice_no: Some("江应急督〔2026〕1号".to_owned()),
        deadline: Some(state.clock.today() - Duration::days(3)),
        ..Assignment::default()
    }
}

/// Records the demo hazards (the demo users' sessions are closed afterwards).
pub async fn seed(state: &AppState) -> AppResult<()> {
    let Some(first) = enterprise::Entity::find().order_by_asc(enterprise::Column::Id).one(state.db.conn()).await?
    else {
        return Ok(());
    };
    let officer = crate::demo::as_user(state, "qy_aqy").await?;
    let regulator = crate::demo::as_user(state, "jianghan_jg").await?;
    let general = report(first.id, "self_check", "general", "配电室门口堆放杂物", 2, state)?;
    let major = report(first.id, "self_check", "major", "储罐区可燃气体报警器失效", 20, state)?;
    let major = state
        .write(officer.actor(), async |tx| {
            hazard::service::create(tx, &officer, &general).await?;
            Ok::<_, AppError>(hazard::service::create(tx, &officer, &major).await?.0)
        })
        .await?;
    let confirm = ActionRequest::default();
    state
        .write(regulator.actor(), async |tx| {
            hazard::actions::act(tx, &regulator, major.id, Action::Confirm, &confirm).await
        })
        .await?;
    let assign = ActionRequest { assignment: Some(demo_assignment(&first.name, state)), ..ActionRequest::default() };
    state
        .write(regulator.actor(), async |tx| {
            hazard::actions::act(tx, &regulator, major.id, Action::Assign, &assign).await
        })
        .await?;
    let mut tip = report(first.id, "tip_off", "general", "夜间违规动火作业", 1, state)?;
    tip.source_ref = Some("12350-演示-0001".to_owned());
    state.write(regulator.actor(), async |tx| hazard::service::create(tx, &regulator, &tip).await).await?;
    // The last quarter's statistics, generated, signed by the principal and submitted.
    let principal = crate::demo::as_user(state, "qy_fzr").await?;
    let quarter = crate::statistics::period::Period::quarter_of(state.clock.today()).previous().to_string();
    let analysis = Some("本季度开展综合检查和专项检查，发现隐患已按期整改（演示数据）");
    let r = state
        .write(officer.actor(), async |tx| {
            statistics::service::generate(tx, &officer, Some(first.id), &quarter, analysis, None).await
        })
        .await?;
    let confirm = statistics::json::ReportAction::Confirm;
    state
        .write(principal.actor(), async |tx| statistics::service::act(tx, &principal, r.id, confirm, None, None).await)
        .await?;
    let submit = statistics::json::ReportAction::Submit;
    state
        .write(officer.actor(), async |tx| statistics::service::act(tx, &officer, r.id, submit, None, None).await)
        .await?;
    for u in [&officer, &regulator, &principal] {
        crate::auth::service::logout(state, u).await?;
    }
    Ok(())
}
