//! The sampler's rules on small made-up pools: the dense algorithms of §4 written out,
//! exclusions, team size, the specialty rule, even loads and unstaffed tasks.

use super::*;
use crate::draw::synthetic::{self, Spec};

/// §4.1 as written: a dense array of positions.
fn dense_fisher_yates(n: usize, k: usize, stream: &mut Stream) -> Vec<usize> {
    let mut a: Vec<usize> = (0..n).collect();
    for t in 0..k {
        let j = t + stream.uniform(u32::try_from(n - t).unwrap()) as usize;
        a.swap(t, j);
    }
    a.truncate(k);
    a
}

/// §4.2 as written: the walk over the members not yet drawn.
fn walk(weights: &[u64], k: usize, stream: &mut Stream) -> Vec<usize> {
    let mut drawn = vec![false; weights.len()];
    let mut out = Vec::new();
    for _ in 0..k {
        let total: u64 = weights.iter().zip(&drawn).filter(|(_, d)| !**d).map(|(w, _)| w).sum();
        let r = u64::from(stream.uniform(u32::try_from(total).unwrap()));
        let mut sum = 0;
        for (i, w) in weights.iter().enumerate() {
            if drawn[i] {
                continue;
            }
            sum += w;
            if sum > r {
                drawn[i] = true;
                out.push(i);
                break;
            }
        }
    }
    out
}

#[test]
fn sparse_fisher_yates_is_the_dense_one() {
    for (n, k) in [(1, 1), (2, 1), (10, 10), (1000, 37), (50, 0)] {
        for s in 0..20u8 {
            let (mut a, mut b) = (Stream::new(&[s; 32]), Stream::new(&[s; 32]));
            assert_eq!(uniform(n, k, &mut a), dense_fisher_yates(n, k, &mut b));
            assert_eq!(a.next_word(), b.next_word(), "the same words were read");
        }
    }
}

#[test]
fn the_fenwick_tree_gives_the_walk() {
    let mut g = Stream::new(&[99; 32]);
    for s in 0..40u8 {
        let n = 1 + g.uniform(300) as usize;
        let weights: Vec<u64> = (0..n).map(|_| 1 + u64::from(g.uniform(1000))).collect();
        let k = g.uniform(u32::try_from(n).unwrap() + 1) as usize;
        let (mut a, mut b) = (Stream::new(&[s; 32]), Stream::new(&[s; 32]));
        assert_eq!(weighted(&weights, k, &mut a), walk(&weights, k, &mut b), "n={n} k={k}");
    }
}

#[test]
fn strata_are_drawn_in_order_with_their_counts() {
    let fz = synthetic::frozen(&Spec { enterprises: 300, strata: 3, sample: 31, ..Spec::default() });
    let drawn = run(&fz, &[1; 32]);
    assert_eq!(drawn.len(), 31);
    let mut at = 0;
    for s in &fz.parameters.strata {
        let part = &drawn[at..at + s.count as usize];
        assert!(part.iter().all(|d| fz.enterprises[d.enterprise].stratum == s.key));
        at += s.count as usize;
    }
    let mut ids: Vec<usize> = drawn.iter().map(|d| d.enterprise).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 31, "without replacement");
}

fn loads(fz: &Frozen, drawn: &[Drawn]) -> Vec<u32> {
    let mut l = vec![0; fz.inspectors.len()];
    for d in drawn {
        for &i in &d.team {
            l[i] += 1;
        }
    }
    l
}

#[test]
fn teams_have_their_size_honour_exclusions_and_spread_the_load() {
    for (conflicts, seed) in [(0, 3u8), (40, 4), (200, 5)] {
        let spec = Spec { enterprises: 500, inspectors: 23, conflicts, sample: 120, team_size: 3, ..Spec::default() };
        let fz = synthetic::frozen(&spec);
        let drawn = run(&fz, &[seed; 32]);
        assert_eq!(drawn.len(), 120);
        for d in &drawn {
            assert_eq!(d.team.len(), 3);
            let mut t = d.team.clone();
            t.sort_unstable();
            t.dedup();
            assert_eq!(t.len(), 3, "no one twice in a team");
            let e = fz.enterprises[d.enterprise].id;
            for &i in &d.team {
                let cert = &fz.inspectors[i].certificate_no;
                assert!(!fz.exclusions.iter().any(|x| x.enterprise_id == e && &x.certificate_no == cert));
            }
        }
        let l = loads(&fz, &drawn);
        let spread = l.iter().max().unwrap() - l.iter().min().unwrap();
        assert!(spread <= 1, "conflicts {conflicts}: loads {l:?}");
    }
}

#[test]
fn the_specialty_rule_puts_a_specialist_first() {
    let spec = Spec { enterprises: 400, inspectors: 12, sample: 80, sector_specialist: true, ..Spec::default() };
    let fz = synthetic::frozen(&spec);
    for d in run(&fz, &[8; 32]) {
        let sector = &fz.enterprises[d.enterprise].sector;
        assert!(fz.inspectors[d.team[0]].specialties.contains(sector), "{sector}");
        assert_eq!(d.team.len(), 2);
    }
}

#[test]
fn a_task_nobody_is_left_for_is_unstaffed_and_gives_its_loads_back() {
    let mut fz =
        synthetic::frozen(&Spec { enterprises: 10, inspectors: 3, conflicts: 0, sample: 10, ..Spec::default() });
    // Enterprise 4 excludes two of the three inspectors: a team of two cannot be formed.
    for c in ["42010000001", "42010000002"] {
        fz.exclusions.push(crate::draw::proof::Exclusion { enterprise_id: 4, certificate_no: c.into() });
    }
    let drawn = run(&fz, &[2; 32]);
    for d in &drawn {
        let id = fz.enterprises[d.enterprise].id;
        assert_eq!(d.team.is_empty(), id == 4, "enterprise {id}");
    }
    // 9 staffed teams of two over three inspectors: 18 picks, 6 each.
    assert_eq!(loads(&fz, &drawn), vec![6, 6, 6]);
    // No one left at all: every task unstaffed.
    fz.inspectors.clear();
    assert!(run(&fz, &[2; 32]).iter().all(|d| d.team.is_empty()));
    // The specialty rule with no specialist for the sector.
    let mut fz = synthetic::frozen(&Spec { enterprises: 8, inspectors: 4, sample: 8, ..Spec::default() });
    fz.parameters.specialty_rule = "sector_specialist".into();
    for i in &mut fz.inspectors {
        i.specialties = vec!["fireworks".into()];
    }
    for d in run(&fz, &[5; 32]) {
        assert_eq!(d.team.is_empty(), fz.enterprises[d.enterprise].sector != "fireworks");
    }
}

#[test]
fn the_same_seed_draws_the_same_and_another_differs() {
    let fz = synthetic::frozen(&Spec { enterprises: 1000, inspectors: 20, sample: 50, ..Spec::default() });
    assert_eq!(run(&fz, &[1; 32]), run(&fz, &[1; 32]));
    assert_ne!(run(&fz, &[1; 32]), run(&fz, &[2; 32]));
}
