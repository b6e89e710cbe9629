//! Synthetic executed proofs (`anjian draw synthetic`): a complete, valid proof built
//! with the real hashing and sampler from a few numbers, for benchmarks, tests and anyone
//! who wants to try `anjian draw verify`.
//!
//! Decisions: everything is deterministic from the [`Spec`] — the made-up data comes from
//! the sampler's own stream keyed by a hash of the spec. Enterprises have ids 1…N and
//! cycle through the four sectors; with `strata > 1` enterprise `i` is in stratum
//! `stratum-{i mod S}` and the sample is split in proportion to the strata's sizes (the
//! remainder to the first strata); weights (when weighted) are 1…10. Inspectors have
//! certificate numbers `4201` + 7 digits and user ids 10000 + j, one or two specialties.
//! Conflicts are distinct random pairs (at most N × M of them). One enterprise in 200
//! beyond the pool is listed as ineligible. The draw's dates are fixed texts.

use super::chacha::Stream;
use super::domain::{ALGORITHM, FORMAT, FORMAT_VERSION, HASH};
use super::proof::{
    About, Enterprise, Exclusion, Frozen, IneligibleEnterprise, Inspector, Outcome, Parameters, Proof, Stratum, Task,
};
use super::{hashing, sampler};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

const SECTORS: [&str; 4] = ["fireworks", "hazardous_chemicals", "industry_trade", "non_coal_mine"];

/// What to make up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub enterprises: u32,
    pub inspectors: u32,
    pub conflicts: u32,
    pub sample: u32,
    pub team_size: u32,
    pub strata: u32,
    pub weighted: bool,
    pub sector_specialist: bool,
    pub secret: String,
    pub entropy: Option<String>,
    pub public: bool,
}

impl Default for Spec {
    fn default() -> Self {
        Self {
            enterprises: 100,
            inspectors: 10,
            conflicts: 10,
            sample: 10,
            team_size: 2,
            strata: 1,
            weighted: false,
            sector_specialist: false,
            secret: "synthetic-secret".into(),
            entropy: None,
            public: false,
        }
    }
}

fn stream_for(spec: &Spec) -> Stream {
    let text = format!("anjian-draw-synthetic/{spec:?}");
    Stream::new(&Sha256::digest(text.as_bytes()).into())
}

fn stratum_key(spec: &Spec, id: u32) -> String {
    if spec.strata <= 1 { "all".into() } else { format!("stratum-{:04}", id % spec.strata) }
}

fn enterprises(spec: &Spec, stream: &mut Stream) -> Vec<Enterprise> {
    (1..=spec.enterprises)
        .map(|id| Enterprise {
            id: i64::from(id),
            credit_code: format!("914201{id:011}X"),
            stratum: stratum_key(spec, id),
            sector: SECTORS[id as usize % 4].into(),
            weight: if spec.weighted { 1 + stream.uniform(10) } else { 1 },
        })
        .collect()
}

fn inspectors(spec: &Spec) -> Vec<Inspector> {
    (1..=spec.inspectors)
        .map(|j| {
            let mut specialties = vec![SECTORS[j as usize % 4].to_owned()];
            if j % 3 == 0 {
                specialties.push(SECTORS[(j as usize + 1) % 4].to_owned());
            }
            specialties.sort();
            Inspector { certificate_no: format!("4201{j:07}"), user_id: Some(10_000 + i64::from(j)), specialties }
        })
        .collect()
}

fn conflicts(spec: &Spec, pool: &[Inspector], stream: &mut Stream) -> Vec<Exclusion> {
    let most = u64::from(spec.enterprises) * u64::from(spec.inspectors);
    let want = u64::from(spec.conflicts).min(most);
    let mut pairs = BTreeSet::new();
    while (pairs.len() as u64) < want {
        let e = 1 + stream.uniform(spec.enterprises);
        let i = stream.uniform(spec.inspectors) as usize;
        pairs.insert((i64::from(e), pool[i].certificate_no.clone()));
    }
    pairs.into_iter().map(|(enterprise_id, certificate_no)| Exclusion { enterprise_id, certificate_no }).collect()
}

fn strata(spec: &Spec, pool: &[Enterprise]) -> Vec<Stratum> {
    let mut sizes = std::collections::BTreeMap::<String, u32>::new();
    for e in pool {
        *sizes.entry(e.stratum.clone()).or_default() += 1;
    }
    let total = u64::from(spec.enterprises.max(1));
    let sample = u64::from(spec.sample.min(spec.enterprises));
    let mut out: Vec<Stratum> = sizes
        .into_iter()
        .map(|(key, size)| {
            let count = u32::try_from(sample * u64::from(size) / total).unwrap_or(size);
            Stratum { key, size, count }
        })
        .collect();
    let mut left = u32::try_from(sample).unwrap_or(0) - out.iter().map(|s| s.count).sum::<u32>();
    for s in &mut out {
        let more = left.min(s.size - s.count);
        s.count += more;
        left -= more;
    }
    out
}

/// The frozen inputs of the spec.
pub fn frozen(spec: &Spec) -> Frozen {
    let mut stream = stream_for(spec);
    let enterprises = enterprises(spec, &mut stream);
    let inspectors = inspectors(spec);
    let exclusions = conflicts(spec, &inspectors, &mut stream);
    let ineligible = (1..=spec.enterprises / 200)
        .map(|k| {
            let id = spec.enterprises + k;
            let reason = if k % 2 == 0 { "over_cap" } else { "closed" };
            IneligibleEnterprise { id: i64::from(id), credit_code: format!("914201{id:011}X"), reason: reason.into() }
        })
        .collect();
    let parameters = Parameters {
        team_size: spec.team_size,
        specialty_rule: if spec.sector_specialist { "sector_specialist" } else { "none" }.into(),
        weighted: spec.weighted,
        strata: strata(spec, &enterprises),
    };
    Frozen { parameters, enterprises, inspectors, exclusions, ineligible }
}

/// A complete executed proof of the spec (public: without user ids).
pub fn proof(spec: &Spec) -> Proof {
    let mut frozen = frozen(spec);
    let mut hashes = hashing::hashes(&frozen, ALGORITHM);
    let seed = hashing::seed(&hashes.pool, &spec.secret, spec.entropy.as_deref());
    let tasks = sampler::run(&frozen, &seed)
        .into_iter()
        .map(|d| {
            let e = &frozen.enterprises[d.enterprise];
            let members = d.team.iter().map(|&i| &frozen.inspectors[i]);
            Task {
                enterprise_id: e.id,
                credit_code: e.credit_code.clone(),
                certificate_nos: members.clone().map(|m| m.certificate_no.clone()).collect(),
                inspectors: (!spec.public).then(|| members.filter_map(|m| m.user_id).collect()),
            }
        })
        .collect();
    if spec.public {
        hashes.inspector_ids = None;
        for i in &mut frozen.inspectors {
            i.user_id = None;
        }
    }
    Proof {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        algorithm: ALGORITHM.into(),
        hash: HASH.into(),
        public: spec.public,
        draw: About {
            id: 1,
            bureau: "合成数据".into(),
            title: format!("合成抽取：{} 家企业抽 {} 家", spec.enterprises, spec.sample),
            committed_at: "2026-01-05T01:00:00.000000Z".into(),
            executed_at: Some("2026-01-05T02:00:00.000000Z".into()),
            supersedes: None,
            redraw_reason: None,
        },
        parameters: frozen.parameters,
        enterprises: frozen.enterprises,
        inspectors: frozen.inspectors,
        exclusions: frozen.exclusions,
        ineligible: frozen.ineligible,
        commitment: hashing::commitment(&spec.secret),
        secret: Some(spec.secret.clone()),
        public_entropy: spec.entropy.clone(),
        seed: Some(hex::encode(seed)),
        hashes,
        result: Some(Outcome { tasks }),
    }
}
