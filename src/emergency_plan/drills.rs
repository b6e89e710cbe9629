//! Drills (应急演练) the enterprise records against an accepted filing's plans
//! ([`record`]); the nightly job reads them for the next drill due.
//!
//! Decisions:
//! - A drill names one plan document of an accepted filing of the enterprise; the
//!   plan's kind is kept on the drill, so a later filing's plan of the same kind
//!   continues the same cycle.
//! - Recording a drill closes the enterprise's drill to-dos of that kind.

use super::checks::{self, push};
use super::domain::Action;
use super::json::RecordDrill;
use super::{policy, service};
use crate::audit::{self, Audited, canonical};
use crate::auth::CurrentUser;
use crate::entities::{emergency_plan_document as doc, emergency_plan_drill as drill, todo};
use crate::error::{AppError, AppResult};
use crate::write::Tx;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

impl Audited for drill::Model {
    const ENTITY: &'static str = "emergency_plan_drill";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({"id": self.id, "enterprise_id": self.enterprise_id, "filing_id": self.filing_id,
            "document_id": self.document_id, "plan_kind": self.plan_kind.as_str(), "form": self.form.as_str(),
            "drilled_on": canonical::opt_date(Some(self.drilled_on)), "participants": self.participants,
            "summary": self.summary, "recorded_by": self.recorded_by, "created_at": canonical::time(self.created_at)})
    }
}

/// Records a drill of one of the filing's plans (the enterprise's principal or safety officer).
pub async fn record(tx: &Tx, user: &CurrentUser, id: i64, b: &RecordDrill) -> AppResult<drill::Model> {
    if !policy::files(user) {
        return Err(AppError::Forbidden);
    }
    let m = service::visible(tx, user, id).await?;
    policy::check(user, &m, Action::RecordDrill)?;
    let mut f = checks::drill(b, crate::clock::china_date(tx.now()));
    let plan = doc::Entity::find_by_id(b.document_id).filter(doc::Column::FilingId.eq(m.id)).one(tx).await?;
    if plan.is_none() {
        push(&mut f, "document_id", "请选择本次备案中的一份预案");
    }
    let (Some(plan), true) = (plan, f.is_empty()) else { return Err(AppError::Validation(f)) };
    let row = drill::ActiveModel {
        enterprise_id: Set(m.enterprise_id),
        filing_id: Set(m.id),
        document_id: Set(plan.id),
        plan_kind: Set(plan.kind),
        form: Set(b.form),
        drilled_on: Set(b.drilled_on),
        participants: Set(b.participants),
        summary: Set(b.summary.trim().to_owned()),
        recorded_by: Set(user.id),
        created_at: Set(tx.ctx().at),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(tx, tx.ctx(), "create", &row).await?;
    todo::Entity::update_many()
        .col_expr(todo::Column::DoneAt, Expr::value(tx.ctx().at))
        .filter(todo::Column::DedupeKey.starts_with(format!(
            "emergency_plan_drill:{}:{}:",
            m.enterprise_id,
            plan.kind.as_str()
        )))
        .filter(todo::Column::DoneAt.is_null())
        .exec(tx)
        .await?;
    Ok(row)
}
