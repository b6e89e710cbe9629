//! The mail outbox on both backends: enqueueing, the claim, retries and both
//! transports, SMTP against a real server ([`smtp_server`], Debian
//! `python3-aiosmtpd`). Without aiosmtpd the SMTP tests fail under `CI=true`
//! and are skipped (with a note) otherwise.

pub mod smtp_server;

use crate::helpers::{TestApp, on_each_backend};
use anjian::clock::Clock;
use anjian::entities::outbox;
use anjian::mail::{
    self, Channel, FileChannel, Kind, Notice, NoticeContext, SendError, SendOptions, SendReport, SmtpChannel,
};
use async_trait::async_trait;
use chrono::Duration;
use lettre::message::Mailbox;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel, QueryOrder};
use serde_json::Value;
use smtp_server::{SmtpServer, free_port, smtp_available};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

fn from() -> Mailbox {
    "安监系统 <anjian@example.gov.cn>".parse().unwrap()
}

fn smtp(port: u16) -> SmtpChannel {
    SmtpChannel::new(&format!("smtp://127.0.0.1:{port}"), from()).unwrap()
}

fn notice(kind: Kind, to: &str, enterprise: &str, hazard_id: i64, key: &str) -> Notice {
    Notice {
        kind,
        to: to.to_owned(),
        ctx: NoticeContext {
            enterprise_name: enterprise.to_owned(),
            hazard_title: format!("储罐区可燃气体报警器失效（{hazard_id}）"),
            hazard_id,
            deadline: chrono::NaiveDate::from_ymd_opt(2026, 12, 1),
            days: Some(2),
            note: None,
            link: format!("https://anjian.example.gov.cn/hazards/{hazard_id}"),
        },
        dedupe_key: key.to_owned(),
    }
}

/// Enqueues in one committed write transaction, as a service would.
async fn enqueue(app: &TestApp, notices: Vec<Notice>) -> usize {
    let txn = app.state.db.begin_write().await.unwrap();
    let n = mail::enqueue(&txn, app.clock.now(), notices).await.unwrap();
    txn.commit().await.unwrap();
    n
}

async fn rows(app: &TestApp) -> Vec<outbox::Model> {
    outbox::Entity::find().order_by_asc(outbox::Column::Id).all(app.state.db.conn()).await.unwrap()
}

fn advance(app: &TestApp, by: Duration) {
    app.clock.set(app.clock.now() + by);
}

fn report(sent: usize, retried: usize, failed: usize) -> SendReport {
    SendReport { sent, retried, failed }
}

#[tokio::test]
async fn notices_are_delivered_once_over_smtp_with_duplicates_ignored() {
    if !smtp_available() {
        return;
    }
    on_each_backend(|app| async move {
        let port = free_port();
        let server = SmtpServer::start(port).await;
        let added = enqueue(
            &app,
            vec![
                notice(Kind::HazardAssigned, "zhang@example.com", "武汉甲化工有限公司", 1, "hazard:1:assigned:7"),
                notice(Kind::HazardToConfirm, "li@example.com", "武汉乙钢铁有限公司", 2, "hazard:2:to_confirm:8"),
                notice(Kind::HazardAssigned, "zhang@example.com", "武汉甲化工有限公司", 1, "hazard:1:assigned:7"),
            ],
        )
        .await;
        assert_eq!(added, 2, "the duplicate key in the same call is ignored");
        let blank = notice(Kind::HazardAssigned, " ", "武汉甲化工有限公司", 1, "hazard:1:assigned:9");
        assert_eq!(enqueue(&app, vec![blank]).await, 0, "no address, no mail");
        let again = notice(Kind::HazardAssigned, "zhang@example.com", "武汉甲化工有限公司", 1, "hazard:1:assigned:7");
        assert_eq!(enqueue(&app, vec![again]).await, 0, "a key seen before is ignored");

        let r = mail::send_due(&app.state.db, &app.clock, &smtp(port), 10).await.unwrap();
        assert_eq!(r, report(2, 0, 0));
        let got = server.messages();
        assert_eq!(got.len(), 2, "{got:#?}");
        let by_rcpt: HashMap<&str, &Value> = got.iter().map(|m| (m["rcpt_tos"][0].as_str().unwrap(), m)).collect();
        for (to, enterprise, id) in
            [("zhang@example.com", "武汉甲化工有限公司", 1), ("li@example.com", "武汉乙钢铁有限公司", 2)]
        {
            let m = by_rcpt[to];
            assert_eq!(m["rcpt_tos"].as_array().unwrap().len(), 1);
            assert_eq!(m["to"], to);
            assert_eq!(m["mail_from"], "anjian@example.gov.cn");
            assert_eq!(m["content_type"], "multipart/alternative");
            let subject = m["subject"].as_str().unwrap();
            assert!(subject.contains(enterprise), "{subject}");
            assert!(m["raw_subject"].as_str().unwrap().starts_with("=?utf-8?"), "{m}");
            let link = format!("https://anjian.example.gov.cn/hazards/{id}");
            assert!(m["text"].as_str().unwrap().contains(&link), "{m}");
            assert!(m["html"].as_str().unwrap().contains(&format!("href=\"{link}\"")), "{m}");
            assert!(m["text"].as_str().unwrap().contains(enterprise), "{m}");
        }
        assert!(by_rcpt["zhang@example.com"]["subject"].as_str().unwrap().starts_with("【交办】"));

        for row in rows(&app).await {
            assert_eq!(row.sent_at, Some(app.clock.now()));
            assert_eq!((row.attempts, row.claimed_until, row.failed_at), (1, None, None));
        }
        advance(&app, Duration::hours(1));
        assert_eq!(mail::send_due(&app.state.db, &app.clock, &smtp(port), 10).await.unwrap(), SendReport::default());
        assert_eq!(server.messages().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn mail_waits_for_a_server_that_is_down_and_goes_out_once_it_is_up() {
    if !smtp_available() {
        return;
    }
    on_each_backend(|app| async move {
        let port = free_port();
        let channel = smtp(port);
        let notices = (1..=3)
            .map(|i| {
                notice(Kind::HazardOverdue, &format!("u{i}@example.com"), "武汉丙燃气有限公司", i, &format!("k{i}"))
            })
            .collect();
        assert_eq!(enqueue(&app, notices).await, 3);

        let t0 = app.clock.now();
        let r = mail::send_due(&app.state.db, &app.clock, &channel, 10).await.unwrap();
        assert_eq!(r, report(0, 3, 0));
        for row in rows(&app).await {
            assert_eq!(row.next_attempt_at, t0 + Duration::minutes(1), "first retry after one minute");
            assert_eq!((row.attempts, row.sent_at, row.failed_at, row.claimed_until), (1, None, None, None));
            let error = row.last_error.unwrap();
            assert!(!error.is_empty() && !error.contains(&row.recipient), "{error}");
        }
        assert_eq!(mail::send_due(&app.state.db, &app.clock, &channel, 10).await.unwrap(), SendReport::default());

        let server = SmtpServer::start(port).await;
        advance(&app, Duration::seconds(61));
        assert_eq!(mail::drain(&app.state.db, &app.clock, &channel).await.unwrap(), report(3, 0, 0));
        let mut rcpts: Vec<String> =
            server.messages().iter().map(|m| m["rcpt_tos"][0].as_str().unwrap().to_owned()).collect();
        rcpts.sort();
        assert_eq!(rcpts, ["u1@example.com", "u2@example.com", "u3@example.com"]);
        assert!(rows(&app).await.iter().all(|r| r.sent_at.is_some() && r.attempts == 2));

        advance(&app, Duration::hours(7));
        assert_eq!(mail::drain(&app.state.db, &app.clock, &channel).await.unwrap(), SendReport::default());
        assert_eq!(server.messages().len(), 3, "nothing is sent twice");
    })
    .await;
}

#[tokio::test]
async fn a_message_is_given_up_after_the_last_attempt() {
    on_each_backend(|app| async move {
        let channel = smtp(free_port());
        enqueue(&app, vec![notice(Kind::HazardDueSoon, "a@example.com", "武汉丁机械有限公司", 1, "k")]).await;
        let opts = SendOptions { max_attempts: 2, ..SendOptions::from_env(10) };
        let r = mail::send_due_with(&app.state.db, &app.clock, &channel, &opts).await.unwrap();
        assert_eq!(r, report(0, 1, 0));
        advance(&app, Duration::minutes(1));
        let r = mail::send_due_with(&app.state.db, &app.clock, &channel, &opts).await.unwrap();
        assert_eq!(r, report(0, 0, 1));
        let row = &rows(&app).await[0];
        assert_eq!((row.attempts, row.failed_at, row.sent_at), (2, Some(app.clock.now()), None));
        advance(&app, Duration::days(1));
        let r = mail::send_due_with(&app.state.db, &app.clock, &channel, &opts).await.unwrap();
        assert_eq!(r, SendReport::default());
    })
    .await;
}

fn eml_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    files.sort();
    files.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
}

#[tokio::test]
async fn the_file_transport_writes_eml_files() {
    on_each_backend(|app| async move {
        let dir = tempfile::tempdir().unwrap();
        let channel = FileChannel::new(dir.path().join("mail-outbox"), from()).unwrap();
        enqueue(
            &app,
            vec![
                notice(Kind::HazardToReinspect, "wang@example.com", "武汉戊建材有限公司", 5, "a"),
                notice(Kind::StatisticsLate, "zhao@example.com", "武汉己粮油有限公司", 6, "b"),
            ],
        )
        .await;
        assert_eq!(mail::drain(&app.state.db, &app.clock, &channel).await.unwrap(), report(2, 0, 0));
        let files = eml_files(channel.dir());
        assert_eq!(files.len(), 2);
        let all = files.concat();
        for needle in ["To: wang@example.com", "To: zhao@example.com", "multipart/alternative", "Subject: =?utf-8?"] {
            assert!(all.contains(needle), "{needle} missing in {all}");
        }
        assert_eq!(mail::drain(&app.state.db, &app.clock, &channel).await.unwrap(), SendReport::default());
        assert_eq!(eml_files(channel.dir()).len(), 2);
    })
    .await;
}

#[tokio::test]
async fn a_malformed_address_is_given_up_at_once_and_the_rest_still_go() {
    on_each_backend(|app| async move {
        let dir = tempfile::tempdir().unwrap();
        let channel = FileChannel::new(dir.path(), from()).unwrap();
        enqueue(
            &app,
            vec![
                notice(Kind::HazardOverdue, "not an address", "武汉庚化工有限公司", 1, "bad"),
                notice(Kind::HazardOverdue, "ok@example.com", "武汉庚化工有限公司", 1, "good"),
            ],
        )
        .await;
        assert_eq!(mail::drain(&app.state.db, &app.clock, &channel).await.unwrap(), report(1, 0, 1));
        let rows = rows(&app).await;
        assert!(rows[0].failed_at.is_some() && rows[0].last_error.as_deref().is_some_and(|e| !e.contains("not an")));
        assert!(rows[1].sent_at.is_some());
    })
    .await;
}

#[tokio::test]
async fn enqueued_mail_is_discarded_with_its_rolled_back_transaction() {
    on_each_backend(|app| async move {
        let txn = app.state.db.begin_write().await.unwrap();
        let n = mail::enqueue(&txn, app.clock.now(), vec![notice(Kind::HazardRejected, "a@example.com", "甲", 1, "k")])
            .await
            .unwrap();
        assert_eq!(n, 1);
        txn.rollback().await.unwrap();
        assert!(rows(&app).await.is_empty());
    })
    .await;
}

/// Records which rows it was asked to send, yielding in between so that
/// concurrent runs interleave.
#[derive(Default)]
struct Recorder(Mutex<Vec<i64>>);

#[async_trait]
impl Channel for Recorder {
    fn name(&self) -> &'static str {
        mail::MAIL_CHANNEL
    }

    async fn send(&self, msg: &outbox::Model) -> Result<(), SendError> {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        self.0.lock().unwrap().push(msg.id);
        Ok(())
    }
}

#[tokio::test]
async fn concurrent_workers_send_each_message_exactly_once() {
    on_each_backend(|app| async move {
        let notices =
            (0..60).map(|i| notice(Kind::HazardOverdue, "a@example.com", "甲", i, &format!("k{i}"))).collect();
        assert_eq!(enqueue(&app, notices).await, 60);
        let channel = Recorder::default();
        let db = &app.state.db;
        let run = || mail::send_due(db, &app.clock, &channel, 7);
        let mut total = SendReport::default();
        for _ in 0..20 {
            let (a, b, c, d) = tokio::join!(run(), run(), run(), run());
            for r in [a, b, c, d] {
                total += r.unwrap();
            }
        }
        assert_eq!(total, report(60, 0, 0));
        let mut sent = channel.0.lock().unwrap().clone();
        sent.sort_unstable();
        let ids: Vec<i64> = rows(&app).await.iter().map(|r| r.id).collect();
        assert_eq!(sent, ids, "every row exactly once");
    })
    .await;
}

#[tokio::test]
async fn a_crashed_workers_claim_expires_after_the_lease() {
    on_each_backend(|app| async move {
        enqueue(&app, vec![notice(Kind::HazardToReview, "a@example.com", "甲", 1, "k")]).await;
        let row = rows(&app).await.remove(0);
        let mut claimed = row.into_active_model();
        claimed.claimed_until = Set(Some(app.clock.now() + Duration::minutes(5)));
        claimed.attempts = Set(1);
        let txn = app.state.db.begin_write().await.unwrap();
        claimed.update(&txn).await.unwrap();
        txn.commit().await.unwrap();

        let channel = Recorder::default();
        assert_eq!(mail::send_due(&app.state.db, &app.clock, &channel, 10).await.unwrap(), SendReport::default());
        advance(&app, Duration::minutes(5) + Duration::seconds(1));
        assert_eq!(mail::send_due(&app.state.db, &app.clock, &channel, 10).await.unwrap(), report(1, 0, 0));
        assert_eq!(rows(&app).await[0].attempts, 2);
    })
    .await;
}

#[tokio::test]
async fn the_background_sender_delivers_without_being_asked() {
    on_each_backend(|app| async move {
        let dir = tempfile::tempdir().unwrap();
        let channel = std::sync::Arc::new(FileChannel::new(dir.path(), from()).unwrap());
        let handle = mail::spawn_sender(app.state.clone(), channel, std::time::Duration::from_secs(1));
        enqueue(&app, vec![notice(Kind::HazardEscalated, "a@example.com", "甲", 1, "k")]).await;
        let deadline = Instant::now() + std::time::Duration::from_secs(15);
        while rows(&app).await[0].sent_at.is_none() {
            assert!(Instant::now() < deadline, "not sent within 15 s");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        handle.abort();
        assert_eq!(eml_files(dir.path()).len(), 1);
    })
    .await;
}
