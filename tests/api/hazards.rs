//! The hazard ledger through the API: who closes what, 一单四制, reporter
//! protection, illegal steps and races, queries.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend, world};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00photo-bytes";

async fn pdf(app: &TestApp, u: &TestUser) -> i64 {
    let (status, v) = app.upload(&u.token, "/api/v1/attachments", "报告.pdf", b"%PDF-1.4\n".to_vec()).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

async fn photo(app: &TestApp, u: &TestUser) -> i64 {
    let (status, v) = app.upload(&u.token, "/api/v1/attachments", "现场.jpg", JPEG.to_vec()).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

fn report(enterprise: i64, level: &str, source: &str) -> Value {
    json!({
        "enterprise_id": enterprise, "source": source, "level": level, "category": "unsafe_condition",
        "title": "储罐区可燃气体报警器失效", "description": "罐区 3 台报警器未投用",
        "location": "罐区", "found_at": "2026-11-21T08:00:00Z", "deadline": "2026-12-10",
    })
}

async fn step(app: &TestApp, u: &TestUser, id: i64, action: &str, body: Value) -> Value {
    let (status, v) = app.post(&u.token, &format!("/api/v1/hazards/{id}/{action}"), &body).await;
    assert_eq!(status, StatusCode::OK, "{action}: {v}");
    v
}

async fn todo_titles(app: &TestApp, u: &TestUser) -> Vec<String> {
    let (status, v) = app.get(&u.token, "/api/v1/todos").await;
    assert_eq!(status, StatusCode::OK);
    v["items"].as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_major_hazard_goes_round_the_one_list_four_systems_loop() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let mut body = report(w.enterprise, "major", "self_check");
        body["attachment_ids"] = json!([photo(&app, &w.principal).await]);
        let (status, h) = app.post(&w.principal.token, "/api/v1/hazards", &body).await;
        assert_eq!(status, StatusCode::CREATED, "{h}");
        let id = h["id"].as_i64().unwrap();
        assert_eq!((h["status"].as_str(), h["closure"].as_str()), (Some("reported"), Some("major")));
        assert_eq!(h["attachments"][0]["purpose"], "before");
        assert!(todo_titles(&app, &w.reg).await.iter().any(|t| t.starts_with("待认定")));

        step(&app, &w.reg, id, "confirm", json!({"note": "经研究认定为重大事故隐患"})).await;
        let assignment = json!({"assigning_body": "江汉区安委办", "responsible_unit": "甲化工有限公司",
            "responsible_person": "张三", "supervision_level": "county", "notice_no": "江应急督〔2026〕3号",
            "deadline": "2026-12-20"});
        let h = step(&app, &w.reg, id, "assign", json!({"assignment": assignment})).await;
        assert_eq!((h["status"].as_str(), h["deadline"].as_str()), (Some("assigned"), Some("2026-12-20")));
        assert!(todo_titles(&app, &w.principal).await.iter().any(|t| t.starts_with("待制定治理方案")));

        let plan = json!({"goals": "消除报警失效", "measures": "更换报警器并联锁", "funds": 12000.5,
            "responsible_org": "设备部", "responsible_person": "张三", "deadline": "2026-12-15",
            "safety_measures": "罐区停止进料", "emergency_plan": "罐区专项应急预案"});
        step(&app, &w.principal, id, "plan", json!({"plan": plan})).await;
        let order = json!({"scope_text": "罐区", "basis": "《安全生产法》第六十五条", "note": "罐区停止使用"});
        step(&app, &w.reg, id, "suspend", order).await;
        let after = photo(&app, &w.principal).await;
        let (report, application) = (pdf(&app, &w.principal).await, pdf(&app, &w.principal).await);
        let body = json!({"attachment_ids": [after], "funds_spent": 11800, "assessment_report_ids": [report],
            "resumption_application_ids": [application]});
        let h = step(&app, &w.principal, id, "submit", body).await;
        assert_eq!(h["status"], "pending_verification");
        assert!(todo_titles(&app, &w.reg).await.iter().any(|t| t.starts_with("待现场审查")));

        // The enterprise cannot verify its own major hazard.
        let (status, _) =
            app.post(&w.officer.token, &format!("/api/v1/hazards/{id}/verify"), &json!({"passed": true})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let review =
            json!({"passed": false, "note": "联锁未投用", "reviewers": ["王五", "赵六"], "opinion": "联锁未投用"});
        let h = step(&app, &w.reg, id, "verify", review).await;
        assert_eq!(h["status"], "rectifying");
        let after = photo(&app, &w.officer).await;
        step(&app, &w.officer, id, "submit", json!({"attachment_ids": [after]})).await;
        let review = json!({"passed": true, "note": "现场审查合格，予以核销", "reviewers": ["王五", "赵六"],
            "opinion": "现场审查合格，予以核销", "lift_suspension": true});
        let h = step(&app, &w.reg, id, "verify", review).await;
        assert_eq!(h["suspended"], false);
        assert_eq!((h["status"].as_str(), h["overdue"].as_bool()), (Some("closed"), Some(false)));
        let actions: Vec<&str> =
            h["timeline"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["report", "confirm", "assign", "plan", "suspend", "submit", "verify", "submit", "verify"]);
        assert_eq!(h["funds_spent"], 11800.0);
        assert!(todo_titles(&app, &w.reg).await.is_empty(), "closed hazards leave no open to-dos");

        let (_, list) = app.get(&w.reg.token, "/api/v1/major-hazards").await;
        let row = &list["items"][0];
        assert_eq!((row["assigned_to"].as_str(), row["closed"].as_bool()), (Some("甲化工有限公司"), Some(true)));
        assert_eq!(row["ledger_entries"], 9);
        let (_, report) = app.get(&w.reg.token, "/api/v1/audit/verify").await;
        assert_eq!(report["ok"], true, "{report}");
    })
    .await;
}

#[tokio::test]
async fn a_self_found_general_hazard_is_accepted_by_someone_other_than_the_rectifier() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let (status, h) =
            app.post(&w.officer.token, "/api/v1/hazards", &report(w.enterprise, "general", "self_check")).await;
        assert_eq!(status, StatusCode::CREATED, "{h}");
        let id = h["id"].as_i64().unwrap();
        assert_eq!((h["status"].as_str(), h["closure"].as_str()), (Some("rectifying"), Some("enterprise")));
        assert!(todo_titles(&app, &w.reg).await.is_empty(), "regulators get no to-do for self-found general hazards");

        let (status, err) = app.post(&w.officer.token, &format!("/api/v1/hazards/{id}/submit"), &json!({})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err["error"]["fields"]["attachment_ids"].is_array(), "{err}");
        assert!(err["error"]["fields"]["rectifier_name"].is_array(), "the 整改责任人 is named: {err}");
        let after = photo(&app, &w.officer).await;
        let h =
            step(&app, &w.officer, id, "submit", json!({"attachment_ids": [after], "rectifier_name": "王五"})).await;
        assert_eq!(h["rectifier_name"], "王五");
        let (status, err) = app
            .post(
                &w.officer.token,
                &format!("/api/v1/hazards/{id}/verify"),
                &json!({"passed": true, "acceptor_name": "赵六"}),
            )
            .await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("acceptor_is_rectifier")));
        let h = step(&app, &w.principal, id, "verify", json!({"passed": true, "acceptor_name": "赵六"})).await;
        assert_eq!((h["status"].as_str(), h["acceptor_name"].as_str()), (Some("closed"), Some("赵六")));

        // Regulators may sample and reopen, with a reason and a new deadline; they verify it next.
        let (status, err) = app.post(&w.reg.token, &format!("/api/v1/hazards/{id}/reopen"), &json!({})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a reason and a deadline are required");
        assert!(err["error"]["fields"]["note"].is_array() && err["error"]["fields"]["deadline"].is_array(), "{err}");
        let h = step(&app, &w.reg, id, "reopen", json!({"note": "抽查发现未整改到位", "deadline": "2026-12-31"})).await;
        assert_eq!((h["status"].as_str(), h["closure"].as_str()), (Some("rectifying"), Some("regulator")));
        assert_eq!(h["deadline"], "2026-12-31");
    })
    .await;
}

#[tokio::test]
async fn illegal_steps_and_stale_versions_answer_409() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let (_, h) =
            app.post(&w.principal.token, "/api/v1/hazards", &report(w.enterprise, "major", "self_check")).await;
        let id = h["id"].as_i64().unwrap();
        let (status, err) =
            app.post(&w.reg.token, &format!("/api/v1/hazards/{id}/verify"), &json!({"passed": true})).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("illegal_transition")));
        step(&app, &w.reg, id, "confirm", json!({"version": 1})).await;
        let (status, err) = app
            .post(&w.reg.token, &format!("/api/v1/hazards/{id}/void"), &json!({"version": 1, "note": "重复登记"}))
            .await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("version_conflict")));
        // A major hazard's void waits for an approver (see `ledger_rules`).
        let h = step(&app, &w.reg, id, "void", json!({"version": 2, "note": "重复登记"})).await;
        assert_eq!((h["status"].as_str(), h["void_reason"].as_str()), (Some("confirmed"), Some("重复登记")));
        let (status, _) = app.post(&w.reg.token, &format!("/api/v1/hazards/{id}/frobnicate"), &json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn a_tip_off_reporter_is_never_shown_to_the_enterprise() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let mut body = report(w.enterprise, "general", "tip_off");
        body["source_ref"] = json!("12350-20261121-0042");
        body["reporter"] = json!({"name": "李举报", "phone": "13800000000"});
        let (status, h) = app.post(&w.reg.token, "/api/v1/hazards", &body).await;
        assert_eq!(status, StatusCode::CREATED, "{h}");
        let id = h["id"].as_i64().unwrap();
        assert_eq!((h["status"].as_str(), h["reporter"]["name"].as_str()), (Some("reported"), Some("李举报")));
        step(&app, &w.reg, id, "confirm", json!({"outcome": "substantiated", "reward": "奖励 500 元"})).await;
        for path in [format!("/api/v1/hazards/{id}"), "/api/v1/hazards".to_owned(), "/api/v1/todos".to_owned()] {
            let (status, v) = app.get(&w.principal.token, &path).await;
            assert_eq!(status, StatusCode::OK);
            let text = v.to_string();
            for secret in ["李举报", "13800000000", "12350-20261121-0042", "500 元"] {
                assert!(!text.contains(secret), "{path} leaks {secret}: {text}");
            }
        }
        let (_, v) = app.get(&w.principal.token, &format!("/api/v1/hazards/{id}")).await;
        assert_eq!(v["timeline"][0]["actor_id"], Value::Null);
        assert_eq!(v["verification_outcome"], "substantiated");
    })
    .await;
}

#[tokio::test]
async fn every_problem_of_a_new_hazard_is_listed_at_once() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let body = json!({"enterprise_id": w.enterprise, "source": "inspection", "level": "general",
            "category": "unsafe_condition", "title": " ", "description": "",
            "found_at": "2027-01-01T00:00:00Z", "reporter": {"name": "x"}});
        let (status, err) = app.post(&w.principal.token, "/api/v1/hazards", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = err["error"]["fields"].as_object().unwrap();
        for f in ["title", "description", "found_at", "source", "reporter", "deadline"] {
            assert!(fields.contains_key(f), "missing {f}: {err}");
        }
        let mut body = report(w.enterprise, "general", "self_check");
        body["category"] = json!("no_such_category");
        let (status, err) = app.post(&w.principal.token, "/api/v1/hazards", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err["error"]["fields"]["category"].is_array());
    })
    .await;
}

#[tokio::test]
async fn scope_queries_and_provisional_subjects() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let other = app.user("other").role(Role::Regulator).region("420111").create().await;
        let mut late = report(w.enterprise, "general", "self_check");
        late["found_at"] = json!("2026-11-01T02:00:00Z");
        late["deadline"] = json!("2026-11-10");
        let (_, h) = app.post(&w.officer.token, "/api/v1/hazards", &late).await;
        let id = h["id"].as_i64().unwrap();
        let (status, _) = app.get(&other.token, &format!("/api/v1/hazards/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "another county's hazard is not found");

        // A lead about an operator not in the register.
        let body = json!({"subject": {"name": "无证烟花作坊", "address": "某村 3 组", "region_code": "420103"},
            "source": "grid_patrol", "level": "general", "category": "unsafe_condition",
            "title": "民房内非法生产烟花", "description": "现场有黑火药", "found_at": "2026-11-22T01:00:00Z"});
        let (status, s) = app.post(&w.reg.token, "/api/v1/hazards", &body).await;
        assert_eq!(status, StatusCode::CREATED, "{s}");
        assert_eq!((s["enterprise_id"].as_i64(), s["subject_id"].is_i64()), (None, true));

        // Overdue: past the deadline and open; the subject's lead has no deadline.
        let (_, list) = app.get(&w.reg.token, "/api/v1/hazards?overdue=true").await;
        assert_eq!(list["total"], 1, "{list}");
        assert_eq!((list["items"][0]["id"].as_i64(), list["items"][0]["overdue"].as_bool()), (Some(id), Some(true)));
        let (_, list) = app.get(&w.principal.token, "/api/v1/hazards").await;
        assert_eq!(list["total"], 1, "the enterprise sees only its own: {list}");
        let (_, counts) = app.get(&w.reg.token, "/api/v1/hazards/counts").await;
        let total: i64 = counts.as_array().unwrap().iter().map(|c| c["count"].as_i64().unwrap()).sum();
        assert_eq!(total, 2, "{counts}");
    })
    .await;
}

#[tokio::test]
async fn attachments_are_checked_and_served_only_to_those_who_may_see_the_hazard() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let (status, _) = app.upload(&w.principal.token, "/api/v1/attachments", "x.exe", b"MZ\x90\x00".to_vec()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let pic = photo(&app, &w.principal).await;
        let body = enterprise_body(&code("420103", 2), "乙公司", "industry_trade", "it_machinery", "420103");
        let other_enterprise = app.enterprise(&w.reg.token, body).await;
        let stranger = app.user("stranger").role(Role::Principal).enterprise(other_enterprise).create().await;
        let (status, _) = app.get(&stranger.token, &format!("/api/v1/attachments/{pic}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let mut body = report(w.enterprise, "general", "self_check");
        body["attachment_ids"] = json!([pic]);
        let (status, _) = app.post(&stranger.token, "/api/v1/hazards", &body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "not the stranger's enterprise");
        app.post(&w.principal.token, "/api/v1/hazards", &body).await;
        let res = app
            .client
            .get(app.url(&format!("/api/v1/attachments/{pic}")))
            .bearer_auth(&w.reg.token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], "image/jpeg");
        assert_eq!(res.bytes().await.unwrap().as_ref(), JPEG);
    })
    .await;
}

#[tokio::test]
async fn the_enterprise_reports_a_major_hazard_to_its_bureau_and_workers_congress() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let (_, h) = app.post(&w.principal.token, "/api/v1/hazards", &report(w.enterprise, "major", "self_check")).await;
        let id = h["id"].as_i64().unwrap();
        let body = json!({"current_state_and_causes": "报警器老化失效", "harm_and_difficulty": "泄漏可致中毒，整改难度一般",
            "remediation_plan": "更换报警器并恢复联锁", "congress_reported_on": "2026-11-21"});
        let url = app.url(&format!("/api/v1/hazards/{id}/report"));
        let (status, err) = app.send(app.client.put(&url).bearer_auth(&w.reg.token).json(&body)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "the enterprise reports, not the bureau: {err}");
        let (status, bad) = app.send(app.client.put(&url).bearer_auth(&w.officer.token).json(&json!({
            "current_state_and_causes": "", "harm_and_difficulty": "", "remediation_plan": "x",
            "congress_reported_on": "2027-01-01"}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad["error"]["fields"].as_object().unwrap().len(), 3, "{bad}");
        let (status, v) = app.send(app.client.put(&url).bearer_auth(&w.officer.token).json(&body)).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["report"]["congress_reported_on"], "2026-11-21");
        assert!(todo_titles(&app, &w.reg).await.iter().any(|t| t.starts_with("重大隐患报告")));

        // The printable notice sheet for the employees' notice board.
        let res = app.client.get(app.url(&format!("/hazards/{id}/notice"))).bearer_auth(&w.principal.token).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.unwrap();
        assert!(html.contains("重大事故隐患治理情况公示") && html.contains("报警器老化失效"), "{html}");

        // The 一单 as a workbook.
        let res = app.client.get(app.url("/api/v1/major-hazards/export?include_reported=true")).bearer_auth(&w.reg.token).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = res.bytes().await.unwrap().to_vec();
        let rows = crate::helpers::sheet_rows(bytes, "重大事故隐患清单");
        assert_eq!(rows[0][1], "隐患");
        assert_eq!((rows[1][1].as_str(), rows[1][3].as_str()), ("储罐区可燃气体报警器失效", "待认定"));
        let (status, _) = app.get(&w.principal.token, "/api/v1/major-hazards/export").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn the_demo_province_comes_with_hazards_to_look_at() {
    on_each_backend(|app| async move {
        let logins = anjian::demo::seed_if_empty(&app.state, 2).await.unwrap();
        assert!(logins.iter().any(|(u, _)| u == "jianghan_jg"));
        let (status, v) = app.login("jianghan_jg", anjian::demo::DEMO_PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let token = v["token"].as_str().unwrap().to_owned();
        let (_, list) = app.get(&token, "/api/v1/hazards").await;
        assert_eq!(list["total"], 3, "{list}");
        let (_, overdue) = app.get(&token, "/api/v1/hazards?overdue=true").await;
        assert_eq!(overdue["total"], 1, "the assigned major hazard is overdue: {overdue}");
        let (_, majors) = app.get(&token, "/api/v1/major-hazards").await;
        assert_eq!(majors["items"][0]["notice_no"], "江应急督〔2026〕1号");
        let (_, quarter) = app.get(&token, "/api/v1/hazard-statistics?period=2026Q3").await;
        assert_eq!(quarter["summary"]["late"], 1, "the demo third quarter, sent after 15 October: {quarter}");
        let (_, filings) = app.get(&token, "/api/v1/emergency-plans").await;
        let filing = &filings["items"][0];
        assert_eq!(
            (filing["status"].as_str(), filing["number"].as_str()),
            (Some("accepted"), Some("江汉区应急预案备案〔2026〕1号")),
            "{filings}"
        );
        let (_, filing) = app.get(&token, &format!("/api/v1/emergency-plans/{}", filing["id"])).await;
        assert_eq!(
            (filing["documents"].as_array().map(Vec::len), filing["drills"].as_array().map(Vec::len)),
            (Some(2), Some(1)),
            "{filing}"
        );
        let (_, report) = app.get(&token, "/api/v1/audit/verify").await;
        assert_eq!(report["ok"], true, "{report}");
    })
    .await;
}

async fn ledger_counts(app: &TestApp) -> Vec<(String, String, i64)> {
    use sea_orm::{ConnectionTrait, Statement};
    let db = app.state.db.conn();
    let sql = "SELECT status, level, COUNT(*) AS n FROM hazards GROUP BY status, level ORDER BY status, level";
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
    rows.iter()
        .map(|r| {
            let text = |c: &str| r.try_get::<String>("", c).unwrap();
            (text("status"), text("level"), r.try_get::<i64>("", "n").unwrap())
        })
        .collect()
}

async fn api_counts(app: &TestApp, u: &TestUser) -> Vec<(String, String, i64)> {
    let (status, v) = app.get(&u.token, "/api/v1/hazards/counts").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let mut rows: Vec<(String, String, i64)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["status"].as_str().unwrap().to_owned(),
                c["level"].as_str().unwrap().to_owned(),
                c["count"].as_i64().unwrap(),
            )
        })
        .collect();
    rows.sort();
    rows
}

/// The counts come from tallies kept by database triggers; after every kind of
/// write they must equal a plain `GROUP BY` over the ledger.
#[tokio::test]
async fn counts_from_the_tallies_always_equal_the_ledger() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        // A major hazard confirmed, a general one fixed on the spot, one voided, one dismissed tip-off.
        let (_, major) =
            app.post(&w.principal.token, "/api/v1/hazards", &report(w.enterprise, "major", "self_check")).await;
        step(&app, &w.reg, major["id"].as_i64().unwrap(), "confirm", json!({})).await;
        let mut spot = report(w.enterprise, "general", "self_check");
        spot["fixed_on_spot"] = json!(true);
        spot["after_attachment_ids"] = json!([photo(&app, &w.officer).await]);
        let (status, s) = app.post(&w.officer.token, "/api/v1/hazards", &spot).await;
        assert_eq!((status, s["status"].as_str()), (StatusCode::CREATED, Some("closed")), "{s}");
        let (_, g) =
            app.post(&w.officer.token, "/api/v1/hazards", &report(w.enterprise, "general", "self_check")).await;
        step(&app, &w.reg, g["id"].as_i64().unwrap(), "void", json!({"note": "重复登记"})).await;
        let (_, t) = app.post(&w.reg.token, "/api/v1/hazards", &report(w.enterprise, "general", "tip_off")).await;
        step(
            &app,
            &w.reg,
            t["id"].as_i64().unwrap(),
            "dismiss",
            json!({"note": "核查不属实", "outcome": "unsubstantiated"}),
        )
        .await;

        let expected = ledger_counts(&app).await;
        assert_eq!(expected.len(), 4, "{expected:?}");
        assert_eq!(api_counts(&app, &w.reg).await, expected);
        assert_eq!(api_counts(&app, &w.principal).await, expected, "the enterprise's own count agrees");
        let other = app.user("other").role(Role::Regulator).region("420111").create().await;
        assert!(api_counts(&app, &other).await.is_empty(), "another county counts nothing");

        // The ledger page shows the counts to the bureau, and whose each hazard is.
        let page = app
            .client
            .get(app.url("/hazards?source=self_check"))
            .header("cookie", format!("anjian_session={}", w.reg.token));
        let html = page.send().await.unwrap().text().await.unwrap();
        assert!(html.contains("id=\"hazard-counts\"") && html.contains("危险化学品"), "{html}");
        assert!(html.contains(">甲化工有限公司</td>") && html.contains("id=\"total\">3<"), "{html}");
    })
    .await;
}

/// An enterprise handed to another supervising bureau takes its open hazards
/// along (with their to-dos); closed ones stay with the bureau that closed them.
#[tokio::test]
async fn open_hazards_follow_their_enterprise_to_a_new_supervising_bureau() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let city = app.user("city").role(Role::Regulator).region("420100").create().await;
        let (_, open) =
            app.post(&w.principal.token, "/api/v1/hazards", &report(w.enterprise, "major", "self_check")).await;
        let open_id = open["id"].as_i64().unwrap();
        let mut spot = report(w.enterprise, "general", "self_check");
        spot["fixed_on_spot"] = json!(true);
        spot["after_attachment_ids"] = json!([photo(&app, &w.officer).await]);
        let (_, closed) = app.post(&w.officer.token, "/api/v1/hazards", &spot).await;
        assert_eq!(closed["status"], "closed");

        let (_, listed) = app.get(&w.reg.token, "/api/v1/hazards").await;
        assert_eq!(listed["total"], 2, "{listed}");
        let (_, bureaus) = app.get(&city.token, "/api/v1/bureaus").await;
        let city_bureau =
            bureaus.as_array().unwrap().iter().find(|b| b["code"] == "420100").unwrap()["id"].as_i64().unwrap();
        let (status, v) = app
            .patch(
                &city.token,
                &format!("/api/v1/enterprises/{}", w.enterprise),
                &json!({"supervising_bureau_id": city_bureau}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{v}");

        let (_, h) = app.get(&city.token, &format!("/api/v1/hazards/{open_id}")).await;
        assert_eq!(h["bureau_id"].as_i64(), Some(city_bureau), "{h}");
        let last = h["timeline"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["action"], "transfer", "{h}");
        let (status, _) = app.get(&w.reg.token, &format!("/api/v1/hazards/{open_id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "the county no longer supervises it");
        let (_, listed) = app.get(&w.reg.token, "/api/v1/hazards").await;
        assert_eq!(listed["total"], 1, "the county's cached total was dropped: {listed}");
        let (_, c) = app.get(&w.reg.token, &format!("/api/v1/hazards/{}", closed["id"])).await;
        assert_eq!(c["status"], "closed", "the closed hazard stays with the county: {c}");
        assert!(todo_titles(&app, &city).await.iter().any(|t| t.starts_with("待认定")), "the 待认定 to-do moved along");
        assert!(todo_titles(&app, &w.reg).await.is_empty());
        assert_eq!(api_counts(&app, &city).await, ledger_counts(&app).await);
        let (_, report) = app.get(&city.token, "/api/v1/audit/verify").await;
        assert_eq!(report["ok"], true, "{report}");
    })
    .await;
}
