//! anjian-sampler-v1 (`SAMPLER.md` §3–§5): the `ChaCha20` stream, uniform integers by
//! rejection, selection within strata and team forming.
//!
//! Decisions: the sampler trusts its input's shape (canonical order, strata sizes,
//! weights in range, exclusions naming pool members) — the verifier checks that first
//! (§6.2) and the service builds it so. Where the input is inconsistent anyway the
//! sampler never panics: a stratum's count is capped at its members, unknown strata are
//! skipped, exclusions naming no pool member are ignored. Uniform selection keeps a sparse
//! Fisher–Yates (only the swapped positions are stored), so drawing k of n costs O(k),
//! not O(n); weighted selection uses a Fenwick tree (O(log n) per pick) whose result is
//! the walk of §4.2. Teams are formed by scanning the inspectors per pick (O(inspectors)),
//! which is a few hundred milliseconds for the largest draws in release mode.

use super::chacha::Stream;
use super::proof::Frozen;
use std::collections::HashMap;

/// One drawn task: the index of the enterprise in `frozen.enterprises`, and the team
/// as indices into `frozen.inspectors` in pick order (empty: unstaffed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    pub enterprise: usize,
    pub team: Vec<usize>,
}

/// Runs the sampler on the frozen inputs with the seed.
pub fn run(frozen: &Frozen, seed: &[u8; 32]) -> Vec<Drawn> {
    let mut stream = Stream::new(seed);
    let chosen = select(frozen, &mut stream);
    super::teams::form(frozen, &chosen, &mut stream)
}

/// The drawn enterprises (indices into `frozen.enterprises`), stratum by stratum (§4).
pub fn select(frozen: &Frozen, stream: &mut Stream) -> Vec<usize> {
    let mut members: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, e) in frozen.enterprises.iter().enumerate() {
        members.entry(e.stratum.as_str()).or_default().push(i);
    }
    let mut chosen = Vec::new();
    for s in &frozen.parameters.strata {
        let Some(m) = members.get(s.key.as_str()) else { continue };
        let k = usize::try_from(s.count).unwrap_or(usize::MAX).min(m.len());
        if frozen.parameters.weighted {
            let weights: Vec<u64> = m.iter().map(|&i| u64::from(frozen.enterprises[i].weight)).collect();
            chosen.extend(weighted(&weights, k, stream).into_iter().map(|p| m[p]));
        } else {
            chosen.extend(uniform(m.len(), k, stream).into_iter().map(|p| m[p]));
        }
    }
    chosen
}

fn word(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Partial Fisher–Yates (§4.1): the positions drawn, in draw order. Only the positions
/// moved by a swap are stored.
pub fn uniform(n: usize, k: usize, stream: &mut Stream) -> Vec<usize> {
    let mut moved: HashMap<usize, usize> = HashMap::with_capacity(2 * k);
    let mut out = Vec::with_capacity(k);
    for t in 0..k.min(n) {
        let j = t + stream.uniform(word(n - t)) as usize;
        let at_j = moved.get(&j).copied().unwrap_or(j);
        let at_t = moved.get(&t).copied().unwrap_or(t);
        moved.insert(j, at_t);
        out.push(at_j);
    }
    out
}

/// Weighted selection without replacement (§4.2), with a Fenwick tree: positions drawn,
/// in draw order. Weights are ≥ 1 and sum below 2³².
pub fn weighted(weights: &[u64], k: usize, stream: &mut Stream) -> Vec<usize> {
    let n = weights.len();
    let mut tree = vec![0u64; n + 1];
    for (i, &w) in weights.iter().enumerate() {
        let mut at = i + 1;
        tree[at] += w;
        at += at & at.wrapping_neg();
        if at <= n {
            tree[at] += tree[i + 1];
        }
    }
    let mut total: u64 = weights.iter().sum();
    let top = if n == 0 { 0 } else { 1usize << (usize::BITS - 1 - n.leading_zeros()) };
    let mut out = Vec::with_capacity(k);
    for _ in 0..k.min(n) {
        if total == 0 {
            break;
        }
        let r = u64::from(stream.uniform(u32::try_from(total).unwrap_or(u32::MAX)));
        // The largest prefix whose sum is ≤ r; the member after it is the first where the
        // running sum exceeds r.
        let (mut pos, mut rest, mut step) = (0usize, r, top);
        while step > 0 {
            if pos + step <= n && tree[pos + step] <= rest {
                pos += step;
                rest -= tree[pos];
            }
            step >>= 1;
        }
        let w = weights[pos];
        total -= w;
        let mut at = pos + 1;
        while at <= n {
            tree[at] -= w;
            at += at & at.wrapping_neg();
        }
        out.push(pos);
    }
    out
}

#[cfg(test)]
mod tests;
