//! The encoding of §2 written out byte by byte, independently of `Fields`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::cast_precision_loss)]

use super::*;
use crate::draw::proof::{Enterprise, Exclusion, IneligibleEnterprise, Inspector, Parameters, Stratum};

fn f(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&u32::try_from(b.len()).unwrap().to_be_bytes());
    out.extend_from_slice(b);
}

fn n(out: &mut Vec<u8>, k: u32) {
    out.extend_from_slice(&k.to_be_bytes());
}

fn h(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn sample() -> Frozen {
    Frozen {
        parameters: Parameters {
            team_size: 2,
            specialty_rule: "none".into(),
            weighted: false,
            strata: vec![Stratum { key: "all".into(), size: 2, count: 1 }],
        },
        enterprises: vec![
            Enterprise {
                id: 0,
                credit_code: "91420100000000001X".into(),
                stratum: "all".into(),
                sector: "fireworks".into(),
                weight: 1,
            },
            Enterprise {
                id: 120,
                credit_code: "统一代码".into(),
                stratum: "all".into(),
                sector: "non_coal_mine".into(),
                weight: 1,
            },
        ],
        inspectors: vec![Inspector {
            certificate_no: "42010020001".into(),
            user_id: Some(7),
            specialties: vec!["fireworks".into(), "industry_trade".into()],
        }],
        exclusions: vec![Exclusion { enterprise_id: 120, certificate_no: "42010020001".into() }],
        ineligible: vec![IneligibleEnterprise { id: 5, credit_code: "X".into(), reason: "closed".into() }],
    }
}

/// The four part hashes of `sample()`, encoded by hand.
fn expected_parts() -> [[u8; 32]; 4] {
    let mut ent = Vec::new();
    f(&mut ent, b"anjian-draw-v1/enterprises");
    n(&mut ent, 2);
    for (id, code, sector) in [("0", "91420100000000001X", "fireworks"), ("120", "统一代码", "non_coal_mine")] {
        for x in [id, code, "all", sector, "1"] {
            f(&mut ent, x.as_bytes());
        }
    }
    let mut ins = Vec::new();
    f(&mut ins, b"anjian-draw-v1/inspectors");
    n(&mut ins, 1);
    f(&mut ins, b"42010020001");
    n(&mut ins, 2);
    f(&mut ins, b"fireworks");
    f(&mut ins, b"industry_trade");
    let mut exc = Vec::new();
    f(&mut exc, b"anjian-draw-v1/exclusions");
    n(&mut exc, 1);
    f(&mut exc, b"120");
    f(&mut exc, b"42010020001");
    n(&mut exc, 1);
    for y in ["5", "X", "closed"] {
        f(&mut exc, y.as_bytes());
    }
    let mut par = Vec::new();
    for y in ["anjian-draw-v1/parameters", "anjian-sampler-v1", "2", "none", "false"] {
        f(&mut par, y.as_bytes());
    }
    n(&mut par, 1);
    for y in ["all", "2", "1"] {
        f(&mut par, y.as_bytes());
    }
    [h(&ent), h(&ins), h(&exc), h(&par)]
}

#[test]
fn each_hash_is_the_encoding_of_section_2() {
    let parts = expected_parts();
    let mut pool = Vec::new();
    f(&mut pool, b"anjian-draw-v1/pool");
    for part in &parts {
        f(&mut pool, part);
    }
    let mut ids = Vec::new();
    f(&mut ids, b"anjian-draw-v1/inspector-ids");
    n(&mut ids, 1);
    f(&mut ids, b"42010020001");
    f(&mut ids, b"7");

    let got = hashes(&sample(), "anjian-sampler-v1");
    assert_eq!(got.enterprises, hex::encode(parts[0]));
    assert_eq!(got.inspectors, hex::encode(parts[1]));
    assert_eq!(got.exclusions, hex::encode(parts[2]));
    assert_eq!(got.parameters, hex::encode(parts[3]));
    assert_eq!(got.pool, hex::encode(h(&pool)));
    assert_eq!(got.inspector_ids, Some(hex::encode(h(&ids))));

    let mut commit = Vec::new();
    f(&mut commit, b"anjian-draw-v1/commitment");
    f(&mut commit, "秘密 secret".as_bytes());
    assert_eq!(commitment("秘密 secret"), hex::encode(h(&commit)));

    let mut seeded = Vec::new();
    f(&mut seeded, b"anjian-draw-v1/seed");
    f(&mut seeded, &h(&pool));
    f(&mut seeded, b"abc");
    f(&mut seeded, b"");
    assert_eq!(seed(&got.pool, "abc", None), h(&seeded));
    assert_eq!(seed(&got.pool, "abc", Some("")), h(&seeded));
    assert_ne!(seed(&got.pool, "abc", Some("2026001")), h(&seeded));
}

#[test]
fn without_user_ids_there_is_no_inspector_ids_hash_and_the_rest_is_unchanged() {
    let full = sample();
    let mut public = sample();
    public.inspectors[0].user_id = None;
    let (a, b) = (hashes(&full, "anjian-sampler-v1"), hashes(&public, "anjian-sampler-v1"));
    assert!(b.inspector_ids.is_none());
    assert_eq!((a.pool, a.inspectors), (b.pool, b.inspectors));
}

#[test]
fn integers_are_plain_decimal() {
    let mut fz = sample();
    fz.enterprises[1].id = 1_234_567_890_123;
    let mut e = Vec::new();
    f(&mut e, b"anjian-draw-v1/enterprises");
    n(&mut e, 2);
    for x in ["0", "91420100000000001X", "all", "fireworks", "1", "1234567890123", "统一代码", "all", "non_coal_mine"]
    {
        f(&mut e, x.as_bytes());
    }
    f(&mut e, b"1");
    assert_eq!(hashes(&fz, "anjian-sampler-v1").enterprises, hex::encode(h(&e)));
}
