//! The random spot-check item list (抽查事项清单): the national defaults shipped as
//! data (`data/spot-check-items.toml`, each marked whether verified) and each
//! bureau's own items (`spot_check_items`), added and withdrawn by its regulators;
//! nothing is deleted. The list is public.
//!
//! Decisions: the public list shows the shipped items and the items of every bureau
//! not withdrawn (bureau items are the bureau's own statement, so they are not
//! marked 未核实); a withdrawn item keeps its row with who, when and why.

use crate::auth::{CurrentUser, Role};
use crate::entities::{bureau, spot_check_item as item};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::limits;
use crate::write::Tx;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::sync::LazyLock;
use utoipa::ToSchema;

/// At most this many bureau items are listed.
pub const LIST_CAP: u64 = 500;

/// One shipped item.
#[derive(Debug, Clone, Deserialize)]
struct Shipped {
    code: String,
    subject: String,
    object: String,
    matter: String,
    basis: String,
    content: String,
    method: String,
    frequency: String,
    verified: bool,
}

#[derive(Debug, Deserialize)]
struct File {
    items: Vec<Shipped>,
}

pub const SHIPPED: &str = include_str!("../../data/spot-check-items.toml");

static ITEMS: LazyLock<Vec<Shipped>> = LazyLock::new(|| match toml::from_str::<File>(SHIPPED) {
    Ok(f) => f.items,
    Err(e) => {
        tracing::error!(error = %e, "data/spot-check-items.toml does not load; no shipped items");
        Vec::new()
    }
});

/// One item of the list as published.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SpotCheckItem {
    /// The bureau item's id (`None` for a shipped item).
    pub id: Option<i64>,
    /// The shipped item's code (`None` for a bureau item).
    pub code: Option<String>,
    /// The bureau that added it (`None`: national default shipped with the system).
    pub bureau_id: Option<i64>,
    pub bureau_name: Option<String>,
    pub subject: String,
    pub object: String,
    pub matter: String,
    pub basis: String,
    pub content: String,
    pub method: String,
    pub frequency: String,
    /// Whether the wording is checked (false: shown as 未核实).
    pub verified: bool,
}

/// The body of `POST /api/v1/spot-check-items`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSpotCheckItem {
    #[schema(max_length = 200)]
    pub subject: String,
    #[schema(max_length = 500)]
    pub object: String,
    #[schema(max_length = 200)]
    pub matter: String,
    #[schema(max_length = 5000)]
    pub basis: String,
    #[schema(max_length = 5000)]
    pub content: String,
    #[schema(max_length = 100)]
    pub method: String,
    #[schema(max_length = 200)]
    pub frequency: String,
}

/// The body of a withdrawal.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SpotCheckItemWithdrawal)]
pub struct Withdraw {
    #[schema(max_length = 5000)]
    pub reason: String,
}

impl crate::audit::Audited for item::Model {
    const ENTITY: &'static str = "spot_check_item";
    const PAYLOAD_VERSION: i32 = 1;
    fn entity_id(&self) -> String {
        self.id.to_string()
    }
    fn payload(&self) -> Value {
        let t = crate::audit::canonical::time;
        json!({"id": self.id, "bureau_id": self.bureau_id, "subject": self.subject, "object": self.object,
            "matter": self.matter, "basis": self.basis, "content": self.content, "method": self.method,
            "frequency": self.frequency, "created_by": self.created_by, "created_at": t(self.created_at),
            "withdrawn_at": self.withdrawn_at.map(t), "withdrawn_by": self.withdrawn_by,
            "withdraw_reason": self.withdraw_reason})
    }
}

fn shipped() -> impl Iterator<Item = SpotCheckItem> {
    ITEMS.iter().map(|s| SpotCheckItem {
        id: None,
        code: Some(s.code.clone()),
        bureau_id: None,
        bureau_name: None,
        subject: s.subject.clone(),
        object: s.object.clone(),
        matter: s.matter.clone(),
        basis: s.basis.clone(),
        content: s.content.clone(),
        method: s.method.clone(),
        frequency: s.frequency.clone(),
        verified: s.verified,
    })
}

/// The public list: shipped items, then the bureaus' items in force (newest first, capped).
pub async fn list<C: ConnectionTrait>(db: &C) -> AppResult<Vec<SpotCheckItem>> {
    let rows = item::Entity::find()
        .filter(item::Column::WithdrawnAt.is_null())
        .order_by_desc(item::Column::Id)
        .limit(LIST_CAP)
        .all(db)
        .await?;
    let names = bureau_names(db, rows.iter().map(|r| r.bureau_id)).await?;
    let own = rows.into_iter().map(|r| SpotCheckItem {
        id: Some(r.id),
        code: None,
        bureau_id: Some(r.bureau_id),
        bureau_name: names.get(&r.bureau_id).cloned(),
        subject: r.subject,
        object: r.object,
        matter: r.matter,
        basis: r.basis,
        content: r.content,
        method: r.method,
        frequency: r.frequency,
        verified: true,
    });
    Ok(shipped().chain(own).collect())
}

/// Names of bureaus by id.
pub async fn bureau_names<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<std::collections::HashMap<i64, String>> {
    let mut ids: Vec<i64> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    let rows = bureau::Entity::find().filter(bureau::Column::Id.is_in(ids)).all(db).await?;
    Ok(rows.into_iter().map(|b| (b.id, b.name)).collect())
}

fn own_bureau(user: &CurrentUser) -> AppResult<i64> {
    match (&user.bureau, user.has(Role::Regulator)) {
        (Some(b), true) => Ok(b.id),
        _ => Err(AppError::Forbidden),
    }
}

fn required(fields: &mut FieldErrors, field: &str, label: &str, value: &str, max: usize) {
    if value.trim().is_empty() {
        fields.entry(field.to_owned()).or_default().push(format!("请填写{label}"));
    }
    limits::check(fields, field, label, Some(value), max);
}

/// A regulator adds an item of their bureau.
pub async fn add(tx: &Tx, user: &CurrentUser, req: &NewSpotCheckItem) -> AppResult<item::Model> {
    let bureau_id = own_bureau(user)?;
    let mut f = FieldErrors::default();
    required(&mut f, "subject", "抽查主体", &req.subject, limits::NAME);
    required(&mut f, "object", "抽查对象", &req.object, limits::ADDRESS);
    required(&mut f, "matter", "抽查事项", &req.matter, limits::NAME);
    required(&mut f, "basis", "依据", &req.basis, limits::TEXT);
    required(&mut f, "content", "抽查内容", &req.content, limits::TEXT);
    required(&mut f, "method", "抽查方式", &req.method, limits::SHORT);
    required(&mut f, "frequency", "抽查比例和频次", &req.frequency, limits::NAME);
    if !f.is_empty() {
        return Err(AppError::Validation(f));
    }
    let row = item::ActiveModel {
        bureau_id: Set(bureau_id),
        subject: Set(req.subject.trim().to_owned()),
        object: Set(req.object.trim().to_owned()),
        matter: Set(req.matter.trim().to_owned()),
        basis: Set(req.basis.trim().to_owned()),
        content: Set(req.content.trim().to_owned()),
        method: Set(req.method.trim().to_owned()),
        frequency: Set(req.frequency.trim().to_owned()),
        created_by: Set(user.id),
        created_at: Set(tx.now()),
        withdrawn_at: Set(None),
        withdrawn_by: Set(None),
        withdraw_reason: Set(None),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    crate::audit::record(tx, tx.ctx(), "create", &row).await?;
    Ok(row)
}

/// A regulator of the item's bureau withdraws it, with the reason; the row stays.
pub async fn withdraw(tx: &Tx, user: &CurrentUser, id: i64, reason: &str) -> AppResult<item::Model> {
    let bureau_id = own_bureau(user)?;
    let row = item::Entity::find_by_id(id).one(tx).await?.ok_or(AppError::NotFound)?;
    if row.bureau_id != bureau_id {
        return Err(AppError::NotFound);
    }
    let mut f = FieldErrors::default();
    required(&mut f, "reason", "撤销理由", reason, limits::TEXT);
    if !f.is_empty() {
        return Err(AppError::Validation(f));
    }
    if row.withdrawn_at.is_some() {
        return Err(AppError::conflict("already_withdrawn", "该抽查事项已撤销"));
    }
    let mut m: item::ActiveModel = row.into();
    m.withdrawn_at = Set(Some(tx.now()));
    m.withdrawn_by = Set(Some(user.id));
    m.withdraw_reason = Set(Some(reason.trim().to_owned()));
    let saved = m.update(tx).await?;
    crate::audit::record(tx, tx.ctx(), "withdraw", &saved).await?;
    Ok(saved)
}
