//! The register's reads and the regulators' edits of certificates and specialties.

use super::{AbsenceKind, CertificateStatus, availability};
use crate::auth::{CurrentUser, Role, Scope};
use crate::enterprise::domain::Sector;
use crate::entities::{bureau, user, user_role};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::write::Tx;
use chrono::NaiveDate;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The most inspectors one list answers.
pub const MAX_LIST: u64 = 500;

/// An inspector (or expert) of the register, as of a day.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InspectorSummary {
    pub id: i64,
    pub display_name: String,
    pub bureau_id: i64,
    pub bureau_name: String,
    /// `inspector` and/or `expert`.
    pub roles: Vec<Role>,
    pub certificate_no: Option<String>,
    pub certificate_valid_until: Option<NaiveDate>,
    pub certificate_status: CertificateStatus,
    pub specialties: Vec<Sector>,
    /// Why the person is away on the day, if away.
    pub absent: Option<AbsenceKind>,
}

impl InspectorSummary {
    /// Whether the person may be on a team as an inspector on the day.
    pub fn available_inspector(&self) -> bool {
        self.roles.contains(&Role::Inspector) && self.certificate_status.usable() && self.absent.is_none()
    }
}

/// Body of `PATCH /api/v1/inspectors/{user_id}`: only the fields given change.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateInspector {
    #[schema(max_length = 100)]
    pub certificate_no: Option<String>,
    pub certificate_valid_until: Option<NaiveDate>,
    #[schema(max_items = 4)]
    pub specialties: Option<Vec<Sector>>,
}

/// The roles of users `ids` that matter here.
pub async fn roles_of<C: ConnectionTrait>(db: &C, ids: &[i64]) -> AppResult<HashMap<i64, Vec<Role>>> {
    let rows = user_role::Entity::find().filter(user_role::Column::UserId.is_in(ids.iter().copied())).all(db).await?;
    let mut out: HashMap<i64, Vec<Role>> = HashMap::new();
    for r in rows {
        if let Some(role) = Role::parse(&r.role).filter(|r| matches!(r, Role::Inspector | Role::Expert)) {
            out.entry(r.user_id).or_default().push(role);
        }
    }
    Ok(out)
}

fn specialties(u: &user::Model) -> Vec<Sector> {
    u.specialties.as_deref().unwrap_or_default().split(',').filter_map(|c| c.trim().parse().ok()).collect()
}

/// The caller's bureau tree (bureau users only; 403 for enterprise users).
pub fn tree(user: &CurrentUser) -> AppResult<&str> {
    match &user.scope {
        Scope::Bureaus { path, .. } if user.is_bureau_user() => Ok(path),
        _ => Err(AppError::Forbidden),
    }
}

/// Inspectors and experts of the caller's bureau tree (all of them when `only` is empty, else those ids).
pub async fn summaries<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    only: Option<&[i64]>,
    day: NaiveDate,
) -> AppResult<Vec<InspectorSummary>> {
    let path = tree(user)?;
    let holders = user_role::Entity::find()
        .select_only()
        .column(user_role::Column::UserId)
        .filter(user_role::Column::Role.is_in([Role::Inspector.as_str(), Role::Expert.as_str()]));
    let mut q = user::Entity::find()
        .filter(user::Column::Disabled.eq(false))
        .filter(user::Column::Id.in_subquery(sea_orm::QueryTrait::into_query(holders)))
        .filter(user::Column::BureauId.in_subquery(crate::scope::subtree(path)));
    if let Some(ids) = only {
        q = q.filter(user::Column::Id.is_in(ids.iter().copied()));
    }
    let users =
        q.order_by_asc(user::Column::DisplayName).order_by_asc(user::Column::Id).limit(MAX_LIST).all(db).await?;
    let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
    let roles = roles_of(db, &ids).await?;
    let away = availability::absent_on(db, &ids, day).await?;
    let bureau_ids: Vec<i64> = users.iter().filter_map(|u| u.bureau_id).collect();
    let bureaus: HashMap<i64, String> = bureau::Entity::find()
        .filter(bureau::Column::Id.is_in(bureau_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    Ok(users
        .into_iter()
        .map(|u| InspectorSummary {
            bureau_id: u.bureau_id.unwrap_or_default(),
            bureau_name: u.bureau_id.and_then(|b| bureaus.get(&b).cloned()).unwrap_or_default(),
            roles: roles.get(&u.id).cloned().unwrap_or_default(),
            certificate_status: CertificateStatus::of(u.certificate_no.as_deref(), u.certificate_valid_until, day),
            specialties: specialties(&u),
            absent: away.get(&u.id).copied(),
            id: u.id,
            display_name: u.display_name,
            certificate_no: u.certificate_no,
            certificate_valid_until: u.certificate_valid_until,
        })
        .collect())
}

/// One inspector or expert of the caller's tree; 404 otherwise.
pub async fn one<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    id: i64,
    day: NaiveDate,
) -> AppResult<InspectorSummary> {
    summaries(db, user, Some(&[id]), day).await?.into_iter().next().ok_or(AppError::NotFound)
}

/// A regulator edits an inspector's certificate and specialties.
pub async fn update(tx: &Tx, user: &CurrentUser, id: i64, req: &UpdateInspector) -> AppResult<user::Model> {
    user.require_any(&[Role::Regulator])?;
    one(tx, user, id, crate::clock::china_date(tx.now())).await?;
    let mut fields = FieldErrors::new();
    crate::limits::check(
        &mut fields,
        "certificate_no",
        "执法证号",
        req.certificate_no.as_deref(),
        crate::limits::SHORT,
    );
    if req.certificate_no.as_deref().is_some_and(|n| n.trim().is_empty()) {
        fields.entry("certificate_no".into()).or_default().push("执法证号不能为空".into());
    }
    if let Some(s) = &req.specialties {
        crate::limits::check_list(&mut fields, "specialties", "专业领域", s, Sector::ALL.len());
    }
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let row = user::Entity::find_by_id(id).one(tx).await?.ok_or(AppError::NotFound)?;
    let mut m: user::ActiveModel = row.into();
    if let Some(n) = &req.certificate_no {
        m.certificate_no = Set(Some(n.trim().to_owned()));
    }
    if let Some(d) = req.certificate_valid_until {
        m.certificate_valid_until = Set(Some(d));
    }
    if let Some(s) = &req.specialties {
        let mut sectors = s.clone();
        sectors.sort_unstable();
        sectors.dedup();
        let codes: Vec<&str> = sectors.iter().map(|x| x.as_str()).collect();
        m.specialties = Set(Some(codes.join(",")));
    }
    m.updated_at = Set(tx.now());
    let saved = m.update(tx).await?;
    crate::audit::record(tx, tx.ctx(), "update_inspector", &saved).await?;
    Ok(saved)
}
