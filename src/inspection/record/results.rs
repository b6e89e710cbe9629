//! The items' outcomes: an idempotent upsert per item that never overwrites a change
//! the writing device has not seen.
//!
//! Each stored outcome has a `version`, bumped by every change. A write carries the
//! `base_version` its device last received:
//! - the same as stored (0 for an item without outcome): applied, version + 1;
//! - older, with the same outcome and note: nothing to do (a retry, or two devices
//!   that agree);
//! - older, with another outcome or note: kept in `inspection_result_conflicts` and
//!   shown on the item to the team; the stored outcome stays until an inspector
//!   chooses (`resolve`). The same conflicting write sent again is kept once.
//! - absent: applied whatever is stored (the pages, online, send what they showed).
//!
//! Photos sent with an item are added to it in every case: evidence is never in
//! conflict. Completion waits until every conflict is settled.

use super::access;
use super::json::ResultInput;
use crate::attachment::Owner;
use crate::audit;
use crate::auth::CurrentUser;
use crate::entities::{inspection_result as result, inspection_result_conflict as conflict};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::inspection::domain::{Outcome, Resolution};
use crate::limits::{self, LIST, TEXT};
use crate::write::Tx;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

fn check_results(items: &[crate::checklist::ApplicableItem], input: &[ResultInput]) -> FieldErrors {
    let mut fields = FieldErrors::new();
    let mut seen = std::collections::HashSet::new();
    for (n, r) in input.iter().enumerate() {
        let at = |f: &str| format!("results[{n}].{f}");
        if !items.iter().any(|i| i.item.code == r.code) {
            fields.entry(at("code")).or_default().push(format!("检查项“{}”不是本次检查适用的检查项", r.code));
        }
        if !seen.insert(r.code.as_str()) {
            fields.entry(at("code")).or_default().push(format!("检查项“{}”重复", r.code));
        }
        if r.base_version.is_some_and(|v| v < 0) {
            fields.entry(at("base_version")).or_default().push("版本号不能为负数".into());
        }
        limits::check(&mut fields, &at("note"), "说明", r.note.as_deref(), TEXT);
        limits::check_list(&mut fields, &at("attachment_ids"), "照片", &r.attachment_ids, LIST);
    }
    fields
}

/// What to do with one item's write, given what is stored.
enum Step {
    Insert,
    Update(result::Model),
    Keep(result::Model),
    Nothing(result::Model),
}

fn step(existing: Option<result::Model>, r: &ResultInput, note: Option<&String>) -> Step {
    let Some(e) = existing else { return Step::Insert };
    let same = e.outcome == r.outcome && e.note.as_ref() == note;
    let stale = r.base_version.is_some_and(|v| v != e.version);
    match (same, stale) {
        (true, _) => Step::Nothing(e),
        (false, true) => Step::Keep(e),
        (false, false) => Step::Update(e),
    }
}

/// Saves the outcomes of items (see the module doc), with their photos. Only the
/// pinned applicable items are accepted.
pub async fn save_results(tx: &Tx, user: &CurrentUser, id: i64, input: &[ResultInput]) -> AppResult<()> {
    let i = access::editable(tx, user, id).await?;
    if input.len() > crate::limits::IDS {
        return Err(AppError::validation("results", format!("一次最多保存 {} 项", crate::limits::IDS)));
    }
    let items = super::items::pinned(tx, &i).await?;
    let fields = check_results(&items, input);
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let ctx = tx.ctx();
    for (n, r) in input.iter().enumerate() {
        let note = r.note.clone().filter(|t| !t.trim().is_empty());
        let existing = result::Entity::find()
            .filter(result::Column::InspectionId.eq(i.id))
            .filter(result::Column::ItemCode.eq(&r.code))
            .one(tx)
            .await?;
        let row = match step(existing, r, note.as_ref()) {
            Step::Nothing(e) => e,
            Step::Keep(e) => {
                keep(tx, user, &e, r, note).await?;
                e
            }
            Step::Update(e) => replace(tx, user, e, r.outcome, note).await?,
            Step::Insert => {
                let hash = items.iter().find(|it| it.item.code == r.code).map(|it| it.checklist_hash.clone());
                let row = result::ActiveModel {
                    inspection_id: Set(i.id),
                    item_code: Set(r.code.clone()),
                    checklist_hash: Set(hash.unwrap_or_default()),
                    outcome: Set(r.outcome),
                    note: Set(note),
                    updated_by: Set(user.id),
                    updated_at: Set(ctx.at),
                    version: Set(1),
                    ..Default::default()
                }
                .insert(tx)
                .await?;
                audit::record(tx, ctx, "record", &row).await?;
                row
            }
        };
        let owner = Owner::inspection(i.id, Some(row.id));
        let field = format!("results[{n}].attachment_ids");
        crate::attachment::claim(tx, user, &r.attachment_ids, owner, "item", &field).await?;
    }
    Ok(())
}

/// A new version of a stored outcome, written by `user`.
async fn replace(
    tx: &Tx,
    user: &CurrentUser,
    e: result::Model,
    outcome: Outcome,
    note: Option<String>,
) -> AppResult<result::Model> {
    let version = e.version;
    let mut a: result::ActiveModel = e.into();
    a.outcome = Set(outcome);
    a.note = Set(note);
    a.updated_by = Set(user.id);
    a.updated_at = Set(tx.ctx().at);
    a.version = Set(version + 1);
    let row = a.update(tx).await?;
    audit::record(tx, tx.ctx(), "record", &row).await?;
    Ok(row)
}

/// Keeps a write that met a newer stored outcome, once.
async fn keep(tx: &Tx, user: &CurrentUser, e: &result::Model, r: &ResultInput, note: Option<String>) -> AppResult<()> {
    let base = r.base_version.unwrap_or_default();
    let mine = conflict::Entity::find()
        .filter(conflict::Column::InspectionId.eq(e.inspection_id))
        .filter(conflict::Column::ItemCode.eq(&e.item_code))
        .filter(conflict::Column::CreatedBy.eq(user.id))
        .filter(conflict::Column::Resolution.is_null())
        .all(tx)
        .await?;
    let again = mine.iter().any(|c| c.outcome == r.outcome && c.note == note && c.base_version == base);
    if again {
        return Ok(());
    }
    let row = conflict::ActiveModel {
        inspection_id: Set(e.inspection_id),
        item_code: Set(e.item_code.clone()),
        outcome: Set(r.outcome),
        note: Set(note),
        base_version: Set(base),
        server_version: Set(e.version),
        created_by: Set(user.id),
        created_at: Set(tx.ctx().at),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(tx, tx.ctx(), "keep", &row).await?;
    Ok(())
}

/// The inspection's unsettled conflicts, oldest first.
pub async fn open_conflicts<C: ConnectionTrait>(db: &C, inspection_id: i64) -> AppResult<Vec<conflict::Model>> {
    Ok(conflict::Entity::find()
        .filter(conflict::Column::InspectionId.eq(inspection_id))
        .filter(conflict::Column::Resolution.is_null())
        .order_by_asc(conflict::Column::Id)
        .all(db)
        .await?)
}

/// Settles a kept conflict: the stored outcome stays, or the kept one replaces it
/// (a new version, written by the inspector who chose). Either way both stay on record.
pub async fn resolve(tx: &Tx, user: &CurrentUser, id: i64, conflict_id: i64, resolution: Resolution) -> AppResult<()> {
    let i = access::editable(tx, user, id).await?;
    let c = conflict::Entity::find_by_id(conflict_id)
        .filter(conflict::Column::InspectionId.eq(i.id))
        .one(tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if c.resolution.is_some() {
        return Err(AppError::conflict("conflict_resolved", "该冲突已处理"));
    }
    let ctx = tx.ctx();
    if resolution == Resolution::TookIncoming {
        let e = result::Entity::find()
            .filter(result::Column::InspectionId.eq(i.id))
            .filter(result::Column::ItemCode.eq(&c.item_code))
            .one(tx)
            .await?
            .ok_or(AppError::NotFound)?;
        replace(tx, user, e, c.outcome, c.note.clone()).await?;
    }
    let mut a: conflict::ActiveModel = c.into();
    a.resolution = Set(Some(resolution));
    a.resolved_by = Set(Some(user.id));
    a.resolved_at = Set(Some(ctx.at));
    let row = a.update(tx).await?;
    audit::record(tx, ctx, "resolve", &row).await?;
    Ok(())
}
