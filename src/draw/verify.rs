//! Verifying a proof (`SAMPLER.md` §6): the first mismatch, named in Chinese with the
//! JSON field it is about (the message is shown to users as it is).
//!
//! Decisions: a proof of a draw not yet executed (no `secret`) is checked up to its hashes
//! and then refused as not executed — `verified` always means the result re-ran. When the
//! inspectors carry user ids (a full proof), `hashes.inspector_ids` and every task's
//! `inspectors` must be present and agree; in a public proof they are not checked. The
//! public entropy and the seed cannot be told apart by hashing: a changed public entropy
//! is reported as the seed not matching, naming both fields.

mod shape;

use super::hashing;
use super::inputs::Inputs;
use super::proof::{Hashes, Proof};
use super::sampler;

/// The first thing in a proof that does not check out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Mismatch(pub String);

/// Checks a proof; `Ok` when everything re-runs to the stated result.
pub fn verify(proof: &Proof) -> Result<(), Mismatch> {
    shape::names(proof)?;
    shape::order(proof)?;
    shape::strata(proof)?;
    shape::exclusions(proof)?;
    let inputs = Inputs::from(proof);
    hashes(&hashing::hashes_of(&inputs, &proof.algorithm), &proof.hashes)?;
    let seed = secret(proof)?;
    result(proof, &inputs, &seed)
}

fn differ(what: &str, field: &str, computed: &str, stated: &str) -> Mismatch {
    Mismatch(format!("{what}不符（{field}）：重算为 {computed}，证明中为 {stated}"))
}

/// §6.3.
fn hashes(computed: &Hashes, stated: &Hashes) -> Result<(), Mismatch> {
    let pairs = [
        ("企业名录哈希", "hashes.enterprises", &computed.enterprises, &stated.enterprises),
        ("执法人员名录哈希", "hashes.inspectors", &computed.inspectors, &stated.inspectors),
        ("回避与未入库名单哈希", "hashes.exclusions", &computed.exclusions, &stated.exclusions),
        ("抽取参数哈希", "hashes.parameters", &computed.parameters, &stated.parameters),
        ("名录总哈希", "hashes.pool", &computed.pool, &stated.pool),
    ];
    for (what, field, c, s) in pairs {
        if c != s {
            return Err(differ(what, field, c, s));
        }
    }
    if let Some(c) = &computed.inspector_ids {
        match &stated.inspector_ids {
            Some(s) if s == c => {}
            Some(s) => return Err(differ("执法人员用户编号哈希", "hashes.inspector_ids", c, s)),
            None => {
                return Err(Mismatch("执法人员带有用户编号，但缺少其哈希（hashes.inspector_ids）".into()));
            }
        }
    }
    Ok(())
}

/// §6.4: the secret against the commitment, then the seed; the seed's bytes.
fn secret(p: &Proof) -> Result<[u8; 32], Mismatch> {
    let Some(secret) = &p.secret else {
        return Err(Mismatch(
            "抽取尚未执行，证明中没有密钥（secret）：名录与哈希已核对无误，但无法重算抽取结果".into(),
        ));
    };
    let commitment = hashing::commitment(secret);
    if commitment != p.commitment {
        return Err(Mismatch(format!(
            "密钥与承诺不符（secret / commitment）：按 secret 重算的承诺为 {commitment}，证明中为 {}",
            p.commitment
        )));
    }
    let seed = hashing::seed(&p.hashes.pool, secret, p.public_entropy.as_deref());
    let computed = hex::encode(seed);
    match &p.seed {
        None => Err(Mismatch("证明中没有种子（seed）".into())),
        Some(s) if *s == computed => Ok(seed),
        Some(s) => Err(Mismatch(format!(
            "种子不符（seed / public_entropy）：按 hashes.pool、secret 与 public_entropy 重算为 {computed}，证明中为 {s}"
        ))),
    }
}

/// §6.5: the re-run gives the stated tasks.
fn result(p: &Proof, inputs: &Inputs, seed: &[u8; 32]) -> Result<(), Mismatch> {
    let Some(outcome) = &p.result else {
        return Err(Mismatch("证明中没有抽取结果（result）".into()));
    };
    let drawn = sampler::run_of(inputs, seed);
    if drawn.len() != outcome.tasks.len() {
        return Err(Mismatch(format!(
            "抽取任务数不符（result.tasks）：重算为 {} 个，证明中为 {} 个",
            drawn.len(),
            outcome.tasks.len()
        )));
    }
    let full = p.inspectors.first().is_some_and(|i| i.user_id.is_some());
    for (t, (d, task)) in drawn.iter().zip(&outcome.tasks).enumerate() {
        let n = t + 1;
        let e = &p.enterprises[d.enterprise];
        if e.id != task.enterprise_id {
            return Err(Mismatch(format!(
                "第 {n} 个任务的企业不符（result.tasks[{t}].enterprise_id）：重算为 {}，证明中为 {}",
                e.id, task.enterprise_id
            )));
        }
        if e.credit_code != task.credit_code {
            return Err(Mismatch(format!(
                "第 {n} 个任务的统一社会信用代码不符（result.tasks[{t}].credit_code）：重算为 {}，证明中为 {}",
                e.credit_code, task.credit_code
            )));
        }
        let certs: Vec<&str> = d.team.iter().map(|&i| p.inspectors[i].certificate_no.as_str()).collect();
        if certs != task.certificate_nos {
            return Err(Mismatch(format!(
                "第 {n} 个任务的检查组执法证号不符（result.tasks[{t}].certificate_nos）：重算为 [{}]，证明中为 [{}]",
                certs.join(", "),
                task.certificate_nos.join(", ")
            )));
        }
        if full {
            let ids: Vec<i64> = d.team.iter().filter_map(|&i| p.inspectors[i].user_id).collect();
            if task.inspectors.as_ref() != Some(&ids) {
                return Err(Mismatch(format!(
                    "第 {n} 个任务的检查组人员不符（result.tasks[{t}].inspectors）：重算为 {ids:?}，证明中为 {}",
                    task.inspectors.as_ref().map_or_else(|| "空".into(), |v| format!("{v:?}"))
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
