//! The items an inspection's record covers: the applicable items of the checklist
//! versions it pinned (by content hash), for its enterprise.

use crate::checklist::ApplicableItem;
use crate::entities::{enterprise, inspection};
use crate::error::{AppError, AppResult};
use sea_orm::{ConnectionTrait, EntityTrait};

/// The content hashes pinned by the inspection (`checklists`: `[{"hash", …}]`).
pub fn pinned_hashes(i: &inspection::Model) -> Vec<String> {
    let pins: Vec<serde_json::Value> = serde_json::from_str(&i.checklists).unwrap_or_default();
    pins.iter().filter_map(|p| p.get("hash").and_then(|h| h.as_str()).map(str::to_owned)).collect()
}

/// The applicable items of the pinned checklist versions, in checklist and section order.
pub async fn pinned<C: ConnectionTrait>(db: &C, i: &inspection::Model) -> AppResult<Vec<ApplicableItem>> {
    let e = enterprise::Entity::find_by_id(i.enterprise_id).one(db).await?.ok_or(AppError::NotFound)?;
    let mut lists = Vec::new();
    for hash in pinned_hashes(i) {
        if let Some(c) = crate::checklist::by_hash(db, &hash).await? {
            lists.push(c);
        }
    }
    Ok(crate::checklist::model::applicable(&lists, &e))
}

/// Whether a basis may be printed: the item's wording is verified, or the inspector
/// confirmed it (a free-text finding's typed basis is the inspector's own).
pub fn basis_printable(item: Option<&ApplicableItem>, confirmed: bool) -> bool {
    item.is_none_or(|i| i.item.verified) || confirmed
}
