//! One way to tell people something: every notice is a to-do (待办) for the
//! people concerned and, for each of them with a mail address (and for an
//! enterprise, its registered address), a mail in the outbox — both written
//! in the caller's transaction, both deduplicated by key, so a retried
//! request or a second job run never repeats a notice.

use crate::auth::Role;
use crate::entities::{enterprise, todo, user, user_enterprise, user_role};
use crate::error::AppResult;
use crate::mail::{self, Kind, NoticeContext};
use crate::todo::Assignee;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeSet, HashMap};

/// One notice to the holders of one assignment.
#[derive(Debug, Clone)]
pub struct Notice {
    pub assignee: Assignee,
    /// The to-do's kind, e.g. `hazard_to_confirm`.
    pub todo_kind: &'static str,
    pub title: String,
    /// The page, relative (`/hazards/12`).
    pub link: String,
    /// The mail sent with the to-do, if any.
    pub mail: Option<Kind>,
    pub ctx: NoticeContext,
    /// Unique per cause, step and assignee.
    pub key: String,
}

fn add(out: &mut HashMap<String, BTreeSet<String>>, e: i64, role: Role, email: &str) {
    let email = email.trim();
    if email.contains('@') {
        out.entry(format!("{:?}", Assignee::EnterpriseRole(e, role))).or_default().insert(email.to_owned());
    }
}

/// (enterprise, role, address) of the enabled users linked to these enterprises.
async fn linked_users<C: ConnectionTrait>(db: &C, enterprises: &[i64]) -> AppResult<Vec<(i64, Role, String)>> {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let q = Query::select()
        .column((user_enterprise::Entity, user_enterprise::Column::EnterpriseId))
        .column((user_role::Entity, user_role::Column::Role))
        .column((user::Entity, user::Column::Email))
        .from(user_enterprise::Entity)
        .inner_join(
            user::Entity,
            Expr::col((user::Entity, user::Column::Id))
                .equals((user_enterprise::Entity, user_enterprise::Column::UserId)),
        )
        .inner_join(
            user_role::Entity,
            Expr::col((user_role::Entity, user_role::Column::UserId)).equals((user::Entity, user::Column::Id)),
        )
        .and_where(
            Expr::col((user_enterprise::Entity, user_enterprise::Column::EnterpriseId))
                .is_in(enterprises.iter().copied()),
        )
        .and_where(Expr::col((user::Entity, user::Column::Email)).is_not_null())
        .and_where(Expr::col((user::Entity, user::Column::Disabled)).eq(false))
        .to_owned();
    let mut out = Vec::new();
    for row in db.query_all(&q).await? {
        let (e, role, email): (i64, String, String) =
            (row.try_get_by_index(0)?, row.try_get_by_index(1)?, row.try_get_by_index(2)?);
        if let Some(role) = Role::parse(&role) {
            out.push((e, role, email));
        }
    }
    Ok(out)
}

/// Addresses of every enterprise assignment among the notices, in a few
/// set-based queries (a deadline run may notify tens of thousands of them):
/// the enterprise's registered address for its principal, plus the linked
/// users holding the role.
async fn enterprise_addresses<C: ConnectionTrait>(
    db: &C,
    notices: &[Notice],
) -> AppResult<HashMap<String, BTreeSet<String>>> {
    let mut ids: Vec<i64> = notices
        .iter()
        .filter(|n| n.mail.is_some())
        .filter_map(|n| match n.assignee {
            Assignee::EnterpriseRole(e, _) => Some(e),
            _ => None,
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut out: HashMap<String, BTreeSet<String>> = HashMap::new();
    for chunk in ids.chunks(500) {
        // Every enterprise assignment gets an entry, empty when nobody has an address.
        for r in Role::ALL.iter().filter(|r| !r.is_bureau_role()) {
            for &e in chunk {
                out.entry(format!("{:?}", Assignee::EnterpriseRole(e, *r))).or_default();
            }
        }
        let own: Vec<(i64, Option<String>)> = enterprise::Entity::find()
            .select_only()
            .column(enterprise::Column::Id)
            .column(enterprise::Column::Email)
            .filter(enterprise::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        for (e, email) in own {
            if let Some(email) = email {
                add(&mut out, e, Role::Principal, &email);
            }
        }
        for (e, role, email) in linked_users(db, chunk).await? {
            add(&mut out, e, role, &email);
        }
    }
    Ok(out)
}

/// Mail addresses of the holders of an assignment (sorted, without repeats).
async fn addresses<C: ConnectionTrait>(db: &C, a: &Assignee) -> AppResult<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    let users: Vec<Option<String>> = match a {
        Assignee::User(id) => {
            user::Entity::find_by_id(*id).select_only().column(user::Column::Email).into_tuple().all(db).await?
        }
        Assignee::BureauRole(b, role) => {
            let holders = user_role::Entity::find()
                .select_only()
                .column(user_role::Column::UserId)
                .filter(user_role::Column::Role.eq(role.as_str()));
            user::Entity::find()
                .select_only()
                .column(user::Column::Email)
                .filter(user::Column::BureauId.eq(*b))
                .filter(user::Column::Disabled.eq(false))
                .filter(user::Column::Id.in_subquery(sea_orm::QueryTrait::into_query(holders)))
                .into_tuple()
                .all(db)
                .await?
        }
        Assignee::EnterpriseRole(e, role) => {
            if *role == Role::Principal {
                let own: Option<Option<String>> = enterprise::Entity::find_by_id(*e)
                    .select_only()
                    .column(enterprise::Column::Email)
                    .into_tuple()
                    .one(db)
                    .await?;
                out.extend(own.flatten());
            }
            let linked = user_enterprise::Entity::find()
                .select_only()
                .column(user_enterprise::Column::UserId)
                .filter(user_enterprise::Column::EnterpriseId.eq(*e));
            let holders = user_role::Entity::find()
                .select_only()
                .column(user_role::Column::UserId)
                .filter(user_role::Column::Role.eq(role.as_str()));
            user::Entity::find()
                .select_only()
                .column(user::Column::Email)
                .filter(user::Column::Disabled.eq(false))
                .filter(user::Column::Id.in_subquery(sea_orm::QueryTrait::into_query(linked)))
                .filter(user::Column::Id.in_subquery(sea_orm::QueryTrait::into_query(holders)))
                .into_tuple()
                .all(db)
                .await?
        }
    };
    out.extend(users.into_iter().flatten().map(|e| e.trim().to_owned()).filter(|e| e.contains('@')));
    Ok(out)
}

fn todo_row(at: DateTime<Utc>, n: &Notice) -> todo::ActiveModel {
    crate::todo::row(
        at,
        crate::todo::NewTodo {
            assignee: n.assignee.clone(),
            kind: n.todo_kind,
            title: n.title.clone(),
            link: n.link.clone(),
            dedupe_key: n.key.clone(),
        },
    )
}

/// Writes the notices' to-dos and mails. Returns the number of mails that are new.
pub async fn send<C: ConnectionTrait>(db: &C, at: DateTime<Utc>, notices: Vec<Notice>) -> AppResult<usize> {
    if notices.is_empty() {
        return Ok(0);
    }
    let mut cache = enterprise_addresses(db, &notices).await?;
    let mut mails = Vec::new();
    for chunk in notices.chunks(500) {
        let rows: Vec<_> = chunk.iter().map(|n| todo_row(at, n)).collect();
        todo::Entity::insert_many(rows)
            .on_conflict(OnConflict::column(todo::Column::DedupeKey).do_nothing().to_owned())
            .exec_without_returning(db)
            .await?;
    }
    for n in notices {
        let Some(kind) = n.mail else { continue };
        let who = format!("{:?}", n.assignee);
        if !cache.contains_key(&who) {
            let found = addresses(db, &n.assignee).await?;
            cache.insert(who.clone(), found);
        }
        for to in cache.get(&who).into_iter().flatten() {
            let mut ctx = n.ctx.clone();
            ctx.link = mail::link(&n.link);
            mails.push(mail::Notice { kind, to: to.clone(), ctx, dedupe_key: format!("{}:{to}", n.key) });
        }
    }
    mail::enqueue(db, at, mails).await
}
