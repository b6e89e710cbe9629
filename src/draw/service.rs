//! The draw's use cases: commit (freeze and hash the pools, commit to the secret) and
//! execute (reveal, draw, create the inspections). Each takes the `Tx` it runs on.
//!
//! Decisions where the issue is silent:
//! - The regulator's own secret is never stored before execution, only its
//!   commitment; a server secret (32 random bytes, hex) is kept in `held_secret`
//!   and never answered until the draw is executed (then it is `secret`).
//! - The stored `request` holds the draw's parameters as asked, never the secret.
//! - A redraw is refused (422 on `supersedes_id`) for a draw that is not the
//!   bureau's own or is already superseded; the superseded draw's inspections still
//!   pending or approved are cancelled with the reason, through the inspections'
//!   own cancel (so reserved numbers are voided).
//! - The planned date may not be before today (Beijing).

use super::domain::{ALGORITHM, HASH, SecretMode, Status};
use super::json::{CommitDraw, ExecuteDraw};
use super::policy::{self, Action, Actor, Record};
use super::pools::{self, Reach};
use super::proof::{Exclusion, Frozen, IneligibleEnterprise, Inspector, Parameters};
use super::{hashing, strata};
use crate::audit::{Audited, canonical};
use crate::auth::CurrentUser;
use crate::entities::{draw, draw_task, inspection};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::inspection::domain::Status as InspectionStatus;
use crate::write::Tx;
use chrono::Datelike;
use rand::Rng;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::{Value, json};
use std::collections::HashSet;

impl crate::scope::Owned for draw::Entity {
    fn bureau() -> Self::Column {
        Self::Column::BureauId
    }
    fn enterprise() -> Option<Self::Column> {
        None
    }
}

/// The draw if the user may see it (a bureau user of the drawing bureau or one above); 404 otherwise.
pub async fn get_visible<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<draw::Model> {
    if !user.is_bureau_user() {
        return Err(AppError::NotFound);
    }
    crate::scope::get::<draw::Entity, _>(db, &user.scope, id).await
}

/// The draw's tasks in result order.
pub async fn tasks<C: ConnectionTrait>(db: &C, draw_id: i64) -> AppResult<Vec<draw_task::Model>> {
    Ok(draw_task::Entity::find()
        .filter(draw_task::Column::DrawId.eq(draw_id))
        .order_by_asc(draw_task::Column::Seq)
        .all(db)
        .await?)
}

/// How many of the draw's inspections are pending approval.
pub async fn pending<C: ConnectionTrait>(db: &C, draw_id: i64) -> AppResult<u64> {
    Ok(inspection::Entity::find()
        .filter(inspection::Column::DrawId.eq(draw_id))
        .filter(inspection::Column::Status.eq(InspectionStatus::PendingApproval))
        .count(db)
        .await?)
}

/// The policy's view of the draw for the user.
pub async fn judge<C: ConnectionTrait>(db: &C, user: &CurrentUser, d: &draw::Model) -> AppResult<(Actor, Record)> {
    let waiting = if d.status == Status::Executed { pending(db, d.id).await? } else { 0 };
    Ok((Actor::of(user), Record::of(d, waiting)))
}

fn add(fields: &mut FieldErrors, field: &str, m: impl Into<String>) {
    fields.entry(field.to_owned()).or_default().push(m.into());
}

fn check_body(req: &CommitDraw, today: chrono::NaiveDate, fields: &mut FieldErrors) {
    use crate::limits::{NAME, TEXT, check, check_list};
    if req.title.trim().is_empty() {
        add(fields, "title", "请填写抽取名称");
    }
    check(fields, "title", "抽取名称", Some(&req.title), NAME);
    if let Some(s) = &req.secret {
        let n = s.chars().count();
        if !(8..=200).contains(&n) {
            add(fields, "secret", format!("密钥应为 8–200 个字符（现为 {n} 个）"));
        }
    }
    if !(2..=10).contains(&req.team_size) {
        add(fields, "team_size", format!("检查组人数应为 2–10 人（现为 {}）", req.team_size));
    }
    if let Some(r) = &req.filter.region
        && !(r.len() == 6 && r.bytes().all(|b| b.is_ascii_digit()))
    {
        add(fields, "filter.region", "行政区划代码应为 6 位数字");
    }
    check_list(fields, "filter.sectors", "行业", &req.filter.sectors, 4);
    check_list(fields, "filter.sub_types", "行业类别", &req.filter.sub_types, 50);
    check_list(fields, "filter.special_topics", "专项", &req.filter.special_topics, 50);
    if req.planned_date.is_some_and(|d| d < today) {
        add(fields, "planned_date", "计划检查日期不能早于今天");
    }
    check(fields, "redraw_reason", "重新抽取的理由", req.redraw_reason.as_deref(), TEXT);
    let reason = req.redraw_reason.as_deref().is_some_and(|r| !r.trim().is_empty());
    match (req.supersedes_id, reason) {
        (Some(_), false) => add(fields, "redraw_reason", "重新抽取须填写理由"),
        (None, true) => add(fields, "supersedes_id", "填写了重新抽取的理由，须指明被替代的抽取"),
        _ => {}
    }
}

/// The draw a redraw supersedes: the bureau's own, not yet superseded.
async fn superseded(tx: &Tx, user: &CurrentUser, id: i64, fields: &mut FieldErrors) -> AppResult<Option<draw::Model>> {
    let old = match get_visible(tx, user, id).await {
        Ok(d) => d,
        Err(AppError::NotFound) => {
            add(fields, "supersedes_id", "被替代的抽取不存在或不属于本机构");
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    match policy::check(&Actor::of(user), Record::of(&old, 0), Action::Redraw) {
        Ok(()) => Ok(Some(old)),
        Err(AppError::Conflict { .. }) => {
            add(fields, "supersedes_id", "被替代的抽取已被重新抽取");
            Ok(None)
        }
        Err(_) => {
            add(fields, "supersedes_id", "被替代的抽取不存在或不属于本机构");
            Ok(None)
        }
    }
}

/// Reads and freezes the pools; every problem is added to `fields`.
async fn freeze(
    tx: &Tx,
    user: &CurrentUser,
    req: &CommitDraw,
    day: chrono::NaiveDate,
    fields: &mut FieldErrors,
) -> AppResult<Frozen> {
    let reach = Reach::of(user, req.include_subordinates)?;
    let candidates = pools::enterprises(tx, &reach, &req.filter, day.year()).await?;
    let (eligible, out): (Vec<_>, Vec<_>) = candidates.into_iter().partition(|c| !c.closed && !c.over_cap);
    let ineligible = out
        .into_iter()
        .map(|c| IneligibleEnterprise {
            reason: if c.closed { "closed" } else { "over_cap" }.into(),
            id: c.id,
            credit_code: c.credit_code,
        })
        .collect();
    if eligible.is_empty() {
        add(fields, "filter", "没有符合条件、可以抽取的企业");
    }
    let (strata, enterprises) = strata::build(&eligible, req.sample, req.strata.as_ref(), req.weights.as_ref(), fields);
    let people = pools::inspectors(tx, &reach, day).await?;
    if people.len() < req.team_size as usize {
        let m = format!("{day} 可参加检查的持证执法人员只有 {} 人，少于检查组人数 {}", people.len(), req.team_size);
        add(fields, "team_size", m);
    }
    let ids: HashSet<i64> = enterprises.iter().map(|e| e.id).collect();
    let exclusions = pools::exclusions(tx, &people, &ids).await?;
    let rule = req.specialty_rule.unwrap_or(super::domain::SpecialtyRule::None);
    Ok(Frozen {
        parameters: Parameters {
            team_size: req.team_size,
            specialty_rule: rule.as_str().into(),
            weighted: req.weights.is_some(),
            strata,
        },
        enterprises,
        inspectors: people
            .into_iter()
            .map(|p| Inspector {
                certificate_no: p.certificate_no,
                user_id: Some(p.user_id),
                specialties: p.specialties,
            })
            .collect(),
        exclusions: exclusions
            .into_iter()
            .map(|(enterprise_id, certificate_no)| Exclusion { enterprise_id, certificate_no })
            .collect(),
        ineligible,
    })
}

fn request_json(req: &CommitDraw) -> AppResult<String> {
    let v = json!({"sample": req.sample, "team_size": req.team_size, "strata": req.strata,
        "specialty_rule": req.specialty_rule, "weights": req.weights, "include_subordinates": req.include_subordinates});
    Ok(serde_json::to_string(&v).map_err(anyhow::Error::from)?)
}

/// The committed row: hashes, the commitment, and the server's secret when it holds it.
fn new_row(
    tx: &Tx,
    user: &CurrentUser,
    req: &CommitDraw,
    day: chrono::NaiveDate,
    supersedes: Option<i64>,
    frozen: &Frozen,
) -> AppResult<draw::ActiveModel> {
    let h = hashing::hashes(frozen, ALGORITHM);
    let (mode, held) = match &req.secret {
        Some(_) => (SecretMode::Regulator, None),
        None => (SecretMode::Server, Some(hex::encode(rand::rng().random::<[u8; 32]>()))),
    };
    let commitment = hashing::commitment(req.secret.as_deref().or(held.as_deref()).unwrap_or_default());
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    let sample: u32 = frozen.parameters.strata.iter().map(|s| s.count).sum();
    let now = tx.now();
    Ok(draw::ActiveModel {
        bureau_id: Set(user.bureau.as_ref().ok_or(AppError::Forbidden)?.id),
        title: Set(req.title.trim().to_owned()),
        status: Set(Status::Committed),
        include_subordinates: Set(req.include_subordinates),
        filter: Set(serde_json::to_string(&req.filter).map_err(anyhow::Error::from)?),
        request: Set(request_json(req)?),
        planned_date: Set(day),
        plan_id: Set(req.plan_id),
        supersedes_id: Set(supersedes),
        redraw_reason: Set(req.redraw_reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned)),
        algorithm: Set(ALGORITHM.into()),
        hash_alg: Set(HASH.into()),
        pool_hash: Set(h.pool),
        enterprises_hash: Set(h.enterprises),
        inspectors_hash: Set(h.inspectors),
        exclusions_hash: Set(h.exclusions),
        parameters_hash: Set(h.parameters),
        inspector_ids_hash: Set(h.inspector_ids.unwrap_or_default()),
        commitment: Set(commitment),
        secret_mode: Set(mode),
        held_secret: Set(held),
        enterprise_count: Set(count(frozen.enterprises.len())),
        inspector_count: Set(count(frozen.inspectors.len())),
        sample_count: Set(i32::try_from(sample).unwrap_or(i32::MAX)),
        unstaffed_count: Set(0),
        created_by: Set(user.id),
        committed_at: Set(now),
        version: Set(1),
        updated_at: Set(now),
        ..Default::default()
    })
}

/// Commits a draw: pools frozen and hashed, exclusions fixed, the secret committed.
pub async fn commit(tx: &Tx, user: &CurrentUser, req: &CommitDraw) -> AppResult<draw::Model> {
    if !policy::may_commit(&Actor::of(user)) {
        return Err(AppError::Forbidden);
    }
    let today = crate::clock::china_date(tx.now());
    let day = req.planned_date.unwrap_or(today);
    let mut fields = FieldErrors::new();
    check_body(req, today, &mut fields);
    let old = match req.supersedes_id {
        Some(id) => superseded(tx, user, id, &mut fields).await?,
        None => None,
    };
    if let Some(id) = req.plan_id {
        check_plan(tx, user, id, &mut fields).await?;
    }
    let frozen = freeze(tx, user, req, day, &mut fields).await?;
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let row = new_row(tx, user, req, day, old.as_ref().map(|o| o.id), &frozen)?.insert(tx).await?;
    super::pool_store::save(tx, row.id, &frozen).await?;
    crate::audit::record(tx, tx.ctx(), "commit", &row).await?;
    if let Some(old) = old {
        supersede(tx, user, old, &row).await?;
    }
    Ok(row)
}

/// A draw carries out an annual plan of its own bureau (any revision; coverage follows the chain).
async fn check_plan(tx: &Tx, user: &CurrentUser, id: i64, fields: &mut FieldErrors) -> AppResult<()> {
    let own = user.bureau.as_ref().map(|b| b.id);
    match crate::annual_plan::service::get_visible(tx, user, id).await {
        Ok(p) if Some(p.bureau_id) == own => {}
        Ok(_) | Err(AppError::NotFound) => add(fields, "plan_id", "年度检查计划不存在或不是本机构的计划"),
        Err(e) => return Err(e),
    }
    Ok(())
}

/// The old draw superseded by `new`; its inspections still pending or approved cancelled.
async fn supersede(tx: &Tx, user: &CurrentUser, old: draw::Model, new: &draw::Model) -> AppResult<()> {
    let reason = format!("重新抽取：{}", new.redraw_reason.as_deref().unwrap_or_default());
    let live: Vec<i64> = inspection::Entity::find()
        .select_only()
        .column(inspection::Column::Id)
        .filter(inspection::Column::DrawId.eq(old.id))
        .filter(inspection::Column::Status.is_in([InspectionStatus::PendingApproval, InspectionStatus::Approved]))
        .order_by_asc(inspection::Column::Id)
        .into_tuple()
        .all(tx)
        .await?;
    for id in live {
        crate::inspection::governance::service::cancel(tx, user, id, &reason).await?;
    }
    let version = old.version;
    let mut m: draw::ActiveModel = old.into();
    m.status = Set(Status::Superseded);
    m.superseded_by_id = Set(Some(new.id));
    m.version = Set(version + 1);
    m.updated_at = Set(tx.now());
    let saved = m.update(tx).await?;
    crate::audit::record(tx, tx.ctx(), "supersede", &saved).await?;
    Ok(())
}

/// The draw for a step: visible, locked on PostgreSQL, allowed by the policy.
pub async fn for_step(tx: &Tx, user: &CurrentUser, id: i64, action: Action) -> AppResult<draw::Model> {
    if !user.is_bureau_user() {
        return Err(AppError::Forbidden);
    }
    get_visible(tx, user, id).await?;
    let mut q = draw::Entity::find_by_id(id);
    if tx.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    let d = q.one(tx).await?.ok_or(AppError::NotFound)?;
    let (actor, record) = judge(tx, user, &d).await?;
    policy::check(&actor, record, action)?;
    Ok(d)
}

/// Executes a committed draw: the secret checked, the seed made, tasks drawn, the
/// `double_random` inspections created pending approval.
pub async fn execute(tx: &Tx, user: &CurrentUser, id: i64, req: &ExecuteDraw) -> AppResult<draw::Model> {
    let d = for_step(tx, user, id, Action::Execute).await?;
    let mut fields = FieldErrors::new();
    crate::limits::check(&mut fields, "secret", "密钥", req.secret.as_deref(), 200);
    crate::limits::check(&mut fields, "public_entropy", "公开随机数", req.public_entropy.as_deref(), 200);
    let secret = req.secret.clone().or_else(|| d.held_secret.clone());
    match &secret {
        None => add(&mut fields, "secret", "请填写抽取时设定的密钥"),
        Some(s) if hashing::commitment(s) != d.commitment => add(&mut fields, "secret", "密钥与抽取时的承诺值不符"),
        Some(_) => {}
    }
    let (Some(secret), true) = (secret, fields.is_empty()) else { return Err(AppError::Validation(fields)) };
    let entropy = req.public_entropy.clone().filter(|e| !e.is_empty());
    let seed = hashing::seed(&d.pool_hash, &secret, entropy.as_deref());
    let frozen = super::pool_store::load(tx, d.id).await?;
    let drawn = super::sampler::run(&frozen, &seed);
    let unstaffed = super::dispatch::create(tx, user, &d, &frozen, &drawn).await?;
    let version = d.version;
    let mut m: draw::ActiveModel = d.into();
    m.status = Set(Status::Executed);
    m.secret = Set(Some(secret));
    m.held_secret = Set(None);
    m.public_entropy = Set(entropy);
    m.seed = Set(Some(hex::encode(seed)));
    m.unstaffed_count = Set(i32::try_from(unstaffed).unwrap_or(i32::MAX));
    m.executed_by = Set(Some(user.id));
    m.executed_at = Set(Some(tx.now()));
    m.version = Set(version + 1);
    m.updated_at = Set(tx.now());
    let saved = m.update(tx).await?;
    crate::audit::record(tx, tx.ctx(), "execute", &saved).await?;
    Ok(saved)
}

impl Audited for draw::Model {
    const ENTITY: &'static str = "draw";
    const PAYLOAD_VERSION: i32 = 1;
    fn entity_id(&self) -> String {
        self.id.to_string()
    }
    /// The hashes and counts, not the pools (they are fixed by `pool_hash`); never the held secret.
    fn payload(&self) -> Value {
        json!({"id": self.id, "bureau_id": self.bureau_id, "title": self.title, "status": self.status,
            "include_subordinates": self.include_subordinates, "filter": self.filter, "request": self.request,
            "planned_date": self.planned_date.to_string(), "plan_id": self.plan_id, "supersedes_id": self.supersedes_id,
            "redraw_reason": self.redraw_reason, "superseded_by_id": self.superseded_by_id, "algorithm": self.algorithm,
            "hash_alg": self.hash_alg, "pool_hash": self.pool_hash, "enterprises_hash": self.enterprises_hash,
            "inspectors_hash": self.inspectors_hash, "exclusions_hash": self.exclusions_hash,
            "parameters_hash": self.parameters_hash, "inspector_ids_hash": self.inspector_ids_hash,
            "commitment": self.commitment, "secret_mode": self.secret_mode, "secret": self.secret,
            "public_entropy": self.public_entropy, "seed": self.seed, "enterprise_count": self.enterprise_count,
            "inspector_count": self.inspector_count, "sample_count": self.sample_count,
            "unstaffed_count": self.unstaffed_count, "created_by": self.created_by,
            "committed_at": canonical::time(self.committed_at), "executed_by": self.executed_by,
            "executed_at": self.executed_at.map(canonical::time), "version": self.version})
    }
}
