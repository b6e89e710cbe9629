//! A real SMTP server for the mail tests: an aiosmtpd child process that writes
//! each message it accepts, decoded by Python's own `email` package, as JSON.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Accepts every message and writes `NNNN.json` (envelope, decoded headers and
/// parts, raw subject) atomically before answering 250.
const SERVER_PY: &str = r"
import email, email.policy, json, os, sys, threading
from aiosmtpd.controller import Controller

port, out = int(sys.argv[1]), sys.argv[2]
lock = threading.Lock()
count = [0]

class Handler:
    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        plain, html = msg.get_body(preferencelist=('plain',)), msg.get_body(preferencelist=('html',))
        record = {
            'mail_from': envelope.mail_from,
            'rcpt_tos': list(envelope.rcpt_tos),
            'to': str(msg['to']),
            'subject': str(msg['subject']),
            'raw_subject': email.message_from_bytes(raw)['Subject'],
            'content_type': msg.get_content_type(),
            'message_id': str(msg['message-id']),
            'text': plain.get_content() if plain else None,
            'html': html.get_content() if html else None,
        }
        with lock:
            count[0] += 1
            n = count[0]
        tmp = os.path.join(out, '.%d.tmp' % n)
        with open(tmp, 'w', encoding='utf-8') as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(tmp, os.path.join(out, '%04d.json' % n))
        return '250 OK'

Controller(Handler(), hostname='127.0.0.1', port=port).start()
threading.Event().wait()
";

/// A Python that has aiosmtpd (`python3` may be a pyenv shim without it).
pub fn aiosmtpd_python() -> Option<&'static str> {
    static FOUND: OnceLock<Option<&'static str>> = OnceLock::new();
    *FOUND.get_or_init(|| {
        ["python3", "/usr/bin/python3"].into_iter().find(|py| {
            Command::new(py)
                .args(["-c", "import aiosmtpd"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
    })
}

/// Whether SMTP tests can run; under `CI=true` a missing aiosmtpd is a failure.
pub fn smtp_available() -> bool {
    if aiosmtpd_python().is_some() {
        return true;
    }
    assert!(
        std::env::var("CI").map_or(true, |v| v != "true"),
        "CI=true but aiosmtpd is missing (apt-get install python3-aiosmtpd): SMTP tests cannot be skipped in CI"
    );
    eprintln!("skipping SMTP test: aiosmtpd is not installed (apt-get install python3-aiosmtpd)");
    false
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The SMTP server child process; killed on drop.
pub struct SmtpServer {
    child: Child,
    dir: tempfile::TempDir,
}

impl SmtpServer {
    /// Starts the server on `port` and waits (at most 15 s) until it accepts connections.
    pub async fn start(port: u16) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("server.py");
        std::fs::write(&script, SERVER_PY).unwrap();
        let inbox = dir.path().join("inbox");
        std::fs::create_dir(&inbox).unwrap();
        let child = Command::new(aiosmtpd_python().unwrap())
            .arg(&script)
            .arg(port.to_string())
            .arg(&inbox)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut server = Self { child, dir };
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return server;
            }
            assert!(server.child.try_wait().unwrap().is_none(), "the SMTP server exited");
            assert!(Instant::now() < deadline, "the SMTP server did not listen on {port} within 15 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Messages received so far, in order of arrival.
    pub fn messages(&self) -> Vec<Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path().join("inbox"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files.iter().map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()).collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
