//! The hazard category dictionary (隐患类别), per province.
//!
//! A hazard stores a category's code. The categories offered for a hazard are
//! the shipped ones (人的不安全行为, 物的危险状态, 管理缺陷, 环境因素; no
//! province) and the active ones its province keeps; a category limited to a
//! sector is offered for that sector's enterprises only.
//!
//! Decisions where the issue is silent:
//! - the regulators of a **province-level** bureau keep their province's list
//!   (add, rename, reorder, retire, limit to a sector); other users read it;
//! - the shipped categories are read-only through the API (a migration changes
//!   them): a province adds its own rather than editing the national ones;
//! - a category is retired (`active = false`), never deleted: hazards keep
//!   their code, and statistics still name it;
//! - a new category's code is generated (`p42_001`, province digits and a
//!   number), unique across the table, so users never type codes.

pub mod handlers;

use crate::auth::{CurrentUser, Role};
use crate::entities::{bureau, enterprise, hazard_category};
use crate::error::{AppError, AppResult};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

pub use handlers::routes;

/// The province's region code (`420000`) of a 6-digit region code (`420103`).
pub fn province_of(region_code: &str) -> Option<String> {
    let digits = region_code.get(..2).filter(|d| d.chars().all(|c| c.is_ascii_digit()))?;
    Some(format!("{digits}0000"))
}

/// Shipped categories and the province's own.
fn in_province(province: Option<&str>) -> Condition {
    let national = hazard_category::Column::ProvinceCode.is_null();
    match province {
        Some(p) => Condition::any().add(national).add(hazard_category::Column::ProvinceCode.eq(p)),
        None => Condition::all().add(national),
    }
}

/// The active categories offered in a province (and for a sector, if given), in display order.
pub async fn offered<C: ConnectionTrait>(
    db: &C,
    province: Option<&str>,
    sector: Option<&str>,
) -> AppResult<Vec<hazard_category::Model>> {
    let mut q =
        hazard_category::Entity::find().filter(hazard_category::Column::Active.eq(true)).filter(in_province(province));
    if let Some(s) = sector {
        q = q.filter(
            Condition::any().add(hazard_category::Column::Sector.is_null()).add(hazard_category::Column::Sector.eq(s)),
        );
    }
    Ok(q.order_by_asc(hazard_category::Column::Sort).order_by_asc(hazard_category::Column::Id).all(db).await?)
}

/// Every category of a province, retired ones too (for its maintainers).
pub async fn all_of<C: ConnectionTrait>(db: &C, province: Option<&str>) -> AppResult<Vec<hazard_category::Model>> {
    Ok(hazard_category::Entity::find()
        .filter(in_province(province))
        .order_by_asc(hazard_category::Column::Sort)
        .order_by_asc(hazard_category::Column::Id)
        .all(db)
        .await?)
}

/// The province of the user: its bureau's root, or its first enterprise's region.
pub async fn province_of_user<C: ConnectionTrait>(db: &C, user: &CurrentUser) -> AppResult<Option<String>> {
    if let Some(b) = &user.bureau {
        let path = bureau::Entity::find_by_id(b.id).one(db).await?.map(|b| b.path).unwrap_or_default();
        let root = path.split('/').find(|s| !s.is_empty()).unwrap_or(&b.code);
        return Ok(province_of(root));
    }
    let Some(e) = user.enterprise_ids.first() else { return Ok(None) };
    Ok(enterprise::Entity::find_by_id(*e).one(db).await?.and_then(|e| province_of(&e.region_code)))
}

/// The province a user keeps the list of: a regulator of a province-level bureau; 403 otherwise.
pub async fn maintained_by<C: ConnectionTrait>(db: &C, user: &CurrentUser) -> AppResult<String> {
    let b = user.bureau.as_ref().ok_or(AppError::Forbidden)?;
    if !user.has(Role::Regulator) {
        return Err(AppError::Forbidden);
    }
    let row = bureau::Entity::find_by_id(b.id).one(db).await?.ok_or(AppError::Forbidden)?;
    if row.kind != "province" {
        return Err(AppError::Forbidden);
    }
    province_of(&row.region_code).ok_or(AppError::Forbidden)
}

/// Whether the user keeps a province's list (for the navigation and the page's forms).
pub async fn maintains<C: ConnectionTrait>(db: &C, user: &CurrentUser) -> AppResult<bool> {
    match maintained_by(db, user).await {
        Ok(_) => Ok(true),
        Err(AppError::Forbidden) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The field error of a code not offered here, naming the categories that are.
pub fn unknown(given: &str, offered: &[hazard_category::Model]) -> String {
    let names: Vec<&str> = offered.iter().map(|c| c.name.as_str()).collect();
    format!("隐患类别“{}”不存在或未启用（可选：{}）", crate::limits::preview(given), names.join("、"))
}

/// The offered category whose code or name is `given`.
pub fn find<'a>(given: &str, offered: &'a [hazard_category::Model]) -> Option<&'a hazard_category::Model> {
    let given = given.trim();
    offered.iter().find(|c| c.code == given || c.name == given)
}

/// 422 on `category` unless `code` is offered for a hazard in this region and sector.
pub async fn check<C: ConnectionTrait>(db: &C, code: &str, region_code: &str, sector: Option<&str>) -> AppResult<()> {
    let offered = offered(db, province_of(region_code).as_deref(), sector).await?;
    if offered.iter().any(|c| c.code == code) {
        Ok(())
    } else {
        Err(AppError::validation("category", unknown(code, &offered)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_province_is_the_first_two_digits() {
        assert_eq!(province_of("420103").as_deref(), Some("420000"));
        assert_eq!(province_of("110000").as_deref(), Some("110000"));
        assert_eq!(province_of("x1"), None);
        assert_eq!(province_of(""), None);
    }

    #[test]
    fn an_unknown_category_names_the_offered_ones() {
        let c = |code: &str, name: &str| hazard_category::Model {
            id: 1,
            code: code.into(),
            name: name.into(),
            sort: 10,
            active: true,
            province_code: None,
            sector: None,
        };
        let offered = [c("unsafe_condition", "物的危险状态"), c("p42_001", "有限空间")];
        assert_eq!(find("有限空间", &offered).map(|c| c.code.as_str()), Some("p42_001"));
        assert_eq!(find(" unsafe_condition ", &offered).map(|c| c.name.as_str()), Some("物的危险状态"));
        assert_eq!(unknown("其他", &offered), "隐患类别“其他”不存在或未启用（可选：物的危险状态、有限空间）");
    }
}
