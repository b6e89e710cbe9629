//! The proof document of a draw (`src/draw/SAMPLER.md` §1): its types, and building
//! it from a stored draw. The frozen inputs are stored as they appear in the proof
//! (`draw_pools` holds [`Frozen`], see `pool_codec`), so the full and the public proof
//! are views of the same rows.

use super::domain::{ALGORITHM, FORMAT, FORMAT_VERSION, HASH};
use crate::entities::{draw, draw_task};
use serde::{Deserialize, Serialize};

/// The draw's parameters as the sampler reads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Parameters {
    pub team_size: u32,
    /// `none` or `sector_specialist`.
    pub specialty_rule: String,
    pub weighted: bool,
    pub strata: Vec<Stratum>,
}

/// One stratum: its key, how many pool enterprises it has, how many are drawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Stratum {
    pub key: String,
    pub size: u32,
    pub count: u32,
}

/// A pool enterprise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = DrawPoolEnterprise)]
pub struct Enterprise {
    pub id: i64,
    pub credit_code: String,
    pub stratum: String,
    /// Sector code (`hazardous_chemicals`, …), for the specialty rule.
    pub sector: String,
    pub weight: u32,
}

/// A pool inspector: the certificate number (public) and, in the full proof, the user id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = DrawPoolInspector)]
pub struct Inspector {
    pub certificate_no: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<i64>,
    pub specialties: Vec<String>,
}

/// A declared conflict (回避) between a pool enterprise and a pool inspector, without its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Exclusion {
    pub enterprise_id: i64,
    pub certificate_no: String,
}

/// An enterprise that matched the filter but is not in the pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = DrawIneligible)]
pub struct IneligibleEnterprise {
    pub id: i64,
    pub credit_code: String,
    /// `closed` or `over_cap`.
    pub reason: String,
}

/// What is frozen at commitment (stored in `draw_pools`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Frozen {
    pub parameters: Parameters,
    pub enterprises: Vec<Enterprise>,
    pub inspectors: Vec<Inspector>,
    pub exclusions: Vec<Exclusion>,
    pub ineligible: Vec<IneligibleEnterprise>,
}

/// The hashes fixed at commitment (lowercase hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Hashes {
    pub enterprises: String,
    pub inspectors: String,
    pub exclusions: String,
    pub parameters: String,
    pub pool: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inspector_ids: Option<String>,
}

/// One drawn task: the enterprise and its team (empty when unstaffed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = DrawProofTask)]
pub struct Task {
    pub enterprise_id: i64,
    pub credit_code: String,
    pub certificate_nos: Vec<String>,
    /// The members' user ids (full proof only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inspectors: Option<Vec<i64>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = DrawProofResult)]
pub struct Outcome {
    pub tasks: Vec<Task>,
}

/// About the draw (not hashed; for readers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct About {
    pub id: i64,
    pub bureau: String,
    pub title: String,
    pub committed_at: String,
    pub executed_at: Option<String>,
    pub supersedes: Option<i64>,
    pub redraw_reason: Option<String>,
}

/// The proof document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = DrawProof)]
pub struct Proof {
    pub format: String,
    pub format_version: u32,
    pub algorithm: String,
    pub hash: String,
    pub public: bool,
    pub draw: About,
    pub parameters: Parameters,
    pub enterprises: Vec<Enterprise>,
    pub inspectors: Vec<Inspector>,
    pub exclusions: Vec<Exclusion>,
    pub ineligible: Vec<IneligibleEnterprise>,
    pub hashes: Hashes,
    pub commitment: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    #[serde(default)]
    pub public_entropy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Outcome>,
}

fn ids(text: &str) -> Vec<i64> {
    serde_json::from_str(text).unwrap_or_default()
}

fn strings(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

/// Builds the proof of a stored draw from its row, its frozen pool and its tasks (in
/// `seq` order). A public proof leaves out user ids (`public = true`).
pub fn build(d: &draw::Model, mut frozen: Frozen, bureau: &str, tasks: &[draw_task::Model], public: bool) -> Proof {
    if public {
        for i in &mut frozen.inspectors {
            i.user_id = None;
        }
    }
    let executed = d.seed.is_some();
    let result = executed.then(|| Outcome {
        tasks: tasks
            .iter()
            .map(|t| Task {
                enterprise_id: t.enterprise_id,
                credit_code: t.credit_code.clone(),
                certificate_nos: strings(&t.certificate_nos),
                inspectors: (!public).then(|| ids(&t.inspector_ids)),
            })
            .collect(),
    });
    Proof {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        algorithm: d.algorithm.clone(),
        hash: d.hash_alg.clone(),
        public,
        draw: About {
            id: d.id,
            bureau: bureau.to_owned(),
            title: d.title.clone(),
            committed_at: crate::audit::canonical::time_text(d.committed_at),
            executed_at: d.executed_at.map(crate::audit::canonical::time_text),
            supersedes: d.supersedes_id,
            redraw_reason: d.redraw_reason.clone(),
        },
        parameters: frozen.parameters,
        enterprises: frozen.enterprises,
        inspectors: frozen.inspectors,
        exclusions: frozen.exclusions,
        ineligible: frozen.ineligible,
        hashes: Hashes {
            enterprises: d.enterprises_hash.clone(),
            inspectors: d.inspectors_hash.clone(),
            exclusions: d.exclusions_hash.clone(),
            parameters: d.parameters_hash.clone(),
            pool: d.pool_hash.clone(),
            inspector_ids: (!public).then(|| d.inspector_ids_hash.clone()),
        },
        commitment: d.commitment.clone(),
        secret: d.secret.clone(),
        public_entropy: d.public_entropy.clone(),
        seed: d.seed.clone(),
        result,
    }
}

/// Whether the proof names the sampler and format this build knows.
pub fn known(p: &Proof) -> bool {
    p.format == FORMAT && p.format_version == FORMAT_VERSION && p.algorithm == ALGORITHM && p.hash == HASH
}
