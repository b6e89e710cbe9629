//! Findings (检查发现的问题) and on-site measures, while the record is in progress.
//!
//! A finding names an applicable item of the pinned checklists (its text, basis
//! and severity come from the item; the severity may be changed) or is free text
//! with its own title and basis. It has a deadline — a date, or working days
//! counted from the order's service, which is on site at completion — or was
//! rectified on the spot (a general one only, with photos).

use super::access;
use super::json::{FindingRequest, MeasureRequest};
use crate::attachment::{Owner, OwnerType};
use crate::audit;
use crate::auth::CurrentUser;
use crate::checklist::{ApplicableItem, Severity};
use crate::entities::{attachment, inspection, inspection_finding, inspection_measure};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::limits::{self, TEXT};
use crate::write::Tx;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, ModelTrait, QueryFilter};

/// The category of a finding when none is chosen (管理缺陷).
pub const DEFAULT_CATEGORY: &str = "management_defect";

fn push(fields: &mut FieldErrors, field: &str, message: impl Into<String>) {
    fields.entry(field.to_owned()).or_default().push(message.into());
}

fn check_deadline(req: &FindingRequest, today: chrono::NaiveDate, fields: &mut FieldErrors) {
    match (req.deadline, req.deadline_working_days) {
        (Some(_), Some(_)) => push(fields, "deadline_working_days", "整改期限与工作日天数只能填一个"),
        (None, None) if !req.rectified_on_spot => push(fields, "deadline", "请填写整改期限，或勾选当场整改"),
        (Some(d), None) if d < today => push(fields, "deadline", "整改期限不能早于今天"),
        (None, Some(n)) if n == 0 || n > 365 => push(fields, "deadline_working_days", "工作日天数应在 1–365 之间"),
        _ => {}
    }
}

/// Every problem of a finding's body at once; returns its item and severity.
fn check(
    items: &[ApplicableItem],
    req: &FindingRequest,
    today: chrono::NaiveDate,
    earlier_evidence: bool,
) -> Result<(Option<ApplicableItem>, Severity), FieldErrors> {
    let mut fields = FieldErrors::new();
    req.check_lengths(&mut fields);
    let text = req.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let item = req.item_code.as_deref().and_then(|c| items.iter().find(|i| i.item.code == c)).cloned();
    match (&req.item_code, text) {
        (Some(_), Some(_)) | (None, None) => push(&mut fields, "item_code", "请选择检查项，或填写问题（二选一）"),
        (Some(c), None) if item.is_none() => {
            push(&mut fields, "item_code", format!("检查项“{c}”不是本次检查适用的检查项"));
        }
        _ => {}
    }
    if req.description.trim().is_empty() {
        push(&mut fields, "description", "请填写问题描述");
    }
    let severity = req.severity.or(item.as_ref().map(|i| i.item.severity));
    if severity.is_none() {
        push(&mut fields, "severity", "请选择隐患级别");
    }
    check_deadline(req, today, &mut fields);
    if req.rectified_on_spot {
        if severity == Some(Severity::Major) {
            push(&mut fields, "rectified_on_spot", "重大事故隐患不能当场整改销号");
        }
        if req.evidence_attachment_ids.is_empty() && !earlier_evidence {
            push(&mut fields, "evidence_attachment_ids", "当场整改须上传整改后照片");
        }
    }
    match severity {
        Some(s) if fields.is_empty() => Ok((item, s)),
        _ => Err(fields),
    }
}

fn apply(a: &mut inspection_finding::ActiveModel, req: &FindingRequest, item: Option<&ApplicableItem>, s: Severity) {
    let trimmed = |v: &Option<String>| v.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned);
    a.item_code = Set(item.map(|i| i.item.code.clone()));
    a.checklist_hash = Set(item.map(|i| i.checklist_hash.clone()));
    a.title = Set(if item.is_some() { None } else { trimmed(&req.text) });
    a.category = Set(req.category.clone().unwrap_or_else(|| DEFAULT_CATEGORY.to_owned()));
    a.severity = Set(s);
    a.description = Set(req.description.trim().to_owned());
    a.location = Set(trimmed(&req.location));
    a.basis = Set(item.map_or_else(|| trimmed(&req.basis), |i| Some(i.item.basis.clone())));
    a.basis_confirmed = Set(req.basis_confirmed);
    a.deadline = Set(if req.rectified_on_spot { None } else { req.deadline });
    let days = req.deadline_working_days.and_then(|d| i32::try_from(d).ok());
    a.deadline_working_days = Set(if req.rectified_on_spot { None } else { days });
    a.rectified_on_spot = Set(req.rectified_on_spot);
}

async fn checked(
    tx: &Tx,
    i: &inspection::Model,
    req: &FindingRequest,
    earlier_evidence: bool,
) -> AppResult<(Option<ApplicableItem>, Severity)> {
    let items = super::items::pinned(tx, i).await?;
    let checked = check(&items, req, crate::clock::china_date(tx.ctx().at), earlier_evidence);
    let e =
        crate::entities::enterprise::Entity::find_by_id(i.enterprise_id).one(tx).await?.ok_or(AppError::NotFound)?;
    let category = req.category.as_deref().unwrap_or(DEFAULT_CATEGORY);
    let known = crate::category::check(tx, category, &e.region_code, Some(e.sector.as_str())).await;
    match (checked, known) {
        (Ok(found), Ok(())) => Ok(found),
        (Ok(_), Err(e)) => Err(e),
        (Err(mut fields), Err(AppError::Validation(more))) => {
            fields.extend(more);
            Err(AppError::Validation(fields))
        }
        (Err(fields), _) => Err(AppError::Validation(fields)),
    }
}

/// Records a finding with its photos.
pub async fn create(
    tx: &Tx,
    user: &CurrentUser,
    id: i64,
    req: &FindingRequest,
) -> AppResult<inspection_finding::Model> {
    let i = access::editable(tx, user, id).await?;
    let (item, severity) = checked(tx, &i, req, false).await?;
    let ctx = tx.ctx();
    let mut a = inspection_finding::ActiveModel {
        inspection_id: Set(i.id),
        hazard_id: Set(None),
        created_by: Set(user.id),
        created_at: Set(ctx.at),
        updated_at: Set(ctx.at),
        ..Default::default()
    };
    apply(&mut a, req, item.as_ref(), severity);
    let row = a.insert(tx).await?;
    audit::record(tx, ctx, "create", &row).await?;
    let owner = Owner::inspection(i.id, Some(row.id));
    crate::attachment::claim(tx, user, &req.evidence_attachment_ids, owner, "evidence", "evidence_attachment_ids")
        .await?;
    Ok(row)
}

async fn finding_of(tx: &Tx, i: &inspection::Model, fid: i64) -> AppResult<inspection_finding::Model> {
    inspection_finding::Entity::find_by_id(fid)
        .filter(inspection_finding::Column::InspectionId.eq(i.id))
        .one(tx)
        .await?
        .ok_or(AppError::NotFound)
}

/// Replaces a finding's fields; new photos are added to its earlier ones.
pub async fn update(
    tx: &Tx,
    user: &CurrentUser,
    id: i64,
    fid: i64,
    req: &FindingRequest,
) -> AppResult<inspection_finding::Model> {
    let i = access::editable(tx, user, id).await?;
    let f = finding_of(tx, &i, fid).await?;
    let had_evidence = !evidence_ids(tx, i.id, f.id).await?.is_empty();
    let (item, severity) = checked(tx, &i, req, had_evidence).await?;
    save(tx, user, &i, f, req, item.as_ref(), severity).await
}

async fn save(
    tx: &Tx,
    user: &CurrentUser,
    i: &inspection::Model,
    f: inspection_finding::Model,
    req: &FindingRequest,
    item: Option<&ApplicableItem>,
    severity: Severity,
) -> AppResult<inspection_finding::Model> {
    let ctx = tx.ctx();
    let fid = f.id;
    let mut a: inspection_finding::ActiveModel = f.into();
    apply(&mut a, req, item, severity);
    a.updated_at = Set(ctx.at);
    let row = a.update(tx).await?;
    audit::record(tx, ctx, "update", &row).await?;
    let owner = Owner::inspection(i.id, Some(fid));
    crate::attachment::claim(tx, user, &req.evidence_attachment_ids, owner, "evidence", "evidence_attachment_ids")
        .await?;
    Ok(row)
}

/// The finding's evidence photos.
pub async fn evidence_ids<C: sea_orm::ConnectionTrait>(db: &C, inspection_id: i64, fid: i64) -> AppResult<Vec<i64>> {
    let rows = attachment::Entity::find()
        .filter(attachment::Column::OwnerType.eq(OwnerType::Inspection.as_str()))
        .filter(attachment::Column::OwnerId.eq(inspection_id))
        .filter(attachment::Column::StepId.eq(fid))
        .filter(attachment::Column::Purpose.eq("evidence"))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|a| a.id).collect())
}

/// Unlinks the files of a finding (they may be used again by their uploader).
pub async fn release_evidence<C: sea_orm::ConnectionTrait>(db: &C, inspection_id: i64, fid: i64) -> AppResult<()> {
    attachment::Entity::update_many()
        .col_expr(attachment::Column::OwnerType, Expr::value(Option::<String>::None))
        .col_expr(attachment::Column::OwnerId, Expr::value(Option::<i64>::None))
        .col_expr(attachment::Column::StepId, Expr::value(Option::<i64>::None))
        .col_expr(attachment::Column::Purpose, Expr::value(Option::<String>::None))
        .filter(attachment::Column::OwnerType.eq(OwnerType::Inspection.as_str()))
        .filter(attachment::Column::OwnerId.eq(inspection_id))
        .filter(attachment::Column::StepId.eq(fid))
        .filter(attachment::Column::Purpose.eq("evidence"))
        .exec(db)
        .await?;
    Ok(())
}

/// How many findings the inspection has recorded (the inspection page offers 立案处罚 when any).
pub async fn count<C: sea_orm::ConnectionTrait>(db: &C, inspection_id: i64) -> AppResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(inspection_finding::Entity::find()
        .filter(inspection_finding::Column::InspectionId.eq(inspection_id))
        .count(db)
        .await?)
}

/// Deletes a finding while the record is in progress; its photos are unlinked.
pub async fn delete(tx: &Tx, user: &CurrentUser, id: i64, fid: i64) -> AppResult<()> {
    let i = access::editable(tx, user, id).await?;
    let f = finding_of(tx, &i, fid).await?;
    audit::record(tx, tx.ctx(), "delete", &f).await?;
    release_evidence(tx, i.id, f.id).await?;
    f.delete(tx).await?;
    Ok(())
}

/// Records an on-site measure as a decision (WSL art. 65).
pub async fn add_measure(
    tx: &Tx,
    user: &CurrentUser,
    id: i64,
    req: &MeasureRequest,
) -> AppResult<inspection_measure::Model> {
    let i = access::editable(tx, user, id).await?;
    let mut fields = FieldErrors::new();
    limits::check(&mut fields, "scope_text", "范围", Some(&req.scope_text), TEXT);
    limits::check(&mut fields, "basis", "依据", Some(&req.basis), TEXT);
    if req.scope_text.trim().is_empty() {
        push(&mut fields, "scope_text", "请填写措施的范围（区域、设施设备）");
    }
    if req.basis.trim().is_empty() {
        push(&mut fields, "basis", "请填写依据");
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let ctx = tx.ctx();
    let row = inspection_measure::ActiveModel {
        inspection_id: Set(i.id),
        kind: Set(req.kind),
        scope_text: Set(req.scope_text.trim().to_owned()),
        basis: Set(req.basis.trim().to_owned()),
        decided_by: Set(user.id),
        decided_at: Set(ctx.at),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(tx, ctx, "create", &row).await?;
    Ok(row)
}
