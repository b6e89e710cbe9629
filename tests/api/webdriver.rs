//! A small W3C WebDriver client for the browser tests: starts chromedriver on a
//! free loopback port and drives Debian's Chromium headless. Written over
//! reqwest rather than fantoccini, whose rustls connector needs a process-wide
//! crypto provider that this dependency graph leaves ambiguous (reqwest enables
//! `ring`, hyper-rustls `aws-lc-rs`).

use reqwest::Method;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";
pub(crate) const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Longest wait for a page element or for chromedriver to start.
pub(crate) const WAIT: Duration = Duration::from_secs(10);

/// chromedriver, killed when dropped (also when a test panics), and the
/// browser profile directory it uses.
pub(crate) struct Driver {
    child: Child,
    port: u16,
    profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether Chromium and chromedriver are installed; in CI their absence fails the test.
pub(crate) fn browser_installed() -> bool {
    let found = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if !found {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true but {CHROMIUM} or {CHROMEDRIVER} is missing: browser tests cannot be skipped in CI"
        );
        eprintln!(
            "skipping browser test: {CHROMIUM} or {CHROMEDRIVER} not installed (apt install chromium chromium-driver)"
        );
    }
    found
}

pub(crate) async fn start_chromedriver() -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let driver = Driver { child, port, profile: tempfile::tempdir().unwrap() };
    let status = format!("http://127.0.0.1:{port}/status");
    let started = Instant::now();
    loop {
        let ready = match reqwest::get(&status).await {
            Ok(res) => res.json::<serde_json::Value>().await.is_ok_and(|v| v["value"]["ready"] == true),
            Err(_) => false,
        };
        if ready {
            return driver;
        }
        assert!(started.elapsed() < WAIT, "chromedriver did not become ready on port {port}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A WebDriver session in Chromium, spoken to over the W3C protocol.
pub(crate) struct Browser {
    http: reqwest::Client,
    /// `http://127.0.0.1:PORT/session/ID`
    session: String,
}

/// The W3C key under which WebDriver returns an element reference.
pub(crate) const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Browser {
    pub(crate) async fn open(driver: &Driver) -> Self {
        let profile = format!("--user-data-dir={}", driver.profile.path().display());
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,900",
            &profile,
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
        }}});
        let http = reqwest::Client::new();
        let root = format!("http://127.0.0.1:{}", driver.port);
        let res: Value = http.post(format!("{root}/session")).json(&caps).send().await.unwrap().json().await.unwrap();
        let id = res["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no WebDriver session: {res}"));
        Self { session: format!("{root}/session/{id}"), http }
    }

    pub(crate) async fn command(&self, method: Method, path: &str, body: Option<Value>) -> Result<Value, String> {
        let mut req = self.http.request(method, format!("{}{path}", self.session));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let ok = res.status().is_success();
        let v: Value = res.json().await.unwrap();
        if ok { Ok(v["value"].clone()) } else { Err(format!("{}: {}", v["value"]["error"], v["value"]["message"])) }
    }

    pub(crate) async fn goto(&self, url: &str) {
        self.command(Method::POST, "/url", Some(json!({"url": url}))).await.unwrap();
    }

    pub(crate) async fn source(&self) -> String {
        self.command(Method::GET, "/source", None).await.map(|v| v.as_str().unwrap_or_default().to_owned()).unwrap()
    }

    /// The element, once the page shows it (at most [`WAIT`]).
    pub(crate) async fn wait_for(&self, css: &str) -> String {
        let started = Instant::now();
        loop {
            let found = self.command(Method::POST, "/element", Some(json!({"using": "css selector", "value": css})));
            if let Ok(v) = found.await {
                return v[ELEMENT].as_str().unwrap().to_owned();
            }
            assert!(started.elapsed() <= WAIT, "no `{css}` within {WAIT:?}\n--- page ---\n{}", self.source().await);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub(crate) async fn click(&self, css: &str) {
        self.on_element(css, "click", json!({})).await;
    }

    pub(crate) async fn type_into(&self, css: &str, text: &str) {
        self.on_element(css, "value", json!({"text": text})).await;
    }

    /// Finds `css` and sends it `action`; an element the page re-rendered between the
    /// two (a stale reference) is found again, a few times at most.
    async fn on_element(&self, css: &str, action: &str, body: Value) {
        for attempt in 1..=5 {
            let el = self.wait_for(css).await;
            match self.command(Method::POST, &format!("/element/{el}/{action}"), Some(body.clone())).await {
                Ok(_) => return,
                Err(e) if e.contains("stale element") && attempt < 5 => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("{action} on `{css}`: {e}"),
            }
        }
    }

    pub(crate) async fn text(&self, css: &str) -> String {
        let el = self.wait_for(css).await;
        let v = self.command(Method::GET, &format!("/element/{el}/text"), None).await.unwrap();
        v.as_str().unwrap_or_default().to_owned()
    }

    pub(crate) async fn attr(&self, css: &str, name: &str) -> String {
        let el = self.wait_for(css).await;
        let v = self.command(Method::GET, &format!("/element/{el}/attribute/{name}"), None).await.unwrap();
        v.as_str().unwrap_or_default().to_owned()
    }

    /// Sets the window to `width` × `height` CSS pixels (390 a phone, 1024 a tablet).
    pub(crate) async fn resize(&self, width: u32, height: u32) {
        let rect = json!({"width": width, "height": height});
        self.command(Method::POST, "/window/rect", Some(rect)).await.unwrap();
    }

    /// A PNG of the viewport; kept in `ANJIAN_SCREENSHOT_DIR` when set.
    pub(crate) async fn screenshot(&self, name: &str) -> Vec<u8> {
        let v = self.command(Method::GET, "/screenshot", None).await.unwrap();
        let png = base64_decode(v.as_str().unwrap_or_default());
        if let Some(dir) = std::env::var_os("ANJIAN_SCREENSHOT_DIR") {
            std::fs::write(PathBuf::from(dir).join(format!("{name}.png")), &png).unwrap();
        }
        png
    }

    /// The page printed to PDF on A4 (as the browser's print dialog would); kept in
    /// `ANJIAN_SCREENSHOT_DIR` when set.
    pub(crate) async fn print_pdf(&self, name: &str) -> Vec<u8> {
        let a4 = json!({"page": {"width": 21.0, "height": 29.7}, "background": true});
        let v = self.command(Method::POST, "/print", Some(a4)).await.unwrap();
        let pdf = base64_decode(v.as_str().unwrap_or_default());
        if let Some(dir) = std::env::var_os("ANJIAN_SCREENSHOT_DIR") {
            std::fs::write(PathBuf::from(dir).join(format!("{name}.pdf")), &pdf).unwrap();
        }
        pdf
    }

    pub(crate) async fn close(self) {
        self.command(Method::DELETE, "", None).await.unwrap();
    }
}

/// Standard base64 (WebDriver screenshots), without a dependency for it.
pub(crate) fn base64_decode(s: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let values: Vec<u32> = s
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
        .map(|b| u32::try_from(ALPHABET.iter().position(|&a| a == b).unwrap()).unwrap())
        .collect();
    let mut out = Vec::with_capacity(values.len() * 3 / 4);
    for chunk in values.chunks(4) {
        let n = chunk.iter().enumerate().fold(0, |acc, (i, v)| acc | (v << (18 - 6 * i)));
        out.extend(n.to_be_bytes().iter().skip(1).take(chunk.len() - 1));
    }
    out
}
