//! WebP: a RIFF container; drop the `EXIF` and `XMP ` chunks, clear their
//! flags in `VP8X` (bit 3 Exif, bit 2 XMP) and rewrite the RIFF size.

use super::{Malformed, u32_at};

const EXIF_FLAG: u8 = 0x08;
const XMP_FLAG: u8 = 0x04;

pub fn strip(b: &[u8]) -> Result<Vec<u8>, Malformed> {
    if b.len() < 12 || &b[..4] != b"RIFF" || &b[8..12] != b"WEBP" {
        return Err(Malformed);
    }
    // The RIFF size bounds the file; anything after it is dropped.
    let end = u32_at(b, 4, false)?.checked_add(8).ok_or(Malformed)?;
    let b = b.get(..end).ok_or(Malformed)?;
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&b[..12]);
    let mut i = 12;
    while i < b.len() {
        let kind = b.get(i..i + 4).ok_or(Malformed)?;
        let len = u32_at(b, i + 4, false)?;
        let padded = len + (len & 1);
        let stop = i.checked_add(8).and_then(|n| n.checked_add(padded)).ok_or(Malformed)?;
        if stop > b.len() {
            return Err(Malformed);
        }
        if kind != b"EXIF" && kind != b"XMP " {
            let at = out.len();
            out.extend_from_slice(&b[i..stop]);
            if kind == b"VP8X" && len > 0 {
                out[at + 8] &= !(EXIF_FLAG | XMP_FLAG);
            }
        }
        i = stop;
    }
    let size = u32::try_from(out.len() - 8).map_err(|_| Malformed)?;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::strip;

    fn chunk(kind: [u8; 4], data: &[u8]) -> Vec<u8> {
        let mut v = kind.to_vec();
        v.extend_from_slice(&u32::try_from(data.len()).unwrap_or(u32::MAX).to_le_bytes());
        v.extend_from_slice(data);
        if data.len() % 2 == 1 {
            v.push(0);
        }
        v
    }

    fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = chunks.concat();
        let mut v = b"RIFF".to_vec();
        v.extend_from_slice(&u32::try_from(body.len() + 4).unwrap_or(u32::MAX).to_le_bytes());
        v.extend_from_slice(b"WEBP");
        v.extend(body);
        v
    }

    #[test]
    fn exif_and_xmp_go_and_the_header_is_fixed() {
        let vp8x = [0x2C, 0, 0, 0, 9, 0, 0, 9, 0, 0]; // ICC + Exif + XMP
        let webp = riff(&[
            chunk(*b"VP8X", &vp8x),
            chunk(*b"ICCP", b"icc"),
            chunk(*b"VP8 ", b"frame-bytes"),
            chunk(*b"EXIF", b"MM\0*GPS 30.58N"),
            chunk(*b"XMP ", b"<x:xmpmeta/>"),
        ]);
        let out = strip(&webp).unwrap();
        let mut flags = vp8x;
        flags[0] = 0x20;
        assert_eq!(out, riff(&[chunk(*b"VP8X", &flags), chunk(*b"ICCP", b"icc"), chunk(*b"VP8 ", b"frame-bytes")]));
    }

    #[test]
    fn broken_containers_are_refused() {
        assert!(strip(b"RIFF\x04\0\0\0WEBP").is_ok());
        assert!(strip(b"RIFF\xFF\0\0\0WEBPVP8 ").is_err());
        assert!(strip(&riff(&[b"VP8 \xFF\0\0\0ab".to_vec()])).is_err());
    }
}
