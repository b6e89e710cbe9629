//! The inspectors' tablet app at `/m/`: an installable web app (manifest, service
//! worker, icons) whose hand-written JavaScript and CSS are embedded in the binary
//! and served as they are, with no build step. The app itself is described in
//! the README ("Tablet app").
//!
//! - The shell (every file below) is cached by the service worker on first load,
//!   so the app opens with no network. The worker's cache is named after a digest
//!   of the whole shell ([`version`]): a release that changes any file installs a
//!   new cache and drops the old one.
//! - The files are served `no-cache`: the worker revalidates them when it
//!   installs; the browser's own cache never serves a stale shell beside it.
//! - The pages allow scripts, styles, workers and connections from this origin
//!   only, pictures and recordings also from `blob:` (photos taken on the device),
//!   and nothing inline.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// One file of the shell: its name under `/m/`, content type and bytes.
struct Shell(&'static str, &'static str, &'static [u8]);

const JS: &str = "text/javascript; charset=utf-8";

static FILES: &[Shell] = &[
    Shell("index.html", "text/html; charset=utf-8", include_bytes!("../../assets/m/index.html")),
    Shell("app.css", "text/css; charset=utf-8", include_bytes!("../../assets/m/app.css")),
    Shell("app.js", JS, include_bytes!("../../assets/m/app.js")),
    Shell("screens.js", JS, include_bytes!("../../assets/m/screens.js")),
    Shell("inspect.js", JS, include_bytes!("../../assets/m/inspect.js")),
    Shell("forms.js", JS, include_bytes!("../../assets/m/forms.js")),
    Shell("record.js", JS, include_bytes!("../../assets/m/record.js")),
    Shell("capture.js", JS, include_bytes!("../../assets/m/capture.js")),
    Shell("vault.js", JS, include_bytes!("../../assets/m/vault.js")),
    Shell("outbox.js", JS, include_bytes!("../../assets/m/outbox.js")),
    Shell("api.js", JS, include_bytes!("../../assets/m/api.js")),
    Shell("print.js", JS, include_bytes!("../../assets/m/print.js")),
    Shell("sha256.js", JS, include_bytes!("../../assets/m/sha256.js")),
    Shell("ui.js", JS, include_bytes!("../../assets/m/ui.js")),
    Shell("manifest.webmanifest", "application/manifest+json", include_bytes!("../../assets/m/manifest.webmanifest")),
    Shell("icon.svg", "image/svg+xml", include_bytes!("../../assets/m/icon.svg")),
    Shell("icon-192.png", "image/png", include_bytes!("../../assets/m/icon-192.png")),
    Shell("icon-512.png", "image/png", include_bytes!("../../assets/m/icon-512.png")),
];

static WORKER: &str = include_str!("../../assets/m/sw.js");

/// A digest of the whole shell and the worker: the name of the worker's cache.
pub fn version() -> &'static str {
    static VERSION: LazyLock<String> = LazyLock::new(|| {
        let mut h = Sha256::new();
        for f in FILES {
            h.update(f.0.as_bytes());
            h.update(f.2);
        }
        h.update(WORKER.as_bytes());
        hex::encode(h.finalize()).get(..16).unwrap_or_default().to_owned()
    });
    VERSION.as_str()
}

/// The worker, told its cache name and the files of the shell.
static WORKER_TEXT: LazyLock<String> = LazyLock::new(|| {
    let list: Vec<String> = FILES.iter().map(|f| format!("\"/m/{}\"", f.0)).collect();
    WORKER.replace("__VERSION__", version()).replace("\"__SHELL__\"", &list.join(", "))
});

/// Total bytes of the shell as served (before compression), for the size budget.
pub fn shell_bytes() -> usize {
    FILES.iter().map(|f| f.2.len()).sum::<usize>() + WORKER_TEXT.len()
}

const CSP: &str = "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; style-src 'self'; \
                   script-src 'self'; worker-src 'self'; connect-src 'self'; manifest-src 'self'; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

fn headers(res: &mut Response, content_type: &'static str) {
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
}

async fn file(Path(name): Path<String>) -> Response {
    let Some(f) = FILES.iter().find(|f| f.0 == name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut res = f.2.into_response();
    headers(&mut res, f.1);
    res
}

async fn index() -> Response {
    file(Path("index.html".to_owned())).await
}

async fn worker() -> Response {
    let mut res = WORKER_TEXT.clone().into_response();
    headers(&mut res, JS);
    res.headers_mut().insert("service-worker-allowed", HeaderValue::from_static("/m/"));
    res
}

pub fn routes() -> Router<crate::state::AppState> {
    Router::new()
        .route("/m", get(|| async { Redirect::permanent("/m/") }))
        .route("/m/", get(index))
        .route("/m/sw.js", get(worker))
        .route("/m/{name}", get(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_caches_every_shell_file() {
        let text = WORKER_TEXT.as_str();
        assert!(text.contains(version()), "the cache is named after the version");
        for f in FILES {
            assert!(text.contains(&format!("\"/m/{}\"", f.0)), "{} is not cached", f.0);
        }
    }

    #[test]
    fn the_shell_stays_within_its_budget() {
        assert!(shell_bytes() <= 300 * 1024, "the shell is {} bytes", shell_bytes());
    }
}
