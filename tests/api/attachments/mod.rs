//! Attachments for any record: chunked resumable uploads, declared hashes,
//! capture metadata, byte ranges, metadata stripping for enterprise users,
//! visibility through the owner, and the migration of hazard attachments.

mod chunked;
mod migration;
mod serving;

use crate::helpers::{TestApp, TestUser, code, enterprise_body};
use anjian::auth::Role;
use anjian::state::Settings;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Settings whose files directory is removed with the returned guard.
pub fn private_files() -> (tempfile::TempDir, impl Fn() -> Settings) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let counter = std::sync::atomic::AtomicU32::new(0);
    let settings = move || {
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Settings { files_dir: root.join(format!("files-{n}")), ..Settings::default() }
    };
    (dir, settings)
}

pub struct World {
    pub reg: TestUser,
    pub enterprise: i64,
    pub principal: TestUser,
    pub officer: TestUser,
    pub stranger: TestUser,
}

/// [`crate::helpers::world`] and a principal of another enterprise.
pub async fn world(app: &TestApp) -> World {
    let crate::helpers::World { reg, enterprise, principal, officer } = crate::helpers::world(app).await;
    let body = enterprise_body(&code("420103", 2), "乙机械有限公司", "industry_trade", "it_machinery", "420103");
    let other = app.enterprise(&reg.token, body).await;
    let stranger = app.user("other").role(Role::Principal).enterprise(other).create().await;
    World { reg, enterprise, principal, officer, stranger }
}

/// Uploads a whole file with extra multipart fields; returns the status and body.
pub async fn upload_with(
    app: &TestApp,
    u: &TestUser,
    name: &str,
    bytes: Vec<u8>,
    fields: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text((*k).to_owned(), (*v).to_owned());
    }
    form = form.part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()));
    app.send(app.client.post(app.url("/api/v1/attachments")).bearer_auth(&u.token).multipart(form)).await
}

/// Reports a general self-found hazard of the world's enterprise with these photos.
pub async fn hazard_with(app: &TestApp, w: &World, ids: &[i64]) -> Value {
    let body = json!({
        "enterprise_id": w.enterprise, "source": "self_check", "level": "general", "category": "unsafe_condition",
        "title": "配电箱门未关闭", "description": "二车间配电箱柜门敞开", "location": "二车间",
        "found_at": "2026-11-21T08:00:00Z", "deadline": "2026-12-10", "attachment_ids": ids,
    });
    let (status, h) = app.post(&w.principal.token, "/api/v1/hazards", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{h}");
    h
}

/// Number of attachment rows.
pub async fn attachment_rows(app: &TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    anjian::entities::attachment::Entity::find().count(app.state.db.conn()).await.unwrap()
}
