//! Length limits on free text: refused at once with every field named, documented
//! in the OpenAPI document, shown beside the field on the pages, and never a
//! reason for an export to fail.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend, sheet_rows};
use anjian::auth::Role;
use anjian::entities::enterprise;
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::{Value, json};

/// A regulator, one enterprise of theirs and its principal.
async fn register(app: &TestApp) -> (TestUser, i64, TestUser) {
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let body = enterprise_body(&code("420103", 1), "甲化工有限公司", "hazardous_chemicals", "hc_production", "420103");
    let id = app.enterprise(&reg.token, body).await;
    let principal = app.user("fzr").role(Role::Principal).enterprise(id).create().await;
    (reg, id, principal)
}

fn fields(err: &Value) -> Vec<String> {
    err["error"]["fields"].as_object().map(|f| f.keys().cloned().collect()).unwrap_or_default()
}

#[tokio::test]
async fn an_enterprise_user_cannot_store_an_address_longer_than_500_characters() {
    on_each_backend(|app| async move {
        let (_, id, principal) = register(&app).await;
        let path = format!("/api/v1/enterprises/{id}");
        for len in [32_768, 501] {
            let (status, err) = app.patch(&principal.token, &path, &json!({"address": "路".repeat(len)})).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{len}: {err}");
            assert_eq!(err["error"]["code"], "validation_failed");
            assert_eq!(fields(&err), ["address"]);
            assert_eq!(err["error"]["fields"]["address"][0], format!("生产经营地址不超过 500 字（现为 {len} 字）"));
        }
        let (status, e) = app.patch(&principal.token, &path, &json!({"address": "路".repeat(500)})).await;
        assert_eq!(status, StatusCode::OK, "{e}");
        assert_eq!(e["address"].as_str().map(|a| a.chars().count()), Some(500));
    })
    .await;
}

#[tokio::test]
async fn every_over_long_field_of_an_enterprise_is_listed_at_once() {
    on_each_backend(|app| async move {
        let (reg, id, _) = register(&app).await;
        let body = json!({"name": "甲".repeat(201), "principal": "张".repeat(101), "phone": "1".repeat(101),
            "status": "suspended", "status_reason": "因".repeat(5_001), "sub_types": vec!["hc_production"; 21]});
        let (status, err) = app.patch(&reg.token, &format!("/api/v1/enterprises/{id}"), &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert_eq!(fields(&err), ["name", "phone", "principal", "status_reason", "sub_types"]);
        let (status, err) = app
            .post(
                &reg.token,
                &format!("/api/v1/enterprises/{id}/licences"),
                &json!({"licence_type": "safety_production",
                "number": "编".repeat(101), "issuer": "湖".repeat(201)}),
            )
            .await;
        assert_eq!((status, fields(&err)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["issuer".into(), "number".into()]));
    })
    .await;
}

#[tokio::test]
async fn a_hazard_with_a_long_title_and_description_lists_both_at_once() {
    on_each_backend(|app| async move {
        let (_, id, principal) = register(&app).await;
        let body = json!({
            "enterprise_id": id, "source": "self_check", "level": "general", "category": "unsafe_condition",
            "title": "罐".repeat(201), "description": "述".repeat(5_001), "location": "区".repeat(501),
            "found_at": "2026-11-21T08:00:00Z", "attachment_ids": (1..=21).collect::<Vec<i64>>(),
        });
        let (status, err) = app.post(&principal.token, "/api/v1/hazards", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert_eq!(fields(&err), ["attachment_ids", "description", "location", "title"]);
        assert_eq!(err["error"]["fields"]["title"][0], "标题不超过 200 字（现为 201 字）");

        let mut ok = body.clone();
        ok["title"] = json!("罐".repeat(200));
        ok["description"] = json!("述\n".repeat(2_500));
        ok["location"] = json!("区".repeat(500));
        ok["attachment_ids"] = json!([]);
        let (status, h) = app.post(&principal.token, "/api/v1/hazards", &ok).await;
        assert_eq!(status, StatusCode::CREATED, "{h}");
    })
    .await;
}

/// Sends a page form as `user` (session cookie) and returns the page it comes back
/// on, which must be the form again with 422.
async fn refused_page(req: reqwest::RequestBuilder, user: &TestUser) -> String {
    let res = req.header("cookie", format!("anjian_session={}", user.token)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    res.text().await.unwrap()
}

/// A major hazard the enterprise reports, as returned.
async fn reported_major(app: &TestApp, token: &str, enterprise_id: i64) -> Value {
    let body = json!({"enterprise_id": enterprise_id, "source": "self_check", "level": "major",
        "category": "unsafe_condition", "title": "报警器失效", "description": "罐区报警器未投用",
        "found_at": "2026-11-21T08:00:00Z"});
    let (status, h) = app.post(token, "/api/v1/hazards", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{h}");
    h
}

#[tokio::test]
async fn a_step_of_a_hazard_refuses_an_over_long_note_and_control_characters() {
    on_each_backend(|app| async move {
        let (reg, id, principal) = register(&app).await;
        let h = reported_major(&app, &principal.token, id).await;
        let path = format!("/api/v1/hazards/{}/confirm", h["id"]);
        let (status, err) =
            app.post(&reg.token, &path, &json!({"note": "注".repeat(5_001), "reward": "奖\u{7}"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert_eq!(fields(&err), ["note", "reward"]);
        assert_eq!(err["error"]["fields"]["reward"][0], "奖励含有不可见的控制字符，请删除后重新填写");
    })
    .await;
}

#[tokio::test]
async fn the_register_exports_an_address_stored_before_the_limits_cut_to_an_excel_cell() {
    on_each_backend(|app| async move {
        let (reg, id, _) = register(&app).await;
        let db = app.state.db.conn();
        let mut row: enterprise::ActiveModel =
            enterprise::Entity::find_by_id(id).one(db).await.unwrap().unwrap().into();
        row.address = Set(Some("路".repeat(40_000)));
        let txn = app.state.db.begin_write().await.unwrap();
        row.update(&txn).await.unwrap();
        txn.commit().await.unwrap();

        let res = app.client.get(app.url("/api/v1/enterprises/export")).bearer_auth(&reg.token).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let rows = sheet_rows(res.bytes().await.unwrap().to_vec(), "企业名录");
        let column = rows[0].iter().position(|h| h == "生产经营地址").unwrap();
        let address = &rows[1][column];
        assert_eq!(address.chars().count(), 32_767);
        assert!(address.ends_with("路…"), "{}", &address[address.len() - 12..]);
    })
    .await;
}

#[tokio::test]
async fn the_openapi_document_shows_the_limits() {
    on_each_backend(|app| async move {
        let (status, doc) = app.send(app.client.get(app.url("/api/openapi.json"))).await;
        assert_eq!(status, StatusCode::OK);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["UpdateEnterpriseRequest"]["properties"]["address"]["maxLength"], 500);
        assert_eq!(schemas["CreateHazardRequest"]["properties"]["title"]["maxLength"], 200);
        assert_eq!(schemas["CreateHazardRequest"]["properties"]["attachment_ids"]["maxItems"], 20);
    })
    .await;
}

#[tokio::test]
async fn a_username_longer_than_any_account_is_refused_before_it_is_looked_up() {
    on_each_backend(|app| async move {
        register(&app).await;
        // More than the 30 failures an address may have in 15 minutes.
        for _ in 0..31 {
            let (status, err) = app.login(&"u".repeat(65), "whatever-password").await;
            assert_eq!((status, fields(&err)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["username".to_owned()]));
        }
        // Refusals that looked nothing up count against no limit.
        let (status, v) = app.login("fzr", crate::helpers::PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "{v}");
    })
    .await;
}

#[tokio::test]
async fn the_report_form_comes_back_with_what_was_typed_and_the_error_beside_the_title() {
    on_each_backend(|app| async move {
        let (_, id, principal) = register(&app).await;
        let title = "罐".repeat(201);
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", principal.csrf.clone())
            .text("enterprise_id", id.to_string())
            .text("source", "self_check")
            .text("level", "general")
            .text("category", "unsafe_condition")
            .text("title", title.clone())
            .text("description", "罐区报警器\r\n未投用")
            .text("location", "二号罐区");
        let html = refused_page(app.client.post(app.url("/hazards/new")).multipart(form), &principal).await;
        assert!(html.contains(&format!("value=\"{title}\"")), "the title as typed");
        assert!(html.contains(">罐区报警器\n未投用</textarea>"), "the description as typed");
        assert!(html.contains("value=\"二号罐区\""), "the location as typed");
        assert!(
            html.contains("<span class=\"field-error\" id=\"error-title\">标题不超过 200 字（现为 201 字）</span>")
        );
        assert!(html.contains("<span class=\"field-error\" id=\"error-location\"></span>"));
    })
    .await;
}

#[tokio::test]
async fn a_step_form_comes_back_with_the_note_as_typed_and_its_error_beside_it() {
    on_each_backend(|app| async move {
        let (reg, id, principal) = register(&app).await;
        let h = reported_major(&app, &principal.token, id).await;
        let note = "注".repeat(5_001);
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", reg.csrf.clone())
            .text("level", "general")
            .text("note", note.clone());
        let path = format!("/hazards/{}/act/confirm", h["id"]);
        let html = refused_page(app.client.post(app.url(&path)).multipart(form), &reg).await;
        assert!(html.contains(&format!(">{note}</textarea>")), "the note as typed");
        assert!(html.contains("<option value=\"general\" selected>"), "the level as chosen");
        assert!(html.contains("id=\"error-confirm-note\">说明不超过 5000 字（现为 5001 字）</span>"));
    })
    .await;
}

#[tokio::test]
async fn the_statistics_analysis_comes_back_with_what_was_typed_when_too_long() {
    on_each_backend(|app| async move {
        let (_, _, principal) = register(&app).await;
        let (status, r) = app.post(&principal.token, "/api/v1/hazard-statistics", &json!({"period": "2026Q3"})).await;
        assert_eq!(status, StatusCode::OK, "{r}");
        let analysis = "析".repeat(5_001);
        let form = [
            ("csrf_token", principal.csrf.clone()),
            ("period", "2026Q3".to_owned()),
            ("report_id", r["id"].to_string()),
            ("version", r["version"].to_string()),
            ("analysis", analysis.clone()),
        ];
        let html = refused_page(app.client.post(app.url("/hazard-statistics/generate")).form(&form), &principal).await;
        assert!(html.contains(&format!(">{analysis}</textarea>")), "the analysis as typed");
        assert!(html.contains("id=\"error-analysis\">统计分析不超过 5000 字（现为 5001 字）</span>"));
    })
    .await;
}
