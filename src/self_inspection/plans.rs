//! Use cases of plans (排查计划): create, edit or retire, list.

use super::config;
use super::json::{CreatePlanRequest, PlanResponse, UpdatePlanRequest};
use super::policy;
use super::tasks;
use crate::audit;
use crate::auth::CurrentUser;
use crate::entities::{enterprise, self_inspection_plan as plan};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::write::Tx;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use sea_orm::{QuerySelect, Select};

/// At most this many plans are listed.
pub const LIST_CAP: u64 = 500;

/// The enterprise a user acts for: the one named (its own), or its only one.
pub async fn own_enterprise<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    id: Option<i64>,
) -> AppResult<enterprise::Model> {
    let id = match (id, user.enterprise_ids.as_slice()) {
        (Some(id), ids) if ids.contains(&id) => id,
        (Some(_), _) => return Err(AppError::NotFound),
        (None, [only]) => *only,
        (None, _) => return Err(AppError::validation("enterprise_id", "请指定企业")),
    };
    crate::enterprise::service::get_scoped(db, &user.scope, id).await
}

fn check_title(fields: &mut FieldErrors, title: Option<&str>) {
    if title.is_some_and(|t| t.trim().is_empty()) {
        fields.entry("title".to_owned()).or_default().push("请填写计划名称".to_owned());
    }
    crate::limits::check(fields, "title", "计划名称", title, crate::limits::NAME);
}

fn codes_json(codes: &[String]) -> Option<String> {
    (!codes.is_empty()).then(|| serde_json::Value::from(codes.to_vec()).to_string())
}

/// Creates a plan for one of the user's enterprises.
pub async fn create(tx: &Tx, user: &CurrentUser, req: &CreatePlanRequest) -> AppResult<plan::Model> {
    policy::require_manager(user)?;
    let e = own_enterprise(tx, user, req.enterprise_id).await?;
    let mut fields = FieldErrors::new();
    check_title(&mut fields, req.title.as_deref());
    crate::limits::check_list(&mut fields, "item_codes", "检查项", &req.item_codes, crate::limits::IDS);
    let all = crate::checklist::applicable_items(tx, &e).await?;
    tasks::choose(all, &req.item_codes, "item_codes", &mut fields);
    let assignee = req.assignee_id.unwrap_or(user.id);
    tasks::check_assignee(tx, e.id, assignee, "assignee_id", &mut fields).await?;
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let ctx = tx.ctx();
    let frequency = req.frequency.unwrap_or_else(|| config::get().default_frequency(req.kind, req.level));
    let title =
        req.title.as_deref().map_or_else(|| format!("{}{}", req.level.zh(), req.kind.zh()), |t| t.trim().to_owned());
    let row = plan::ActiveModel {
        enterprise_id: Set(e.id),
        bureau_id: Set(e.supervising_bureau_id),
        sector: Set(e.sector),
        kind: Set(req.kind),
        level: Set(req.level),
        frequency: Set(frequency),
        title: Set(title),
        item_codes: Set(codes_json(&req.item_codes)),
        assignee_id: Set(assignee),
        active: Set(true),
        created_by: Set(user.id),
        created_at: Set(ctx.at),
        updated_at: Set(ctx.at),
        version: Set(1),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(tx, ctx, "create", &row).await?;
    Ok(row)
}

/// Edits or retires a plan of the user's enterprise (tasks already made keep their items).
pub async fn update(tx: &Tx, user: &CurrentUser, id: i64, req: &UpdatePlanRequest) -> AppResult<plan::Model> {
    let row = crate::scope::get::<plan::Entity, _>(tx, &user.scope, id).await?;
    policy::require_manager(user)?;
    if req.version.is_some_and(|v| v != row.version) {
        return Err(AppError::conflict("version_conflict", "该计划已被他人修改，请刷新后重试"));
    }
    let mut fields = FieldErrors::new();
    check_title(&mut fields, req.title.as_deref());
    if let Some(codes) = &req.item_codes {
        crate::limits::check_list(&mut fields, "item_codes", "检查项", codes, crate::limits::IDS);
        let e = enterprise::Entity::find_by_id(row.enterprise_id).one(tx).await?.ok_or(AppError::NotFound)?;
        let all = crate::checklist::applicable_items(tx, &e).await?;
        tasks::choose(all, codes, "item_codes", &mut fields);
    }
    if let Some(a) = req.assignee_id {
        tasks::check_assignee(tx, row.enterprise_id, a, "assignee_id", &mut fields).await?;
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let ctx = tx.ctx();
    let version = row.version;
    let mut a: plan::ActiveModel = row.into();
    if let Some(f) = req.frequency {
        a.frequency = Set(f);
    }
    if let Some(t) = &req.title {
        a.title = Set(t.trim().to_owned());
    }
    if let Some(codes) = &req.item_codes {
        a.item_codes = Set(codes_json(codes));
    }
    if let Some(u) = req.assignee_id {
        a.assignee_id = Set(u);
    }
    if let Some(active) = req.active {
        a.active = Set(active);
    }
    a.updated_at = Set(ctx.at);
    a.version = Set(version + 1);
    let row = plan::Entity::update_many()
        .set(a)
        .filter(plan::Column::Id.eq(id))
        .filter(plan::Column::Version.eq(version))
        .exec_with_returning(tx)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::conflict("version_conflict", "该计划已被他人修改，请刷新后重试"))?;
    audit::record(tx, ctx, "update", &row).await?;
    Ok(row)
}

/// The plans in the user's scope (newest first, capped), optionally of one enterprise.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    enterprise_id: Option<i64>,
) -> AppResult<Vec<PlanResponse>> {
    policy::require_reader(user)?;
    let mut q: Select<plan::Entity> = crate::scope::scoped(plan::Entity::find(), &user.scope);
    if let Some(e) = enterprise_id {
        q = q.filter(plan::Column::EnterpriseId.eq(e));
    }
    let rows = q.order_by_desc(plan::Column::Active).order_by_desc(plan::Column::Id).limit(LIST_CAP).all(db).await?;
    responses(db, rows).await
}

/// One plan in the user's scope.
pub async fn get<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<PlanResponse> {
    policy::require_reader(user)?;
    let row = crate::scope::get::<plan::Entity, _>(db, &user.scope, id).await?;
    Ok(responses(db, vec![row]).await?.remove(0))
}

/// The API shape of plans, with enterprise and assignee names.
pub async fn responses<C: ConnectionTrait>(db: &C, rows: Vec<plan::Model>) -> AppResult<Vec<PlanResponse>> {
    let names = super::list::names(db, rows.iter().map(|p| (p.enterprise_id, p.assignee_id))).await?;
    Ok(rows
        .into_iter()
        .map(|p| PlanResponse {
            id: p.id,
            enterprise_id: p.enterprise_id,
            enterprise_name: names.enterprise(p.enterprise_id),
            kind: p.kind,
            kind_label: p.kind.zh().to_owned(),
            level: p.level,
            level_label: p.level.zh().to_owned(),
            frequency: p.frequency,
            frequency_label: p.frequency.zh().to_owned(),
            title: p.title,
            item_codes: p.item_codes.as_deref().and_then(|c| serde_json::from_str(c).ok()),
            assignee_id: p.assignee_id,
            assignee_name: names.user(p.assignee_id),
            active: p.active,
            created_at: p.created_at,
            version: p.version,
        })
        .collect())
}
