//! Dispatching an executed draw: one `draw_tasks` row per drawn enterprise, and for
//! every staffed task a `double_random` inspection pending approval with its team —
//! all in bulk, in the execution's transaction.
//!
//! Decisions where the issue is silent:
//! - The inspection is planned for the draw's planned date, its plan text is
//!   `双随机抽查：{title}`, it pins the checklists in force for its enterprise as a
//!   created inspection does (loaded once per supervising bureau and computed per
//!   enterprise in memory), and is flagged over the cap when the enterprise's cap
//!   was reached since the commitment (the approver then decides, as for any other).
//! - The first member picked leads the team; members carry their certificate numbers.
//! - Document numbers come with the approval (the inspections' own flow).
//! - Rows are inserted with [`crate::db::bulk`] (a statement per 30,000 values, no
//!   query tree per value). Every column with a value is given and the
//!   others are NULL by the schema, so the rows built in memory are the rows stored:
//!   only their ids come back, from the insert's `RETURNING` (paired by enterprise for
//!   the inspections — one per enterprise in a draw — and by `seq` for the tasks), and
//!   the audit entries are made from them. Only the columns dispatch needs are read of the
//!   drawn enterprises; one full row per supervising bureau finds its checklists.

use super::proof::{Enterprise, Frozen, Inspector};
use super::sampler::Drawn;
use crate::audit::{Audited, Pending, canonical};
use crate::auth::CurrentUser;
use crate::checklist::model::Checklist;
use crate::enterprise::domain::Sector;
use crate::entities::{draw, draw_task, enterprise, inspection};
use crate::error::AppResult;
use crate::inspection::domain::{Kind, MemberRole, Status};
use crate::inspection::governance::{cap, json::PinnedChecklist};
use crate::write::Tx;
use chrono::Datelike;
use sea_orm::Value as DbValue;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What dispatching reads of a drawn enterprise (its pinned checklists and its cap).
struct Target {
    bureau_id: i64,
    sector: Sector,
    sub_types: String,
    special_topics: String,
    class: Option<String>,
}

type TargetRow = (i64, i64, Sector, String, String, Option<String>);

async fn targets<C: ConnectionTrait>(db: &C, ids: &[i64]) -> AppResult<HashMap<i64, Target>> {
    use enterprise::Column as E;
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(5_000) {
        let rows: Vec<TargetRow> = enterprise::Entity::find()
            .select_only()
            .columns([E::Id, E::SupervisingBureauId, E::Sector, E::SubTypes, E::SpecialTopics, E::SupervisionClass])
            .filter(E::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows.into_iter().map(|(id, bureau_id, sector, sub_types, special_topics, class)| {
            (id, Target { bureau_id, sector, sub_types, special_topics, class })
        }));
    }
    Ok(out)
}

/// The checklists of each supervising bureau (national ones first), loaded once per bureau.
async fn lists_by_bureau<C: ConnectionTrait>(
    db: &C,
    ts: &HashMap<i64, Target>,
) -> AppResult<HashMap<i64, Vec<(Arc<Checklist>, String)>>> {
    let mut one_of: HashMap<i64, i64> = HashMap::new();
    for (id, t) in ts {
        one_of.entry(t.bureau_id).and_modify(|e| *e = (*e).min(*id)).or_insert(*id);
    }
    let mut out = HashMap::with_capacity(one_of.len());
    for (bureau, id) in one_of {
        let e = enterprise::Entity::find_by_id(id).one(db).await?.ok_or(crate::error::AppError::NotFound)?;
        out.insert(bureau, crate::checklist::bureau_lists(db, &e).await?);
    }
    Ok(out)
}

/// The pinned checklists of each enterprise as JSON, computed once per distinct
/// (bureau, sector, sub-types, topics).
async fn pinned<C: ConnectionTrait>(db: &C, ts: &HashMap<i64, Target>) -> AppResult<HashMap<i64, String>> {
    let lists = lists_by_bureau(db, ts).await?;
    let mut memo: HashMap<(i64, Sector, &str, &str), String> = HashMap::new();
    let mut out = HashMap::with_capacity(ts.len());
    for (id, t) in ts {
        let key = (t.bureau_id, t.sector, t.sub_types.as_str(), t.special_topics.as_str());
        if let Some(text) = memo.get(&key) {
            out.insert(*id, text.clone());
            continue;
        }
        let mut all: Vec<(&Checklist, &str)> = crate::checklist::national().collect();
        all.extend(lists[&t.bureau_id].iter().map(|(c, h)| (c.as_ref(), h.as_str())));
        let mut pins: Vec<PinnedChecklist> = Vec::new();
        for item in crate::checklist::model::applicable_to(all, t.sector, &t.sub_types, &t.special_topics) {
            match pins.iter_mut().find(|p| p.hash == item.checklist_hash) {
                Some(p) => p.items += 1,
                None => pins.push(PinnedChecklist {
                    checklist_id: item.checklist_id,
                    title: item.checklist_title,
                    version: item.checklist_version,
                    hash: item.checklist_hash,
                    items: 1,
                }),
            }
        }
        let text = serde_json::to_string(&pins).map_err(anyhow::Error::from)?;
        memo.insert(key, text.clone());
        out.insert(*id, text);
    }
    Ok(out)
}

/// Which of the enterprises have reached their cap in `year` (one grouped query per chunk).
async fn full<C: ConnectionTrait>(db: &C, ts: &HashMap<i64, Target>, year: i32) -> AppResult<HashSet<i64>> {
    let ids: Vec<i64> = ts.keys().copied().collect();
    let mut out = HashSet::new();
    for chunk in ids.chunks(5_000) {
        let cond = sea_orm::Condition::all().add(enterprise::Column::Id.is_in(chunk.iter().copied()));
        for (id, n) in super::pools::counted_in_year(db, cond, year).await? {
            let class = ts.get(&id).and_then(|t| cap::caps().class_by_code(t.class.as_deref()));
            if class.is_some_and(|c| n >= i64::from(c.yearly_cap)) {
                out.insert(id);
            }
        }
    }
    Ok(out)
}

/// Inserts rows (`columns.len()` values each) and answers each row's id by its `key`
/// column, read from the insert's own `RETURNING` (no second query, no scan).
async fn insert_returning<K>(
    tx: &Tx,
    table: &str,
    columns: &[&str],
    values: Vec<DbValue>,
    key: &str,
) -> AppResult<HashMap<K, i64>>
where
    K: sea_orm::TryGetable + Eq + std::hash::Hash,
{
    let rows = crate::db::bulk::insert(tx, table, columns, values, &["id", key]).await?;
    let mut out = HashMap::with_capacity(rows.len());
    for row in rows {
        out.insert(row.try_get::<K>("", key)?, row.try_get::<i64>("", "id")?);
    }
    Ok(out)
}

/// The columns of a new inspection with a value (the others are NULL by the schema, as
/// they are in the rows built here).
const INSPECTION_COLUMNS: [&str; 14] = [
    "bureau_id",
    "enterprise_id",
    "kind",
    "status",
    "planned_date",
    "plan_text",
    "checklists",
    "draw_id",
    "counts_against_cap",
    "over_cap",
    "created_by",
    "created_at",
    "version",
    "updated_at",
];

fn push_inspection(v: &mut Vec<DbValue>, m: &inspection::Model) {
    v.extend([
        m.bureau_id.into(),
        m.enterprise_id.into(),
        m.kind.into(),
        m.status.into(),
        m.planned_date.into(),
        m.plan_text.clone().into(),
        m.checklists.clone().into(),
        m.draw_id.into(),
        m.counts_against_cap.into(),
        m.over_cap.into(),
        m.created_by.into(),
        m.created_at.into(),
        m.version.into(),
        m.updated_at.into(),
    ]);
}

const TASK_COLUMNS: [&str; 9] = [
    "draw_id",
    "seq",
    "enterprise_id",
    "credit_code",
    "certificate_nos",
    "inspector_ids",
    "inspection_id",
    "version",
    "updated_at",
];

fn push_task(v: &mut Vec<DbValue>, m: &draw_task::Model) {
    v.extend([
        m.draw_id.into(),
        m.seq.into(),
        m.enterprise_id.into(),
        m.credit_code.clone().into(),
        m.certificate_nos.clone().into(),
        m.inspector_ids.clone().into(),
        m.inspection_id.into(),
        m.version.into(),
        m.updated_at.into(),
    ]);
}

const MEMBER_COLUMNS: [&str; 4] = ["inspection_id", "user_id", "role", "certificate_no"];

/// The draw's inspections, one per staffed enterprise, as stored.
async fn insert_inspections(
    tx: &Tx,
    user: &CurrentUser,
    d: &draw::Model,
    staffed: &[i64],
    ts: &HashMap<i64, Target>,
) -> AppResult<Vec<inspection::Model>> {
    let pins = pinned(tx, ts).await?;
    let counts = cap::caps().counts(Kind::DoubleRandom);
    let over = if counts { full(tx, ts, d.planned_date.year()).await? } else { HashSet::new() };
    let now = tx.now();
    let plan = format!("双随机抽查：{}", d.title);
    let mut rows: Vec<inspection::Model> = staffed
        .iter()
        .map(|e| inspection::Model {
            id: 0,
            bureau_id: d.bureau_id,
            enterprise_id: *e,
            kind: Kind::DoubleRandom,
            status: Status::PendingApproval,
            planned_date: d.planned_date,
            plan_text: plan.clone(),
            checklists: pins.get(e).cloned().unwrap_or_else(|| "[]".into()),
            parent_id: None,
            draw_id: Some(d.id),
            counts_against_cap: counts,
            over_cap: over.contains(e),
            created_by: user.id,
            created_at: now,
            approved_by: None,
            approved_at: None,
            cap_approved_by: None,
            cap_approved_at: None,
            cap_reason: None,
            rejected_reason: None,
            started_at: None,
            completed_at: None,
            latitude: None,
            longitude: None,
            position_note: None,
            people_present: None,
            version: 1,
            updated_at: now,
        })
        .collect();
    let mut values = Vec::with_capacity(rows.len() * INSPECTION_COLUMNS.len());
    for r in &rows {
        push_inspection(&mut values, r);
    }
    let ids: HashMap<i64, i64> =
        insert_returning(tx, "inspections", &INSPECTION_COLUMNS, values, "enterprise_id").await?;
    for r in &mut rows {
        r.id = ids.get(&r.enterprise_id).copied().ok_or(crate::error::AppError::NotFound)?;
    }
    Ok(rows)
}

/// The tasks of the draw in result order, as stored.
async fn insert_tasks(tx: &Tx, tasks: &mut [draw_task::Model]) -> AppResult<()> {
    let mut values = Vec::with_capacity(tasks.len() * TASK_COLUMNS.len());
    for t in tasks.iter() {
        push_task(&mut values, t);
    }
    let ids: HashMap<i32, i64> = insert_returning(tx, "draw_tasks", &TASK_COLUMNS, values, "seq").await?;
    for t in tasks {
        t.id = ids.get(&t.seq).copied().ok_or(crate::error::AppError::NotFound)?;
    }
    Ok(())
}

fn task_row(
    d: &draw::Model,
    seq: usize,
    e: &Enterprise,
    team: &[&Inspector],
    inspection_id: Option<i64>,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<draw_task::Model> {
    let certs: Vec<&str> = team.iter().map(|p| p.certificate_no.as_str()).collect();
    let ids: Vec<i64> = team.iter().filter_map(|p| p.user_id).collect();
    Ok(draw_task::Model {
        id: 0,
        draw_id: d.id,
        seq: i32::try_from(seq).unwrap_or(i32::MAX),
        enterprise_id: e.id,
        credit_code: e.credit_code.clone(),
        certificate_nos: serde_json::to_string(&certs).map_err(anyhow::Error::from)?,
        inspector_ids: serde_json::to_string(&ids).map_err(anyhow::Error::from)?,
        inspection_id,
        result: None,
        result_note: None,
        result_by: None,
        result_at: None,
        published_at: None,
        published_by: None,
        version: 1,
        updated_at: now,
    })
}

/// Creates the tasks, inspections and teams of the drawn result; answers how many tasks are unstaffed.
pub async fn create(
    tx: &Tx,
    user: &CurrentUser,
    d: &draw::Model,
    frozen: &Frozen,
    drawn: &[Drawn],
) -> AppResult<usize> {
    let staffed: Vec<i64> =
        drawn.iter().filter(|t| !t.team.is_empty()).map(|t| frozen.enterprises[t.enterprise].id).collect();
    let ts = targets(tx, &staffed).await?;
    let made = insert_inspections(tx, user, d, &staffed, &ts).await?;
    let by_enterprise: HashMap<i64, i64> = made.iter().map(|i| (i.enterprise_id, i.id)).collect();
    // The audit entries are digested on other threads while the next rows are written:
    // the inspections' during the tasks, the tasks' during the members.
    let ctx = tx.ctx().clone();
    let inspections = tokio::task::spawn_blocking(move || Pending::many(&ctx, "create", &made));
    let now = tx.now();
    let mut members: Vec<DbValue> = Vec::with_capacity(drawn.len() * 2 * MEMBER_COLUMNS.len());
    let mut tasks = Vec::with_capacity(drawn.len());
    for (seq, t) in drawn.iter().enumerate() {
        let e = &frozen.enterprises[t.enterprise];
        let team: Vec<&Inspector> = t.team.iter().map(|i| &frozen.inspectors[*i]).collect();
        let inspection_id = by_enterprise.get(&e.id).copied().filter(|_| !team.is_empty());
        for (at, p) in team.iter().enumerate() {
            let role = if at == 0 { MemberRole::Leader } else { MemberRole::Inspector };
            members.extend([
                inspection_id.unwrap_or_default().into(),
                p.user_id.unwrap_or_default().into(),
                role.into(),
                Some(p.certificate_no.clone()).into(),
            ]);
        }
        tasks.push(task_row(d, seq, e, &team, inspection_id, now)?);
    }
    insert_tasks(tx, &mut tasks).await?;
    let ctx = tx.ctx().clone();
    let stored = tokio::task::spawn_blocking(move || Pending::many(&ctx, "create", &tasks));
    crate::db::bulk::insert(tx, "inspection_members", &MEMBER_COLUMNS, members, &[]).await?;
    let mut entries = inspections.await.map_err(anyhow::Error::from)?;
    entries.extend(stored.await.map_err(anyhow::Error::from)?);
    crate::audit::append(tx, tx.ctx(), entries).await?;
    Ok(drawn.len() - staffed.len())
}

impl Audited for draw_task::Model {
    const ENTITY: &'static str = "draw_task";
    const PAYLOAD_VERSION: i32 = 1;
    fn entity_id(&self) -> String {
        self.id.to_string()
    }
    fn payload(&self) -> Value {
        let t = |x: Option<chrono::DateTime<chrono::Utc>>| x.map(canonical::time);
        json!({"id": self.id, "draw_id": self.draw_id, "seq": self.seq, "enterprise_id": self.enterprise_id,
            "credit_code": self.credit_code, "certificate_nos": self.certificate_nos,
            "inspector_ids": self.inspector_ids, "inspection_id": self.inspection_id, "result": self.result,
            "result_note": self.result_note, "result_by": self.result_by, "result_at": t(self.result_at),
            "published_at": t(self.published_at), "published_by": self.published_by, "version": self.version})
    }
}
