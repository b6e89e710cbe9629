//! The memory a read may keep. Everything the reader holds on to — the shared
//! string table, every cell, every cell's text — is charged here before (or as)
//! it is allocated, at its worst-case resident size, so a file cannot make the
//! reader keep more than [`Limits::max_memory`](super::read::Limits) whatever it
//! declares or repeats.

use super::read::ReadError;

#[derive(Debug)]
pub struct Budget {
    left: usize,
    limit: usize,
}

impl Budget {
    pub fn new(limit: usize) -> Self {
        Self { left: limit, limit }
    }

    /// Takes `bytes` from the budget; `what` names what ran out, for the person
    /// who uploaded the file.
    pub fn charge(&mut self, bytes: usize, what: &str) -> Result<(), ReadError> {
        self.left = self.left.checked_sub(bytes).ok_or_else(|| {
            ReadError::TooLarge(format!(
                "{what}过多，超出读取上限（{} MiB）；请删除多余内容或拆分为多个文件",
                self.limit >> 20
            ))
        })?;
        Ok(())
    }

    /// Whether `bytes` more would still fit.
    pub fn fits(&self, bytes: usize) -> bool {
        bytes <= self.left
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn charges_until_the_limit_then_refuses() {
        let mut b = Budget::new(10 << 20);
        assert!(b.charge(6 << 20, "文字").is_ok());
        assert!(b.fits(4 << 20));
        let err = b.charge(5 << 20, "文字").unwrap_err();
        assert!(matches!(&err, ReadError::TooLarge(m) if m.starts_with("文字过多") && m.contains("10 MiB")), "{err:?}");
        assert!(b.charge(4 << 20, "文字").is_ok());
    }
}
