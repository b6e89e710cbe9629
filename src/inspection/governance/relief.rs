//! The 救济告知 (review and litigation rights notice) a bureau prints on its 执法文书:
//! its own text in `bureau_settings`, set by its regulators, or the national default
//! from the templates with its upper bureau and region filled in.

use super::templates;
use crate::audit::{Audited, canonical};
use crate::auth::{CurrentUser, Role};
use crate::entities::{bureau, bureau_setting};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::write::Tx;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait};
use serde_json::{Value, json};

/// The most characters of a 救济告知.
pub const MAX: usize = 2_000;

/// The bureau's own text, if it set one.
pub async fn own<C: ConnectionTrait>(db: &C, bureau_id: i64) -> AppResult<Option<String>> {
    Ok(bureau_setting::Entity::find_by_id(bureau_id).one(db).await?.and_then(|s| s.relief_notice))
}

/// The national default for bureau `b`.
pub async fn default_for<C: ConnectionTrait>(db: &C, b: &bureau::Model) -> AppResult<String> {
    let upper = match b.parent_id {
        Some(p) => bureau::Entity::find_by_id(p).one(db).await?.map(|u| u.name),
        None => None,
    };
    let region = b.name.trim_end_matches("应急管理局").trim_end_matches("应急管理厅");
    Ok(templates::default_relief(upper.as_deref().unwrap_or("上一级应急管理部门"), region))
}

/// What bureau `b` prints.
pub async fn notice<C: ConnectionTrait>(db: &C, b: &bureau::Model) -> AppResult<String> {
    match own(db, b.id).await? {
        Some(t) => Ok(t),
        None => default_for(db, b).await,
    }
}

/// A regulator sets (or, with an empty text, clears) the 救济告知 of its own bureau.
pub async fn set(tx: &Tx, user: &CurrentUser, text: &str) -> AppResult<bureau_setting::Model> {
    user.require_any(&[Role::Regulator])?;
    let b = crate::scope::own_bureau(tx, user).await?;
    let mut fields = FieldErrors::new();
    crate::limits::check(&mut fields, "relief_notice", "救济告知", Some(text), MAX);
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    let value = Some(text.trim().to_owned()).filter(|t| !t.is_empty());
    let row = bureau_setting::ActiveModel {
        bureau_id: Set(b.id),
        relief_notice: Set(value),
        updated_by: Set(user.id),
        updated_at: Set(tx.now()),
    };
    let saved = match bureau_setting::Entity::find_by_id(b.id).one(tx).await? {
        Some(_) => row.update(tx).await?,
        None => row.insert(tx).await?,
    };
    crate::audit::record(tx, tx.ctx(), "set_relief_notice", &saved).await?;
    Ok(saved)
}

impl Audited for bureau_setting::Model {
    const ENTITY: &'static str = "bureau_setting";
    const PAYLOAD_VERSION: i32 = 1;
    fn entity_id(&self) -> String {
        self.bureau_id.to_string()
    }
    fn payload(&self) -> Value {
        json!({"bureau_id": self.bureau_id, "relief_notice": self.relief_notice, "updated_by": self.updated_by,
            "updated_at": canonical::time(self.updated_at)})
    }
}
