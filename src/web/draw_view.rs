//! What the draw's page shows, read from the stored draw: the frozen pool's
//! parameters and ineligible list (from the stored pool), and the drawn tasks with the
//! enterprise's name, the team's names (leader first, as drawn), the certificate
//! numbers and the inspection each task became, with its status and reserved
//! document numbers.
//!
//! Decisions: the tasks are shown a page of [`TASKS_PER_PAGE`] at a time and the
//! ineligible list is capped at [`INELIGIBLE_SHOWN`] (a bureau-sized draw has
//! thousands); the names are read in one query per table for the page shown, never
//! per row. A name that cannot be found (a deleted account) shows as 未知.

use crate::draw::domain::Ineligible;

use crate::entities::{draw, draw_task, enterprise, inspection, inspection_document, user};
use crate::error::AppResult;
use crate::inspection::domain::Status as InspectionStatus;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

pub const TASKS_PER_PAGE: u64 = 100;
pub const INELIGIBLE_SHOWN: usize = 200;

/// One stratum as the page shows it.
pub struct StratumRow {
    pub label: String,
    pub size: u32,
    pub count: u32,
}

/// An enterprise left out of the pool, with its reason in Chinese.
pub struct IneligibleRow {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub reason: &'static str,
}

/// What was frozen at commitment.
pub struct Pool {
    pub team_size: u32,
    pub weighted: bool,
    pub specialty_rule: String,
    pub strata: Vec<StratumRow>,
    pub ineligible: Vec<IneligibleRow>,
    pub ineligible_total: usize,
}

/// A stratum key (`hazardous_chemicals/key`, `all`) in Chinese.
pub fn stratum_label(key: &str) -> String {
    if key == "all" {
        return "全部（不分层）".to_owned();
    }
    key.split('/')
        .map(|part| {
            let class = || {
                let caps = crate::inspection::governance::cap::caps();
                caps.named(part).map_or_else(|| part.to_owned(), |c| c.name.clone())
            };
            part.parse::<crate::enterprise::domain::Sector>().map_or_else(|_| class(), |s| s.zh().to_owned())
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

pub async fn pool<C: ConnectionTrait>(db: &C, d: &draw::Model) -> AppResult<Pool> {
    let shown = crate::draw::pool_store::head(db, d.id).await?;
    let p = shown.parameters;
    let strata =
        p.strata.iter().map(|s| StratumRow { label: stratum_label(&s.key), size: s.size, count: s.count }).collect();
    let ineligible_total = shown.ineligible.len();
    let first: Vec<_> = shown.ineligible.into_iter().take(INELIGIBLE_SHOWN).collect();
    let names = enterprise_names(db, first.iter().map(|i| i.id).collect()).await?;
    let ineligible = first
        .into_iter()
        .map(|i| IneligibleRow {
            name: names.get(&i.id).cloned().unwrap_or_else(|| "未知".to_owned()),
            reason: i.reason.parse::<Ineligible>().map_or("其他原因", Ineligible::zh),
            id: i.id,
            credit_code: i.credit_code,
        })
        .collect();
    let specialty_rule = p
        .specialty_rule
        .parse::<crate::draw::domain::SpecialtyRule>()
        .map_or_else(|_| "未知".to_owned(), |r| r.zh().to_owned());
    Ok(Pool { team_size: p.team_size, weighted: p.weighted, specialty_rule, strata, ineligible, ineligible_total })
}

/// A team member as shown.
pub struct Member {
    pub name: String,
    pub certificate_no: String,
    pub leader: bool,
}

/// One drawn task as shown.
pub struct TaskRow {
    pub seq: i32,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub credit_code: String,
    pub team: Vec<Member>,
    pub inspection_id: Option<i64>,
    pub status: Option<InspectionStatus>,
    pub documents: Vec<String>,
}

impl TaskRow {
    pub fn unstaffed(&self) -> bool {
        self.team.is_empty()
    }
}

pub async fn task_count<C: ConnectionTrait>(db: &C, draw_id: i64) -> AppResult<u64> {
    Ok(draw_task::Entity::find().filter(draw_task::Column::DrawId.eq(draw_id)).count(db).await?)
}

/// One page (1-based) of the draw's tasks, and how many there are.
pub async fn tasks<C: ConnectionTrait>(db: &C, draw_id: i64, page: u64) -> AppResult<(Vec<TaskRow>, u64)> {
    let total = task_count(db, draw_id).await?;
    let rows = draw_task::Entity::find()
        .filter(draw_task::Column::DrawId.eq(draw_id))
        .order_by_asc(draw_task::Column::Seq)
        .offset((page - 1) * TASKS_PER_PAGE)
        .limit(TASKS_PER_PAGE)
        .all(db)
        .await?;
    let teams: Vec<(Vec<String>, Vec<i64>)> = rows
        .iter()
        .map(|t| {
            let certs = serde_json::from_str(&t.certificate_nos).unwrap_or_default();
            (certs, serde_json::from_str(&t.inspector_ids).unwrap_or_default())
        })
        .collect();
    let enterprises = enterprise_names(db, rows.iter().map(|t| t.enterprise_id).collect()).await?;
    let people = user_names(db, teams.iter().flat_map(|t| t.1.iter().copied()).collect()).await?;
    let inspection_ids: Vec<i64> = rows.iter().filter_map(|t| t.inspection_id).collect();
    let (statuses, documents) = inspections(db, inspection_ids).await?;
    let out = rows
        .into_iter()
        .zip(teams)
        .map(|(t, (certs, ids))| TaskRow {
            seq: t.seq + 1,
            enterprise_name: enterprises.get(&t.enterprise_id).cloned().unwrap_or_else(|| "未知".to_owned()),
            enterprise_id: t.enterprise_id,
            credit_code: t.credit_code,
            team: ids
                .iter()
                .zip(certs)
                .enumerate()
                .map(|(n, (id, c))| Member {
                    name: people.get(id).cloned().unwrap_or_else(|| "未知".to_owned()),
                    certificate_no: c,
                    leader: n == 0,
                })
                .collect(),
            status: t.inspection_id.and_then(|i| statuses.get(&i).copied()),
            documents: t.inspection_id.and_then(|i| documents.get(&i).cloned()).unwrap_or_default(),
            inspection_id: t.inspection_id,
        })
        .collect();
    Ok((out, total))
}

async fn enterprise_names<C: ConnectionTrait>(db: &C, ids: Vec<i64>) -> AppResult<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = enterprise::Entity::find()
        .select_only()
        .columns([enterprise::Column::Id, enterprise::Column::Name])
        .filter(enterprise::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

async fn user_names<C: ConnectionTrait>(db: &C, ids: Vec<i64>) -> AppResult<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::DisplayName])
        .filter(user::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

type Statuses = HashMap<i64, InspectionStatus>;
type Numbers = HashMap<i64, Vec<String>>;

async fn inspections<C: ConnectionTrait>(db: &C, ids: Vec<i64>) -> AppResult<(Statuses, Numbers)> {
    let rows: Vec<(i64, InspectionStatus)> = inspection::Entity::find()
        .select_only()
        .columns([inspection::Column::Id, inspection::Column::Status])
        .filter(inspection::Column::Id.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let docs = inspection_document::Entity::find()
        .filter(inspection_document::Column::InspectionId.is_in(ids))
        .order_by_asc(inspection_document::Column::Id)
        .all(db)
        .await?;
    let mut numbers: Numbers = HashMap::new();
    for d in docs {
        numbers.entry(d.inspection_id).or_default().push(format!("{}：{}", d.kind.zh(), d.number));
    }
    Ok((rows.into_iter().collect(), numbers))
}
