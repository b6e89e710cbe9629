//! The hashes of a draw (`SAMPLER.md` §2): the pool's parts, the pool hash, the
//! commitment to the secret and the seed.
//!
//! Decisions: the fields are fed to one running SHA-256 as they are encoded (no buffer
//! per record, integers written from a stack buffer), so hashing a pool of a million
//! enterprises allocates nothing per record. A list longer than 2³²−1 cannot be counted
//! in 4 bytes; such a pool is refused long before (limits on requests and proof files), so
//! the count saturates rather than panics. `inspector_ids` is computed when every
//! inspector carries a user id (the full proof), and is `None` otherwise (the public proof).

use super::proof::{Frozen, Hashes};
use sha2::{Digest, Sha256};

/// A SHA-256 fed with fields (`F`) and counts (`N`).
struct Fields(Sha256);

impl Fields {
    fn new(tag: &str) -> Self {
        let mut f = Self(Sha256::new());
        f.text(tag);
        f
    }

    fn bytes(&mut self, b: &[u8]) {
        self.count(b.len());
        self.0.update(b);
    }

    fn text(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    /// An integer as its decimal digits (a negative one keeps its `-`; verifiers refuse those).
    fn int(&mut self, v: i64) {
        let mut buf = [0u8; 20];
        let mut at = buf.len();
        let mut n = v.unsigned_abs();
        loop {
            at -= 1;
            buf[at] = b'0' + u8::try_from(n % 10).unwrap_or(0);
            n /= 10;
            if n == 0 {
                break;
            }
        }
        if v < 0 {
            self.count(buf.len() - at + 1);
            self.0.update(b"-");
            self.0.update(&buf[at..]);
        } else {
            self.bytes(&buf[at..]);
        }
    }

    fn uint(&mut self, v: u32) {
        self.int(i64::from(v));
    }

    fn count(&mut self, n: usize) {
        self.0.update(u32::try_from(n).unwrap_or(u32::MAX).to_be_bytes());
    }

    fn finish(self) -> [u8; 32] {
        self.0.finalize().into()
    }
}

/// `hashes.enterprises`, raw.
pub fn enterprises(frozen: &Frozen) -> [u8; 32] {
    let mut f = Fields::new("anjian-draw-v1/enterprises");
    f.count(frozen.enterprises.len());
    for e in &frozen.enterprises {
        f.int(e.id);
        f.text(&e.credit_code);
        f.text(&e.stratum);
        f.text(&e.sector);
        f.uint(e.weight);
    }
    f.finish()
}

/// `hashes.inspectors`, raw.
pub fn inspectors(frozen: &Frozen) -> [u8; 32] {
    let mut f = Fields::new("anjian-draw-v1/inspectors");
    f.count(frozen.inspectors.len());
    for i in &frozen.inspectors {
        f.text(&i.certificate_no);
        f.count(i.specialties.len());
        for s in &i.specialties {
            f.text(s);
        }
    }
    f.finish()
}

/// `hashes.exclusions` (the exclusions and the ineligible enterprises), raw.
pub fn exclusions(frozen: &Frozen) -> [u8; 32] {
    let mut f = Fields::new("anjian-draw-v1/exclusions");
    f.count(frozen.exclusions.len());
    for x in &frozen.exclusions {
        f.int(x.enterprise_id);
        f.text(&x.certificate_no);
    }
    f.count(frozen.ineligible.len());
    for y in &frozen.ineligible {
        f.int(y.id);
        f.text(&y.credit_code);
        f.text(&y.reason);
    }
    f.finish()
}

/// `hashes.parameters`, raw.
pub fn parameters(frozen: &Frozen, algorithm: &str) -> [u8; 32] {
    let p = &frozen.parameters;
    let mut f = Fields::new("anjian-draw-v1/parameters");
    f.text(algorithm);
    f.uint(p.team_size);
    f.text(&p.specialty_rule);
    f.text(if p.weighted { "true" } else { "false" });
    f.count(p.strata.len());
    for s in &p.strata {
        f.text(&s.key);
        f.uint(s.size);
        f.uint(s.count);
    }
    f.finish()
}

/// `hashes.pool` from the four part hashes, raw.
pub fn pool(parts: [&[u8; 32]; 4]) -> [u8; 32] {
    let mut f = Fields::new("anjian-draw-v1/pool");
    for p in parts {
        f.bytes(p);
    }
    f.finish()
}

/// `hashes.inspector_ids`, raw; `None` unless every inspector carries a user id.
pub fn inspector_ids(frozen: &Frozen) -> Option<[u8; 32]> {
    let mut f = Fields::new("anjian-draw-v1/inspector-ids");
    f.count(frozen.inspectors.len());
    for i in &frozen.inspectors {
        f.text(&i.certificate_no);
        f.int(i.user_id?);
    }
    Some(f.finish())
}

/// The hashes of the frozen inputs (`inspector_ids` when the inspectors carry user ids).
pub fn hashes(frozen: &Frozen, algorithm: &str) -> Hashes {
    let e = enterprises(frozen);
    let i = inspectors(frozen);
    let x = exclusions(frozen);
    let p = parameters(frozen, algorithm);
    Hashes {
        enterprises: hex::encode(e),
        inspectors: hex::encode(i),
        exclusions: hex::encode(x),
        parameters: hex::encode(p),
        pool: hex::encode(pool([&e, &i, &x, &p])),
        inspector_ids: inspector_ids(frozen).map(hex::encode),
    }
}

/// The commitment to a secret, hex.
pub fn commitment(secret: &str) -> String {
    let mut f = Fields::new("anjian-draw-v1/commitment");
    f.text(secret);
    hex::encode(f.finish())
}

/// The seed from the pool hash (hex), the secret and the public entropy. A pool hash that
/// is not 64 hex digits is hashed as the bytes it decodes to (none when it is not hex);
/// verifiers compare the pool hash first, so such a seed never verifies.
pub fn seed(pool_hash: &str, secret: &str, entropy: Option<&str>) -> [u8; 32] {
    let pool = hex::decode(pool_hash).unwrap_or_default();
    let mut f = Fields::new("anjian-draw-v1/seed");
    f.bytes(&pool);
    f.text(secret);
    f.text(entropy.unwrap_or(""));
    f.finish()
}

#[cfg(test)]
mod tests;
