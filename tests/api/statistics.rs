//! The quarterly and annual hazard statistics (16号令 art. 14): generated from
//! the ledger, signed by the principal, submitted; late and missing reports
//! flagged to the supervising bureau by the jobs, once.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend};
use anjian::auth::Role;
use anjian::entities::{outbox, todo};
use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

async fn step(app: &TestApp, u: &TestUser, path: &str, body: Value) -> Value {
    let (status, v) = app.post(&u.token, path, &body).await;
    assert_eq!(status, StatusCode::OK, "{path}: {v}");
    v
}

async fn todos(app: &TestApp, kind: &str) -> Vec<todo::Model> {
    todo::Entity::find().filter(todo::Column::Kind.eq(kind)).all(app.state.db.conn()).await.unwrap()
}

async fn jobs_at(app: &TestApp, instant: &str) -> anjian::statistics::jobs::StatisticsReport {
    app.clock.set(at(instant));
    anjian::jobs::run_due(&app.state).await.unwrap().statistics
}

/// Signs in again (sessions end while the clock jumps weeks ahead).
async fn again(app: &TestApp, u: &TestUser, username: &str) -> TestUser {
    let (status, v) = app.login(username, crate::helpers::PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    TestUser {
        id: u.id,
        token: v["token"].as_str().unwrap().to_owned(),
        csrf: v["user"]["csrf_token"].as_str().unwrap().to_owned(),
    }
}

const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00photo-bytes";

#[tokio::test]
async fn a_quarter_is_reported_signed_and_submitted_and_the_bureau_sees_who_is_late() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let body =
            enterprise_body(&code("420103", 1), "甲化工有限公司", "hazardous_chemicals", "hc_production", "420103");
        let jia = app.enterprise(&reg.token, body).await;
        let body = enterprise_body(&code("420103", 2), "乙机械有限公司", "industry_trade", "it_machinery", "420103");
        let yi = app.enterprise(&reg.token, body).await;
        let fzr = app.user("fzr").role(Role::Principal).enterprise(jia).create().await;
        let aqy = app.user("aqy").role(Role::SafetyOfficer).enterprise(jia).create().await;
        let yi_fzr = app.user("yi_fzr").role(Role::Principal).enterprise(yi).create().await;
        let staff = app.user("yuangong").role(Role::Staff).enterprise(jia).create().await;
        super::jobs::set_email(&app, &[("reg", "reg@bureau.example")]).await;

        // Two self-found hazards in the fourth quarter: one rectified and accepted, one left overdue.
        let hazard = |title: &str, deadline: &str| {
            json!({"enterprise_id": jia, "source": "self_check", "level": "general", "category": "unsafe_condition",
                "title": title, "description": "d", "found_at": "2026-11-21T08:00:00Z", "deadline": deadline})
        };
        let (_, done) = app.post(&aqy.token, "/api/v1/hazards", &hazard("消防通道堵塞", "2026-12-10")).await;
        let (_, open) = app.post(&aqy.token, "/api/v1/hazards", &hazard("配电箱未接地", "2026-12-01")).await;
        assert!(open["id"].is_i64(), "{open}");
        let (_, photo) = app.upload(&aqy.token, "/api/v1/attachments", "后.jpg", JPEG.to_vec()).await;
        let id = done["id"].as_i64().unwrap();
        step(
            &app,
            &aqy,
            &format!("/api/v1/hazards/{id}/submit"),
            json!({"attachment_ids": [photo["id"]], "funds_spent": 1200.5, "rectifier_name": "安全员"}),
        )
        .await;
        step(&app, &fzr, &format!("/api/v1/hazards/{id}/verify"), json!({"passed": true, "acceptor_name": "负责人"}))
            .await;

        // Not before the quarter has ended; not by staff.
        let (status, err) = app.post(&fzr.token, "/api/v1/hazard-statistics", &json!({"period": "2026Q4"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(err["error"]["fields"]["period"][0].as_str().unwrap().contains("尚未结束"), "{err}");
        let (status, err) = app.post(&fzr.token, "/api/v1/hazard-statistics", &json!({"period": "2026Q9"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");

        // The quarter ends: every enterprise that owes a report gets a to-do, once.
        let r = jobs_at(&app, "2027-01-05T02:00:00Z").await;
        assert_eq!(r.reminded, 4, "two enterprises × (2026Q4 and 2026): {r:?}");
        assert_eq!(jobs_at(&app, "2027-01-05T03:00:00Z").await.reminded, 0);
        assert_eq!(todos(&app, "statistics_to_submit").await.len(), 4);
        let (reg, fzr, aqy) =
            (again(&app, &reg, "reg").await, again(&app, &fzr, "fzr").await, again(&app, &aqy, "aqy").await);
        let (yi_fzr, staff) = (again(&app, &yi_fzr, "yi_fzr").await, again(&app, &staff, "yuangong").await);

        let (status, _) = app.post(&staff.token, "/api/v1/hazard-statistics", &json!({"period": "2026Q4"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let report = step(
            &app,
            &aqy,
            "/api/v1/hazard-statistics",
            json!({"period": "2026Q4", "analysis": "本季度开展综合检查 3 次"}),
        )
        .await;
        let f = &report["figures"];
        assert_eq!(
            (f["found"]["general"].as_i64(), f["rectified"]["general"].as_i64()),
            (Some(2), Some(1)),
            "{report}"
        );
        assert_eq!((f["rectifying"]["general"].as_i64(), f["overdue"]["general"].as_i64()), (Some(1), Some(1)));
        assert_eq!((f["funds_fen"].as_i64(), report["rectification_rate"].as_f64()), (Some(120_050), Some(50.0)));
        assert_eq!((report["status"].as_str(), report["due_on"].as_str()), (Some("draft"), Some("2027-01-15")));
        let rid = report["id"].as_i64().unwrap();

        // Submitting needs the principal's signature first; only the principal signs.
        let (status, err) = app.post(&aqy.token, &format!("/api/v1/hazard-statistics/{rid}/submit"), &json!({})).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("illegal_transition")));
        let (status, _) = app.post(&aqy.token, &format!("/api/v1/hazard-statistics/{rid}/confirm"), &json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, err) =
            app.post(&fzr.token, &format!("/api/v1/hazard-statistics/{rid}/confirm"), &json!({"version": 9})).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("version_conflict")));
        step(&app, &fzr, &format!("/api/v1/hazard-statistics/{rid}/confirm"), json!({"version": 1})).await;
        let sent = step(&app, &aqy, &format!("/api/v1/hazard-statistics/{rid}/submit"), json!({})).await;
        assert_eq!((sent["status"].as_str(), sent["late"].as_bool()), (Some("submitted"), Some(false)));
        let (status, err) = app.post(&aqy.token, "/api/v1/hazard-statistics", &json!({"period": "2026Q4"})).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("already_submitted")));
        let open_todos: Vec<_> =
            todos(&app, "statistics_to_submit").await.into_iter().filter(|t| t.done_at.is_none()).collect();
        assert_eq!(open_todos.len(), 3, "the submitted quarter's to-do is done");

        // Other enterprises' reports are not found.
        let (status, _) = app.get(&yi_fzr.token, &format!("/api/v1/hazard-statistics/{rid}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // Past the due date, the bureau hears once of the enterprise that has not reported.
        let r = jobs_at(&app, "2027-01-16T02:00:00Z").await;
        assert_eq!(r.bureaus_flagged, 1, "{r:?}");
        jobs_at(&app, "2027-01-16T03:00:00Z").await;
        let (reg, yi_fzr) = (again(&app, &reg, "reg").await, again(&app, &yi_fzr, "yi_fzr").await);
        let flags = todos(&app, "statistics_late").await;
        assert_eq!(flags.len(), 1, "{flags:?}");
        assert!(flags[0].title.contains("2026年第四季度") && flags[0].title.contains("1 家企业"), "{}", flags[0].title);
        let mails = outbox::Entity::find()
            .filter(outbox::Column::Kind.eq("statistics_late"))
            .all(app.state.db.conn())
            .await
            .unwrap();
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].recipient, "reg@bureau.example");
        assert!(
            mails[0].body_text.contains("/hazard-statistics?period=2026Q4&state=not_submitted"),
            "{}",
            mails[0].body_text
        );

        let (_, o) = app.get(&reg.token, "/api/v1/hazard-statistics?period=2026Q4").await;
        let s = &o["summary"];
        assert_eq!(
            (s["required"].as_u64(), s["on_time"].as_u64(), s["overdue"].as_u64()),
            (Some(2), Some(1), Some(1)),
            "{o}"
        );
        assert_eq!(o["totals"]["found"]["general"], 2, "sums of the submitted reports: {o}");
        let (_, o) = app.get(&reg.token, "/api/v1/hazard-statistics?period=2026Q4&state=not_submitted").await;
        assert_eq!((o["total"].as_u64(), o["items"][0]["enterprise_id"].as_i64()), (Some(1), Some(yi)), "{o}");

        // A late report stays marked late; the regulator may return one with a reason.
        let late = step(&app, &yi_fzr, "/api/v1/hazard-statistics", json!({"period": "2026Q4"})).await;
        let lid = late["id"].as_i64().unwrap();
        step(&app, &yi_fzr, &format!("/api/v1/hazard-statistics/{lid}/confirm"), json!({})).await;
        let late = step(&app, &yi_fzr, &format!("/api/v1/hazard-statistics/{lid}/submit"), json!({})).await;
        assert_eq!(late["late"], true);
        let (status, _) = app.post(&reg.token, &format!("/api/v1/hazard-statistics/{rid}/return"), &json!({})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a reason is required");
        let back = step(
            &app,
            &reg,
            &format!("/api/v1/hazard-statistics/{rid}/return"),
            json!({"reason": "整改资金与台账不符"}),
        )
        .await;
        assert_eq!(
            (back["status"].as_str(), back["return_reason"].as_str()),
            (Some("draft"), Some("整改资金与台账不符"))
        );
        assert_eq!(todos(&app, "statistics_returned").await.len(), 2, "principal and safety officer");
        let (_, o) = app.get(&reg.token, "/api/v1/hazard-statistics?period=2026Q4").await;
        assert_eq!((o["summary"]["on_time"].as_u64(), o["summary"]["late"].as_u64()), (Some(0), Some(1)), "{o}");

        // The bureau's workbook lists both enterprises with their state.
        let res = app
            .client
            .get(app.url("/api/v1/hazard-statistics/export?period=2026Q4"))
            .bearer_auth(&reg.token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = res.bytes().await.unwrap().to_vec();
        let rows = crate::helpers::sheet_rows(bytes, "隐患排查治理统计");
        assert_eq!(rows.len(), 4, "header, two enterprises, totals: {rows:?}");
        let state_of = |name: &str| rows.iter().find(|r| r[1] == name).map(|r| r[2].clone());
        assert_eq!(state_of("甲化工有限公司").as_deref(), Some("草稿"), "returned: {rows:?}");
        assert_eq!(state_of("乙机械有限公司").as_deref(), Some("逾期报送"), "{rows:?}");
    })
    .await;
}

/// The same flow through the pages: forms with the session cookie and CSRF token.
#[tokio::test]
async fn the_pages_generate_sign_submit_print_and_list_reports() {
    on_each_backend(|app| async move {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let cookie = |u: &TestUser| format!("anjian_session={}", u.token);
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let body =
            enterprise_body(&code("420103", 1), "甲化工有限公司", "hazardous_chemicals", "hc_production", "420103");
        let jia = app.enterprise(&reg.token, body).await;
        let fzr = app.user("fzr").role(Role::Principal).enterprise(jia).create().await;
        let aqy = app.user("aqy").role(Role::SafetyOfficer).enterprise(jia).create().await;
        let page = |u: &TestUser, path: &str| http.get(app.url(path)).header("cookie", cookie(u)).send();

        let html = page(&aqy, "/hazard-statistics").await.unwrap().text().await.unwrap();
        assert!(html.contains("2026年第三季度") && html.contains("id=\"generate-2026Q3\""), "{html}");
        let form = [("csrf_token", aqy.csrf.as_str()), ("period", "2026Q3"), ("enterprise_id", &jia.to_string())];
        let res = http
            .post(app.url("/hazard-statistics/generate"))
            .header("cookie", cookie(&aqy))
            .form(&[("period", "2026Q3")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "no CSRF token, nothing written");
        let res = http
            .post(app.url("/hazard-statistics/generate"))
            .header("cookie", cookie(&aqy))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let to = res.headers()["location"].to_str().unwrap().to_owned();
        assert!(to.starts_with("/hazard-statistics/"), "{to}");

        let html = page(&aqy, &to).await.unwrap().text().await.unwrap();
        assert!(html.contains("id=\"figures-table\"") && html.contains("草稿"), "{html}");
        assert!(!html.contains("id=\"do-confirm\""), "only the principal signs");
        let html = page(&fzr, &to).await.unwrap().text().await.unwrap();
        assert!(html.contains("id=\"do-confirm\""), "{html}");
        let res = http
            .post(app.url(&format!("{to}/act/confirm")))
            .header("cookie", cookie(&fzr))
            .form(&[("csrf_token", fzr.csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let res = http
            .post(app.url(&format!("{to}/act/submit")))
            .header("cookie", cookie(&aqy))
            .form(&[("csrf_token", aqy.csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let html = page(&aqy, &to).await.unwrap().text().await.unwrap();
        assert!(html.contains("已报送") && !html.contains("id=\"do-submit\""), "{html}");

        let html = page(&fzr, &format!("{to}/print")).await.unwrap().text().await.unwrap();
        assert!(html.contains("隐患排查治理情况统计分析表") && html.contains("主要负责人（签字）"), "{html}");

        let html = page(&reg, "/hazard-statistics?period=2026Q3").await.unwrap().text().await.unwrap();
        assert!(html.contains("甲化工有限公司"), "{html}");
        assert!(
            html.contains("id=\"count-required\">1<") && html.contains("id=\"count-late\">1<"),
            "submitted after 15 October: {html}"
        );
        let html = page(&reg, &to).await.unwrap().text().await.unwrap();
        assert!(html.contains("id=\"do-return\""), "a regulator may return a submitted report");
    })
    .await;
}
