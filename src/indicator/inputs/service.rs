//! The use cases: save (insert or update) a denominators entry, a baseline or a
//! target, and withdraw a target. Each takes the caller's `Tx` and the
//! [`Enterer`], checks the body (every problem at once), writes nothing when the
//! entry is already exactly so, and logs each write (`create`, `update`,
//! `delete`): the change log keeps the row's digest before and after, so an
//! update is traceable to the value it replaced.

use super::checks::{self, Enterer};
use super::json::{BaselineInput, DenominatorInput, Saved, TargetInput};
use crate::audit::{self, Audited, canonical};
use crate::entities::{indicator_baseline as baseline, indicator_denominator as denom, indicator_target as target};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::write::Tx;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
use serde_json::{Value, json};

fn refuse(f: FieldErrors) -> AppResult<()> {
    if f.is_empty() { Ok(()) } else { Err(AppError::Validation(f)) }
}

/// Saves a region's denominators for a year (422 with every problem; the region must be the bureau's).
pub async fn save_denominator(tx: &Tx, who: &Enterer, d: &DenominatorInput) -> AppResult<Saved<denom::Model>> {
    refuse(checks::denominator(who, d))?;
    let (region, source) = (d.region_code.trim(), d.source.trim());
    let found = denom::Entity::find()
        .filter(denom::Column::RegionCode.eq(region))
        .filter(denom::Column::Year.eq(d.year))
        .one(tx)
        .await?;
    if let Some(m) = found.as_ref().filter(|m| same_denominator(m, d)) {
        return Ok(Saved { created: false, changed: false, item: m.clone() });
    }
    let created = found.is_none();
    let mut row = found.map_or_else(|| denom::ActiveModel { ..Default::default() }, IntoActiveModel::into_active_model);
    row.region_code = Set(region.to_owned());
    row.year = Set(d.year);
    row.gdp_100m_yuan = Set(d.gdp_100m_yuan);
    row.industrial_workers = Set(d.industrial_workers);
    row.source = Set(source.to_owned());
    row.bureau_id = Set(who.bureau.id);
    row.updated_by = Set(who.user_id);
    row.updated_at = Set(tx.now());
    let item = if created { row.insert(tx).await? } else { row.update(tx).await? };
    audit::record(tx, tx.ctx(), if created { "create" } else { "update" }, &item).await?;
    Ok(Saved { created, changed: true, item })
}

/// Whether a stored entry already holds exactly these figures.
pub fn same_denominator(m: &denom::Model, d: &DenominatorInput) -> bool {
    (m.gdp_100m_yuan, m.industrial_workers, m.source.as_str())
        == (d.gdp_100m_yuan, d.industrial_workers, d.source.trim())
}

/// Saves a region's baseline of an indicator for a year.
pub async fn save_baseline(tx: &Tx, who: &Enterer, b: &BaselineInput) -> AppResult<Saved<baseline::Model>> {
    refuse(checks::baseline(who, crate::indicator::rules::data()?, b))?;
    let (region, indicator, source) = (b.region_code.trim(), b.indicator.trim(), b.source.trim());
    let found = baseline::Entity::find()
        .filter(baseline::Column::RegionCode.eq(region))
        .filter(baseline::Column::Indicator.eq(indicator))
        .filter(baseline::Column::Year.eq(b.year))
        .one(tx)
        .await?;
    if let Some(m) = found.as_ref().filter(|m| (m.value, m.source.as_str()) == (b.value, source)) {
        return Ok(Saved { created: false, changed: false, item: m.clone() });
    }
    let created = found.is_none();
    let mut row =
        found.map_or_else(|| baseline::ActiveModel { ..Default::default() }, IntoActiveModel::into_active_model);
    row.region_code = Set(region.to_owned());
    row.indicator = Set(indicator.to_owned());
    row.year = Set(b.year);
    row.value = Set(b.value);
    row.source = Set(source.to_owned());
    row.bureau_id = Set(who.bureau.id);
    row.updated_by = Set(who.user_id);
    row.updated_at = Set(tx.now());
    let item = if created { row.insert(tx).await? } else { row.update(tx).await? };
    audit::record(tx, tx.ctx(), if created { "create" } else { "update" }, &item).await?;
    Ok(Saved { created, changed: true, item })
}

/// Whether a stored (live) target is exactly this one.
pub fn same_target(m: &target::Model, t: &TargetInput) -> bool {
    m.deleted_at.is_none()
        && (m.plan.as_str(), m.value, m.change_percent, m.base_year, m.line.as_str(), m.binding)
            == (t.plan.trim(), t.value, t.change_percent, t.base_year, t.line.trim(), t.binding)
}

/// Saves a bureau's own target (a withdrawn one for the same key is entered again).
pub async fn save_target(tx: &Tx, who: &Enterer, t: &TargetInput) -> AppResult<Saved<target::Model>> {
    refuse(checks::target(who, crate::indicator::rules::data()?, t))?;
    let (region, indicator) = (t.region_code.trim(), t.indicator.trim());
    let found = target::Entity::find()
        .filter(target::Column::RegionCode.eq(region))
        .filter(target::Column::Indicator.eq(indicator))
        .filter(target::Column::Year.eq(t.year))
        .one(tx)
        .await?;
    if let Some(m) = found.as_ref().filter(|m| same_target(m, t)) {
        return Ok(Saved { created: false, changed: false, item: m.clone() });
    }
    let created = found.as_ref().is_none_or(|m| m.deleted_at.is_some());
    let inserting = found.is_none();
    let mut row =
        found.map_or_else(|| target::ActiveModel { ..Default::default() }, IntoActiveModel::into_active_model);
    row.region_code = Set(region.to_owned());
    row.indicator = Set(indicator.to_owned());
    row.year = Set(t.year);
    row.plan = Set(t.plan.trim().to_owned());
    row.value = Set(t.value);
    row.change_percent = Set(t.change_percent);
    row.base_year = Set(t.base_year);
    row.line = Set(t.line.trim().to_owned());
    row.binding = Set(t.binding);
    row.bureau_id = Set(who.bureau.id);
    row.updated_by = Set(who.user_id);
    row.updated_at = Set(tx.now());
    row.deleted_at = Set(None);
    let item = if inserting { row.insert(tx).await? } else { row.update(tx).await? };
    audit::record(tx, tx.ctx(), if created { "create" } else { "update" }, &item).await?;
    Ok(Saved { created, changed: true, item })
}

/// Withdraws a target of a region the bureau covers (404 otherwise, or when already withdrawn).
pub async fn delete_target(tx: &Tx, who: &Enterer, id: i64) -> AppResult<target::Model> {
    let found = target::Entity::find_by_id(id).one(tx).await?;
    let m = found.filter(|m| m.deleted_at.is_none() && who.covers(&m.region_code)).ok_or(AppError::NotFound)?;
    let mut row = m.into_active_model();
    row.deleted_at = Set(Some(tx.now()));
    row.updated_by = Set(who.user_id);
    row.updated_at = Set(tx.now());
    row.bureau_id = Set(who.bureau.id);
    let item = row.update(tx).await?;
    audit::record(tx, tx.ctx(), "delete", &item).await?;
    Ok(item)
}

impl Audited for denom::Model {
    const ENTITY: &'static str = "indicator_denominator";
    const PAYLOAD_VERSION: i32 = 1;
    fn entity_id(&self) -> String {
        self.id.to_string()
    }
    fn payload(&self) -> Value {
        json!({"region_code": self.region_code, "year": self.year, "gdp_100m_yuan": self.gdp_100m_yuan,
            "industrial_workers": self.industrial_workers, "source": self.source, "bureau_id": self.bureau_id,
            "updated_by": self.updated_by, "updated_at": canonical::time(self.updated_at)})
    }
}

impl Audited for baseline::Model {
    const ENTITY: &'static str = "indicator_baseline";
    const PAYLOAD_VERSION: i32 = 1;
    fn entity_id(&self) -> String {
        self.id.to_string()
    }
    fn payload(&self) -> Value {
        json!({"region_code": self.region_code, "indicator": self.indicator, "year": self.year, "value": self.value,
            "source": self.source, "bureau_id": self.bureau_id, "updated_by": self.updated_by,
            "updated_at": canonical::time(self.updated_at)})
    }
}

impl Audited for target::Model {
    const ENTITY: &'static str = "indicator_target";
    const PAYLOAD_VERSION: i32 = 1;
    fn entity_id(&self) -> String {
        self.id.to_string()
    }
    fn payload(&self) -> Value {
        json!({"region_code": self.region_code, "indicator": self.indicator, "year": self.year, "plan": self.plan,
            "value": self.value, "change_percent": self.change_percent, "base_year": self.base_year,
            "line": self.line, "binding": self.binding, "bureau_id": self.bureau_id, "updated_by": self.updated_by,
            "updated_at": canonical::time(self.updated_at), "deleted_at": self.deleted_at.map(canonical::time)})
    }
}
