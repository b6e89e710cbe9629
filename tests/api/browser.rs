//! The pages in real Chromium, plus page-level checks over plain HTTP
//! (redirects, CSRF, roles) that need no browser. Chromium tests run on SQLite
//! only; without Chromium or chromedriver they fail under `CI=true` and are
//! skipped (with a note) otherwise. Set `ANJIAN_SCREENSHOT_DIR` to keep a
//! screenshot of every step for review.
//!
//! Chromium is driven through chromedriver over the W3C WebDriver protocol with
//! reqwest, not fantoccini: fantoccini's rustls connector needs a process-wide
//! rustls crypto provider, and this dependency graph enables both `ring`
//! (reqwest) and `aws-lc-rs` (hyper-rustls), so none is chosen automatically
//! and installing one needs `rustls` as a direct dev-dependency.

use crate::helpers::{Backend, PASSWORD, TestApp, TestUser, code, enterprise_body};
use anjian::auth::Role;
use anjian::auth::service::{NewUser, create_user};
use anjian::enterprise::domain::{RegionCode, Sector, SubType};
use anjian::enterprise::import::columns::COLUMNS;
use anjian::entities::{enterprise, licence};
use anjian::todo::{Assignee, NewTodo};
use reqwest::redirect::Policy;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Longest wait for a page element or for chromedriver to start.
const WAIT: Duration = Duration::from_secs(10);

/// chromedriver, killed when dropped (also when a test panics), and the
/// browser profile directory it uses.
struct Driver {
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
fn browser_installed() -> bool {
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

async fn start_chromedriver() -> Driver {
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
struct Browser {
    http: reqwest::Client,
    /// `http://127.0.0.1:PORT/session/ID`
    session: String,
}

/// The W3C key under which WebDriver returns an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Browser {
    async fn open(driver: &Driver) -> Self {
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

    async fn command(&self, method: Method, path: &str, body: Option<Value>) -> Result<Value, String> {
        let mut req = self.http.request(method, format!("{}{path}", self.session));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let ok = res.status().is_success();
        let v: Value = res.json().await.unwrap();
        if ok { Ok(v["value"].clone()) } else { Err(format!("{}: {}", v["value"]["error"], v["value"]["message"])) }
    }

    async fn goto(&self, url: &str) {
        self.command(Method::POST, "/url", Some(json!({"url": url}))).await.unwrap();
    }

    async fn source(&self) -> String {
        self.command(Method::GET, "/source", None).await.map(|v| v.as_str().unwrap_or_default().to_owned()).unwrap()
    }

    /// The element, once the page shows it (at most [`WAIT`]).
    async fn wait_for(&self, css: &str) -> String {
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

    async fn click(&self, css: &str) {
        let el = self.wait_for(css).await;
        self.command(Method::POST, &format!("/element/{el}/click"), Some(json!({}))).await.unwrap();
    }

    async fn type_into(&self, css: &str, text: &str) {
        let el = self.wait_for(css).await;
        self.command(Method::POST, &format!("/element/{el}/value"), Some(json!({"text": text}))).await.unwrap();
    }

    async fn text(&self, css: &str) -> String {
        let el = self.wait_for(css).await;
        let v = self.command(Method::GET, &format!("/element/{el}/text"), None).await.unwrap();
        v.as_str().unwrap_or_default().to_owned()
    }

    async fn attr(&self, css: &str, name: &str) -> String {
        let el = self.wait_for(css).await;
        let v = self.command(Method::GET, &format!("/element/{el}/attribute/{name}"), None).await.unwrap();
        v.as_str().unwrap_or_default().to_owned()
    }

    /// A PNG of the viewport; kept in `ANJIAN_SCREENSHOT_DIR` when set.
    async fn screenshot(&self, name: &str) -> Vec<u8> {
        let v = self.command(Method::GET, "/screenshot", None).await.unwrap();
        let png = base64_decode(v.as_str().unwrap_or_default());
        if let Some(dir) = std::env::var_os("ANJIAN_SCREENSHOT_DIR") {
            std::fs::write(PathBuf::from(dir).join(format!("{name}.png")), &png).unwrap();
        }
        png
    }

    async fn close(self) {
        self.command(Method::DELETE, "", None).await.unwrap();
    }
}

/// Standard base64 (WebDriver screenshots), without a dependency for it.
fn base64_decode(s: &str) -> Vec<u8> {
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

async fn sign_in(app: &TestApp, browser: &Browser, username: &str) {
    browser.goto(&app.url("/login")).await;
    browser.type_into("input[name=username]", username).await;
    browser.type_into("input[name=password]", PASSWORD).await;
    browser.click("form button[type=submit]").await;
    browser.wait_for(".who-name").await;
}

/// Rows as the roster template has them, from synthetic enterprises in 江汉区.
fn roster(n: usize) -> Vec<enterprise::Model> {
    let region = RegionCode::parse("420103").unwrap();
    let mut rng = anjian::demo::Rng::new(7);
    (0..n).map(|i| anjian::demo::synthetic_model(i, &region, &mut rng, crate::helpers::start_time())).collect()
}

/// A roster with the template's required columns, where row 3 has a wrong check
/// digit and row 5 an unknown 行业.
fn bad_roster(rows: &[enterprise::Model]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, col) in (0_u16..).zip(COLUMNS.iter().filter(|c| c.required)) {
        sheet.write_string(0, c, col.header).unwrap();
    }
    for (r, e) in (1_u32..).zip(rows) {
        let mut credit_code = e.credit_code.clone();
        if r == 2 {
            let last = credit_code.pop().unwrap();
            credit_code.push(if last == '0' { '1' } else { '0' });
        }
        let sector: Sector = e.sector.parse().unwrap();
        let sector = if r == 4 { "造船" } else { sector.zh() };
        let sub: SubType = e.sub_types.parse().unwrap();
        for (c, v) in (0_u16..).zip([credit_code.as_str(), &e.name, sector, sub.zh(), &e.region_code]) {
            sheet.write_string(r, c, v).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn write_file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

async fn upload(browser: &Browser, path: &str) {
    browser.type_into("#file", path).await;
    browser.click("#upload-button").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_regulator_fixes_a_bad_roster_previews_the_good_one_and_imports_it() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let rows = roster(5);
    // One enterprise is already registered under another name: it will show as changed.
    let first = &rows[0];
    app.enterprise(
        &reg.token,
        enterprise_body(&first.credit_code, "旧名称有限公司", &first.sector, &first.sub_types, "420103"),
    )
    .await;
    let files = tempfile::tempdir().unwrap();
    let bad = write_file(&files, "bad.xlsx", &bad_roster(&rows));
    let good_bytes = anjian::enterprise::export::workbook(&rows, &HashMap::<i64, licence::Model>::new()).unwrap();
    let good = write_file(&files, "good.xlsx", &good_bytes);

    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    sign_in(&app, &browser, "reg").await;
    browser.click("a[href='/enterprises/import']").await;

    upload(&browser, &bad).await;
    let errors = browser.text("#error-table").await;
    browser.screenshot("import-errors").await;
    let row_has =
        |row: &str, code: &str| errors.lines().any(|l| l.split_whitespace().next() == Some(row) && l.contains(code));
    assert!(row_has("3", "invalid_check_digit") && row_has("5", "unknown_sector"), "{errors}");
    assert!(browser.text("#import-problem").await.contains("未导入任何数据"));

    upload(&browser, &good).await;
    assert_eq!(browser.text("#count-new").await, "4");
    assert_eq!(browser.text("#count-changed").await, "1");
    assert_eq!(browser.text("#count-unchanged").await, "0");
    let changed = browser.text("#changed-table").await;
    assert!(changed.contains("旧名称有限公司") && changed.contains(&first.name), "{changed}");
    let png = browser.screenshot("import-preview").await;
    let shot = write_file(&files, "preview.png", &png);
    let saved = std::fs::read(&shot).unwrap();
    assert!(saved.len() > 1000 && saved.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG screenshot");

    browser.click("#confirm-button").await;
    assert_eq!(browser.text("#import-done").await, "导入完成：新增 4、更新 1、不变 0");
    browser.screenshot("import-done").await;

    browser.goto(&app.url("/enterprises?region=420103")).await;
    assert_eq!(browser.text("#total").await, "5");
    let list = browser.text("#enterprise-table").await;
    browser.screenshot("enterprise-list").await;
    for e in &rows {
        assert!(list.contains(&e.name), "{} missing from the list:\n{list}", e.name);
    }
    browser.click("#enterprise-table tbody a").await;
    assert!(browser.text(".grid-3").await.contains("WGS-84"));
    browser.screenshot("enterprise-detail").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_enterprise_activates_its_account_with_the_code_from_the_printed_letter() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let credit_code = code("420103", 1);
    let body = enterprise_body(&credit_code, "江汉化工有限公司", "hazardous_chemicals", "hc_storage", "420103");
    app.enterprise(&reg.token, body).await;
    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    sign_in(&app, &browser, "reg").await;
    browser.click("a[href='/enterprises/accounts']").await;
    browser.click("#accounts-form button[type=submit]").await;
    assert_eq!(browser.text("#count-issued").await, "1");
    browser.screenshot("accounts-result").await;

    let letters = browser.attr("#letters-link", "href").await;
    browser.goto(&app.url(&letters)).await;
    let activation_code = browser.text(".activation-code").await;
    assert!(browser.text(".letter").await.contains(&credit_code));
    browser.screenshot("accounts-letter").await;

    browser.goto(&app.url("/activate")).await;
    browser.type_into("input[name=code]", &activation_code).await;
    browser.type_into("input[name=new_password]", "Enterprise-new-pass-2026").await;
    browser.type_into("input[name=confirm_password]", "Enterprise-new-pass-2026").await;
    browser.click("form button[type=submit]").await;
    // Signed in as the enterprise's principal now, on the to-do page.
    assert!(browser.text(".who-name").await.contains("江汉化工有限公司"));
    assert_eq!(browser.text("h1").await, "待办事项");
    browser.close().await;
}

/// A client that shows redirects instead of following them.
fn http() -> reqwest::Client {
    reqwest::Client::builder().redirect(Policy::none()).build().unwrap()
}

fn cookie(u: &TestUser) -> String {
    format!("anjian_session={}", u.token)
}

fn location(res: &reqwest::Response) -> String {
    res.headers().get("location").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

#[tokio::test]
async fn an_anonymous_visitor_is_sent_to_the_login_page_and_back() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.user("reg").role(Role::Regulator).region("420103").create().await;
    let res = http().get(app.url("/enterprises?q=化工&page=2")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    assert!(to.starts_with("/login?next=/enterprises%3Fq%3D"), "{to}");

    let form = [("username", "reg"), ("password", PASSWORD), ("next", "/enterprises?page=2")];
    let res = http().post(app.url("/login")).form(&form).send().await.unwrap();
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/enterprises?page=2".to_owned()));
    let set = res.headers().get("set-cookie").unwrap().to_str().unwrap();
    assert!(set.starts_with("anjian_session=") && set.contains("HttpOnly"), "{set}");

    // Another site's address in `next` is ignored.
    let form = [("username", "reg"), ("password", PASSWORD), ("next", "//evil.example/")];
    let res = http().post(app.url("/login")).form(&form).send().await.unwrap();
    assert_eq!(location(&res), "/");
}

#[tokio::test]
async fn login_from_another_site_and_wrong_passwords_are_refused_on_the_page() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.user("reg").role(Role::Regulator).region("420103").create().await;
    let form = [("username", "reg"), ("password", PASSWORD)];
    let res = http().post(app.url("/login")).header("origin", "http://evil.example").form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.headers().get("set-cookie").is_none());

    let wrong = [("username", "reg"), ("password", "not-the-password")];
    let res = http().post(app.url("/login")).header("origin", app.base.as_str()).form(&wrong).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("用户名或密码错误"));
    for _ in 0..5 {
        http().post(app.url("/login")).form(&wrong).send().await.unwrap();
    }
    let res = http().post(app.url("/login")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.text().await.unwrap().contains("尝试次数过多"));
}

#[tokio::test]
async fn page_forms_without_the_session_csrf_token_change_nothing() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let posts = [
        ("/logout", vec![("csrf_token", "wrong")]),
        ("/enterprises/accounts", vec![("role_principal", "on")]),
        (
            "/password",
            vec![
                ("current_password", PASSWORD),
                ("new_password", "a-new-password-1"),
                ("confirm_password", "a-new-password-1"),
            ],
        ),
        ("/todos/1/done", vec![]),
    ];
    for (path, form) in posts {
        let res = http().post(app.url(path)).header("cookie", cookie(&reg)).form(&form).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{path}");
        assert!(res.text().await.unwrap().contains("表单已过期"), "{path}");
    }
    // Still signed in with the same password.
    let (status, _) = app.login("reg", PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    let res = http().get(app.url("/todos")).header("cookie", cookie(&reg)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn enterprise_users_see_their_own_enterprise_only_and_no_regulator_pages() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let own = app
        .enterprise(
            &reg.token,
            enterprise_body(&code("420103", 1), "甲化工", "hazardous_chemicals", "hc_use", "420103"),
        )
        .await;
    let other = app
        .enterprise(
            &reg.token,
            enterprise_body(&code("420103", 2), "乙化工", "hazardous_chemicals", "hc_use", "420103"),
        )
        .await;
    let boss = app.user("boss").role(Role::Principal).enterprise(own).create().await;
    let get = |path: String| http().get(app.url(&path)).header("cookie", cookie(&boss)).send();
    let res = get(format!("/enterprises/{own}")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("甲化工"));
    assert_eq!(get(format!("/enterprises/{other}")).await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(get("/enterprises/not-a-number".into()).await.unwrap().status(), StatusCode::NOT_FOUND);
    for path in ["/enterprises/import", "/enterprises/accounts"] {
        assert_eq!(get(path.into()).await.unwrap().status(), StatusCode::FORBIDDEN, "{path}");
    }
    let todos = get("/todos".into()).await.unwrap().text().await.unwrap();
    assert!(!todos.contains("名录导入") && todos.contains("本企业信息"));
}

#[tokio::test]
async fn the_stylesheet_and_the_blank_template_are_served() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let res = http().get(app.url("/assets/app.css")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["cache-control"].to_str().unwrap().contains("max-age=31536000"));
    let res =
        http().get(app.url("/enterprises/import/template.xlsx")).header("cookie", cookie(&reg)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], anjian::enterprise::export::XLSX_MIME);
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));
}

/// The hidden CSRF field's value in a page.
fn csrf_in(page: &str) -> String {
    let start = page.find(r#"name="csrf_token" value=""#).unwrap() + r#"name="csrf_token" value=""#.len();
    page[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_user_who_must_change_the_password_sees_only_the_password_page_until_done() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let ctx = app.state.audit_ctx("test".into());
    let txn = app.state.db.begin_write().await.unwrap();
    let bureau = anjian::bureau::ensure_for_region(&txn, &ctx, &RegionCode::parse("420103").unwrap()).await.unwrap();
    let user = NewUser {
        username: "temp".into(),
        display_name: "临时账号".into(),
        password_hash: anjian::auth::password::hash(PASSWORD).unwrap(),
        roles: vec![Role::Regulator],
        bureau_id: Some(bureau.id),
        must_change_password: true,
        ..NewUser::default()
    };
    create_user(&txn, &ctx, user).await.unwrap();
    txn.commit().await.unwrap();

    let form = [("username", "temp"), ("password", PASSWORD), ("next", "/enterprises")];
    let res = http().post(app.url("/login")).form(&form).send().await.unwrap();
    assert_eq!(location(&res), "/password");
    let set = res.headers()["set-cookie"].to_str().unwrap();
    let session = set.split(';').next().unwrap().to_owned();
    let get = |path: &'static str| http().get(app.url(path)).header("cookie", session.clone()).send();
    assert_eq!(location(&get("/enterprises").await.unwrap()), "/password");
    let page = get("/password").await.unwrap().text().await.unwrap();
    assert!(page.contains("首次登录"));
    let csrf = csrf_in(&page);

    let post = |new: &'static str, confirm: &'static str| {
        let form = [
            ("csrf_token", csrf.as_str()),
            ("current_password", PASSWORD),
            ("new_password", new),
            ("confirm_password", confirm),
        ];
        http().post(app.url("/password")).header("cookie", session.clone()).form(&form).send()
    };
    let res = post("a-brand-new-password", "a-different-password").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("两次输入的新密码不一致"));
    let res = post("a-brand-new-password", "a-brand-new-password").await.unwrap();
    assert_eq!(location(&res), "/");
    assert_eq!(get("/enterprises").await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn a_to_do_shows_in_beijing_time_and_is_completed_with_its_button() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let txn = app.state.db.begin_write().await.unwrap();
    let item = NewTodo {
        assignee: Assignee::User(reg.id),
        kind: "test",
        title: "核查甲化工整改情况".into(),
        link: "/enterprises".into(),
        dedupe_key: "test:1".into(),
    };
    anjian::todo::add(&txn, crate::helpers::start_time(), item).await.unwrap();
    txn.commit().await.unwrap();
    let get = || http().get(app.url("/todos")).header("cookie", cookie(&reg)).send();
    let page = get().await.unwrap().text().await.unwrap();
    assert!(
        page.contains(r#"<a href="/enterprises">核查甲化工整改情况</a>"#) && page.contains("2026-11-22 10:00"),
        "{page}"
    );
    let action = page.split(r#"action="/todos/"#).nth(1).unwrap().split('"').next().unwrap().to_owned();
    let form = [("csrf_token", reg.csrf.as_str())];
    let res = http()
        .post(app.url(&format!("/todos/{action}")))
        .header("cookie", cookie(&reg))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), "/todos");
    assert!(get().await.unwrap().text().await.unwrap().contains("暂无待办事项"));
}
