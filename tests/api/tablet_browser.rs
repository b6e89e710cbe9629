//! The tablet app (`/m/`) in real Chromium at 1024×768, behind a TCP proxy the test
//! switches off: an inspector signs in, sets the offline PIN and downloads an
//! approved inspection; with the network gone for real the tablet starts it, walks
//! the 20 hazchem items (two 不符合, each with a photo; the item on 特种作业人员 lists the
//! enterprise's certificate holders), records two findings, adds a
//! 20 MB body-camera video, takes three signatures, prints the 责令限期整改指令书 with
//! its reserved number, is reloaded (everything still there, behind the PIN) and asks
//! for completion. Meanwhile a second tablet changes one item. With the network back
//! everything arrives exactly once; the other tablet's change is shown as a conflict,
//! not overwritten; the completion the server refused for it stays in the outbox with
//! the reason, and goes through once the inspector has chosen.

use crate::helpers::{Backend, TestApp, TestUser, world};
use crate::inspection_support::inspector;
use crate::page_steps::{eventually, run, until, until_within};
use crate::proxy::Proxy;
use crate::webdriver::{Browser, browser_installed, start_chromedriver};
use anjian::auth::Role;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub(crate) const PIN: &str = "246810";
const DEVICE: &str = "执法平板 1 号";

/// A real 640×480 PNG (a gradient), so the tablet can decode and resize it.
fn png_file(name: &str) -> String {
    png_with(name, (640, 480), |x, y| [x.to_le_bytes()[0], y.to_le_bytes()[0], (x + y).to_le_bytes()[0]])
}

/// A `w`×`h` RGB PNG whose pixels `pixel(x, y)` gives, written to the temp directory.
pub(crate) fn png_with(name: &str, (w, h): (u32, u32), mut pixel: impl FnMut(u32, u32) -> [u8; 3]) -> String {
    use std::io::Write;
    let mut raw = Vec::with_capacity(((w * 3 + 1) * h) as usize);
    for y in 0..h {
        raw.push(0);
        for x in 0..w {
            raw.extend(pixel(x, y));
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(&raw).unwrap();
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut out = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        out.extend(kind);
        out.extend(data);
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        out.extend(crc.finalize().to_be_bytes());
        out
    };
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(b"IDAT", &z.finish().unwrap()));
    png.extend(chunk(b"IEND", &[]));
    let path = std::env::temp_dir().join(format!("anjian-{}-{name}.png", std::process::id()));
    std::fs::write(&path, png).unwrap();
    path.to_string_lossy().into_owned()
}

/// An "MP4" of `mib` MiB (an `ftyp` box, then pseudo-random bytes) and its SHA-256.
pub(crate) fn video_file(mib: usize) -> (String, String) {
    let mut bytes = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2".to_vec();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while bytes.len() < mib << 20 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes.extend(x.to_le_bytes());
    }
    let path = std::env::temp_dir().join(format!("anjian-{}-{mib}-执法记录仪.mp4", std::process::id()));
    std::fs::write(&path, &bytes).unwrap();
    (path.to_string_lossy().into_owned(), hex::encode(Sha256::digest(&bytes)))
}

/// Clicks `css` once it is scrolled to the middle of the screen (clear of the sticky bar).
pub(crate) async fn tap(browser: &Browser, css: &str) {
    browser.wait_for(css).await;
    run(browser, "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});", json!([css])).await;
    browser.click(css).await;
}

/// Types a file path into a (hidden) file input.
pub(crate) async fn pick_file(browser: &Browser, css: &str, path: &str) {
    run(
        browser,
        "const e = document.querySelector(arguments[0]); e.hidden = false; e.closest('label').hidden = false;",
        json!([css]),
    )
    .await;
    browser.type_into(css, path).await;
}

pub(crate) async fn sign_in_and_download(browser: &Browser, proxy: &Proxy, id: i64, (user, password): (&str, &str)) {
    browser.goto(&proxy.url("/m/")).await;
    browser.type_into("#signin input[name=username]", user).await;
    browser.type_into("#signin input[name=password]", password).await;
    run(browser, "document.querySelector('#signin input[name=device]').value = '';", json!([])).await;
    browser.type_into("#signin input[name=device]", DEVICE).await;
    browser.click("#signin button[type=submit]").await;
    browser.type_into("#pin input[name=pin]", PIN).await;
    browser.type_into("#pin input[name=again]", PIN).await;
    shot(browser, "01-pin").await;
    browser.click("#pin button[type=submit]").await;
    let download = format!("[data-download='{id}']");
    browser.wait_for(&download).await;
    shot(browser, "02-tasks").await;
    browser.click(&download).await;
    browser.wait_for(&format!("a[href='#/i/{id}']")).await;
    until(browser, "the service worker controls the page", "navigator.serviceWorker.controller !== null").await;
}

/// Starts on site and walks the items: the first two 不符合 with a photo each, the rest 符合.
async fn walk(browser: &Browser, id: i64) -> Vec<String> {
    browser.goto(&format!("{}#/i/{id}", browser_url(browser).await)).await;
    let stub = "Object.defineProperty(navigator.geolocation, 'getCurrentPosition', {value: (ok) => \
                ok({coords: {latitude: 30.5801, longitude: 114.2702, accuracy: 12}})});";
    run(browser, stub, json!([])).await;
    browser.type_into("#start textarea[name=people]", "张三（主要负责人）").await;
    browser.click("#start button[type=submit]").await;
    browser.wait_for("button.mark").await;
    // The item about 特种作业人员 shows the enterprise's listed workers, from the packet.
    let workers = browser.text(".special-ops").await;
    assert!(workers.contains("登记 1 人") && workers.contains("张三（电工作业）"), "{workers}");
    let codes: Vec<String> = serde_json::from_value(
        run(browser, "return Array.from(document.querySelectorAll('.item')).map(e => e.id.slice(5));", json!([])).await,
    )
    .unwrap();
    assert_eq!(codes.len(), 20, "the hazchem checklist has 20 items: {codes:?}");
    for (n, code) in codes.iter().enumerate() {
        let pick = if n < 2 { "non_conform" } else { "conform" };
        tap(browser, &format!("#item-{code} button[data-outcome={pick}]")).await;
    }
    let photo = png_file("item");
    for code in &codes[..2] {
        pick_file(browser, &format!("#item-{code} input[data-photo]"), &photo).await;
        // The photo is scaled and stored in the page's own database: slower than a tap
        // when the machine is busy, so a longer bound than `until`'s.
        let kept = format!("document.querySelectorAll('#item-{code} .thumb').length === 1");
        until_within(browser, "the photo is kept", &kept, 30).await;
    }
    shot(browser, "03-items").await;
    codes
}

pub(crate) async fn browser_url(browser: &Browser) -> String {
    let v = run(browser, "return location.origin + '/m/';", json!([])).await;
    v.as_str().unwrap().to_owned()
}

async fn findings(browser: &Browser, id: i64, codes: &[String]) {
    let base = browser_url(browser).await;
    browser.goto(&format!("{base}#/i/{id}/findings/new-{}", codes[0])).await;
    browser.type_into("#finding textarea[name=description]", "罐区可燃气体报警器未投用").await;
    tap(browser, "#finding button[type=submit]").await;
    browser.wait_for(".finding").await;
    browser.goto(&format!("{base}#/i/{id}/findings/new-{}", codes[1])).await;
    browser.type_into("#finding textarea[name=description]", "紧急切断阀失效").await;
    tap(browser, "#finding input[name=mode][value=date]").await;
    crate::page_steps::set(browser, "#finding input[name=deadline]", "2027-01-15").await;
    tap(browser, "#finding button[type=submit]").await;
    until(browser, "both findings are listed", "document.querySelectorAll('.finding').length === 2").await;
    shot(browser, "04-findings").await;
}

async fn media_and_signatures(browser: &Browser, id: i64, team: &[&TestUser], video: &str) {
    let base = browser_url(browser).await;
    browser.goto(&format!("{base}#/i/{id}/media")).await;
    // A pick that lands on an input the view has just replaced is lost (the page
    // never hears of it): pick again until the app answers — its "saving" notice or
    // the file itself — then wait for the file.
    let answered = "document.querySelectorAll('.files .file').length > 0 || !document.getElementById('flash').hidden";
    for attempt in 1..=3 {
        pick_file(browser, "#media", video).await;
        if eventually(browser, answered, 15).await {
            break;
        }
        assert!(attempt < 3, "the app never took the video");
    }
    until_within(browser, "the video is kept", "document.querySelectorAll('.files .file').length === 1", 60).await;
    browser.goto(&format!("{base}#/i/{id}/signatures")).await;
    for who in team.iter().map(|u| format!("inspector-{}", u.id)).chain(["enterprise".to_owned()]) {
        tap(browser, &format!("[data-sign='{who}']")).await;
        if who == "enterprise" {
            crate::page_steps::set(browser, "#sign input[name=name]", "王五").await;
        }
        crate::inspection_browser::draw(browser, "#sign").await;
        tap(browser, "#sign button[type=submit]").await;
        until(browser, "the signature is kept", &format!("!document.querySelector(\"[data-sign='{who}']\")")).await;
    }
    shot(browser, "05-signed").await;
}

async fn print_order(browser: &Browser, id: i64, number: &str) {
    let base = browser_url(browser).await;
    browser.goto(&format!("{base}#/print/{id}/rectification_order")).await;
    let text = browser.text(".doc").await;
    for expected in [
        number,
        "责令限期整改指令书",
        "罐区可燃气体报警器未投用",
        "紧急切断阀失效",
        "2027年01月15日前",
        "自送达之日起 10 个工作日内",
    ] {
        assert!(text.contains(expected), "the order prints “{expected}”: {text}");
    }
    shot(browser, "06-order").await;
}

/// Reloads with no network: the shell comes from the worker, the data from the vault.
async fn reload_offline(browser: &Browser, id: i64, codes: &[String]) {
    let base = browser_url(browser).await;
    browser.goto(&format!("{base}#/i/{id}/items")).await;
    run(browser, "location.reload();", json!([])).await;
    browser.type_into("#unlock input[name=pin]", PIN).await;
    browser.click("#unlock button[type=submit]").await;
    browser.wait_for("button.mark").await;
    let pressed =
        run(browser, "return document.querySelectorAll('button.mark[aria-pressed=true]').length;", json!([])).await;
    assert_eq!(pressed, json!(codes.len()), "every outcome survives the reload");
    browser.goto(&format!("{base}#/outbox")).await;
    until(browser, "the outbox lists what waits", "document.querySelectorAll('.op-waiting').length >= 5").await;
    shot(browser, "07-outbox-offline").await;
}

/// A screenshot named after the window's size, so both orientations can be looked at.
pub(crate) async fn shot(browser: &Browser, name: &str) {
    let size = run(browser, "return `${innerWidth}x${innerHeight}`;", json!([])).await;
    browser.screenshot(&format!("tablet-{}-{name}", size.as_str().unwrap_or_default())).await;
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let db = app.state.db.conn();
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_inspection_is_run_offline_on_a_landscape_tablet_and_arrives_exactly_once() {
    if browser_installed() {
        flow(Backend::Sqlite, (1024, 768)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_inspection_is_run_offline_on_a_portrait_tablet_against_postgres() {
    if browser_installed() && crate::helpers::postgres_or_skip("tablet portrait on PostgreSQL") {
        flow(Backend::Postgres, (768, 1024)).await;
    }
}

async fn flow(backend: Backend, (width, height): (u32, u32)) {
    let app = TestApp::spawn(backend).await;
    app.clock.set(chrono::Utc::now());
    let w = world(&app).await;
    let listed =
        crate::special_operations::worker(w.enterprise, "张三", crate::special_operations::IDS[0], Some("2024-03-01"));
    crate::special_operations::list(&app, &w.principal.token, &listed).await;
    let (a, b) = (inspector(&app, "zf1", "420103").await, inspector(&app, "zf2", "420103").await);
    let approver = app.user("pzr").role(Role::Approver).region("420103").create().await;
    let mut body = crate::inspection_support::new_inspection(&app, &[&a, &b], w.enterprise);
    body["checklist_hashes"] = json!([crate::inspection_browser::hazchem_hash(&app, &w.reg).await]);
    let (status, v) = app.post(&w.reg.token, "/api/v1/inspections", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().unwrap();
    let (status, v) = app.post(&approver.token, &format!("/api/v1/inspections/{id}/approve"), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let number =
        v["documents"].as_array().unwrap().iter().find(|d| d["type"] == "rectification_order").unwrap()["number"]
            .as_str()
            .unwrap()
            .to_owned();

    let proxy = Proxy::start(app.base.trim_start_matches("http://").parse().unwrap()).await;
    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    browser.resize(width, height).await;
    sign_in_and_download(&browser, &proxy, id, ("zf1", crate::helpers::PASSWORD)).await;

    proxy.set_up(false);
    let codes = walk(&browser, id).await;
    findings(&browser, id, &codes).await;
    let (video, video_hash) = video_file(20);
    media_and_signatures(&browser, id, &[&a, &b], &video).await;
    print_order(&browser, id, &number).await;
    reload_offline(&browser, id, &codes).await;
    let base = browser_url(&browser).await;
    browser.goto(&format!("{base}#/i/{id}/documents")).await;
    run(&browser, "window.confirm = () => true;", json!([])).await;
    tap(&browser, "#complete").await;
    browser.wait_for(".ok-note").await;

    // A second tablet (zf2's) starts the visit on the server and changes one item.
    let (status, v) = app.post(&b.token, &format!("/api/v1/inspections/{id}/start"), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let other = json!([{"code": codes[2], "outcome": "not_applicable", "note": "该储罐已停用", "base_version": 0}]);
    let (status, v) =
        crate::inspection_record::put(&app, &b.token, &format!("/api/v1/inspections/{id}/results"), &other).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    proxy.set_up(true);
    browser.goto(&format!("{base}#/outbox")).await;
    run(&browser, "document.getElementById('sync-now').click();", json!([])).await;
    settle(&app, &browser, &base, id, &codes[2]).await;
    check_exactly_once(&app, &a, id, &video_hash).await;
    revoke_lost_tablet(&app, &browser, &w.reg, &a).await;
    browser.close().await;
}

/// The tablet is reported lost: a regulator revokes its session, and the next time
/// the app opens (before any PIN) it is told so and wipes what it holds.
async fn revoke_lost_tablet(app: &TestApp, browser: &Browser, reg: &TestUser, a: &TestUser) {
    let (_, list) = app.get(&reg.token, &format!("/api/v1/sessions?user_id={}", a.id)).await;
    let tablet = list["items"].as_array().unwrap().iter().find(|s| s["device"] == DEVICE).unwrap()["id"].clone();
    let (status, v) = app.post(&reg.token, &format!("/api/v1/sessions/{tablet}/revoke"), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    run(browser, "location.reload();", json!([])).await;
    browser.wait_for("#signin").await;
    until(browser, "the app says why", "document.getElementById('flash').textContent.includes('已被吊销')").await;
    // The app opens a fresh, empty vault for the next sign-in: nothing of the old one is left.
    let left = "return new Promise((ok) => { const r = indexedDB.open('anjian-m'); r.onsuccess = () => { \
        const db = r.result; const names = Array.from(db.objectStoreNames); if (!names.length) { db.close(); ok(0); return; } \
        const t = db.transaction(names); let n = 0, done = 0; for (const s of names) { const c = t.objectStore(s).count(); \
        c.onsuccess = () => { n += c.result; if (++done === names.length) { db.close(); ok(n); } }; } }; });";
    assert_eq!(run(browser, left, json!([])).await, json!(0), "no record of the revoked session is left on the tablet");
    shot(browser, "10-revoked").await;
}

/// After the sync: the outbox shows the completion refused for the conflict; the item shows
/// the conflict; the inspector keeps the tablet's outcome and sends the completion again.
async fn settle(app: &TestApp, browser: &Browser, base: &str, id: i64, code: &str) {
    let _ = app;
    until_within(
        browser,
        "the completion is refused for the conflict",
        "document.querySelector('.op-refused') !== null && document.querySelectorAll('.op-waiting').length === 0",
        120,
    )
    .await;
    let reason = browser.text(".op-refused .warn").await;
    assert!(reason.contains(code), "the reason names the item: {reason}");
    shot(browser, "08-outbox-refused").await;
    browser.goto(&format!("{base}#/i/{id}/items")).await;
    let css = format!("#item-{code} .conflict");
    let text = browser.text(&css).await;
    assert!(text.contains("不适用") && text.contains("符合"), "both outcomes are shown: {text}");
    shot(browser, "09-conflict").await;
    tap(browser, &format!("{css} [data-how=kept_server]")).await;
    browser.goto(&format!("{base}#/outbox")).await;
    until_within(browser, "the choice is sent", "document.querySelectorAll('.op-waiting').length === 0", 30).await;
    tap(browser, "[data-retry]").await;
    until_within(browser, "the completion arrives", "document.querySelectorAll('.op-refused').length === 0 && document.querySelectorAll('.op-waiting').length === 0", 30).await;
}

async fn check_exactly_once(app: &TestApp, a: &TestUser, id: i64, video_hash: &str) {
    let (status, rec) = app.get(&a.token, &format!("/api/v1/inspections/{id}/record")).await;
    assert_eq!(status, StatusCode::OK, "{rec}");
    assert_eq!(rec["status"], "completed", "{rec}");
    let items = rec["items"].as_array().unwrap();
    assert!(items.iter().all(|i| i["outcome"].is_string()), "every item has its outcome");
    let photos: Vec<&Value> = items.iter().flat_map(|i| i["attachments"].as_array().unwrap()).collect();
    assert_eq!(photos.len(), 2, "two photos");
    for p in photos {
        let original = p["original_sha256"].as_str().unwrap_or_default();
        assert!(
            original.len() == 64 && original != p["sha256"],
            "the original's hash is kept beside the resized file: {p}"
        );
    }
    assert_eq!(rec["findings"].as_array().unwrap().len(), 2, "two findings, once each: {}", rec["findings"]);
    assert!(rec["findings"].as_array().unwrap().iter().all(|f| f["hazard_id"].is_i64()), "both became hazards");
    assert_eq!(rec["signatures"].as_array().unwrap().len(), 3, "three signatures, once each");
    let media: Vec<&Value> =
        rec["attachments"].as_array().unwrap().iter().filter(|f| f["purpose"] == "media").collect();
    assert_eq!(media.len(), 1, "the video once: {}", rec["attachments"]);
    assert_eq!(media[0]["sha256"], video_hash, "the server's hash is the capture hash");
    assert_eq!(media[0]["size"], 20 << 20);
    let q = |t: &str| format!("SELECT COUNT(*) FROM {t} WHERE inspection_id = {id}");
    assert_eq!(count(app, &q("inspection_findings")).await, 2);
    assert_eq!(count(app, &q("inspection_signatures")).await, 3);
    assert_eq!(count(app, &q("inspection_results")).await, 20);
    let audited =
        count(app, "SELECT COUNT(*) FROM audit_log WHERE entity = 'inspection_finding' AND action = 'create'").await;
    assert_eq!(audited, 2, "one change-log entry per finding");
}
