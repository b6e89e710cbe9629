//! Completing the record (one transaction): it checks that the record is whole,
//! records each finding in the ledger through the ledger's own use case (source
//! `inspection`, linked to the inspection and its item; a finding rectified on
//! the spot is recorded closed, as the ledger's 立查立改 allows), issues the
//! 现场检查记录, the 责令限期整改指令书 (findings with deadlines) with its 送达回证,
//! the 现场处理措施决定书 (measures), voids the numbers it does not need, and
//! closes the inspection. A second call finds it completed (409); a retry with
//! the same `Idempotency-Key` gets the first answer.
//!
//! Decisions: 未检查 is accepted for an item only with a note saying why; the
//! order is served on site at completion, so a deadline in working days counts
//! from the completion day (the ledger's working-day count from "today").

use super::access;
use super::domain::{self, Readiness, SignerKind};
use crate::audit;
use crate::auth::CurrentUser;
use crate::checklist::{ApplicableItem, Severity};
use crate::entities::{
    hazard, inspection, inspection_finding, inspection_measure, inspection_result, inspection_signature,
};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::hazard::domain::{Level, Source};
use crate::hazard::json::CreateHazardRequest;
use crate::inspection::domain::{DocumentType, Outcome, Status};
use crate::write::Tx;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

/// Everything of the record completion reads.
pub struct Parts {
    pub items: Vec<ApplicableItem>,
    pub results: Vec<inspection_result::Model>,
    pub findings: Vec<inspection_finding::Model>,
    pub measures: Vec<inspection_measure::Model>,
    pub signatures: Vec<inspection_signature::Model>,
    /// Unsettled conflicts on items' outcomes, oldest first.
    pub conflicts: Vec<crate::entities::inspection_result_conflict::Model>,
}

pub async fn parts<C: sea_orm::ConnectionTrait>(db: &C, i: &inspection::Model) -> AppResult<Parts> {
    let id = i.id;
    Ok(Parts {
        items: super::items::pinned(db, i).await?,
        results: inspection_result::Entity::find()
            .filter(inspection_result::Column::InspectionId.eq(id))
            .order_by_asc(inspection_result::Column::Id)
            .all(db)
            .await?,
        findings: inspection_finding::Entity::find()
            .filter(inspection_finding::Column::InspectionId.eq(id))
            .order_by_asc(inspection_finding::Column::Id)
            .all(db)
            .await?,
        measures: inspection_measure::Entity::find()
            .filter(inspection_measure::Column::InspectionId.eq(id))
            .order_by_asc(inspection_measure::Column::Id)
            .all(db)
            .await?,
        signatures: inspection_signature::Entity::find()
            .filter(inspection_signature::Column::InspectionId.eq(id))
            .order_by_asc(inspection_signature::Column::Id)
            .all(db)
            .await?,
        conflicts: super::results::open_conflicts(db, id).await?,
    })
}

pub fn readiness(p: &Parts) -> Readiness {
    let result = |code: &str| p.results.iter().find(|r| r.item_code == code);
    let unchecked = p
        .items
        .iter()
        .filter(|it| {
            let r = result(&it.item.code);
            domain::is_unchecked(r.map(|r| r.outcome), r.and_then(|r| r.note.as_deref()))
        })
        .map(|it| it.item.code.clone())
        .collect();
    let nonconform_without_finding = p
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::NonConform)
        .filter(|r| !p.findings.iter().any(|f| f.item_code.as_deref() == Some(r.item_code.as_str())))
        .map(|r| r.item_code.clone())
        .collect();
    let inspector_signatures = p
        .signatures
        .iter()
        .filter(|s| s.signer_kind == SignerKind::Inspector && s.certificate_no.is_some() && !s.refused)
        .count();
    let enterprise_signed_or_refused = p.signatures.iter().any(|s| s.signer_kind == SignerKind::Enterprise);
    let mut conflicted: Vec<String> = p.conflicts.iter().map(|c| c.item_code.clone()).collect();
    conflicted.sort();
    conflicted.dedup();
    Readiness { unchecked, nonconform_without_finding, conflicted, inspector_signatures, enterprise_signed_or_refused }
}

fn hazard_request(
    i: &inspection::Model,
    p: &Parts,
    f: &inspection_finding::Model,
    evidence: Vec<i64>,
) -> CreateHazardRequest {
    let item = f.item_code.as_deref().and_then(|c| p.items.iter().find(|it| it.item.code == c));
    let title = item.map_or_else(|| f.title.clone().unwrap_or_default(), |it| it.item.text.clone());
    CreateHazardRequest {
        enterprise_id: Some(i.enterprise_id),
        subject_id: None,
        subject: None,
        source: Source::Inspection,
        source_ref: None,
        reporter: None,
        level: if f.severity == Severity::Major { Level::Major } else { Level::General },
        category: f.category.clone(),
        title: crate::limits::clamp(&title, crate::limits::NAME).into_owned(),
        description: f.description.clone(),
        location: f.location.clone(),
        found_at: i.started_at.unwrap_or(f.created_at),
        deadline: f.deadline,
        deadline_working_days: f.deadline_working_days.and_then(|d| u32::try_from(d).ok()),
        checklist_item_code: f.item_code.clone(),
        risk_point_id: None,
        attachment_ids: Vec::new(),
        fixed_on_spot: f.rectified_on_spot,
        after_attachment_ids: evidence,
    }
}

/// A finding's errors from the ledger, under the finding's name.
fn under_finding(e: AppError, fid: i64) -> AppError {
    match e {
        AppError::Validation(fields) => AppError::Validation(
            fields.into_iter().map(|(k, v)| (format!("findings[{fid}].{k}"), v)).collect::<FieldErrors>(),
        ),
        other => other,
    }
}

/// Records one finding in the ledger as its author (whose photos its evidence
/// are) and links the hazard to the inspection.
async fn to_ledger(
    tx: &Tx,
    user: &CurrentUser,
    i: &inspection::Model,
    p: &Parts,
    f: &inspection_finding::Model,
) -> AppResult<hazard::Model> {
    // 立查立改: the photos become the hazard's "after" photos; otherwise they stay with the record.
    let evidence = if f.rectified_on_spot {
        let ids = super::findings::evidence_ids(tx, i.id, f.id).await?;
        super::findings::release_evidence(tx, i.id, f.id).await?;
        ids
    } else {
        Vec::new()
    };
    let mut author = user.clone();
    author.id = f.created_by;
    let req = hazard_request(i, p, f, evidence);
    let (created, _) =
        crate::hazard::service::create(tx, &author, &req).await.map_err(|err| under_finding(err, f.id))?;
    hazard::Entity::update_many()
        .col_expr(hazard::Column::InspectionId, Expr::value(i.id))
        .filter(hazard::Column::Id.eq(created.id))
        .exec(tx)
        .await?;
    let mut a: inspection_finding::ActiveModel = f.clone().into();
    a.hazard_id = Set(Some(created.id));
    a.updated_at = Set(tx.ctx().at);
    let row = a.update(tx).await?;
    audit::record(tx, tx.ctx(), "to_ledger", &row).await?;
    Ok(created)
}

/// Issues the documents the record needs and voids the numbers it does not.
async fn documents(tx: &Tx, i: &inspection::Model, p: &Parts) -> AppResult<()> {
    let signer = p.signatures.iter().find(|s| s.signer_kind == SignerKind::Enterprise).map(|s| s.name.as_str());
    super::papers::issue(tx, i, DocumentType::SiteRecord, None).await?;
    let ordered = p.findings.iter().any(|f| !f.rectified_on_spot);
    if ordered {
        super::papers::issue(tx, i, DocumentType::RectificationOrder, signer.or(Some("被检查单位"))).await?;
    } else {
        super::papers::void(tx, i, DocumentType::RectificationOrder, "未发现须限期整改的问题，未出具").await?;
    }
    if p.measures.is_empty() {
        super::papers::void(tx, i, DocumentType::OnSiteMeasures, "未采取现场处理措施，未出具").await?;
    } else {
        super::papers::issue(tx, i, DocumentType::OnSiteMeasures, signer.or(Some("被检查单位"))).await?;
    }
    if ordered || !p.measures.is_empty() {
        super::papers::issue(tx, i, DocumentType::ServiceReceipt, signer.or(Some("被检查单位"))).await?;
    } else {
        super::papers::void(tx, i, DocumentType::ServiceReceipt, "无须送达的文书，未出具").await?;
    }
    Ok(())
}

/// Completes the record into the ledger (see the module's doc comment).
pub async fn complete(tx: &Tx, user: &CurrentUser, id: i64) -> AppResult<inspection::Model> {
    let i = access::team_inspection(tx, user, id).await?;
    access::require_status(&i, &[Status::InProgress])?;
    let p = parts(tx, &i).await?;
    let problems = domain::completion_problems(&readiness(&p));
    if !problems.is_empty() {
        let mut fields = FieldErrors::new();
        for (field, message) in problems {
            fields.entry(field.to_owned()).or_default().push(message);
        }
        return Err(AppError::Validation(fields));
    }
    for f in p.findings.iter().filter(|f| f.hazard_id.is_none()) {
        to_ledger(tx, user, &i, &p, f).await?;
    }
    documents(tx, &i, &p).await?;
    let ctx = tx.ctx();
    let mut a: inspection::ActiveModel = i.clone().into();
    a.status = Set(Status::Completed);
    a.completed_at = Set(Some(ctx.at));
    a.version = Set(i.version + 1);
    a.updated_at = Set(ctx.at);
    let row = inspection::Entity::update_many()
        .set(a)
        .filter(inspection::Column::Id.eq(i.id))
        .filter(inspection::Column::Version.eq(i.version))
        .exec_with_returning(tx)
        .await?
        .into_iter()
        .next()
        .ok_or_else(super::service::stale)?;
    audit::record(tx, ctx, "complete", &row).await?;
    Ok(row)
}

/// The hazards the inspection's findings became.
pub async fn hazards_of<C: sea_orm::ConnectionTrait>(db: &C, inspection_id: i64) -> AppResult<u64> {
    Ok(hazard::Entity::find().filter(hazard::Column::InspectionId.eq(inspection_id)).count(db).await?)
}
