//! The hashes of a draw (`SAMPLER.md` §2): the pool's parts, the pool hash, the
//! commitment to the secret and the seed.

use super::proof::{Frozen, Hashes};

/// The hashes of the frozen inputs (`inspector_ids` when the inspectors carry user ids).
pub fn hashes(_frozen: &Frozen, _algorithm: &str) -> Hashes {
    Hashes {
        enterprises: String::new(),
        inspectors: String::new(),
        exclusions: String::new(),
        parameters: String::new(),
        pool: String::new(),
        inspector_ids: None,
    }
}

/// The commitment to a secret, hex.
pub fn commitment(_secret: &str) -> String {
    String::new()
}

/// The seed from the pool hash (hex), the secret and the public entropy.
pub fn seed(_pool_hash: &str, _secret: &str, _entropy: Option<&str>) -> [u8; 32] {
    [0; 32]
}
