//! Generating, confirming, submitting and returning reports, and the bureau's
//! overview of who has reported.

use super::domain::{self, Actor, ReportStatus};
use super::figures::{self, ByLevel, CategoryFigures, Figures};
use super::json::{OverviewItem, OverviewQuery, OverviewResponse, ReportAction, ReportResponse, Summary};
use super::period::Period;
use crate::audit::{self, AuditCtx};
use crate::auth::{CurrentUser, Role, Scope};
use crate::clock::{china_date, china_day_start};
use crate::entities::{enterprise, hazard_statistic as stat, todo};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::limits;
use crate::notice::Notice;
use crate::todo::Assignee;
use crate::write::{Touched, Tx};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Select,
};
use std::collections::HashMap;

/// The enterprise to-do that asks for a period's report.
pub fn todo_key(enterprise_id: i64, period: Period) -> String {
    format!("hazard_stats:{enterprise_id}:{period}")
}

pub fn link(id: i64) -> String {
    format!("/hazard-statistics/{id}")
}

fn parse_period(s: &str) -> AppResult<Period> {
    Period::parse(s).ok_or_else(|| AppError::validation("period", "统计期应为 2026Q3（季度）或 2026（年度）"))
}

fn conflict_stale() -> AppError {
    AppError::conflict("version_conflict", "该报表已被他人更新，请刷新后重试")
}

/// Enterprises that owe a report for the period — not closed, and in the
/// register before the report fell due — and any other that has begun one.
pub fn required(query: Select<enterprise::Entity>, period: Period) -> Select<enterprise::Entity> {
    let due_end = china_day_start(period.due().succ_opt().unwrap_or(period.due()));
    let mut begun = Query::select();
    begun.column(stat::Column::EnterpriseId).from(stat::Entity).and_where(stat::Column::Period.eq(period.to_string()));
    let owes = sea_orm::Condition::all()
        .add(enterprise::Column::Status.ne("closed"))
        .add(enterprise::Column::CreatedAt.lt(due_end));
    query.filter(sea_orm::Condition::any().add(owes).add(enterprise::Column::Id.in_subquery(begun)))
}

/// Of those, the ones that have not submitted it.
pub fn owing(query: Select<enterprise::Entity>, period: Period) -> Select<enterprise::Entity> {
    required(query, period).filter(enterprise::Column::Id.not_in_subquery(submitted_ids(period, None)))
}

fn submitted_ids(period: Period, late: Option<bool>) -> sea_orm::sea_query::SelectStatement {
    let mut q = Query::select();
    q.column(stat::Column::EnterpriseId)
        .from(stat::Entity)
        .and_where(stat::Column::Period.eq(period.to_string()))
        .and_where(stat::Column::Status.eq(ReportStatus::Submitted));
    if let Some(l) = late {
        q.and_where(stat::Column::Late.eq(l));
    }
    q
}

/// The report's policy inputs for this user.
fn actor(user: &CurrentUser, row: &stat::Model) -> Actor {
    Actor {
        roles: user.roles.clone(),
        bureau_user: user.is_bureau_user(),
        own: user.enterprise_ids.contains(&row.enterprise_id),
    }
}

/// The stored status. The column is typed: a value it cannot hold already
/// failed the read as a 500, so this cannot fail; it keeps the callers' shape.
#[allow(clippy::unnecessary_wraps)]
fn status_of(row: &stat::Model) -> AppResult<ReportStatus> {
    Ok(row.status)
}

fn with_figures(row: stat::Model, enterprise_name: String, user: &CurrentUser) -> AppResult<ReportResponse> {
    let (me, status) = (actor(user, &row), status_of(&row)?);
    let by_category: Vec<CategoryFigures> =
        serde_json::from_str(&row.by_category).map_err(|e| AppError::Internal(e.into()))?;
    let figures = Figures {
        found: ByLevel { general: row.found_general, major: row.found_major },
        rectified: ByLevel { general: row.rectified_general, major: row.rectified_major },
        rectifying: ByLevel { general: row.rectifying_general, major: row.rectifying_major },
        overdue: ByLevel { general: row.overdue_general, major: row.overdue_major },
        found_rectified: row.found_rectified,
        funds_fen: row.funds_fen,
        by_category,
        self_inspections: row.self_inspections,
    };
    let period = Period::parse(&row.period).ok_or_else(|| AppError::Internal(anyhow::anyhow!("bad period")))?;
    Ok(ReportResponse {
        id: row.id,
        enterprise_id: row.enterprise_id,
        enterprise_name,
        period: row.period,
        period_label: period.zh(),
        kind: row.kind,
        period_start: row.period_start,
        period_end: row.period_end,
        due_on: row.due_on,
        rectification_rate: figures.rectification_rate(),
        figures,
        analysis: row.analysis,
        status: row.status,
        generated_at: row.generated_at,
        confirmed_by: row.confirmed_by,
        confirmed_at: row.confirmed_at,
        submitted_at: row.submitted_at,
        first_submitted_at: row.first_submitted_at,
        late: row.late,
        return_reason: row.return_reason,
        version: row.version,
        allowed_actions: domain::available(&me, status),
        may_regenerate: domain::may_regenerate(&me, status),
    })
}

/// The report as the API shows it.
pub async fn response<C: ConnectionTrait>(db: &C, user: &CurrentUser, row: stat::Model) -> AppResult<ReportResponse> {
    let name = enterprise::Entity::find_by_id(row.enterprise_id).one(db).await?.map(|e| e.name).unwrap_or_default();
    with_figures(row, name, user)
}

/// One report the user may see; otherwise 404.
pub async fn get_visible<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<stat::Model> {
    // A report is seen by whoever may see its enterprise now (it follows the enterprise).
    let row = stat::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    crate::scope::get::<enterprise::Entity, _>(db, &user.scope, row.enterprise_id).await?;
    Ok(row)
}

fn own_enterprise(user: &CurrentUser, enterprise_id: i64) -> AppResult<()> {
    if user.enterprise_ids.contains(&enterprise_id) { Ok(()) } else { Err(AppError::NotFound) }
}

fn apply_figures(a: &mut stat::ActiveModel, f: &Figures) -> AppResult<()> {
    a.found_general = Set(f.found.general);
    a.found_major = Set(f.found.major);
    a.rectified_general = Set(f.rectified.general);
    a.rectified_major = Set(f.rectified.major);
    a.rectifying_general = Set(f.rectifying.general);
    a.rectifying_major = Set(f.rectifying.major);
    a.overdue_general = Set(f.overdue.general);
    a.overdue_major = Set(f.overdue.major);
    a.found_rectified = Set(f.found_rectified);
    a.funds_fen = Set(f.funds_fen);
    a.self_inspections = Set(f.self_inspections);
    a.by_category = Set(serde_json::to_string(&f.by_category).map_err(|e| AppError::Internal(e.into()))?);
    Ok(())
}

/// Every problem of a generate request at once; the period and enterprise when none.
fn check_generate(
    user: &CurrentUser,
    enterprise_id: Option<i64>,
    period: &str,
    analysis: Option<&str>,
    today: chrono::NaiveDate,
) -> AppResult<(Period, i64, Option<String>)> {
    let mut fields = FieldErrors::new();
    let period = Period::parse(period);
    match period {
        None => fields.entry("period".into()).or_default().push("统计期应为 2026Q3（季度）或 2026（年度）".into()),
        Some(p) if p.end() >= today => {
            fields.entry("period".into()).or_default().push(format!("{}尚未结束，结束后才能生成统计", p.zh()));
        }
        Some(_) => {}
    }
    let enterprise_id = enterprise_id.or_else(|| user.enterprise_ids.first().copied());
    if enterprise_id.is_none() {
        fields.entry("enterprise_id".into()).or_default().push("请指定企业".into());
    }
    let analysis = analysis.map(str::trim).filter(|a| !a.is_empty());
    limits::check(&mut fields, "analysis", "统计分析", analysis, limits::TEXT);
    match (period, enterprise_id) {
        (Some(p), Some(e)) if fields.is_empty() => Ok((p, e, analysis.map(str::to_owned))),
        _ => Err(AppError::Validation(fields)),
    }
}

fn new_report(ctx: &AuditCtx, e: &enterprise::Model, period: Period, analysis: Option<String>) -> stat::ActiveModel {
    stat::ActiveModel {
        enterprise_id: Set(e.id),
        bureau_id: Set(e.supervising_bureau_id),
        period: Set(period.to_string()),
        kind: Set(period.kind().to_owned()),
        period_start: Set(period.start()),
        period_end: Set(period.end()),
        due_on: Set(period.due()),
        analysis: Set(analysis),
        status: Set(ReportStatus::Draft),
        generated_at: Set(ctx.at),
        confirmed_by: Set(None),
        confirmed_at: Set(None),
        submitted_by: Set(None),
        submitted_at: Set(None),
        first_submitted_at: Set(None),
        late: Set(None),
        return_reason: Set(None),
        created_at: Set(ctx.at),
        updated_at: Set(ctx.at),
        version: Set(1),
        ..Default::default()
    }
}

/// Generates the report of an ended period from the ledger, or regenerates a
/// report not yet submitted (which undoes the principal's confirmation).
/// Enterprise principals and safety officers, for their own enterprise.
pub async fn generate(
    tx: &Tx,
    user: &CurrentUser,
    enterprise_id: Option<i64>,
    period: &str,
    analysis: Option<&str>,
    version: Option<i32>,
) -> AppResult<stat::Model> {
    if !domain::keeps_reports(&user.roles) {
        return Err(AppError::Forbidden);
    }
    let ctx = tx.ctx();
    let (period, enterprise_id, analysis) = check_generate(user, enterprise_id, period, analysis, china_date(ctx.at))?;
    own_enterprise(user, enterprise_id)?;
    let e = crate::enterprise::service::get_scoped(tx, &user.scope, enterprise_id).await?;
    let f = figures::load(tx, enterprise_id, period).await?;
    let existing = stat::Entity::find()
        .filter(stat::Column::EnterpriseId.eq(enterprise_id))
        .filter(stat::Column::Period.eq(period.to_string()))
        .one(tx)
        .await?;
    let row = if let Some(old) = existing {
        if !domain::may_regenerate(&actor(user, &old), status_of(&old)?) {
            return Err(AppError::conflict("already_submitted", "该统计已报送；如需修改，请联系监管部门退回"));
        }
        if version.is_some_and(|v| v != old.version) {
            return Err(conflict_stale());
        }
        let mut a: stat::ActiveModel = old.clone().into();
        apply_figures(&mut a, &f)?;
        if analysis.is_some() {
            a.analysis = Set(analysis);
        }
        a.bureau_id = Set(e.supervising_bureau_id);
        a.status = Set(ReportStatus::Draft);
        a.confirmed_by = Set(None);
        a.confirmed_at = Set(None);
        a.generated_at = Set(ctx.at);
        a.updated_at = Set(ctx.at);
        a.version = Set(old.version + 1);
        update_checked(tx, a, old.id, old.version).await?
    } else {
        let mut a = new_report(ctx, &e, period, analysis);
        apply_figures(&mut a, &f)?;
        stat::Entity::insert(a).exec_with_returning(tx).await.map_err(|e| {
            // Another request generated the same report a moment ago (PostgreSQL).
            if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) {
                conflict_stale()
            } else {
                e.into()
            }
        })?
    };
    audit::record(tx, ctx, "generate", &row).await?;
    Ok(row)
}

/// Updates the row if it is still at `version`; 409 otherwise.
async fn update_checked<C: ConnectionTrait>(
    db: &C,
    a: stat::ActiveModel,
    id: i64,
    version: i32,
) -> AppResult<stat::Model> {
    stat::Entity::update_many()
        .set(a)
        .filter(stat::Column::Id.eq(id))
        .filter(stat::Column::Version.eq(version))
        .exec_with_returning(db)
        .await?
        .into_iter()
        .next()
        .ok_or_else(conflict_stale)
}

/// The reason of a return: required, at most `limits::TEXT` characters.
fn return_reason(reason: Option<&str>) -> AppResult<String> {
    let Some(reason) = reason.map(str::trim).filter(|r| !r.is_empty()) else {
        return Err(AppError::validation("reason", "请填写退回原因"));
    };
    let mut fields = FieldErrors::new();
    limits::check(&mut fields, "reason", "退回原因", Some(reason), limits::TEXT);
    if fields.is_empty() { Ok(reason.to_owned()) } else { Err(AppError::Validation(fields)) }
}

/// The change a step makes, after the life cycle says this user may take it now.
fn apply(
    user: &CurrentUser,
    old: &stat::Model,
    action: ReportAction,
    reason: Option<&str>,
    at: chrono::DateTime<chrono::Utc>,
) -> AppResult<stat::ActiveModel> {
    let to = domain::check(&actor(user, old), status_of(old)?, action)?;
    let mut a: stat::ActiveModel = old.clone().into();
    a.status = Set(to);
    match action {
        ReportAction::Confirm => {
            a.confirmed_by = Set(Some(user.id));
            a.confirmed_at = Set(Some(at));
        }
        ReportAction::Submit => {
            a.submitted_by = Set(Some(user.id));
            a.submitted_at = Set(Some(at));
            if old.first_submitted_at.is_none() {
                a.first_submitted_at = Set(Some(at));
                a.late = Set(Some(china_date(at) > old.due_on));
            }
            a.return_reason = Set(None);
        }
        ReportAction::Return => {
            a.return_reason = Set(Some(return_reason(reason)?));
            a.confirmed_by = Set(None);
            a.confirmed_at = Set(None);
            a.submitted_by = Set(None);
            a.submitted_at = Set(None);
        }
    }
    a.updated_at = Set(at);
    a.version = Set(old.version + 1);
    Ok(a)
}

/// `confirm` (the principal signs), `submit` (to the supervising bureau) or
/// `return` (a regulator sends a submitted report back with a reason).
pub async fn act(
    tx: &Tx,
    user: &CurrentUser,
    id: i64,
    action: ReportAction,
    version: Option<i32>,
    reason: Option<&str>,
) -> AppResult<stat::Model> {
    let ctx = tx.ctx();
    tx.touch(Touched::Mail);
    let old = get_visible(tx, user, id).await?;
    if version.is_some_and(|v| v != old.version) {
        return Err(conflict_stale());
    }
    let a = apply(user, &old, action, reason, ctx.at)?;
    let row = update_checked(tx, a, old.id, old.version).await?;
    audit::record(tx, ctx, action.as_str(), &row).await?;
    after(tx, ctx, &row, action).await?;
    Ok(row)
}

/// The to-dos a step closes or opens.
async fn after<C: ConnectionTrait>(db: &C, ctx: &AuditCtx, row: &stat::Model, action: ReportAction) -> AppResult<()> {
    let period = Period::parse(&row.period).ok_or_else(|| AppError::Internal(anyhow::anyhow!("bad period")))?;
    match action {
        ReportAction::Confirm => Ok(()),
        ReportAction::Submit => {
            let key = todo_key(row.enterprise_id, period);
            let mine = sea_orm::Condition::any()
                .add(todo::Column::DedupeKey.eq(key.clone()))
                .add(crate::like::starts_with(todo::Column::DedupeKey, &format!("{key}:")));
            todo::Entity::update_many()
                .col_expr(todo::Column::DoneAt, Expr::value(ctx.at))
                .filter(mine)
                .filter(todo::Column::DoneAt.is_null())
                .exec(db)
                .await?;
            Ok(())
        }
        ReportAction::Return => {
            let notices = [Role::Principal, Role::SafetyOfficer]
                .into_iter()
                .map(|role| Notice {
                    assignee: Assignee::EnterpriseRole(row.enterprise_id, role),
                    todo_kind: "statistics_returned",
                    title: format!("隐患排查治理统计被退回：{}", period.zh()),
                    link: link(row.id),
                    mail: None,
                    ctx: crate::mail::NoticeContext::default(),
                    key: format!("{}:returned:{}:{}", todo_key(row.enterprise_id, period), row.version, role.as_str()),
                })
                .collect();
            crate::notice::send(db, ctx.at, notices).await?;
            Ok(())
        }
    }
}

/// Who has reported for a period in the user's scope: the counts, the sums of
/// the submitted reports, and a page of enterprises.
pub async fn overview<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    q: &OverviewQuery,
    today: chrono::NaiveDate,
) -> AppResult<OverviewResponse> {
    let period = match q.period.as_deref().filter(|p| !p.trim().is_empty()) {
        Some(p) => parse_period(p)?,
        None => Period::last_past_due(today)[0],
    };
    let (offset, limit) = crate::json::PageParams { page: q.page, per_page: q.per_page }.resolve()?;
    let base = || required(crate::enterprise::service::scoped(enterprise::Entity::find(), &user.scope), period);
    let summary = summary(db, &user.scope, period, today).await?;
    let listed = match q.state.as_deref().unwrap_or("") {
        "on_time" => base().filter(enterprise::Column::Id.in_subquery(submitted_ids(period, Some(false)))),
        "late" => base().filter(enterprise::Column::Id.in_subquery(submitted_ids(period, Some(true)))),
        "not_submitted" => owing(crate::enterprise::service::scoped(enterprise::Entity::find(), &user.scope), period),
        "" => base(),
        _ => return Err(AppError::validation("state", "state 应为 on_time、late 或 not_submitted")),
    };
    let total = listed.clone().count(db).await?;
    let rows = listed.order_by_asc(enterprise::Column::Id).offset(offset).limit(limit).all(db).await?;
    let reports: HashMap<i64, stat::Model> = stat::Entity::find()
        .filter(stat::Column::Period.eq(period.to_string()))
        .filter(stat::Column::EnterpriseId.is_in(rows.iter().map(|e| e.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.enterprise_id, r))
        .collect();
    let items = rows
        .into_iter()
        .map(|e| {
            let r = reports.get(&e.id);
            OverviewItem {
                enterprise_id: e.id,
                enterprise_name: e.name,
                credit_code: e.credit_code,
                report_id: r.map(|r| r.id),
                status: r.map_or_else(|| "none".to_owned(), |r| r.status.as_str().to_owned()),
                submitted_at: r.and_then(|r| r.submitted_at),
                late: r.and_then(|r| r.late),
            }
        })
        .collect();
    let totals = totals(db, &user.scope, period).await?;
    Ok(OverviewResponse {
        period: period.to_string(),
        period_label: period.zh(),
        due_on: period.due(),
        summary,
        totals,
        items,
        total,
    })
}

/// How many in the scope owe the report, and how many sent it on time or late.
async fn summary<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    period: Period,
    today: chrono::NaiveDate,
) -> AppResult<Summary> {
    let base = || required(crate::enterprise::service::scoped(enterprise::Entity::find(), scope), period);
    let required_n = base().count(db).await?;
    let on_time =
        base().filter(enterprise::Column::Id.in_subquery(submitted_ids(period, Some(false)))).count(db).await?;
    let late = base().filter(enterprise::Column::Id.in_subquery(submitted_ids(period, Some(true)))).count(db).await?;
    let not_submitted = required_n - on_time - late;
    Ok(Summary {
        required: required_n,
        on_time,
        late,
        not_submitted,
        overdue: if today > period.due() { not_submitted } else { 0 },
    })
}

/// Column sums of the submitted reports.
#[derive(Debug, Default, sea_orm::FromQueryResult)]
struct Sums {
    found_general: i64,
    found_major: i64,
    rectified_general: i64,
    rectified_major: i64,
    rectifying_general: i64,
    rectifying_major: i64,
    overdue_general: i64,
    overdue_major: i64,
    found_rectified: i64,
    funds_fen: i64,
    self_inspections: i64,
}

/// Sums of the submitted reports in the scope.
async fn totals<C: ConnectionTrait>(db: &C, scope: &Scope, period: Period) -> AppResult<Figures> {
    let ids = crate::enterprise::service::scoped(enterprise::Entity::find(), scope)
        .select_only()
        .column(enterprise::Column::Id)
        .into_query();
    let cols = [
        stat::Column::FoundGeneral,
        stat::Column::FoundMajor,
        stat::Column::RectifiedGeneral,
        stat::Column::RectifiedMajor,
        stat::Column::RectifyingGeneral,
        stat::Column::RectifyingMajor,
        stat::Column::OverdueGeneral,
        stat::Column::OverdueMajor,
        stat::Column::FoundRectified,
        stat::Column::FundsFen,
        stat::Column::SelfInspections,
    ];
    let mut q = stat::Entity::find().select_only();
    for c in cols {
        let name = sea_orm::IdenStatic::as_str(&c);
        q = q.column_as(Expr::cust(format!("COALESCE(SUM({name}), 0)")).cast_as("BIGINT"), name);
    }
    let s = q
        .filter(stat::Column::Period.eq(period.to_string()))
        .filter(stat::Column::Status.eq(ReportStatus::Submitted))
        .filter(stat::Column::EnterpriseId.in_subquery(ids))
        .into_model::<Sums>()
        .one(db)
        .await?
        .unwrap_or_default();
    Ok(Figures {
        found: ByLevel { general: s.found_general, major: s.found_major },
        rectified: ByLevel { general: s.rectified_general, major: s.rectified_major },
        rectifying: ByLevel { general: s.rectifying_general, major: s.rectifying_major },
        overdue: ByLevel { general: s.overdue_general, major: s.overdue_major },
        found_rectified: s.found_rectified,
        funds_fen: s.funds_fen,
        by_category: Vec::new(),
        self_inspections: s.self_inspections,
    })
}
