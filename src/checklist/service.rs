//! Writing bureau checklists: a new version (from an upload or the page form)
//! and retiring a checklist. Use cases take the caller's `Tx`.

use super::store::{self, chain, counts};
use super::{Checklist, VersionStatus, shipped};
use crate::audit::{self, Audited};
use crate::entities::{bureau, checklist_version as version};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::limits;
use crate::write::Tx;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde_json::{Value, json};
use std::collections::HashMap;

/// Most items a bureau checklist may have.
pub const MAX_ITEMS: usize = 1_000;

/// A problem with a checklist: the item code it concerns (for an upload's row
/// numbers), the field and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: Option<String>,
    pub field: &'static str,
    pub message: String,
}

impl Problem {
    fn new(code: Option<&str>, field: &'static str, message: String) -> Self {
        Self { code: code.map(str::to_owned), field, message }
    }
}

/// The problems as the JSON API answers them (422, every problem at once).
pub fn field_errors(problems: Vec<Problem>) -> AppError {
    let mut fields = FieldErrors::new();
    for p in problems {
        fields.entry(p.field.to_owned()).or_default().push(p.message);
    }
    AppError::Validation(fields)
}

impl Audited for version::Model {
    const ENTITY: &'static str = "checklist_version";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({"id": self.id, "checklist_id": self.checklist_id, "bureau_id": self.bureau_id, "seq": self.seq,
            "version": self.version, "title": self.title, "content_hash": self.content_hash,
            "item_count": self.item_count, "status": self.status.as_str(), "created_by": self.created_by})
    }
}

/// Length limits of every text of the checklist, and its size.
pub fn bounds(c: &Checklist) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut text = |code: Option<&str>, field: &'static str, label: &str, v: &str, max: usize| {
        if let Some(p) = limits::problem(v, max) {
            out.push(Problem::new(code, field, p.message(label)));
        }
    };
    text(None, "id", "编号", &c.id, limits::SHORT);
    text(None, "title", "名称", &c.title, limits::NAME);
    text(None, "issuer", "发布机关", &c.issuer, limits::NAME);
    text(None, "document_number", "文号", &c.document_number, limits::NAME);
    text(None, "version", "版本", &c.version, limits::SHORT);
    for s in &c.sections {
        text(None, "sections", "章节名称", &s.name, limits::NAME);
        for i in &s.items {
            let code = Some(i.code.as_str());
            text(code, "code", "检查项编号", &i.code, limits::SHORT);
            text(code, "text", "检查内容", &i.text, limits::TEXT);
            text(code, "basis", "判定依据", &i.basis, limits::TEXT);
            text(code, "penalty_basis", "处罚依据", i.penalty_basis.as_deref().unwrap_or(""), limits::TEXT);
        }
    }
    let n = c.items().count();
    if n > MAX_ITEMS {
        out.push(Problem::new(None, "sections", format!("检查项最多 {MAX_ITEMS} 项（现为 {n} 项）")));
    }
    out
}

/// What the stored checklists say against `c` as the bureau's: its id is not a
/// national one, and its codes collide neither with national codes nor with
/// another current checklist's of the bureaus above or below it.
pub async fn clashes<C: ConnectionTrait>(db: &C, b: &bureau::Model, c: &Checklist) -> AppResult<Vec<Problem>> {
    let mut out = Vec::new();
    let national_id =
        Condition::all().add(version::Column::BureauId.is_null()).add(version::Column::ChecklistId.eq(c.id.as_str()));
    if shipped::all().iter().any(|n| n.id == c.id)
        || version::Entity::find().filter(national_id).one(db).await?.is_some()
    {
        out.push(Problem::new(None, "id", format!("编号“{}”是国家检查表的编号，请另取编号", c.id)));
    }
    let mut taken: HashMap<String, String> = HashMap::new();
    for n in shipped::all() {
        for (_, i) in n.items() {
            taken.insert(i.code.clone(), format!("国家检查表“{}”", n.title));
        }
    }
    let related = Condition::any()
        .add(version::Column::BureauId.is_in(chain(db, &b.path).await?))
        .add(version::Column::BureauId.in_subquery(crate::scope::subtree(&b.path)));
    let others = version::Entity::find()
        .filter(related)
        .filter(version::Column::Status.eq(VersionStatus::Current))
        .filter(
            Condition::any()
                .add(version::Column::BureauId.ne(b.id))
                .add(version::Column::ChecklistId.ne(c.id.as_str())),
        )
        .all(db)
        .await?;
    for row in &others {
        for (_, i) in store::parse(row)?.items() {
            taken.entry(i.code.clone()).or_insert_with(|| format!("检查表“{}”", row.title));
        }
    }
    for (_, i) in c.items() {
        if let Some(owner) = taken.get(&i.code) {
            out.push(Problem::new(Some(&i.code), "code", format!("检查项编号“{}”已被{owner}使用", i.code)));
        }
    }
    Ok(out)
}

/// Every problem of `c` as a new version of bureau `b`'s checklist.
pub async fn problems<C: ConnectionTrait>(db: &C, b: &bureau::Model, c: &Checklist) -> AppResult<Vec<Problem>> {
    let mut out: Vec<Problem> = c.problems().into_iter().map(|m| Problem::new(None, "checklist", m)).collect();
    out.extend(bounds(c));
    out.extend(clashes(db, b, c).await?);
    Ok(out)
}

/// A new version of bureau `b`'s checklist `c.id`; the same content again is
/// the version already stored (`created: false`).
pub async fn create(tx: &Tx, b: &bureau::Model, user_id: i64, c: &Checklist) -> AppResult<(version::Model, bool)> {
    if tx.get_database_backend() == DbBackend::Postgres {
        let lock = crate::db::raw(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            vec![crate::db::IMPORT_LOCK.into()],
        );
        tx.execute_raw(lock).await?;
    }
    let problems = problems(tx, b, c).await?;
    if !problems.is_empty() {
        return Err(field_errors(problems));
    }
    let hash = c.hash();
    let mine =
        Condition::all().add(version::Column::BureauId.eq(b.id)).add(version::Column::ChecklistId.eq(c.id.as_str()));
    if let Some(same) = version::Entity::find().filter(version::Column::ContentHash.eq(hash.as_str())).one(tx).await? {
        if same.bureau_id != Some(b.id) {
            return Err(AppError::validation("id", "其他机构已有内容完全相同的检查表，请另取编号"));
        }
        if same.status == VersionStatus::Current {
            return Ok((same, false));
        }
        // An earlier version's content again: it becomes current once more.
        return reinstate(tx, same, mine).await.map(|v| (v, true));
    }
    let last = version::Entity::find().filter(mine.clone()).order_by_desc(version::Column::Seq).one(tx).await?;
    supersede(tx, mine).await?;
    let (items, unverified) = counts(c);
    let row = version::ActiveModel {
        checklist_id: Set(c.id.clone()),
        bureau_id: Set(Some(b.id)),
        seq: Set(last.map_or(1, |l| l.seq + 1)),
        version: Set(c.version.clone()),
        title: Set(c.title.clone()),
        content_hash: Set(hash),
        body: Set(store::body(c)),
        item_count: Set(items),
        unverified_count: Set(unverified),
        status: Set(VersionStatus::Current),
        created_by: Set(Some(user_id)),
        created_at: Set(tx.ctx().at),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    audit::record(tx, tx.ctx(), "checklist_version.create", &row).await?;
    Ok((row, true))
}

async fn supersede(tx: &Tx, mine: Condition) -> AppResult<()> {
    version::Entity::update_many()
        .col_expr(version::Column::Status, Expr::value(VersionStatus::Superseded.as_str()))
        .filter(mine)
        .filter(version::Column::Status.eq(VersionStatus::Current))
        .exec(tx)
        .await?;
    Ok(())
}

async fn reinstate(tx: &Tx, row: version::Model, mine: Condition) -> AppResult<version::Model> {
    supersede(tx, mine).await?;
    let mut active: version::ActiveModel = row.into();
    active.status = Set(VersionStatus::Current);
    let row = active.update(tx).await?;
    audit::record(tx, tx.ctx(), "checklist_version.reinstate", &row).await?;
    Ok(row)
}

/// Retires bureau `b`'s checklist `id`: its current version stops applying
/// (records that pinned it keep it). 404 if the bureau has no such checklist.
pub async fn retire(tx: &Tx, b: &bureau::Model, id: &str) -> AppResult<version::Model> {
    let mine = Condition::all().add(version::Column::BureauId.eq(b.id)).add(version::Column::ChecklistId.eq(id));
    let current = version::Entity::find()
        .filter(mine.clone())
        .order_by_desc(version::Column::Seq)
        .one(tx)
        .await?
        .ok_or(AppError::NotFound)?;
    version::Entity::update_many()
        .col_expr(version::Column::Status, Expr::value(VersionStatus::Retired.as_str()))
        .filter(mine)
        .filter(version::Column::Status.eq(VersionStatus::Current))
        .exec(tx)
        .await?;
    let row = version::Entity::find_by_id(current.id).one(tx).await?.ok_or(AppError::NotFound)?;
    audit::record(tx, tx.ctx(), "checklist_version.retire", &row).await?;
    Ok(row)
}
