//! The accident register: the legal grade from the figures, late reports, every
//! problem at once, scope.

use crate::helpers::{code, enterprise_body, on_each_backend, world};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn accident(enterprise: i64, deaths: i32, injured: i32, loss: i64) -> Value {
    json!({"enterprise_id": enterprise, "occurred_at": "2026-11-20T01:30:00Z", "type": "poisoning",
        "place": "二车间反应釜区", "summary": "检修时未置换，两名作业人员中毒", "deaths": deaths, "missing": 0,
        "serious_injuries": injured, "direct_loss_yuan": loss, "reported_at": "2026-11-20T02:10:00Z"})
}

#[tokio::test]
async fn an_accident_is_graded_by_law_from_its_figures() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let cases = [
            ((2, 9, 9_999_999), "general", "一般事故"),
            ((3, 0, 0), "relatively_serious", "较大事故"),
            ((0, 50, 0), "serious", "重大事故"),
            ((0, 0, 100_000_000), "especially_serious", "特别重大事故"),
        ];
        for ((deaths, injured, loss), grade, label) in cases {
            let (status, v) =
                app.post(&w.reg.token, "/api/v1/accidents", &accident(w.enterprise, deaths, injured, loss)).await;
            assert_eq!(status, StatusCode::CREATED, "{v}");
            assert_eq!((v["grade"].as_str(), v["grade_label"].as_str()), (Some(grade), Some(label)), "{v}");
            assert_eq!((v["type_label"].as_str(), v["late_report"].as_bool()), (Some("中毒和窒息"), Some(false)));
            assert_eq!(v["supplement_until"], "2026-12-20T01:30:00Z");
        }
        // Missing persons count with the dead; a report after more than an hour is late; a fire has 7 days.
        let mut body = accident(w.enterprise, 2, 0, 0);
        body["missing"] = json!(1);
        body["type"] = json!("fire");
        body["reported_at"] = json!("2026-11-20T02:31:00Z");
        let (_, v) = app.post(&w.reg.token, "/api/v1/accidents", &body).await;
        assert_eq!((v["grade"].as_str(), v["late_report"].as_bool()), (Some("relatively_serious"), Some(true)));
        assert_eq!(v["supplement_until"], "2026-11-27T01:30:00Z");
        // An operator not in the register belongs to the recording bureau.
        let mut outside = accident(w.enterprise, 1, 0, 0);
        outside["enterprise_id"] = Value::Null;
        outside["operator_name"] = json!("无证小作坊（张某）");
        outside["operator_credit_code"] = json!("91350100M000100Y4X");
        let (status, v) = app.post(&w.reg.token, "/api/v1/accidents", &outside).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a wrong check digit: {v}");
        assert!(v["error"]["fields"]["operator_credit_code"].is_array(), "{v}");
        outside["operator_credit_code"] = json!("91350100M000100Y43");
        let (status, v) = app.post(&w.reg.token, "/api/v1/accidents", &outside).await;
        assert_eq!((status, v["enterprise_id"].is_null()), (StatusCode::CREATED, true), "{v}");
        assert_eq!(v["operator_credit_code"], "91350100M000100Y43");

        let (_, list) = app.get(&w.reg.token, "/api/v1/accidents").await;
        assert_eq!(list["total"], 6);
        let (_, own) = app.get(&w.principal.token, "/api/v1/accidents").await;
        assert_eq!(own["total"], 5, "the enterprise sees its own accidents only: {own}");
        let id = list["items"][0]["id"].as_i64().unwrap();
        assert_eq!(app.get(&w.reg.token, &format!("/api/v1/accidents/{id}")).await.0, StatusCode::OK);
        let (_, verify) = app.get(&w.reg.token, "/api/v1/audit/verify").await;
        assert_eq!(verify["ok"], true, "{verify}");
    })
    .await;
}

#[tokio::test]
async fn a_bad_accident_lists_every_problem_and_others_cannot_record_or_see() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let bad = json!({"occurred_at": "2099-01-01T00:00:00Z", "type": "fire", "place": "", "summary": "",
            "deaths": -1, "serious_injuries": 10_001, "direct_loss_yuan": -5, "reported_at": "2098-01-01T00:00:00Z"});
        let (status, v) = app.post(&w.reg.token, "/api/v1/accidents", &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let fields: Vec<&str> = v["error"]["fields"].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            [
                "deaths",
                "direct_loss_yuan",
                "enterprise_id",
                "occurred_at",
                "place",
                "reported_at",
                "serious_injuries",
                "summary"
            ]
        );
        let (status, v) = app
            .send(
                app.client.post(app.url("/api/v1/accidents")).bearer_auth(&w.reg.token).json(
                    &json!({"enterprise_id": w.enterprise, "occurred_at": "2026-11-20T01:30:00Z", "type": "meteor",
                "place": "p", "summary": "s", "deaths": 0}),
                ),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an unknown type: {v}");
        // Another county's regulator: the enterprise is not in its territory, and its list is empty.
        let far = app.user("far").role(Role::Regulator).region("420102").create().await;
        let (status, v) = app.post(&far.token, "/api/v1/accidents", &accident(w.enterprise, 1, 0, 0)).await;
        assert_eq!(
            (status, v["error"]["fields"]["enterprise_id"].is_array()),
            (StatusCode::UNPROCESSABLE_ENTITY, true)
        );
        let (_, mine) = app.post(&w.reg.token, "/api/v1/accidents", &accident(w.enterprise, 1, 0, 0)).await;
        assert_eq!(app.get(&far.token, &format!("/api/v1/accidents/{}", mine["id"])).await.0, StatusCode::NOT_FOUND);
        assert_eq!(app.get(&far.token, "/api/v1/accidents").await.1["total"], 0);
        // An inspector reads but does not record; another enterprise sees nothing of it.
        let zf = app.user("zf01").role(Role::Inspector).region("420103").create().await;
        assert_eq!(
            app.post(&zf.token, "/api/v1/accidents", &accident(w.enterprise, 1, 0, 0)).await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(app.get(&zf.token, "/api/v1/accidents").await.1["total"], 1);
        let other = app
            .enterprise(&w.reg.token, enterprise_body(&code("420103", 2), "乙公司", "fireworks", "fw_retail", "420103"))
            .await;
        let boss = app.user("qt_fzr").role(Role::Principal).enterprise(other).create().await;
        assert_eq!(app.get(&boss.token, &format!("/api/v1/accidents/{}", mine["id"])).await.0, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn the_regulator_records_an_accident_in_the_page_in_beijing_time() {
    let app = crate::helpers::TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let w = world(&app).await;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let cookie = format!("anjian_session={}", w.reg.token);
    let page = http.get(app.url("/accidents")).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("暂无事故记录") && page.contains("中毒和窒息") && page.contains("accident-form"), "{page}");
    let csrf = w.reg.csrf.as_str();
    let bad = [
        ("csrf_token", csrf),
        ("enterprise_q", "甲化工"),
        ("occurred_at", "昨天"),
        ("accident_type", "poisoning"),
        ("place", "二车间"),
        ("summary", ""),
        ("deaths", "两"),
    ];
    let res = http.post(app.url("/accidents")).header("cookie", &cookie).form(&bad).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("请按“年-月-日 时:分”填写发生时间") && page.contains("须为整数"), "{page}");
    assert!(page.contains(r#"value="甲化工""#) && page.contains(r#"value="二车间""#), "what was typed stays");
    let good = [
        ("csrf_token", csrf),
        ("enterprise_q", "甲化工"),
        ("occurred_at", "2026-11-20 09:30"),
        ("accident_type", "poisoning"),
        ("place", "二车间反应釜区"),
        ("summary", "检修时未置换"),
        ("deaths", "3"),
        ("reported_at", "2026-11-20 11:00"),
    ];
    let res = http.post(app.url("/accidents")).header("cookie", &cookie).form(&good).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    let page = http.get(app.url(&to)).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("已登记事故，等级：较大事故") && page.contains("甲化工有限公司"), "{page}");
    assert!(page.contains("2026-11-20 09:30") && page.contains("迟报"), "Beijing time in and out: {page}");
    let (_, list) = app.get(&w.reg.token, "/api/v1/accidents").await;
    assert_eq!(list["items"][0]["occurred_at"], "2026-11-20T01:30:00Z");
}
