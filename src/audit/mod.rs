//! Tamper-evident change log (操作留痕, 防篡改日志). Every write to an audited
//! record appends an entry in the same transaction; each entry's hash covers the
//! previous hash, so editing or removing an entry breaks the chain, and each
//! entry carries the digest of the row as stored, so editing a row behind the
//! application's back no longer matches its latest entry. This is not the legal
//! 执法全过程记录 (documents plus audio/video), which inspection records carry.

pub mod canonical;
pub mod handlers;
pub mod verify;

use crate::entities::audit_log;
use crate::routes::{ApiRoutes, routes};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Statement, sea_query::Expr};
use serde_json::Value;
use sha2::Digest;

crate::coded::coded_enum! {
    /// Hash algorithm of an entry; stored per entry so the log can change algorithm
    /// (e.g. to SM3 for 商用密码 certification) without rewriting history.
    pub enum HashAlg in "摘要算法" {
        Sha256 = "sha256" / "SHA-256",
        Sm3 = "sm3" / "SM3",
    }
}

impl HashAlg {
    /// The algorithm a stored code names, if any.
    pub fn parse(s: &str) -> Option<Self> {
        s.parse().ok()
    }

    pub fn digest_hex(self, bytes: &[u8]) -> String {
        match self {
            Self::Sha256 => hex::encode(sha2::Sha256::digest(bytes)),
            Self::Sm3 => hex::encode(sm3::Sm3::digest(bytes)),
        }
    }
}

/// A record whose every write is logged.
pub trait Audited {
    /// Entity name in the log, e.g. `enterprise`.
    const ENTITY: &'static str;
    /// Names the field list [`Audited::payload`] produces; bump when it changes.
    const PAYLOAD_VERSION: i32;
    fn entity_id(&self) -> String;
    /// The row as stored, as JSON, with times via [`canonical::time`].
    fn payload(&self) -> Value;
    /// The row in the shape of an earlier payload version, for rows whose
    /// latest entry predates a change of the field list (`None`: unknown).
    fn payload_of_version(&self, version: i32) -> Option<Value> {
        (version == Self::PAYLOAD_VERSION).then(|| self.payload())
    }
}

/// Who did it and when; shared by all entries of one transaction.
#[derive(Debug, Clone)]
pub struct AuditCtx {
    /// `user:<id>`, `cli`, `system:<job>`. Never a name or other personal data.
    pub actor: String,
    pub at: DateTime<Utc>,
    pub alg: HashAlg,
}

/// One entry to append.
pub struct Pending {
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: String,
    pub payload_version: i32,
    pub payload_digest: String,
}

impl Pending {
    /// The entries of many rows, their payload digests computed on every core: a draw
    /// creates tens of thousands of rows in one request, and digesting them is most of
    /// its CPU time. Below a few thousand rows the threads are not worth starting.
    pub fn many<T: Audited + Sync>(ctx: &AuditCtx, action: &'static str, rows: &[T]) -> Vec<Self> {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(8);
        if cores < 2 || rows.len() < 2_000 {
            return rows.iter().map(|r| Self::of(ctx, action, r)).collect();
        }
        let part = rows.len().div_ceil(cores);
        std::thread::scope(|s| {
            let digest = |chunk: &[T]| chunk.iter().map(|r| Self::of(ctx, action, r)).collect::<Vec<_>>();
            let mut chunks = rows.chunks(part);
            let first = chunks.next().unwrap_or_default();
            let handles: Vec<_> = chunks.map(|c| s.spawn(move || digest(c))).collect();
            let mut out = digest(first);
            for h in handles {
                out.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
            }
            out
        })
    }

    pub fn of<T: Audited>(ctx: &AuditCtx, action: &'static str, row: &T) -> Self {
        Self {
            action,
            entity: T::ENTITY,
            entity_id: row.entity_id(),
            payload_version: T::PAYLOAD_VERSION,
            payload_digest: ctx.alg.digest_hex(canonical::to_string(&row.payload()).as_bytes()),
        }
    }
}

/// The bytes an entry's hash covers: its fields and the previous hash, as the
/// canonical JSON of those fields (keys in sorted order), written directly.
pub fn entry_hash(alg: HashAlg, e: &audit_log::Model) -> String {
    alg.digest_hex(entry_text(e).as_bytes())
}

fn entry_text(e: &audit_log::Model) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(400);
    s.push_str(r#"{"action":"#);
    quoted(&mut s, &e.action);
    s.push_str(r#","actor":"#);
    quoted(&mut s, &e.actor);
    s.push_str(r#","alg":"#);
    quoted(&mut s, &e.alg);
    s.push_str(r#","at":"#);
    quoted(&mut s, &canonical::time_text(e.at));
    s.push_str(r#","entity":"#);
    quoted(&mut s, &e.entity);
    s.push_str(r#","entity_id":"#);
    quoted(&mut s, &e.entity_id);
    s.push_str(r#","payload_sha256":"#);
    quoted(&mut s, &e.payload_sha256);
    let _ = write!(s, r#","payload_version":{},"prev_hash":"#, e.payload_version);
    quoted(&mut s, &e.prev_hash);
    let _ = write!(s, r#","seq":{}}}"#, e.seq);
    s
}

/// `text` as a JSON string, exactly as `serde_json` writes it: text with nothing to
/// escape (no `"`, `\` or control character — every hash, code and actor) is copied
/// as it is.
fn quoted(out: &mut String, text: &str) {
    if text.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push_str(&Value::String(text.to_owned()).to_string());
    } else {
        out.push('"');
        out.push_str(text);
        out.push('"');
    }
}

/// Appends one audited write.
pub async fn record<C: ConnectionTrait, T: Audited>(
    db: &C,
    ctx: &AuditCtx,
    action: &'static str,
    row: &T,
) -> Result<(), DbErr> {
    append(db, ctx, vec![Pending::of(ctx, action, row)]).await
}

/// Appends entries in order. The head row is bumped first: on PostgreSQL that
/// row lock orders concurrent appenders; on SQLite the write lock already does.
pub async fn append<C: ConnectionTrait>(db: &C, ctx: &AuditCtx, items: Vec<Pending>) -> Result<(), DbErr> {
    if items.is_empty() {
        return Ok(());
    }
    let n = i64::try_from(items.len()).map_err(|e| DbErr::Custom(e.to_string()))?;
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm::DbBackend::Postgres => "UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash",
                _ => "UPDATE audit_head SET seq = seq + ? WHERE id = 1 RETURNING seq, hash",
            },
            [n.into()],
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("audit_head row missing".into()))?;
    let end: i64 = row.try_get("", "seq")?;
    let mut prev: String = row.try_get("", "hash")?;
    let mut models = Vec::with_capacity(items.len());
    for (i, p) in (end - n + 1..).zip(items) {
        let mut m = audit_log::Model {
            seq: i,
            at: ctx.at,
            actor: ctx.actor.clone(),
            action: p.action.to_owned(),
            entity: p.entity.to_owned(),
            entity_id: p.entity_id,
            payload_version: p.payload_version,
            payload_sha256: p.payload_digest,
            prev_hash: prev.clone(),
            hash: String::new(),
            alg: ctx.alg.as_str().to_owned(),
        };
        m.hash = entry_hash(ctx.alg, &m);
        prev.clone_from(&m.hash);
        models.push(m);
    }
    insert_entries(db, models).await?;
    crate::entities::audit_head::Entity::update_many()
        .col_expr(crate::entities::audit_head::Column::Hash, Expr::value(prev))
        .filter(crate::entities::audit_head::Column::Id.eq(1))
        .exec(db)
        .await?;
    Ok(())
}

const ENTRY_COLUMNS: [&str; 11] = [
    "seq",
    "at",
    "actor",
    "action",
    "entity",
    "entity_id",
    "payload_version",
    "payload_sha256",
    "prev_hash",
    "hash",
    "alg",
];

async fn insert_entries<C: ConnectionTrait>(db: &C, models: Vec<audit_log::Model>) -> Result<(), DbErr> {
    let mut values = Vec::with_capacity(models.len() * ENTRY_COLUMNS.len());
    for m in models {
        values.extend([
            m.seq.into(),
            m.at.into(),
            m.actor.into(),
            m.action.into(),
            m.entity.into(),
            m.entity_id.into(),
            m.payload_version.into(),
            m.payload_sha256.into(),
            m.prev_hash.into(),
            m.hash.into(),
            m.alg.into(),
        ]);
    }
    crate::db::bulk::insert(db, "audit_log", &ENTRY_COLUMNS, values, &[]).await?;
    Ok(())
}

pub fn routes() -> ApiRoutes {
    ApiRoutes::new().routes(routes!(handlers::verify_audit))
}

#[cfg(test)]
fn entry_text_via_value(e: &audit_log::Model) -> String {
    let body = serde_json::json!({
        "seq": e.seq, "at": canonical::time(e.at), "actor": e.actor, "action": e.action,
        "entity": e.entity, "entity_id": e.entity_id, "payload_version": e.payload_version,
        "payload_sha256": e.payload_sha256, "prev_hash": e.prev_hash, "alg": e.alg,
    });
    canonical::to_string(&body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_direct_entry_text_is_the_canonical_json_of_the_entry() {
        let e = audit_log::Model {
            seq: 42,
            at: chrono::DateTime::parse_from_rfc3339("2026-11-22T07:00:00.5Z").map(|t| t.to_utc()).unwrap_or_default(),
            actor: "user:7".into(),
            action: "create".into(),
            entity: "enterprise".into(),
            entity_id: "9".into(),
            payload_version: 1,
            payload_sha256: "ab".repeat(32),
            prev_hash: "0".repeat(64),
            hash: String::new(),
            alg: "sha256".into(),
        };
        assert_eq!(entry_text(&e), entry_text_via_value(&e));
        // Text that must be escaped takes serde_json's way, byte for byte.
        let odd = audit_log::Model { entity_id: "a\"b\\c\nd\u{1}e 危化/é\u{7f}".into(), actor: "cli".into(), ..e };
        assert_eq!(entry_text(&odd), entry_text_via_value(&odd));
    }
}
