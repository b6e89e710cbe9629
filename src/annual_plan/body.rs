//! Checking a plan's body and turning it into the stored columns: every problem at
//! once; random targets' counts frozen from the register; the warnings.
//!
//! Decisions: key enterprises named twice count once; a key enterprise must be in
//! the caller's scope and not closed; an ordinary enterprise is one of the plan's
//! bureau or below, of the target's sector and class (no class = the default class),
//! not closed and not a key enterprise.

use super::domain::{self, Capacity, Target};
use super::json::PlanBody;
use crate::auth::{CurrentUser, Role};
use crate::enterprise::domain::EnterpriseStatus;
use crate::entities::{bureau, enterprise, user, user_role};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::inspection::governance::cap;
use crate::inspector::CertificateStatus;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};

/// A checked body, ready to store.
pub struct Checked {
    pub capacity: Capacity,
    pub key_ids: Vec<i64>,
    pub targets: Vec<Target>,
    pub monthly: Vec<u32>,
    pub notes: Option<String>,
    pub reason: Option<String>,
}

fn push(fields: &mut FieldErrors, field: &str, msg: impl Into<String>) {
    fields.entry(field.to_owned()).or_default().push(msg.into());
}

/// Certified inspectors of the bureau on `day` (inspector role, usable certificate, not disabled).
pub async fn certified_inspectors<C: ConnectionTrait>(
    db: &C,
    bureau_id: i64,
    day: chrono::NaiveDate,
) -> AppResult<u64> {
    let inspectors = Query::select()
        .column(user_role::Column::UserId)
        .from(user_role::Entity)
        .and_where(user_role::Column::Role.eq(Role::Inspector.as_str()))
        .to_owned();
    let rows = user::Entity::find()
        .filter(user::Column::BureauId.eq(bureau_id))
        .filter(user::Column::Disabled.eq(false))
        .filter(user::Column::Id.in_subquery(inspectors))
        .all(db)
        .await?;
    let n = rows
        .iter()
        .filter(|u| CertificateStatus::of(u.certificate_no.as_deref(), u.certificate_valid_until, day).usable())
        .count();
    Ok(n as u64)
}

fn check_numbers(b: &PlanBody, fields: &mut FieldErrors) {
    if !(2000..=2100).contains(&b.year) {
        push(fields, "year", "年度须在 2000 至 2100 之间");
    }
    if b.inspectors.is_some_and(|n| n == 0 || n > 100_000) {
        push(fields, "inspectors", "执法人员数须在 1 至 100000 之间");
    }
    if b.available_days == 0 || b.available_days > 366 {
        push(fields, "available_days", "每人可用执法工作日须在 1 至 366 之间");
    }
    if b.reserve_percent > 90 {
        push(fields, "reserve_percent", "预留比例须在 0 至 90 之间");
    }
    if !(b.days_per_inspection > 0.0 && b.days_per_inspection <= 100.0) {
        push(fields, "days_per_inspection", "每次检查所需执法工作日须大于 0 且不超过 100");
    }
    if b.monthly.len() != 12 {
        push(fields, "monthly", format!("月度安排须为 12 个月的数字（现有 {} 个）", b.monthly.len()));
    }
    crate::limits::check_list(fields, "key_enterprise_ids", "重点检查企业", &b.key_enterprise_ids, crate::limits::IDS);
    crate::limits::check_list(fields, "random_targets", "随机抽查目标", &b.random_targets, 100);
    crate::limits::check(fields, "notes", "备注", b.notes.as_deref(), crate::limits::TEXT);
    crate::limits::check(fields, "reason", "修订原因", b.reason.as_deref(), crate::limits::TEXT);
}

fn check_targets(b: &PlanBody, fields: &mut FieldErrors) {
    let classes = &cap::caps().classes;
    for (i, t) in b.random_targets.iter().enumerate() {
        let n = i + 1;
        if t.supervision_class.chars().count() > 40 || !classes.iter().any(|c| c.code == t.supervision_class) {
            push(
                fields,
                "random_targets",
                format!("第 {n} 项：监管类别“{}”不存在", crate::limits::preview(&t.supervision_class)),
            );
        }
        if !(t.ratio > 0.0 && t.ratio <= 1.0) {
            push(fields, "random_targets", format!("第 {n} 项：抽查比例须大于 0 且不超过 100%"));
        }
        let same =
            b.random_targets[..i].iter().any(|o| o.sector == t.sector && o.supervision_class == t.supervision_class);
        if same {
            push(fields, "random_targets", format!("第 {n} 项：同一行业和监管类别只能设一项"));
        }
    }
}

async fn check_keys<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    ids: &[i64],
    fields: &mut FieldErrors,
) -> AppResult<Vec<i64>> {
    let mut keys: Vec<i64> = Vec::new();
    for id in ids {
        if !keys.contains(id) {
            keys.push(*id);
        }
    }
    if keys.len() > crate::limits::IDS {
        return Ok(keys);
    }
    let found = crate::scope::scoped(
        enterprise::Entity::find().filter(enterprise::Column::Id.is_in(keys.clone())),
        &user.scope,
    )
    .all(db)
    .await?;
    let missing: Vec<String> =
        keys.iter().filter(|k| !found.iter().any(|e| e.id == **k)).map(ToString::to_string).collect();
    if !missing.is_empty() {
        push(fields, "key_enterprise_ids", format!("企业不存在或不在本机构监管范围内：{}", missing.join("、")));
    }
    let closed: Vec<&str> =
        found.iter().filter(|e| e.status == EnterpriseStatus::Closed).map(|e| e.name.as_str()).collect();
    if !closed.is_empty() {
        push(fields, "key_enterprise_ids", format!("企业已关闭，不能列为重点检查：{}", closed.join("、")));
    }
    Ok(keys)
}

/// Ordinary enterprises of the bureau's tree in the sector and class.
async fn ordinary<C: ConnectionTrait>(
    db: &C,
    b: &bureau::Model,
    t: &super::json::TargetBody,
    keys: &[i64],
) -> AppResult<u64> {
    let caps = cap::caps();
    let mut class = Condition::any().add(enterprise::Column::SupervisionClass.eq(t.supervision_class.as_str()));
    if t.supervision_class == caps.default_class {
        let known: Vec<String> = caps.classes.iter().map(|c| c.code.clone()).collect();
        class = class
            .add(enterprise::Column::SupervisionClass.is_null())
            .add(enterprise::Column::SupervisionClass.is_not_in(known));
    }
    let n = enterprise::Entity::find()
        .filter(enterprise::Column::SupervisingBureauId.in_subquery(crate::scope::subtree(&b.path)))
        .filter(enterprise::Column::Sector.eq(t.sector))
        .filter(enterprise::Column::Status.ne(EnterpriseStatus::Closed))
        .filter(enterprise::Column::Id.is_not_in(keys.iter().copied()))
        .filter(class)
        .select_only()
        .column(enterprise::Column::Id)
        .count(db)
        .await?;
    Ok(n)
}

/// Checks the body for a plan of bureau `b` (every problem at once) and freezes the targets.
pub async fn check<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    b: &bureau::Model,
    body: &PlanBody,
    revision: bool,
    day: chrono::NaiveDate,
) -> AppResult<Checked> {
    let mut fields = FieldErrors::new();
    check_numbers(body, &mut fields);
    check_targets(body, &mut fields);
    let reason = body.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
    if revision && reason.is_none() {
        push(&mut fields, "reason", "请填写修订原因");
    }
    let key_ids = check_keys(db, user, &body.key_enterprise_ids, &mut fields).await?;
    let mut targets = Vec::new();
    if !fields.contains_key("random_targets") && !fields.contains_key("key_enterprise_ids") {
        for t in &body.random_targets {
            let n = ordinary(db, b, t, &key_ids).await?;
            let (sector, supervision_class, ratio) = (t.sector, t.supervision_class.clone(), t.ratio);
            targets.push(Target { sector, supervision_class, ratio, ordinary: n, planned: domain::planned(n, ratio) });
        }
        let total = key_ids.len() as u64 + targets.iter().map(|t| t.planned).sum::<u64>();
        if let Some(p) = domain::monthly_problem(&body.monthly, total).filter(|_| body.monthly.len() == 12) {
            push(&mut fields, "monthly", p);
        }
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let inspectors = match body.inspectors {
        Some(n) => n,
        None => u32::try_from(certified_inspectors(db, b.id, day).await?).unwrap_or(u32::MAX),
    };
    let capacity = Capacity {
        inspectors,
        available_days: body.available_days,
        reserve_percent: body.reserve_percent,
        days_per_inspection: body.days_per_inspection,
    };
    let notes = body.notes.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
    Ok(Checked { capacity, key_ids, targets, monthly: body.monthly.clone(), notes, reason })
}
