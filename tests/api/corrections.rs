//! Correcting a record (更正) and merging duplicates (合并重复记录): who may,
//! what the timeline shows, the bounds and the version check.

use crate::helpers::{TestApp, code, enterprise_body, on_each_backend, world};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn hazard(app: &TestApp, token: &str, body: Value) -> Value {
    let (status, h) = app.post(token, "/api/v1/hazards", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{h}");
    h
}

fn patrol(enterprise: i64, title: &str) -> Value {
    json!({"enterprise_id": enterprise, "source": "grid_patrol", "level": "general", "category": "environment",
        "title": title, "description": "仓库门口堆放杂物", "location": "一号仓库", "found_at": "2026-11-21T08:00:00Z",
        "deadline": "2026-12-10"})
}

fn last_step(h: &Value) -> &Value {
    h["timeline"].as_array().unwrap().last().unwrap()
}

#[tokio::test]
async fn a_regulator_corrects_a_record_and_the_timeline_shows_old_and_new() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let h = hazard(&app, &w.reg.token, patrol(w.enterprise, "消防通道堵塞")).await;
        let (id, version) = (h["id"].as_i64().unwrap(), h["version"].as_i64().unwrap());
        assert_eq!(h["record_actions"], json!(["correct", "merge"]));
        let path = format!("/api/v1/hazards/{id}/correct");

        let (status, e) = app
            .post(
                &w.reg.token,
                &path,
                &json!({"version": version, "title": "", "reason": " ",
            "category": "no_such", "location": "x".repeat(501)}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        let fields = &e["error"]["fields"];
        assert!(fields["reason"][0].as_str().unwrap().contains("更正原因"), "{e}");
        assert!(fields["title"][0].as_str().unwrap().contains("标题"), "{e}");
        assert!(fields["location"][0].as_str().unwrap().contains("隐患部位"), "{e}");
        let (status, e) = app
            .post(
                &w.reg.token,
                &path,
                &json!({"version": version, "category": "no_such",
            "reason": "录错类别"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert!(
            e["error"]["fields"]["category"][0].as_str().unwrap().contains("物的危险状态"),
            "names the offered: {e}"
        );

        let body = json!({"version": version, "title": "安全出口堵塞", "category": "unsafe_condition", "location": "",
            "description": "仓库安全出口堆放纸箱", "reason": "现场核实后更正"});
        let (status, c) = app.post(&w.reg.token, &path, &body).await;
        assert_eq!(status, StatusCode::OK, "{c}");
        assert_eq!((c["title"].as_str(), c["category"].as_str()), (Some("安全出口堵塞"), Some("unsafe_condition")));
        assert!(c["location"].is_null());
        assert_eq!(c["version"], version + 1);
        assert_eq!(c["status"], h["status"], "a correction is not a step of the loop");
        let step = last_step(&c);
        assert_eq!(step["action"], "correct");
        let note = step["note"].as_str().unwrap();
        assert!(note.contains("标题：“消防通道堵塞” → “安全出口堵塞”"), "{note}");
        assert!(note.contains("隐患部位：“一号仓库” → （空）") && note.contains("更正原因：现场核实后更正"), "{note}");

        let (status, e) = app.post(&w.reg.token, &path, &body).await;
        assert_eq!((status, e["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("version_conflict")), "{e}");
        let same = json!({"version": version + 1, "title": "安全出口堵塞", "reason": "再次确认"});
        let (status, e) = app.post(&w.reg.token, &path, &same).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "nothing to correct: {e}");
        let (status, _) = app
            .post(
                &w.principal.token,
                &path,
                &json!({"version": version + 1, "title": "改",
            "reason": "r"}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "not the enterprise's own report");
    })
    .await;
}

#[tokio::test]
async fn an_enterprise_corrects_its_own_report_until_it_is_handed_in() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let body = json!({"enterprise_id": w.enterprise, "source": "self_check", "level": "general",
            "category": "environment", "title": "配电箱门损坏", "description": "d", "found_at": "2026-11-21T08:00:00Z",
            "deadline": "2026-12-10"});
        let h = hazard(&app, &w.officer.token, body).await;
        let id = h["id"].as_i64().unwrap();
        let (_, seen) = app.get(&w.principal.token, &format!("/api/v1/hazards/{id}")).await;
        assert_eq!(seen["record_actions"], json!(["correct"]), "its own report; merging is the regulators'");
        let path = format!("/api/v1/hazards/{id}/correct");
        let (status, c) = app
            .post(
                &w.principal.token,
                &path,
                &json!({"version": h["version"], "title": "配电箱柜门损坏", "reason": "补充"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{c}");

        let (_, pic) =
            app.upload(&w.officer.token, "/api/v1/attachments", "a.png", b"\x89PNG\r\n\x1a\nxx".to_vec()).await;
        let (status, s) = app
            .post(
                &w.officer.token,
                &format!("/api/v1/hazards/{id}/submit"),
                &json!({"attachment_ids": [pic["id"]], "rectifier_name": "王五"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{s}");
        assert_eq!(s["record_actions"], json!([]));
        let (status, _) = app
            .post(
                &w.principal.token,
                &path,
                &json!({"version": s["version"], "title": "再改",
            "reason": "r"}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "handed in: the verifier's now");
        let (status, c) = app
            .post(
                &w.reg.token,
                &path,
                &json!({"version": s["version"], "title": "配电箱柜门破损",
            "reason": "统一用语"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "the regulators still may: {c}");
    })
    .await;
}

#[tokio::test]
async fn a_regulator_merges_a_duplicate_and_both_timelines_show_it() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let kept = hazard(&app, &w.reg.token, patrol(w.enterprise, "消防通道堵塞")).await;
        let (_, pic) = app.upload(&w.reg.token, "/api/v1/attachments", "a.png", b"\x89PNG\r\n\x1a\nxx".to_vec()).await;
        let mut dup_body = patrol(w.enterprise, "通道堵塞");
        dup_body["attachment_ids"] = json!([pic["id"]]);
        let dup = hazard(&app, &w.reg.token, dup_body).await;
        let other = app
            .enterprise(&w.reg.token, enterprise_body(&code("420103", 2), "乙公司", "fireworks", "fw_retail", "420103"))
            .await;
        let stranger = hazard(&app, &w.reg.token, patrol(other, "别家的隐患")).await;
        let (kept_id, dup_id) = (kept["id"].as_i64().unwrap(), dup["id"].as_i64().unwrap());
        let path = format!("/api/v1/hazards/{kept_id}/merge");

        let body =
            |d: &Value| json!({"version": kept["version"], "duplicate_id": d["id"], "reason": "同一隐患重复登记"});
        let (status, e) = app.post(&w.reg.token, &path, &body(&stranger)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert!(e["error"]["fields"]["duplicate_id"][0].as_str().unwrap().contains("同一企业"), "{e}");
        let (status, _) = app.post(&w.principal.token, &path, &body(&dup)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, k) = app.post(&w.reg.token, &path, &body(&dup)).await;
        assert_eq!(status, StatusCode::OK, "{k}");
        assert_eq!(last_step(&k)["action"], "merged");
        assert!(last_step(&k)["note"].as_str().unwrap().contains(&format!("#{dup_id}")));

        let (_, d) = app.get(&w.reg.token, &format!("/api/v1/hazards/{dup_id}")).await;
        assert_eq!((d["status"].as_str(), d["merged_into"].as_i64()), (Some("voided"), Some(kept_id)), "{d}");
        assert_eq!(last_step(&d)["action"], "merge");
        assert_eq!(d["attachments"].as_array().unwrap().len(), 1, "attachments stay where they are");
        let (_, todos) = app.get(&w.principal.token, "/api/v1/todos").await;
        let links: Vec<&str> = todos["items"].as_array().unwrap().iter().map(|t| t["link"].as_str().unwrap()).collect();
        assert!(!links.contains(&format!("/hazards/{dup_id}").as_str()), "the duplicate's to-dos closed: {links:?}");

        let again = json!({"version": k["version"], "duplicate_id": dup_id, "reason": "再次"});
        let (status, e) = app.post(&w.reg.token, &path, &again).await;
        assert_eq!(status, StatusCode::CONFLICT, "already voided: {e}");
    })
    .await;
}

#[tokio::test]
async fn the_hazard_page_corrects_keeping_what_was_typed_and_links_a_merged_duplicate() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let h = hazard(&app, &w.reg.token, patrol(w.enterprise, "消防通道堵塞")).await;
        let id = h["id"].as_i64().unwrap();
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let cookie = format!("anjian_session={}", w.reg.token);
        let page = |path: String| http.get(app.url(&path)).header("cookie", cookie.clone()).send();
        let html = page(format!("/hazards/{id}")).await.unwrap().text().await.unwrap();
        assert!(html.contains(r#"id="form-correct""#) && html.contains(r#"id="form-merge""#), "{html}");
        assert!(html.contains("环境因素") && !html.contains(">environment<"), "categories by name");

        let version = h["version"].to_string();
        let form = [("csrf_token", w.reg.csrf.as_str()), ("version", &version), ("category", "environment"),
            ("title", "安全出口堵塞"), ("description", "仓库门口堆放杂物"), ("location", "一号仓库"), ("reason", "")];
        let res = http.post(app.url(&format!("/hazards/{id}/correct"))).header("cookie", cookie.clone()).form(&form)
            .send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap();
        assert!(html.contains("请填写更正原因") && html.contains(r#"value="安全出口堵塞""#), "kept what was typed");
        assert!(html.contains(r#"<span class="field-error">请填写更正原因</span>"#), "beside the field: {html}");

        let mut form = form.to_vec();
        form[6] = ("reason", "现场核实");
        let res = http.post(app.url(&format!("/hazards/{id}/correct"))).header("cookie", cookie.clone()).form(&form)
            .send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let html = page(format!("/hazards/{id}")).await.unwrap().text().await.unwrap();
        assert!(html.contains("更正记录</strong>") && html.contains("“消防通道堵塞” → “安全出口堵塞”"), "{html}");

        let dup = hazard(&app, &w.reg.token, patrol(w.enterprise, "通道堵塞")).await;
        let (status, _) = app.post(&w.reg.token, &format!("/api/v1/hazards/{id}/merge"),
            &json!({"version": version.parse::<i64>().unwrap() + 1, "duplicate_id": dup["id"], "reason": "重复登记"})).await;
        assert_eq!(status, StatusCode::OK);
        let html = page(format!("/hazards/{}", dup["id"])).await.unwrap().text().await.unwrap();
        assert!(html.contains(&format!(r#"<a href="/hazards/{id}">记录 #{id}</a>"#)), "{html}");
        assert!(html.contains("作为重复记录作废") && !html.contains(r#"id="form-correct""#));
    })
    .await;
}
