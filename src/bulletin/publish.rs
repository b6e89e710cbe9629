//! Publishing items of a bulletin takes two people of its bureau: a regulator
//! proposes the overdue major hazards to show on the public page, a user with
//! the approver role (负责人) who did not propose them approves — or returns
//! the proposal. One pending proposal per bulletin: a new one replaces it.

use super::Content;
use super::build::get_visible;
use crate::audit::{self, AuditCtx, Audited, canonical};
use crate::auth::{CurrentUser, Role};
use crate::entities::{bulletin, bulletin_proposal, bulletin_publication, todo};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::notice::Notice;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

/// The pending proposal of a bulletin, if any.
pub async fn pending<C: ConnectionTrait>(db: &C, bulletin_id: i64) -> AppResult<Option<bulletin_proposal::Model>> {
    Ok(bulletin_proposal::Entity::find()
        .filter(bulletin_proposal::Column::BulletinId.eq(bulletin_id))
        .filter(bulletin_proposal::Column::DecidedAt.is_null())
        .order_by_desc(bulletin_proposal::Column::Id)
        .one(db)
        .await?)
}

/// The hazard ids a proposal names.
pub fn proposed_ids(p: &bulletin_proposal::Model) -> Vec<i64> {
    serde_json::from_str(&p.hazard_ids).unwrap_or_default()
}

fn content(row: &bulletin::Model) -> AppResult<Content> {
    serde_json::from_str(&row.content).map_err(|e| AppError::Internal(e.into()))
}

/// The bulletin, when `user` holds `role` in its bureau: 404 outside the scope, 403 otherwise.
async fn own<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64, role: Role) -> AppResult<bulletin::Model> {
    user.require_any(&[role])?;
    let row = get_visible(db, user, id).await?;
    if user.bureau.as_ref().map(|b| b.id) != Some(row.bureau_id) {
        return Err(AppError::Forbidden);
    }
    Ok(row)
}

async fn close_todos<C: ConnectionTrait>(db: &C, ctx: &AuditCtx, prefix: &str) -> AppResult<()> {
    todo::Entity::update_many()
        .col_expr(todo::Column::DoneAt, Expr::value(ctx.at))
        .filter(todo::Column::DoneAt.is_null())
        .filter(crate::like::starts_with(todo::Column::DedupeKey, prefix))
        .exec(db)
        .await?;
    Ok(())
}

/// A regulator of the bulletin's bureau proposes overdue major hazards of it for the public page.
pub async fn propose<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    user: &CurrentUser,
    id: i64,
    hazard_ids: &[i64],
) -> AppResult<bulletin_proposal::Model> {
    let row = own(db, user, id, Role::Regulator).await?;
    let mut fields = FieldErrors::new();
    crate::limits::check_list(&mut fields, "hazard_ids", "公开的隐患", hazard_ids, crate::limits::IDS);
    if hazard_ids.is_empty() {
        fields.entry("hazard_ids".to_owned()).or_default().push("请选择要公开的隐患".to_owned());
    }
    let c = content(&row)?;
    for h in hazard_ids.iter().filter(|h| !c.overdue_majors.iter().any(|m| m.hazard_id == **h)) {
        fields.entry("hazard_ids".to_owned()).or_default().push(format!("隐患 {h} 不在本期通报的逾期重大隐患中"));
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let mut ids = hazard_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let text = serde_json::to_string(&ids).map_err(|e| AppError::Internal(e.into()))?;
    let p = if let Some(p) = pending(db, id).await? {
        let mut a: bulletin_proposal::ActiveModel = p.into();
        a.hazard_ids = Set(text);
        a.proposed_by = Set(user.id);
        a.proposed_at = Set(ctx.at);
        a.update(db).await?
    } else {
        let a = bulletin_proposal::ActiveModel {
            bulletin_id: Set(id),
            hazard_ids: Set(text),
            proposed_by: Set(user.id),
            proposed_at: Set(ctx.at),
            ..Default::default()
        };
        a.insert(db).await?
    };
    audit::record(db, ctx, "propose", &p).await?;
    close_todos(db, ctx, &format!("bulletin:{id}:review")).await?;
    let notice = Notice {
        assignee: crate::todo::Assignee::BureauRole(row.bureau_id, Role::Approver),
        todo_kind: "bulletin_to_approve",
        title: format!("通报公开待批准：{}（{} 至 {}）", c.bureau_name, row.period_start, row.period_end),
        link: format!("/bulletins/{id}"),
        mail: None,
        ctx: crate::mail::NoticeContext::default(),
        key: format!("bulletin:{id}:approve:{}:{}", p.id, canonical::time_text(ctx.at)),
    };
    crate::notice::send(db, ctx.at, vec![notice]).await?;
    Ok(p)
}

/// An approver of the bulletin's bureau, not its proposer, approves (publishes)
/// or returns the pending proposal.
pub async fn decide<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    user: &CurrentUser,
    id: i64,
    approved: bool,
) -> AppResult<bulletin::Model> {
    let row = own(db, user, id, Role::Approver).await?;
    let Some(p) = pending(db, id).await? else {
        return Err(AppError::conflict("no_pending_proposal", "该通报没有待批准的公开提请"));
    };
    if p.proposed_by == user.id {
        return Err(AppError::conflict("same_person", "提请公开的人不能批准自己的提请，须由另一位负责人批准"));
    }
    let ids = proposed_ids(&p);
    let mut a: bulletin_proposal::ActiveModel = p.into();
    a.decided_by = Set(Some(user.id));
    a.decided_at = Set(Some(ctx.at));
    a.approved = Set(Some(approved));
    let p = a.update(db).await?;
    audit::record(db, ctx, if approved { "approve" } else { "return" }, &p).await?;
    close_todos(db, ctx, &format!("bulletin:{id}:approve:")).await?;
    if !approved {
        return Ok(row);
    }
    publish(db, ctx, row, &ids, user.id).await
}

/// Shows the items on the public page and marks the bulletin published.
async fn publish<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    row: bulletin::Model,
    ids: &[i64],
    approver: i64,
) -> AppResult<bulletin::Model> {
    let c = content(&row)?;
    for m in c.overdue_majors.iter().filter(|m| ids.contains(&m.hazard_id)) {
        let summary = json!({"enterprise_name": m.enterprise_name, "title": m.title,
            "deadline": m.deadline, "days_overdue": m.days_overdue});
        bulletin_publication::Entity::insert(bulletin_publication::ActiveModel {
            bulletin_id: Set(row.id),
            hazard_id: Set(m.hazard_id),
            summary: Set(summary.to_string()),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([bulletin_publication::Column::HazardId, bulletin_publication::Column::BulletinId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    }
    let mut a: bulletin::ActiveModel = row.clone().into();
    a.status = Set(super::BulletinStatus::Published);
    a.published_at = Set(Some(ctx.at));
    a.published_by = Set(Some(approver));
    a.version = Set(row.version + 1);
    let row = a.update(db).await?;
    audit::record(db, ctx, "publish", &row).await?;
    Ok(row)
}

impl Audited for bulletin_proposal::Model {
    const ENTITY: &'static str = "bulletin_proposal";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "bulletin_id": self.bulletin_id, "hazard_ids": self.hazard_ids,
            "proposed_by": self.proposed_by, "proposed_at": canonical::time(self.proposed_at),
            "decided_by": self.decided_by, "decided_at": self.decided_at.map(canonical::time),
            "approved": self.approved,
        })
    }
}
