//! Making tasks: ad hoc (an enterprise's manager) and from plans by frequency
//! (the jobs runner). Generation is set-based: one query finds the active plans
//! whose current period has no task yet (`NOT EXISTS`), at most
//! `generation.batch` per run; each insert is `ON CONFLICT (plan_id, period) DO
//! NOTHING` on the unique index, so a retry, a second run or a second process
//! never makes a second task for a plan and period. A plan's task for a period
//! is made when the job first runs in that period (not for past periods: a
//! missed period is not made up), due on the period's last day.

use super::domain::Frequency;
use super::json::CreateTaskRequest;
use super::{config, plans, policy, tasks};
use crate::audit::AuditCtx;
use crate::auth::CurrentUser;
use crate::entities::{enterprise, self_inspection_plan as plan, self_inspection_task as task};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::write::Tx;
use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// Creates an ad hoc task for one of the user's enterprises.
pub async fn ad_hoc(tx: &Tx, user: &CurrentUser, req: &CreateTaskRequest) -> AppResult<task::Model> {
    policy::require_manager(user)?;
    let e = plans::own_enterprise(tx, user, req.enterprise_id).await?;
    let ctx = tx.ctx();
    let mut fields = FieldErrors::new();
    if req.title.as_deref().is_some_and(|t| t.trim().is_empty()) {
        fields.entry("title".into()).or_default().push("请填写任务名称".into());
    }
    crate::limits::check(&mut fields, "title", "任务名称", req.title.as_deref(), crate::limits::NAME);
    crate::limits::check_list(&mut fields, "item_codes", "检查项", &req.item_codes, crate::limits::IDS);
    if req.due_on < crate::clock::china_date(ctx.at) {
        fields.entry("due_on".into()).or_default().push("完成期限不能早于今天".into());
    }
    let all = crate::checklist::applicable_items(tx, &e).await?;
    let items = tasks::choose(all, &req.item_codes, "item_codes", &mut fields);
    let assignee = req.assignee_id.unwrap_or(user.id);
    tasks::check_assignee(tx, e.id, assignee, "assignee_id", &mut fields).await?;
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let title = req.title.as_deref().map_or_else(|| req.kind.zh().to_owned(), |t| t.trim().to_owned());
    let new = tasks::NewTask {
        plan_id: None,
        enterprise: &e,
        kind: req.kind,
        title,
        period: None,
        assignee_id: assignee,
        due_on: req.due_on,
        items,
        created_by: Some(user.id),
    };
    tasks::create(tx, ctx, new).await?.ok_or_else(|| AppError::conflict("task_exists", "任务已存在"))
}

/// What a generation run did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct GenerateReport {
    /// Tasks made.
    pub created: u64,
    /// Plans skipped: no applicable item any more, or the enterprise is gone.
    pub skipped: u64,
}

/// The active periodic plans whose period of `today` has no task yet, capped.
async fn due_plans<C: ConnectionTrait>(
    db: &C,
    today: NaiveDate,
    batch: u64,
) -> AppResult<Vec<(plan::Model, String, NaiveDate)>> {
    let mut out = Vec::new();
    for f in Frequency::ALL.iter().copied() {
        let Some((period, due)) = super::domain::period_of(f, today) else { continue };
        let exists = Query::select()
            .expr(Expr::val(1))
            .from(task::Entity)
            .and_where(Expr::col((task::Entity, task::Column::PlanId)).equals((plan::Entity, plan::Column::Id)))
            .and_where(Expr::col((task::Entity, task::Column::Period)).eq(period.clone()))
            .to_owned();
        let rows = plan::Entity::find()
            .filter(plan::Column::Active.eq(true))
            .filter(plan::Column::Frequency.eq(f))
            .filter(Expr::exists(exists).not())
            .order_by_asc(plan::Column::Id)
            .limit(batch.saturating_sub(out.len() as u64))
            .all(db)
            .await?;
        out.extend(rows.into_iter().map(|p| (p, period.clone(), due)));
        if out.len() as u64 >= batch {
            break;
        }
    }
    Ok(out)
}

/// Makes the current period's task of every due plan (see the module's doc).
pub async fn run<C: ConnectionTrait>(db: &C, ctx: &AuditCtx) -> AppResult<GenerateReport> {
    let today = crate::clock::china_date(ctx.at);
    let mut report = GenerateReport::default();
    for (p, period, due) in due_plans(db, today, config::get().generation.batch).await? {
        let Some(e) = enterprise::Entity::find_by_id(p.enterprise_id).one(db).await? else {
            report.skipped += 1;
            continue;
        };
        let codes: Vec<String> = p.item_codes.as_deref().and_then(|c| serde_json::from_str(c).ok()).unwrap_or_default();
        let mut ignored = FieldErrors::new();
        let items =
            tasks::choose(crate::checklist::applicable_items(db, &e).await?, &codes, "item_codes", &mut ignored);
        if items.is_empty() {
            report.skipped += 1;
            continue;
        }
        let new = tasks::NewTask {
            plan_id: Some(p.id),
            enterprise: &e,
            kind: p.kind,
            title: p.title.clone(),
            period: Some(period),
            assignee_id: p.assignee_id,
            due_on: due,
            items,
            created_by: None,
        };
        if tasks::create(db, ctx, new).await?.is_some() {
            report.created += 1;
        }
    }
    Ok(report)
}
