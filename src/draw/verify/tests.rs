//! Verify accepts an untouched proof and names the first thing changed in a tampered one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::cast_precision_loss)]

use super::*;
use crate::draw::synthetic::{self, Spec};

fn spec() -> Spec {
    Spec { enterprises: 400, inspectors: 12, conflicts: 30, sample: 25, strata: 2, ..Spec::default() }
}

fn proof() -> Proof {
    synthetic::proof(&spec())
}

/// The message of verifying `p` after `change`; panics when it still verifies.
fn after(change: impl FnOnce(&mut Proof)) -> String {
    let mut p = proof();
    change(&mut p);
    match verify(&p) {
        Ok(()) => panic!("a tampered proof verified"),
        Err(Mismatch(m)) => m,
    }
}

fn expect(field: &str, change: impl FnOnce(&mut Proof)) {
    let m = after(change);
    assert!(m.contains(field), "expected {field} in: {m}");
    assert!(!m.chars().any(|c| c.is_ascii_alphabetic()) || m.contains('（'), "{m}");
}

#[test]
fn untouched_proofs_verify() {
    for s in [
        spec(),
        Spec { public: true, ..spec() },
        Spec { weighted: true, sector_specialist: true, team_size: 3, ..spec() },
        Spec { entropy: Some("2026123".into()), strata: 1, ..spec() },
        Spec { inspectors: 1, conflicts: 0, ..spec() },
    ] {
        let p = synthetic::proof(&s);
        assert_eq!(verify(&p), Ok(()), "{s:?}");
        let text = serde_json::to_string(&p).unwrap();
        assert_eq!(verify(&serde_json::from_str(&text).unwrap()), Ok(()), "after a JSON round trip");
    }
}

#[test]
fn pool_changes_are_named() {
    expect("enterprises[3].id", |p| p.enterprises[3].id = 1);
    expect("hashes.enterprises", |p| p.enterprises[3].credit_code.push('1'));
    expect("hashes.enterprises", |p| p.enterprises[3].sector = "fireworks_x".into());
    expect("enterprises[3].stratum", |p| p.enterprises[3].stratum = "other".into());
    expect("parameters.strata[0].size", |p| p.enterprises[2].stratum = p.enterprises[1].stratum.clone());
    expect("enterprises[3].weight", |p| p.enterprises[3].weight = 2);
    let last = |p: &Proof| p.inspectors.len() - 1;
    expect("hashes.inspectors", |p| {
        let free = (0..p.inspectors.len())
            .find(|&i| !p.exclusions.iter().any(|x| x.certificate_no == p.inspectors[i].certificate_no))
            .expect("an inspector without exclusions");
        p.inspectors.remove(free);
    });
    expect("hashes.inspectors", |p| {
        let l = last(p);
        p.inspectors[l].specialties = vec!["non_coal_mine".into()];
    });
    expect("inspectors[1].certificate_no", |p| p.inspectors[1].certificate_no = "0".into());
    expect("hashes.inspector_ids", |p| p.inspectors[4].user_id = Some(1));
    expect("inspectors[4].user_id", |p| p.inspectors[4].user_id = None);
    expect("hashes.exclusions", |p| {
        p.exclusions.remove(5);
    });
    expect("exclusions[5].certificate_no", |p| p.exclusions[5].certificate_no = "9".into());
    expect("exclusions[0].enterprise_id", |p| p.exclusions[0].enterprise_id = 0);
    expect("hashes.exclusions", |p| p.ineligible[0].reason = "over_cap".into());
    expect("hashes.exclusions", |p| p.ineligible[1].credit_code.push('0'));
}

#[test]
fn parameter_and_hash_changes_are_named() {
    expect("hashes.parameters", |p| p.parameters.team_size = 3);
    expect("hashes.parameters", |p| p.parameters.specialty_rule = "sector_specialist".into());
    expect("hashes.parameters", |p| p.parameters.weighted = true);
    expect("hashes.parameters", |p| p.parameters.strata[1].count -= 1);
    expect("parameters.strata[1].count", |p| p.parameters.strata[1].count = 1000);
    expect("enterprises[1].stratum", |p| p.parameters.strata[0].key = "a".into());
    expect("algorithm", |p| p.algorithm = "anjian-sampler-v2".into());
    expect("format_version", |p| p.format_version = 2);
    expect("hash", |p| p.hash = "sm3".into());
    expect("hashes.pool", |p| p.hashes.pool = "00".repeat(32));
    expect("hashes.enterprises", |p| p.hashes.enterprises = p.hashes.enterprises.to_uppercase());
}

#[test]
fn secret_entropy_and_seed_changes_are_named() {
    expect("secret / commitment", |p| p.secret = Some("synthetic-secreT".into()));
    expect("secret / commitment", |p| p.commitment = crate::draw::hashing::commitment("x"));
    expect("seed / public_entropy", |p| p.public_entropy = Some("1".into()));
    expect("seed", |p| p.seed = Some("ab".repeat(32)));
    expect("secret", |p| {
        p.secret = None;
        p.seed = None;
        p.result = None;
    });
    expect("result", |p| p.result = None);
}

#[test]
fn result_changes_are_named() {
    expect("result.tasks[3].enterprise_id", |p| p.result.as_mut().unwrap().tasks[3].enterprise_id += 1);
    expect("result.tasks[0].credit_code", |p| p.result.as_mut().unwrap().tasks[0].credit_code.push('0'));
    expect("result.tasks[7].certificate_nos", |p| p.result.as_mut().unwrap().tasks[7].certificate_nos.reverse());
    expect("result.tasks[7].inspectors", |p| p.result.as_mut().unwrap().tasks[7].inspectors.as_mut().unwrap()[0] += 1);
    expect("result.tasks[2].inspectors", |p| p.result.as_mut().unwrap().tasks[2].inspectors = None);
    expect("result.tasks", |p| {
        p.result.as_mut().unwrap().tasks.pop();
    });
    expect("result.tasks[4].enterprise_id", |p| p.result.as_mut().unwrap().tasks.swap(4, 5));
}

/// Every leaf of the JSON outside `draw` (not hashed, for readers) and `public` (a label):
/// changed, the proof no longer verifies (or no longer parses as a proof).
#[test]
fn any_changed_value_fails() {
    fn leaves(v: &serde_json::Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    path.push(k.clone());
                    leaves(x, path, out);
                    path.pop();
                }
            }
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    path.push(i.to_string());
                    leaves(x, path, out);
                    path.pop();
                }
            }
            _ => out.push(path.clone()),
        }
    }
    let p = synthetic::proof(&Spec { enterprises: 40, inspectors: 5, conflicts: 6, sample: 6, ..Spec::default() });
    let json = serde_json::to_value(&p).unwrap();
    let mut all = Vec::new();
    leaves(&json, &mut Vec::new(), &mut all);
    let mut checked = 0;
    for path in all.iter().filter(|p| p[0] != "draw" && p[0] != "public") {
        let mut v = json.clone();
        let leaf = path.iter().fold(&mut v, |v, k| match v {
            serde_json::Value::Array(a) => &mut a[k.parse::<usize>().unwrap()],
            _ => &mut v[k.as_str()],
        });
        *leaf = match leaf.take() {
            serde_json::Value::String(s) => serde_json::Value::String(format!("{s}0")),
            serde_json::Value::Number(n) => (n.as_i64().unwrap() + 1).into(),
            serde_json::Value::Bool(b) => (!b).into(),
            _ => "0".into(),
        };
        if let Ok(tampered) = serde_json::from_value::<Proof>(v) {
            assert!(verify(&tampered).is_err(), "changing {path:?} went unnoticed");
        }
        checked += 1;
    }
    assert!(checked > 250, "{checked} values changed");
}
