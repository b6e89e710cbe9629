//! The stored form of a draw's frozen pool (`draw_pools.body`), format
//! `anjian-pool-v1`: compact, because a million-enterprise pool is written once at
//! commitment and read once at execution, and as JSON it is 100 MB that take longer to
//! write, read and parse than the whole draw may. The proof stays the JSON document of
//! `SAMPLER.md`; this is only how the server keeps it.
//!
//! Layout: the magic `APL1`, then five sections, each a LEB128 length and its bytes:
//! 1. `parameters` as JSON;
//! 2. `ineligible`: a count, then per record the id (zigzag LEB128 delta from the
//!    previous id), the credit code and the reason (each a LEB128 length and UTF-8);
//! 3. `inspectors` as JSON (with user ids);
//! 4. `exclusions` as JSON;
//! 5. `enterprises`: a dictionary (a count, then the strings) of stratum keys and sector
//!    codes, a count, then per record the id delta, the credit code, the stratum and the
//!    sector as dictionary indices, and the weight (LEB128).
//!
//! The pages read sections 1–2 only ([`head`]). Decoding trusts no count: lists grow as
//! records are read, never by a count the body declares, and every read is bounded by
//! the body, so a damaged body is an error, not a panic or a large allocation.

use super::proof::{Enterprise, Exclusion, Frozen, IneligibleEnterprise, Inspector, Parameters};
use std::collections::HashMap;

pub const FORMAT: &str = "anjian-pool-v1";
/// Pools moved from `draws.pool` by the migration keep their JSON.
pub const LEGACY_JSON: &str = "json";
const MAGIC: &[u8; 4] = b"APL1";

/// What the pages show of a pool: its parameters, the enterprises left out, and how
/// many exclusions it has.
#[derive(Debug, Clone)]
pub struct Head {
    pub parameters: Parameters,
    pub ineligible: Vec<IneligibleEnterprise>,
    pub exclusions: usize,
}

#[derive(Debug, thiserror::Error)]
#[error("stored draw pool is damaged: {0}")]
pub struct Damaged(String);

fn damaged(what: impl Into<String>) -> Damaged {
    Damaged(what.into())
}

struct Writer(Vec<u8>);

impl Writer {
    fn uint(&mut self, mut v: u64) {
        loop {
            let b = u8::try_from(v & 0x7f).unwrap_or_default();
            v >>= 7;
            if v == 0 {
                self.0.push(b);
                return;
            }
            self.0.push(b | 0x80);
        }
    }
    fn usize(&mut self, v: usize) {
        self.uint(v as u64);
    }
    fn delta(&mut self, prev: &mut i64, id: i64) {
        let d = id.wrapping_sub(*prev);
        *prev = id;
        self.uint(((d << 1) ^ (d >> 63)).cast_unsigned());
    }
    fn text(&mut self, s: &str) {
        self.usize(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    fn section(&mut self, body: &[u8]) {
        self.usize(body.len());
        self.0.extend_from_slice(body);
    }
}

fn json<T: serde::Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}

/// Strings numbered in order of first use.
#[derive(Default)]
struct Dict<'a> {
    list: Vec<&'a str>,
    index: HashMap<&'a str, usize>,
}

impl<'a> Dict<'a> {
    fn at(&mut self, s: &'a str) -> usize {
        *self.index.entry(s).or_insert_with(|| {
            self.list.push(s);
            self.list.len() - 1
        })
    }
}

/// The body of a frozen pool.
pub fn encode(f: &Frozen) -> Vec<u8> {
    let mut out = Writer(Vec::with_capacity(64 + f.enterprises.len() * 30));
    out.0.extend_from_slice(MAGIC);
    out.section(&json(&f.parameters));
    let mut w = Writer(Vec::with_capacity(8 + f.ineligible.len() * 30));
    w.usize(f.ineligible.len());
    let mut prev = 0;
    for y in &f.ineligible {
        w.delta(&mut prev, y.id);
        w.text(&y.credit_code);
        w.text(&y.reason);
    }
    out.section(&w.0);
    out.section(&json(&f.inspectors));
    out.section(&json(&f.exclusions));
    let mut dict = Dict::default();
    let mut records = Writer(Vec::with_capacity(f.enterprises.len() * 26));
    let mut prev = 0;
    for e in &f.enterprises {
        records.delta(&mut prev, e.id);
        records.text(&e.credit_code);
        records.usize(dict.at(&e.stratum));
        records.usize(dict.at(&e.sector));
        records.uint(u64::from(e.weight));
    }
    let mut w = Writer(Vec::with_capacity(64 + records.0.len()));
    w.usize(dict.list.len());
    for s in &dict.list {
        w.text(s);
    }
    w.usize(f.enterprises.len());
    w.0.extend_from_slice(&records.0);
    out.section(&w.0);
    out.0
}

struct Reader<'a> {
    buf: &'a [u8],
    what: &'static str,
}

impl<'a> Reader<'a> {
    fn uint(&mut self) -> Result<u64, Damaged> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = self.buf.split_first().ok_or_else(|| damaged(format!("{} ends early", self.what)))?;
            self.buf = rest;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(damaged(format!("{}: number too long", self.what)))
    }
    fn usize(&mut self) -> Result<usize, Damaged> {
        usize::try_from(self.uint()?).map_err(|_| damaged(format!("{}: number too large", self.what)))
    }
    fn delta(&mut self, prev: &mut i64) -> Result<i64, Damaged> {
        let z = self.uint()?;
        let d = (z >> 1).cast_signed() ^ -((z & 1).cast_signed());
        *prev = prev.wrapping_add(d);
        Ok(*prev)
    }
    fn bytes(&mut self) -> Result<&'a [u8], Damaged> {
        let n = self.usize()?;
        if n > self.buf.len() {
            return Err(damaged(format!("{} ends early", self.what)));
        }
        let (b, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(b)
    }
    fn text(&mut self) -> Result<&'a str, Damaged> {
        let b = self.bytes()?;
        std::str::from_utf8(b).map_err(|_| damaged(format!("{}: text is not UTF-8", self.what)))
    }
    /// A list's declared count, bounded by what the rest of the body can hold.
    fn count(&mut self, min_record: usize) -> Result<usize, Damaged> {
        let n = self.usize()?;
        if n > self.buf.len() / min_record {
            return Err(damaged(format!("{}: more records than bytes", self.what)));
        }
        Ok(n)
    }
}

fn from_json<T: serde::de::DeserializeOwned>(b: &[u8], what: &str) -> Result<T, Damaged> {
    serde_json::from_slice(b).map_err(|e| damaged(format!("{what}: {e}")))
}

/// The five sections of a body.
fn sections(body: &[u8]) -> Result<[&[u8]; 5], Damaged> {
    let rest = body.strip_prefix(MAGIC).ok_or_else(|| damaged("not an anjian-pool-v1 body"))?;
    let mut r = Reader { buf: rest, what: "sections" };
    let mut out = [&[][..]; 5];
    for s in &mut out {
        *s = r.bytes()?;
    }
    Ok(out)
}

fn ineligible(b: &[u8]) -> Result<Vec<IneligibleEnterprise>, Damaged> {
    let mut r = Reader { buf: b, what: "ineligible" };
    let n = r.count(3)?;
    let mut out = Vec::with_capacity(n);
    let mut prev = 0;
    for _ in 0..n {
        let id = r.delta(&mut prev)?;
        out.push(IneligibleEnterprise { id, credit_code: r.text()?.to_owned(), reason: r.text()?.to_owned() });
    }
    Ok(out)
}

fn enterprises(b: &[u8]) -> Result<Vec<Enterprise>, Damaged> {
    let mut r = Reader { buf: b, what: "enterprises" };
    let words = r.count(1)?;
    let dict = (0..words).map(|_| r.text()).collect::<Result<Vec<_>, _>>()?;
    let word = |i: usize| dict.get(i).map(|s| (*s).to_owned()).ok_or_else(|| damaged("enterprises: unknown code"));
    let n = r.count(5)?;
    let mut out = Vec::with_capacity(n);
    let mut prev = 0;
    for _ in 0..n {
        let id = r.delta(&mut prev)?;
        let credit_code = r.text()?.to_owned();
        let stratum = word(r.usize()?)?;
        let sector = word(r.usize()?)?;
        let weight = u32::try_from(r.uint()?).map_err(|_| damaged("enterprises: weight too large"))?;
        out.push(Enterprise { id, credit_code, stratum, sector, weight });
    }
    Ok(out)
}

/// The frozen pool of a stored body in `format`.
pub fn decode(format: &str, body: &[u8]) -> Result<Frozen, Damaged> {
    match format {
        FORMAT => {
            let [parameters, left_out, inspectors, exclusions, pool] = sections(body)?;
            Ok(Frozen {
                parameters: from_json(parameters, "parameters")?,
                ineligible: ineligible(left_out)?,
                inspectors: from_json::<Vec<Inspector>>(inspectors, "inspectors")?,
                exclusions: from_json::<Vec<Exclusion>>(exclusions, "exclusions")?,
                enterprises: enterprises(pool)?,
            })
        }
        LEGACY_JSON => from_json(body, "pool"),
        other => Err(damaged(format!("unknown format {other}"))),
    }
}

/// The parameters and the ineligible list of a stored body, the rest skipped.
pub fn head(format: &str, body: &[u8]) -> Result<Head, Damaged> {
    match format {
        FORMAT => {
            let [p, y, _, x, _] = sections(body)?;
            let exclusions = from_json::<Vec<serde::de::IgnoredAny>>(x, "exclusions")?.len();
            Ok(Head { parameters: from_json(p, "parameters")?, ineligible: ineligible(y)?, exclusions })
        }
        LEGACY_JSON => {
            #[derive(serde::Deserialize)]
            struct Json {
                parameters: Parameters,
                ineligible: Vec<IneligibleEnterprise>,
                exclusions: Vec<serde::de::IgnoredAny>,
            }
            let j: Json = from_json(body, "pool")?;
            Ok(Head { parameters: j.parameters, ineligible: j.ineligible, exclusions: j.exclusions.len() })
        }
        other => Err(damaged(format!("unknown format {other}"))),
    }
}

#[cfg(test)]
mod tests;
