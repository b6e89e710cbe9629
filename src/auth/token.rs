//! Random secrets (session tokens, CSRF tokens, activation codes) and their stored digests.

use rand::Rng;
use sha2::{Digest, Sha256};

/// 32 random bytes, hex: for tokens that only machines handle.
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    hex::encode(bytes)
}

/// A code a person types from a letter: 12 characters from an alphabet without
/// look-alikes (no 0/O, 1/I/L), grouped as XXXX-XXXX-XXXX.
pub fn new_activation_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut rng = rand::rng();
    let chars: Vec<char> = (0..12).map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())])).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// Normalises what a person typed: upper-case, no spaces or dashes.
pub fn normalise_code(code: &str) -> String {
    code.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}
