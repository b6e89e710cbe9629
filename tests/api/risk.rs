//! Risk points through the API: graded on the way in, every problem at once, direct red
//! from data, scope and roles, the change log.

use crate::helpers::{code, enterprise_body, on_each_backend, world};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn lec(name: &str, l: f64, e: f64, c: f64) -> Value {
    json!({"name": name, "location": "罐区", "hazard_factors": "易燃液体泄漏", "method": "lec", "l": l, "e": e, "c": c,
        "control_measures": "可燃气体报警、巡检", "emergency_measures": "切断、疏散", "owning_level": "workshop",
        "responsible_person": "王工"})
}

#[tokio::test]
async fn an_enterprise_records_its_points_and_gets_them_graded_red_first() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let path = format!("/api/v1/enterprises/{}/risk-points", w.enterprise);
        // 6 × 6 × 15 = 540: red; 3 × 6 × 7 = 126: yellow; 10 × 1 × 7 = 70: yellow at the bound.
        let (status, red) = app.post(&w.officer.token, &path, &lec("储罐区", 6.0, 6.0, 15.0)).await;
        assert_eq!(status, StatusCode::CREATED, "{red}");
        assert_eq!((red["score"].as_f64(), red["level"].as_str()), (Some(540.0), Some("red")));
        assert_eq!(red["level_label"], "重大风险（红）");
        let (_, yellow) = app.post(&w.principal.token, &path, &lec("装卸站", 3.0, 6.0, 7.0)).await;
        assert_eq!((yellow["score"].as_f64(), yellow["level"].as_str()), (Some(126.0), Some("yellow")));
        let (_, bound) = app.post(&w.reg.token, &path, &lec("配电室", 10.0, 1.0, 7.0)).await;
        assert_eq!((bound["score"].as_f64(), bound["level"].as_str()), (Some(70.0), Some("yellow")));
        let ls = json!({"name": "叉车作业", "location": "仓库", "hazard_factors": "车辆伤害", "method": "ls", "l": 1, "s": 3,
            "owning_level": "post", "responsible_person": "李班长"});
        let (status, blue) = app.post(&w.officer.token, &path, &ls).await;
        assert_eq!((status, blue["score"].as_f64(), blue["level"].as_str()), (StatusCode::CREATED, Some(3.0), Some("blue")));
        // A year to the next review unless given.
        assert!(blue["review_due"].as_str().unwrap() > "2027-01-01", "{blue}");

        let (status, list) = app.get(&w.principal.token, &path).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        assert_eq!(list["total"], 4);
        assert_eq!(list["counts"], json!({"red": 1, "orange": 0, "yellow": 2, "blue": 1}));
        assert_eq!(list["items"][0]["name"], "储罐区", "red first");
        let id = red["id"].as_i64().unwrap();
        let (status, one) = app.get(&w.reg.token, &format!("/api/v1/risk-points/{id}")).await;
        assert_eq!((status, one["name"].as_str()), (StatusCode::OK, Some("储罐区")));

        // Every point is in the change log, and the log verifies.
        let (_, verify) = app.get(&w.reg.token, "/api/v1/audit/verify").await;
        assert_eq!(verify["ok"], true, "{verify}");
    })
    .await;
}

#[tokio::test]
async fn a_bad_point_lists_every_problem_and_stores_nothing() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let path = format!("/api/v1/enterprises/{}/risk-points", w.enterprise);
        let mut bad = lec("", 5.0, 4.0, 50.0);
        bad["responsible_person"] = json!("");
        bad["installation_grade"] = json!(7);
        bad["people_exposed"] = json!(-1);
        bad["s"] = json!(3);
        bad["location"] = json!("位".repeat(501));
        let (status, v) = app.post(&w.officer.token, &path, &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let fields: Vec<&str> = v["error"]["fields"].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            ["c", "e", "installation_grade", "l", "location", "name", "people_exposed", "responsible_person", "s"]
        );
        assert!(v["error"]["fields"]["l"][0].as_str().unwrap().contains("10、6、3、1、0.5、0.2、0.1"), "{v}");
        // LS: whole numbers 1–5, and S is required.
        let ls = json!({"name": "n", "location": "l", "hazard_factors": "h", "method": "ls", "l": 2.5,
            "owning_level": "post", "responsible_person": "r"});
        let (status, v) = app.post(&w.officer.token, &path, &ls).await;
        assert_eq!((status, v["error"]["fields"]["s"].is_array()), (StatusCode::UNPROCESSABLE_ENTITY, true), "{v}");
        let (_, list) = app.get(&w.officer.token, &path).await;
        assert_eq!(list["total"], 0);
    })
    .await;
}

#[tokio::test]
async fn direct_red_follows_the_data_of_the_point() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let path = format!("/api/v1/enterprises/{}/risk-points", w.enterprise);
        // D = 0.05, blue by score; 一级 重大危险源 and 12 people make it red, and say why.
        let mut body = lec("液氯储罐", 0.1, 0.5, 1.0);
        body["installation_grade"] = json!(1);
        body["people_exposed"] = json!(12);
        let (status, v) = app.post(&w.officer.token, &path, &body).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        assert_eq!((v["scored_level"].as_str(), v["level"].as_str()), (Some("blue"), Some("red")));
        let why: Vec<&str> = v["direct_red"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
        assert_eq!(why, ["major_hazard_installation", "crowded_toxic_or_explosive"]);
        // A 三级 source with 9 people stays as scored: nothing is red because a standard applies.
        body["installation_grade"] = json!(3);
        body["people_exposed"] = json!(9);
        let (_, v) = app.post(&w.officer.token, &path, &body).await;
        assert_eq!((v["level"].as_str(), v["direct_red"].as_array().unwrap().len()), (Some("blue"), 0));
        let (status, rules) = app.get(&w.officer.token, "/api/v1/risk-rules").await;
        assert_eq!((status, rules["lec"]["bands"]["red"].as_f64()), (StatusCode::OK, Some(320.0)));
    })
    .await;
}

#[tokio::test]
async fn only_the_enterprise_and_its_regulators_see_and_record_its_points() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let path = format!("/api/v1/enterprises/{}/risk-points", w.enterprise);
        let other = app
            .enterprise(&w.reg.token, enterprise_body(&code("420103", 2), "乙公司", "fireworks", "fw_retail", "420103"))
            .await;
        let stranger = app.user("qt_fzr").role(Role::Principal).enterprise(other).create().await;
        let far = app.user("far").role(Role::Regulator).region("420102").create().await;
        let zf = app.user("zf01").role(Role::Inspector).region("420103").create().await;
        let body = lec("储罐区", 6.0, 6.0, 15.0);
        for token in [&stranger.token, &far.token] {
            assert_eq!(app.post(token, &path, &body).await.0, StatusCode::NOT_FOUND);
            assert_eq!(app.get(token, &path).await.0, StatusCode::NOT_FOUND);
        }
        // An inspector sees the points but does not record the enterprise's own assessment.
        assert_eq!(app.post(&zf.token, &path, &body).await.0, StatusCode::FORBIDDEN);
        let (_, p) = app.post(&w.officer.token, &path, &body).await;
        let one = format!("/api/v1/risk-points/{}", p["id"]);
        assert_eq!(app.get(&zf.token, &one).await.0, StatusCode::OK);
        assert_eq!(app.get(&stranger.token, &one).await.0, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn the_safety_officer_records_a_point_in_the_page_and_a_bad_form_keeps_what_was_typed() {
    let app = crate::helpers::TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let w = world(&app).await;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let cookie = format!("anjian_session={}", w.officer.token);
    let path = format!("/enterprises/{}/risk-points", w.enterprise);
    let page = http.get(app.url(&path)).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("尚未登记风险点") && page.contains("登记风险点") && page.contains("10 — 完全可以预料"),
        "{page}"
    );
    let csrf = w.officer.csrf.as_str();
    let bad = [
        ("csrf_token", csrf),
        ("name", "储罐区"),
        ("location", ""),
        ("hazard_factors", "泄漏"),
        ("method", "lec"),
        ("l", "6"),
        ("e", ""),
        ("c", "15"),
        ("owning_level", "workshop"),
        ("responsible_person", "王工"),
    ];
    let res = http.post(app.url(&path)).header("cookie", &cookie).form(&bad).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("请填写位置") && page.contains("LEC 法须填写 E"), "{page}");
    assert!(
        page.contains(r#"value="储罐区""#) && page.contains(r#"<option value="15" selected>"#),
        "what was typed stays"
    );
    let good = [
        ("csrf_token", csrf),
        ("name", "储罐区"),
        ("location", "罐区"),
        ("hazard_factors", "泄漏"),
        ("method", "lec"),
        ("l", "6"),
        ("e", "6"),
        ("c", "15"),
        ("owning_level", "workshop"),
        ("responsible_person", "王工"),
    ];
    let res = http.post(app.url(&path)).header("cookie", &cookie).form(&good).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    let page = http.get(app.url(&to)).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("已登记风险点“储罐区”") && page.contains("重大风险（红）") && page.contains("D=540"),
        "{page}"
    );
    // An inspector of the bureau sees the points, without the form.
    let zf = app.user("zf01").role(Role::Inspector).region("420103").create().await;
    let page = http.get(app.url(&path)).header("cookie", format!("anjian_session={}", zf.token)).send().await.unwrap();
    let page = page.text().await.unwrap();
    assert!(page.contains("储罐区") && !page.contains("risk-form"), "{page}");
}
