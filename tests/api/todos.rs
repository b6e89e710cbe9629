//! To-dos and the timers of the earlier steps: each system to-do carries its
//! due date and urgency, sorts by it, and closes when its step is taken; a
//! confirmed major hazard awaiting 交办 reminds the bureau, never the
//! enterprise, and is never overdue; every timer notifies once.

use crate::helpers::{TestApp, TestUser, on_each_backend, world};
use crate::jobs::set_email;
use anjian::entities::outbox;
use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

async fn run(app: &TestApp, instant: &str) -> anjian::jobs::deadlines::DeadlineReport {
    app.clock.set(at(instant));
    anjian::jobs::run_due(&app.state).await.unwrap().deadlines
}

async fn step(app: &TestApp, u: &TestUser, id: i64, action: &str, body: Value) -> Value {
    let (status, v) = app.post(&u.token, &format!("/api/v1/hazards/{id}/{action}"), &body).await;
    assert_eq!(status, StatusCode::OK, "{action}: {v}");
    v
}

/// The user's open to-dos (a fresh sign-in each time: the clock moves past sessions).
async fn todos(app: &TestApp, username: &str) -> Vec<Value> {
    let (status, v) = app.login(username, crate::helpers::PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (status, list) = app.get(v["token"].as_str().unwrap(), "/api/v1/todos").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["items"].as_array().unwrap().clone()
}

fn kinds(items: &[Value]) -> Vec<&str> {
    items.iter().map(|t| t["kind"].as_str().unwrap()).collect()
}

fn of_kind<'a>(items: &'a [Value], kind: &str) -> &'a Value {
    items.iter().find(|t| t["kind"] == kind).unwrap_or_else(|| panic!("no {kind} in {items:?}"))
}

async fn mails(app: &TestApp, kind: &str) -> u64 {
    outbox::Entity::find().filter(outbox::Column::Kind.eq(kind)).count(app.state.db.conn()).await.unwrap()
}

#[tokio::test]
async fn a_major_hazard_awaiting_assignment_reminds_the_bureau_once_and_is_never_overdue() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        set_email(&app, &[("reg", "reg@bureau.example"), ("aqy", "aqy@jia.example")]).await;
        let report = json!({"enterprise_id": w.enterprise, "source": "self_check", "level": "major",
            "category": "unsafe_condition", "title": "罐区报警器失效", "description": "d", "found_at": "2026-11-21T08:00:00Z"});
        let (status, h) = app.post(&w.officer.token, "/api/v1/hazards", &report).await;
        assert_eq!(status, StatusCode::CREATED, "{h}");
        let id = h["id"].as_i64().unwrap();
        // 认定 on Sunday 22 November, with a deadline that passes before anyone assigns it.
        step(&app, &w.reg, id, "confirm", json!({"deadline": "2026-11-23"})).await;
        let reg = todos(&app, "reg").await;
        let to_assign = of_kind(&reg, "hazard_to_assign");
        assert_eq!(to_assign["due_on"], "2026-11-27", "five working days after 认定");
        assert_eq!((to_assign["urgency"].as_str(), to_assign["urgency_label"].as_str()), (Some("upcoming"), Some("5 天后到期")));
        assert!(!kinds(&todos(&app, "aqy").await).contains(&"hazard_to_assign"), "never the enterprise's");

        let r = run(&app, "2026-11-30T01:00:00Z").await;
        assert_eq!((r.assign_late, r.overdue, r.due_soon), (1, 0, 0), "awaiting 交办 is not overdue: {r:?}");
        let again = run(&app, "2026-11-30T05:00:00Z").await;
        assert_eq!(again.assign_late, 0, "once");
        assert_eq!(mails(&app, "hazard_assign_late").await, 1);
        assert_eq!(mails(&app, "hazard_overdue").await, 0);
        let reg = todos(&app, "reg").await;
        assert_eq!(of_kind(&reg, "hazard_to_assign")["urgency_label"], "逾期 3 天");
        assert_eq!(kinds(&reg)[..2], ["hazard_to_assign", "hazard_assign_late"], "most overdue first");
        let enterprise = todos(&app, "aqy").await;
        assert!(!kinds(&enterprise).iter().any(|k| k.contains("assign") || k.contains("overdue")), "{enterprise:?}");
        let (_, v) = app.login("reg", crate::helpers::PASSWORD).await;
        let token = v["token"].as_str().unwrap();
        let (_, list) = app.get(token, "/api/v1/hazards?overdue=true").await;
        assert_eq!(list["total"], 0, "never published as overdue: {list}");
        let (_, detail) = app.get(token, &format!("/api/v1/hazards/{id}")).await;
        assert_eq!(detail["overdue"], false);
    })
    .await;
}

#[tokio::test]
async fn assignment_closes_the_bureaus_to_dos_and_a_missing_plan_reminds_the_enterprise_once() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let report = json!({"enterprise_id": w.enterprise, "source": "self_check", "level": "major",
            "category": "unsafe_condition", "title": "仓库超量储存", "description": "d", "found_at": "2026-11-21T08:00:00Z"});
        let (_, h) = app.post(&w.officer.token, "/api/v1/hazards", &report).await;
        let id = h["id"].as_i64().unwrap();
        step(&app, &w.reg, id, "confirm", json!({})).await;
        run(&app, "2026-11-30T01:00:00Z").await;
        let (_, v) = app.login("reg", crate::helpers::PASSWORD).await;
        let reg = TestUser { id: w.reg.id, token: v["token"].as_str().unwrap().to_owned(), csrf: String::new() };
        step(&app, &reg, id, "assign", json!({"assignment": {"assigning_body": "区安委办", "responsible_unit": "甲",
            "responsible_person": "张三", "supervision_level": "county", "deadline": "2027-01-31"}})).await;
        let open = todos(&app, "reg").await;
        assert!(!kinds(&open).iter().any(|k| k.contains("assign")), "closed by the step: {open:?}");
        let plan = todos(&app, "aqy").await;
        assert_eq!(of_kind(&plan, "hazard_to_plan")["due_on"], "2026-12-14", "ten working days after 交办");

        assert_eq!(run(&app, "2026-12-14T01:00:00Z").await.plan_late, 0, "due today, not late yet");
        assert_eq!(run(&app, "2026-12-15T01:00:00Z").await.plan_late, 1);
        assert_eq!(run(&app, "2026-12-16T01:00:00Z").await.plan_late, 0, "once");
        assert!(kinds(&todos(&app, "aqy").await).contains(&"hazard_plan_late"));
        assert!(!kinds(&todos(&app, "reg").await).contains(&"hazard_plan_late"));
    })
    .await;
}

#[tokio::test]
async fn an_unchecked_tip_off_reminds_the_regulators_once_and_stays_hidden_from_the_enterprise() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let tip = json!({"enterprise_id": w.enterprise, "source": "tip_off", "level": "general", "category": "environment",
            "title": "夜间违规动火", "description": "d", "found_at": "2026-11-21T08:00:00Z",
            "reporter": {"name": "匿名", "phone": "13800000000"}});
        let (status, h) = app.post(&w.reg.token, "/api/v1/hazards", &tip).await;
        assert_eq!(status, StatusCode::CREATED, "{h}");
        assert_eq!(h["status"], "reported");
        let id = h["id"].as_i64().unwrap();
        // The enterprise's own employee report, awaiting 认定, stays visible to it.
        let own = json!({"enterprise_id": w.enterprise, "source": "employee_report", "level": "major",
            "category": "environment", "title": "职工反映通风不良", "description": "d", "found_at": "2026-11-21T08:00:00Z"});
        let (status, mine) = app.post(&w.officer.token, "/api/v1/hazards", &own).await;
        assert_eq!((status, mine["status"].as_str()), (StatusCode::CREATED, Some("reported")), "{mine}");

        let (_, list) = app.get(&w.principal.token, "/api/v1/hazards").await;
        assert_eq!(list["total"], 1, "only its own report: {list}");
        let (status, _) = app.get(&w.principal.token, &format!("/api/v1/hazards/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, counts) = app.get(&w.principal.token, "/api/v1/hazards/counts").await;
        let total: i64 = counts.as_array().unwrap().iter().map(|c| c["count"].as_i64().unwrap()).sum();
        assert_eq!(total, 1, "{counts}");
        assert!(todos(&app, "fzr").await.iter().all(|t| !t["title"].as_str().unwrap().contains("夜间违规动火")));
        let reg = todos(&app, "reg").await;
        assert_eq!(of_kind(&reg, "hazard_to_confirm")["due_on"], "2026-11-27");

        let r = run(&app, "2026-11-28T01:00:00Z").await;
        assert_eq!(r.check_late, 1, "the bureau's channel only: {r:?}");
        assert_eq!(run(&app, "2026-11-28T05:00:00Z").await.check_late, 0, "once");
        assert!(kinds(&todos(&app, "reg").await).contains(&"hazard_check_late"));

        let (_, v) = app.login("reg", crate::helpers::PASSWORD).await;
        let reg = TestUser { id: w.reg.id, token: v["token"].as_str().unwrap().to_owned(), csrf: String::new() };
        step(&app, &reg, id, "confirm", json!({"deadline": "2026-12-31"})).await;
        assert!(!todos(&app, "reg").await.iter().any(|t| t["link"] == format!("/hazards/{id}")), "closed by 认定");
        let (_, v) = app.login("fzr", crate::helpers::PASSWORD).await;
        let (status, seen) = app.get(v["token"].as_str().unwrap(), &format!("/api/v1/hazards/{id}")).await;
        assert_eq!(status, StatusCode::OK, "confirmed: now the enterprise's to rectify");
        assert!(seen["reporter"].is_null(), "{seen}");
    })
    .await;
}

#[tokio::test]
async fn to_dos_come_most_urgent_first_and_a_system_to_do_closes_only_with_its_step() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let mut ids = Vec::new();
        for (title, deadline) in [("甲", "2026-12-10"), ("乙", "2026-11-22"), ("丙", "2026-11-24")] {
            let body = json!({"enterprise_id": w.enterprise, "source": "self_check", "level": "general",
                "category": "environment", "title": title, "description": "d", "found_at": "2026-11-21T08:00:00Z",
                "deadline": deadline});
            let (status, h) = app.post(&w.officer.token, "/api/v1/hazards", &body).await;
            assert_eq!(status, StatusCode::CREATED, "{h}");
            ids.push(h["id"].as_i64().unwrap());
        }
        let items = todos(&app, "fzr").await;
        let labels: Vec<&str> = items.iter().map(|t| t["urgency_label"].as_str().unwrap()).collect();
        assert_eq!(labels, ["今天到期", "2 天后到期", "18 天后到期"], "{items:?}");
        assert!(items.iter().all(|t| t["closes_with_step"] == true));

        let (status, e) =
            app.post(&w.principal.token, &format!("/api/v1/todos/{}/done", items[0]["id"]), &json!({})).await;
        assert_eq!((status, e["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("todo_closes_with_step")), "{e}");

        app.clock.set(at("2026-11-25T02:00:00Z"));
        let items = todos(&app, "fzr").await;
        let labels: Vec<&str> = items.iter().map(|t| t["urgency_label"].as_str().unwrap()).collect();
        assert_eq!(labels, ["逾期 3 天", "逾期 1 天", "15 天后到期"]);
        assert_eq!(items[0]["urgency"], "overdue");

        let (_, v) = app.login("aqy", crate::helpers::PASSWORD).await;
        let officer =
            TestUser { id: w.officer.id, token: v["token"].as_str().unwrap().to_owned(), csrf: String::new() };
        let (_, pic) =
            app.upload(&officer.token, "/api/v1/attachments", "a.png", b"\x89PNG\r\n\x1a\nxx".to_vec()).await;
        step(&app, &officer, ids[1], "submit", json!({"attachment_ids": [pic["id"]], "rectifier_name": "王五"})).await;
        let items = todos(&app, "fzr").await;
        assert_eq!(kinds(&items), ["hazard_to_rectify", "hazard_to_rectify", "hazard_to_accept"], "{items:?}");
        assert_eq!(items[2]["urgency"], "undated", "the enterprise's own acceptance has no period");
    })
    .await;
}

#[tokio::test]
async fn the_register_page_lists_the_enterprises_hazards_without_an_unverified_tip_off() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        for (source, title) in [("grid_patrol", "消防通道堵塞"), ("tip_off", "夜间违规动火")] {
            let body = json!({"enterprise_id": w.enterprise, "source": source, "level": "general",
                "category": "environment", "title": title, "description": "d", "found_at": "2026-11-21T08:00:00Z",
                "deadline": "2026-12-10"});
            let (status, h) = app.post(&w.reg.token, "/api/v1/hazards", &body).await;
            assert_eq!(status, StatusCode::CREATED, "{h}");
        }
        let http = reqwest::Client::new();
        let page = |token: &str| {
            http.get(app.url(&format!("/enterprises/{}", w.enterprise)))
                .header("cookie", format!("anjian_session={token}"))
                .send()
        };
        let html = page(&w.reg.token).await.unwrap().text().await.unwrap();
        assert!(html.contains("消防通道堵塞") && html.contains("夜间违规动火"), "{html}");
        assert!(html.contains(&format!(r#"href="/hazards?enterprise_id={}""#, w.enterprise)), "{html}");
        let html = page(&w.principal.token).await.unwrap().text().await.unwrap();
        assert!(html.contains("消防通道堵塞") && !html.contains("夜间违规动火"), "{html}");
        let ledger = http
            .get(app.url(&format!("/hazards?enterprise_id={}", w.enterprise)))
            .header("cookie", format!("anjian_session={}", w.reg.token))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(ledger.contains("消防通道堵塞"), "the filtered ledger: {ledger}");
    })
    .await;
}

#[tokio::test]
async fn the_to_do_page_shows_due_dates_and_urgency_and_no_done_button_for_a_system_to_do() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let body = json!({"enterprise_id": w.enterprise, "source": "self_check", "level": "general",
            "category": "environment", "title": "配电箱门损坏", "description": "d", "found_at": "2026-11-21T08:00:00Z",
            "deadline": "2026-11-22"});
        let (status, h) = app.post(&w.officer.token, "/api/v1/hazards", &body).await;
        assert_eq!(status, StatusCode::CREATED, "{h}");
        let html = reqwest::Client::new()
            .get(app.url("/todos"))
            .header("cookie", format!("anjian_session={}", w.principal.token))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("2026-11-22") && html.contains(r#"urgency-due_today">今天到期"#), "{html}");
        assert!(html.contains("去办理") && !html.contains("标记完成"), "closes with its step: {html}");
    })
    .await;
}
