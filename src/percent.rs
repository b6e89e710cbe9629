//! Percent-encoding (RFC 3986): every byte but the unreserved ASCII letters,
//! digits and `-._~`, and `/`, becomes `%XX`. Used for query-string values (a
//! `next=/path` stays readable; a query may hold `/`) and for the
//! `filename*=UTF-8''…` of downloads (RFC 6266; names sent never hold `/`), so
//! a Chinese file name arrives intact.

use std::fmt::Write as _;

pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn chinese_spaces_and_separators_are_encoded() {
        assert_eq!(super::encode("名录 a&b=c.xlsx"), "%E5%90%8D%E5%BD%95%20a%26b%3Dc.xlsx");
        assert_eq!(super::encode("/enterprises?q=1"), "/enterprises%3Fq%3D1");
        assert_eq!(super::encode("A-z_0.9~"), "A-z_0.9~");
    }
}
