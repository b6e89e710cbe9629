//! Metadata stripping for photos served to enterprise users (a staff
//! reporter's photo must not carry the GPS position or the camera's serial
//! number). A small byte-level rewrite of the container, not a re-encode: the
//! image data is copied unchanged, only metadata segments and chunks are left
//! out — JPEG: APP1 (Exif, XMP), APP3–APP13, APP15 and comments, keeping JFIF
//! (APP0), the ICC profile (APP2) and Adobe's colour transform (APP14);
//! PNG: `eXIf`, `tEXt`, `iTXt`, `zTXt` and `tIME`; WebP: `EXIF` and `XMP `,
//! with the RIFF size and the VP8X flags fixed. Anything after the image's
//! end is dropped too (some cameras append metadata there).
//!
//! A file whose structure cannot be followed is [`Malformed`]: it is not
//! served to enterprise users at all (fail closed), since we could not tell
//! what it carries.

mod jpeg;
mod png;
mod webp;

/// The container could not be followed to its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("图片结构无法解析")]
pub struct Malformed;

/// The photo without its metadata; other types unchanged.
pub fn strip(content_type: &str, bytes: &[u8]) -> Result<Vec<u8>, Malformed> {
    match content_type {
        "image/jpeg" => jpeg::strip(bytes),
        "image/png" => png::strip(bytes),
        "image/webp" => webp::strip(bytes),
        _ => Ok(bytes.to_vec()),
    }
}

/// A big-endian `u16` at `at`.
fn be16(b: &[u8], at: usize) -> Result<usize, Malformed> {
    b.get(at..at + 2).map(|s| usize::from(u16::from_be_bytes([s[0], s[1]]))).ok_or(Malformed)
}

/// A `u32` at `at`, big- or little-endian.
fn u32_at(b: &[u8], at: usize, big: bool) -> Result<usize, Malformed> {
    let s: [u8; 4] = b.get(at..at + 4).and_then(|s| s.try_into().ok()).ok_or(Malformed)?;
    let v = if big { u32::from_be_bytes(s) } else { u32::from_le_bytes(s) };
    usize::try_from(v).map_err(|_| Malformed)
}
