//! Mail notices through the outbox (待发消息). A change writes its notices into
//! the `outbox` table in its own transaction ([`enqueue`], rendered from
//! `templates/mail/` at that moment); a worker ([`send_due`], [`drain`],
//! [`spawn_sender`]) claims due rows with one atomic statement, sends them
//! through a [`Channel`] (SMTP, or `.eml` files by default) outside any
//! transaction, and stamps each row sent, or schedules a retry with backoff.

mod channel;
mod notice;
mod sender;

pub use channel::{
    Channel, DEFAULT_DIR, DEFAULT_FROM, FileChannel, SendError, SmtpChannel, build_message, channel_from_env, from_env,
};
pub use notice::{Kind, MAIL_CHANNEL, Notice, NoticeContext, Rendered, enqueue, render};
pub use sender::{
    DEFAULT_MAX_ATTEMPTS, DRAIN_BATCH, LEASE, SendOptions, SendReport, backoff, drain, send_due, send_due_with,
    spawn_sender,
};

/// Base of the links in mails when `ANJIAN_PUBLIC_URL` is unset.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

/// Absolute URL of a path in this site, from `ANJIAN_PUBLIC_URL`
/// (e.g. `https://anjian.example.gov.cn`; default `http://127.0.0.1:8080`).
pub fn link(path: &str) -> String {
    let base = std::env::var("ANJIAN_PUBLIC_URL").ok().filter(|v| !v.trim().is_empty());
    join_url(base.as_deref().unwrap_or(DEFAULT_PUBLIC_URL), path)
}

fn join_url(base: &str, path: &str) -> String {
    let base = base.trim().trim_end_matches('/');
    if path.starts_with('/') { format!("{base}{path}") } else { format!("{base}/{path}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_join_base_and_path_with_one_slash() {
        assert_eq!(join_url("https://a.example/", "/hazards/1"), "https://a.example/hazards/1");
        assert_eq!(join_url("https://a.example/anjian", "hazards/1"), "https://a.example/anjian/hazards/1");
        assert_eq!(join_url(DEFAULT_PUBLIC_URL, "/todos"), "http://127.0.0.1:8080/todos");
        assert!(link("/todos").ends_with("/todos"));
    }
}
