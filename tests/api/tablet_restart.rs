//! The server is killed (SIGKILL) while the tablet is uploading a large recording,
//! and started again on the same database and files: the tablet resumes where the
//! server stopped, and the recording arrives once, with the capture hash.
//!
//! The real `anjian` binary with its demo data on a SQLite file, behind the test's
//! TCP proxy, so the tablet's origin stays the same across the restart.

use crate::page_steps::{run, until_within};
use crate::process::{Server, serve};
use crate::proxy::Proxy;
use crate::tablet_browser::{browser_url, pick_file, shot, sign_in_and_download, video_file};
use crate::webdriver::{Browser, browser_installed, start_chromedriver};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const INSPECTOR: (&str, &str) = ("jianghan_zf", "anjian-demo-2026");
/// Large enough that the upload takes many 4 MiB chunks.
const VIDEO_MIB: usize = 48;

async fn rows(db: &DatabaseConnection, sql: &str) -> Vec<(i64, i64)> {
    let stmt = Statement::from_string(db.get_database_backend(), sql);
    let found = db.query_all_raw(stmt).await.unwrap();
    found.iter().map(|r| (r.try_get_by_index::<i64>(0).unwrap(), r.try_get_by_index::<i64>(1).unwrap())).collect()
}

fn upstream(server: &Server) -> std::net::SocketAddr {
    server.base.trim_start_matches("http://").parse().unwrap()
}

/// Starts the visit offline and keeps the recording on the tablet.
async fn record_offline(browser: &Browser, id: i64, video: &str) {
    let base = browser_url(browser).await;
    browser.goto(&format!("{base}#/i/{id}")).await;
    let stub = "Object.defineProperty(navigator.geolocation, 'getCurrentPosition', {value: (ok, no) => \
                no({code: 2, message: 'no fix underground'})});";
    run(browser, stub, json!([])).await;
    browser.type_into("#start textarea[name=people]", "李四（安全管理人员）").await;
    browser.click("#start button[type=submit]").await;
    browser.wait_for("button.mark").await;
    browser.goto(&format!("{base}#/i/{id}/media")).await;
    pick_file(browser, "#media", video).await;
    until_within(browser, "the recording is kept", "document.querySelectorAll('.files .file').length === 1", 120).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_killed_mid_upload_and_restarted_ends_with_the_recording_once() {
    if !browser_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("restart.db").display().to_string();
    let mut server = serve(&db_path, dir.path(), &[]).await;
    let proxy = Proxy::start(upstream(&server)).await;
    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    browser.resize(1024, 768).await;
    let id = 1;
    sign_in_and_download(&browser, &proxy, id, INSPECTOR).await;

    proxy.set_up(false);
    let (video, hash) = video_file(VIDEO_MIB);
    record_offline(&browser, id, &video).await;
    proxy.set_up(true);
    let base = browser_url(&browser).await;
    browser.goto(&format!("{base}#/outbox")).await;
    run(&browser, "document.getElementById('sync-now').click();", json!([])).await;

    // Kill the server once part of the file has arrived, not all of it.
    let size = i64::try_from(VIDEO_MIB << 20).unwrap();
    let watch = Database::connect(format!("sqlite://{db_path}?mode=ro")).await.unwrap();
    let deadline = Instant::now() + Duration::from_mins(2);
    let received = loop {
        let r = rows(&watch, "SELECT received, size FROM upload_sessions").await;
        if let Some((received, _)) = r.iter().find(|(got, of)| *of == size && *got > 0) {
            break *received;
        }
        assert!(Instant::now() < deadline, "the upload did not start: {r:?}\n{}", server.log());
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    watch.close().await.unwrap();
    assert!(received < size, "killed mid-upload ({received} of {size} bytes)");

    let server = serve(&db_path, dir.path(), &[]).await;
    proxy.set_upstream(upstream(&server));
    until_within(
        &browser,
        "the outbox empties after the restart",
        "document.querySelectorAll('.op-waiting').length === 0 && document.querySelectorAll('.op-refused').length === 0",
        240,
    )
    .await;
    shot(&browser, "11-after-restart").await;

    let client = reqwest::Client::new();
    let login = json!({"username": INSPECTOR.0, "password": INSPECTOR.1});
    let res = client.post(format!("{}/api/v1/auth/login", server.base)).json(&login).send().await.unwrap();
    let token = res.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned();
    let res = client.get(format!("{}/api/v1/inspections/{id}/record", server.base)).bearer_auth(&token).send();
    let rec: Value = res.await.unwrap().json().await.unwrap();
    let media: Vec<&Value> =
        rec["attachments"].as_array().unwrap().iter().filter(|f| f["purpose"] == "media").collect();
    assert_eq!(media.len(), 1, "the recording once: {}", rec["attachments"]);
    assert_eq!((media[0]["sha256"].as_str(), media[0]["size"].as_i64()), (Some(hash.as_str()), Some(size)));
    let db = Database::connect(format!("sqlite://{db_path}?mode=ro")).await.unwrap();
    let stored = rows(&db, &format!("SELECT COUNT(*), 0 FROM attachments WHERE sha256 = '{hash}'")).await;
    assert_eq!(stored, [(1, 0)], "one stored file for the recording");
    browser.close().await;
}
