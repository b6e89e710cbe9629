//! Statistical checks of the selection (§4), deterministic: the draws use fixed seeds
//! (the hash of the draw's number), so these tests pass or fail the same way every run.
//!
//! Thresholds: each chi-square statistic is compared with its 0.999 quantile (α = 0.001,
//! Wilson–Hilferty approximation), so a correct sampler fails a given seed set with
//! probability 0.1 %; the seeds are fixed, so it either passes always or never.
//! Counts of a sample without replacement have variance `D·p·(1−p)` (not `D·p`), and the
//! statistic uses that variance so its distribution is chi-square with `n − 1` degrees.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::cast_precision_loss)]

use super::*;
use sha2::{Digest, Sha256};

/// The 0.999 quantile of chi-square with `df` degrees (Wilson–Hilferty).
fn critical(df: f64) -> f64 {
    let z = 3.090_232;
    let a = 2.0 / (9.0 * df);
    df * (1.0 - a + z * a.sqrt()).powi(3)
}

fn stream(draw: u32) -> Stream {
    Stream::new(&Sha256::digest(format!("stats-{draw}")).into())
}

const N: usize = 50;
const K: usize = 10;
const DRAWS: u32 = 2000;

/// How often each member and each neighbour pair (i, i+1) was drawn by `sampler`.
fn tally(sampler: impl Fn(&mut Stream) -> Vec<usize>) -> ([f64; N], [f64; N - 1]) {
    let (mut single, mut pairs) = ([0.0; N], [0.0; N - 1]);
    for d in 0..DRAWS {
        let mut chosen = [false; N];
        for i in sampler(&mut stream(d)) {
            chosen[i] = true;
            single[i] += 1.0;
        }
        for i in 0..N - 1 {
            if chosen[i] && chosen[i + 1] {
                pairs[i] += 1.0;
            }
        }
    }
    (single, pairs)
}

/// Chi-square of counts against probability `p` per draw, with the binomial variance.
fn chi_square(counts: &[f64], p: f64) -> f64 {
    let d = f64::from(DRAWS);
    counts.iter().map(|c| (c - d * p).powi(2) / (d * p * (1.0 - p))).sum()
}

/// Every (N/K)-th member from a random start: uniform margins, neighbours never together.
fn systematic(s: &mut Stream) -> Vec<usize> {
    let step = N / K;
    let start = s.uniform(u32::try_from(step).unwrap()) as usize;
    (0..K).map(|i| start + i * step).collect()
}

#[test]
fn selection_is_uniform_within_a_stratum() {
    let (single, _) = tally(|s| uniform(N, K, s));
    let p = K as f64 / N as f64;
    let x = chi_square(&single, p);
    assert!(x < critical((N - 1) as f64), "chi-square {x} ≥ {}", critical((N - 1) as f64));
    // The same test rejects a sampler that prefers the first half.
    let (biased, _) = tally(|s| {
        let mut out = uniform(N / 2, K / 2 + 1, s);
        out.extend(uniform(N / 2, K / 2 - 1, s).into_iter().map(|i| i + N / 2));
        out
    });
    assert!(chi_square(&biased, p) > critical((N - 1) as f64));
}

/// Neighbours in canonical order are drawn together about `k(k−1)/(n(n−1))` of the time,
/// as simple random sampling gives; systematic sampling fails this.
#[test]
fn neighbours_are_co_selected_as_simple_random_sampling_gives() {
    let q = (K * (K - 1)) as f64 / (N * (N - 1)) as f64;
    let expected = f64::from(DRAWS) * q * (N - 1) as f64;
    let fair = |pairs: &[f64]| {
        let total: f64 = pairs.iter().sum();
        (total - expected).abs() < 0.1 * expected && chi_square(pairs, q) < critical((N - 2) as f64)
    };
    let (_, pairs) = tally(|s| uniform(N, K, s));
    assert!(fair(&pairs), "neighbour pairs {} against {expected}", pairs.iter().sum::<f64>());
    let (single, pairs) = tally(systematic);
    assert!(chi_square(&single, K as f64 / N as f64) < 2.0 * critical((N - 1) as f64), "margins look fine");
    assert!(!fair(&pairs), "systematic sampling must fail the neighbour test");
}

#[test]
fn weighted_selection_is_proportional_to_weight() {
    let weights: Vec<u64> = (1..=20).collect();
    let total: u64 = weights.iter().sum();
    let mut counts = vec![0.0; weights.len()];
    for d in 0..DRAWS * 10 {
        counts[weighted(&weights, 1, &mut stream(d))[0]] += 1.0;
    }
    let d = f64::from(DRAWS * 10);
    let x: f64 = counts
        .iter()
        .zip(&weights)
        .map(|(c, &w)| {
            let e = d * w as f64 / total as f64;
            (c - e).powi(2) / e
        })
        .sum();
    assert!(x < critical(19.0), "chi-square {x}");
    // Several per draw: a heavier member is drawn more often than a lighter one.
    let mut many = vec![0u32; weights.len()];
    for d in 0..DRAWS {
        for i in weighted(&weights, 5, &mut stream(d)) {
            many[i] += 1;
        }
    }
    assert!(many[19] > 2 * many[1] && many[9] > many[1], "{many:?}");
}

#[test]
fn weights_are_used_only_when_the_draw_asks() {
    let spec = crate::draw::synthetic::Spec { enterprises: 200, sample: 20, weighted: true, ..Default::default() };
    let mut fz = crate::draw::synthetic::frozen(&spec);
    let with = run(&fz, &[4; 32]);
    fz.parameters.weighted = false;
    let without = run(&fz, &[4; 32]);
    for e in &mut fz.enterprises {
        e.weight = 1;
    }
    assert_eq!(run(&fz, &[4; 32]), without, "unweighted selection does not read the weights");
    assert_ne!(with, without);
}
