//! `Idempotency-Key`: a retried write is answered from the first answer and
//! creates nothing; another request under the same key is refused; keys are
//! per user, checked, claimed against concurrent twins, and purged after 7 days.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend, world};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn hazard(enterprise: i64, level: &str, title: &str) -> Value {
    json!({
        "enterprise_id": enterprise, "source": "self_check", "level": level, "category": "unsafe_condition",
        "title": title, "description": "罐区 3 台报警器未投用",
        "location": "罐区", "found_at": "2026-11-21T08:00:00Z", "deadline": "2026-12-10",
    })
}

/// One answer as sent: status, body text, and whether it was a replay.
struct Answer {
    status: StatusCode,
    text: String,
    replayed: bool,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap()
    }
}

async fn answer(req: reqwest::RequestBuilder) -> Answer {
    let res = req.send().await.unwrap();
    let status = res.status();
    let replayed = res.headers().get("idempotency-replayed").is_some_and(|v| v == "true");
    Answer { status, text: res.text().await.unwrap(), replayed }
}

/// A bearer-token POST with a key.
async fn keyed(app: &TestApp, u: &TestUser, key: &str, path: &str, body: &Value) -> Answer {
    answer(app.client.post(app.url(path)).bearer_auth(&u.token).header("Idempotency-Key", key).json(body)).await
}

async fn hazard_total(app: &TestApp, u: &TestUser) -> i64 {
    let (status, list) = app.get(&u.token, "/api/v1/hazards").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["total"].as_i64().unwrap()
}

#[tokio::test]
async fn a_retried_hazard_creation_creates_one_hazard_and_gets_the_same_answer() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let body = hazard(w.enterprise, "general", "储罐区可燃气体报警器失效");
        let first = keyed(&app, &w.officer, "tablet-1:hz-0001", "/api/v1/hazards", &body).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
        assert!(!first.replayed);
        let retry = keyed(&app, &w.officer, "tablet-1:hz-0001", "/api/v1/hazards", &body).await;
        assert_eq!((retry.status, retry.replayed), (StatusCode::CREATED, true));
        assert_eq!(retry.text, first.text, "the retry gets the first body byte for byte");
        assert_eq!(retry.json()["id"], first.json()["id"]);
        assert_eq!(hazard_total(&app, &w.reg).await, 1);
        // Without a key, the same body is a new hazard.
        let (status, _) = app.post(&w.officer.token, "/api/v1/hazards", &body).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(hazard_total(&app, &w.reg).await, 2);
    })
    .await;
}

#[tokio::test]
async fn a_retried_enterprise_registration_registers_one_enterprise() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let body = enterprise_body(&code("420103", 7), "乙烟花批发有限公司", "fireworks", "fw_wholesale", "420103");
        let first = keyed(&app, &reg, "ent-7", "/api/v1/enterprises", &body).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
        let retry = keyed(&app, &reg, "ent-7", "/api/v1/enterprises", &body).await;
        assert_eq!((retry.status, retry.replayed, &retry.text), (StatusCode::CREATED, true, &first.text));
        let (_, list) = app.get(&reg.token, "/api/v1/enterprises").await;
        assert_eq!(list["total"], 1, "{list}");
    })
    .await;
}

#[tokio::test]
async fn a_retried_step_is_taken_once() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let (status, h) =
            app.post(&w.principal.token, "/api/v1/hazards", &hazard(w.enterprise, "major", "液氨泄漏")).await;
        assert_eq!(status, StatusCode::CREATED, "{h}");
        let path = format!("/api/v1/hazards/{}/confirm", h["id"]);
        let note = json!({"note": "经研究认定为重大事故隐患"});
        let first = keyed(&app, &w.reg, "confirm-1", &path, &note).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.text);
        let retry = keyed(&app, &w.reg, "confirm-1", &path, &note).await;
        assert_eq!((retry.status, retry.replayed, &retry.text), (StatusCode::OK, true, &first.text));
        let (_, now) = app.get(&w.reg.token, &format!("/api/v1/hazards/{}", h["id"])).await;
        let steps: Vec<&str> =
            now["timeline"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(steps, ["report", "confirm"]);
        // Without the key the step would be refused as illegal now: the replay did not run it.
        let (status, _) = app.post(&w.reg.token, &path, &note).await;
        assert_eq!(status, StatusCode::CONFLICT);
    })
    .await;
}

#[tokio::test]
async fn the_same_key_for_another_request_is_refused() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let first = keyed(&app, &w.officer, "k1", "/api/v1/hazards", &hazard(w.enterprise, "general", "甲")).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
        let other = keyed(&app, &w.officer, "k1", "/api/v1/hazards", &hazard(w.enterprise, "general", "乙")).await;
        assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", other.text);
        assert_eq!(other.json()["error"]["code"], "idempotency_key_reused");
        // The same key on another route is another request too.
        let id = first.json()["id"].clone();
        let step = keyed(&app, &w.officer, "k1", &format!("/api/v1/hazards/{id}/submit"), &json!({})).await;
        assert_eq!(step.json()["error"]["code"], "idempotency_key_reused", "{}", step.text);
        assert_eq!(hazard_total(&app, &w.reg).await, 1);
    })
    .await;
}

#[tokio::test]
async fn keys_of_different_users_are_independent() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let body = hazard(w.enterprise, "general", "同一个键");
        let a = keyed(&app, &w.officer, "shared-key", "/api/v1/hazards", &body).await;
        let b = keyed(&app, &w.principal, "shared-key", "/api/v1/hazards", &body).await;
        assert_eq!((a.status, b.status), (StatusCode::CREATED, StatusCode::CREATED), "{} {}", a.text, b.text);
        assert!(!b.replayed);
        assert_ne!(a.json()["id"], b.json()["id"]);
        assert_eq!(hazard_total(&app, &w.reg).await, 2);
    })
    .await;
}

#[tokio::test]
async fn a_bad_key_is_refused_naming_the_header_and_nothing_is_written() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let body = hazard(w.enterprise, "general", "坏键");
        for bad in ["", "has space", &"x".repeat(256)] {
            let a = keyed(&app, &w.officer, bad, "/api/v1/hazards", &body).await;
            assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}: {}", a.text);
            let v = a.json();
            assert_eq!(v["error"]["code"], "validation_failed");
            assert!(v["error"]["fields"]["Idempotency-Key"].is_array(), "{v}");
        }
        let ok = keyed(&app, &w.officer, &"x".repeat(255), "/api/v1/hazards", &body).await;
        assert_eq!(ok.status, StatusCode::CREATED, "255 characters are accepted: {}", ok.text);
        assert_eq!(hazard_total(&app, &w.reg).await, 1);
    })
    .await;
}

// Several worker threads, so that the server really runs the requests side by side.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_with_one_key_create_one_record() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let body = hazard(w.enterprise, "general", "并发重试");
        let sends = (0..8).map(|_| keyed(&app, &w.officer, "burst", "/api/v1/hazards", &body));
        let answers = futures::future::join_all(sends).await;
        let created: Vec<&Answer> = answers.iter().filter(|a| a.status == StatusCode::CREATED).collect();
        assert!(!created.is_empty());
        assert!(created.iter().all(|a| a.text == created[0].text), "every 201 is the one first answer");
        for a in answers.iter().filter(|a| a.status != StatusCode::CREATED) {
            assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.text);
            assert_eq!(a.json()["error"]["code"], "idempotency_key_in_progress");
        }
        assert_eq!(hazard_total(&app, &w.reg).await, 1);
        let after = keyed(&app, &w.officer, "burst", "/api/v1/hazards", &body).await;
        assert_eq!((after.status, after.replayed, &after.text), (StatusCode::CREATED, true, &created[0].text));
    })
    .await;
}

/// Signs in again (sessions end long before a key does).
async fn again(app: &TestApp, username: &str, id: i64) -> TestUser {
    let (status, v) = app.login(username, crate::helpers::PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    TestUser {
        id,
        token: v["token"].as_str().unwrap().to_owned(),
        csrf: v["user"]["csrf_token"].as_str().unwrap().to_owned(),
    }
}

#[tokio::test]
async fn a_key_is_kept_seven_days_and_forgotten_after_the_purge() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let body = hazard(w.enterprise, "general", "七天");
        let first = keyed(&app, &w.officer, "week", "/api/v1/hazards", &body).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
        let start = crate::helpers::start_time();
        app.clock.set(start + chrono::TimeDelta::days(7) - chrono::TimeDelta::minutes(1));
        let report = anjian::jobs::run_due(&app.state).await.unwrap();
        assert_eq!(report.idempotency_purged, 0, "kept for seven days");
        let officer = again(&app, "aqy", w.officer.id).await;
        let still = keyed(&app, &officer, "week", "/api/v1/hazards", &body).await;
        assert_eq!((still.replayed, &still.text), (true, &first.text));

        app.clock.set(start + chrono::TimeDelta::days(7) + chrono::TimeDelta::minutes(1));
        let report = anjian::jobs::run_due(&app.state).await.unwrap();
        assert_eq!(report.idempotency_purged, 1);
        let officer = again(&app, "aqy", w.officer.id).await;
        let again = keyed(&app, &officer, "week", "/api/v1/hazards", &body).await;
        assert_eq!((again.status, again.replayed), (StatusCode::CREATED, false), "{}", again.text);
        assert_ne!(again.json()["id"], first.json()["id"]);
        assert_eq!(hazard_total(&app, &officer).await, 2);
    })
    .await;
}

#[tokio::test]
async fn a_refused_request_keeps_no_answer_so_a_corrected_retry_runs() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let mut body = hazard(w.enterprise, "general", "");
        let refused = keyed(&app, &w.officer, "fix-me", "/api/v1/hazards", &body).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text);
        body["title"] = json!("补填标题");
        let fixed = keyed(&app, &w.officer, "fix-me", "/api/v1/hazards", &body).await;
        assert_eq!((fixed.status, fixed.replayed), (StatusCode::CREATED, false), "{}", fixed.text);
        assert_eq!(hazard_total(&app, &w.reg).await, 1);
    })
    .await;
}

#[tokio::test]
async fn cookie_sessions_with_csrf_are_keyed_and_anonymous_requests_are_not() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let body = hazard(w.enterprise, "general", "浏览器提交");
        let send = || {
            let cookie = format!("{}={}", anjian::auth::SESSION_COOKIE, w.officer.token);
            let req = app.client.post(app.url("/api/v1/hazards")).header("cookie", cookie);
            answer(req.header("x-csrf-token", &w.officer.csrf).header("Idempotency-Key", "web-1").json(&body))
        };
        let first = send().await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
        let retry = send().await;
        assert_eq!((retry.replayed, &retry.text), (true, &first.text));
        let anonymous =
            answer(app.client.post(app.url("/api/v1/hazards")).header("Idempotency-Key", "web-1").json(&body)).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
        assert_eq!(hazard_total(&app, &w.reg).await, 1);
    })
    .await;
}

#[tokio::test]
async fn a_retried_upload_returns_the_first_receipt() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let upload = || {
            let part =
                reqwest::multipart::Part::bytes(b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00photo".to_vec()).file_name("a.jpg");
            let form = reqwest::multipart::Form::new().part("file", part);
            let req = app.client.post(app.url("/api/v1/attachments")).bearer_auth(&w.officer.token);
            answer(req.header("Idempotency-Key", "photo-1").multipart(form))
        };
        let first = upload().await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
        let retry = upload().await;
        assert_eq!((retry.status, retry.replayed, &retry.text), (StatusCode::CREATED, true, &first.text));
    })
    .await;
}

#[tokio::test]
async fn the_openapi_document_names_the_header_on_keyed_operations_only() {
    let doc = serde_json::to_value(anjian::openapi::document()).unwrap();
    let names = |path: &str, method: &str| -> Vec<String> {
        doc["paths"][path][method]["parameters"]
            .as_array()
            .map(|ps| ps.iter().filter_map(|p| p["name"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    };
    for (path, method) in
        [("/api/v1/hazards", "post"), ("/api/v1/hazards/{id}/report", "put"), ("/api/v1/attachments", "post")]
    {
        assert!(names(path, method).contains(&"Idempotency-Key".to_owned()), "{method} {path}");
    }
    assert!(!names("/api/v1/hazards", "get").contains(&"Idempotency-Key".to_owned()));
    let answers = &doc["paths"]["/api/v1/todos/{id}/done"]["post"]["responses"];
    assert!(answers["409"].is_object() && answers["422"].is_object(), "the key's refusals are documented: {answers}");
    // Every entry of the list names an operation that exists (a renamed route is not silently unkeyed).
    for (method, pattern) in anjian::idempotency::KEYED {
        let keyed_ops = doc["paths"].as_object().unwrap().iter().filter(|(path, item)| {
            anjian::idempotency::is_keyed(method, path) && item.get(method.to_lowercase()).is_some()
        });
        assert!(keyed_ops.count() > 0, "{method} {pattern} names no documented operation");
    }
    assert!(!names("/api/v1/auth/login", "post").contains(&"Idempotency-Key".to_owned()));
}

#[tokio::test]
async fn a_claim_left_running_by_a_crash_is_never_run_twice() {
    on_each_backend(|app| async move {
        use sea_orm::ConnectionTrait;
        let w = world(&app).await;
        let body = hazard(w.enterprise, "general", "崩溃");
        let first = keyed(&app, &w.officer, "crash-1", "/api/v1/hazards", &body).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
        // As if the process died after the handler's commit, before the answer was stored.
        let sql = "UPDATE idempotency_keys SET completed = FALSE, status = NULL, body = NULL";
        app.state.db.conn().execute_unprepared(sql).await.unwrap();
        let retry = keyed(&app, &w.officer, "crash-1", "/api/v1/hazards", &body).await;
        assert_eq!(retry.status, StatusCode::CONFLICT, "{}", retry.text);
        assert_eq!(retry.json()["error"]["code"], "idempotency_key_in_progress");
        assert_eq!(hazard_total(&app, &w.reg).await, 1);
    })
    .await;
}
