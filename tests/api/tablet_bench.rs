//! The tablet app's benchmark (`bash bench/tablet.sh`, release build): the shell's
//! size, the first load over Chromium's network emulation (1.6 Mbit/s each way,
//! 150 ms RTT), opening a downloaded 50-item checklist, marking items, and syncing
//! a visit of 50 items, 10 findings and 20 photos of about 2 MB over the same link.
//!
//! Times inside the page are the page's own `performance.now()`. The sync is
//! started once with 立即同步 (as an inspector back in signal would) and nothing
//! is touched after that: it must end with nothing waiting and nothing refused.

use crate::helpers::{Backend, TestApp, world};
use crate::inspection_support::inspector;
use crate::page_steps::{run, until_within};
use crate::proxy::Proxy;
use crate::tablet_browser::{PIN, browser_url, pick_file, png_with, sign_in_and_download, tap};
use crate::webdriver::{Browser, browser_installed, start_chromedriver};
use anjian::auth::Role;
use reqwest::Method;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Instant;

/// 1.6 Mbit/s in bytes per second.
const LINK_BYTES_PER_SEC: u64 = 200_000;
const RTT_MS: u64 = 150;
const PHOTOS: usize = 20;
const FINDINGS: usize = 10;

async fn throttle(browser: &Browser) {
    let params = json!({"offline": false, "latency": RTT_MS, "downloadThroughput": LINK_BYTES_PER_SEC,
        "uploadThroughput": LINK_BYTES_PER_SEC});
    browser
        .command(Method::POST, "/goog/cdp/execute", Some(json!({"cmd": "Network.enable", "params": {}})))
        .await
        .unwrap();
    let set = json!({"cmd": "Network.emulateNetworkConditions", "params": params});
    browser.command(Method::POST, "/goog/cdp/execute", Some(set)).await.unwrap();
}

fn shell_bytes() -> u64 {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/m");
    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().metadata().unwrap().len()).sum()
}

/// A 30-item bureau checklist, so that with the 20 hazchem items the visit has 50.
async fn thirty_items(app: &TestApp, token: &str) -> String {
    let items: Vec<Value> = (1..=30)
        .map(|n| {
            json!({"code": format!("BM-{n:02}"), "text": format!("基准检查项 {n}：现场核查安全设施完好、台账齐全"),
            "basis": "《安全生产法》", "severity": if n % 5 == 0 { "major" } else { "general" }, "verified": true})
        })
        .collect();
    let body = json!({"id": "BENCH-30", "title": "基准专项检查表", "issuer": "江汉区应急管理局", "document_number": "",
        "effective": "2026-12-01", "version": "1", "sections": [{"name": "通用", "items": items}]});
    let (status, v) = app.post(token, "/api/v1/checklists", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v["hash"].as_str().unwrap_or_else(|| v["versions"][0]["hash"].as_str().unwrap()).to_owned()
}

/// The first load of `/m/` in a fresh profile over the emulated link: milliseconds from
/// navigation until the sign-in form is on the screen.
async fn first_load(driver: &crate::webdriver::Driver, url: &str) -> f64 {
    let browser = Browser::open(driver).await;
    browser.resize(1024, 768).await;
    throttle(&browser).await;
    browser.goto(url).await;
    let seen = "return document.querySelector('#signin') ? performance.now() : null;";
    let started = Instant::now();
    loop {
        if let Some(ms) = run(&browser, seen, json!([])).await.as_f64() {
            browser.close().await;
            return ms;
        }
        assert!(started.elapsed().as_secs() < 60, "the app did not open");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

/// Opens the items of a downloaded inspection right after unlocking (nothing cached in
/// memory): milliseconds until all 50 are on the screen.
async fn open_checklist(browser: &Browser, id: i64) -> f64 {
    let base = browser_url(browser).await;
    browser.goto(&format!("{base}#/")).await;
    run(browser, "location.reload();", json!([])).await;
    browser.type_into("#unlock input[name=pin]", PIN).await;
    browser.click("#unlock button[type=submit]").await;
    browser.wait_for(&format!("[data-download='{id}'], a[href='#/i/{id}']")).await;
    let script = "const t0 = performance.now(); location.hash = arguments[0]; \
        return new Promise((ok) => { const look = () => document.querySelectorAll('.item').length === 50 \
        ? ok(performance.now() - t0) : requestAnimationFrame(look); look(); });";
    run(browser, script, json!([format!("#/i/{id}/items")])).await.as_f64().unwrap()
}

/// Marks every item (the first `FINDINGS` 不符合): per item, the milliseconds from the
/// tap until the page has laid out the pressed button, and the longest main-thread task.
async fn mark_all(browser: &Browser) -> (Vec<f64>, f64) {
    let script = "const n = arguments[0]; const times = []; let longest = 0; \
        const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) longest = Math.max(longest, e.duration); }); \
        try { obs.observe({ type: 'longtask' }); } catch (_) {} \
        const items = Array.from(document.querySelectorAll('.item')); \
        return (async () => { for (const [i, it] of items.entries()) { \
          const b = it.querySelector(`button[data-outcome=${i < n ? 'non_conform' : 'conform'}]`); \
          const t0 = performance.now(); b.click(); void document.body.offsetHeight; \
          if (b.getAttribute('aria-pressed') !== 'true') throw new Error('not shown'); \
          times.push(performance.now() - t0); \
          await new Promise((ok) => setTimeout(ok, 30)); } \
          await new Promise((ok) => setTimeout(ok, 500)); obs.disconnect(); return { times, longest }; })();";
    let v = run(browser, script, json!([FINDINGS])).await;
    let times = v["times"].as_array().unwrap().iter().map(|t| t.as_f64().unwrap()).collect();
    (times, v["longest"].as_f64().unwrap_or(0.0))
}

/// Twenty ~2 MB photos (noise does not compress; the tablet keeps originals: 原图).
async fn photos(browser: &Browser, codes: &[String]) {
    run(browser, "localStorage.setItem('anjian.photoEdge', '0');", json!([])).await;
    let mut seed: u32 = 0x2545_F491;
    for (n, code) in codes.iter().take(PHOTOS).enumerate() {
        let path = png_with(&format!("bench-{n}"), (2000, 1500), |_, _| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let [a, b, c, _] = seed.to_le_bytes();
            [a, b, c]
        });
        pick_file(browser, &format!("#item-{code} input[data-photo]"), &path).await;
        let kept = format!("document.querySelectorAll('#item-{code} .thumb').length === 1");
        until_within(browser, "the photo is kept", &kept, 60).await;
        std::fs::remove_file(path).unwrap();
    }
}

async fn findings(browser: &Browser, id: i64, codes: &[String]) {
    let base = browser_url(browser).await;
    for (n, code) in codes.iter().take(FINDINGS).enumerate() {
        browser.goto(&format!("{base}#/i/{id}/findings/new-{code}")).await;
        browser.type_into("#finding textarea[name=description]", &format!("基准问题 {n}：安全设施缺失")).await;
        tap(browser, "#finding button[type=submit]").await;
        let listed = format!("document.querySelectorAll('.finding').length === {}", n + 1);
        until_within(browser, "the finding is listed", &listed, 10).await;
    }
}

/// A count as a float, for the printout (every count here fits in 32 bits).
fn float<T: TryInto<u32>>(n: T) -> f64 {
    f64::from(n.try_into().unwrap_or(u32::MAX))
}

fn stats(mut v: Vec<f64>) -> String {
    v.sort_by(f64::total_cmp);
    let at = |percent: usize| v[(v.len() - 1) * percent / 100];
    format!("p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms over {}", at(50), at(95), at(100), v.len())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: bash bench/tablet.sh"]
async fn tablet_bench() {
    assert!(browser_installed(), "the tablet benchmark needs chromium and chromedriver");
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.clock.set(chrono::Utc::now());
    let w = world(&app).await;
    let (a, b) = (inspector(&app, "zf1", "420103").await, inspector(&app, "zf2", "420103").await);
    let approver = app.user("pzr").role(Role::Approver).region("420103").create().await;
    let mut body = crate::inspection_support::new_inspection(&app, &[&a, &b], w.enterprise);
    let hashes = [crate::inspection_browser::hazchem_hash(&app, &w.reg).await, thirty_items(&app, &w.reg.token).await];
    body["checklist_hashes"] = json!(hashes);
    let (status, v) = app.post(&w.reg.token, "/api/v1/inspections", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().unwrap();
    let (status, v) = app.post(&approver.token, &format!("/api/v1/inspections/{id}/approve"), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{v}");

    let proxy = Proxy::start(app.base.trim_start_matches("http://").parse().unwrap()).await;
    let driver = start_chromedriver().await;
    println!("tablet shell: {:.1} KB before compression (target ≤ 300 KB)", float(shell_bytes()) / 1000.0);
    let mut loads = Vec::new();
    for _ in 0..3 {
        loads.push(first_load(&driver, &proxy.url("/m/")).await);
    }
    println!("first load over 1.6 Mbit/s, 150 ms RTT: {} (target ≤ 5000 ms)", stats(loads));

    let browser = Browser::open(&driver).await;
    browser.resize(1024, 768).await;
    sign_in_and_download(&browser, &proxy, id, ("zf1", crate::helpers::PASSWORD)).await;
    proxy.set_up(false);
    let base = browser_url(&browser).await;
    browser.goto(&format!("{base}#/i/{id}")).await;
    let stub = "Object.defineProperty(navigator.geolocation, 'getCurrentPosition', {value: (ok) => \
                ok({coords: {latitude: 30.5801, longitude: 114.2702, accuracy: 12}})});";
    run(&browser, stub, json!([])).await;
    browser.type_into("#start textarea[name=people]", "张三（主要负责人）").await;
    browser.click("#start button[type=submit]").await;
    browser.wait_for("button.mark").await;
    let mut opens = Vec::new();
    for _ in 0..3 {
        opens.push(open_checklist(&browser, id).await);
    }
    println!("open a downloaded 50-item checklist (after unlock): {} (target ≤ 100 ms)", stats(opens));
    run(&browser, stub, json!([])).await;
    let (marks, longest) = mark_all(&browser).await;
    let tasks = if longest > 0.0 {
        format!("longest main-thread task {longest:.0} ms")
    } else {
        "no main-thread task over 50 ms".to_owned()
    };
    println!("mark an item (tap to laid-out button): {} (target ≤ 16 ms); {tasks}", stats(marks));
    let codes: Vec<String> = serde_json::from_value(
        run(&browser, "return Array.from(document.querySelectorAll('.item')).map(e => e.id.slice(5));", json!([]))
            .await,
    )
    .unwrap();
    photos(&browser, &codes).await;
    findings(&browser, id, &codes).await;

    throttle(&browser).await;
    proxy.set_up(true);
    browser.goto(&format!("{base}#/outbox")).await;
    let started = Instant::now();
    run(&browser, "document.getElementById('sync-now').click();", json!([])).await;
    until_within(
        &browser,
        "the visit is synced without a manual retry",
        "document.querySelector('.op-refused') === null && document.querySelectorAll('.op-waiting').length === 0 \
         && document.querySelectorAll('.files .file').length > 0",
        1800,
    )
    .await;
    let took = started.elapsed().as_secs_f64();
    let (status, rec) = app.get(&a.token, &format!("/api/v1/inspections/{id}/record")).await;
    assert_eq!(status, StatusCode::OK);
    let items = rec["items"].as_array().unwrap();
    let photos: Vec<&Value> = items.iter().flat_map(|i| i["attachments"].as_array().unwrap()).collect();
    let bytes: i64 = photos.iter().map(|p| p["size"].as_i64().unwrap()).sum();
    assert_eq!(items.iter().filter(|i| i["outcome"].is_string()).count(), 50, "every outcome arrived");
    assert_eq!(photos.len(), PHOTOS, "every photo arrived once");
    assert_eq!(rec["findings"].as_array().unwrap().len(), FINDINGS, "every finding arrived once");
    println!(
        "sync of 50 items, {FINDINGS} findings, {PHOTOS} photos ({:.1} MB, {:.2} MB each) over the same link: {took:.0} s, \
         no manual retry, nothing refused (the link alone needs {:.0} s for the photos)",
        float(bytes) / 1e6,
        float(bytes) / 1e6 / float(PHOTOS),
        float(bytes) / float(LINK_BYTES_PER_SEC)
    );
    browser.close().await;
}
