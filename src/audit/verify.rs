//! Recomputes the chain and checks every audited row against its latest entry.

use super::{Audited, HashAlg, canonical, entry_hash};
use crate::entities::{
    audit_head, audit_log, bulletin, bureau, enterprise, enterprise_status_history, hazard, hazard_event,
    hazard_statistic, hazard_subject, licence, user,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PrimaryKeyTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VerifyReport {
    pub ok: bool,
    /// Entries in the chain.
    pub entries: i64,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seq: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    /// `seq_gap`, `prev_hash_mismatch`, `hash_mismatch`, `unknown_alg`, `head_mismatch`,
    /// `row_changed`, `row_not_logged`, `row_missing`, `unknown_payload_version`.
    pub reason: String,
}

impl Problem {
    fn at_seq(seq: i64, reason: &str) -> Self {
        Self { seq: Some(seq), entity: None, entity_id: None, reason: reason.to_owned() }
    }

    fn at_row(entity: &str, id: &str, reason: &str) -> Self {
        Self { seq: None, entity: Some(entity.to_owned()), entity_id: Some(id.to_owned()), reason: reason.to_owned() }
    }
}

struct Latest {
    version: i32,
    digest: String,
    alg: HashAlg,
}

type LatestMap = HashMap<(String, String), Latest>;

const PAGE: u64 = 5000;

/// Walks the chain in seq order, returning the latest entry per record.
async fn check_chain<C: ConnectionTrait>(db: &C, problems: &mut Vec<Problem>) -> Result<(i64, LatestMap), DbErr> {
    let mut latest = LatestMap::new();
    let (mut last_seq, mut prev) = (0_i64, "0".repeat(64));
    loop {
        let batch = audit_log::Entity::find()
            .filter(audit_log::Column::Seq.gt(last_seq))
            .order_by_asc(audit_log::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(end) = batch.last().map(|e| e.seq) else { break };
        for e in batch {
            if e.seq != last_seq + 1 {
                problems.push(Problem::at_seq(e.seq, "seq_gap"));
            }
            if e.prev_hash != prev {
                problems.push(Problem::at_seq(e.seq, "prev_hash_mismatch"));
            }
            match HashAlg::parse(&e.alg) {
                Some(alg) if entry_hash(alg, &e) == e.hash => {
                    latest.insert(
                        (e.entity.clone(), e.entity_id.clone()),
                        Latest { version: e.payload_version, digest: e.payload_sha256.clone(), alg },
                    );
                }
                Some(_) => problems.push(Problem::at_seq(e.seq, "hash_mismatch")),
                None => problems.push(Problem::at_seq(e.seq, "unknown_alg")),
            }
            last_seq = e.seq;
            prev = e.hash;
        }
        if end != last_seq {
            break;
        }
    }
    let head = audit_head::Entity::find_by_id(1).one(db).await?;
    if head.is_none_or(|h| h.seq != last_seq || h.hash != prev) {
        problems.push(Problem::at_seq(last_seq, "head_mismatch"));
    }
    Ok((last_seq, latest))
}

/// Compares every row of one audited table with its latest entry.
async fn check_rows<C, E>(db: &C, latest: &mut LatestMap, problems: &mut Vec<Problem>) -> Result<(), DbErr>
where
    C: ConnectionTrait,
    E: EntityTrait,
    E::Model: Audited,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let entity = <E::Model as Audited>::ENTITY;
    let Some(pk) = E::PrimaryKey::iter().next() else { return Ok(()) };
    let col = pk.into_column();
    let mut after = 0_i64;
    loop {
        let rows = E::find().filter(col.gt(after)).order_by_asc(col).limit(PAGE).all(db).await?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            let id = row.entity_id();
            after = id.parse().unwrap_or(after);
            match latest.remove(&(entity.to_owned(), id.clone())) {
                None => problems.push(Problem::at_row(entity, &id, "row_not_logged")),
                Some(l) => match row.payload_of_version(l.version) {
                    None => problems.push(Problem::at_row(entity, &id, "unknown_payload_version")),
                    Some(payload) => {
                        let digest = l.alg.digest_hex(canonical::to_string(&payload).as_bytes());
                        if digest != l.digest {
                            problems.push(Problem::at_row(entity, &id, "row_changed"));
                        }
                    }
                },
            }
        }
    }
    Ok(())
}

use sea_orm::Iterable;
use sea_orm::PrimaryKeyToColumn;

/// Logged records whose rows are not compared with their entries: checklist versions
/// are content-addressed (`content_hash` is the SHA-256 of the canonical body, and
/// records pin that hash), and the national ones are registered at start-up without
/// an entry. Grading history rows are partly computed (they follow from logged
/// inputs and a versioned rule set); only the regulators' decisions among them are
/// logged, so their rows are not compared.
const NOT_ROW_CHECKED: &[&str] = &["checklist_version", "session", "enterprise_grading"];

/// The tables of the insurance, certificate, plan-filing and indicator modules.
async fn check_later_rows<C: ConnectionTrait>(
    db: &C,
    latest: &mut LatestMap,
    problems: &mut Vec<Problem>,
) -> Result<(), DbErr> {
    use crate::entities as e;
    check_rows::<C, e::insurance_policy::Entity>(db, latest, problems).await?;
    check_rows::<C, e::special_operation_worker::Entity>(db, latest, problems).await?;
    check_rows::<C, e::emergency_plan_filing::Entity>(db, latest, problems).await?;
    check_rows::<C, e::emergency_plan_drill::Entity>(db, latest, problems).await?;
    check_rows::<C, e::indicator_denominator::Entity>(db, latest, problems).await?;
    check_rows::<C, e::indicator_baseline::Entity>(db, latest, problems).await?;
    check_rows::<C, e::indicator_target::Entity>(db, latest, problems).await
}

/// Full verification: the chain, then every audited table.
pub async fn verify<C: ConnectionTrait>(db: &C) -> Result<VerifyReport, DbErr> {
    let mut problems = Vec::new();
    let (entries, mut latest) = check_chain(db, &mut problems).await?;
    check_rows::<C, bureau::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, user::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, enterprise::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, enterprise_status_history::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, licence::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, hazard_subject::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, hazard::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, hazard_event::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::hazard_plan::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::hazard_review::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, bulletin::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::bulletin_proposal::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::hazard_document::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, hazard_statistic::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::inspection::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::inspection_document::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::inspection_result::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::inspection_result_conflict::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::annual_plan::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::draw::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::draw_task::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::draw_publication::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::spot_check_item::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::bureau_setting::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::inspection_finding::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::inspection_measure::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::inspection_signature::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::inspection_verdict::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::inspector_absence::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::inspector_conflict::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::self_inspection_plan::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::self_inspection_task::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::self_inspection_result::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::risk_point::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::site_plan::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::accident::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::risk_assessment::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::accident_figure_change::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::accident_report::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::accident_flag::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::accident_investigation::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::accident_finding::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::accident_measure::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::case::Entity>(db, &mut latest, &mut problems).await?;
    check_rows::<C, crate::entities::case_step::Entity>(db, &mut latest, &mut problems).await?;
    check_later_rows(db, &mut latest, &mut problems).await?;
    // Whatever is left was logged but is no longer there (records are never deleted).
    let mut missing: Vec<_> =
        latest.into_keys().filter(|(entity, _)| !NOT_ROW_CHECKED.contains(&entity.as_str())).collect();
    missing.sort();
    for (entity, id) in missing {
        problems.push(Problem::at_row(&entity, &id, "row_missing"));
    }
    Ok(VerifyReport { ok: problems.is_empty(), entries, problems })
}
