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
//! - Rows are inserted with `insert_many` in chunks well under SQLite's 32,766 and
//!   PostgreSQL's 65,535 bound parameters, and read back by `draw_id`.

use super::proof::Frozen;
use super::sampler::Drawn;
use crate::audit::{Audited, Pending, canonical};
use crate::auth::CurrentUser;
use crate::checklist::model::Checklist;
use crate::entities::{draw, draw_task, enterprise, inspection, inspection_member as member};
use crate::error::AppResult;
use crate::inspection::domain::{Kind, MemberRole, Status};
use crate::inspection::governance::{cap, json::PinnedChecklist};
use crate::write::Tx;
use chrono::Datelike;
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;

/// Rows per `insert_many` (the widest row here has 15 columns).
const CHUNK: usize = 1_000;

async fn drawn_enterprises<C: ConnectionTrait>(db: &C, ids: &[i64]) -> AppResult<HashMap<i64, enterprise::Model>> {
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(5_000) {
        let rows =
            enterprise::Entity::find().filter(enterprise::Column::Id.is_in(chunk.iter().copied())).all(db).await?;
        out.extend(rows.into_iter().map(|e| (e.id, e)));
    }
    Ok(out)
}

/// The pinned checklists of each enterprise as JSON, the bureau's lists loaded once per bureau.
async fn pinned<C: ConnectionTrait>(db: &C, es: &HashMap<i64, enterprise::Model>) -> AppResult<HashMap<i64, String>> {
    let mut lists: HashMap<i64, Vec<(Arc<Checklist>, String)>> = HashMap::new();
    let mut memo: HashMap<(i64, String, String, String), String> = HashMap::new();
    let mut out = HashMap::with_capacity(es.len());
    for e in es.values() {
        if let std::collections::hash_map::Entry::Vacant(v) = lists.entry(e.supervising_bureau_id) {
            v.insert(crate::checklist::bureau_lists(db, e).await?);
        }
        let key =
            (e.supervising_bureau_id, e.sector.as_str().to_owned(), e.sub_types.clone(), e.special_topics.clone());
        if let Some(text) = memo.get(&key) {
            out.insert(e.id, text.clone());
            continue;
        }
        let mut all: Vec<(&Checklist, &str)> = crate::checklist::national().collect();
        all.extend(lists[&e.supervising_bureau_id].iter().map(|(c, h)| (c.as_ref(), h.as_str())));
        let mut pins: Vec<PinnedChecklist> = Vec::new();
        for item in crate::checklist::model::applicable_hashed(all, e) {
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
        out.insert(e.id, text);
    }
    Ok(out)
}

/// Which of the enterprises have reached their cap in `year` (one grouped query per chunk).
async fn full<C: ConnectionTrait>(db: &C, es: &HashMap<i64, enterprise::Model>, year: i32) -> AppResult<Vec<i64>> {
    let ids: Vec<i64> = es.keys().copied().collect();
    let mut out = Vec::new();
    for chunk in ids.chunks(5_000) {
        let cond = sea_orm::Condition::all().add(enterprise::Column::Id.is_in(chunk.iter().copied()));
        let counted = super::pools::counted_in_year(db, cond, year).await?;
        for (id, n) in counted {
            let c = es.get(&id).and_then(|e| cap::caps().class_of(e));
            if c.is_some_and(|c| n >= i64::from(c.yearly_cap)) {
                out.push(id);
            }
        }
    }
    Ok(out)
}

async fn insert_inspections(
    tx: &Tx,
    user: &CurrentUser,
    d: &draw::Model,
    staffed: &[i64],
    es: &HashMap<i64, enterprise::Model>,
) -> AppResult<Vec<inspection::Model>> {
    let pins = pinned(tx, es).await?;
    let counts = cap::caps().counts(Kind::DoubleRandom);
    let over = if counts { full(tx, es, d.planned_date.year()).await? } else { Vec::new() };
    let now = tx.now();
    let plan = format!("双随机抽查：{}", d.title);
    let rows: Vec<inspection::ActiveModel> = staffed
        .iter()
        .map(|e| inspection::ActiveModel {
            bureau_id: Set(d.bureau_id),
            enterprise_id: Set(*e),
            kind: Set(Kind::DoubleRandom),
            status: Set(Status::PendingApproval),
            planned_date: Set(d.planned_date),
            plan_text: Set(plan.clone()),
            checklists: Set(pins.get(e).cloned().unwrap_or_else(|| "[]".into())),
            draw_id: Set(Some(d.id)),
            counts_against_cap: Set(counts),
            over_cap: Set(over.contains(e)),
            created_by: Set(user.id),
            created_at: Set(now),
            version: Set(1),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(CHUNK) {
        inspection::Entity::insert_many(chunk.to_vec()).exec_without_returning(tx).await?;
    }
    Ok(inspection::Entity::find()
        .filter(inspection::Column::DrawId.eq(d.id))
        .order_by_asc(inspection::Column::Id)
        .all(tx)
        .await?)
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
    let es = drawn_enterprises(tx, &staffed).await?;
    let made = insert_inspections(tx, user, d, &staffed, &es).await?;
    let by_enterprise: HashMap<i64, i64> = made.iter().map(|i| (i.enterprise_id, i.id)).collect();
    let now = tx.now();
    let mut members = Vec::new();
    let mut tasks = Vec::with_capacity(drawn.len());
    for (seq, t) in drawn.iter().enumerate() {
        let e = &frozen.enterprises[t.enterprise];
        let team: Vec<_> = t.team.iter().map(|i| &frozen.inspectors[*i]).collect();
        let inspection_id = by_enterprise.get(&e.id).copied().filter(|_| !team.is_empty());
        for (at, p) in team.iter().enumerate() {
            members.push(member::ActiveModel {
                inspection_id: Set(inspection_id.unwrap_or_default()),
                user_id: Set(p.user_id.unwrap_or_default()),
                role: Set(if at == 0 { MemberRole::Leader } else { MemberRole::Inspector }),
                certificate_no: Set(Some(p.certificate_no.clone())),
                ..Default::default()
            });
        }
        let certs: Vec<&str> = team.iter().map(|p| p.certificate_no.as_str()).collect();
        let ids: Vec<i64> = team.iter().filter_map(|p| p.user_id).collect();
        tasks.push(draw_task::ActiveModel {
            draw_id: Set(d.id),
            seq: Set(i32::try_from(seq).unwrap_or(i32::MAX)),
            enterprise_id: Set(e.id),
            credit_code: Set(e.credit_code.clone()),
            certificate_nos: Set(serde_json::to_string(&certs).map_err(anyhow::Error::from)?),
            inspector_ids: Set(serde_json::to_string(&ids).map_err(anyhow::Error::from)?),
            inspection_id: Set(inspection_id),
            version: Set(1),
            updated_at: Set(now),
            ..Default::default()
        });
    }
    for chunk in members.chunks(CHUNK * 4) {
        member::Entity::insert_many(chunk.to_vec()).exec_without_returning(tx).await?;
    }
    for chunk in tasks.chunks(CHUNK) {
        draw_task::Entity::insert_many(chunk.to_vec()).exec_without_returning(tx).await?;
    }
    let stored = super::service::tasks(tx, d.id).await?;
    let ctx = tx.ctx();
    let mut entries: Vec<Pending> = made.iter().map(|i| Pending::of(ctx, "create", i)).collect();
    entries.extend(stored.iter().map(|t| Pending::of(ctx, "create", t)));
    crate::audit::append(tx, ctx, entries).await?;
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
