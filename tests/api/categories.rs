//! The hazard category dictionary, kept per province by the regulators of a
//! province-level bureau, offered to the new-hazard form and checked by the
//! API and the ledger import.

use crate::helpers::{on_each_backend, world};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn names(list: &Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn a_province_keeps_its_categories_and_its_counties_use_them() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let province = app.user("hbt").role(Role::Regulator).region("420000").create().await;
        let beijing = app.user("bjs").role(Role::Regulator).region("110105").create().await;

        let (status, created) =
            app.post(&province.token, "/api/v1/hazard-categories", &json!({"name": "有限空间作业"})).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!((created["code"].as_str(), created["province_code"].as_str()), (Some("p42_001"), Some("420000")));
        let (status, e) =
            app.post(&province.token, "/api/v1/hazard-categories", &json!({"name": "有限空间作业"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        let (status, _) = app.post(&w.reg.token, "/api/v1/hazard-categories", &json!({"name": "县里的"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a county bureau does not keep the list");

        let (_, county) = app.get(&w.reg.token, "/api/v1/hazard-categories").await;
        assert_eq!(names(&county), ["人的不安全行为", "物的危险状态", "管理缺陷", "环境因素", "有限空间作业"]);
        let (_, enterprise) = app.get(&w.principal.token, "/api/v1/hazard-categories").await;
        assert_eq!(names(&enterprise), names(&county));
        let (_, other) = app.get(&beijing.token, "/api/v1/hazard-categories").await;
        assert_eq!(names(&other).len(), 4, "another province does not see it");

        let report = json!({"enterprise_id": w.enterprise, "source": "self_check", "level": "general",
            "category": "p42_001", "title": "有限空间未检测", "description": "d", "found_at": "2026-11-21T08:00:00Z",
            "deadline": "2026-12-10"});
        let (status, h) = app.post(&w.officer.token, "/api/v1/hazards", &report).await;
        assert_eq!(status, StatusCode::CREATED, "{h}");

        let id = created["id"].as_i64().unwrap();
        let (status, updated) = app
            .patch(&province.token, &format!("/api/v1/hazard-categories/{id}"), &json!({"active": false, "sort": 5}))
            .await;
        assert_eq!((status, updated["active"].as_bool()), (StatusCode::OK, Some(false)), "{updated}");
        let (status, e) = app.post(&w.officer.token, "/api/v1/hazards", &report).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "retired: {e}");
        assert!(e["error"]["fields"]["category"][0].as_str().unwrap().contains("可选：人的不安全行为"), "{e}");
        let (_, all) = app.get(&province.token, "/api/v1/hazard-categories?include_inactive=true").await;
        assert_eq!(names(&all)[0], "有限空间作业", "retired ones listed for the maintainers, in their order");
        let (status, _) = app.patch(&province.token, "/api/v1/hazard-categories/1", &json!({"name": "改名"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "the shipped categories are read-only");
        let (status, _) =
            app.patch(&beijing.token, &format!("/api/v1/hazard-categories/{id}"), &json!({"active": true})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a district is not a province");
    })
    .await;
}

#[tokio::test]
async fn the_province_keeps_its_list_on_the_page_and_a_county_only_reads_it() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let province = app.user("hbt").role(Role::Regulator).region("420000").create().await;
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let get = |token: String| {
            http.get(app.url("/hazard-categories")).header("cookie", format!("anjian_session={token}")).send()
        };
        let html = get(province.token.clone()).await.unwrap().text().await.unwrap();
        assert!(html.contains("人的不安全行为") && html.contains(r#"id="form-new-category""#), "{html}");

        let post = |form: Vec<(&'static str, String)>, path: &str| {
            http.post(app.url(path)).header("cookie", format!("anjian_session={}", province.token)).form(&form).send()
        };
        let res = post(vec![("csrf_token", province.csrf.clone()), ("name", " ".into())], "/hazard-categories")
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.unwrap().contains("请填写类别名称"));
        let form = vec![
            ("csrf_token", province.csrf.clone()),
            ("name", "有限空间作业".into()),
            ("sector", "industry_trade".into()),
        ];
        let res = post(form, "/hazard-categories").await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);

        let html = get(w.reg.token.clone()).await.unwrap().text().await.unwrap();
        assert!(html.contains("有限空间作业") && html.contains("工贸") && html.contains("本省增补"), "{html}");
        assert!(!html.contains(r#"id="form-new-category""#), "a county reads the list only");
        let (_, list) = app.get(&province.token, "/api/v1/hazard-categories?include_inactive=true").await;
        let id = list.as_array().unwrap().iter().find(|c| c["name"] == "有限空间作业").unwrap()["id"].as_i64().unwrap();
        let form =
            vec![("csrf_token", province.csrf.clone()), ("name", "有限空间作业".into()), ("active", "false".into())];
        let res = post(form, &format!("/hazard-categories/{id}")).await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let (_, offered) = app.get(&w.reg.token, "/api/v1/hazard-categories").await;
        assert!(!names(&offered).contains(&"有限空间作业"), "retired");
    })
    .await;
}
