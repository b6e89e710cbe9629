//! JPEG: walk the marker segments from SOI, including those between the scans
//! of a progressive image, and copy all but the metadata ones.

use super::{Malformed, be16};

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;

/// Metadata segments: APP1 (Exif, XMP), APP3–APP13, APP15, COM.
fn is_metadata(marker: u8) -> bool {
    matches!(marker, 0xE1 | 0xE3..=0xED | 0xEF | 0xFE)
}

/// Markers without a length: TEM and the restart markers.
fn standalone(marker: u8) -> bool {
    matches!(marker, 0x01 | 0xD0..=0xD7)
}

/// Where the entropy-coded data starting at `from` ends: the next marker
/// (0xFF followed by neither a stuffed zero nor a restart marker), or the end.
fn scan_end(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while i + 1 < b.len() {
        if b[i] == 0xFF && b[i + 1] != 0 && !matches!(b[i + 1], 0xD0..=0xD7 | 0xFF) {
            return i;
        }
        i += 1;
    }
    b.len()
}

pub fn strip(b: &[u8]) -> Result<Vec<u8>, Malformed> {
    if !b.starts_with(&[0xFF, SOI]) {
        return Err(Malformed);
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&[0xFF, SOI]);
    let mut i = 2;
    while i < b.len() {
        if b[i] != 0xFF {
            return Err(Malformed);
        }
        while i < b.len() && b[i] == 0xFF {
            i += 1; // fill bytes
        }
        let Some(&marker) = b.get(i) else { return Err(Malformed) };
        i += 1;
        if marker == EOI {
            out.extend_from_slice(&[0xFF, EOI]);
            return Ok(out);
        }
        if standalone(marker) {
            out.extend_from_slice(&[0xFF, marker]);
            continue;
        }
        let len = be16(b, i)?;
        if len < 2 || i + len > b.len() {
            return Err(Malformed);
        }
        if !is_metadata(marker) {
            out.extend_from_slice(&[0xFF, marker]);
            out.extend_from_slice(&b[i..i + len]);
        }
        i += len;
        if marker == SOS {
            let end = scan_end(b, i);
            out.extend_from_slice(&b[i..end]);
            i = end;
        }
    }
    // Cut short after its scan (an interrupted transfer): what there is, without metadata.
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod tests {
    use super::strip;

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let len = u16::try_from(payload.len() + 2).unwrap_or(u16::MAX);
        let mut v = vec![0xFF, marker];
        v.extend_from_slice(&len.to_be_bytes());
        v.extend_from_slice(payload);
        v
    }

    /// A structurally complete JPEG with an Exif GPS block, XMP and a comment,
    /// a second scan after an APP1 (as progressive files may have), and a trailer.
    pub fn sample() -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8];
        v.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        v.extend(segment(0xE1, b"Exif\0\0MM\0*\0\0\0\x08GPSLatitude 30.58N serial SN12345"));
        v.extend(segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>"));
        v.extend(segment(0xE2, b"ICC_PROFILE\0\x01\x01profile"));
        v.extend(segment(0xFE, b"taken by Zhang San"));
        v.extend(segment(0xDB, &[0u8; 65]));
        v.extend(segment(0xC2, b"\x08\0\x10\0\x10\x01\x01\x11\0"));
        v.extend(segment(0xDA, b"\x01\x01\0\0\x3F\0"));
        v.extend_from_slice(b"\x12\x34\xFF\x00\x56\xFF\xD0\x78");
        v.extend(segment(0xE1, b"Exif\0\0late GPS"));
        v.extend(segment(0xDA, b"\x01\x01\0\0\x3F\0"));
        v.extend_from_slice(b"\x9A\xBC");
        v.extend_from_slice(&[0xFF, 0xD9]);
        v.extend_from_slice(b"trailer GPS");
        v
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn exif_xmp_comments_and_trailers_go_image_data_stays() {
        let out = strip(&sample()).unwrap();
        assert!(out.starts_with(&[0xFF, 0xD8, 0xFF, 0xE0]));
        assert!(out.ends_with(&[0xFF, 0xD9]));
        for gone in [&b"Exif"[..], b"GPS", b"SN12345", b"xmpmeta", b"Zhang", b"trailer"] {
            assert!(!contains(&out, gone), "{}", String::from_utf8_lossy(gone));
        }
        for kept in [&b"JFIF"[..], b"ICC_PROFILE", b"\x12\x34\xFF\x00\x56\xFF\xD0\x78", b"\x9A\xBC"] {
            assert!(contains(&out, kept));
        }
        assert_eq!(strip(&out).unwrap(), out, "stripping twice changes nothing more");
    }

    #[test]
    fn broken_structure_is_refused() {
        assert!(strip(b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00photo-bytes").is_err());
        assert!(strip(b"\xFF\xD8\xFF\xE1\xFF\xFF").is_err());
        assert!(strip(b"\x89PNG").is_err());
        let mut cut = sample();
        let scan = cut.windows(2).position(|w| w == b"\x12\x34").unwrap();
        cut.truncate(scan + 3);
        assert!(strip(&cut).is_ok(), "a file cut inside its scan data still strips");
    }
}
