//! Publication of the drawn tasks' results (一公开, part two): the deadline, the
//! publication itself, and the job that flags late ones.
//!
//! Decisions where the issue is silent:
//! - the deadline counts working days (holiday calendar with 调休, `src/calendar/`)
//!   from the Beijing date the result was recorded; the number is data
//!   (`data/draw-publication.toml`, 未核实 for the exact national wording);
//! - `POST /api/v1/draws/{id}/publish` by a regulator of the drawing bureau publishes
//!   every task with a result not yet published and answers those publications;
//! - a publication freezes what the public site shows: the category, the
//!   enterprise's name and credit code, the bureau and the dates — never a person or
//!   a note. Publishing a corrected result adds a publication superseding the earlier
//!   one; the public site shows the latest with 更正 and nothing changes silently;
//! - the late job adds one to-do per task result (`draw_publish_late:{task}:{result day}`)
//!   for the drawing bureau's regulators, due on the deadline; publishing closes it.

use super::results::is_drawing_regulator;
use crate::audit::{Audited, Pending, canonical};
use crate::auth::{CurrentUser, Role};
use crate::calendar::Calendar;
use crate::clock::china_date;
use crate::entities::{draw, draw_publication as publication, draw_task, enterprise, todo};
use crate::error::{AppError, AppResult};
use crate::write::Tx;
use chrono::NaiveDate;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::LazyLock;

/// The publication rule (`data/draw-publication.toml`).
#[derive(Debug, Clone, Deserialize)]
pub struct Rule {
    pub working_days: u32,
    /// Whether the national wording has been checked.
    pub verified: bool,
    pub basis: String,
}

pub const SHIPPED: &str = include_str!("../../data/draw-publication.toml");

static RULE: LazyLock<Rule> = LazyLock::new(|| {
    toml::from_str(SHIPPED).unwrap_or_else(|e| {
        tracing::error!(error = %e, "data/draw-publication.toml does not load; 20 working days assumed");
        Rule { working_days: 20, verified: false, basis: String::new() }
    })
});

pub fn rule() -> &'static Rule {
    &RULE
}

/// The last day to publish a result recorded on `result_on`.
pub fn deadline(cal: &Calendar, result_on: NaiveDate) -> NaiveDate {
    cal.add_working_days(result_on, rule().working_days).date
}

/// The deadline of a task's unpublished result, if it has one.
pub fn task_deadline(cal: &Calendar, t: &draw_task::Model) -> Option<NaiveDate> {
    t.result_at.map(|at| deadline(cal, china_date(at)))
}

impl Audited for publication::Model {
    const ENTITY: &'static str = "draw_publication";
    const PAYLOAD_VERSION: i32 = 1;
    fn entity_id(&self) -> String {
        self.id.to_string()
    }
    fn payload(&self) -> Value {
        json!({"id": self.id, "draw_id": self.draw_id, "task_id": self.task_id, "bureau_id": self.bureau_id,
            "enterprise_id": self.enterprise_id, "enterprise_name": self.enterprise_name,
            "credit_code": self.credit_code, "result": self.result, "result_on": self.result_on.to_string(),
            "published_on": self.published_on.to_string(), "published_at": canonical::time(self.published_at),
            "published_by": self.published_by, "supersedes_id": self.supersedes_id,
            "superseded_by_id": self.superseded_by_id})
    }
}

fn late_key(t: &draw_task::Model) -> Option<String> {
    t.result_at.map(|at| format!("draw_publish_late:{}:{}", t.id, china_date(at)))
}

/// Publishes one task's result: a new publication superseding the task's current one.
async fn publish_task(
    tx: &Tx,
    user: &CurrentUser,
    d: &draw::Model,
    t: draw_task::Model,
) -> AppResult<Option<publication::Model>> {
    let (Some(result), Some(result_at)) = (t.result, t.result_at) else { return Ok(None) };
    let e = enterprise::Entity::find_by_id(t.enterprise_id).one(tx).await?.ok_or(AppError::NotFound)?;
    let current = publication::Entity::find()
        .filter(publication::Column::TaskId.eq(t.id))
        .filter(publication::Column::SupersededById.is_null())
        .one(tx)
        .await?;
    let row = publication::ActiveModel {
        draw_id: Set(d.id),
        task_id: Set(t.id),
        bureau_id: Set(d.bureau_id),
        enterprise_id: Set(e.id),
        enterprise_name: Set(e.name.clone()),
        credit_code: Set(t.credit_code.clone()),
        result: Set(result),
        result_on: Set(china_date(result_at)),
        published_on: Set(china_date(tx.now())),
        published_at: Set(tx.now()),
        published_by: Set(user.id),
        supersedes_id: Set(current.as_ref().map(|c| c.id)),
        superseded_by_id: Set(None),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    let mut audit = vec![Pending::of(tx.ctx(), "publish", &row)];
    if let Some(c) = current {
        let mut m: publication::ActiveModel = c.into();
        m.superseded_by_id = Set(Some(row.id));
        let old = m.update(tx).await?;
        audit.push(Pending::of(tx.ctx(), "supersede", &old));
    }
    let key = late_key(&t);
    let version = t.version;
    let mut m: draw_task::ActiveModel = t.into();
    m.published_at = Set(Some(tx.now()));
    m.published_by = Set(Some(user.id));
    m.version = Set(version + 1);
    m.updated_at = Set(tx.now());
    let saved = m.update(tx).await?;
    audit.push(Pending::of(tx.ctx(), "publish", &saved));
    crate::audit::append(tx, tx.ctx(), audit).await?;
    if let Some(key) = key {
        close_late(tx, &key).await?;
    }
    Ok(Some(row))
}

async fn close_late(tx: &Tx, key: &str) -> AppResult<()> {
    todo::Entity::update_many()
        .col_expr(todo::Column::DoneAt, Expr::value(tx.now()))
        .filter(todo::Column::DedupeKey.eq(key))
        .filter(todo::Column::DoneAt.is_null())
        .exec(tx)
        .await?;
    Ok(())
}

/// Publishes every task of the draw with a result not yet published.
pub async fn publish(tx: &Tx, user: &CurrentUser, draw_id: i64) -> AppResult<Vec<publication::Model>> {
    user.require_any(&[Role::Regulator])?;
    let d = super::service::get_visible(tx, user, draw_id).await?;
    if !is_drawing_regulator(user, &d) {
        return Err(AppError::ForbiddenBecause("只有抽取单位的监管人员可以公开抽查结果".into()));
    }
    let pending = draw_task::Entity::find()
        .filter(draw_task::Column::DrawId.eq(d.id))
        .filter(draw_task::Column::Result.is_not_null())
        .filter(draw_task::Column::PublishedAt.is_null())
        .order_by_asc(draw_task::Column::Seq)
        .all(tx)
        .await?;
    if pending.is_empty() {
        return Err(AppError::conflict("nothing_to_publish", "没有待公开的抽查结果"));
    }
    let mut out = Vec::with_capacity(pending.len());
    for t in pending {
        if let Some(p) = publish_task(tx, user, &d, t).await? {
            out.push(p);
        }
    }
    Ok(out)
}

/// What the late job did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct LateReport {
    /// Unpublished results past their deadline seen by this run.
    pub late: usize,
}

/// Flags every unpublished result past its deadline to the drawing bureau's
/// regulators, once per task result (the to-do's key); idempotent.
pub async fn flag_late<C: ConnectionTrait>(db: &C, at: chrono::DateTime<chrono::Utc>) -> AppResult<LateReport> {
    let today = china_date(at);
    let cal = crate::calendar::load(db).await?;
    let pending = draw_task::Entity::find()
        .filter(draw_task::Column::Result.is_not_null())
        .filter(draw_task::Column::PublishedAt.is_null())
        .all(db)
        .await?;
    let mut report = LateReport::default();
    let mut ids: Vec<i64> = pending.iter().map(|t| t.draw_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut bureaus = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let rows = draw::Entity::find().filter(draw::Column::Id.is_in(chunk.to_vec())).all(db).await?;
        bureaus.extend(rows.into_iter().map(|d| (d.id, d.bureau_id)));
    }
    for t in pending {
        let (Some(due), Some(key)) = (task_deadline(&cal, &t), late_key(&t)) else { continue };
        if due >= today {
            continue;
        }
        report.late += 1;
        let Some(bureau) = bureaus.get(&t.draw_id).copied() else { continue };
        let item = crate::todo::NewTodo {
            assignee: crate::todo::Assignee::BureauRole(bureau, Role::Regulator),
            kind: "draw_publish_late",
            title: format!("双随机抽查结果逾期未公开（应于 {due} 前公开）"),
            link: format!("/draws/{}/results", t.draw_id),
            dedupe_key: key.clone(),
        };
        crate::todo::add(db, at, item).await?;
        crate::todo::set_due(db, vec![key], Some(due)).await?;
    }
    Ok(report)
}
