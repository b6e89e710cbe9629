//! SIGKILL in the middle of a burst of writes: after a restart the change log
//! verifies and every write the server acknowledged is there, once.

use crate::helpers::{fresh_pg_database, pg_admin_url, postgres_url, with_database};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "a-long-enough-password";

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn anjian(db: &str, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_anjian"))
        .args(["--database-url", db])
        .args(args)
        .env_remove("ANJIAN_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

async fn serve(db: &str, dir: &std::path::Path) -> (Server, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(env!("CARGO_BIN_EXE_anjian"))
        .args(["--database-url", db, "serve", "--no-demo", "--bind", &format!("127.0.0.1:{port}")])
        .env("ANJIAN_JOBS", "off")
        .env("ANJIAN_FILES_DIR", dir.join("files"))
        .env_remove("ANJIAN_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server(child);
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_mins(1);
    while reqwest::get(format!("{base}/healthz")).await.is_err() {
        assert!(Instant::now() < deadline, "server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (server, base)
}

async fn login(client: &reqwest::Client, base: &str) -> String {
    let res = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": "reg", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let v: Value = res.json().await.unwrap();
    v["token"].as_str().unwrap().to_owned()
}

async fn burst_then_kill(db: &str) {
    let dir = tempfile::tempdir().unwrap();
    assert!(anjian(db, &["migrate"], "").status.success());
    let add = ["user", "add", "--username", "reg", "--role", "regulator", "--region", "420103"];
    let out = anjian(db, &add, &format!("{PASSWORD}\n"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (mut server, base) = serve(db, dir.path()).await;
    let client = reqwest::Client::new();
    let token = login(&client, &base).await;
    let body = json!({"credit_code": crate::helpers::code("420103", 1), "name": "甲", "sector": "fireworks",
        "sub_types": ["fw_retail"], "region_code": "420103"});
    let res = client.post(format!("{base}/api/v1/enterprises")).bearer_auth(&token).json(&body).send().await.unwrap();
    let enterprise = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    // 8 writers report hazards as fast as they can; the server is killed mid-burst.
    let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<(i64, String)>::new()));
    let mut writers = Vec::new();
    for w in 0..8 {
        let (client, base, token, acked) = (client.clone(), base.clone(), token.clone(), acked.clone());
        writers.push(tokio::spawn(async move {
            for i in 0..10_000 {
                let title = format!("巡查发现 {w}-{i}");
                let body = json!({"enterprise_id": enterprise, "source": "grid_patrol", "level": "general",
                    "category": "environment", "title": title, "description": "d", "found_at": "2026-11-01T00:00:00Z"});
                let Ok(res) =
                    client.post(format!("{base}/api/v1/hazards")).bearer_auth(&token).json(&body).send().await
                else {
                    return;
                };
                if res.status() != StatusCode::CREATED {
                    return;
                }
                let Ok(v) = res.json::<Value>().await else { return };
                acked.lock().unwrap().push((v["id"].as_i64().unwrap(), title));
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while acked.lock().unwrap().len() < 50 {
        assert!(Instant::now() < deadline, "the burst did not get going");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // SIGKILL: no graceful shutdown, no flush.
    server.0.kill().unwrap();
    server.0.wait().unwrap();
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();

    let (_server, base) = serve(db, dir.path()).await;
    let token = login(&client, &base).await;
    for (id, title) in &acked {
        let res = client.get(format!("{base}/api/v1/hazards/{id}")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "acknowledged hazard {id} lost");
        assert_eq!(res.json::<Value>().await.unwrap()["title"], title.as_str());
    }
    let res = client.get(format!("{base}/api/v1/hazards?per_page=1")).bearer_auth(&token).send().await.unwrap();
    let total = res.json::<Value>().await.unwrap()["total"].as_u64().unwrap();
    assert!(total >= acked.len() as u64, "{total} < {}", acked.len());
    let out = anjian(db, &["audit", "verify"], "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_server_loses_no_acknowledged_write_and_its_log_verifies() {
    let dir = tempfile::tempdir().unwrap();
    burst_then_kill(&dir.path().join("crash.db").display().to_string()).await;
    if postgres_url().is_some() {
        let name = fresh_pg_database().await;
        burst_then_kill(&with_database(&pg_admin_url(), &name)).await;
    }
}
