//! Forming the teams (`SAMPLER.md` §5): for each drawn enterprise, inspectors picked at
//! random among the least-loaded eligible ones, honouring exclusions (回避) and the
//! specialty rule; a task nobody is left for is unstaffed and gives its loads back.
//!
//! Decisions: exclusions are resolved once to inspector indices per enterprise id and
//! blocked while a task is staffed. The unblocked inspectors of each load are kept in a
//! Fenwick tree, so a pick is O(log n) (a million-enterprise draw of 10,000 tasks
//! staffed from 5,000 inspectors would otherwise make 10⁸ steps). The specialist's pick
//! filters by specialty, so it stays a pass over the pool; the specialty match per
//! sector is computed once per sector. `tests.rs` checks the trees against the plain
//! passes of §5 on random pools.

use super::chacha::Stream;
use super::inputs::Inputs;
use super::sampler::Drawn;
use std::collections::HashMap;

/// The inspectors each enterprise (by id) excludes, by inspector index: built from the
/// exclusions alone, so its cost does not grow with the pool. Exclusions naming no pool
/// inspector are ignored (the verifier refuses them before).
fn excluded<'a>(frozen: &Inputs<'a>) -> HashMap<i64, Vec<usize>> {
    let by_cert: HashMap<&'a str, usize> =
        frozen.inspectors.iter().enumerate().map(|(i, x)| (x.certificate_no.as_str(), i)).collect();
    let mut out: HashMap<i64, Vec<usize>> = HashMap::new();
    for x in frozen.exclusions {
        if let Some(&i) = by_cert.get(x.certificate_no.as_str()) {
            out.entry(x.enterprise_id).or_default().push(i);
        }
    }
    out
}

/// Counts over pool positions with prefix sums and order statistics in O(log n).
#[derive(Clone)]
struct Fenwick {
    tree: Vec<u32>,
    total: u32,
}

impl Fenwick {
    fn new(n: usize) -> Self {
        Self { tree: vec![0; n + 1], total: 0 }
    }
    fn add(&mut self, i: usize, up: bool) {
        let mut at = i + 1;
        while at < self.tree.len() {
            if up {
                self.tree[at] += 1;
            } else {
                self.tree[at] -= 1;
            }
            at += at & at.wrapping_neg();
        }
        if up { self.total += 1 } else { self.total -= 1 }
    }
    /// The position of the `r`-th member (0-based, in pool order); `r < total`.
    fn nth(&self, mut r: u32) -> usize {
        let n = self.tree.len() - 1;
        let (mut pos, mut step) = (0usize, if n == 0 { 0 } else { 1usize << (usize::BITS - 1 - n.leading_zeros()) });
        while step > 0 {
            if pos + step <= n && self.tree[pos + step] <= r {
                pos += step;
                r -= self.tree[pos];
            }
            step >>= 1;
        }
        pos
    }
}

/// Staffing state: loads, whether each inspector is blocked for the current task
/// (excluded or already in the team), and the unblocked inspectors of each load in a
/// [`Fenwick`] tree, so that "the `r`-th least-loaded one in pool order" is found in
/// O(log n) instead of a pass over the pool. The trees take (highest load + 1) × pool
/// counters: at most about team size × tasks.
struct Staff {
    load: Vec<u32>,
    blocked: Vec<bool>,
    levels: Vec<Fenwick>,
    /// How many inspectors, blocked or not, have each load.
    count_at: Vec<u32>,
    /// No inspector has a load below this.
    low: usize,
}

impl Staff {
    fn new(n: usize) -> Self {
        let mut first = Fenwick::new(n);
        for i in 0..n {
            first.add(i, true);
        }
        let count_at = vec![u32::try_from(n).unwrap_or(u32::MAX)];
        Self { load: vec![0; n], blocked: vec![false; n], levels: vec![first], count_at, low: 0 }
    }

    fn level(&mut self, i: usize) -> &mut Fenwick {
        let l = self.load[i] as usize;
        let n = self.load.len();
        if self.levels.len() <= l {
            self.levels.resize(l + 1, Fenwick::new(n));
        }
        &mut self.levels[l]
    }

    fn block(&mut self, i: usize) {
        if !self.blocked[i] {
            self.blocked[i] = true;
            self.level(i).add(i, false);
        }
    }

    fn unblock(&mut self, i: usize) {
        if self.blocked[i] {
            self.blocked[i] = false;
            self.level(i).add(i, true);
        }
    }

    /// Moves a blocked inspector's load by one (up: picked; down: given back).
    fn shift(&mut self, i: usize, up: bool) {
        let l = self.load[i] as usize;
        self.count_at[l] -= 1;
        let to = if up { l + 1 } else { l - 1 };
        if self.count_at.len() <= to {
            self.count_at.resize(to + 1, 0);
        }
        self.count_at[to] += 1;
        self.load[i] = u32::try_from(to).unwrap_or(u32::MAX);
        self.low = self.low.min(to);
        while self.count_at.get(self.low) == Some(&0) {
            self.low += 1;
        }
    }

    /// Picks among the unblocked inspectors with the least load, in pool order; `None`
    /// when there is none (no word is read then).
    fn pick(&mut self, stream: &mut Stream) -> Option<usize> {
        let l = (self.low..self.levels.len()).find(|&l| self.levels[l].total > 0)?;
        let r = stream.uniform(self.levels[l].total);
        let i = self.levels[l].nth(r);
        self.block(i);
        self.shift(i, true);
        Some(i)
    }

    /// [`Staff::pick`] among the inspectors `ok` accepts: a pass over the pool.
    fn pick_among(&mut self, ok: &[bool], stream: &mut Stream) -> Option<usize> {
        let free = |i: usize, b: bool| !b && ok[i];
        let (mut least, mut count) = (u32::MAX, 0u32);
        for (i, (&l, &b)) in self.load.iter().zip(&self.blocked).enumerate() {
            if !free(i, b) {
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
        let i = (0..self.load.len()).find(|&i| {
            let hit = free(i, self.blocked[i]) && self.load[i] == least;
            if hit && r == 0 {
                return true;
            }
            r -= u32::from(hit);
            false
        })?;
        self.block(i);
        self.shift(i, true);
        Some(i)
    }
}

/// Forms a team for each chosen enterprise, in order (§5).
pub fn form(frozen: &Inputs, chosen: &[usize], stream: &mut Stream) -> Vec<Drawn> {
    let n = frozen.inspectors.len();
    let team_size = usize::try_from(frozen.parameters.team_size).unwrap_or(usize::MAX);
    let specialist = frozen.parameters.specialty_rule == "sector_specialist";
    let excluded = excluded(frozen);
    let mut by_sector: HashMap<&str, Vec<bool>> = HashMap::new();
    let mut staff = Staff::new(n);
    let mut out = Vec::with_capacity(chosen.len());
    for &e in chosen {
        let none = Vec::new();
        let blocks = excluded.get(&frozen.enterprises[e].id).unwrap_or(&none);
        for &i in blocks {
            staff.block(i);
        }
        let mut team = Vec::new();
        let mut staffed = true;
        if specialist {
            let sector = frozen.enterprises[e].sector.as_str();
            let ok = by_sector.entry(sector).or_insert_with(|| {
                frozen.inspectors.iter().map(|i| i.specialties.iter().any(|s| s == sector)).collect()
            });
            match staff.pick_among(ok, stream) {
                Some(i) => team.push(i),
                None => staffed = false,
            }
        }
        while staffed && team.len() < team_size {
            match staff.pick(stream) {
                Some(i) => team.push(i),
                None => staffed = false,
            }
        }
        if !staffed {
            for &i in &team {
                staff.shift(i, false);
            }
        }
        for &i in blocks.iter().chain(&team) {
            staff.unblock(i);
        }
        if !staffed {
            team.clear();
        }
        out.push(Drawn { enterprise: e, team });
    }
    out
}

#[cfg(test)]
mod tests;
