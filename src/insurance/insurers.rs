//! Insurers (保险机构) and their users. An insurer is an organisation; a user
//! holding the `insurer` role is linked to exactly one (`insurer_users`) and sees
//! only the enterprises that insurer insures ([`Viewer`]).
//!
//! Decisions:
//! - An insurer is found by name or 统一社会信用代码; a regulator recording a policy
//!   of an insurer not yet known creates it by name (the CLI does the same), so
//!   the register of insurers grows with the policies.
//! - An insurer user is not an enterprise user: its session scope sees no
//!   enterprise of the register, and this module alone widens it to the
//!   enterprises with a policy of its insurer.

use crate::auth::{CurrentUser, Role, Scope};
use crate::entities::{enterprise, insurance_policy, insurer, insurer_user};
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    QueryTrait,
};

/// The insurer named `key` (its id, name or credit code), if known.
pub async fn find<C: ConnectionTrait>(db: &C, key: &str) -> AppResult<Option<insurer::Model>> {
    let key = key.trim();
    let mut cond = Condition::any().add(insurer::Column::Name.eq(key)).add(insurer::Column::CreditCode.eq(key));
    if let Ok(id) = key.parse::<i64>() {
        cond = cond.add(insurer::Column::Id.eq(id));
    }
    Ok(insurer::Entity::find().filter(cond).one(db).await?)
}

/// The insurer named `name`, created when unknown.
pub async fn find_or_create<C: ConnectionTrait>(
    db: &C,
    name: &str,
    credit_code: Option<&str>,
    at: DateTime<Utc>,
) -> AppResult<insurer::Model> {
    if let Some(found) = find(db, name).await? {
        return Ok(found);
    }
    let created = insurer::ActiveModel {
        name: Set(name.trim().to_owned()),
        credit_code: Set(credit_code.map(str::to_owned)),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(created)
}

/// Links an insurer user to its insurer.
pub async fn link<C: ConnectionTrait>(db: &C, user_id: i64, insurer_id: i64) -> AppResult<()> {
    insurer_user::Entity::insert(insurer_user::ActiveModel { user_id: Set(user_id), insurer_id: Set(insurer_id) })
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Who reads insurance records, and through which door.
#[derive(Debug, Clone)]
pub enum Viewer {
    /// A bureau or enterprise user: the session scope.
    Scoped(Scope),
    /// An insurer's user: the policies of this insurer and their enterprises.
    Insurer(insurer::Model),
}

impl Viewer {
    /// The viewer a user is (403 for an insurer user linked to no insurer).
    pub async fn of<C: ConnectionTrait>(db: &C, user: &CurrentUser) -> AppResult<Self> {
        if !user.has(Role::Insurer) {
            return Ok(Self::Scoped(user.scope.clone()));
        }
        let link = insurer_user::Entity::find_by_id(user.id).one(db).await?.ok_or(AppError::Forbidden)?;
        let ins = insurer::Entity::find_by_id(link.insurer_id).one(db).await?.ok_or(AppError::Forbidden)?;
        Ok(Self::Insurer(ins))
    }

    pub fn insurer_id(&self) -> Option<i64> {
        match self {
            Self::Insurer(i) => Some(i.id),
            Self::Scoped(_) => None,
        }
    }

    /// `SELECT id FROM enterprises` the viewer may see.
    pub fn enterprises(&self) -> SelectStatement {
        match self {
            Self::Scoped(scope) => crate::scope::scoped(enterprise::Entity::find(), scope)
                .select_only()
                .column(enterprise::Column::Id)
                .into_query(),
            Self::Insurer(i) => Query::select()
                .column(insurance_policy::Column::EnterpriseId)
                .from(insurance_policy::Entity)
                .and_where(insurance_policy::Column::InsurerId.eq(i.id))
                .to_owned(),
        }
    }

    /// The policies the viewer may see (an insurer sees its own only).
    pub fn policies(&self) -> Condition {
        match self {
            Self::Scoped(_) => {
                Condition::all().add(insurance_policy::Column::EnterpriseId.in_subquery(self.enterprises()))
            }
            Self::Insurer(i) => Condition::all().add(insurance_policy::Column::InsurerId.eq(i.id)),
        }
    }

    /// The enterprise if the viewer may see it; 404 otherwise.
    pub async fn enterprise<C: ConnectionTrait>(&self, db: &C, id: i64) -> AppResult<enterprise::Model> {
        enterprise::Entity::find_by_id(id)
            .filter(enterprise::Column::Id.in_subquery(self.enterprises()))
            .one(db)
            .await?
            .ok_or(AppError::NotFound)
    }
}

/// Links a new insurer user to the insurer `key` names (id, name or credit code),
/// creating it by name when unknown (the CLI's `user add --insurer`).
pub async fn add_user(tx: &crate::write::Tx, user_id: i64, key: &str, credit_code: Option<&str>) -> AppResult<()> {
    let mut f = crate::error::FieldErrors::new();
    crate::limits::check(&mut f, "insurer", "保险机构", Some(key), crate::limits::NAME);
    if key.trim().is_empty() {
        f.entry("insurer".to_owned()).or_default().push("请填写保险机构".to_owned());
    }
    if let Some(code) = credit_code
        && let Err(e) = crate::enterprise::domain::CreditCode::parse(code)
    {
        f.entry("insurer_credit_code".to_owned()).or_default().push(e.to_string());
    }
    if !f.is_empty() {
        return Err(AppError::Validation(f));
    }
    let ins = find_or_create(tx, key, credit_code, tx.ctx().at).await?;
    link(tx, user_id, ins.id).await
}
