//! The daily 安责险 notices: reminders 30 and 7 days before a policy ends to the
//! enterprise and the insurer, a lapse notice to the supervising regulators,
//! each once however often the job runs, delivered over a real SMTP server.

use crate::helpers::{code, enterprise_body, on_each_backend};
use crate::jobs::set_email;
use crate::mail::smtp_server::{SmtpServer, free_port, smtp_available};
use anjian::auth::Role;
use anjian::entities::outbox;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

async fn recipients(app: &crate::helpers::TestApp, kind: &str) -> Vec<String> {
    let rows = outbox::Entity::find().filter(outbox::Column::Kind.eq(kind)).all(app.state.db.conn()).await.unwrap();
    let mut to: Vec<String> = rows.into_iter().map(|m| m.recipient).collect();
    to.sort();
    to
}

async fn run(app: &crate::helpers::TestApp, instant: &str) -> anjian::insurance::reminders::ReminderReport {
    app.clock.set(at(instant));
    anjian::jobs::run_due(&app.state).await.unwrap().insurance
}

#[tokio::test]
async fn expiry_reminders_and_the_lapse_notice_go_out_once_each() {
    on_each_backend(|app| async move {
        app.clock.set(at("2026-06-01T02:00:00Z"));
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let mut body =
            enterprise_body(&code("420103", 1), "化工一号", "hazardous_chemicals", "hc_production", "420103");
        body["employees"] = json!(50);
        body["email"] = json!("plant@jia.example");
        let plant = app.enterprise(&reg.token, body).await;
        app.user("aqy").role(Role::SafetyOfficer).enterprise(plant).create().await;
        let pa = app.user("pingan").role(Role::Insurer).insurer("平安财险").create().await;
        set_email(&app, &[("reg", "reg@bureau.example"), ("aqy", "aqy@jia.example"), ("pingan", "pa@ins.example")])
            .await;
        let policy = json!({"enterprise_id": plant, "insurer": "平安财险", "policy_no": "P-1",
            "starts_on": "2025-07-01", "ends_on": "2026-06-30", "premium_yuan": 12000,
            "insured_headcount": 50, "death_disability_limit_yuan": 400_000});
        let (status, v) = app.post(&pa.token, "/api/v1/insurance-policies", &policy).await;
        assert_eq!(status, reqwest::StatusCode::CREATED, "{v}");

        assert_eq!(run(&app, "2026-06-01T02:00:00Z").await.expiring, 1);
        let expected = ["aqy@jia.example", "pa@ins.example", "plant@jia.example"];
        assert_eq!(recipients(&app, "insurance_expiring").await, expected);
        assert_eq!(run(&app, "2026-06-02T02:00:00Z").await.expiring, 0, "the 30-day reminder goes once");
        assert_eq!(run(&app, "2026-06-25T02:00:00Z").await.expiring, 1, "the 7-day reminder");
        assert_eq!(recipients(&app, "insurance_expiring").await.len(), 6);
        assert_eq!(run(&app, "2026-06-26T02:00:00Z").await.expiring, 0);
        let r = run(&app, "2026-07-02T02:00:00Z").await;
        assert_eq!((r.expiring, r.lapsed), (0, 1));
        assert_eq!(recipients(&app, "insurance_lapsed").await, ["reg@bureau.example"]);
        assert_eq!(run(&app, "2026-07-03T02:00:00Z").await.lapsed, 0, "the lapse is noticed once");

        if smtp_available() {
            let port = free_port();
            let server = SmtpServer::start(port).await;
            let from = "安监系统 <anjian@example.gov.cn>".parse().unwrap();
            let smtp = anjian::mail::SmtpChannel::new(&format!("smtp://127.0.0.1:{port}"), from).unwrap();
            anjian::mail::send_due(&app.state.db, &app.clock, &smtp, 50).await.unwrap();
            let got = server.messages();
            let subjects: Vec<&str> = got.iter().filter_map(|m| m["subject"].as_str()).collect();
            assert_eq!(
                subjects.iter().filter(|s| s.starts_with("【安责险即将到期】化工一号")).count(),
                6,
                "{subjects:?}"
            );
            let lapse = got.iter().find(|m| m["subject"].as_str().unwrap().starts_with("【安责险脱保】")).unwrap();
            assert_eq!(lapse["to"], "reg@bureau.example");
            assert!(lapse["text"].as_str().unwrap().contains(&format!("/enterprises/{plant}/insurance")), "{lapse}");
        }
    })
    .await;
}
