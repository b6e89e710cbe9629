//! Strata, sample sizes and weights of a draw: from the request and the eligible
//! enterprises to the proof's `parameters.strata` and each enterprise's stratum key
//! and weight. Pure; every problem is added to the field errors.
//!
//! Decisions where the issue is silent:
//! - A stratum key is the values of `strata.by` joined by `/` (`hazardous_chemicals/key`);
//!   an enterprise without a class has its bureau's default class (the caps file).
//! - Each stratum draws its entry of `strata.samples`, else the draw's `sample` —
//!   so `{"count": 5}` without `samples` draws five from every stratum. A count
//!   above a stratum's size is refused, naming the stratum; a ratio `r` (0 < r ≤ 1)
//!   draws `⌈r × size⌉`. A `samples` key that is no stratum of the pool is refused.
//! - Weights apply only when the draw gives `weights`; then `weighted` is true even
//!   if every weight happens to be 1. A weight is 1…1000.

use super::json::{Sample, Strata, StratumField, Weights};
use super::pools::Candidate;
use super::proof::{Enterprise, Stratum};
use crate::error::FieldErrors;
use std::collections::BTreeMap;

/// A draw without strata has this one stratum.
pub const ALL: &str = "all";

fn value(c: &Candidate, f: StratumField) -> String {
    match f {
        StratumField::Sector => c.sector.as_str().to_owned(),
        StratumField::SupervisionClass => c.class.clone().unwrap_or_else(|| "none".into()),
    }
}

fn key(c: &Candidate, strata: Option<&Strata>) -> String {
    match strata {
        Some(s) if !s.by.is_empty() => s.by.iter().map(|f| value(c, *f)).collect::<Vec<_>>().join("/"),
        _ => ALL.into(),
    }
}

fn add(fields: &mut FieldErrors, field: &str, m: String) {
    fields.entry(field.to_owned()).or_default().push(m);
}

/// How many of `size` a sample draws; `None` (and a field error) when it cannot.
fn count_of(sample: Sample, key: &str, size: usize, field: &str, fields: &mut FieldErrors) -> Option<u32> {
    let size32 = u32::try_from(size).unwrap_or(u32::MAX);
    match sample {
        Sample::Count { count } if count > size32 => {
            let m = if key == ALL {
                format!("抽取数量 {count} 超过符合条件的企业数 {size}")
            } else {
                format!("分层“{key}”抽取数量 {count} 超过该层企业数 {size}")
            };
            add(fields, field, m);
            None
        }
        Sample::Count { count } => Some(count),
        Sample::Ratio { ratio } if !(ratio > 0.0 && ratio <= 1.0) => {
            add(fields, field, format!("抽取比例应大于 0 且不超过 1（现为 {ratio}）"));
            None
        }
        Sample::Ratio { ratio } => {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
            let n = (ratio * size as f64).ceil() as u32;
            Some(n.min(size32))
        }
    }
}

fn weight_of(c: &Candidate, w: &Weights) -> u32 {
    w.values.get(&value(c, w.by)).copied().unwrap_or_else(|| w.default.unwrap_or(1))
}

fn check_weights(w: &Weights, fields: &mut FieldErrors) {
    crate::limits::check_list(fields, "weights", "权重", &w.values.keys().collect::<Vec<_>>(), 50);
    let bad = w.values.values().chain(w.default.iter()).any(|v| !(1..=1000).contains(v));
    if bad {
        add(fields, "weights", "权重应为 1–1000 之间的整数".into());
    }
}

/// The strata (sorted by key) and the pool enterprises (by id) with their keys and weights.
pub fn build(
    pool: &[Candidate],
    sample: Sample,
    strata: Option<&Strata>,
    weights: Option<&Weights>,
    fields: &mut FieldErrors,
) -> (Vec<Stratum>, Vec<Enterprise>) {
    if let Some(w) = weights {
        check_weights(w, fields);
    }
    if let Some(s) = strata {
        crate::limits::check_list(fields, "strata", "分层依据", &s.by, 2);
        crate::limits::check_list(fields, "strata", "分层抽取数量", &s.samples.keys().collect::<Vec<_>>(), 200);
    }
    let enterprises: Vec<Enterprise> = pool
        .iter()
        .map(|c| Enterprise {
            id: c.id,
            credit_code: c.credit_code.clone(),
            stratum: key(c, strata),
            sector: c.sector.as_str().to_owned(),
            weight: weights.map_or(1, |w| weight_of(c, w).clamp(1, 1000)),
        })
        .collect();
    let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &enterprises {
        *sizes.entry(e.stratum.as_str()).or_default() += 1;
    }
    let samples = strata.map(|s| &s.samples);
    for k in samples.into_iter().flat_map(BTreeMap::keys).filter(|k| !sizes.contains_key(k.as_str())) {
        add(fields, "strata", format!("分层“{k}”在符合条件的企业中不存在"));
    }
    let mut out = Vec::with_capacity(sizes.len());
    for (k, size) in &sizes {
        let (s, field) = match samples.and_then(|m| m.get(*k)) {
            Some(s) => (*s, "strata"),
            None => (sample, "sample"),
        };
        if let Some(count) = count_of(s, k, *size, field, fields) {
            let size = u32::try_from(*size).unwrap_or(u32::MAX);
            out.push(Stratum { key: (*k).to_owned(), size, count });
        }
    }
    out.sort_by(|a, b| a.key.as_bytes().cmp(b.key.as_bytes()));
    (out, enterprises)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enterprise::domain::Sector;

    fn c(id: i64, sector: Sector, class: &str) -> Candidate {
        Candidate {
            id,
            credit_code: format!("C{id}"),
            sector,
            class: Some(class.into()),
            closed: false,
            over_cap: false,
        }
    }

    #[test]
    fn ratios_round_up_and_counts_above_a_stratum_are_refused() {
        let pool =
            [c(1, Sector::Fireworks, "key"), c(2, Sector::Fireworks, "general"), c(3, Sector::NonCoalMine, "key")];
        let by = Strata { by: vec![StratumField::Sector], samples: BTreeMap::new() };
        let mut f = FieldErrors::new();
        let (s, e) = build(&pool, Sample::Ratio { ratio: 0.3 }, Some(&by), None, &mut f);
        assert!(f.is_empty(), "{f:?}");
        assert_eq!(
            s.iter().map(|s| (s.key.as_str(), s.size, s.count)).collect::<Vec<_>>(),
            [("fireworks", 2, 1), ("non_coal_mine", 1, 1)]
        );
        assert!(e.iter().all(|e| e.weight == 1));
        let (_, _) = build(&pool, Sample::Count { count: 2 }, Some(&by), None, &mut f);
        assert!(f["sample"][0].contains("non_coal_mine"), "{f:?}");
    }

    #[test]
    fn weights_only_when_given() {
        let pool = [c(1, Sector::Fireworks, "key"), c(2, Sector::Fireworks, "general")];
        let w = Weights {
            by: StratumField::SupervisionClass,
            values: BTreeMap::from([("key".to_owned(), 3)]),
            default: None,
        };
        let mut f = FieldErrors::new();
        let (s, e) = build(&pool, Sample::Count { count: 1 }, None, Some(&w), &mut f);
        assert_eq!(s[0].key, ALL);
        assert_eq!(e.iter().map(|e| e.weight).collect::<Vec<_>>(), [3, 1]);
    }
}
