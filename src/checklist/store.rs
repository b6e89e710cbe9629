//! The stored versions (`checklist_versions`): registering the shipped national
//! ones, reading a version's body through a cache keyed by its hash (content is
//! immutable, so an entry is never stale), and which bureaus' checklists a
//! bureau or an enterprise sees.

use super::{Checklist, VersionStatus, shipped};
use crate::auth::{CurrentUser, Scope};
use crate::entities::{bureau, checklist_version as version, enterprise};
use crate::error::{AppError, AppResult};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

/// Parsed bodies kept; past this the cache starts over (a few dozen versions are usual).
const CACHE_ENTRIES: usize = 512;

static CACHE: LazyLock<Mutex<HashMap<String, Arc<Checklist>>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// The parsed body of a stored version.
pub fn parse(row: &version::Model) -> AppResult<Arc<Checklist>> {
    if let Some(c) = CACHE.lock().ok().and_then(|m| m.get(&row.content_hash).cloned()) {
        return Ok(c);
    }
    let c: Checklist = serde_json::from_str(&row.body).map_err(|e| {
        tracing::error!(table = "checklist_versions", id = row.id, error = %e, "stored checklist does not parse");
        AppError::Internal(anyhow::anyhow!("checklist_versions {}: {e}", row.id))
    })?;
    let c = Arc::new(c);
    if let Ok(mut m) = CACHE.lock() {
        if m.len() >= CACHE_ENTRIES {
            m.clear();
        }
        m.insert(row.content_hash.clone(), c.clone());
    }
    Ok(c)
}

/// The number of items and of unverified items.
pub fn counts(c: &Checklist) -> (i32, i32) {
    let n = |it: usize| i32::try_from(it).unwrap_or(i32::MAX);
    (n(c.items().count()), n(c.items().filter(|(_, i)| !i.verified).count()))
}

/// The canonical JSON stored as a version's body.
pub fn body(c: &Checklist) -> String {
    serde_json::to_string(c).unwrap_or_default()
}

/// Inserts the shipped checklists whose hash is unknown and marks earlier
/// national versions of the same checklists superseded. Idempotent; two servers
/// starting at once insert each version once (`ON CONFLICT DO NOTHING` on the
/// unique hash; the caller holds the migration lock on PostgreSQL).
pub async fn register_shipped<C: ConnectionTrait>(db: &C, now: chrono::DateTime<chrono::Utc>) -> Result<(), DbErr> {
    for c in shipped::all() {
        let hash = c.hash();
        let national = Condition::all()
            .add(version::Column::BureauId.is_null())
            .add(version::Column::ChecklistId.eq(c.id.as_str()));
        let known = version::Entity::find().filter(version::Column::ContentHash.eq(hash.as_str())).count(db).await?;
        if known == 0 {
            let earlier = version::Entity::find().filter(national.clone()).count(db).await?;
            let (items, unverified) = counts(c);
            let row = version::ActiveModel {
                checklist_id: Set(c.id.clone()),
                bureau_id: Set(None),
                seq: Set(i32::try_from(earlier).unwrap_or(i32::MAX - 1) + 1),
                version: Set(c.version.clone()),
                title: Set(c.title.clone()),
                content_hash: Set(hash.clone()),
                body: Set(body(c)),
                item_count: Set(items),
                unverified_count: Set(unverified),
                status: Set(VersionStatus::Current),
                created_by: Set(None),
                created_at: Set(now),
                ..Default::default()
            };
            version::Entity::insert(row)
                .on_conflict(OnConflict::column(version::Column::ContentHash).do_nothing().to_owned())
                .exec_without_returning(db)
                .await?;
        }
        version::Entity::update_many()
            .col_expr(version::Column::Status, Expr::value(VersionStatus::Superseded.as_str()))
            .filter(national)
            .filter(version::Column::ContentHash.ne(hash.as_str()))
            .filter(version::Column::Status.eq(VersionStatus::Current))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The bureau with `path` and those above it, top down: the path lists their
/// codes (`/420000/420100/420103/`).
pub async fn chain<C: ConnectionTrait>(db: &C, path: &str) -> AppResult<Vec<i64>> {
    let codes: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
    let rows: Vec<(i64, String)> = bureau::Entity::find()
        .select_only()
        .column(bureau::Column::Id)
        .column(bureau::Column::Code)
        .filter(bureau::Column::Code.is_in(codes.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    let mut ids: Vec<(usize, i64)> =
        rows.into_iter().filter_map(|(id, code)| codes.iter().position(|c| *c == code).map(|at| (at, id))).collect();
    ids.sort_unstable();
    Ok(ids.into_iter().map(|(_, id)| id).collect())
}

/// The current versions authored by the bureaus `ids`, by bureau and checklist.
pub async fn current_of<C: ConnectionTrait>(db: &C, ids: &[i64]) -> AppResult<Vec<version::Model>> {
    Ok(version::Entity::find()
        .filter(version::Column::BureauId.is_in(ids.iter().copied()))
        .filter(version::Column::Status.eq(VersionStatus::Current))
        .order_by_asc(version::Column::BureauId)
        .order_by_asc(version::Column::ChecklistId)
        .all(db)
        .await?)
}

/// The bureau and the bureaus above the one supervising `e`.
pub async fn chain_of_enterprise<C: ConnectionTrait>(db: &C, e: &enterprise::Model) -> AppResult<Vec<i64>> {
    let path = bureau::Entity::find_by_id(e.supervising_bureau_id)
        .select_only()
        .column(bureau::Column::Path)
        .into_tuple::<String>()
        .one(db)
        .await?;
    match path {
        Some(p) => chain(db, &p).await,
        None => Ok(Vec::new()),
    }
}

/// Which versions `user` may see: the national ones, those of the bureaus above
/// and below its bureau (an enterprise user: above its enterprises' bureaus).
pub async fn visible<C: ConnectionTrait>(db: &C, user: &CurrentUser) -> AppResult<Condition> {
    let national = Condition::any().add(version::Column::BureauId.is_null());
    Ok(match &user.scope {
        Scope::Bureaus { path, .. } => national
            .add(version::Column::BureauId.is_in(chain(db, path).await?))
            .add(version::Column::BureauId.in_subquery(crate::scope::subtree(path))),
        Scope::Enterprises(ids) => {
            let rows =
                enterprise::Entity::find().filter(enterprise::Column::Id.is_in(ids.iter().copied())).all(db).await?;
            let mut above = Vec::new();
            for e in &rows {
                above.extend(chain_of_enterprise(db, e).await?);
            }
            national.add(version::Column::BureauId.is_in(above))
        }
    })
}

/// A stored version by hash, if `user` may see it; 404 otherwise.
pub async fn visible_version<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    hash: &str,
) -> AppResult<(version::Model, Arc<Checklist>)> {
    let row = version::Entity::find()
        .filter(version::Column::ContentHash.eq(hash))
        .filter(visible(db, user).await?)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = parse(&row)?;
    Ok((row, c))
}
