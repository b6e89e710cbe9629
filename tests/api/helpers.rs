//! Test harness: the real router on a fresh database per test, served on
//! 127.0.0.1:0; SQLite always, PostgreSQL too when `ANJIAN_TEST_POSTGRES_URL` is
//! set (a migrated template database copied per test and dropped after).

use anjian::auth::{
    Role,
    service::{NewUser, create_user},
};
use anjian::clock::FixedClock;
use anjian::db::Db;
use anjian::enterprise::domain::RegionCode;
use anjian::state::{AppState, Settings};
use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};
use tokio::sync::Mutex;

pub const PASSWORD: &str = "test-password-1234";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub clock: FixedClock,
    pub client: reqwest::Client,
    dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

/// The instant tests start at: 2026-11-22 10:00 in Beijing.
pub fn start_time() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-22T02:00:00Z").map(|t| t.to_utc()).unwrap()
}

pub fn postgres_url() -> Option<String> {
    std::env::var("ANJIAN_TEST_POSTGRES_URL").ok().filter(|s| !s.is_empty())
}

/// Runs a test body against SQLite, then PostgreSQL when configured. Under
/// `CI=true` a missing PostgreSQL URL is a failure, never a silent skip.
pub async fn on_each_backend<F, Fut>(f: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    on_each_backend_with(Settings::default, f).await;
}

/// Like [`on_each_backend`], with settings made fresh for each backend.
pub async fn on_each_backend_with<S, F, Fut>(settings: S, f: F)
where
    S: Fn() -> Settings,
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    f(TestApp::spawn_with(Backend::Sqlite, settings()).await).await;
    if postgres_url().is_some() {
        let app = TestApp::spawn_with(Backend::Postgres, settings()).await;
        let name = app.pg_name.clone();
        f(app).await;
        if let Some(name) = name {
            drop_pg_database(&name).await;
        }
    } else if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but ANJIAN_TEST_POSTGRES_URL is not set: PostgreSQL tests cannot be skipped in CI");
    }
}

static PG_TEMPLATE: OnceLock<Mutex<Option<String>>> = OnceLock::new();
static COUNTER: AtomicU32 = AtomicU32::new(0);

pub fn pg_admin_url() -> String {
    postgres_url().unwrap_or_default()
}

pub fn with_database(url: &str, db: &str) -> String {
    let base = url.rsplit_once('/').map_or(url, |(b, _)| b);
    format!("{base}/{db}")
}

async fn pg_exec(sql: &str) {
    use sea_orm::ConnectionTrait;
    let conn = sea_orm::Database::connect(pg_admin_url()).await.unwrap();
    conn.execute_unprepared(sql).await.unwrap();
    conn.close().await.unwrap();
}

/// Creates a database for one test from the migrated template (made once per process).
pub async fn fresh_pg_database() -> String {
    let lock = PG_TEMPLATE.get_or_init(|| Mutex::new(None));
    let mut template = lock.lock().await;
    let pid = std::process::id();
    if template.is_none() {
        let name = format!("anjian_tpl_{pid}");
        pg_exec(&format!("DROP DATABASE IF EXISTS {name}")).await;
        pg_exec(&format!("CREATE DATABASE {name}")).await;
        let db = Db::connect(&with_database(&pg_admin_url(), &name)).await.unwrap();
        db.migrate().await.unwrap();
        db.conn().clone().close().await.unwrap();
        *template = Some(name);
    }
    let name = format!("anjian_t_{pid}_{}", COUNTER.fetch_add(1, Ordering::SeqCst));
    let tpl = template.clone().unwrap_or_default();
    pg_exec(&format!("DROP DATABASE IF EXISTS {name}")).await;
    pg_exec(&format!("CREATE DATABASE {name} TEMPLATE {tpl}")).await;
    name
}

/// An empty database, not even migrated (for tests of first starts).
pub async fn empty_pg_database() -> String {
    let name = format!("anjian_e_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
    pg_exec(&format!("DROP DATABASE IF EXISTS {name}")).await;
    pg_exec(&format!("CREATE DATABASE {name}")).await;
    name
}

/// Whether the PostgreSQL tests run; under `CI=true` their absence is a failure.
pub fn postgres_or_skip(test: &str) -> bool {
    if postgres_url().is_some() {
        return true;
    }
    assert!(
        !std::env::var("CI").is_ok_and(|v| v == "true"),
        "CI=true but ANJIAN_TEST_POSTGRES_URL is not set: {test} cannot be skipped in CI"
    );
    eprintln!("{test}: skipped (set ANJIAN_TEST_POSTGRES_URL to run it)");
    false
}

pub async fn drop_pg_database(name: &str) {
    pg_exec(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, Settings::default()).await
    }

    pub async fn spawn_with(backend: Backend, settings: Settings) -> Self {
        let (url, dir, pg_name) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let url = dir.path().join("test.db").display().to_string();
                (url, Some(dir), None)
            }
            Backend::Postgres => {
                let name = fresh_pg_database().await;
                (with_database(&pg_admin_url(), &name), None, Some(name))
            }
        };
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        let clock = FixedClock::new(start_time());
        let state = AppState::new(db, Arc::new(clock.clone()), settings).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = anjian::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let client = reqwest::Client::builder().cookie_store(false).build().unwrap();
        Self { base: format!("http://{addr}"), state, clock, client, dir, pg_name }
    }

    /// The SQLite file (SQLite backend only), for running the CLI against it.
    pub fn sqlite_path(&self) -> Option<String> {
        self.dir.as_ref().map(|d| d.path().join("test.db").display().to_string())
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Starts building a user.
    pub fn user(&self, username: &str) -> UserBuilder<'_> {
        UserBuilder {
            app: self,
            user: NewUser { username: username.to_owned(), display_name: username.to_owned(), ..NewUser::default() },
            region: None,
            insurer: None,
        }
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn get(&self, token: &str, path: &str) -> (StatusCode, Value) {
        self.send(self.client.get(self.url(path)).bearer_auth(token)).await
    }

    pub async fn post(&self, token: &str, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send(self.client.post(self.url(path)).bearer_auth(token).json(body)).await
    }

    pub async fn patch(&self, token: &str, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send(self.client.patch(self.url(path)).bearer_auth(token).json(body)).await
    }

    pub async fn upload(&self, token: &str, path: &str, name: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
        let form = reqwest::multipart::Form::new().part("file", part);
        self.send(self.client.post(self.url(path)).bearer_auth(token).multipart(form)).await
    }

    pub async fn login(&self, username: &str, password: &str) -> (StatusCode, Value) {
        self.send(
            self.client.post(self.url("/api/v1/auth/login")).json(&json!({"username": username, "password": password})),
        )
        .await
    }

    /// Registers an enterprise through the API and returns its id.
    pub async fn enterprise(&self, token: &str, body: Value) -> i64 {
        let (status, v) = self.post(token, "/api/v1/enterprises", &body).await;
        assert_eq!(status, StatusCode::CREATED, "creating enterprise: {v}");
        v["id"].as_i64().unwrap()
    }
}

static HASH: OnceLock<String> = OnceLock::new();

pub struct UserBuilder<'a> {
    app: &'a TestApp,
    user: NewUser,
    region: Option<String>,
    insurer: Option<String>,
}

/// A signed-in test user.
pub struct TestUser {
    pub id: i64,
    pub token: String,
    pub csrf: String,
}

impl UserBuilder<'_> {
    pub fn role(mut self, r: Role) -> Self {
        self.user.roles.push(r);
        if r == Role::Inspector {
            self.user.certificate_no = Some("42010300001".into());
            self.user.certificate_valid_until = chrono::NaiveDate::from_ymd_opt(2028, 12, 31);
        }
        self
    }

    pub fn region(mut self, code: &str) -> Self {
        self.region = Some(code.to_owned());
        self
    }

    pub fn enterprise(mut self, id: i64) -> Self {
        self.user.enterprise_ids.push(id);
        self
    }

    /// A user of this insurer (created by name when unknown); give it `Role::Insurer`.
    pub fn insurer(mut self, name: &str) -> Self {
        self.insurer = Some(name.to_owned());
        self
    }

    pub fn sectors(mut self, s: &[&str]) -> Self {
        self.user.sectors = Some(s.iter().map(|x| (*x).to_owned()).collect());
        self
    }

    /// Creates the user directly through the service, then logs in through the API.
    pub async fn create(mut self) -> TestUser {
        let hash = HASH.get_or_init(|| anjian::auth::password::hash(PASSWORD).unwrap()).clone();
        self.user.password_hash = hash;
        let state = &self.app.state;
        let ctx = state.audit_ctx("test".into());
        let txn = state.db.begin_write().await.unwrap();
        if let Some(r) = &self.region {
            let b = anjian::bureau::ensure_for_region(&txn, &ctx, &RegionCode::parse(r).unwrap()).await.unwrap();
            self.user.bureau_id = Some(b.id);
        }
        let username = self.user.username.clone();
        let u = create_user(&txn, &ctx, self.user).await.unwrap();
        if let Some(name) = &self.insurer {
            let ins = anjian::insurance::insurers::find_or_create(&txn, name, None, ctx.at).await.unwrap();
            anjian::insurance::insurers::link(&txn, u.id, ins.id).await.unwrap();
        }
        txn.commit().await.unwrap();
        let (status, v) = self.app.login(&username, PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "login {username}: {v}");
        TestUser {
            id: u.id,
            token: v["token"].as_str().unwrap().to_owned(),
            csrf: v["user"]["csrf_token"].as_str().unwrap().to_owned(),
        }
    }
}

/// A valid enterprise body in a region.
pub fn enterprise_body(code: &str, name: &str, sector: &str, sub: &str, region: &str) -> Value {
    json!({"credit_code": code, "name": name, "sector": sector, "sub_types": [sub], "region_code": region})
}

/// A valid credit code whose body is `91` + region + an 8-digit serial + `X`.
pub fn code(region: &str, serial: u32) -> String {
    anjian::enterprise::domain::CreditCode::from_body(&format!("91{region}{serial:08}X")).unwrap().as_str().to_owned()
}

/// The cells of a worksheet of an xlsx workbook, as text.
pub fn sheet_rows(bytes: Vec<u8>, sheet: &str) -> Vec<Vec<String>> {
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = calamine::Reader::worksheet_range(&mut book, sheet).unwrap();
    range.rows().map(|r| r.iter().map(ToString::to_string).collect()).collect()
}

/// A county regulator, one enterprise of the county, and its principal and safety officer.
pub struct World {
    pub reg: TestUser,
    pub enterprise: i64,
    pub principal: TestUser,
    pub officer: TestUser,
}

pub async fn world(app: &TestApp) -> World {
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let body = enterprise_body(&code("420103", 1), "甲化工有限公司", "hazardous_chemicals", "hc_production", "420103");
    let enterprise = app.enterprise(&reg.token, body).await;
    let principal = app.user("fzr").role(Role::Principal).enterprise(enterprise).create().await;
    let officer = app.user("aqy").role(Role::SafetyOfficer).enterprise(enterprise).create().await;
    World { reg, enterprise, principal, officer }
}
