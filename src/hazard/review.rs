//! The 核销 review (现场审查) of a major hazard's 销号 submission (16号令
//! art. 23): the date, at least two reviewers by name, the opinion, whether it
//! passed and whether it lifts the suspension. Every review is kept in
//! `hazard_reviews`; the detail shows the latest as `review`, which the
//! printable 核销意见书 reads.

use super::json::ActionRequest;
use crate::audit::{self, AuditCtx};
use crate::auth::CurrentUser;
use crate::entities::{hazard, hazard_review};
use crate::error::{AppResult, FieldErrors};
use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

/// Reviewers a 核销 needs at least.
pub const MIN_REVIEWERS: usize = 2;

/// The 核销 review (现场审查) of a major hazard's submission, as the detail shows the latest.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Review {
    pub reviewed_on: NaiveDate,
    /// The reviewers' names (at least two).
    pub reviewers: Vec<String>,
    pub opinion: String,
    pub passed: bool,
    pub lift_suspension: bool,
}

fn push(fields: &mut FieldErrors, field: &str, message: &str) {
    fields.entry(field.to_owned()).or_default().push(message.to_owned());
}

/// The reviewers' names as stored: trimmed, blanks dropped.
fn names(req: &ActionRequest) -> Vec<String> {
    req.reviewers.iter().map(|r| r.trim().to_owned()).filter(|r| !r.is_empty()).collect()
}

/// The review's own fields of a major hazard's `verify` body.
pub fn check(req: &ActionRequest, today: NaiveDate, fields: &mut FieldErrors) {
    let names = names(req);
    let distinct: std::collections::BTreeSet<&str> = names.iter().map(String::as_str).collect();
    if names.len() < MIN_REVIEWERS {
        push(fields, "reviewers", "核销审查须填写至少两名审查人员");
    } else if distinct.len() != names.len() {
        push(fields, "reviewers", "审查人员不能重复");
    }
    if req.opinion.as_deref().is_none_or(|o| o.trim().is_empty()) {
        push(fields, "opinion", "请填写审查意见");
    }
    if req.reviewed_on.is_some_and(|d| d > today) {
        push(fields, "reviewed_on", "审查日期不能晚于今天");
    }
    if req.lift_suspension == Some(true) && req.passed == Some(false) {
        push(fields, "lift_suspension", "核销未通过，不能解除停产停用");
    }
}

/// The timeline step's details of a `verify`: the result, and the review of a major hazard.
pub fn step_data(req: &ActionRequest, major: bool) -> Value {
    if major {
        json!({"passed": req.passed, "reviewed_on": req.reviewed_on, "reviewers": names(req),
            "opinion": req.opinion, "lift_suspension": req.lift_suspension.unwrap_or(false)})
    } else {
        json!({"passed": req.passed})
    }
}

/// Keeps the review of the `verify` step `event_id`.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    user: &CurrentUser,
    h: &hazard::Model,
    req: &ActionRequest,
    event_id: i64,
) -> AppResult<()> {
    let row = hazard_review::ActiveModel {
        hazard_id: Set(h.id),
        event_id: Set(Some(event_id)),
        reviewed_on: Set(req.reviewed_on.unwrap_or_else(|| crate::clock::china_date(ctx.at))),
        reviewers: Set(json!(names(req)).to_string()),
        opinion: Set(req.opinion.as_deref().unwrap_or_default().trim().to_owned()),
        passed: Set(req.passed == Some(true)),
        lift_suspension: Set(req.passed == Some(true) && req.lift_suspension == Some(true)),
        author_id: Set(Some(user.id)),
        created_at: Set(ctx.at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(db, ctx, "create", &row).await?;
    Ok(())
}

/// The latest review of a hazard, if any.
pub async fn latest<C: ConnectionTrait>(db: &C, hazard_id: i64) -> AppResult<Option<Review>> {
    let row = hazard_review::Entity::find()
        .filter(hazard_review::Column::HazardId.eq(hazard_id))
        .order_by_desc(hazard_review::Column::Id)
        .one(db)
        .await?;
    Ok(row.map(|r| Review {
        reviewed_on: r.reviewed_on,
        reviewers: serde_json::from_str(&r.reviewers).unwrap_or_default(),
        opinion: r.opinion,
        passed: r.passed,
        lift_suspension: r.lift_suspension,
    }))
}
