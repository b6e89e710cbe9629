//! Passwords: argon2id (OWASP parameters), at least 12 characters, no composition rules.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::Rng;

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 256;

fn argon() -> Argon2<'static> {
    // 19 MiB, 2 passes, 1 lane: the OWASP minimum for argon2id.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks the length rule; the message is for the person choosing it.
pub fn check_policy(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_LEN {
        Err(format!("密码至少 {MIN_LEN} 个字符"))
    } else if n > MAX_LEN {
        Err(format!("密码最多 {MAX_LEN} 个字符"))
    } else {
        Ok(())
    }
}

pub fn hash(password: &str) -> anyhow::Result<String> {
    let bytes: [u8; 16] = rand::rng().random();
    let salt = SaltString::encode_b64(&bytes).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    argon()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
}

pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| argon().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Hashing is deliberately slow: keep it off the async workers.
pub async fn hash_blocking(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash(&password)).await?
}

pub async fn verify_blocking(password: String, stored: String) -> bool {
    tokio::task::spawn_blocking(move || verify(&password, &stored)).await.unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_policy() {
        let h = hash("correct horse battery").unwrap_or_default();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h));
        assert!(!verify("wrong horse battery", &h));
        assert!(check_policy("短密码").is_err());
        assert!(check_policy("十二个汉字的密码也可以用的").is_ok());
    }
}
