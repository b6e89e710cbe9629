//! 整改措施 after an accident, tracked like hazards: each with a responsible unit
//! and a deadline, open until done with its evidence and who verified it, and
//! overdue on a day after its deadline (the ledger's rule), when it becomes a to-do
//! of the accident's bureau ([`super::overdue`]).
//!
//! Decision: a small table of its own, not hazard rows. A hazard needs a
//! registered enterprise and runs the ledger's lifecycle (认定, 交办, 验收 by the
//! origin closer …); an accident's measures are the investigation report's
//! (owed by units the report names, which may be no enterprise in the register,
//! or a department), and their follow-up is the bureau's 整改落实 check. A
//! measure that is a hazard of an enterprise is reported in the ledger as well.

use super::domain::MeasureStatus;
use crate::audit::{self, Audited, canonical};
use crate::auth::{CurrentUser, Role};
use crate::clock::china_date;
use crate::entities::{accident, accident_measure as measure};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::limits;
use crate::write::Tx;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// A new measure.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct CreateAccidentMeasure {
    #[schema(max_length = 5000)]
    pub description: String,
    #[schema(max_length = 200)]
    pub responsible_unit: String,
    pub deadline: NaiveDate,
}

/// A measure done: what shows it and who verified it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct CompleteAccidentMeasure {
    #[schema(max_length = 5000)]
    pub evidence: String,
    #[schema(max_length = 100)]
    pub verifier: String,
    /// The Beijing date it was done (default today).
    pub done_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccidentMeasureResponse {
    pub id: i64,
    pub accident_id: i64,
    pub description: String,
    pub responsible_unit: String,
    pub deadline: NaiveDate,
    pub status: MeasureStatus,
    pub status_label: String,
    /// Open and its deadline is before today (Beijing).
    pub overdue: bool,
    pub evidence: Option<String>,
    pub verifier: Option<String>,
    pub done_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

impl Audited for measure::Model {
    const ENTITY: &'static str = "accident_measure";
    const PAYLOAD_VERSION: i32 = 1;
    fn entity_id(&self) -> String {
        self.id.to_string()
    }
    fn payload(&self) -> Value {
        json!({"id": self.id, "accident_id": self.accident_id, "bureau_id": self.bureau_id,
            "description": self.description, "responsible_unit": self.responsible_unit,
            "deadline": self.deadline.to_string(), "status": self.status, "evidence": self.evidence,
            "verifier": self.verifier, "done_on": self.done_on.map(|d| d.to_string()),
            "created_by": self.created_by, "created_at": canonical::time(self.created_at),
            "updated_at": canonical::time(self.updated_at)})
    }
}

/// Overdue on `today`: still open and the deadline is before it.
pub fn is_overdue(m: &measure::Model, today: NaiveDate) -> bool {
    m.status == MeasureStatus::Open && m.deadline < today
}

/// The key of the to-do for an overdue measure (closed when it is done).
pub fn todo_key(id: i64) -> String {
    format!("accident_measure:{id}")
}

fn respond(m: measure::Model, today: NaiveDate) -> AccidentMeasureResponse {
    AccidentMeasureResponse {
        overdue: is_overdue(&m, today),
        id: m.id,
        accident_id: m.accident_id,
        description: m.description,
        responsible_unit: m.responsible_unit,
        deadline: m.deadline,
        status_label: m.status.zh().to_owned(),
        status: m.status,
        evidence: m.evidence,
        verifier: m.verifier,
        done_on: m.done_on,
        created_at: m.created_at,
    }
}

fn required(fields: &mut FieldErrors, items: [(&str, &str, &str, usize); 2]) {
    for (f, label, v, max) in items {
        if v.trim().is_empty() {
            fields.entry(f.to_owned()).or_default().push(format!("请填写{label}"));
        }
        limits::check(fields, f, label, Some(v), max);
    }
}

/// Adds a measure to an accident.
pub async fn create(
    tx: &Tx,
    user: &CurrentUser,
    id: i64,
    b: &CreateAccidentMeasure,
) -> AppResult<AccidentMeasureResponse> {
    user.require_any(&[Role::Regulator])?;
    let a = crate::scope::get::<accident::Entity, _>(tx, &user.scope, id).await?;
    let mut fields = FieldErrors::new();
    required(
        &mut fields,
        [
            ("description", "整改措施", &b.description, limits::TEXT),
            ("responsible_unit", "责任单位", &b.responsible_unit, limits::NAME),
        ],
    );
    if b.deadline < china_date(a.occurred_at) {
        fields.entry("deadline".to_owned()).or_default().push("整改期限早于事故发生日期".to_owned());
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let ctx = tx.ctx();
    let row = measure::ActiveModel {
        accident_id: Set(a.id),
        bureau_id: Set(a.bureau_id),
        description: Set(b.description.trim().to_owned()),
        responsible_unit: Set(b.responsible_unit.trim().to_owned()),
        deadline: Set(b.deadline),
        status: Set(MeasureStatus::Open),
        evidence: Set(None),
        verifier: Set(None),
        done_on: Set(None),
        created_by: Set(user.id),
        created_at: Set(ctx.at),
        updated_at: Set(ctx.at),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(tx, ctx, "create", &row).await?;
    Ok(respond(row, china_date(ctx.at)))
}

/// Marks a measure done (409 `measure_done` when it already is) and closes its to-do.
pub async fn complete(
    tx: &Tx,
    user: &CurrentUser,
    id: i64,
    measure_id: i64,
    b: &CompleteAccidentMeasure,
) -> AppResult<AccidentMeasureResponse> {
    user.require_any(&[Role::Regulator])?;
    let a = crate::scope::get::<accident::Entity, _>(tx, &user.scope, id).await?;
    let m = measure::Entity::find_by_id(measure_id)
        .filter(measure::Column::AccidentId.eq(a.id))
        .one(tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if m.status == MeasureStatus::Done {
        return Err(AppError::conflict("measure_done", "该整改措施已完成"));
    }
    let ctx = tx.ctx();
    let today = china_date(ctx.at);
    let mut fields = FieldErrors::new();
    required(
        &mut fields,
        [("evidence", "完成情况", &b.evidence, limits::TEXT), ("verifier", "核查人", &b.verifier, limits::SHORT)],
    );
    let done_on = b.done_on.unwrap_or(today);
    if done_on > today || done_on < china_date(m.created_at) {
        fields.entry("done_on".to_owned()).or_default().push("完成日期须在措施登记之日与今天之间".to_owned());
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let mut row: measure::ActiveModel = m.into();
    row.status = Set(MeasureStatus::Done);
    row.evidence = Set(Some(b.evidence.trim().to_owned()));
    row.verifier = Set(Some(b.verifier.trim().to_owned()));
    row.done_on = Set(Some(done_on));
    row.updated_at = Set(ctx.at);
    let saved = row.update(tx).await?;
    audit::record(tx, ctx, "complete", &saved).await?;
    super::reports::close_todos(tx, ctx.at, &todo_key(saved.id)).await?;
    Ok(respond(saved, today))
}

/// The measures of an accident in the user's scope, in the order added.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<Vec<AccidentMeasureResponse>> {
    let a = crate::scope::get::<accident::Entity, _>(db, &user.scope, id).await?;
    let rows = measure::Entity::find()
        .filter(measure::Column::AccidentId.eq(a.id))
        .order_by_asc(measure::Column::Id)
        .all(db)
        .await?;
    let today = china_date(now);
    Ok(rows.into_iter().map(|m| respond(m, today)).collect())
}
