//! What the logs say: a request's span carries the user, the record and the
//! action; a job runs in a span naming it, and its failure is logged once with
//! the whole cause chain while the other jobs' work is kept.

use crate::process::{PASSWORD, add_regulator, anjian, login, serve_logging};
use serde_json::{Value, json};

#[tokio::test]
async fn spans_name_the_user_the_record_and_the_action_and_a_failed_job() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("obs.db").display().to_string();
    assert!(anjian(&db, &["migrate"], "").status.success());
    add_regulator(&db, "reg");
    let server = serve_logging(&db, dir.path(), &["--no-demo"], "info,tower_http=debug").await;
    let client = reqwest::Client::new();
    let token = login(&client, &server.base, "reg").await;
    let post = async |path: &str, body: Value| -> Value {
        let res = client.post(format!("{}{path}", server.base)).bearer_auth(&token).json(&body).send().await.unwrap();
        assert!(res.status().is_success(), "{path}: {}", res.status());
        res.json().await.unwrap()
    };
    let e = post(
        "/api/v1/enterprises",
        crate::helpers::enterprise_body(&crate::helpers::code("420103", 1), "甲", "fireworks", "fw_retail", "420103"),
    )
    .await;
    let h = post("/api/v1/hazards", json!({"enterprise_id": e["id"], "source": "tip_off", "level": "major",
        "category": "unsafe_condition", "title": "仓库超量储存", "description": "d", "found_at": "2026-11-21T08:00:00Z"}))
    .await;
    let id = h["id"].as_i64().unwrap();
    post(&format!("/api/v1/hazards/{id}/confirm"), json!({})).await;
    let user_id = login_id(&client, &server.base, &token).await;
    let log = server.log();
    let path = format!("path=/api/v1/hazards/{id}/confirm");
    let line = log.lines().find(|l| l.contains(&path) && l.contains("finished processing")).unwrap_or_default();
    assert!(!log.contains('\u{1b}'), "a log file has no terminal colours");
    for want in [format!("user.id={user_id}"), format!("record.id={id}"), "action=confirm".to_owned()] {
        assert!(line.contains(&want), "{want} missing from the request's log line: {line}\n{log}");
    }
    assert!(!log.contains(PASSWORD), "no password in the log");

    // A broken bulletin build: the job fails alone, once, with its cause; the deadline job's work stays.
    let conn = anjian::db::Db::connect(&db).await.unwrap();
    sea_orm::ConnectionTrait::execute_unprepared(
        conn.conn(),
        "CREATE TRIGGER refuse_bulletin BEFORE INSERT ON bulletins BEGIN SELECT RAISE(ABORT, 'bulletins broken'); END",
    )
    .await
    .unwrap();
    let out = anjian(&db, &["jobs", "run", "--once", "--at", "2026-12-02T01:00:00Z"], "");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "a failed job fails the command: {stdout}\n{stderr}");
    let report: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(report["jobs"]["failed"], json!(["bulletins"]), "{report}");
    let failures: Vec<&str> = stderr.lines().filter(|l| l.contains("job failed")).collect();
    assert_eq!(failures.len(), 1, "logged once: {stderr}");
    assert!(failures[0].contains("job=\"bulletins\"") || failures[0].contains("job=bulletins"), "{}", failures[0]);
    assert!(failures[0].contains("bulletins broken"), "the cause is in the line: {}", failures[0]);
}

async fn login_id(client: &reqwest::Client, base: &str, token: &str) -> i64 {
    let me: Value =
        client.get(format!("{base}/api/v1/auth/me")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    me["id"].as_i64().unwrap()
}
