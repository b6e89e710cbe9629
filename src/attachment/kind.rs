//! Which files are accepted, recognised by their leading bytes (never by the
//! name or the type the client claims): photos (JPEG, PNG, WebP), PDF, and the
//! audio and video of body cameras and phones (MP4, `QuickTime`, `WebM`, M4A,
//! MP3, WAV, Ogg).

/// Leading bytes enough to recognise every accepted type.
pub const SNIFF_LEN: usize = 64;

/// The message for a file of another type.
pub const ACCEPTED: &str = "只接受 JPEG、PNG、WebP 图片，PDF 文件，MP4、MOV、WebM 视频或 M4A、MP3、WAV、OGG 音频";

/// The content type of an accepted file, from its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" {
        riff(&bytes[8..12])
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        Some(iso_media(&bytes[8..12]))
    } else if bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        // EBML: WebM names its document type in the header; other Matroska files are refused.
        bytes.windows(4).take(SNIFF_LEN).any(|w| w == b"webm").then_some("video/webm")
    } else if bytes.starts_with(b"OggS") {
        Some("audio/ogg")
    } else if is_mp3(bytes) {
        Some("audio/mpeg")
    } else {
        None
    }
}

fn riff(form: &[u8]) -> Option<&'static str> {
    match form {
        b"WEBP" => Some("image/webp"),
        b"WAVE" => Some("audio/wav"),
        _ => None,
    }
}

/// ISO base media files (`ftyp` box) by their major brand.
fn iso_media(brand: &[u8]) -> &'static str {
    match brand {
        b"qt  " => "video/quicktime",
        b"M4A " | b"M4B " => "audio/mp4",
        _ => "video/mp4",
    }
}

/// An ID3 tag, or an MPEG audio layer III frame header.
fn is_mp3(bytes: &[u8]) -> bool {
    bytes.starts_with(b"ID3") || (bytes.len() >= 2 && bytes[0] == 0xFF && bytes[1] & 0xE6 == 0xE2)
}

/// Photos: the types whose metadata is stripped for enterprise users and
/// whose size is capped at [`super::MAX_BYTES`] on every route.
pub fn is_photo(content_type: &str) -> bool {
    matches!(content_type, "image/jpeg" | "image/png" | "image/webp")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::sniff;

    #[test]
    fn types_come_from_content() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Some("image/jpeg"));
        assert_eq!(sniff(b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8X"), Some("image/webp"));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WAVEfmt "), Some("audio/wav"));
        assert_eq!(sniff(b"RIFF\x10\0\0\0AVI LIST"), None);
        assert_eq!(sniff(b"\0\0\0\x18ftypmp42\0\0\0\0"), Some("video/mp4"));
        assert_eq!(sniff(b"\0\0\0\x14ftypqt  \0\0\0\0"), Some("video/quicktime"));
        assert_eq!(sniff(b"\0\0\0\x20ftypM4A \0\0\0\0"), Some("audio/mp4"));
        assert_eq!(sniff(b"\x1A\x45\xDF\xA3\x9F\x42\x82\x84webm"), Some("video/webm"));
        assert_eq!(sniff(b"\x1A\x45\xDF\xA3\x9F\x42\x82\x88matroska"), None);
        assert_eq!(sniff(b"OggS\0\x02"), Some("audio/ogg"));
        assert_eq!(sniff(b"ID3\x04\0"), Some("audio/mpeg"));
        assert_eq!(sniff(b"\xFF\xFB\x90\x00"), Some("audio/mpeg"));
        assert_eq!(sniff(b"<html>"), None);
        assert_eq!(sniff(b"MZ\x90\x00"), None);
    }
}
