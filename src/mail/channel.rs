//! Transports that deliver an outbox row: SMTP (production) or `.eml` files
//! (the default), behind [`Channel`] so an SMS gateway can be added later.

use super::notice::MAIL_CHANNEL;
use crate::entities::outbox;
use anyhow::Context;
use async_trait::async_trait;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::Error as SmtpError;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Default sender address (`ANJIAN_MAIL_FROM`).
pub const DEFAULT_FROM: &str = "anjian@localhost";
/// Default directory of the file transport (`ANJIAN_MAIL_DIR`).
pub const DEFAULT_DIR: &str = "mail-outbox";
/// Per SMTP command; keeps one stuck server well inside the claim lease.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a message was not delivered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth retrying later: connection refused, timeout, 4xx, authentication.
    #[error("{0}")]
    Transient(String),
    /// Retrying cannot help: a malformed address, a 5xx for this recipient or message.
    #[error("{0}")]
    Permanent(String),
}

/// One way of delivering outbox rows.
#[async_trait]
pub trait Channel: Send + Sync {
    /// The outbox `channel` value this transport delivers (`mail`).
    fn name(&self) -> &'static str;
    async fn send(&self, msg: &outbox::Model) -> Result<(), SendError>;
}

/// Builds the MIME message: multipart/alternative (text + HTML), UTF-8 subject
/// encoded by lettre, `Date` the time the notice was created (so it comes from
/// the [`crate::clock::Clock`]), and a `Message-ID` stable across retries so a
/// receiver can drop a duplicate.
pub fn build_message(from: &Mailbox, msg: &outbox::Model) -> Result<Message, SendError> {
    let to: Mailbox =
        msg.recipient.parse().map_err(|e| SendError::Permanent(format!("invalid recipient address: {e}")))?;
    let message_id =
        format!("<anjian.outbox.{}.{}@{}>", msg.id, msg.created_at.timestamp_micros(), from.email.domain());
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(msg.subject.clone())
        .date(SystemTime::from(msg.created_at))
        .message_id(Some(message_id))
        .multipart(MultiPart::alternative_plain_html(msg.body_text.clone(), msg.body_html.clone()))
        .map_err(|e| SendError::Permanent(format!("building message: {e}")))
}

/// 5xx is permanent, except the 53x family (authentication, encryption
/// required): that is the server's configuration, fixed by an operator, after
/// which the message should still go out.
fn classify_smtp(e: &SmtpError) -> SendError {
    let text = e.to_string();
    let auth = e.status().is_some_and(|code| code.to_string().starts_with("53"));
    if e.is_permanent() && !auth { SendError::Permanent(text) } else { SendError::Transient(text) }
}

/// SMTP through lettre's async transport (one connection per message).
pub struct SmtpChannel {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpChannel {
    /// `url` as lettre reads it: `smtp://host:25`, `smtp://user:pass@host:587?tls=required`,
    /// `smtps://host:465`. The URL may hold a password: it is never logged.
    pub fn new(url: &str, from: Mailbox) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .context("ANJIAN_SMTP_URL 无效（示例：smtp://127.0.0.1:25、smtp://user:pass@host:587?tls=required、smtps://host:465）")?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Self { transport, from })
    }
}

#[async_trait]
impl Channel for SmtpChannel {
    fn name(&self) -> &'static str {
        MAIL_CHANNEL
    }

    async fn send(&self, msg: &outbox::Model) -> Result<(), SendError> {
        let message = build_message(&self.from, msg)?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| classify_smtp(&e))
    }
}

/// Writes each message as an `.eml` file into a directory (development, demos,
/// and installations without a mail server).
pub struct FileChannel {
    transport: AsyncFileTransport<Tokio1Executor>,
    from: Mailbox,
    dir: PathBuf,
}

impl FileChannel {
    /// Creates the directory if needed.
    pub fn new(dir: impl Into<PathBuf>, from: Mailbox) -> anyhow::Result<Self> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir).with_context(|| format!("创建邮件目录 {} 失败", dir.display()))?;
        Ok(Self { transport: AsyncFileTransport::new(&dir), from, dir })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

#[async_trait]
impl Channel for FileChannel {
    fn name(&self) -> &'static str {
        MAIL_CHANNEL
    }

    async fn send(&self, msg: &outbox::Model) -> Result<(), SendError> {
        let message = build_message(&self.from, msg)?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| SendError::Transient(e.to_string()))
    }
}

fn env_nonempty(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// The sender address from `ANJIAN_MAIL_FROM` (`安监系统 <anjian@example.gov.cn>` works too).
pub fn from_env() -> anyhow::Result<Mailbox> {
    let from = env_nonempty("ANJIAN_MAIL_FROM").unwrap_or_else(|| DEFAULT_FROM.to_owned());
    from.parse().with_context(|| format!("ANJIAN_MAIL_FROM 不是有效的邮件地址：{from}"))
}

/// SMTP when `ANJIAN_SMTP_URL` is set, otherwise `.eml` files in
/// `ANJIAN_MAIL_DIR` (default `mail-outbox` under the working directory).
pub fn channel_from_env() -> anyhow::Result<Arc<dyn Channel>> {
    let from = from_env()?;
    if let Some(url) = env_nonempty("ANJIAN_SMTP_URL") {
        tracing::info!("mail: sending through SMTP");
        Ok(Arc::new(SmtpChannel::new(&url, from)?))
    } else {
        let dir = env_nonempty("ANJIAN_MAIL_DIR").unwrap_or_else(|| DEFAULT_DIR.to_owned());
        tracing::info!(dir = %dir, "mail: ANJIAN_SMTP_URL unset, writing .eml files");
        Ok(Arc::new(FileChannel::new(dir, from)?))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn model(recipient: &str) -> outbox::Model {
        let at: DateTime<Utc> = "2026-11-22T02:00:00Z".parse().unwrap();
        outbox::Model {
            id: 7,
            channel: MAIL_CHANNEL.into(),
            kind: "hazard_overdue".into(),
            recipient: recipient.into(),
            subject: "【已逾期】武汉甲化工有限公司隐患：储罐区报警器失效".into(),
            body_text: "正文 https://x.example/hazards/1".into(),
            body_html: "<p>正文</p>".into(),
            dedupe_key: "k".into(),
            created_at: at,
            next_attempt_at: at,
            claimed_until: None,
            attempts: 0,
            last_error: None,
            sent_at: None,
            failed_at: None,
        }
    }

    #[test]
    fn message_is_multipart_alternative_with_encoded_subject() {
        let from: Mailbox = "安监系统 <anjian@example.gov.cn>".parse().unwrap();
        let raw = String::from_utf8(build_message(&from, &model("a@example.com")).unwrap().formatted()).unwrap();
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(raw.contains("Subject: =?utf-8?"), "{raw}");
        assert!(raw.contains("Message-ID: <anjian.outbox.7."), "{raw}");
        assert!(raw.contains("@example.gov.cn>"), "{raw}");
        assert!(raw.contains("Date: Sun, 22 Nov 2026 02:00:00 +0000"), "{raw}");
        assert!(raw.contains("To: a@example.com"), "{raw}");
    }

    #[test]
    fn a_malformed_address_is_permanent() {
        let from: Mailbox = DEFAULT_FROM.parse().unwrap();
        assert!(matches!(build_message(&from, &model("not an address")), Err(SendError::Permanent(_))));
    }

    #[test]
    fn smtp_urls_in_the_documented_forms_parse() {
        let from: Mailbox = DEFAULT_FROM.parse().unwrap();
        for url in [
            "smtp://127.0.0.1:2525",
            "smtp://user:p%40ss@mail.example.com:587?tls=required",
            "smtps://mail.example.com:465",
        ] {
            assert!(SmtpChannel::new(url, from.clone()).is_ok(), "{url}");
        }
        assert!(SmtpChannel::new("http://x", from).is_err());
    }
}
