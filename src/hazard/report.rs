//! 双报告: the enterprise's prompt report of a major hazard to its supervising
//! bureau and to its workers' congress (安全生产法 art. 41; contents after
//! 16号令 art. 14: current state and causes, degree of harm and difficulty of
//! remediation, the remediation plan, and the date it went to the congress).
//! Reporting it notifies the supervising regulators; it can be amended (each
//! version is on the timeline and in the change log). The quarterly and annual
//! statistics are a different duty.
//!
//! Once a major hazard is 认定 (confirmed, or re-graded to major), its
//! enterprise gets a to-do to file the report within
//! [`REPORT_DUE_WORKING_DAYS`] working days; filing closes it.

use super::service::{NewEvent, get_visible, record_event};
use crate::audit;
use crate::auth::{CurrentUser, Role};
use crate::entities::hazard;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::limits;
use crate::mail::NoticeContext;
use crate::notice::Notice;
use crate::write::{Touched, Tx};
use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// Working days after 认定 within which the enterprise is asked to file the
/// 双报告. WSL art. 41 ¶2 and 16号令 art. 14 say "及时" without a period;
/// five working days is the period several provinces' rules on reporting
/// major hazards set (e.g. "认定后 5 个工作日内"), counted on the working-day
/// calendar from the day of 认定.
pub const REPORT_DUE_WORKING_DAYS: u32 = 5;

/// The to-dos asking for the 双报告 of hazard `id` share this key prefix.
fn due_key(id: i64) -> String {
    format!("major_report:{id}:due:")
}

/// Asks the enterprise for the 双报告 of a confirmed major hazard not yet
/// reported (once: the to-do's key is per hazard). Called after every step,
/// so that a re-grade to major asks too.
pub async fn ask_for_report<C: ConnectionTrait>(
    db: &C,
    ctx: &crate::audit::AuditCtx,
    h: &hazard::Model,
) -> AppResult<()> {
    use super::domain::{Level, Status};
    let settled = matches!(h.status, Status::Reported | Status::Closed | Status::Dismissed | Status::Voided);
    if h.level != Level::Major || settled || h.reported_at.is_some() || h.enterprise_id.is_none() {
        return Ok(());
    }
    let due = crate::calendar::load(db)
        .await?
        .add_working_days(crate::clock::china_date(ctx.at), REPORT_DUE_WORKING_DAYS)
        .date;
    let notices: Vec<Notice> = super::notify::enterprise_roles(h)
        .into_iter()
        .enumerate()
        .map(|(i, assignee)| Notice {
            assignee,
            todo_kind: "major_report_due",
            title: format!("待报告重大事故隐患（双报告）：{}，请于 {due} 前向监管部门和职代会报告", h.title),
            link: format!("/hazards/{}/report", h.id),
            mail: None,
            ctx: NoticeContext::default(),
            key: format!("{}{i}", due_key(h.id)),
        })
        .collect();
    let keys = notices.iter().map(|n| n.key.clone()).collect();
    crate::notice::send(db, ctx.at, notices).await?;
    crate::todo::set_due(db, keys, Some(due)).await
}
use serde::{Deserialize, Serialize};

/// The major-hazard report (重大事故隐患报告).
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct MajorReport {
    /// 隐患的现状及其产生原因; required, at most `limits::TEXT` characters (also below).
    #[schema(max_length = 5000)]
    pub current_state_and_causes: String,
    /// 隐患的危害程度和整改难易程度分析.
    #[schema(max_length = 5000)]
    pub harm_and_difficulty: String,
    /// 隐患的治理方案 (summary; the 五定 plan is the `plan` step).
    #[schema(max_length = 5000)]
    pub remediation_plan: String,
    /// The date it was reported to the workers' congress (职工大会/职工代表大会).
    pub congress_reported_on: Option<NaiveDate>,
    /// The version read; a stale one answers 409 `version_conflict`.
    pub version: Option<i32>,
}

/// Closes the to-dos asking for the report of hazard `id` (it was filed).
async fn close_request<C: ConnectionTrait>(db: &C, ctx: &crate::audit::AuditCtx, id: i64) -> AppResult<()> {
    use crate::entities::todo;
    todo::Entity::update_many()
        .col_expr(todo::Column::DoneAt, Expr::value(ctx.at))
        .filter(todo::Column::DoneAt.is_null())
        .filter(crate::like::starts_with(todo::Column::DedupeKey, &due_key(id)))
        .exec(db)
        .await?;
    Ok(())
}

fn check(r: &MajorReport, today: NaiveDate) -> FieldErrors {
    let mut fields = FieldErrors::new();
    for (name, label, value) in [
        ("current_state_and_causes", "隐患的现状及其产生原因", &r.current_state_and_causes),
        ("harm_and_difficulty", "危害程度和整改难易程度分析", &r.harm_and_difficulty),
        ("remediation_plan", "治理方案", &r.remediation_plan),
    ] {
        if value.trim().is_empty() {
            fields.entry(name.to_owned()).or_default().push(format!("请填写{label}"));
        }
        limits::check(&mut fields, name, label, Some(value), limits::TEXT);
    }
    if r.congress_reported_on.is_some_and(|d| d > today) {
        fields.entry("congress_reported_on".to_owned()).or_default().push("报告职代会日期不能晚于今天".to_owned());
    }
    fields
}

/// Files (or amends) the report of a major hazard, by the enterprise's principal or safety officer.
pub async fn file(tx: &Tx, user: &CurrentUser, id: i64, r: &MajorReport) -> AppResult<hazard::Model> {
    if !super::policy::files_reports(&user.roles) {
        return Err(AppError::Forbidden);
    }
    let ctx = tx.ctx();
    let fields = check(r, crate::clock::china_date(ctx.at));
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    tx.touch(Touched::Ledger);
    tx.touch(Touched::Mail);
    let h = get_visible(tx, user, id).await?;
    if !super::policy::may_file_report(
        &super::policy::Actor::new(user, h.enterprise_id),
        &super::policy::Record::of(&h)?,
    ) {
        return Err(AppError::conflict("not_a_major_hazard", "只有重大事故隐患需要报告"));
    }
    if r.version.is_some_and(|v| v != h.version) {
        return Err(AppError::conflict("version_conflict", "该隐患已被他人更新，请刷新后重试"));
    }
    let mut stored = serde_json::to_value(r).map_err(|e| AppError::Internal(e.into()))?;
    stored["reported_at"] = serde_json::json!(crate::audit::canonical::time_text(ctx.at));
    if let Some(o) = stored.as_object_mut() {
        o.remove("version");
    }
    let mut a: hazard::ActiveModel = h.clone().into();
    super::columns::set_report(&mut a, r, ctx.at);
    a.version = Set(h.version + 1);
    a.updated_at = Set(ctx.at);
    let row = hazard::Entity::update_many()
        .set(a)
        .filter(hazard::Column::Id.eq(h.id))
        .filter(hazard::Column::Version.eq(h.version))
        .exec_with_returning(tx)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::conflict("version_conflict", "该隐患已被他人更新，请刷新后重试"))?;
    audit::record(tx, ctx, "major_report", &row).await?;
    close_request(tx, ctx, row.id).await?;
    let status = row.status;
    let step = NewEvent { action: "major_report", from: Some(status), to: status, note: None, data: Some(stored) };
    let event = record_event(tx, ctx, row.id, step).await?;
    let name = super::notify::operator_name(tx, &row).await?;
    let notice = Notice {
        assignee: crate::todo::Assignee::BureauRole(row.bureau_id, Role::Regulator),
        todo_kind: "major_report_received",
        title: format!("重大隐患报告：{}（{name}）", row.title),
        link: super::notify::link(row.id),
        mail: None,
        ctx: NoticeContext::default(),
        key: format!("hazard:{}:major_report:{}:0", row.id, event.id),
    };
    crate::notice::send(tx, ctx.at, vec![notice]).await?;
    Ok(row)
}
