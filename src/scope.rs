//! Scope: which records a user may see, in one place for every module.
//!
//! A bureau user sees what is owned by its bureau or any bureau below it
//! (optionally only some sectors); an enterprise user sees what belongs to its
//! own enterprise(s). A record type says how it is owned by implementing
//! [`Owned`]; [`scoped`] restricts any query to the user's scope and [`get`]
//! fetches one record or answers 404 — never 403, so a record outside the
//! scope is indistinguishable from one that does not exist.
//!
//! "Is this bureau mine or below mine" is [`bureau_below`], also 404. A body
//! field that names such a bureau is reported by the caller as a field error
//! with [`BUREAU_OUT_OF_SCOPE`], the same text as for an unknown id.

use crate::auth::CurrentUser;
pub use crate::auth::Scope;
use crate::entities::bureau;
use crate::error::{AppError, AppResult, DbResultExt};
use sea_orm::sea_query::{Expr, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PrimaryKeyTrait, QueryFilter, Select};

/// What a body field naming a bureau outside the user's scope is told.
pub const BUREAU_OUT_OF_SCOPE: &str = "机构不存在，或不是本机构或下级机构";

/// How a record type is owned, for [`scoped`].
pub trait Owned: EntityTrait {
    /// The owning bureau (the supervising bureau at the time).
    fn bureau() -> Self::Column;
    /// The sector, for bureau users limited to some sectors.
    fn sector() -> Option<Self::Column> {
        None
    }
    /// The owning enterprise; records without one are invisible to enterprise users.
    fn enterprise() -> Option<Self::Column> {
        None
    }
}

/// `SELECT id FROM bureaus WHERE path LIKE 'path%'`: a bureau and every bureau
/// below it, including ones created after the user signed in.
pub fn subtree(path: &str) -> SelectStatement {
    sea_orm::sea_query::Query::select()
        .column(bureau::Column::Id)
        .from(bureau::Entity)
        .and_where(crate::like::starts_with(bureau::Column::Path, path))
        .to_owned()
}

/// Restricts a query to the records the scope may see.
pub fn scoped<E: Owned>(query: Select<E>, scope: &Scope) -> Select<E> {
    match scope {
        Scope::Bureaus { path, sectors } => {
            let q = query.filter(E::bureau().in_subquery(subtree(path)));
            match (sectors, E::sector()) {
                (Some(s), Some(col)) => q.filter(col.is_in(s.iter().cloned())),
                _ => q,
            }
        }
        Scope::Enterprises(ids) => match E::enterprise() {
            Some(col) => query.filter(col.is_in(ids.iter().copied())),
            None => query.filter(Expr::cust("1 = 0")),
        },
    }
}

/// One record if the scope may see it; 404 otherwise.
pub async fn get<E, C>(db: &C, scope: &Scope, id: i64) -> AppResult<E::Model>
where
    E: Owned,
    C: ConnectionTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let table = sea_orm::EntityName::table_name(&E::default());
    scoped(E::find_by_id(id), scope).one(db).await.stored_row(table, id)?.ok_or(AppError::NotFound)
}

/// The bureau `id` if it is the user's own or one below it; 404 otherwise
/// (also for enterprise users).
pub async fn bureau_below<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<bureau::Model> {
    let Scope::Bureaus { path, .. } = &user.scope else { return Err(AppError::NotFound) };
    let b = bureau::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if b.path.starts_with(path.as_str()) { Ok(b) } else { Err(AppError::NotFound) }
}

/// The user's own bureau; 403 for enterprise users (a bureau-only action).
pub async fn own_bureau<C: ConnectionTrait>(db: &C, user: &CurrentUser) -> AppResult<bureau::Model> {
    let id = user.bureau.as_ref().ok_or(AppError::Forbidden)?.id;
    bureau::Entity::find_by_id(id).one(db).await?.ok_or(AppError::Forbidden)
}

impl Owned for crate::entities::enterprise::Entity {
    fn bureau() -> Self::Column {
        Self::Column::SupervisingBureauId
    }
    fn sector() -> Option<Self::Column> {
        Some(Self::Column::Sector)
    }
    fn enterprise() -> Option<Self::Column> {
        Some(Self::Column::Id)
    }
}

impl Owned for crate::entities::hazard::Entity {
    fn bureau() -> Self::Column {
        Self::Column::BureauId
    }
    fn sector() -> Option<Self::Column> {
        Some(Self::Column::Sector)
    }
    fn enterprise() -> Option<Self::Column> {
        Some(Self::Column::EnterpriseId)
    }
}

impl Owned for crate::entities::bulletin::Entity {
    fn bureau() -> Self::Column {
        Self::Column::BureauId
    }
}
