//! Response types of the draw and building them: the list, the detail with its
//! tasks (paged) and the allowed actions. The server-held secret is never answered:
//! `secret` is the revealed one, present only after execution.

use super::domain::{SecretMode, Status, TaskResult};
use super::policy::{self, Action};
use crate::auth::CurrentUser;
use crate::entities::{bureau, draw, draw_task, enterprise, inspection, user};
use crate::error::AppResult;
use crate::inspection::domain::Status as InspectionStatus;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use std::collections::HashMap;

/// A draw in a list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DrawSummary {
    pub id: i64,
    pub bureau_id: i64,
    pub bureau_name: String,
    pub title: String,
    pub status: Status,
    pub planned_date: chrono::NaiveDate,
    pub enterprise_count: i32,
    pub inspector_count: i32,
    pub sample_count: i32,
    pub unstaffed_count: i32,
    pub committed_at: chrono::DateTime<chrono::Utc>,
    pub executed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub supersedes_id: Option<i64>,
    pub superseded_by_id: Option<i64>,
}

/// A team member of a task.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = DrawTeamMember)]
pub struct Member {
    pub user_id: i64,
    pub display_name: String,
    pub certificate_no: String,
}

/// A drawn task.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DrawTaskView {
    pub seq: i32,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub credit_code: String,
    /// In pick order; the first leads. Empty: unstaffed.
    pub team: Vec<Member>,
    pub inspection_id: Option<i64>,
    pub inspection_status: Option<InspectionStatus>,
    pub result: Option<TaskResult>,
}

/// A draw with its hashes, counts, allowed actions and a page of its tasks.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DrawResponse {
    #[serde(flatten)]
    pub summary: DrawSummary,
    pub include_subordinates: bool,
    pub redraw_reason: Option<String>,
    pub algorithm: String,
    pub pool_hash: String,
    pub enterprises_hash: String,
    pub inspectors_hash: String,
    pub exclusions_hash: String,
    pub parameters_hash: String,
    pub commitment: String,
    pub secret_mode: SecretMode,
    /// The secret, once revealed at execution (never before).
    pub secret: Option<String>,
    pub public_entropy: Option<String>,
    pub seed: Option<String>,
    pub ineligible_count: usize,
    pub allowed_actions: Vec<Action>,
    pub tasks: Vec<DrawTaskView>,
    pub tasks_total: u64,
}

async fn bureau_names<C: ConnectionTrait>(db: &C, ids: Vec<i64>) -> AppResult<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = bureau::Entity::find()
        .select_only()
        .columns([bureau::Column::Id, bureau::Column::Name])
        .filter(bureau::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

fn summary(d: &draw::Model, names: &HashMap<i64, String>) -> DrawSummary {
    DrawSummary {
        id: d.id,
        bureau_id: d.bureau_id,
        bureau_name: names.get(&d.bureau_id).cloned().unwrap_or_default(),
        title: d.title.clone(),
        status: d.status,
        planned_date: d.planned_date,
        enterprise_count: d.enterprise_count,
        inspector_count: d.inspector_count,
        sample_count: d.sample_count,
        unstaffed_count: d.unstaffed_count,
        committed_at: d.committed_at,
        executed_at: d.executed_at,
        supersedes_id: d.supersedes_id,
        superseded_by_id: d.superseded_by_id,
    }
}

/// The draws the user sees, newest first, one page.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    (offset, limit): (u64, u64),
) -> AppResult<(Vec<DrawSummary>, u64)> {
    if !user.is_bureau_user() {
        return Ok((Vec::new(), 0));
    }
    let q = crate::scope::scoped(draw::Entity::find(), &user.scope);
    let total = q.clone().count(db).await?;
    let rows = q.order_by_desc(draw::Column::Id).offset(offset).limit(limit).all(db).await?;
    let names = bureau_names(db, rows.iter().map(|d| d.bureau_id).collect()).await?;
    Ok((rows.iter().map(|d| summary(d, &names)).collect(), total))
}

async fn task_views<C: ConnectionTrait>(db: &C, rows: Vec<draw_task::Model>) -> AppResult<Vec<DrawTaskView>> {
    let eids: Vec<i64> = rows.iter().map(|t| t.enterprise_id).collect();
    let names: HashMap<i64, String> = enterprise::Entity::find()
        .select_only()
        .columns([enterprise::Column::Id, enterprise::Column::Name])
        .filter(enterprise::Column::Id.is_in(eids))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let teams: Vec<Vec<i64>> =
        rows.iter().map(|t| serde_json::from_str(&t.inspector_ids).unwrap_or_default()).collect();
    let uids: Vec<i64> = teams.iter().flatten().copied().collect();
    let people: HashMap<i64, String> = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::DisplayName])
        .filter(user::Column::Id.is_in(uids))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let iids: Vec<i64> = rows.iter().filter_map(|t| t.inspection_id).collect();
    let statuses: HashMap<i64, InspectionStatus> = inspection::Entity::find()
        .select_only()
        .columns([inspection::Column::Id, inspection::Column::Status])
        .filter(inspection::Column::Id.is_in(iids))
        .into_tuple::<(i64, InspectionStatus)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .zip(teams)
        .map(|(t, ids)| {
            let certs: Vec<String> = serde_json::from_str(&t.certificate_nos).unwrap_or_default();
            DrawTaskView {
                seq: t.seq,
                enterprise_name: names.get(&t.enterprise_id).cloned().unwrap_or_default(),
                team: ids
                    .iter()
                    .zip(certs)
                    .map(|(id, c)| Member {
                        user_id: *id,
                        display_name: people.get(id).cloned().unwrap_or_default(),
                        certificate_no: c,
                    })
                    .collect(),
                inspection_status: t.inspection_id.and_then(|i| statuses.get(&i).copied()),
                enterprise_id: t.enterprise_id,
                credit_code: t.credit_code,
                inspection_id: t.inspection_id,
                result: t.result,
            }
        })
        .collect())
}

/// The detail of a draw the user sees, with one page of its tasks.
pub async fn detail<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    d: draw::Model,
    (offset, limit): (u64, u64),
) -> AppResult<DrawResponse> {
    let (actor, record) = super::service::judge(db, user, &d).await?;
    let q = draw_task::Entity::find().filter(draw_task::Column::DrawId.eq(d.id));
    let tasks_total = q.clone().count(db).await?;
    let rows = q.order_by_asc(draw_task::Column::Seq).offset(offset).limit(limit).all(db).await?;
    let names = bureau_names(db, vec![d.bureau_id]).await?;
    let ineligible_count = super::pool_store::head(db, d.id).await?.ineligible.len();
    Ok(DrawResponse {
        summary: summary(&d, &names),
        allowed_actions: policy::available(&actor, record),
        tasks: task_views(db, rows).await?,
        tasks_total,
        ineligible_count,
        include_subordinates: d.include_subordinates,
        redraw_reason: d.redraw_reason,
        algorithm: d.algorithm,
        pool_hash: d.pool_hash,
        enterprises_hash: d.enterprises_hash,
        inspectors_hash: d.inspectors_hash,
        exclusions_hash: d.exclusions_hash,
        parameters_hash: d.parameters_hash,
        commitment: d.commitment,
        secret_mode: d.secret_mode,
        secret: d.secret,
        public_entropy: d.public_entropy,
        seed: d.seed,
    })
}
