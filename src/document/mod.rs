//! Printable documents (文书) of the ledger and their numbers: 隐患整改通知书,
//! 重大事故隐患督办通知书 and 重大事故隐患核销意见书 (issue 10, item 24).
//!
//! Decisions where the issue is silent:
//! - A number reads `{简称}{字}〔{年}〕{n}号`, e.g. `江汉区应急隐改〔2026〕12号`. The
//!   简称 is the bureau's name without its trailing 管理局/管理厅 (bureaus have
//!   no short-name column; `江汉区应急管理局` → `江汉区应急`); the 字 is per kind
//!   (隐改, 督办, 核销); the year is the Beijing year of issue; `n` counts per
//!   (bureau, kind, year) from 1 in `document_numbers`.
//! - The issuing bureau is the hazard's supervising bureau for a 整改通知书, and
//!   the bureau that listed it for supervision (the assigning bureau, else the
//!   supervising one) for a 督办通知书 and a 核销意见书 (谁挂牌谁摘牌).
//! - A number is issued once per (hazard, kind) and stored in `hazard_documents`:
//!   reprinting shows the same number; a retry finds the stored one (the hazard
//!   row is locked on PostgreSQL first, and unique indexes back it up).
//! - Regulators issue every kind, inspectors the 整改通知书, and only for a
//!   bureau that is theirs or below theirs; everyone who sees the hazard
//!   (the enterprise too) sees the documents issued for it.

pub mod handlers;
pub mod sheet;

pub use handlers::routes;

use crate::auth::{CurrentUser, Role};
use crate::entities::{bureau, document_number, hazard, hazard_document};
use crate::error::{AppError, AppResult};
use crate::hazard::domain::{Level, Status};
use crate::write::Tx;
use chrono::Datelike;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::{Value, json};

crate::coded::coded_enum! {
    /// A kind of printable document of a hazard.
    pub enum DocumentKind in "文书种类" {
        RectificationNotice = "rectification_notice" / "隐患整改通知书",
        SupervisionNotice = "supervision_notice" / "重大事故隐患督办通知书",
        ClosureOpinion = "closure_opinion" / "重大事故隐患核销意见书",
    }
}

impl DocumentKind {
    /// The word of its numbers (文号代字).
    pub const fn word(self) -> &'static str {
        match self {
            Self::RectificationNotice => "隐改",
            Self::SupervisionNotice => "督办",
            Self::ClosureOpinion => "核销",
        }
    }

    /// The last segment of its page, `/hazards/{id}/documents/{slug}`.
    pub fn slug(self) -> String {
        self.as_str().replace('_', "-")
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.slug() == slug || k.as_str() == slug)
    }

    /// Why the hazard has no such document now, if it has none; `None` when it may.
    pub fn refusal(self, h: &hazard::Model) -> Option<&'static str> {
        let gone = matches!(h.status, Status::Dismissed | Status::Voided);
        match self {
            _ if gone => Some("已作废或不予认定的隐患没有文书"),
            Self::RectificationNotice if h.status == Status::Reported || h.deadline.is_none() => {
                Some("隐患认定并确定整改期限后才能出具整改通知书")
            }
            Self::SupervisionNotice
                if h.level != Level::Major
                    || matches!(h.assignment_level, None | Some(crate::hazard::domain::SupervisionLevel::Unlisted)) =>
            {
                Some("重大事故隐患交办挂牌后才能出具督办通知书")
            }
            Self::ClosureOpinion if h.level != Level::Major || h.status != Status::Closed => {
                Some("重大事故隐患核销后才能出具核销意见书")
            }
            _ => None,
        }
    }

    /// The bureau in whose name it is issued.
    pub fn issuing_bureau(self, h: &hazard::Model) -> i64 {
        match self {
            Self::RectificationNotice => h.bureau_id,
            Self::SupervisionNotice | Self::ClosureOpinion => {
                h.assigning_bureau_id.or(h.supervising_bureau_id).unwrap_or(h.bureau_id)
            }
        }
    }

    /// The roles that issue it.
    pub fn issuers(self) -> &'static [Role] {
        match self {
            Self::RectificationNotice => &[Role::Regulator, Role::Inspector],
            Self::SupervisionNotice | Self::ClosureOpinion => &[Role::Regulator],
        }
    }
}

/// A bureau's short name for document numbers: its name without 管理局/管理厅.
pub fn short_name(name: &str) -> &str {
    ["管理局", "管理厅", "管理委员会"]
        .iter()
        .find_map(|s| name.strip_suffix(s).filter(|rest| !rest.is_empty()))
        .unwrap_or(name)
}

/// `江汉区应急隐改〔2026〕12号`.
pub fn number_text(bureau_name: &str, kind: DocumentKind, year: i32, n: i64) -> String {
    format!("{}{}〔{year}〕{n}号", short_name(bureau_name), kind.word())
}

/// The documents issued for a hazard, oldest first.
pub async fn issued<C: ConnectionTrait>(db: &C, hazard_id: i64) -> AppResult<Vec<hazard_document::Model>> {
    Ok(hazard_document::Entity::find()
        .filter(hazard_document::Column::HazardId.eq(hazard_id))
        .order_by_asc(hazard_document::Column::Id)
        .all(db)
        .await?)
}

pub async fn stored<C: ConnectionTrait>(
    db: &C,
    h: i64,
    kind: DocumentKind,
) -> AppResult<Option<hazard_document::Model>> {
    Ok(hazard_document::Entity::find()
        .filter(hazard_document::Column::HazardId.eq(h))
        .filter(hazard_document::Column::Kind.eq(kind))
        .one(db)
        .await?)
}

/// Whether `user` may issue `kind` in the name of bureau `b`.
pub fn may_issue(user: &CurrentUser, kind: DocumentKind, b: &bureau::Model) -> bool {
    let mine = match &user.scope {
        crate::auth::Scope::Bureaus { path, .. } => b.path.starts_with(path.as_str()),
        crate::auth::Scope::Enterprises(_) => false,
    };
    mine && kind.issuers().iter().any(|r| user.has(*r))
}

/// The next number of (bureau, kind, year), counted in `document_numbers`.
async fn next_number(tx: &Tx, bureau_id: i64, kind: DocumentKind, year: i32) -> AppResult<i64> {
    use document_number::Column as C;
    let next = Expr::col((document_number::Entity, C::Next)).add(1);
    let insert = Query::insert()
        .into_table(document_number::Entity)
        .columns([C::BureauId, C::Kind, C::Year, C::Next])
        .values([bureau_id.into(), kind.as_str().into(), year.into(), 2_i64.into()])
        .map_err(|e| AppError::Internal(e.into()))?
        .on_conflict(OnConflict::columns([C::BureauId, C::Kind, C::Year]).value(C::Next, next).to_owned())
        .returning_col(C::Next)
        .to_owned();
    let row = tx.query_one(&insert).await?.ok_or_else(|| AppError::Internal(anyhow::anyhow!("no counter row")))?;
    let after: i64 = row.try_get_by_index(0)?;
    Ok(after - 1)
}

/// The document of `kind` for hazard `id`: the stored one, or a new number
/// issued now (a write: call inside `state.write`).
pub async fn issue(tx: &Tx, user: &CurrentUser, id: i64, kind: DocumentKind) -> AppResult<hazard_document::Model> {
    crate::hazard::service::get_visible(tx, user, id).await?;
    if !kind.issuers().iter().any(|r| user.has(*r)) || !user.is_bureau_user() {
        return Err(AppError::Forbidden);
    }
    let mut q = hazard::Entity::find_by_id(id);
    if tx.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    let h = q.one(tx).await?.ok_or(AppError::NotFound)?;
    if let Some(d) = stored(tx, id, kind).await? {
        return Ok(d);
    }
    if let Some(why) = kind.refusal(&h) {
        return Err(AppError::conflict("document_not_available", why));
    }
    let b = bureau::Entity::find_by_id(kind.issuing_bureau(&h)).one(tx).await?.ok_or(AppError::NotFound)?;
    if !may_issue(user, kind, &b) {
        return Err(AppError::conflict("document_not_yours", format!("该文书应由{}出具", b.name)));
    }
    let ctx = tx.ctx();
    let year = crate::clock::china_date(ctx.at).year();
    let n = next_number(tx, b.id, kind, year).await?;
    let row = hazard_document::ActiveModel {
        hazard_id: Set(id),
        kind: Set(kind),
        bureau_id: Set(b.id),
        number: Set(number_text(&b.name, kind, year, n)),
        issued_at: Set(ctx.at),
        issued_by: Set(Some(user.id)),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    crate::audit::record(tx, ctx, "issue", &row).await?;
    Ok(row)
}

impl crate::audit::Audited for hazard_document::Model {
    const ENTITY: &'static str = "hazard_document";
    const PAYLOAD_VERSION: i32 = 1;

    fn entity_id(&self) -> String {
        self.id.to_string()
    }

    fn payload(&self) -> Value {
        json!({
            "id": self.id, "hazard_id": self.hazard_id, "kind": self.kind, "bureau_id": self.bureau_id,
            "number": self.number, "issued_at": crate::audit::canonical::time(self.issued_at),
            "issued_by": self.issued_by,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_carries_the_short_name_the_word_and_the_year() {
        assert_eq!(
            number_text("江汉区应急管理局", DocumentKind::RectificationNotice, 2026, 12),
            "江汉区应急隐改〔2026〕12号"
        );
        assert_eq!(
            number_text("湖北省应急管理厅", DocumentKind::SupervisionNotice, 2027, 1),
            "湖北省应急督办〔2027〕1号"
        );
        assert_eq!(number_text("园区安监局", DocumentKind::ClosureOpinion, 2026, 3), "园区安监局核销〔2026〕3号");
        assert_eq!(short_name("管理局"), "管理局", "never an empty short name");
    }

    #[test]
    fn slugs_name_the_kinds() {
        for k in DocumentKind::ALL {
            assert_eq!(DocumentKind::from_slug(&k.slug()), Some(*k));
        }
        assert_eq!(DocumentKind::from_slug("closure-opinion"), Some(DocumentKind::ClosureOpinion));
        assert_eq!(DocumentKind::from_slug("nope"), None);
    }
}
