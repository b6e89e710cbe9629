//! A new rule version is previewed against the one in force (how many enterprises
//! change class, from which to which) and adopted by a regulator of the top bureau
//! (one province per deployment: the rules are the province's), with a note; the
//! scores are recomputed under it in the same transaction.

use super::json::{ClassMove, CreditPreview};
use super::recompute;
use crate::auth::{CurrentUser, Role};
use crate::entities::credit_adoption;
use crate::error::{AppError, AppResult};
use crate::write::Tx;
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, EntityTrait, Set};
use std::collections::{BTreeMap, HashMap};

fn candidate(version: &str) -> AppResult<&'static super::rules::RuleVersion> {
    super::rules::data()?.version(version).ok_or_else(|| {
        AppError::validation("version", format!("规则文件中没有版本“{}”", crate::limits::preview(version)))
    })
}

pub async fn preview<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    version: &str,
    as_of: NaiveDate,
) -> AppResult<CreditPreview> {
    user.require_any(&[Role::Regulator, Role::Approver])?;
    let next = candidate(version)?;
    let current = super::service::version_in_force(db).await?;
    let mut before: HashMap<i64, String> = HashMap::new();
    recompute::scores(db, current, as_of, |id, score, _| {
        before.insert(id, current.class_of(score).code.clone());
    })
    .await?;
    let mut transitions: BTreeMap<(String, String), u64> = BTreeMap::new();
    let (mut enterprises, mut moved, mut sample) = (0, 0, Vec::new());
    recompute::scores(db, next, as_of, |id, score, _| {
        enterprises += 1;
        let to = next.class_of(score).code.clone();
        let from = before.remove(&id).unwrap_or_else(|| current.class_of(0).code.clone());
        if from != to {
            moved += 1;
            if sample.len() < 50 {
                sample.push(id);
            }
            *transitions.entry((from, to)).or_default() += 1;
        }
    })
    .await?;
    Ok(CreditPreview {
        current: current.version.clone(),
        candidate: next.version.clone(),
        as_of,
        enterprises,
        moved,
        moves: transitions.into_iter().map(|((from, to), n)| ClassMove { from, to, enterprises: n }).collect(),
        sample,
    })
}

/// Adopts `version` and recomputes every score under it.
pub async fn adopt(tx: &Tx, user: &CurrentUser, version: &str, note: &str) -> AppResult<recompute::CreditRunReport> {
    user.require_any(&[Role::Regulator])?;
    let own = crate::scope::own_bureau(tx, user).await?;
    if own.parent_id.is_some() {
        return Err(AppError::Forbidden);
    }
    let next = candidate(version)?;
    credit_adoption::Entity::insert(credit_adoption::ActiveModel {
        version: Set(next.version.clone()),
        adopted_by: Set(user.id),
        adopted_at: Set(tx.now()),
        note: Set(note.to_owned()),
        ..Default::default()
    })
    .exec_without_returning(tx)
    .await?;
    recompute::run(tx, next, tx.now(), "adoption").await
}
