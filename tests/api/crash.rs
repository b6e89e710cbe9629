//! SIGKILL in the middle of a burst of writes: after a restart the change log
//! verifies and every write the server acknowledged is there, once.

use crate::helpers::{fresh_pg_database, pg_admin_url, postgres_url, with_database};
use crate::process::{add_regulator, anjian, login, serve};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

async fn burst_then_kill(db: &str) {
    let dir = tempfile::tempdir().unwrap();
    assert!(anjian(db, &["migrate"], "").status.success());
    add_regulator(db, "reg");
    let mut server = serve(db, dir.path(), &["--no-demo"]).await;
    let base = server.base.clone();
    let client = reqwest::Client::new();
    let token = login(&client, &base, "reg").await;
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
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();

    let server = serve(db, dir.path(), &["--no-demo"]).await;
    let base = server.base.clone();
    let token = login(&client, &base, "reg").await;
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
