//! The trees against the plain passes of `SAMPLER.md` §5, on random pools.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::cast_possible_truncation)]

use super::*;
use crate::draw::proof::{Enterprise, Exclusion, Frozen, Inspector, Parameters, Stratum};

/// §5 as written: a pass over the pool per pick.
fn reference(frozen: &Inputs, chosen: &[usize], stream: &mut Stream) -> Vec<Drawn> {
    let n = frozen.inspectors.len();
    let team_size = frozen.parameters.team_size as usize;
    let specialist = frozen.parameters.specialty_rule == "sector_specialist";
    let (mut load, mut blocked) = (vec![0u32; n], vec![false; n]);
    let pick = |ok: &dyn Fn(usize) -> bool, load: &mut Vec<u32>, blocked: &mut Vec<bool>, s: &mut Stream| {
        let free: Vec<usize> = (0..n).filter(|&i| !blocked[i] && ok(i)).collect();
        let least = free.iter().map(|&i| load[i]).min()?;
        let c: Vec<usize> = free.into_iter().filter(|&i| load[i] == least).collect();
        let i = c[s.uniform(u32::try_from(c.len()).unwrap()) as usize];
        load[i] += 1;
        blocked[i] = true;
        Some(i)
    };
    let mut out = Vec::new();
    for &e in chosen {
        let ent = &frozen.enterprises[e];
        let blocks: Vec<usize> = (0..n)
            .filter(|&i| {
                frozen
                    .exclusions
                    .iter()
                    .any(|x| x.enterprise_id == ent.id && x.certificate_no == frozen.inspectors[i].certificate_no)
            })
            .collect();
        for &i in &blocks {
            blocked[i] = true;
        }
        let mut team = Vec::new();
        let mut staffed = true;
        if specialist {
            let ok = |i: usize| frozen.inspectors[i].specialties.contains(&ent.sector);
            match pick(&ok, &mut load, &mut blocked, stream) {
                Some(i) => team.push(i),
                None => staffed = false,
            }
        }
        while staffed && team.len() < team_size {
            match pick(&|_| true, &mut load, &mut blocked, stream) {
                Some(i) => team.push(i),
                None => staffed = false,
            }
        }
        for &i in blocks.iter().chain(&team) {
            blocked[i] = false;
        }
        if !staffed {
            for &i in &team {
                load[i] -= 1;
            }
            team.clear();
        }
        out.push(Drawn { enterprise: e, team });
    }
    out
}

fn pool(r: &mut Stream, specialist: bool) -> Frozen {
    let sectors = ["fireworks", "non_coal_mine"];
    let n_e = 1 + r.uniform(60) as usize;
    let n_i = 1 + r.uniform(12) as usize;
    let enterprises: Vec<Enterprise> = (0..n_e)
        .map(|i| Enterprise {
            id: i64::try_from(i).unwrap() + 1,
            credit_code: format!("C{i}"),
            stratum: "all".into(),
            sector: sectors[r.uniform(2) as usize].into(),
            weight: 1,
        })
        .collect();
    let inspectors: Vec<Inspector> = (0..n_i)
        .map(|i| Inspector {
            certificate_no: format!("Z{i:03}"),
            user_id: None,
            specialties: if r.uniform(2) == 0 { vec![sectors[r.uniform(2) as usize].into()] } else { vec![] },
        })
        .collect();
    let exclusions = (0..r.uniform(40))
        .map(|_| Exclusion {
            enterprise_id: i64::from(r.uniform(u32::try_from(n_e).unwrap())) + 1,
            certificate_no: format!("Z{:03}", r.uniform(u32::try_from(n_i).unwrap())),
        })
        .collect();
    let parameters = Parameters {
        team_size: 1 + r.uniform(4),
        specialty_rule: if specialist { "sector_specialist" } else { "none" }.into(),
        weighted: false,
        strata: vec![Stratum { key: "all".into(), size: u32::try_from(n_e).unwrap(), count: 0 }],
    };
    Frozen { parameters, enterprises, inspectors, exclusions, ineligible: vec![] }
}

#[test]
fn the_trees_pick_what_the_passes_of_section_5_pick() {
    let mut r = Stream::new(&[7; 32]);
    for round in 0..400 {
        let f = pool(&mut r, round % 3 == 0);
        let inputs = Inputs::from(&f);
        let chosen: Vec<usize> = (0..f.enterprises.len()).filter(|_| r.uniform(3) > 0).collect();
        let seed = [u8::try_from(round % 256).unwrap(); 32];
        let got = form(&inputs, &chosen, &mut Stream::new(&seed));
        let want = reference(&inputs, &chosen, &mut Stream::new(&seed));
        assert_eq!(got, want, "round {round}");
    }
}
