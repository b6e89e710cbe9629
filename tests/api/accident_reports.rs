//! What follows an accident: changed figures regraded at every bound and refused
//! after the 补报 window, the report chain with 迟报 computed and 瞒报 flagged,
//! overdue reports and measures as to-dos, the investigation and its findings, scope.

use crate::helpers::{on_each_backend, world};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn accident(enterprise: i64, kind: &str, deaths: i32) -> Value {
    json!({"enterprise_id": enterprise, "occurred_at": "2026-11-20T01:30:00Z", "type": kind,
        "place": "二车间反应釜区", "summary": "检修时未置换，作业人员中毒", "deaths": deaths,
        "reported_at": "2026-11-20T02:10:00Z"})
}

async fn record(app: &crate::helpers::TestApp, token: &str, body: &Value) -> i64 {
    let (status, v) = app.post(token, "/api/v1/accidents", body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

async fn put(app: &crate::helpers::TestApp, token: &str, path: &str, body: &Value) -> (StatusCode, Value) {
    app.send(app.client.put(app.url(path)).bearer_auth(token).json(body)).await
}

fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

#[tokio::test]
async fn changed_figures_regrade_at_every_bound_until_the_window_closes() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let id = record(&app, &w.reg.token, &accident(w.enterprise, "poisoning", 0)).await;
        let path = format!("/api/v1/accidents/{id}/figures");
        let (gen_, rel, ser, esp) = ("general", "relatively_serious", "serious", "especially_serious");
        let cases = [
            ((2, 0, 0, 0_i64), gen_),
            ((3, 0, 0, 0), rel),
            ((9, 0, 0, 0), rel),
            ((10, 0, 0, 0), ser),
            ((29, 0, 0, 0), ser),
            ((30, 0, 0, 0), esp),
            ((2, 1, 0, 0), rel),
            ((0, 0, 9, 0), gen_),
            ((0, 0, 10, 0), rel),
            ((0, 0, 49, 0), rel),
            ((0, 0, 50, 0), ser),
            ((0, 0, 99, 0), ser),
            ((0, 0, 100, 0), esp),
            ((0, 0, 0, 9_999_999), gen_),
            ((0, 0, 0, 10_000_000), rel),
            ((0, 0, 0, 49_999_999), rel),
            ((0, 0, 0, 50_000_000), ser),
            ((0, 0, 0, 99_999_999), ser),
            ((0, 0, 0, 100_000_000), esp),
        ];
        for ((deaths, missing, injured, loss), grade) in cases {
            let body = json!({"deaths": deaths, "missing": missing, "serious_injuries": injured,
                "direct_loss_yuan": loss, "reason": "补报：伤亡人数变化"});
            let (status, v) = app.post(&w.reg.token, &path, &body).await;
            assert_eq!((status, v["grade"].as_str()), (StatusCode::OK, Some(grade)), "{body} → {v}");
        }
        let (_, history) = app.get(&w.reg.token, &path).await;
        assert_eq!(history.as_array().unwrap().len(), 19);
        assert_eq!(history[1]["before"]["grade_label"], "一般事故");
        assert_eq!(history[1]["after"]["grade_label"], "较大事故");
        // The same figures again change nothing; a missing reason is named.
        let same = json!({"deaths": 0, "serious_injuries": 0, "direct_loss_yuan": 100_000_000, "reason": ""});
        let (status, v) = app.post(&w.reg.token, &path, &same).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["error"]["fields"]["reason"].is_array() && v["error"]["fields"]["deaths"].is_array(), "{v}");
        // 30 days from the accident: the last second is in, the next is out.
        app.clock.set(at("2026-12-20T01:30:00Z"));
        let reg = token(&app, "reg").await;
        let later = json!({"deaths": 1, "reason": "重伤人员经抢救无效死亡"});
        assert_eq!(app.post(&reg, &path, &later).await.0, StatusCode::OK);
        app.clock.set(at("2026-12-20T01:30:01Z"));
        let (status, v) = app.post(&reg, &path, &json!({"deaths": 2, "reason": "又一人死亡"})).await;
        assert_eq!((status, v["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("supplement_window_closed")));
        assert!(v["error"]["message"].as_str().unwrap().contains("30日"), "{v}");
        // A fire has 7 days.
        app.clock.set(at("2026-11-22T02:00:00Z"));
        let fire = record(&app, &reg, &accident(w.enterprise, "fire", 1)).await;
        app.clock.set(at("2026-11-27T01:30:01Z"));
        let (status, v) = app.post(&reg, &format!("/api/v1/accidents/{fire}/figures"), &later).await;
        assert_eq!(status, StatusCode::CONFLICT, "{v}");
        assert!(v["error"]["message"].as_str().unwrap().contains("7日"), "{v}");
        // Another county's regulator does not see it; an inspector may not change it.
        let far = app.user("far").role(Role::Regulator).region("420102").create().await;
        assert_eq!(app.post(&far.token, &path, &later).await.0, StatusCode::NOT_FOUND);
        assert_eq!(app.get(&far.token, &path).await.0, StatusCode::NOT_FOUND);
        let (_, verify) = app.get(&token(&app, "reg").await, "/api/v1/audit/verify").await;
        assert_eq!(verify["ok"], true, "{verify}");
    })
    .await;
}

/// A fresh session of `username` (the clock moves past sessions).
async fn token(app: &crate::helpers::TestApp, username: &str) -> String {
    let (status, v) = app.login(username, crate::helpers::PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v["token"].as_str().unwrap().to_owned()
}

/// The open to-dos of `username` as (kind, link).
async fn kinds(app: &crate::helpers::TestApp, username: &str) -> Vec<(String, String)> {
    let (_, list) = app.get(&token(app, username).await, "/api/v1/todos").await;
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["kind"].as_str().unwrap().to_owned(), t["link"].as_str().unwrap().to_owned()))
        .collect()
}

#[tokio::test]
async fn late_reports_are_flagged_overdue_ones_are_to_dos_and_concealment_is_recorded() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        // 较大: the chain reaches the province. The enterprise reported in 40 minutes.
        let id = record(&app, &w.reg.token, &accident(w.enterprise, "poisoning", 3)).await;
        let (_, t) = app.get(&w.reg.token, &format!("/api/v1/accidents/{id}/reports")).await;
        let tos: Vec<&str> = t["steps"].as_array().unwrap().iter().map(|s| s["to_level"].as_str().unwrap()).collect();
        assert_eq!(tos, ["county", "city", "province"], "{t}");
        assert_eq!(
            (t["steps"][0]["late"].as_bool(), t["steps"][1]["due_at"].as_str()),
            (Some(false), Some("2026-11-20T04:10:00Z"))
        );
        assert_eq!(t["steps"][1]["overdue"], true, "two days later, not yet reported upward");
        // The jobs make the overdue step a to-do of the bureau.
        anjian::jobs::run_due(&app.state).await.unwrap();
        let link = format!("/accidents/{id}");
        assert!(kinds(&app, "reg").await.contains(&("accident_report_late".to_owned(), link.clone())));
        // County → city at 05:00: late (due 04:10); the accident is flagged 迟报, the to-do closes.
        let report = json!({"from_level": "county", "to_level": "city", "reported_at": "2026-11-20T05:00:00Z",
            "content": "电话报告市应急管理局：3人死亡"});
        let (status, v) = app.post(&w.reg.token, &format!("/api/v1/accidents/{id}/reports"), &report).await;
        assert_eq!((status, v["to_label"].as_str()), (StatusCode::CREATED, Some("设区的市级应急管理部门")), "{v}");
        let (_, a) = app.get(&w.reg.token, &format!("/api/v1/accidents/{id}")).await;
        assert_eq!(a["flags"], json!(["late"]), "{a}");
        let (_, t) = app.get(&w.reg.token, &format!("/api/v1/accidents/{id}/reports")).await;
        assert_eq!(
            (t["steps"][1]["late"].as_bool(), t["steps"][2]["due_at"].as_str()),
            (Some(true), Some("2026-11-20T07:00:00Z"))
        );
        let city = kinds(&app, "reg").await;
        assert_eq!(city.iter().filter(|(k, _)| k == "accident_report_late").count(), 1, "{city:?}");
        // A report downward, or before the accident, is refused with every problem.
        let bad =
            json!({"from_level": "city", "to_level": "county", "reported_at": "2026-11-19T00:00:00Z", "content": ""});
        let (status, v) = app.post(&w.reg.token, &format!("/api/v1/accidents/{id}/reports"), &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<&str> = v["error"]["fields"].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(fields, ["content", "reported_at", "to_level"]);
        // 瞒报 is a regulator's finding with its reason; 迟报 is never typed.
        let flags = format!("/api/v1/accidents/{id}/flags");
        let (status, v) = app.post(&w.reg.token, &flags, &json!({"kind": "late", "reason": "x"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let concealed = json!({"kind": "concealed", "reason": "企业首报死亡1人，实际死亡3人"});
        let (status, v) = app.post(&w.reg.token, &flags, &concealed).await;
        assert_eq!((status, v["kind_label"].as_str()), (StatusCode::CREATED, Some("瞒报")), "{v}");
        let (_, list) = app.get(&w.reg.token, "/api/v1/accidents").await;
        assert_eq!(list["items"][0]["flags"], json!(["late", "concealed"]));
        let (status, _) = app.post(&w.principal.token, &flags, &concealed).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "the enterprise does not flag itself");
        let (_, verify) = app.get(&w.reg.token, "/api/v1/audit/verify").await;
        assert_eq!(verify["ok"], true, "{verify}");
    })
    .await;
}

#[tokio::test]
async fn the_investigation_its_findings_and_measures_overdue_as_to_dos() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let id = record(&app, &w.reg.token, &accident(w.enterprise, "poisoning", 1)).await;
        let inv = format!("/api/v1/accidents/{id}/investigation");
        let (_, v) = app.get(&w.reg.token, &inv).await;
        assert_eq!((v["started"].as_bool(), v["report_due_on"].as_str()), (Some(false), Some("2027-01-19")), "{v}");
        let bad = json!({"organised_by": "", "leader": "李四", "members": [{"name": "", "unit": "区公安分局"}],
            "extended_days": 61, "report_submitted_on": "2026-11-21"});
        let (status, v) = put(&app, &w.reg.token, &inv, &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<&str> = v["error"]["fields"].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(fields, ["extended_days", "extension_reason", "members[0]", "organised_by", "report_summary"]);
        let team = json!({"organised_by": "江汉区人民政府", "leader": "李四（区应急管理局局长）",
            "members": [{"name": "王五", "unit": "区公安分局"}, {"name": "赵六", "unit": "区总工会"}],
            "extended_days": 30, "extension_reason": "需技术鉴定", "report_submitted_on": "2026-11-22",
            "report_summary": "作业前未进行气体检测，违章指挥"});
        let (status, v) = put(&app, &w.reg.token, &inv, &team).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!((v["report_due_on"].as_str(), v["report_late"].as_bool()), (Some("2027-02-18"), Some(false)));
        assert_eq!(v["members"][1]["unit"], "区总工会");
        let finding =
            json!({"party": "甲化工有限公司", "responsibility": "direct", "suggestion": "建议依法给予行政处罚"});
        let (status, v) = app.post(&w.reg.token, &format!("{inv}/findings"), &finding).await;
        assert_eq!((status, v["responsibility_label"].as_str()), (StatusCode::CREATED, Some("直接责任")), "{v}");
        assert_eq!(app.get(&w.principal.token, &inv).await.1["findings"][0]["party"], "甲化工有限公司");

        // A measure past its deadline is a to-do of the bureau until it is done.
        let measures = format!("/api/v1/accidents/{id}/measures");
        let m = json!({"description": "修订检修作业票制度，作业前气体检测", "responsible_unit": "甲化工有限公司",
            "deadline": "2026-11-30"});
        let (status, v) = app.post(&w.reg.token, &measures, &m).await;
        assert_eq!((status, v["status_label"].as_str()), (StatusCode::CREATED, Some("整改中")), "{v}");
        let mid = v["id"].as_i64().unwrap();
        app.clock.set(at("2026-12-01T02:00:00Z"));
        assert_eq!(anjian::jobs::run_due(&app.state).await.unwrap().accidents.measures, 1);
        let reg = token(&app, "reg").await;
        let link = format!("/accidents/{id}#measures");
        assert!(kinds(&app, "reg").await.contains(&("accident_measure_late".to_owned(), link.clone())));
        assert_eq!(app.get(&reg, &measures).await.1[0]["overdue"], true);
        let done = json!({"evidence": "制度已印发并培训", "verifier": "王五"});
        let (status, v) = app.post(&reg, &format!("{measures}/{mid}/done"), &done).await;
        assert_eq!((status, v["status"].as_str(), v["overdue"].as_bool()), (StatusCode::OK, Some("done"), Some(false)));
        assert!(!kinds(&app, "reg").await.contains(&("accident_measure_late".to_owned(), link)));
        let (status, v) = app.post(&reg, &format!("{measures}/{mid}/done"), &done).await;
        assert_eq!((status, v["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("measure_done")));
        // Another county: 404 on every part.
        let far = app.user("far").role(Role::Regulator).region("420102").create().await;
        for p in [&inv, &measures, &format!("/api/v1/accidents/{id}/reports")] {
            assert_eq!(app.get(&far.token, p).await.0, StatusCode::NOT_FOUND, "{p}");
        }
        assert_eq!(app.post(&far.token, &measures, &m).await.0, StatusCode::NOT_FOUND);
        let (_, verify) = app.get(&reg, "/api/v1/audit/verify").await;
        assert_eq!(verify["ok"], true, "{verify}");
    })
    .await;
}

#[tokio::test]
async fn the_regulator_follows_an_accident_up_on_its_page() {
    let app = crate::helpers::TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let w = world(&app).await;
    let id = record(&app, &w.reg.token, &accident(w.enterprise, "poisoning", 1)).await;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let cookie = format!("anjian_session={}", w.reg.token);
    let page_at = |path: String| {
        let (http, cookie, url) = (http.clone(), cookie.clone(), app.url(&path));
        async move { http.get(url).header("cookie", cookie).send().await.unwrap().text().await.unwrap() }
    };
    let post = |path: String, form: Vec<(&'static str, String)>| {
        let (http, cookie, url) = (http.clone(), cookie.clone(), app.url(&path));
        async move { http.post(url).header("cookie", cookie).form(&form).send().await.unwrap() }
    };
    let page = page_at(format!("/accidents/{id}")).await;
    for text in
        ["报告时限", "事故单位 → 县级应急管理部门", "逾期未报", "事故调查", "2027-01-19 前", "整改措施", "figures-form"]
    {
        assert!(page.contains(text), "{text}: {page}");
    }
    assert!(!page.contains(">general<") && !page.contains(">county<"), "no codes shown");
    let csrf = w.reg.csrf.clone();
    let bad = vec![("csrf_token", csrf.clone()), ("deaths", "三".to_owned()), ("reason", String::new())];
    let res = post(format!("/accidents/{id}/figures"), bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = res.text().await.unwrap();
    assert!(text.contains("须为整数") && text.contains(r#"value="三""#), "{text}");
    let good =
        vec![("csrf_token", csrf.clone()), ("deaths", "3".to_owned()), ("reason", "两名重伤人员死亡".to_owned())];
    let res = post(format!("/accidents/{id}/figures"), good).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = page_at(res.headers()["location"].to_str().unwrap().to_owned()).await;
    assert!(page.contains("事故等级现为较大事故") && page.contains("一般事故 → 较大事故"), "{page}");
    assert!(page.contains("设区的市级应急管理部门 → 省级应急管理部门"), "the chain grew with the grade");
    // A report typed late, a flag, the team, a finding, a measure and its completion.
    let report = vec![
        ("csrf_token", csrf.clone()),
        ("from_level", "county".to_owned()),
        ("to_level", "city".to_owned()),
        ("reported_at", "2026-11-20 13:30".to_owned()),
        ("content", "书面报告市应急管理局".to_owned()),
    ];
    assert_eq!(post(format!("/accidents/{id}/reports"), report).await.status(), StatusCode::SEE_OTHER);
    let flag =
        vec![("csrf_token", csrf.clone()), ("flag_kind", "concealed".to_owned()), ("flag_reason", String::new())];
    let res = post(format!("/accidents/{id}/flags"), flag).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("请填写认定理由"));
    let flag = vec![
        ("csrf_token", csrf.clone()),
        ("flag_kind", "concealed".to_owned()),
        ("flag_reason", "首报隐瞒死亡人数".to_owned()),
    ];
    assert_eq!(post(format!("/accidents/{id}/flags"), flag).await.status(), StatusCode::SEE_OTHER);
    let team = vec![
        ("csrf_token", csrf.clone()),
        ("organised_by", "江汉区人民政府".to_owned()),
        ("leader", "李四".to_owned()),
        ("members", "王五，区公安分局\n赵六".to_owned()),
    ];
    let res = post(format!("/accidents/{id}/investigation"), team.clone()).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("第 2 行请写“姓名，单位”"));
    let mut team = team;
    team[3].1 = "王五，区公安分局\n赵六，区总工会".to_owned();
    assert_eq!(post(format!("/accidents/{id}/investigation"), team).await.status(), StatusCode::SEE_OTHER);
    let finding = vec![
        ("csrf_token", csrf.clone()),
        ("party", "甲化工有限公司".to_owned()),
        ("responsibility", "main".to_owned()),
        ("suggestion", "建议依法给予行政处罚".to_owned()),
    ];
    assert_eq!(post(format!("/accidents/{id}/findings"), finding).await.status(), StatusCode::SEE_OTHER);
    let measure = vec![
        ("csrf_token", csrf.clone()),
        ("description", "作业前气体检测".to_owned()),
        ("responsible_unit", "甲化工有限公司".to_owned()),
        ("deadline", "2026-12-31".to_owned()),
    ];
    assert_eq!(post(format!("/accidents/{id}/measures"), measure).await.status(), StatusCode::SEE_OTHER);
    let (_, list) = app.get(&w.reg.token, &format!("/api/v1/accidents/{id}/measures")).await;
    let mid = list[0]["id"].to_string();
    let done = vec![
        ("csrf_token", csrf.clone()),
        ("measure_id", mid.clone()),
        ("evidence", String::new()),
        ("verifier", "王五".to_owned()),
    ];
    let res = post(format!("/accidents/{id}/measures/done"), done).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("请填写完成情况"));
    let done = vec![
        ("csrf_token", csrf.clone()),
        ("measure_id", mid),
        ("evidence", "已培训".to_owned()),
        ("verifier", "王五".to_owned()),
    ];
    let res = post(format!("/accidents/{id}/measures/done"), done).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = page_at(res.headers()["location"].to_str().unwrap().to_owned()).await;
    for text in
        ["已记录整改措施完成情况", "迟报", "瞒报", "首报隐瞒死亡人数", "赵六（区总工会）", "主要责任", "核查人 王五"]
    {
        assert!(page.contains(text), "{text}: {page}");
    }
    let list = page_at("/accidents".to_owned()).await;
    assert!(list.contains(&format!(r#"href="/accidents/{id}""#)) && list.contains("瞒报"), "{list}");
    // After the window the figures form is gone and a late post is refused in words.
    app.clock.set(at("2026-12-21T00:00:00Z"));
    let (status, v) = app.login("reg", crate::helpers::PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    let cookie = format!("anjian_session={}", v["token"].as_str().unwrap());
    let csrf = v["user"]["csrf_token"].as_str().unwrap().to_owned();
    let form = [("csrf_token", csrf), ("deaths", "4".to_owned()), ("reason", "又一人死亡".to_owned())];
    let res = http
        .post(app.url(&format!("/accidents/{id}/figures")))
        .header("cookie", &cookie)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let text = res.text().await.unwrap();
    assert!(text.contains("已超过补报期限") && !text.contains("figures-form"), "{text}");
}
