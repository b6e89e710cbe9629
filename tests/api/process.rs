//! The real `anjian` binary as a child process: commands run to completion,
//! and servers on a free port of 127.0.0.1 that are killed when dropped. Each
//! server writes its log to a file in the test's directory, shown when it fails.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const PASSWORD: &str = "a-long-enough-password";

pub struct Server {
    pub child: Child,
    pub base: String,
    pub log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// What the server has logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The server process's peak resident memory (`VmHWM`), in bytes.
    pub fn peak_rss(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
        let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
        kib * 1024
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

/// Runs `anjian --database-url DB ARGS…` with `stdin`, to completion.
pub fn anjian(db: &str, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_anjian"))
        .args(["--database-url", db])
        .args(args)
        .env_remove("ANJIAN_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

/// Starts `anjian serve` on DB with `args` (e.g. `--no-demo`), jobs off, files
/// under `dir`; returns once `/healthz` answers (at most a minute).
pub async fn serve(db: &str, dir: &Path, args: &[&str]) -> Server {
    serve_logging(db, dir, args, "info").await
}

/// [`serve`] with this `RUST_LOG` filter.
pub async fn serve_logging(db: &str, dir: &Path, args: &[&str], rust_log: &str) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let log = dir.join(format!("server-{port}.log"));
    let child = Command::new(env!("CARGO_BIN_EXE_anjian"))
        .args(["--database-url", db, "serve", "--bind", &format!("127.0.0.1:{port}")])
        .args(args)
        .env("ANJIAN_JOBS", "off")
        .env("RUST_LOG", rust_log)
        .env("ANJIAN_FILES_DIR", dir.join("files"))
        .env("ANJIAN_MAIL_DIR", dir.join("mail"))
        .env_remove("ANJIAN_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut server = Server { child, base: format!("http://127.0.0.1:{port}"), log };
    let deadline = Instant::now() + Duration::from_mins(2);
    while reqwest::get(format!("{}/healthz", server.base)).await.is_err() {
        assert!(server.alive(), "server exited at start:\n{}", server.log());
        assert!(Instant::now() < deadline, "server did not start:\n{}", server.log());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server
}

/// Adds a regulator of 420103 named `username` through the CLI.
pub fn add_regulator(db: &str, username: &str) {
    let add = ["user", "add", "--username", username, "--role", "regulator", "--region", "420103"];
    let out = anjian(db, &add, &format!("{PASSWORD}\n"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Signs in as `username` (password [`PASSWORD`]) and returns the bearer token.
pub async fn login(client: &reqwest::Client, base: &str, username: &str) -> String {
    let res = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let v: Value = res.json().await.unwrap();
    v["token"].as_str().unwrap().to_owned()
}
