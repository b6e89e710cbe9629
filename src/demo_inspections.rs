//! A demo inspection: the first demo enterprise, a 重点检查 by the two 江汉 inspectors
//! a week from now, created by the district regulator and approved by its approver —
//! through the same use cases as the API, so its 执法文书 numbers are really reserved
//! and the approval queue, the inspector's task list and the enterprise page show it;
//! and a demo double-random draw, committed and executed.

use crate::auth::CurrentUser;
use crate::draw;
use crate::draw::json::{CommitDraw, DrawFilter, ExecuteDraw, Sample};
use crate::entities::{enterprise, user};
use crate::error::{AppError, AppResult};
use crate::inspection::governance::json::CreateInspection;
use crate::inspection::governance::service;
use crate::state::AppState;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

async fn user_id(state: &AppState, username: &str) -> AppResult<i64> {
    let u = user::Entity::find().filter(user::Column::Username.eq(username)).one(state.db.conn()).await?;
    Ok(u.ok_or(AppError::NotFound)?.id)
}

/// A demo double-random draw of a fifth of 江汉's enterprises (in teams of the two 江汉
/// inspectors), committed and executed with a server-held secret, so the draw pages and
/// the public site have a draw to show and verify.
async fn draw(state: &AppState, regulator: &CurrentUser) -> AppResult<()> {
    let req = CommitDraw {
        title: "2026年第四季度双随机抽查（演示数据）".to_owned(),
        filter: DrawFilter::default(),
        sample: Sample::Ratio { ratio: 0.2 },
        team_size: 2,
        strata: None,
        specialty_rule: None,
        weights: None,
        secret: None,
        planned_date: Some(state.clock.today() + chrono::Days::new(14)),
        include_subordinates: false,
        plan_id: None,
        supersedes_id: None,
        redraw_reason: None,
    };
    let d = state.write(regulator.actor(), async |tx| draw::service::commit(tx, regulator, &req).await).await?;
    let run = ExecuteDraw::default();
    state.write(regulator.actor(), async |tx| draw::service::execute(tx, regulator, d.id, &run).await).await?;
    Ok(())
}

/// Records the demo inspection (the demo users' sessions are closed afterwards).
pub async fn seed(state: &AppState) -> AppResult<()> {
    let Some(first) = enterprise::Entity::find().order_by_asc(enterprise::Column::Id).one(state.db.conn()).await?
    else {
        return Ok(());
    };
    let regulator = crate::demo::as_user(state, "jianghan_jg").await?;
    let approver = crate::demo::as_user(state, "jianghan_fzr").await?;
    let req = CreateInspection {
        enterprise_id: first.id,
        kind: crate::inspection::domain::Kind::Planned,
        inspector_ids: vec![user_id(state, "jianghan_zf").await?, user_id(state, "jianghan_zf2").await?],
        expert_ids: vec![user_id(state, "jianghan_zj").await?],
        leader_id: None,
        planned_date: state.clock.today() + chrono::Days::new(7),
        plan_text: "重点检查安全生产责任制落实、重大危险源管控和隐患排查治理情况（演示数据）".to_owned(),
        checklist_hashes: None,
    };
    let i = state.write(regulator.actor(), async |tx| service::create(tx, &regulator, &req).await).await?;
    state.write(approver.actor(), async |tx| service::approve(tx, &approver, i.id).await).await?;
    draw(state, &regulator).await?;
    for u in [&regulator, &approver] {
        crate::auth::service::logout(state, u).await?;
    }
    Ok(())
}
