//! Forming the teams (`SAMPLER.md` §5): for each drawn enterprise, inspectors picked at
//! random among the least-loaded eligible ones, honouring exclusions (回避) and the
//! specialty rule; a task nobody is left for is unstaffed and gives its loads back.
//!
//! Decisions: exclusions are resolved once to inspector indices per enterprise index
//! (a sorted vector each), and marked in a scratch vector while a task is staffed, so a
//! pick is one pass over the inspectors to find the least load and count it, and one to
//! find the chosen one. The specialty match per sector is computed once per sector.

use super::chacha::Stream;
use super::proof::Frozen;
use super::sampler::Drawn;
use std::collections::HashMap;

/// The inspectors each enterprise (by index) excludes, by inspector index. Exclusions
/// naming no pool member are ignored (the verifier refuses them before).
fn excluded(frozen: &Frozen) -> HashMap<usize, Vec<usize>> {
    let by_id: HashMap<i64, usize> = frozen.enterprises.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    let by_cert: HashMap<&str, usize> =
        frozen.inspectors.iter().enumerate().map(|(i, x)| (x.certificate_no.as_str(), i)).collect();
    let mut out: HashMap<usize, Vec<usize>> = HashMap::new();
    for x in &frozen.exclusions {
        if let (Some(&e), Some(&i)) = (by_id.get(&x.enterprise_id), by_cert.get(x.certificate_no.as_str())) {
            out.entry(e).or_default().push(i);
        }
    }
    out
}

/// Staffing state: loads, and per inspector whether it is blocked for the current task
/// (excluded or already in the team).
struct Staff {
    load: Vec<u32>,
    blocked: Vec<bool>,
}

impl Staff {
    /// Picks among the unblocked inspectors accepted by `ok`, with the least load, in pool
    /// order; `None` when there is none (no word is read then).
    fn pick(&mut self, ok: Option<&[bool]>, stream: &mut Stream) -> Option<usize> {
        let allowed = |i: usize| ok.is_none_or(|ok| ok[i]);
        let (mut least, mut count) = (u32::MAX, 0u32);
        for (i, (&l, &b)) in self.load.iter().zip(&self.blocked).enumerate() {
            if b || !allowed(i) {
                continue;
            }
            if l < least {
                (least, count) = (l, 1);
            } else if l == least {
                count += 1;
            }
        }
        if count == 0 {
            return None;
        }
        let mut r = stream.uniform(count);
        for (i, (&l, &b)) in self.load.iter().zip(&self.blocked).enumerate() {
            if b || l != least || !allowed(i) {
                continue;
            }
            if r == 0 {
                self.load[i] += 1;
                self.blocked[i] = true;
                return Some(i);
            }
            r -= 1;
        }
        None
    }
}

/// Forms a team for each chosen enterprise, in order (§5).
pub fn form(frozen: &Frozen, chosen: &[usize], stream: &mut Stream) -> Vec<Drawn> {
    let n = frozen.inspectors.len();
    let team_size = usize::try_from(frozen.parameters.team_size).unwrap_or(usize::MAX);
    let specialist = frozen.parameters.specialty_rule == "sector_specialist";
    let excluded = excluded(frozen);
    let mut by_sector: HashMap<&str, Vec<bool>> = HashMap::new();
    let mut staff = Staff { load: vec![0; n], blocked: vec![false; n] };
    let mut out = Vec::with_capacity(chosen.len());
    for &e in chosen {
        let none = Vec::new();
        let blocks = excluded.get(&e).unwrap_or(&none);
        for &i in blocks {
            staff.blocked[i] = true;
        }
        let mut team = Vec::new();
        let mut staffed = true;
        if specialist {
            let sector = frozen.enterprises[e].sector.as_str();
            let ok = by_sector.entry(sector).or_insert_with(|| {
                frozen.inspectors.iter().map(|i| i.specialties.iter().any(|s| s == sector)).collect()
            });
            match staff.pick(Some(ok), stream) {
                Some(i) => team.push(i),
                None => staffed = false,
            }
        }
        while staffed && team.len() < team_size {
            match staff.pick(None, stream) {
                Some(i) => team.push(i),
                None => staffed = false,
            }
        }
        for &i in blocks.iter().chain(&team) {
            staff.blocked[i] = false;
        }
        if !staffed {
            for &i in &team {
                staff.load[i] -= 1;
            }
            team.clear();
        }
        out.push(Drawn { enterprise: e, team });
    }
    out
}
