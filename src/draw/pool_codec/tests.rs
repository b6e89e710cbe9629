//! Stored pools come back as they were, and damaged bodies are errors.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::draw::proof::IneligibleEnterprise;
use crate::draw::synthetic::{Spec, frozen};

fn sample() -> Frozen {
    let spec = Spec { enterprises: 500, inspectors: 30, conflicts: 40, strata: 3, weighted: true, ..Spec::default() };
    let mut f = frozen(&spec);
    f.ineligible = vec![
        IneligibleEnterprise { id: 7, credit_code: "91420103MA4K000007".into(), reason: "closed".into() },
        IneligibleEnterprise { id: 9_000_000_000, credit_code: "91420103MA4K000009".into(), reason: "over_cap".into() },
    ];
    f
}

#[test]
fn a_pool_comes_back_as_it_was_stored() {
    let f = sample();
    let body = encode(&f);
    assert_eq!(decode(FORMAT, &body).unwrap(), f);
    let h = head(FORMAT, &body).unwrap();
    assert_eq!((h.parameters, h.ineligible, h.exclusions), (f.parameters.clone(), f.ineligible.clone(), 40));
    assert!(body.len() * 3 < serde_json::to_vec(&f).unwrap().len(), "the body is a third of the JSON or less");
}

#[test]
fn ids_in_any_order_and_of_any_size_survive() {
    let mut f = sample();
    f.enterprises.swap(0, 3);
    f.enterprises[1].id = i64::MIN;
    f.enterprises[2].id = i64::MAX;
    f.enterprises[3].weight = u32::MAX;
    assert_eq!(decode(FORMAT, &encode(&f)).unwrap(), f);
}

#[test]
fn a_pool_moved_from_the_old_json_column_is_read_as_json() {
    let f = sample();
    let text = serde_json::to_vec(&f).unwrap();
    assert_eq!(decode(LEGACY_JSON, &text).unwrap(), f);
    assert_eq!(head(LEGACY_JSON, &text).unwrap().ineligible, f.ineligible);
    assert!(decode("other", &text).unwrap_err().to_string().contains("unknown format"));
}

#[test]
fn every_truncation_and_every_flipped_byte_is_an_error_or_another_pool_never_a_panic() {
    let small = Spec { enterprises: 12, inspectors: 4, conflicts: 2, ..Spec::default() };
    let body = encode(&frozen(&small));
    for n in 0..body.len() {
        assert!(decode(FORMAT, &body[..n]).is_err(), "prefix of {n} bytes accepted");
    }
    for at in 0..body.len() {
        for bit in [0x01, 0x80, 0xff] {
            let mut b = body.clone();
            b[at] ^= bit;
            let _ = decode(FORMAT, &b);
            let _ = head(FORMAT, &b);
        }
    }
}

#[test]
fn a_declared_count_larger_than_the_body_is_refused_before_allocating() {
    let mut w = Writer(Vec::new());
    w.0.extend_from_slice(MAGIC);
    let parameters = json(&sample().parameters);
    for s in [&parameters[..], &[0xff, 0xff, 0xff, 0xff, 0x0f][..], b"[]", b"[]", &[0][..]] {
        w.section(s);
    }
    let err = head(FORMAT, &w.0).unwrap_err().to_string();
    assert!(err.contains("more records than bytes"), "{err}");
}
