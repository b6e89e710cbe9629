//! Use cases of the ledger: who may see a hazard, recording a new one.

use super::domain::{self, Closure, Side, Status};
use super::json::CreateHazardRequest;
use super::notify;
use crate::attachment::Owner;
use crate::audit::{self, AuditCtx};
use crate::auth::{CurrentUser, Scope};
use crate::clock::china_date;
use crate::enterprise::domain::RegionCode;
use crate::entities::{enterprise, hazard, hazard_event, hazard_subject};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::write::{Touched, Tx};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Select,
};

/// Hazards the scope may see: those supervised by the user's bureau or one
/// below it (and its sectors, if limited), or those of the user's enterprises
/// — except, for an enterprise, an unverified report about it made to the
/// bureau ([`unverified_tip_off`]): the reporter could be guessed.
pub fn scoped(query: Select<hazard::Entity>, scope: &Scope) -> Select<hazard::Entity> {
    let query = crate::scope::scoped(query, scope);
    match scope {
        Scope::Enterprises(_) => query.filter(sea_orm::Condition::not(unverified_tip_off())),
        Scope::Bureaus { .. } => query,
    }
}

/// A tip-off, media report or employee report made to the bureau (recorded by
/// someone who is not one of the enterprise's users) that the bureau has not
/// confirmed yet (`reported`). Shown to the enterprise once confirmed.
fn unverified_tip_off() -> sea_orm::Condition {
    use sea_orm::sea_query::Expr;
    let protected = [domain::Source::TipOff, domain::Source::Media, domain::Source::EmployeeReport];
    sea_orm::Condition::all()
        .add(hazard::Column::Status.eq(Status::Reported))
        .add(hazard::Column::Source.is_in(protected))
        .add(Expr::cust(
            "NOT EXISTS (SELECT 1 FROM user_enterprises ue WHERE ue.user_id = hazards.created_by \
             AND ue.enterprise_id = hazards.enterprise_id)",
        ))
}

/// One hazard if the user may see it; otherwise 404.
pub async fn get_visible<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<hazard::Model> {
    let found = scoped(hazard::Entity::find_by_id(id), &user.scope).one(db).await;
    crate::error::DbResultExt::stored_row(found, "hazards", id)?.ok_or(AppError::NotFound)
}

/// The sides the user acts on for this hazard (already known to be visible).
pub fn sides(user: &CurrentUser, h: &hazard::Model) -> Vec<Side> {
    super::policy::Actor::new(user, h.enterprise_id).sides
}

/// A report may be dated a few minutes ahead: tablets' clocks drift.
const CLOCK_SKEW: Duration = Duration::minutes(5);

fn push(fields: &mut FieldErrors, field: &str, message: impl Into<String>) {
    fields.entry(field.to_owned()).or_default().push(message.into());
}

fn check_text(fields: &mut FieldErrors, req: &CreateHazardRequest) {
    if req.title.trim().is_empty() {
        push(fields, "title", "请填写标题");
    }
    if req.description.trim().is_empty() {
        push(fields, "description", "请填写隐患描述");
    }
    if req.subject.as_ref().is_some_and(|s| s.name.trim().is_empty()) {
        push(fields, "subject.name", "请填写主体名称");
    }
    req.check_lengths(fields);
}

/// Every problem of a new hazard that needs no database, at once.
pub fn check_request(req: &CreateHazardRequest, user: &CurrentUser, now: DateTime<Utc>) -> FieldErrors {
    let mut fields = FieldErrors::new();
    check_text(&mut fields, req);
    if req.found_at > now + CLOCK_SKEW {
        push(&mut fields, "found_at", "发现时间不能晚于当前时间");
    }
    if let Some(d) = req.deadline
        && d < china_date(req.found_at)
    {
        push(&mut fields, "deadline", "整改期限不能早于发现日期");
    }
    match (req.deadline, req.deadline_working_days) {
        (Some(_), Some(_)) => push(&mut fields, "deadline_working_days", "整改期限与工作日天数只能填一个"),
        (None, Some(n)) if n == 0 || n > 365 => push(&mut fields, "deadline_working_days", "工作日天数应在 1–365 之间"),
        _ => {}
    }
    let targets = [req.enterprise_id.is_some(), req.subject_id.is_some(), req.subject.is_some()];
    if targets.iter().filter(|t| **t).count() != 1 {
        push(&mut fields, "enterprise_id", "请指定企业（enterprise_id），或未登记主体（subject / subject_id）之一");
    }
    if let Some(why) = super::policy::source_refusal(&user.roles, user.is_bureau_user(), req.source) {
        push(&mut fields, "source", why);
    }
    if !user.is_bureau_user() && (req.subject.is_some() || req.subject_id.is_some()) {
        push(&mut fields, "subject", "企业用户只能报告本企业的隐患");
    }
    if req.reporter.is_some() && !(user.is_bureau_user() && domain::protects_reporter(req.source)) {
        push(&mut fields, "reporter", "只有监管部门登记群众举报或职工报告时可以填写举报人");
    }
    check_closure(&mut fields, req, user);
    fields
}

fn check_closure(fields: &mut FieldErrors, req: &CreateHazardRequest, user: &CurrentUser) {
    let side = if user.is_bureau_user() { Side::Regulator } else { Side::Enterprise };
    let (closure, _) = domain::intake(req.level, req.source, side);
    if req.fixed_on_spot {
        if !matches!(closure, Closure::Enterprise | Closure::Inspector) {
            push(fields, "fixed_on_spot", "只有企业自查或执法检查发现的一般隐患可以立查立改");
        }
        if req.after_attachment_ids.is_empty() {
            push(fields, "after_attachment_ids", "立查立改须上传整改后照片");
        }
    } else if closure == Closure::Inspector && req.deadline.is_none() && req.deadline_working_days.is_none() {
        push(fields, "deadline", "执法检查发现的隐患须责令限期整改，请填写整改期限");
    }
}

/// Where a new hazard belongs: enterprise or subject, bureau, sector, region.
struct Target {
    enterprise: Option<enterprise::Model>,
    subject_id: Option<i64>,
    bureau_id: i64,
    region_code: String,
}

impl Target {
    fn of(e: enterprise::Model) -> Self {
        Self {
            bureau_id: e.supervising_bureau_id,
            region_code: e.region_code.clone(),
            enterprise: Some(e),
            subject_id: None,
        }
    }
}

async fn resolve_target<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    user: &CurrentUser,
    req: &CreateHazardRequest,
) -> AppResult<Target> {
    if let Some(id) = req.enterprise_id {
        return Ok(Target::of(crate::enterprise::service::get_scoped(db, &user.scope, id).await?));
    }
    if let Some(id) = req.subject_id {
        let s = hazard_subject::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
        crate::scope::bureau_below(db, user, s.bureau_id).await?;
        return Ok(Target {
            enterprise: None,
            subject_id: Some(s.id),
            bureau_id: s.bureau_id,
            region_code: s.region_code,
        });
    }
    let Some(new) = &req.subject else { return Err(AppError::NotFound) };
    let subject = create_subject(db, ctx, user, new).await?;
    Ok(Target {
        enterprise: None,
        subject_id: Some(subject.id),
        bureau_id: subject.bureau_id,
        region_code: subject.region_code,
    })
}

async fn create_subject<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    user: &CurrentUser,
    new: &super::json::NewSubject,
) -> AppResult<hazard_subject::Model> {
    let mut fields = FieldErrors::new();
    let region = RegionCode::parse(&new.region_code);
    if let Err(e) = &region {
        push(&mut fields, "subject.region_code", e.to_string());
    }
    let own = crate::scope::own_bureau(db, user).await?;
    if let Ok(r) = &region
        && !crate::bureau::covers_region(&own, r)
    {
        push(&mut fields, "subject.region_code", "该行政区划不在本机构管辖范围内");
    }
    let Ok(region) = region.map_err(|_| ()).and_then(|r| if fields.is_empty() { Ok(r) } else { Err(()) }) else {
        return Err(AppError::Validation(fields));
    };
    let b = crate::bureau::ensure_for_region(db, ctx, &region.county_or_self()).await?;
    let row = hazard_subject::ActiveModel {
        bureau_id: Set(b.id),
        name: Set(new.name.trim().to_owned()),
        address: Set(new.address.clone()),
        description: Set(new.description.clone()),
        region_code: Set(region.as_str().to_owned()),
        enterprise_id: Set(None),
        status: Set("open".to_owned()),
        note: Set(None),
        created_at: Set(ctx.at),
        updated_at: Set(ctx.at),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(db, ctx, "create", &row).await?;
    Ok(row)
}

fn new_row(ctx: &AuditCtx, user: &CurrentUser, req: &CreateHazardRequest, t: &Target) -> hazard::ActiveModel {
    let side = if user.is_bureau_user() { Side::Regulator } else { Side::Enterprise };
    let (closure, status) = domain::intake(req.level, req.source, side);
    let reporter = req.reporter.clone().unwrap_or_default();
    let protected = domain::protects_reporter(req.source);
    hazard::ActiveModel {
        enterprise_id: Set(t.enterprise.as_ref().map(|e| e.id)),
        subject_id: Set(t.subject_id),
        bureau_id: Set(t.bureau_id),
        sector: Set(t.enterprise.as_ref().map(|e| e.sector)),
        region_code: Set(t.region_code.clone()),
        source: Set(req.source),
        source_ref: Set(req.source_ref.clone()),
        reporter_name: Set(reporter.name),
        reporter_phone: Set(reporter.phone),
        reporter_user_id: Set(protected.then_some(user.id)),
        verification_outcome: Set(None),
        reward: Set(None),
        level: Set(req.level),
        closure: Set(closure),
        origin_closure: Set(domain::origin(req.source, side)),
        category: Set(req.category.clone()),
        title: Set(req.title.trim().to_owned()),
        description: Set(req.description.trim().to_owned()),
        location: Set(req.location.clone()),
        found_at: Set(chrono::SubsecRound::trunc_subsecs(req.found_at, 6)),
        deadline: Set(req.deadline),
        checklist_item_code: Set(req.checklist_item_code.clone()),
        risk_point_id: Set(req.risk_point_id),
        status: Set(status),
        is_open: Set(true),
        suspended: Set(false),
        extension_until: Set(None),
        extension_reason: Set(None),
        rectified_by: Set(None),
        funds_spent: Set(None),
        created_by: Set(Some(user.id)),
        created_at: Set(ctx.at),
        updated_at: Set(ctx.at),
        status_changed_at: Set(ctx.at),
        closed_at: Set(None),
        version: Set(1),
        ..Default::default()
    }
}

/// A timeline step to record.
pub struct NewEvent<'a> {
    pub action: &'a str,
    pub from: Option<Status>,
    pub to: Status,
    pub note: Option<String>,
    pub data: Option<serde_json::Value>,
}

/// Appends a timeline step (audited).
pub async fn record_event<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    hazard_id: i64,
    e: NewEvent<'_>,
) -> AppResult<hazard_event::Model> {
    let row = hazard_event::ActiveModel {
        hazard_id: Set(hazard_id),
        action: Set(e.action.to_owned()),
        from_status: Set(e.from),
        to_status: Set(e.to),
        actor_id: Set(ctx.actor.strip_prefix("user:").and_then(|s| s.parse().ok())),
        at: Set(ctx.at),
        note: Set(e.note),
        data: Set(e.data.map(|d| d.to_string())),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(db, ctx, "create", &row).await?;
    Ok(row)
}

/// Records a new hazard with its first timeline step, attachments, change-log
/// entries and notices, in one transaction.
/// Returns the row and any warnings (a working-day deadline past the calendar).
pub async fn create(tx: &Tx, user: &CurrentUser, req: &CreateHazardRequest) -> AppResult<(hazard::Model, Vec<String>)> {
    if !super::policy::reports_hazards(&user.roles) {
        return Err(AppError::Forbidden);
    }
    create_for(tx, user, req, None).await
}

/// Records a finding of an accident-prevention service (事故预防服务) reported
/// by an insurer's user on `insured`, an enterprise its insurer insures (the
/// caller, `insurance::prevention`, checked the policy; the scope of an insurer's
/// user sees no enterprise). Otherwise as [`create`]: intake, deadlines, to-dos.
pub async fn create_insured(
    tx: &Tx,
    user: &CurrentUser,
    req: &CreateHazardRequest,
    insured: enterprise::Model,
) -> AppResult<(hazard::Model, Vec<String>)> {
    if !super::policy::reports_service_findings(&user.roles) || req.enterprise_id != Some(insured.id) {
        return Err(AppError::Forbidden);
    }
    create_for(tx, user, req, Some(insured)).await
}

async fn create_for(
    tx: &Tx,
    user: &CurrentUser,
    req: &CreateHazardRequest,
    insured: Option<enterprise::Model>,
) -> AppResult<(hazard::Model, Vec<String>)> {
    let ctx = tx.ctx();
    let fields = check_request(req, user, ctx.at);
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    tx.touch(Touched::Ledger);
    tx.touch(Touched::Mail);
    let target = match insured {
        Some(e) => Target::of(e),
        None => resolve_target(tx, ctx, user, req).await?,
    };
    let mut fields = FieldErrors::new();
    let enterprise = target.enterprise.as_ref().map(|e| e.id);
    crate::risk::links::check_point_of(tx, req.risk_point_id, enterprise, &mut fields).await?;
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let sector = target.enterprise.as_ref().map(|e| e.sector.as_str());
    crate::category::check(tx, &req.category, &target.region_code, sector).await?;
    let mut new = new_row(ctx, user, req, &target);
    let mut warnings = Vec::new();
    if let Some(n) = req.deadline_working_days {
        let due = crate::calendar::load(tx).await?.add_working_days(china_date(ctx.at), n);
        if due.beyond_calendar {
            warnings.push(crate::calendar::BEYOND_CALENDAR_WARNING.to_owned());
        }
        new.deadline = Set(Some(due.date));
    }
    // Fixed on the spot: stored closed at once (one write of the row, one entry).
    let initial = new.status.clone().take().unwrap_or(Status::Reported);
    if req.fixed_on_spot {
        new.status = Set(Status::Closed);
        new.is_open = Set(false);
        new.rectified_by = Set(Some(user.id));
        new.closed_at = Set(Some(ctx.at));
    }
    let row = new.insert(tx).await?;
    let report = NewEvent { action: "report", from: None, to: initial, note: None, data: None };
    let reported = record_event(tx, ctx, row.id, report).await?;
    let before = Owner::hazard(row.id, Some(reported.id));
    crate::attachment::claim(tx, user, &req.attachment_ids, before, "before", "attachment_ids").await?;
    if req.fixed_on_spot {
        let step = NewEvent {
            action: "fixed_on_spot",
            from: Some(initial),
            to: Status::Closed,
            note: Some("立查立改".to_owned()),
            data: None,
        };
        let fixed = record_event(tx, ctx, row.id, step).await?;
        let after = Owner::hazard(row.id, Some(fixed.id));
        crate::attachment::claim(tx, user, &req.after_attachment_ids, after, "after", "after_attachment_ids").await?;
    }
    audit::record(tx, ctx, "create", &row).await?;
    notify::after_report(tx, ctx, &row).await?;
    Ok((row, warnings))
}

/// When an enterprise's supervising bureau or sector changes, its open hazards
/// move with it (closed ones stay with the bureau that closed them): each gets
/// the new bureau and sector, a change-log entry, and — when the bureau changed —
/// a timeline step, and its open to-dos for the old bureau pass to the new one.
pub async fn follow_enterprise<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    before: &enterprise::Model,
    after: &enterprise::Model,
) -> AppResult<()> {
    if before.supervising_bureau_id == after.supervising_bureau_id && before.sector == after.sector {
        return Ok(());
    }
    // In a fixed order (level, status), so that the tally rows are locked in one order.
    let open = hazard::Entity::find()
        .filter(hazard::Column::EnterpriseId.eq(after.id))
        .filter(hazard::Column::IsOpen.eq(true))
        .order_by_asc(hazard::Column::Level)
        .order_by_asc(hazard::Column::Status)
        .order_by_asc(hazard::Column::Id)
        .all(db)
        .await?;
    for h in open {
        let (id, old_bureau, version) = (h.id, h.bureau_id, h.version);
        let status = h.status;
        let mut a: hazard::ActiveModel = h.into();
        a.bureau_id = Set(after.supervising_bureau_id);
        a.sector = Set(Some(after.sector));
        a.version = Set(version + 1);
        a.updated_at = Set(ctx.at);
        let row = hazard::Entity::update_many()
            .set(a)
            .filter(hazard::Column::Id.eq(id))
            .filter(hazard::Column::Version.eq(version))
            .exec_with_returning(db)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::conflict("version_conflict", "该企业的隐患正被他人更新，请稍后重试"))?;
        audit::record(db, ctx, "transfer", &row).await?;
        if old_bureau == after.supervising_bureau_id {
            continue;
        }
        let data = serde_json::json!({"from_bureau_id": old_bureau, "to_bureau_id": after.supervising_bureau_id});
        let note = Some("企业监管主体变更，隐患随企业移交".to_owned());
        record_event(
            db,
            ctx,
            row.id,
            NewEvent { action: "transfer", from: Some(status), to: status, note, data: Some(data) },
        )
        .await?;
        crate::entities::todo::Entity::update_many()
            .col_expr(
                crate::entities::todo::Column::BureauId,
                sea_orm::sea_query::Expr::value(after.supervising_bureau_id),
            )
            .filter(crate::entities::todo::Column::BureauId.eq(old_bureau))
            .filter(crate::entities::todo::Column::DoneAt.is_null())
            .filter(crate::like::starts_with(crate::entities::todo::Column::DedupeKey, &format!("hazard:{}:", row.id)))
            .exec(db)
            .await?;
    }
    Ok(())
}
