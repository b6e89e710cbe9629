//! The command line: `user add` reads the password from standard input, every
//! command but `serve`/`migrate` refuses an unmigrated database, CLI writes work
//! while `serve` runs on the same SQLite file, `audit verify` fails loudly, and
//! `indicators compute` stores a run.

use crate::process::anjian;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn commands_other_than_migrate_refuse_an_unmigrated_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fresh.db").display().to_string();
    let out = anjian(
        &db,
        &["user", "add", "--username", "a", "--role", "regulator", "--region", "420103"],
        "long-enough-password\n",
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("anjian migrate"), "{}", text(&out));
    assert!(anjian(&db, &["migrate"], "").status.success());
    let out = anjian(&db, &["user", "add", "--username", "a", "--role", "regulator", "--region", "420103"], "short\n");
    assert!(!out.status.success());
    assert!(text(&out).contains("12"), "{}", text(&out));
}

struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test]
async fn cli_writes_work_while_the_server_runs_on_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db").display().to_string();
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_anjian"))
        .args(["--database-url", &db, "serve", "--no-demo", "--bind", &format!("127.0.0.1:{port}")])
        .env("ANJIAN_MAIL_DIR", dir.path().join("mail"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _server = Server(child);
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for i in 0..3 {
        let name = format!("reg{i}");
        let out = anjian(
            &db,
            &["user", "add", "--username", &name, "--role", "regulator", "--region", "420103"],
            "a-long-enough-password\n",
        );
        assert!(out.status.success(), "{}", text(&out));
        let res = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&serde_json::json!({"username": name, "password": "a-long-enough-password"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
    let out = anjian(&db, &["audit", "verify"], "");
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("\"ok\": true"));
}

#[test]
fn audit_verify_exits_non_zero_on_a_tampered_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db").display().to_string();
    assert!(anjian(&db, &["migrate"], "").status.success());
    let add = [
        "user",
        "add",
        "--username",
        "inspector1",
        "--role",
        "inspector",
        "--region",
        "420103",
        "--certificate",
        "420103001",
        "--certificate-valid-until",
        "2028-06-30",
    ];
    let out = anjian(&db, &add, "a-long-enough-password\n");
    assert!(out.status.success(), "{}", text(&out));
    assert!(anjian(&db, &["audit", "verify"], "").status.success());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use sea_orm::ConnectionTrait;
        let conn = anjian::db::Db::connect(&db).await.unwrap();
        conn.conn()
            .execute_unprepared("UPDATE users SET email = 'x@example.com' WHERE username = 'inspector1'")
            .await
            .unwrap();
    });
    let out = anjian(&db, &["audit", "verify"], "");
    assert!(!out.status.success());
    assert!(text(&out).contains("row_changed"), "{}", text(&out));
}

#[test]
fn user_add_creates_an_insurer_user_linked_to_its_insurer() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ins.db").display().to_string();
    assert!(anjian(&db, &["migrate"], "").status.success());
    let pw = "a-long-enough-password\n";
    let out = anjian(&db, &["user", "add", "--username", "pingan", "--role", "insurer"], pw);
    assert!(!out.status.success() && text(&out).contains("--insurer"), "{}", text(&out));
    let out = anjian(&db, &["user", "add", "--username", "pingan", "--role", "insurer", "--insurer", "平安财险"], pw);
    assert!(out.status.success(), "{}", text(&out));
    // A second user of the same insurer finds it by name.
    let out = anjian(&db, &["user", "add", "--username", "pingan2", "--role", "insurer", "--insurer", "平安财险"], pw);
    assert!(out.status.success(), "{}", text(&out));
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use sea_orm::{EntityTrait, PaginatorTrait};
        let conn = anjian::db::Db::connect(&db).await.unwrap();
        assert_eq!(anjian::entities::insurer::Entity::find().count(conn.conn()).await.unwrap(), 1);
        assert_eq!(anjian::entities::insurer_user::Entity::find().count(conn.conn()).await.unwrap(), 2);
    });
}

#[test]
fn indicators_compute_stores_a_run_and_refuses_a_bad_region() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ind.db").display().to_string();
    assert!(anjian(&db, &["migrate"], "").status.success());
    let out = anjian(&db, &["indicators", "compute", "--year", "2026"], "");
    assert!(out.status.success(), "{}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["year"], 2026);
    assert_eq!(report["region"], "");
    assert!(report["seconds"].is_number(), "{report}");
    let out = anjian(&db, &["indicators", "compute", "--region", "420103"], "");
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("\"region\":\"420103\""), "{}", text(&out));
    let out = anjian(&db, &["indicators", "compute", "--region", "4201"], "");
    assert!(!out.status.success(), "{}", text(&out));
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use sea_orm::{EntityTrait, PaginatorTrait};
        let conn = anjian::db::Db::connect(&db).await.unwrap();
        assert_eq!(anjian::entities::indicator_run::Entity::find().count(conn.conn()).await.unwrap(), 2);
    });
}
