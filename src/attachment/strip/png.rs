//! PNG: copy the chunks (each whole, with its CRC) except the metadata ones,
//! and stop at `IEND`.

use super::{Malformed, u32_at};

const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

fn is_metadata(kind: &[u8]) -> bool {
    matches!(kind, b"eXIf" | b"tEXt" | b"iTXt" | b"zTXt" | b"tIME")
}

pub fn strip(b: &[u8]) -> Result<Vec<u8>, Malformed> {
    if !b.starts_with(SIGNATURE) {
        return Err(Malformed);
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(SIGNATURE);
    let mut i = SIGNATURE.len();
    while i < b.len() {
        let len = u32_at(b, i, true)?;
        let kind = b.get(i + 4..i + 8).ok_or(Malformed)?;
        let end = i.checked_add(12).and_then(|n| n.checked_add(len)).ok_or(Malformed)?;
        if end > b.len() {
            return Err(Malformed);
        }
        if !is_metadata(kind) {
            out.extend_from_slice(&b[i..end]);
        }
        i = end;
        if kind == b"IEND" {
            return Ok(out);
        }
    }
    Err(Malformed)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::strip;

    fn chunk(kind: [u8; 4], data: &[u8]) -> Vec<u8> {
        let mut v = u32::try_from(data.len()).unwrap_or(u32::MAX).to_be_bytes().to_vec();
        v.extend_from_slice(&kind);
        v.extend_from_slice(data);
        v.extend_from_slice(&[1, 2, 3, 4]); // CRC, copied as it is
        v
    }

    #[test]
    fn text_and_exif_chunks_go() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(chunk(*b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
        png.extend(chunk(*b"eXIf", b"MM\0*GPS"));
        png.extend(chunk(*b"tEXt", b"Author\0Zhang San"));
        png.extend(chunk(*b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0<x/>"));
        png.extend(chunk(*b"zTXt", b"Comment\0\0x"));
        png.extend(chunk(*b"tIME", &[7, 234, 11, 22, 10, 0, 0]));
        png.extend(chunk(*b"IDAT", b"pixels"));
        png.extend(chunk(*b"IEND", b""));
        png.extend_from_slice(b"trailing GPS");
        let mut want = b"\x89PNG\r\n\x1a\n".to_vec();
        want.extend(chunk(*b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
        want.extend(chunk(*b"IDAT", b"pixels"));
        want.extend(chunk(*b"IEND", b""));
        assert_eq!(strip(&png).unwrap(), want);
    }

    #[test]
    fn broken_chunks_are_refused() {
        assert!(strip(b"\x89PNG\r\n\x1a\nxx").is_err());
        assert!(strip(b"\x89PNG\r\n\x1a\n\xFF\xFF\xFF\xFFIDAT").is_err());
        let mut no_end = b"\x89PNG\r\n\x1a\n".to_vec();
        no_end.extend(chunk(*b"IHDR", &[0; 13]));
        assert!(strip(&no_end).is_err());
    }
}
