//! Passwords: argon2id (OWASP parameters), at least 12 characters not counting
//! blanks at either end, no composition rules.

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

/// Checks the length rule; the message is for the person choosing it. Blanks
/// (any Unicode white space, e.g. the full-width 　) at either end do not count
/// towards the 12 characters, so a password of blanks is refused; a password
/// that passes is kept exactly as typed, blanks included.
pub fn check_policy(password: &str) -> Result<(), String> {
    let counted = password.trim().chars().count();
    if password.chars().count() > MAX_LEN {
        Err(format!("密码最多 {MAX_LEN} 个字符"))
    } else if counted == 0 && !password.is_empty() {
        Err("密码不能只由空格等空白字符组成".to_owned())
    } else if counted < MIN_LEN {
        Err(format!("密码至少 {MIN_LEN} 个字符（首尾的空格不计）"))
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

    #[test]
    fn blanks_at_either_end_do_not_count() {
        for blank in [" ", "\t", "\u{3000}", "\n"] {
            assert!(check_policy(&blank.repeat(12)).is_err(), "{blank:?}");
            assert!(check_policy(&format!("{blank}{blank}abcdefghijk{blank}{blank}")).is_err(), "{blank:?}");
        }
        assert!(check_policy(" correct horse battery ").is_ok());
        assert!(check_policy("correct horse").is_ok(), "blanks inside count");
        assert!(check_policy(&"a".repeat(MAX_LEN + 1)).is_err());
    }
}
