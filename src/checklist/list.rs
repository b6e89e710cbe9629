//! Reading checklists: every visible checklist with its versions, one version
//! with its content, and the items that apply to an enterprise.

use super::json::{AuthorBureau, ChecklistEntry, ChecklistItemsResponse, ChecklistVersionResponse, ChecklistsResponse};
use super::{VersionStatus, store};
use crate::auth::CurrentUser;
use crate::entities::{bureau, checklist_version as version, enterprise};
use crate::error::AppResult;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// Versions listed at most.
pub const MAX_VERSIONS: u64 = 2_000;
/// Applicable items listed at most.
pub const MAX_ITEMS: usize = 10_000;

async fn bureau_names<C: ConnectionTrait>(db: &C, ids: Vec<i64>) -> AppResult<HashMap<i64, String>> {
    let rows = bureau::Entity::find().filter(bureau::Column::Id.is_in(ids)).all(db).await?;
    Ok(rows.into_iter().map(|b| (b.id, b.name)).collect())
}

fn author(names: &HashMap<i64, String>, id: Option<i64>) -> Option<AuthorBureau> {
    id.map(|id| AuthorBureau { id, name: names.get(&id).cloned().unwrap_or_default() })
}

/// Every checklist `user` may see (national first, then by bureau and id), versions newest first.
pub async fn checklists<C: ConnectionTrait>(db: &C, user: &CurrentUser) -> AppResult<ChecklistsResponse> {
    let rows = version::Entity::find()
        .filter(store::visible(db, user).await?)
        .order_by_asc(version::Column::BureauId.is_not_null())
        .order_by_asc(version::Column::BureauId)
        .order_by_asc(version::Column::ChecklistId)
        .order_by_desc(version::Column::Seq)
        .limit(MAX_VERSIONS + 1)
        .all(db)
        .await?;
    let truncated = rows.len() as u64 > MAX_VERSIONS;
    let names = bureau_names(db, rows.iter().filter_map(|r| r.bureau_id).collect()).await?;
    let mut items: Vec<ChecklistEntry> = Vec::new();
    for r in rows.iter().take(usize::try_from(MAX_VERSIONS).unwrap_or(usize::MAX)) {
        let same =
            |e: &ChecklistEntry| e.checklist_id == r.checklist_id && e.bureau.as_ref().map(|b| b.id) == r.bureau_id;
        match items.last_mut().filter(|e| same(e)) {
            Some(e) => e.versions.push(r.into()),
            None => items.push(ChecklistEntry {
                checklist_id: r.checklist_id.clone(),
                title: r.title.clone(),
                national: r.bureau_id.is_none(),
                bureau: author(&names, r.bureau_id),
                retired: r.status == VersionStatus::Retired,
                versions: vec![r.into()],
            }),
        }
    }
    Ok(ChecklistsResponse { items, truncated })
}

/// One version `user` may see, with its content; 404 otherwise.
pub async fn version<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    hash: &str,
) -> AppResult<ChecklistVersionResponse> {
    let (row, c) = store::visible_version(db, user, hash).await?;
    let names = bureau_names(db, row.bureau_id.into_iter().collect()).await?;
    Ok(ChecklistVersionResponse {
        checklist_id: row.checklist_id.clone(),
        national: row.bureau_id.is_none(),
        bureau: author(&names, row.bureau_id),
        entry: (&row).into(),
        checklist: (*c).clone(),
    })
}

/// The items applying to enterprise `e` (the caller checked its scope).
pub async fn items_of<C: ConnectionTrait>(db: &C, e: &enterprise::Model) -> AppResult<ChecklistItemsResponse> {
    let mut items = super::applicable_items(db, e).await?;
    let truncated = items.len() > MAX_ITEMS;
    items.truncate(MAX_ITEMS);
    let items = items.into_iter().map(Into::into).collect();
    Ok(ChecklistItemsResponse { enterprise_id: e.id, items, truncated })
}
