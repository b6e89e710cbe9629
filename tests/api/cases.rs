//! Penalty cases: a general-procedure case from 立案 to 结案 with every document
//! numbered, the separation of duties for each pair of duties, the statutory
//! maximum and the discretion steps, the simple procedure's limits, the 90-day
//! clock on a fixed clock, and 加处罚款 that stops at the fine.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend, start_time};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

struct Office {
    reg: TestUser,
    enterprise: i64,
    h1: TestUser,
    h2: TestUser,
    reviewer: TestUser,
    approver: TestUser,
    /// A regulator of the bureau, to hold hearings.
    officer: TestUser,
}

async fn office(app: &TestApp) -> Office {
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let body = enterprise_body(&code("420103", 1), "甲化工有限公司", "hazardous_chemicals", "hc_production", "420103");
    let enterprise = app.enterprise(&reg.token, body).await;
    Office {
        enterprise,
        h1: app.user("cb1").role(Role::Inspector).region("420103").create().await,
        h2: app.user("cb2").role(Role::Inspector).region("420103").create().await,
        reviewer: app.user("fashen").role(Role::LegalReviewer).region("420103").create().await,
        approver: app.user("fuze").role(Role::Approver).region("420103").create().await,
        officer: app.user("tingzheng").role(Role::Regulator).region("420103").create().await,
        reg,
    }
}

/// A general case against the enterprise (party 0) and its principal 张三 (party 1).
fn general(o: &Office, violations: &Value) -> Value {
    json!({"parties": [{"kind": "unit", "enterprise_id": o.enterprise},
            {"kind": "person", "name": "张三", "id_number": "420103198001011234", "role": "principal"}],
        "facts": "2026年11月检查发现储罐区可燃气体报警器未投用，隐患未消除。", "procedure": "general",
        "co_handler_id": o.h2.id, "violations": violations})
}

async fn open(app: &TestApp, by: &TestUser, body: &Value) -> Value {
    let (status, v) = app.post(&by.token, "/api/v1/cases", body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v
}

async fn step(app: &TestApp, by: &TestUser, case: &Value, name: &str, body: Value) -> Value {
    let (status, v) = app.post(&by.token, &format!("/api/v1/cases/{}/{name}", case["id"]), &body).await;
    assert_eq!(status, StatusCode::OK, "{name}: {v}");
    v
}

async fn refused(app: &TestApp, by: &TestUser, case: &Value, name: &str, body: Value) -> (StatusCode, Value) {
    let (status, v) = app.post(&by.token, &format!("/api/v1/cases/{}/{name}", case["id"]), &body).await;
    assert_ne!(status, StatusCode::OK, "{name} should be refused: {v}");
    (status, v)
}

fn vid(case: &Value, i: usize) -> i64 {
    case["violations"][i]["id"].as_i64().unwrap_or_else(|| panic!("violation {i}: {case}"))
}

fn kinds(case: &Value) -> Vec<String> {
    case["documents"].as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_general_case_runs_from_filing_to_closing_with_every_document_numbered() {
    on_each_backend(|app| async move {
        let o = office(&app).await;
        let body =
            general(&o, &json!([{"catalogue_code": "wsl-102", "party": 0}, {"catalogue_code": "wsl-94", "party": 1}]));
        let c = open(&app, &o.h1, &body).await;
        assert_eq!((c["status"].as_str(), c["procedure"].as_str()), (Some("proposed"), Some("general")));
        assert_eq!(c["parties"][1]["id_number_masked"], "**************1234");
        assert_eq!(c["violations"][0]["citation"], "《安全生产法》第一百零二条");
        assert_eq!(c["violations"][0]["statutory_text"], "5万元以下");
        assert!(c["allowed_actions"].as_array().unwrap().is_empty(), "the handler cannot file: {c}");

        let c = step(&app, &o.approver, &c, "file", json!({})).await;
        assert_eq!(c["status"], "filed");
        let number = c["number"].as_str().unwrap();
        assert!(number.starts_with("（江汉）应急立案〔2026〕") && number.ends_with("号"), "{number}");
        assert_eq!(c["clock"]["days_left"], 90, "{c}");
        assert!(c["clock"]["warning"] == "none");

        let (status, file) = app.upload(&o.h1.token, "/api/v1/attachments", "询问笔录.pdf", b"%PDF-1.4\n".to_vec()).await;
        assert_eq!(status, StatusCode::CREATED, "{file}");
        let evidence = json!({"record": "inquiry_record", "note": "询问张三，承认报警器停用两个月", "attachment_ids": [file["id"]]});
        let with_file = step(&app, &o.h1, &c, "investigate", evidence).await;
        assert_eq!(with_file["steps"][1]["attachments"][0]["file_name"], "询问笔录.pdf", "{with_file}");
        let download = app.client.get(app.url(&format!("/api/v1/attachments/{}", file["id"]))).bearer_auth(&o.reg.token);
        assert_eq!(download.send().await.unwrap().status(), StatusCode::OK, "the bureau's users read the case's files");
        let fines = json!([{"violation_id": vid(&c, 0), "step": "heavier", "fine_yuan": 30000},
            {"violation_id": vid(&c, 1), "step": "slight", "fine_yuan": 20000}]);
        let c =
            step(&app, &o.h2, &c, "report", json!({"decision": "penalty", "fines": fines, "note": "建议处罚"})).await;
        assert_eq!((c["status"].as_str(), c["hearing_right"].as_bool()), (Some("reported"), Some(true)), "{c}");
        assert_eq!(c["money"]["fine_yuan"], 50000);

        let c = step(&app, &o.h1, &c, "notify", json!({})).await;
        assert!(kinds(&c).contains(&"prior_notice".to_owned()) && kinds(&c).contains(&"hearing_notice".to_owned()));
        let (status, v) = refused(&app, &o.reviewer, &c, "review", json!({"opinion": "approve", "note": "同意"})).await;
        assert_eq!((status, v["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("rights_period")), "{v}");

        let c = step(
            &app,
            &o.h1,
            &c,
            "hearing_request",
            json!({"hearing_officer_id": o.officer.id, "note": "张三申请听证"}),
        )
        .await;
        assert_eq!(c["status"], "hearing");
        let c = step(&app, &o.officer, &c, "hearing", json!({"note": "听证会于本局会议室举行，当事人陈述意见"})).await;
        let c = step(
            &app,
            &o.reviewer,
            &c,
            "review",
            json!({"opinion": "approve", "note": "事实清楚，证据确凿，程序合法"}),
        )
        .await;
        assert_eq!(c["status"], "reviewed");
        let c = step(&app, &o.approver, &c, "decide", json!({})).await;
        assert_eq!((c["status"].as_str(), c["decision"].as_str()), (Some("decided"), Some("penalty")));
        let c = step(&app, &o.h2, &c, "serve", json!({"method": "直接送达"})).await;
        assert_eq!(c["money"]["owed_yuan"], 50000);
        assert!(c["money"]["payment_due"].is_string());
        let (status, v) = refused(&app, &o.approver, &c, "close", json!({})).await;
        assert_eq!((status, v["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("money_owed")), "{v}");
        let c = step(&app, &o.h1, &c, "pay", json!({"amount_yuan": 50000})).await;
        assert_eq!(c["status"], "paid");
        let c = step(&app, &o.approver, &c, "close", json!({"note": "罚款已缴清"})).await;
        assert_eq!(c["status"], "closed");
        assert_eq!(
            kinds(&c),
            [
                "case_filing",
                "inquiry_record",
                "case_report",
                "prior_notice",
                "hearing_notice",
                "hearing_record",
                "legal_review",
                "penalty_decision",
                "service_receipt_case",
                "closing_report"
            ]
        );
        assert!(
            c["documents"].as_array().unwrap().iter().all(|d| d["number"].as_str().unwrap().contains("〔2026〕1号"))
        );
        assert_eq!(c["steps"].as_array().unwrap().len(), 11, "{c}");
        assert_eq!(c["duties"].as_array().unwrap().len(), 5, "{c}");

        let (_, list) = app.get(&o.reg.token, "/api/v1/cases?queue=open").await;
        assert_eq!(list["total"], 0, "{list}");
        let (_, list) = app.get(&o.h1.token, "/api/v1/cases?queue=mine").await;
        assert_eq!(list["items"][0]["parties"], "甲化工有限公司等 2 个当事人", "{list}");
        let report = anjian::audit::verify::verify(app.state.db.conn()).await.unwrap();
        assert!(report.ok, "{:?}", report.problems);
    })
    .await;
}

/// A user of the bureau holding several roles.
async fn many(app: &TestApp, name: &str, roles: &[Role]) -> TestUser {
    let mut b = app.user(name).region("420103");
    for r in roles {
        b = b.role(*r);
    }
    b.create().await
}

fn conflict(v: &(StatusCode, Value)) {
    assert_eq!((v.0, v.1["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("separation_of_duties")), "{}", v.1);
}

#[tokio::test]
async fn the_handler_reviewer_hearing_officer_and_approver_are_different_people() {
    on_each_backend(|app| async move {
        let o = office(&app).await;
        let xu = many(&app, "xxx", &[Role::Inspector, Role::Approver, Role::LegalReviewer]).await;
        let yu = many(&app, "yyy", &[Role::LegalReviewer, Role::Approver]).await;
        let hu = many(&app, "hhh", &[Role::Regulator, Role::LegalReviewer, Role::Approver]).await;

        // Case 1, handled by x: x may neither file it nor review it.
        let c = open(&app, &xu, &general(&o, &json!([{"catalogue_code": "wsl-102"}]))).await;
        conflict(&refused(&app, &xu, &c, "file", json!({})).await);
        let c = step(&app, &o.approver, &c, "file", json!({})).await;
        let fines = json!([{"violation_id": vid(&c, 0), "step": "slight", "fine_yuan": 1000}]);
        step(&app, &xu, &c, "report", json!({"decision": "penalty", "fines": fines})).await;
        step(&app, &xu, &c, "notify", json!({})).await;
        step(&app, &xu, &c, "statement", json!({"note": "当事人放弃陈述申辩", "waive": true})).await;
        conflict(&refused(&app, &xu, &c, "review", json!({"opinion": "approve", "note": "同意"})).await);
        // y reviews, and then may not decide; the approver who filed decides.
        step(&app, &yu, &c, "review", json!({"opinion": "approve", "note": "同意"})).await;
        conflict(&refused(&app, &yu, &c, "decide", json!({})).await);
        step(&app, &o.approver, &c, "decide", json!({})).await;

        // Case 2: y files it, so y may not review it.
        let c = open(&app, &o.h1, &general(&o, &json!([{"catalogue_code": "wsl-102"}]))).await;
        step(&app, &yu, &c, "file", json!({})).await;
        let fines = json!([{"violation_id": vid(&c, 0), "step": "slight", "fine_yuan": 1000}]);
        step(&app, &o.h1, &c, "report", json!({"decision": "penalty", "fines": fines})).await;
        step(&app, &o.h1, &c, "notify", json!({})).await;
        step(&app, &o.h1, &c, "statement", json!({"note": "放弃", "waive": true})).await;
        conflict(&refused(&app, &yu, &c, "review", json!({"opinion": "approve", "note": "同意"})).await);

        // Case 3 has a hearing: neither a handler nor the approver who filed may hold it;
        // h holds it and may then neither review nor decide.
        let c = open(&app, &o.h1, &general(&o, &json!([{"catalogue_code": "wsl-94", "party": 1}]))).await;
        let c = step(&app, &o.approver, &c, "file", json!({})).await;
        let fines = json!([{"violation_id": vid(&c, 0), "step": "slight", "fine_yuan": 20000}]);
        step(&app, &o.h1, &c, "report", json!({"decision": "penalty", "fines": fines})).await;
        step(&app, &o.h1, &c, "notify", json!({})).await;
        conflict(&refused(&app, &o.h1, &c, "hearing_request", json!({"hearing_officer_id": o.h2.id})).await);
        conflict(&refused(&app, &o.h1, &c, "hearing_request", json!({"hearing_officer_id": o.approver.id})).await);
        step(&app, &o.h1, &c, "hearing_request", json!({"hearing_officer_id": hu.id})).await;
        step(&app, &hu, &c, "hearing", json!({"note": "听证笔录"})).await;
        conflict(&refused(&app, &hu, &c, "review", json!({"opinion": "approve", "note": "同意"})).await);
        step(&app, &o.reviewer, &c, "review", json!({"opinion": "approve", "note": "同意"})).await;
        conflict(&refused(&app, &hu, &c, "decide", json!({})).await);
        let c = step(&app, &o.approver, &c, "decide", json!({})).await;
        assert_eq!(c["status"], "decided");
    })
    .await;
}

#[tokio::test]
async fn fines_keep_to_the_law_and_discretion_outside_a_step_needs_a_reason() {
    on_each_backend(|app| async move {
        let o = office(&app).await;
        let violations = json!([{"catalogue_code": "wsl-102", "act": 1}, {"catalogue_code": "wsl-99-4", "act": 1},
            {"catalogue_code": "wsl-94", "party": 1}]);
        let c = open(&app, &o.h1, &general(&o, &violations)).await;
        let c = step(&app, &o.approver, &c, "file", json!({})).await;
        let report = |a: i64, b: i64, p: Value| {
            json!({"decision": "penalty", "fines": [{"violation_id": vid(&c, 0), "step": "heavier", "fine_yuan": a,
                "reason": if a == 10000 { "" } else { "x" }},
            {"violation_id": vid(&c, 1), "step": "slight", "fine_yuan": b}, p]})
        };
        let principal = |fine: i64, mitigation: bool| {
            json!({"violation_id": vid(&c, 2), "step": "slight", "fine_yuan": fine, "mitigation": mitigation,
                "reason": if mitigation { "主动消除危害后果" } else { "" }})
        };
        let (status, v) = refused(&app, &o.h1, &c, "report", report(60000, 0, principal(20000, false))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            v["error"]["fields"]["fines[0].fine_yuan"][0].as_str().unwrap().contains("超过法定最高罚款数额"),
            "{v}"
        );
        let (_, v) = refused(&app, &o.h1, &c, "report", report(10000, 0, principal(20000, false))).await;
        assert!(v["error"]["fields"]["fines[0].reason"][0].as_str().unwrap().contains("请说明理由"), "{v}");
        let (_, v) = refused(&app, &o.h1, &c, "report", report(30000, 5000, principal(20000, false))).await;
        assert!(v["error"]["fields"]["fines"][0].as_str().unwrap().contains("两次以上罚款"), "{v}");
        let (_, v) = refused(&app, &o.h1, &c, "report", report(30000, 0, principal(10000, false))).await;
        assert!(v["error"]["fields"]["fines[2].fine_yuan"][0].as_str().unwrap().contains("减轻"), "{v}");

        let mut ok = report(30000, 0, principal(10000, true));
        ok["fines"][0]["fine_yuan"] = json!(20000);
        ok["fines"][0]["reason"] = json!("首次发现，已部分整改");
        let c = step(&app, &o.h1, &c, "report", ok).await;
        let v = &c["violations"];
        assert_eq!((v[0]["fine_yuan"].as_i64(), v[0]["outside_step"].as_bool()), (Some(20000), Some(true)), "{c}");
        assert_eq!(v[0]["step_label"], "较重");
        assert_eq!((v[2]["fine_yuan"].as_i64(), v[2]["mitigation"].as_bool()), (Some(10000), Some(true)));
        assert_eq!(c["money"]["fine_yuan"], 30000);
        assert_eq!(c["hearing_right"], true, "a person's 10,000 yuan gives a hearing");
    })
    .await;
}

fn simple(o: &Office, person_fine: i64, unit_fine: i64) -> Value {
    json!({"parties": [{"kind": "unit", "enterprise_id": o.enterprise}, {"kind": "person", "name": "李四"}],
        "facts": "安全警示标志缺失", "procedure": "simple", "co_handler_id": o.h2.id,
        "violations": [{"catalogue_code": "wsl-99-1", "party": 0, "fine_yuan": unit_fine},
            {"catalogue_code": "wsl-105-1", "party": 1, "fine_yuan": person_fine}]})
}

#[tokio::test]
async fn the_simple_procedure_keeps_to_its_limits_and_late_fees_stop_at_the_fine() {
    on_each_backend(|app| async move {
        let o = office(&app).await;
        for (person, unit) in [(201, 3000), (200, 3001)] {
            let (status, v) = app.post(&o.h1.token, "/api/v1/cases", &simple(&o, person, unit)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
            assert!(v["error"]["fields"]["procedure"][0].as_str().unwrap().contains("请按一般程序办理"), "{v}");
        }
        let c = open(&app, &o.h1, &simple(&o, 200, 800)).await;
        assert_eq!((c["status"].as_str(), c["procedure"].as_str()), (Some("decided"), Some("simple")));
        assert_eq!(kinds(&c), ["simple_decision"]);
        assert!(c["number"].as_str().unwrap().contains("〔2026〕1号"), "{c}");
        let c = step(&app, &o.h1, &c, "serve", json!({"method": "当场交付"})).await;
        assert_eq!(c["money"]["owed_yuan"], 1000);

        // 3 % a day from the day after the due date (served + 15 days), at most the fine.
        app.clock.set(start_time() + chrono::Duration::days(16));
        let h1 = app.user("cb1b").role(Role::Inspector).region("420103").create().await;
        let (_, v) = app.get(&h1.token, &format!("/api/v1/cases/{}", c["id"])).await;
        assert_eq!(
            (v["money"]["late_fee_yuan"].as_i64(), v["money"]["owed_yuan"].as_i64()),
            (Some(30), Some(1030)),
            "{v}"
        );
        app.clock.set(start_time() + chrono::Duration::days(90));
        let reader = app.user("reader").role(Role::Regulator).region("420103").create().await;
        let (_, v) = app.get(&reader.token, &format!("/api/v1/cases/{}", c["id"])).await;
        assert_eq!(
            (v["money"]["late_fee_yuan"].as_i64(), v["money"]["owed_yuan"].as_i64()),
            (Some(1000), Some(2000)),
            "{v}"
        );
        // Not the handler: the payment is recorded by the case's handlers.
        let (status, _) =
            app.post(&reader.token, &format!("/api/v1/cases/{}/pay", c["id"]), &json!({"amount_yuan": 2000})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn the_ninety_day_clock_warns_at_60_and_80_days() {
    on_each_backend(|app| async move {
        let o = office(&app).await;
        let c = open(&app, &o.h1, &general(&o, &json!([{"catalogue_code": "wsl-102"}]))).await;
        let c = step(&app, &o.approver, &c, "file", json!({})).await;
        let path = format!("/api/v1/cases/{}", c["id"]);
        for (days, warning, left) in [(59, "none", 31), (60, "60", 30), (80, "80", 10), (91, "over", -1)] {
            app.clock.set(start_time() + chrono::Duration::days(days));
            let u = app.user(&format!("r{days}")).role(Role::Regulator).region("420103").create().await;
            let (_, v) = app.get(&u.token, &path).await;
            assert_eq!(
                (v["clock"]["warning"].as_str(), v["clock"]["days_left"].as_i64()),
                (Some(warning), Some(left)),
                "{v}"
            );
            let (_, list) = app.get(&u.token, "/api/v1/cases").await;
            assert_eq!(list["items"][0]["clock"]["warning"], warning);
        }
        let a = app.user("fz2").role(Role::Approver).region("420103").create().await;
        let c = step(&app, &a, &c, "extend", json!({"days": 30, "note": "案情复杂，需补充鉴定"})).await;
        assert_eq!((c["clock"]["warning"].as_str(), c["clock"]["days_left"].as_i64()), (Some("80"), Some(29)), "{c}");
        assert!(kinds(&c).contains(&"case_extension".to_owned()));
    })
    .await;
}
