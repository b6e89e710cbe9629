//! Availability (absences) and conflicts of interest (回避) of inspectors.

use super::{AbsenceKind, register};
use crate::audit::{Audited, canonical};
use crate::auth::{CurrentUser, Role};
use crate::entities::{enterprise, inspector_absence as absence, inspector_conflict as conflict};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::write::Tx;
use chrono::NaiveDate;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::HashMap;

/// The most conflicts one list answers.
pub const MAX_CONFLICTS: u64 = 200;

/// Body of `POST /api/v1/inspectors/{user_id}/absences`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAbsence {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub kind: AbsenceKind,
    #[schema(max_length = 5000)]
    pub note: Option<String>,
}

/// Body of `POST /api/v1/inspectors/{user_id}/conflicts` (a contract).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewConflict {
    pub enterprise_id: i64,
    #[schema(max_length = 5000)]
    pub reason: String,
}

/// A declared conflict of interest.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConflictResponse {
    pub id: i64,
    pub user_id: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub reason: String,
    pub declared_by: i64,
    pub declared_at: chrono::DateTime<chrono::Utc>,
    pub withdrawn_at: Option<chrono::DateTime<chrono::Utc>>,
    pub withdrawn_by: Option<i64>,
    /// Not withdrawn.
    pub live: bool,
}

/// Who of `ids` is away on `day`, and why.
pub async fn absent_on<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
    day: NaiveDate,
) -> AppResult<HashMap<i64, AbsenceKind>> {
    let rows = absence::Entity::find()
        .filter(absence::Column::UserId.is_in(ids.iter().copied()))
        .filter(absence::Column::FromDate.lte(day))
        .filter(absence::Column::ToDate.gte(day))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|a| (a.user_id, a.kind)).collect())
}

/// The absences of an inspector ending on or after `from`, soonest first (at most 100).
pub async fn absences<C: ConnectionTrait>(db: &C, id: i64, from: NaiveDate) -> AppResult<Vec<absence::Model>> {
    Ok(absence::Entity::find()
        .filter(absence::Column::UserId.eq(id))
        .filter(absence::Column::ToDate.gte(from))
        .order_by_asc(absence::Column::FromDate)
        .limit(100)
        .all(db)
        .await?)
}

/// The live conflicts of `ids` with enterprise `e`.
pub async fn live_conflicts<C: ConnectionTrait>(db: &C, ids: &[i64], e: i64) -> AppResult<Vec<conflict::Model>> {
    Ok(conflict::Entity::find()
        .filter(conflict::Column::UserId.is_in(ids.iter().copied()))
        .filter(conflict::Column::EnterpriseId.eq(e))
        .filter(conflict::Column::WithdrawnAt.is_null())
        .all(db)
        .await?)
}

/// A regulator records an absence.
pub async fn add_absence(tx: &Tx, user: &CurrentUser, id: i64, req: &NewAbsence) -> AppResult<absence::Model> {
    user.require_any(&[Role::Regulator])?;
    register::one(tx, user, id, crate::clock::china_date(tx.now())).await?;
    let mut fields = FieldErrors::new();
    if req.to < req.from {
        fields.insert("to".into(), vec!["结束日期不能早于开始日期".into()]);
    }
    crate::limits::check(&mut fields, "note", "说明", req.note.as_deref(), crate::limits::TEXT);
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let row = absence::ActiveModel {
        user_id: Set(id),
        from_date: Set(req.from),
        to_date: Set(req.to),
        kind: Set(req.kind),
        note: Set(req.note.clone().filter(|n| !n.trim().is_empty())),
        created_by: Set(user.id),
        created_at: Set(tx.now()),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    crate::audit::record(tx, tx.ctx(), "create", &row).await?;
    Ok(row)
}

/// A regulator declares a conflict of interest with an enterprise of its scope.
pub async fn declare(tx: &Tx, user: &CurrentUser, id: i64, req: &NewConflict) -> AppResult<conflict::Model> {
    user.require_any(&[Role::Regulator])?;
    register::one(tx, user, id, crate::clock::china_date(tx.now())).await?;
    let mut fields = FieldErrors::new();
    if req.reason.trim().is_empty() {
        fields.insert("reason".into(), vec!["请填写回避事由".into()]);
    }
    crate::limits::check(&mut fields, "reason", "回避事由", Some(&req.reason), crate::limits::TEXT);
    let seen = crate::scope::scoped(enterprise::Entity::find_by_id(req.enterprise_id), &user.scope).one(tx).await?;
    if seen.is_none() {
        fields.entry("enterprise_id".into()).or_default().push("企业不存在或不在本机构监管范围内".into());
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let row = conflict::ActiveModel {
        user_id: Set(id),
        enterprise_id: Set(req.enterprise_id),
        reason: Set(req.reason.trim().to_owned()),
        declared_by: Set(user.id),
        declared_at: Set(tx.now()),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    crate::audit::record(tx, tx.ctx(), "declare", &row).await?;
    Ok(row)
}

/// A regulator withdraws a live conflict (kept, marked withdrawn).
pub async fn withdraw(tx: &Tx, user: &CurrentUser, id: i64, conflict_id: i64) -> AppResult<conflict::Model> {
    user.require_any(&[Role::Regulator])?;
    register::one(tx, user, id, crate::clock::china_date(tx.now())).await?;
    let row = conflict::Entity::find_by_id(conflict_id)
        .filter(conflict::Column::UserId.eq(id))
        .one(tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.withdrawn_at.is_some() {
        return Err(AppError::conflict("conflict_withdrawn", "该回避已撤销"));
    }
    let mut m: conflict::ActiveModel = row.into();
    m.withdrawn_at = Set(Some(tx.now()));
    m.withdrawn_by = Set(Some(user.id));
    let saved = m.update(tx).await?;
    crate::audit::record(tx, tx.ctx(), "withdraw", &saved).await?;
    Ok(saved)
}

/// An inspector's conflicts, newest first, with the enterprises' names.
pub async fn conflicts<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<Vec<ConflictResponse>> {
    let rows = conflict::Entity::find()
        .filter(conflict::Column::UserId.eq(id))
        .order_by_desc(conflict::Column::Id)
        .limit(MAX_CONFLICTS)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|c| c.enterprise_id).collect();
    let names: HashMap<i64, String> = crate::scope::scoped(enterprise::Entity::find(), &user.scope)
        .filter(enterprise::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    Ok(rows.into_iter().map(|c| response(c, &names)).collect())
}

pub fn response<S: std::hash::BuildHasher>(c: conflict::Model, names: &HashMap<i64, String, S>) -> ConflictResponse {
    ConflictResponse {
        enterprise_name: names.get(&c.enterprise_id).cloned().unwrap_or_else(|| "（不在本机构范围）".into()),
        live: c.withdrawn_at.is_none(),
        id: c.id,
        user_id: c.user_id,
        enterprise_id: c.enterprise_id,
        reason: c.reason,
        declared_by: c.declared_by,
        declared_at: c.declared_at,
        withdrawn_at: c.withdrawn_at,
        withdrawn_by: c.withdrawn_by,
    }
}

impl Audited for absence::Model {
    const ENTITY: &'static str = "inspector_absence";
    const PAYLOAD_VERSION: i32 = 1;
    fn entity_id(&self) -> String {
        self.id.to_string()
    }
    fn payload(&self) -> Value {
        json!({"id": self.id, "user_id": self.user_id, "from": self.from_date.to_string(), "to": self.to_date.to_string(),
            "kind": self.kind, "note": self.note, "created_by": self.created_by,
            "created_at": canonical::time(self.created_at)})
    }
}

impl Audited for conflict::Model {
    const ENTITY: &'static str = "inspector_conflict";
    const PAYLOAD_VERSION: i32 = 1;
    fn entity_id(&self) -> String {
        self.id.to_string()
    }
    fn payload(&self) -> Value {
        json!({"id": self.id, "user_id": self.user_id, "enterprise_id": self.enterprise_id, "reason": self.reason,
            "declared_by": self.declared_by, "declared_at": canonical::time(self.declared_at),
            "withdrawn_at": self.withdrawn_at.map(canonical::time), "withdrawn_by": self.withdrawn_by})
    }
}
