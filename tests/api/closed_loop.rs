//! 一单四制 complete: 交办 with its supervising bureau, date, 督办 level and
//! 配合单位; 治理方案 with the art. 15 contents, signed by the principal and
//! kept in versions; suspension ordered and lifted by the regulators only, on
//! a 复产申请 with the 评估报告, in the enterprise's status history; the 销号
//! submission's files and the 核销 review; deadlines in working days.

use crate::helpers::{TestApp, TestUser, on_each_backend, world};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00photo-bytes";
const PDF: &[u8] = b"%PDF-1.4\n% report\n";

async fn file(app: &TestApp, u: &TestUser, name: &str, bytes: &[u8]) -> i64 {
    let (status, v) = app.upload(&u.token, "/api/v1/attachments", name, bytes.to_vec()).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

async fn step(app: &TestApp, u: &TestUser, id: i64, action: &str, body: Value) -> Value {
    let (status, v) = app.post(&u.token, &format!("/api/v1/hazards/{id}/{action}"), &body).await;
    assert_eq!(status, StatusCode::OK, "{action}: {v}");
    v
}

/// The field errors of a refused step (asserting it is a 422).
async fn refused(app: &TestApp, u: &TestUser, id: i64, action: &str, body: Value) -> Value {
    let (status, v) = app.post(&u.token, &format!("/api/v1/hazards/{id}/{action}"), &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{action}: {v}");
    v["error"]["fields"].clone()
}

async fn status_of(app: &TestApp, u: &TestUser, id: i64, action: &str, body: Value) -> (StatusCode, Value) {
    app.post(&u.token, &format!("/api/v1/hazards/{id}/{action}"), &body).await
}

/// A major hazard reported by the enterprise and confirmed by the regulator.
async fn confirmed_major(app: &TestApp, w: &crate::helpers::World) -> i64 {
    let body = json!({
        "enterprise_id": w.enterprise, "source": "self_check", "level": "major", "category": "unsafe_condition",
        "title": "储罐区可燃气体报警器失效", "description": "罐区 3 台报警器未投用", "location": "罐区",
        "found_at": "2026-11-21T08:00:00Z",
    });
    let (status, h) = app.post(&w.principal.token, "/api/v1/hazards", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{h}");
    let id = h["id"].as_i64().unwrap();
    step(app, &w.reg, id, "confirm", json!({"note": "经研究认定为重大事故隐患"})).await;
    id
}

fn plan(goals: &str, funds: f64) -> Value {
    json!({"plan": {"goals": goals, "measures": "更换报警器并联锁", "funds": funds, "materials": "报警器 3 台",
        "responsible_org": "设备部", "responsible_person": "张三", "deadline": "2026-11-27",
        "requirements": "联锁投用", "safety_measures": "罐区停止进料", "emergency_plan": "罐区专项应急预案"}})
}

async fn todo_titles(app: &TestApp, u: &TestUser) -> Vec<String> {
    let (status, v) = app.get(&u.token, "/api/v1/todos").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v["items"].as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap().to_owned()).collect()
}

async fn history_events(app: &TestApp, u: &TestUser, enterprise: i64) -> Vec<String> {
    let (status, e) = app.get(&u.token, &format!("/api/v1/enterprises/{enterprise}")).await;
    assert_eq!(status, StatusCode::OK, "{e}");
    e["status_history"].as_array().unwrap().iter().filter_map(|h| h["event"].as_str().map(str::to_owned)).collect()
}

#[tokio::test]
async fn a_major_hazard_is_assigned_planned_suspended_reviewed_and_resumes() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let id = confirmed_major(&app, &w).await;
        let other = app.user("other_reg").role(Role::Regulator).region("420104").create().await;
        let (_, bureaus) = app.get(&other.token, "/api/v1/bureaus").await;
        let foreign = bureaus[0]["id"].as_i64().unwrap();

        // 交办: a bureau outside the scope, a missing deadline, an unknown level.
        let bad = json!({"assignment": {"supervising_bureau_id": foreign, "responsible_unit": "甲化工有限公司",
            "responsible_person": "张三", "supervision_level": "town"}});
        let fields = refused(&app, &w.reg, id, "assign", bad).await;
        for f in ["assignment.supervising_bureau_id", "assignment.deadline", "assignment.supervision_level"] {
            assert!(fields[f].is_array(), "{f}: {fields}");
        }
        let assignment = json!({"responsible_unit": "甲化工有限公司", "responsible_person": "张三",
            "supervision_level": "city", "notice_no": "武应急督〔2026〕3号", "deadline_working_days": 5,
            "cooperating_units": ["江汉区住建局", "江汉区消防救援大队"], "assigning_body": "江汉区安委办"});
        let h = step(&app, &w.reg, id, "assign", json!({"assignment": assignment})).await;
        // Five working days after Sunday 2026-11-22, the 交办 date (today by default).
        assert_eq!((h["status"].as_str(), h["deadline"].as_str()), (Some("assigned"), Some("2026-11-27")));
        let assigned = &h["assignment"];
        assert_eq!(assigned["assigned_on"], "2026-11-22");
        assert_eq!(assigned["supervision_level"], "city");
        assert!(assigned["supervising_bureau_id"].as_i64().is_some(), "{assigned}");
        assert_eq!(assigned["assigning_bureau_id"], assigned["supervising_bureau_id"]);
        assert!(assigned["supervising_bureau_name"].as_str().is_some_and(|n| !n.is_empty()), "{assigned}");
        assert_eq!(assigned["cooperating_units"], json!(["江汉区住建局", "江汉区消防救援大队"]));
        assert_eq!(assigned["assigning_body"], "江汉区安委办");

        // 治理方案: signed by the principal; the safety officer may not file it; no silent 0.
        let (status, _) = status_of(&app, &w.officer, id, "plan", plan("消除报警失效", 100.0)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let fields = refused(&app, &w.principal, id, "plan", plan("", 0.0)).await;
        assert!(fields["plan.goals"].is_array() && fields["plan.funds"].is_array(), "{fields}");
        let fields = refused(&app, &w.principal, id, "plan", plan("消除报警失效", 10.005)).await;
        assert!(fields["plan.funds"].is_array(), "{fields}");
        let h = step(&app, &w.principal, id, "plan", plan("消除报警失效", 12000.5)).await;
        assert_eq!((h["status"].as_str(), h["plan_versions"].as_i64()), (Some("rectifying"), Some(1)));
        assert_eq!(
            (h["plan"]["funds"].as_f64(), h["plan"]["signed_by_principal"].as_bool()),
            (Some(12000.5), Some(true))
        );
        let h = step(&app, &w.principal, id, "plan", plan("消除报警失效并联锁", 15000.0)).await;
        assert_eq!((h["status"].as_str(), h["plan_versions"].as_i64()), (Some("rectifying"), Some(2)));
        assert_eq!(h["plan"]["goals"], "消除报警失效并联锁");
        let (status, versions) = app.get(&w.reg.token, &format!("/api/v1/hazards/{id}/plans")).await;
        assert_eq!(status, StatusCode::OK, "{versions}");
        let funds: Vec<(i64, f64)> = versions
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["version"].as_i64().unwrap(), p["funds"].as_f64().unwrap()))
            .collect();
        assert_eq!(funds, [(1, 12000.5), (2, 15000.0)]);
        assert_eq!(versions[0]["author_name"], "fzr");
        let html = page(&app, &w.reg, &format!("/hazards/{id}")).await;
        assert!(
            html.contains("第 2 版（主要负责人已签字确认）") && html.contains("第 1 版 · fzr"),
            "versions on the page"
        );

        // Suspension: ordered by the regulator only, with what and why.
        let order = json!({"scope_text": "3号储罐区", "basis": "《安全生产法》第六十五条"});
        let (status, _) = status_of(&app, &w.principal, id, "suspend", order.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let fields = refused(&app, &w.reg, id, "suspend", json!({"note": "停用"})).await;
        assert!(fields["scope_text"].is_array() && fields["basis"].is_array(), "{fields}");
        let h = step(&app, &w.reg, id, "suspend", order).await;
        assert_eq!((h["suspended"].as_bool(), h["suspension"]["scope_text"].as_str()), (Some(true), Some("3号储罐区")));
        assert_eq!(history_events(&app, &w.reg, w.enterprise).await, ["suspension_ordered"]);
        let (status, err) = status_of(&app, &w.reg, id, "lift_suspension", json!({})).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("resumption_not_applied")));

        // 销号: the submission carries the 评估报告 and, suspended, the 复产申请.
        let after = file(&app, &w.officer, "整改后.jpg", JPEG).await;
        let fields = refused(&app, &w.officer, id, "submit", json!({"attachment_ids": [after]})).await;
        assert!(fields["assessment_report_ids"].is_array(), "{fields}");
        assert!(fields["resumption_application_ids"].is_array(), "{fields}");
        let report = file(&app, &w.officer, "评估报告.pdf", PDF).await;
        let application = file(&app, &w.officer, "复产申请.pdf", PDF).await;
        let body = json!({"attachment_ids": [after], "assessment_report_ids": [report],
            "resumption_application_ids": [application]});
        let h = step(&app, &w.officer, id, "submit", body).await;
        assert_eq!(h["status"], "pending_verification");
        let purposes: Vec<&str> =
            h["attachments"].as_array().unwrap().iter().filter_map(|f| f["purpose"].as_str()).collect();
        assert_eq!(purposes, ["after", "assessment_report", "resumption_application"]);

        // The 核销 review: two distinct reviewers, an opinion; lifting only on a pass.
        let fields = refused(
            &app,
            &w.reg,
            id,
            "verify",
            json!({"passed": false, "reviewers": ["王五", "王五"], "note": "未完成", "lift_suspension": true}),
        )
        .await;
        for f in ["reviewers", "opinion", "lift_suspension"] {
            assert!(fields[f].is_array(), "{f}: {fields}");
        }
        let review = json!({"passed": true, "reviewed_on": "2026-11-22", "reviewers": ["王五", "赵六"],
            "opinion": "现场审查合格，同意核销", "lift_suspension": false});
        let h = step(&app, &w.reg, id, "verify", review).await;
        assert_eq!((h["status"].as_str(), h["suspended"].as_bool()), (Some("closed"), Some(true)));
        let review = &h["review"];
        assert_eq!(review["reviewers"], json!(["王五", "赵六"]));
        assert_eq!((review["reviewed_on"].as_str(), review["passed"].as_bool()), (Some("2026-11-22"), Some(true)));
        assert_eq!(review["opinion"], "现场审查合格，同意核销");

        // Still stopped after the 核销: the regulator lifts it on the application handed in.
        let h = step(&app, &w.reg, id, "lift_suspension", json!({"note": "评估合格"})).await;
        assert_eq!((h["suspended"].as_bool(), h["suspension"].is_null()), (Some(false), true));
        assert_eq!(history_events(&app, &w.reg, w.enterprise).await, ["suspension_ordered", "suspension_lifted"]);
        let (_, audit) = app.get(&w.reg.token, "/api/v1/audit/verify").await;
        assert_eq!(audit["ok"], true, "{audit}");
    })
    .await;
}

#[tokio::test]
async fn a_suspension_ordered_before_confirmation_lifts_on_a_resumption_application() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let body = json!({
            "enterprise_id": w.enterprise, "source": "self_check", "level": "major", "category": "unsafe_condition",
            "title": "液氨管道泄漏", "description": "阀门处泄漏", "found_at": "2026-11-21T08:00:00Z",
        });
        let (_, h) = app.post(&w.principal.token, "/api/v1/hazards", &body).await;
        let id = h["id"].as_i64().unwrap();
        let order = json!({"scope_text": "整个企业", "basis": "《安全生产法》第六十五条第一款第三项"});
        let h = step(&app, &w.reg, id, "suspend", order.clone()).await;
        assert_eq!((h["status"].as_str(), h["suspended"].as_bool()), (Some("reported"), Some(true)));
        let (status, err) = status_of(&app, &w.reg, id, "suspend", order).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("already_suspended")));
        assert!(h["allowed_actions"].as_array().unwrap().iter().all(|a| a != "lift_suspension"));

        // The enterprise cannot lift its own suspension; it applies, with the 评估报告.
        let (status, _) = status_of(&app, &w.officer, id, "lift_suspension", json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let application = file(&app, &w.officer, "复产申请.pdf", PDF).await;
        let fields =
            refused(&app, &w.officer, id, "apply_resumption", json!({"resumption_application_ids": [application]}))
                .await;
        assert!(fields["assessment_report_ids"].is_array(), "{fields}");
        let fields = refused(&app, &w.officer, id, "apply_resumption", json!({})).await;
        assert!(fields["resumption_application_ids"].is_array(), "{fields}");
        let report = file(&app, &w.officer, "评估报告.pdf", PDF).await;
        let body = json!({"resumption_application_ids": [application], "assessment_report_ids": [report]});
        let h = step(&app, &w.officer, id, "apply_resumption", body).await;
        assert!(h["suspension"]["resumption_applied_at"].is_string(), "{h}");
        let (_, h) = app.get(&w.reg.token, &format!("/api/v1/hazards/{id}")).await;
        assert!(h["allowed_actions"].as_array().unwrap().iter().any(|a| a == "lift_suspension"), "{h}");
        assert!(todo_titles(&app, &w.reg).await.iter().any(|t| t.starts_with("复产申请待审查")));
        let h = step(&app, &w.reg, id, "lift_suspension", json!({})).await;
        assert_eq!((h["status"].as_str(), h["suspended"].as_bool()), (Some("reported"), Some(false)));
        let left = todo_titles(&app, &w.reg).await;
        assert!(!left.iter().any(|t| t.starts_with("复产申请")), "the application's to-do closes: {left:?}");
        assert!(left.iter().any(|t| t.starts_with("待认定")), "the 认定 still waits: {left:?}");
        let (status, err) = status_of(&app, &w.reg, id, "lift_suspension", json!({})).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("not_suspended")));
        assert_eq!(history_events(&app, &w.reg, w.enterprise).await, ["suspension_ordered", "suspension_lifted"]);
    })
    .await;
}

#[tokio::test]
async fn an_unlisted_assignment_names_no_listing_bureau_and_dates_count_from_the_assignment() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let id = confirmed_major(&app, &w).await;
        // A 交办 recorded late: the working days count from its date.
        let assignment = json!({"assigned_on": "2026-11-21", "responsible_unit": "甲化工有限公司",
            "responsible_person": "张三", "supervision_level": "none", "deadline_working_days": 3});
        let h = step(&app, &w.reg, id, "assign", json!({"assignment": assignment})).await;
        assert_eq!(h["deadline"], "2026-11-25");
        assert_eq!(h["assignment"]["supervision_level"], "none");
        assert!(h["assignment"]["assigning_bureau_id"].is_null(), "{h}");
        assert!(h["assignment"]["supervising_bureau_id"].is_i64(), "{h}");
        let (_, list) = app.get(&w.reg.token, "/api/v1/major-hazards?supervision_level=none").await;
        assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    })
    .await;
}

#[tokio::test]
async fn an_extension_in_working_days_counts_from_the_current_deadline() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let body = json!({
            "enterprise_id": w.enterprise, "source": "self_check", "level": "general", "category": "unsafe_condition",
            "title": "配电室堆放杂物", "description": "门口堆放纸箱", "found_at": "2026-11-21T08:00:00Z",
            "deadline": "2026-12-10",
        });
        let (_, h) = app.post(&w.officer.token, "/api/v1/hazards", &body).await;
        let id = h["id"].as_i64().unwrap();
        let fields = refused(
            &app,
            &w.officer,
            id,
            "request_extension",
            json!({"note": "配件未到", "until": "2026-12-20", "until_working_days": 3}),
        )
        .await;
        assert!(fields["until_working_days"].is_array(), "{fields}");
        let fields = refused(&app, &w.officer, id, "request_extension", json!({"note": "配件未到"})).await;
        assert!(fields["until"].is_array(), "{fields}");
        let h =
            step(&app, &w.officer, id, "request_extension", json!({"note": "配件未到", "until_working_days": 3})).await;
        // Thursday 2026-12-10 + 3 working days: Friday 11, Monday 14, Tuesday 15.
        assert_eq!(h["extension_until"], "2026-12-15");
        let h = step(&app, &w.principal, id, "decide_extension", json!({"approved": true})).await;
        assert_eq!(h["deadline"], "2026-12-15");
    })
    .await;
}

fn page_client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// Posts a step's page form (multipart, as the browser sends it); the status and the page.
async fn page_step(
    app: &TestApp,
    u: &TestUser,
    id: i64,
    action: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let mut form = reqwest::multipart::Form::new().text("csrf_token", u.csrf.clone());
    for (k, v) in fields {
        form = form.text((*k).to_owned(), (*v).to_owned());
    }
    let res = page_client()
        .post(app.url(&format!("/hazards/{id}/act/{action}")))
        .header("cookie", format!("anjian_session={}", u.token))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn page(app: &TestApp, u: &TestUser, path: &str) -> String {
    let res =
        page_client().get(app.url(path)).header("cookie", format!("anjian_session={}", u.token)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.text().await.unwrap()
}

#[tokio::test]
async fn the_pages_assign_with_a_bureau_of_the_scope_and_show_the_suspension_in_chinese() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let id = confirmed_major(&app, &w).await;
        let form = page(&app, &w.reg, &format!("/hazards/{id}")).await;
        assert!(form.contains("name=\"supervising_bureau_id\"") && form.contains("不挂牌"), "the assign form");
        let other = app.user("other_reg").role(Role::Regulator).region("420104").create().await;
        let (_, bureaus) = app.get(&other.token, "/api/v1/bureaus").await;
        let foreign = bureaus[0]["id"].as_i64().unwrap().to_string();
        let typed = [
            ("supervising_bureau_id", foreign.as_str()),
            ("supervision_level", "county"),
            ("responsible_unit", "甲化工有限公司"),
            ("responsible_person", "张三"),
            ("cooperating_units", "江汉区住建局\n江汉区消防救援大队"),
            ("deadline_working_days", "5"),
        ];
        let (status, html) = page_step(&app, &w.reg, id, "assign", &typed).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains(anjian::scope::BUREAU_OUT_OF_SCOPE), "the bureau's error is named in Chinese");
        assert!(html.contains("江汉区消防救援大队") && !html.contains("supervising_bureau_id:"), "typed values stay");
        let own = typed.iter().map(|(k, v)| if *k == "supervising_bureau_id" { (*k, "") } else { (*k, *v) });
        let (status, _) = page_step(&app, &w.reg, id, "assign", &own.collect::<Vec<_>>()).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let html = page(&app, &w.reg, &format!("/hazards/{id}")).await;
        assert!(
            html.contains("县级") && html.contains("配合单位") && html.contains("江汉区住建局、江汉区消防救援大队"),
            "the 交办 is shown"
        );

        let order = [("scope_text", "3号储罐区"), ("basis", "《安全生产法》第六十五条")];
        let (status, _) = page_step(&app, &w.reg, id, "suspend", &order).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let html = page(&app, &w.reg, &format!("/enterprises/{}", w.enterprise)).await;
        assert!(html.contains("责令停产停业/停止使用") && html.contains("3号储罐区"), "the order in the history");
        assert!(!html.contains("suspension_ordered"), "no raw code on the page");
    })
    .await;
}
