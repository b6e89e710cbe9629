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

/// (bureau, role, address) of the enabled users of these bureaus.
async fn bureau_users<C: ConnectionTrait>(db: &C, bureaus: &[i64]) -> AppResult<Vec<(i64, Role, String)>> {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let q = Query::select()
        .column((user::Entity, user::Column::BureauId))
        .column((user_role::Entity, user_role::Column::Role))
        .column((user::Entity, user::Column::Email))
        .from(user::Entity)
        .inner_join(
            user_role::Entity,
            Expr::col((user_role::Entity, user_role::Column::UserId)).equals((user::Entity, user::Column::Id)),
        )
        .and_where(Expr::col((user::Entity, user::Column::BureauId)).is_in(bureaus.iter().copied()))
        .and_where(Expr::col((user::Entity, user::Column::Email)).is_not_null())
        .and_where(Expr::col((user::Entity, user::Column::Disabled)).eq(false))
        .to_owned();
    let mut out = Vec::new();
    for row in db.query_all(&q).await? {
        let (b, role, email): (i64, String, String) =
            (row.try_get_by_index(0)?, row.try_get_by_index(1)?, row.try_get_by_index(2)?);
        if let Some(role) = Role::parse(&role) {
            out.push((b, role, email));
        }
    }
    Ok(out)
}

/// The mail addresses of each assignment (keyed by its `Debug` text, sorted,
/// without repeats), in a few set-based queries per 500 enterprises or bureaus
/// (a deadline run may name tens of thousands of them). An enterprise's
/// principal is reached at the enterprise's registered address and at the
/// linked users holding the role; a bureau role at its enabled users holding it.
pub async fn addresses_of<C: ConnectionTrait>(
    db: &C,
    assignees: &[Assignee],
) -> AppResult<HashMap<String, BTreeSet<String>>> {
    let mut out: HashMap<String, BTreeSet<String>> = HashMap::new();
    let (mut enterprises, mut bureaus, mut users) = (Vec::new(), Vec::new(), Vec::new());
    for a in assignees {
        out.entry(format!("{a:?}")).or_default();
        match a {
            Assignee::EnterpriseRole(e, _) => enterprises.push(*e),
            Assignee::BureauRole(b, _) => bureaus.push(*b),
            Assignee::User(u) => users.push(*u),
        }
    }
    let mut found = Vec::new();
    for ids in [&mut enterprises, &mut bureaus, &mut users] {
        ids.sort_unstable();
        ids.dedup();
    }
    for chunk in enterprises.chunks(500) {
        found.extend(enterprise_addresses(db, chunk).await?);
    }
    for chunk in bureaus.chunks(500) {
        found.extend(bureau_users(db, chunk).await?.into_iter().map(|(b, r, e)| (Assignee::BureauRole(b, r), e)));
    }
    for chunk in users.chunks(500) {
        let rows: Vec<(i64, Option<String>)> = user::Entity::find()
            .select_only()
            .columns([user::Column::Id, user::Column::Email])
            .filter(user::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows.into_iter().filter_map(|(u, e)| Some((Assignee::User(u), e?))));
    }
    for (a, email) in found {
        let email = email.trim();
        if email.contains('@')
            && let Some(set) = out.get_mut(&format!("{a:?}"))
        {
            set.insert(email.to_owned());
        }
    }
    Ok(out)
}

/// The enterprises' registered addresses (for their principals) and their linked users' addresses.
async fn enterprise_addresses<C: ConnectionTrait>(db: &C, ids: &[i64]) -> AppResult<Vec<(Assignee, String)>> {
    let own: Vec<(i64, Option<String>)> = enterprise::Entity::find()
        .select_only()
        .column(enterprise::Column::Id)
        .column(enterprise::Column::Email)
        .filter(enterprise::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    let mut out: Vec<(Assignee, String)> =
        own.into_iter().filter_map(|(e, email)| Some((Assignee::EnterpriseRole(e, Role::Principal), email?))).collect();
    out.extend(linked_users(db, ids).await?.into_iter().map(|(e, r, email)| (Assignee::EnterpriseRole(e, r), email)));
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

/// What [`send`] wrote; repeats of earlier notices are not counted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    /// New to-dos (one per notice that was not given before).
    pub todos: u64,
    /// New mails.
    pub mails: usize,
}

/// Writes the notices' to-dos and mails.
pub async fn send<C: ConnectionTrait>(db: &C, at: DateTime<Utc>, notices: Vec<Notice>) -> AppResult<Sent> {
    if notices.is_empty() {
        return Ok(Sent::default());
    }
    let with_mail: Vec<Assignee> = notices.iter().filter(|n| n.mail.is_some()).map(|n| n.assignee.clone()).collect();
    let cache = addresses_of(db, &with_mail).await?;
    let mut mails = Vec::new();
    let mut todos = 0;
    for chunk in notices.chunks(500) {
        let rows: Vec<_> = chunk.iter().map(|n| todo_row(at, n)).collect();
        // `ON CONFLICT DO NOTHING`: the rows affected are the to-dos actually written.
        todos += todo::Entity::insert_many(rows)
            .on_conflict(OnConflict::column(todo::Column::DedupeKey).do_nothing().to_owned())
            .exec_without_returning(db)
            .await?;
    }
    for n in notices {
        let Some(kind) = n.mail else { continue };
        let who = format!("{:?}", n.assignee);
        for to in cache.get(&who).into_iter().flatten() {
            let mut ctx = n.ctx.clone();
            ctx.link = mail::link(&n.link);
            mails.push(mail::Notice { kind, to: to.clone(), ctx, dedupe_key: format!("{}:{to}", n.key) });
        }
    }
    Ok(Sent { todos, mails: mail::enqueue(db, at, mails).await? })
}
