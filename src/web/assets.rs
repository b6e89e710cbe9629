//! The stylesheet and the scripts (the enterprise picker, the draw verifier of
//! the public site), embedded in the binary. Their URLs carry a digest of the
//! content, so they can be cached for a year and still change with a release.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

static CSS: &str = include_str!("../../assets/app.css");

static CSS_HREF: LazyLock<String> = LazyLock::new(|| {
    let digest = hex::encode(Sha256::digest(CSS.as_bytes()));
    format!("/assets/app.css?v={}", digest.get(..12).unwrap_or_default())
});

static JS: &str = include_str!("../../assets/picker.js");

static JS_HREF: LazyLock<String> = LazyLock::new(|| {
    let digest = hex::encode(Sha256::digest(JS.as_bytes()));
    format!("/assets/picker.js?v={}", digest.get(..12).unwrap_or_default())
});

/// The script's URL, with its version.
pub fn js_href() -> &'static str {
    JS_HREF.as_str()
}

pub async fn picker_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        JS,
    )
        .into_response()
}

/// The stylesheet's URL, with its version.
pub fn css_href() -> &'static str {
    CSS_HREF.as_str()
}

pub async fn app_css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        CSS,
    )
        .into_response()
}

static VERIFY_JS: &str = include_str!("../../assets/draw-verify.js");

static VERIFY_JS_HREF: LazyLock<String> = LazyLock::new(|| {
    let digest = hex::encode(Sha256::digest(VERIFY_JS.as_bytes()));
    format!("/assets/draw-verify.js?v={}", digest.get(..12).unwrap_or_default())
});

/// The draw verifier's URL (`/public/draws/verify`), with its version.
pub fn verify_js_href() -> &'static str {
    VERIFY_JS_HREF.as_str()
}

pub fn draw_verify_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        VERIFY_JS,
    )
        .into_response()
}
