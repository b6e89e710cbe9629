//! Re-inspection (复查): the ordering team follows up its findings.
//!
//! Decisions: a re-inspection is a child inspection (`re_inspection`, `parent_id`)
//! with the parent's team and pinned checklists; it is exempt from the yearly cap
//! and covered by the parent's approval (it is created `approved`, with the
//! parent's approver), since the order it follows up was itself approved. It gets
//! a reserved 整改复查意见书 number. Recording it takes the ledger's `verify` step
//! on each of the parent's hazards the enterprise submitted (passed closes it,
//! failed sends it back with the note); a hazard not yet submitted can only fail
//! (逾期未整改: no ledger step, the verdict is kept and printed). One open
//! re-inspection per inspection at a time.

use super::access;
use super::json::{ReinspectionRequest, VerdictsRequest};
use crate::audit;
use crate::auth::CurrentUser;
use crate::entities::{hazard, inspection, inspection_member, inspection_verdict, todo};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::hazard::domain::{Action, Closure, Status as HazardStatus};
use crate::hazard::json::ActionRequest;
use crate::inspection::domain::{DocumentType, Kind, Status};
use crate::limits::{self, TEXT};
use crate::write::Tx;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// The hazards a completed inspection's findings became, oldest first.
pub async fn hazards_of<C: sea_orm::ConnectionTrait>(db: &C, inspection_id: i64) -> AppResult<Vec<hazard::Model>> {
    Ok(hazard::Entity::find()
        .filter(hazard::Column::InspectionId.eq(inspection_id))
        .order_by_asc(hazard::Column::Id)
        .all(db)
        .await?)
}

async fn open_child(tx: &Tx, parent: i64) -> AppResult<bool> {
    let open = inspection::Entity::find()
        .filter(inspection::Column::ParentId.eq(parent))
        .filter(inspection::Column::Status.is_in([Status::Approved, Status::InProgress]))
        .one(tx)
        .await?;
    Ok(open.is_some())
}

/// Creates a re-inspection of completed inspection `id` for its team.
pub async fn create(tx: &Tx, user: &CurrentUser, id: i64, req: &ReinspectionRequest) -> AppResult<inspection::Model> {
    let parent = access::team_inspection(tx, user, id).await?;
    access::require_status(&parent, &[Status::Completed])?;
    if open_child(tx, parent.id).await? {
        return Err(AppError::conflict("reinspection_open", "该检查已有未完成的复查"));
    }
    let ctx = tx.ctx();
    let today = crate::clock::china_date(ctx.at);
    let child = inspection::ActiveModel {
        bureau_id: Set(parent.bureau_id),
        enterprise_id: Set(parent.enterprise_id),
        kind: Set(Kind::ReInspection),
        status: Set(Status::Approved),
        planned_date: Set(req.planned_date.unwrap_or(today)),
        plan_text: Set(format!("对第 {} 号检查所发现问题的整改情况进行复查", parent.id)),
        checklists: Set(parent.checklists.clone()),
        parent_id: Set(Some(parent.id)),
        counts_against_cap: Set(false),
        over_cap: Set(false),
        created_by: Set(user.id),
        created_at: Set(ctx.at),
        approved_by: Set(parent.approved_by),
        approved_at: Set(parent.approved_at),
        version: Set(1),
        updated_at: Set(ctx.at),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    for m in access::inspectors(tx, parent.id).await? {
        inspection_member::ActiveModel {
            inspection_id: Set(child.id),
            user_id: Set(m.user_id),
            role: Set(m.role),
            certificate_no: Set(m.certificate_no),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    audit::record(tx, ctx, "create", &child).await?;
    super::papers::reserve(tx, &child, DocumentType::ReinspectionOpinion).await?;
    Ok(child)
}

fn check_verdicts(req: &VerdictsRequest, hazards: &[hazard::Model]) -> FieldErrors {
    let mut fields = FieldErrors::new();
    let mut push = |f: String, m: String| fields.entry(f).or_default().push(m);
    if req.verdicts.is_empty() {
        push("verdicts".into(), "请对每项隐患给出复查结论".into());
    }
    let mut seen = std::collections::HashSet::new();
    for (n, v) in req.verdicts.iter().enumerate() {
        let at = |f: &str| format!("verdicts[{n}].{f}");
        match hazards.iter().find(|h| h.id == v.hazard_id) {
            None => push(at("hazard_id"), format!("隐患 {} 不是本次复查所针对检查发现的隐患", v.hazard_id)),
            Some(h) if !h.status.is_open() => push(at("hazard_id"), format!("隐患“{}”已{}", h.title, h.status.zh())),
            Some(h) if v.passed && h.status != HazardStatus::PendingVerification => {
                push(at("passed"), format!("隐患“{}”尚未提交整改，不能复查通过", h.title));
            }
            Some(h) if h.closure != Closure::Inspector && h.status == HazardStatus::PendingVerification => {
                push(at("hazard_id"), format!("隐患“{}”为重大事故隐患，由监管部门核销", h.title));
            }
            _ => {}
        }
        if !v.passed && v.note.as_deref().is_none_or(|t| t.trim().is_empty()) {
            push(at("note"), "复查不通过须写明原因".into());
        }
        if let Some(p) = v.note.as_deref().and_then(|t| limits::problem(t, TEXT)) {
            push(at("note"), p.message("说明"));
        }
        if !seen.insert(v.hazard_id) {
            push(at("hazard_id"), format!("隐患 {} 重复", v.hazard_id));
        }
    }
    fields
}

/// Records the re-inspection: verdicts through the ledger, the 整改复查意见书, completion.
pub async fn record(tx: &Tx, user: &CurrentUser, id: i64, req: &VerdictsRequest) -> AppResult<inspection::Model> {
    let child = access::team_inspection(tx, user, id).await?;
    let Some(parent) = child.parent_id.filter(|_| child.kind == Kind::ReInspection) else {
        return Err(AppError::conflict("not_reinspection", "该检查不是复查"));
    };
    access::require_status(&child, &[Status::Approved, Status::InProgress])?;
    let hazards = hazards_of(tx, parent).await?;
    let fields = check_verdicts(req, &hazards);
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let ctx = tx.ctx();
    for v in &req.verdicts {
        let submitted = hazards.iter().any(|h| h.id == v.hazard_id && h.status == HazardStatus::PendingVerification);
        if submitted {
            let step = ActionRequest {
                passed: Some(v.passed),
                note: v.note.clone(),
                acceptor_name: Some(user.display_name.clone()),
                ..Default::default()
            };
            crate::hazard::actions::act(tx, user, v.hazard_id, Action::Verify, &step).await?;
        }
        let row = inspection_verdict::ActiveModel {
            inspection_id: Set(child.id),
            hazard_id: Set(v.hazard_id),
            passed: Set(v.passed),
            note: Set(v.note.clone().filter(|t| !t.trim().is_empty())),
            decided_by: Set(user.id),
            decided_at: Set(ctx.at),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        audit::record(tx, ctx, "create", &row).await?;
        close_team_todos(tx, parent, v.hazard_id).await?;
    }
    super::papers::issue(tx, &child, DocumentType::ReinspectionOpinion, None).await?;
    let mut a: inspection::ActiveModel = child.clone().into();
    a.status = Set(Status::Completed);
    a.started_at = Set(Some(child.started_at.unwrap_or(ctx.at)));
    a.completed_at = Set(Some(ctx.at));
    a.version = Set(child.version + 1);
    a.updated_at = Set(ctx.at);
    let row = a.update(tx).await?;
    audit::record(tx, ctx, "complete", &row).await?;
    Ok(row)
}

/// Closes the team's 复查 and overdue to-dos of one hazard of the inspection.
async fn close_team_todos(tx: &Tx, inspection_id: i64, hazard_id: i64) -> AppResult<()> {
    todo::Entity::update_many()
        .col_expr(todo::Column::DoneAt, Expr::value(tx.ctx().at))
        .filter(todo::Column::DoneAt.is_null())
        .filter(crate::like::starts_with(
            todo::Column::DedupeKey,
            &format!("inspection:{inspection_id}:hazard:{hazard_id}:"),
        ))
        .exec(tx)
        .await?;
    Ok(())
}
