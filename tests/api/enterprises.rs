//! The enterprise register API: validation, scope, partial updates, status history.

use crate::helpers::{code, enterprise_body, on_each_backend};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_regulator_registers_an_enterprise_with_its_county_bureau_as_supervisor() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420100").create().await;
        let c = code("420103", 1);
        let mut body =
            enterprise_body(&c.to_lowercase(), "  甲化工有限公司 ", "hazardous_chemicals", "hc_production", "420103");
        body["special_topics"] = json!(["key_hazardous_process"]);
        body["major_hazard_grade"] = json!("grade2");
        body["unknown_field"] = json!("ignored");
        let id = app.enterprise(&reg.token, body).await;
        let (status, e) = app.get(&reg.token, &format!("/api/v1/enterprises/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(e["credit_code"], c);
        assert_eq!(e["name"], "甲化工有限公司");
        assert_eq!(e["major_hazard_grade"], "grade2");
        assert_eq!(e["status"], "operating");
        assert_eq!(e["supervising_bureau_name"], "江汉区应急管理局");
        assert_eq!(e["status_history"][0]["status"], "operating");
    })
    .await;
}

#[tokio::test]
async fn every_problem_in_a_new_enterprise_is_listed_at_once() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let body = json!({
            "credit_code": "91420103000000001X", "name": " ", "sector": "fireworks",
            "sub_types": ["hc_production"], "special_topics": ["in_chemical_park"], "region_code": "990101",
            "phone": "call me", "email": "not-an-email", "longitude": 114.3,
        });
        let (status, err) = app.post(&reg.token, "/api/v1/enterprises", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert_eq!(err["error"]["code"], "validation_failed");
        let fields = err["error"]["fields"].as_object().unwrap();
        for f in ["credit_code", "name", "sub_types", "special_topics", "region_code", "phone", "email", "coords"] {
            assert!(fields.contains_key(f), "missing {f} in {err}");
        }
        let (status, err) = app.post(&reg.token, "/api/v1/enterprises", &json!({"name": 1})).await;
        assert_eq!(
            (status, err["error"]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("validation_failed"))
        );
    })
    .await;
}

#[tokio::test]
async fn a_credit_code_is_registered_once() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let body = enterprise_body(&code("420103", 2), "丙公司", "industry_trade", "it_machinery", "420103");
        app.enterprise(&reg.token, body.clone()).await;
        let (status, err) = app.post(&reg.token, "/api/v1/enterprises", &body).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("credit_code_taken")));
    })
    .await;
}

#[tokio::test]
async fn a_county_regulator_cannot_register_outside_its_county() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let body = enterprise_body(&code("420202", 3), "黄石某公司", "industry_trade", "it_machinery", "420202");
        let (status, err) = app.post(&reg.token, "/api/v1/enterprises", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err["error"]["fields"]["region_code"][0].as_str().unwrap().contains("out_of_jurisdiction"));
    })
    .await;
}

#[tokio::test]
async fn bureaus_see_their_subtree_and_others_get_404() {
    on_each_backend(|app| async move {
        let province = app.user("prov").role(Role::Regulator).region("420000").create().await;
        let a = app
            .enterprise(
                &province.token,
                enterprise_body(&code("420103", 4), "江汉甲", "fireworks", "fw_retail", "420103"),
            )
            .await;
        let b = app
            .enterprise(
                &province.token,
                enterprise_body(&code("420202", 5), "黄石乙", "non_coal_mine", "mine_open_pit", "420202"),
            )
            .await;
        let jianghan = app.user("jianghan").role(Role::Inspector).region("420103").create().await;
        let (_, list) = app.get(&jianghan.token, "/api/v1/enterprises").await;
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["id"], a);
        let (status, err) = app.get(&jianghan.token, &format!("/api/v1/enterprises/{b}")).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
        let (_, all) = app.get(&province.token, "/api/v1/enterprises").await;
        assert_eq!(all["total"], 2);
        let mines_only =
            app.user("mines").role(Role::Regulator).region("420000").sectors(&["non_coal_mine"]).create().await;
        let (_, mines) = app.get(&mines_only.token, "/api/v1/enterprises").await;
        assert_eq!((mines["total"].as_u64(), mines["items"][0]["id"].as_i64()), (Some(1), Some(b)));
        let staff = app.user("staff").role(Role::Staff).enterprise(a).create().await;
        let (_, own) = app.get(&staff.token, "/api/v1/enterprises").await;
        assert_eq!(own["total"], 1);
        assert_eq!(app.get(&staff.token, &format!("/api/v1/enterprises/{b}")).await.0, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn the_list_filters_by_sector_region_text_and_pages() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420000").create().await;
        for i in 0..5_u32 {
            let (sector, sub) =
                if i % 2 == 0 { ("hazardous_chemicals", "hc_storage") } else { ("industry_trade", "it_textile") };
            let region = if i < 3 { "420103" } else { "420111" };
            app.enterprise(
                &reg.token,
                enterprise_body(&code(region, 10 + i), &format!("企业{i}号"), sector, sub, region),
            )
            .await;
        }
        let (_, v) = app.get(&reg.token, "/api/v1/enterprises?sector=hazardous_chemicals&region=420103").await;
        assert_eq!(v["total"], 2);
        let (_, v) = app.get(&reg.token, "/api/v1/enterprises?region=420100&per_page=2&page=2").await;
        assert_eq!((v["total"].as_u64(), v["items"].as_array().unwrap().len()), (Some(5), 2));
        let (_, v) = app.get(&reg.token, "/api/v1/enterprises?q=4号").await;
        assert_eq!((v["total"].as_u64(), v["items"][0]["name"].as_str()), (Some(1), Some("企业4号")));
        let (_, v) = app.get(&reg.token, &format!("/api/v1/enterprises?q={}", &code("420111", 13)[..12])).await;
        assert_eq!(v["total"], 2);
        let (status, err) = app.get(&reg.token, "/api/v1/enterprises?per_page=201").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err["error"]["fields"]["per_page"].is_array());
    })
    .await;
}

#[tokio::test]
async fn patch_changes_only_the_given_fields_and_detects_stale_versions() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let mut body = enterprise_body(&code("420103", 20), "丁公司", "industry_trade", "it_light_industry", "420103");
        body["phone"] = json!("027-88886666");
        let id = app.enterprise(&reg.token, body).await;
        let path = format!("/api/v1/enterprises/{id}");
        let (status, e) = app.patch(&reg.token, &path, &json!({"employees": 120, "version": 1})).await;
        assert_eq!(status, StatusCode::OK, "{e}");
        assert_eq!(
            (e["employees"].as_i64(), e["phone"].as_str(), e["version"].as_i64()),
            (Some(120), Some("027-88886666"), Some(2))
        );
        let (status, err) = app.patch(&reg.token, &path, &json!({"employees": 130, "version": 1})).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("version_conflict")));
        let (status, err) = app.patch(&reg.token, &path, &json!({"sub_types": ["fw_retail"]})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    })
    .await;
}

#[tokio::test]
async fn a_status_change_needs_a_reason_and_is_kept_in_the_history() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let id = app
            .enterprise(
                &reg.token,
                enterprise_body(&code("420103", 21), "戊公司", "fireworks", "fw_production", "420103"),
            )
            .await;
        let path = format!("/api/v1/enterprises/{id}");
        let (status, err) = app.patch(&reg.token, &path, &json!({"status": "ordered_suspension"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err["error"]["fields"]["status_reason"].is_array());
        let (status, _) = app
            .patch(
                &reg.token,
                &path,
                &json!({"status": "ordered_suspension", "status_reason": "重大事故隐患责令停产整顿"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, e) = app.get(&reg.token, &path).await;
        let history = e["status_history"].as_array().unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[1]["status"], "ordered_suspension");
        assert_eq!(history[1]["previous_status"], "operating");
        assert_eq!(history[1]["reason"], "重大事故隐患责令停产整顿");
    })
    .await;
}

#[tokio::test]
async fn enterprise_users_may_correct_contacts_but_not_regulated_fields() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let id = app
            .enterprise(
                &reg.token,
                enterprise_body(&code("420103", 22), "己公司", "industry_trade", "it_commerce", "420103"),
            )
            .await;
        let boss = app.user("boss").role(Role::Principal).enterprise(id).create().await;
        let path = format!("/api/v1/enterprises/{id}");
        let (status, e) = app.patch(&boss.token, &path, &json!({"phone": "13800138000"})).await;
        assert_eq!((status, e["phone"].as_str()), (StatusCode::OK, Some("13800138000")));
        let (status, err) = app.patch(&boss.token, &path, &json!({"sector": "fireworks"})).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("regulated_field")));
        let (status, _) = app.patch(&boss.token, &path, &json!({"status": "closed", "status_reason": "x"})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    })
    .await;
}

#[tokio::test]
async fn gcj02_points_from_map_pickers_are_stored_as_wgs84() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let mut body = enterprise_body(&code("420103", 23), "庚公司", "industry_trade", "it_textile", "420103");
        body["longitude"] = json!(114.2700);
        body["latitude"] = json!(30.5900);
        body["coord_system"] = json!("gcj02");
        let id = app.enterprise(&reg.token, body).await;
        let (_, e) = app.get(&reg.token, &format!("/api/v1/enterprises/{id}")).await;
        let (lng, lat) = (e["longitude"].as_f64().unwrap(), e["latitude"].as_f64().unwrap());
        let (fwd_lng, fwd_lat) = anjian::enterprise::domain::wgs84_to_gcj02(lng, lat);
        assert!((fwd_lng - 114.27).abs() < 1e-6 && (fwd_lat - 30.59).abs() < 1e-6);
        assert!((lng - 114.27).abs() > 1e-3, "the offset was applied");
    })
    .await;
}

#[tokio::test]
async fn licences_are_recorded_on_the_enterprise() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let id = app.enterprise(&reg.token, enterprise_body(&code("420103", 24), "辛公司", "hazardous_chemicals", "hc_use", "420103")).await;
        let lic = json!({"licence_type": "hazchem_use", "number": "（鄂）WH安经字〔2026〕000123", "valid_from": "2026-01-01", "valid_to": "2028-12-31"});
        let (status, _) = app.post(&reg.token, &format!("/api/v1/enterprises/{id}/licences"), &lic).await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, err) = app.post(&reg.token, &format!("/api/v1/enterprises/{id}/licences"), &lic).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("licence_exists")));
        let (_, e) = app.get(&reg.token, &format!("/api/v1/enterprises/{id}")).await;
        assert_eq!(e["licences"][0]["valid_to"], "2028-12-31");
    })
    .await;
}

#[tokio::test]
async fn unknown_routes_answer_404_in_the_common_shape_and_health_is_ok() {
    on_each_backend(|app| async move {
        let (status, body) = app.send(app.client.get(app.url("/api/v1/nothing-here"))).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
        let (status, body) = app.send(app.client.get(app.url("/healthz"))).await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, Some("ok")));
    })
    .await;
}

#[tokio::test]
async fn a_park_bureau_can_supervise_an_enterprise_inside_its_county() {
    on_each_backend(|app| async move {
        let county = app.user("county").role(Role::Regulator).region("420103").create().await;
        let id = app
            .enterprise(
                &county.token,
                enterprise_body(&code("420103", 30), "园区化工", "hazardous_chemicals", "hc_production", "420103"),
            )
            .await;
        let park = json!({"code": "420103-HG", "name": "江汉化工园区安全监管局", "region_code": "420103"});
        let (status, b) = app.post(&county.token, "/api/v1/bureaus", &park).await;
        assert_eq!(status, StatusCode::CREATED, "{b}");
        let (status, _) = app.post(&county.token, "/api/v1/bureaus", &park).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, e) = app
            .patch(&county.token, &format!("/api/v1/enterprises/{id}"), &json!({"supervising_bureau_id": b["id"]}))
            .await;
        assert_eq!((status, e["supervising_bureau_id"].clone()), (StatusCode::OK, b["id"].clone()));
        // Still in the county's subtree.
        assert_eq!(app.get(&county.token, &format!("/api/v1/enterprises/{id}")).await.0, StatusCode::OK);
        let other = app.user("other").role(Role::Regulator).region("420111").create().await;
        let bad = json!({"code": "420103-X1", "name": "越权园区", "region_code": "420103"});
        assert_eq!(app.post(&other.token, "/api/v1/bureaus", &bad).await.0, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, err) =
            app.patch(&other.token, &format!("/api/v1/enterprises/{id}"), &json!({"phone": "027-1"})).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    })
    .await;
}
