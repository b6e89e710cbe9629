//! The 执法文书 numbers of inspections: reserved at approval (so the team can print
//! them offline on site), issued, served (送达) or voided (kept with the reason).
//!
//! Decisions:
//! - A number reads `（江汉）应急检记〔2026〕15号`: in （） the issuing bureau's short
//!   region name ([`short_name`]: its name without 应急管理局/应急管理厅, then without a
//!   trailing 省/市/区/县 when two characters or more remain, so 江汉区应急管理局 → 江汉,
//!   湖北省应急管理厅 → 湖北; a park keeps its whole name), then 应急, the type's word
//!   from the templates, the Beijing year of reservation and the number.
//! - Numbers count per (bureau, type, year) from 1 in `inspection_document_numbers`,
//!   incremented in the approving transaction (an upsert that locks the counter row on
//!   PostgreSQL and runs on the single writer on SQLite): a rolled-back approval takes
//!   no number, so there are no gaps; `inspection_documents` is unique on
//!   (bureau, kind, year, seq) as a backstop.
//! - A served document is issued (serving a reserved number issues it); a voided
//!   number is never reused.

use super::templates;
use crate::audit::{Audited, canonical};
use crate::entities::{bureau, inspection, inspection_document as doc, inspection_number};
use crate::error::{AppError, AppResult};
use crate::inspection::domain::{DocumentStatus, DocumentType};
use crate::write::Tx;
use chrono::{Datelike, NaiveDate};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

/// The types whose numbers are reserved when an inspection is approved.
pub const AT_APPROVAL: [DocumentType; 5] = [
    DocumentType::ApprovalForm,
    DocumentType::SiteRecord,
    DocumentType::RectificationOrder,
    DocumentType::OnSiteMeasures,
    DocumentType::ServiceReceipt,
];

/// The last segment of a document's page and API path: the code with `-`.
pub fn slug(kind: DocumentType) -> String {
    kind.as_str().replace('_', "-")
}

pub fn from_slug(s: &str) -> Option<DocumentType> {
    DocumentType::ALL.iter().copied().find(|k| slug(*k) == s || k.as_str() == s)
}

/// A bureau's short region name for numbers, e.g. 江汉 for 江汉区应急管理局.
pub fn short_name(bureau_name: &str) -> String {
    let base = ["应急管理局", "应急管理厅", "管理局", "管理厅"]
        .iter()
        .find_map(|s| bureau_name.strip_suffix(s).filter(|r| !r.is_empty()))
        .unwrap_or(bureau_name);
    if base.ends_with("园区") {
        return base.to_owned();
    }
    ["省", "市", "区", "县", "旗"]
        .iter()
        .find_map(|s| base.strip_suffix(s).filter(|r| r.chars().count() >= 2))
        .unwrap_or(base)
        .to_owned()
}

/// `（江汉）应急检记〔2026〕15号`.
pub fn number_text(short: &str, word: &str, year: i32, n: i64) -> String {
    format!("（{short}）应急{word}〔{year}〕{n}号")
}

/// The next number of (bureau, type, year).
async fn next_number(tx: &Tx, bureau_id: i64, kind: DocumentType, year: i32) -> AppResult<i64> {
    next_in(tx, bureau_id, kind.as_str(), year).await
}

/// The next number of (bureau, kind, year) in the shared counter table; other
/// modules' documents (penalty cases) count here too, under their own kind codes.
pub async fn next_in(tx: &Tx, bureau_id: i64, kind: &str, year: i32) -> AppResult<i64> {
    use inspection_number::Column as C;
    let next = Expr::col((inspection_number::Entity, C::Next)).add(1);
    let insert = Query::insert()
        .into_table(inspection_number::Entity)
        .columns([C::BureauId, C::Kind, C::Year, C::Next])
        .values([bureau_id.into(), kind.into(), year.into(), 2_i64.into()])
        .map_err(|e| AppError::Internal(e.into()))?
        .on_conflict(OnConflict::columns([C::BureauId, C::Kind, C::Year]).value(C::Next, next).to_owned())
        .returning_col(C::Next)
        .to_owned();
    let row = tx.query_one(&insert).await?.ok_or_else(|| AppError::Internal(anyhow::anyhow!("no counter row")))?;
    let after: i64 = row.try_get_by_index(0)?;
    Ok(after - 1)
}

/// Reserves the next number of `kind` for inspection `i` in its bureau's name.
pub async fn reserve(tx: &Tx, i: &inspection::Model, kind: DocumentType) -> AppResult<doc::Model> {
    let b = bureau::Entity::find_by_id(i.bureau_id).one(tx).await?.ok_or(AppError::NotFound)?;
    let year = crate::clock::china_date(tx.now()).year();
    let n = next_number(tx, b.id, kind, year).await?;
    let word = templates::template(kind, &b.region_code).word;
    let row = doc::ActiveModel {
        inspection_id: Set(i.id),
        kind: Set(kind),
        bureau_id: Set(b.id),
        year: Set(year),
        seq: Set(n),
        number: Set(number_text(&short_name(&b.name), &word, year, n)),
        status: Set(DocumentStatus::Reserved),
        reserved_at: Set(tx.now()),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    crate::audit::record(tx, tx.ctx(), "reserve", &row).await?;
    Ok(row)
}

/// The documents of an inspection, by type then age.
pub async fn of_inspection<C: ConnectionTrait>(db: &C, inspection_id: i64) -> AppResult<Vec<doc::Model>> {
    Ok(doc::Entity::find()
        .filter(doc::Column::InspectionId.eq(inspection_id))
        .order_by_asc(doc::Column::Id)
        .all(db)
        .await?)
}

/// The live (reserved) number of `kind` for the inspection, if any.
pub async fn reserved<C: ConnectionTrait>(
    db: &C,
    inspection_id: i64,
    kind: DocumentType,
) -> AppResult<Option<doc::Model>> {
    Ok(doc::Entity::find()
        .filter(doc::Column::InspectionId.eq(inspection_id))
        .filter(doc::Column::Kind.eq(kind))
        .filter(doc::Column::Status.eq(DocumentStatus::Reserved))
        .order_by_desc(doc::Column::Id)
        .one(db)
        .await?)
}

/// The current document of `kind` (the newest not voided), if any.
pub async fn current<C: ConnectionTrait>(
    db: &C,
    inspection_id: i64,
    kind: DocumentType,
) -> AppResult<Option<doc::Model>> {
    Ok(doc::Entity::find()
        .filter(doc::Column::InspectionId.eq(inspection_id))
        .filter(doc::Column::Kind.eq(kind))
        .filter(doc::Column::Status.ne(DocumentStatus::Voided))
        .order_by_desc(doc::Column::Id)
        .one(db)
        .await?)
}

/// Reserved → issued, now.
pub async fn issue(tx: &Tx, d: &doc::Model) -> AppResult<doc::Model> {
    if d.status != DocumentStatus::Reserved {
        return Err(AppError::conflict("document_not_reserved", "只有预留的文号才能出具"));
    }
    let mut m: doc::ActiveModel = d.clone().into();
    m.status = Set(DocumentStatus::Issued);
    m.issued_at = Set(Some(tx.now()));
    let saved = m.update(tx).await?;
    crate::audit::record(tx, tx.ctx(), "issue", &saved).await?;
    Ok(saved)
}

/// Voids a reserved or issued number, keeping it with the reason.
pub async fn void(tx: &Tx, d: &doc::Model, reason: &str) -> AppResult<doc::Model> {
    if d.status == DocumentStatus::Voided {
        return Err(AppError::conflict("document_voided", "该文号已作废"));
    }
    let mut m: doc::ActiveModel = d.clone().into();
    m.status = Set(DocumentStatus::Voided);
    m.void_reason = Set(Some(reason.to_owned()));
    let saved = m.update(tx).await?;
    crate::audit::record(tx, tx.ctx(), "void", &saved).await?;
    Ok(saved)
}

/// Records the service (送达) of a document; a reserved one is issued by it.
pub async fn serve(tx: &Tx, d: &doc::Model, on: NaiveDate, method: &str, to: &str) -> AppResult<doc::Model> {
    if d.status == DocumentStatus::Voided {
        return Err(AppError::conflict("document_voided", "该文号已作废"));
    }
    let mut m: doc::ActiveModel = d.clone().into();
    if d.status == DocumentStatus::Reserved {
        m.status = Set(DocumentStatus::Issued);
        m.issued_at = Set(Some(tx.now()));
    }
    m.served_on = Set(Some(on));
    m.service_method = Set(Some(method.to_owned()));
    m.served_to = Set(Some(to.to_owned()));
    let saved = m.update(tx).await?;
    crate::audit::record(tx, tx.ctx(), "serve", &saved).await?;
    Ok(saved)
}

impl Audited for doc::Model {
    const ENTITY: &'static str = "inspection_document";
    const PAYLOAD_VERSION: i32 = 1;
    fn entity_id(&self) -> String {
        self.id.to_string()
    }
    fn payload(&self) -> Value {
        json!({"id": self.id, "inspection_id": self.inspection_id, "kind": self.kind, "bureau_id": self.bureau_id,
            "year": self.year, "seq": self.seq, "number": self.number, "status": self.status,
            "void_reason": self.void_reason, "reserved_at": canonical::time(self.reserved_at),
            "issued_at": self.issued_at.map(canonical::time), "served_on": canonical::opt_date(self.served_on),
            "service_method": self.service_method, "served_to": self.served_to})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_names_the_region_the_word_and_the_year() {
        assert_eq!(number_text(&short_name("江汉区应急管理局"), "检记", 2026, 15), "（江汉）应急检记〔2026〕15号");
        assert_eq!(short_name("湖北省应急管理厅"), "湖北");
        assert_eq!(short_name("武汉市应急管理局"), "武汉");
        assert_eq!(short_name("东区应急管理局"), "东区", "never a one-character name");
        assert_eq!(short_name("武汉化工园区应急管理局"), "武汉化工园区");
    }

    #[test]
    fn slugs_name_the_types() {
        for k in DocumentType::ALL {
            assert_eq!(from_slug(&slug(*k)), Some(*k));
        }
        assert_eq!(from_slug("service-receipt"), Some(DocumentType::ServiceReceipt));
        assert_eq!(from_slug("x"), None);
    }
}
