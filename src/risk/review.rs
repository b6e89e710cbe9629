//! Periodic review (定期复核) of risk points: each point has a review date; when it
//! comes, the enterprise's 安全管理人员 get a to-do (`risk_review:{point}:{date}`,
//! due that day), closed by recording the review, which sets the next date (a year
//! on unless given).
//!
//! Decision: the job looks at points due within the last 30 days, so a run never
//! scans the whole table; jobs run every few minutes, so a point is flagged on its
//! day, and one missed for a month (the jobs off) is still overdue on the list of
//! points (待复核) though without a to-do.

use super::json::RiskPointResponse;
use super::policy;
use crate::audit;
use crate::auth::{CurrentUser, Role};
use crate::entities::{risk_point, todo};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::write::Tx;
use chrono::{DateTime, Duration, Months, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};
use serde::Deserialize;

/// Points one job run flags at most (the rest on the next run).
const PER_RUN: u64 = 10_000;

/// A review of a point.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ReviewBody {
    /// 复核意见 (required).
    #[schema(max_length = 5000)]
    pub note: String,
    /// The next review date; a year from today when not given. After today.
    pub next_review_due: Option<NaiveDate>,
}

fn key_prefix(point: i64) -> String {
    format!("risk_review:{point}:")
}

/// Records a review of a point: the next date, the to-do closed.
pub async fn review(tx: &Tx, user: &CurrentUser, id: i64, b: &ReviewBody) -> AppResult<RiskPointResponse> {
    let p = risk_point::Entity::find_by_id(id).one(tx).await?.ok_or(AppError::NotFound)?;
    let enterprise = crate::enterprise::service::get_scoped(tx, &user.scope, p.enterprise_id).await?;
    policy::check_write(user, &enterprise)?;
    let today = crate::clock::china_date(tx.ctx().at);
    let mut fields = FieldErrors::new();
    if b.note.trim().is_empty() {
        fields.entry("note".to_owned()).or_default().push("请填写复核意见".to_owned());
    }
    crate::limits::check(&mut fields, "note", "复核意见", Some(&b.note), crate::limits::TEXT);
    if b.next_review_due.is_some_and(|d| d <= today) {
        fields.entry("next_review_due".to_owned()).or_default().push("下次复核日期须晚于今天".to_owned());
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let next = b.next_review_due.unwrap_or_else(|| today.checked_add_months(Months::new(12)).unwrap_or(today));
    let mut a: risk_point::ActiveModel = p.into();
    a.review_due = Set(next);
    a.updated_at = Set(tx.ctx().at);
    let row = a.update(tx).await?;
    audit::record(tx, tx.ctx(), "review", &row).await?;
    todo::Entity::update_many()
        .col_expr(todo::Column::DoneAt, Expr::value(tx.ctx().at))
        .filter(todo::Column::DedupeKey.starts_with(key_prefix(id)))
        .filter(todo::Column::DoneAt.is_null())
        .exec(tx)
        .await?;
    super::service::get(tx, user, id).await
}

/// What the review job did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct ReviewReport {
    pub flagged: u64,
}

/// Adds a to-do for each point whose review is due (within the last 30 days).
pub async fn flag_due<C: ConnectionTrait>(db: &C, at: DateTime<Utc>) -> AppResult<ReviewReport> {
    let today = crate::clock::china_date(at);
    let rows: Vec<(i64, i64, String, NaiveDate)> = risk_point::Entity::find()
        .select_only()
        .columns([
            risk_point::Column::Id,
            risk_point::Column::EnterpriseId,
            risk_point::Column::Name,
            risk_point::Column::ReviewDue,
        ])
        .filter(risk_point::Column::ReviewDue.lte(today))
        .filter(risk_point::Column::ReviewDue.gte(today - Duration::days(30)))
        .limit(PER_RUN)
        .into_tuple()
        .all(db)
        .await?;
    let mut report = ReviewReport::default();
    for (id, enterprise, name, due) in rows {
        let key = format!("{}{due}", key_prefix(id));
        let item = crate::todo::NewTodo {
            assignee: crate::todo::Assignee::EnterpriseRole(enterprise, Role::SafetyOfficer),
            kind: "risk_review",
            title: format!("风险点“{}”应于 {due} 复核", crate::limits::preview(&name)),
            link: format!("/enterprises/{enterprise}/risk-points"),
            dedupe_key: key.clone(),
        };
        crate::todo::add(db, at, item).await?;
        crate::todo::set_due(db, vec![key], Some(due)).await?;
        report.flagged += 1;
    }
    Ok(report)
}
