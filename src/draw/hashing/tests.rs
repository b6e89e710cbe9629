//! The encoding of §2 written out byte by byte, independently of `Fields`.

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

#[test]
fn each_hash_is_the_encoding_of_section_2() {
    let fz = sample();
    let mut e = Vec::new();
    f(&mut e, b"anjian-draw-v1/enterprises");
    n(&mut e, 2);
    for (id, code, sector) in [("0", "91420100000000001X", "fireworks"), ("120", "统一代码", "non_coal_mine")] {
        for x in [id, code, "all", sector, "1"] {
            f(&mut e, x.as_bytes());
        }
    }
    let mut i = Vec::new();
    f(&mut i, b"anjian-draw-v1/inspectors");
    n(&mut i, 1);
    f(&mut i, b"42010020001");
    n(&mut i, 2);
    f(&mut i, b"fireworks");
    f(&mut i, b"industry_trade");
    let mut x = Vec::new();
    f(&mut x, b"anjian-draw-v1/exclusions");
    n(&mut x, 1);
    f(&mut x, b"120");
    f(&mut x, b"42010020001");
    n(&mut x, 1);
    for y in ["5", "X", "closed"] {
        f(&mut x, y.as_bytes());
    }
    let mut p = Vec::new();
    for y in ["anjian-draw-v1/parameters", "anjian-sampler-v1", "2", "none", "false"] {
        f(&mut p, y.as_bytes());
    }
    n(&mut p, 1);
    for y in ["all", "2", "1"] {
        f(&mut p, y.as_bytes());
    }
    let (he, hi, hx, hp) = (h(&e), h(&i), h(&x), h(&p));
    let mut pool = Vec::new();
    f(&mut pool, b"anjian-draw-v1/pool");
    for part in [&he, &hi, &hx, &hp] {
        f(&mut pool, part);
    }
    let mut ids = Vec::new();
    f(&mut ids, b"anjian-draw-v1/inspector-ids");
    n(&mut ids, 1);
    f(&mut ids, b"42010020001");
    f(&mut ids, b"7");

    let got = hashes(&fz, "anjian-sampler-v1");
    assert_eq!(got.enterprises, hex::encode(he));
    assert_eq!(got.inspectors, hex::encode(hi));
    assert_eq!(got.exclusions, hex::encode(hx));
    assert_eq!(got.parameters, hex::encode(hp));
    assert_eq!(got.pool, hex::encode(h(&pool)));
    assert_eq!(got.inspector_ids, Some(hex::encode(h(&ids))));

    let mut c = Vec::new();
    f(&mut c, b"anjian-draw-v1/commitment");
    f(&mut c, "秘密 secret".as_bytes());
    assert_eq!(commitment("秘密 secret"), hex::encode(h(&c)));

    let mut s = Vec::new();
    f(&mut s, b"anjian-draw-v1/seed");
    f(&mut s, &h(&pool));
    f(&mut s, b"abc");
    f(&mut s, b"");
    assert_eq!(seed(&got.pool, "abc", None), h(&s));
    assert_eq!(seed(&got.pool, "abc", Some("")), h(&s));
    assert_ne!(seed(&got.pool, "abc", Some("2026001")), h(&s));
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
