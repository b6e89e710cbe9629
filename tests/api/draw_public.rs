//! The draws on the public site without a session, on SQLite and PostgreSQL: the
//! list, one draw, its public proof as a download (404 for none), the verifier's
//! and the algorithm's pages; no user ids anywhere. Draws are stored directly from
//! a proof document (`store_draw`), as the draw service stores them.

use crate::helpers::{TestApp, code, enterprise_body, on_each_backend, start_time};
use anjian::auth::Role;
use anjian::draw::domain::{SecretMode, Status};
use anjian::entities::{bureau, draw, draw_task};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, Set};
use serde_json::{Value, json};

/// A user id that must never show on the public site.
pub(crate) const HIDDEN_USER_ID: i64 = 987_654_321;

/// Stores a draw (and its tasks) as the proof `p` describes it; its id.
pub(crate) async fn store_draw(app: &TestApp, p: &Value, bureau_id: i64, status: Status) -> i64 {
    let db = app.state.db.conn();
    let pool = json!({"parameters": p["parameters"], "enterprises": p["enterprises"], "inspectors": p["inspectors"],
        "exclusions": p["exclusions"], "ineligible": p["ineligible"]});
    let text = |v: &Value| v.as_str().map(str::to_owned);
    let count = |v: &Value| i32::try_from(v.as_array().map_or(0, Vec::len)).unwrap();
    let tasks = p["result"]["tasks"].as_array().cloned().unwrap_or_default();
    let executed = p["secret"].is_string();
    let row = draw::ActiveModel {
        bureau_id: Set(bureau_id),
        title: Set(p["draw"]["title"].as_str().unwrap_or("双随机抽查").to_owned()),
        status: Set(status),
        include_subordinates: Set(false),
        filter: Set(json!({"sectors": ["hazardous_chemicals"]}).to_string()),
        request: Set("{}".into()),
        planned_date: Set(start_time().date_naive()),
        algorithm: Set(p["algorithm"].as_str().unwrap().to_owned()),
        hash_alg: Set("sha256".into()),
        pool_hash: Set(text(&p["hashes"]["pool"]).unwrap()),
        enterprises_hash: Set(text(&p["hashes"]["enterprises"]).unwrap()),
        inspectors_hash: Set(text(&p["hashes"]["inspectors"]).unwrap()),
        exclusions_hash: Set(text(&p["hashes"]["exclusions"]).unwrap()),
        parameters_hash: Set(text(&p["hashes"]["parameters"]).unwrap()),
        inspector_ids_hash: Set(text(&p["hashes"]["inspector_ids"]).unwrap_or_default()),
        commitment: Set(text(&p["commitment"]).unwrap()),
        secret_mode: Set(SecretMode::Server),
        held_secret: Set(None),
        secret: Set(text(&p["secret"])),
        public_entropy: Set(text(&p["public_entropy"])),
        seed: Set(text(&p["seed"])),
        enterprise_count: Set(count(&p["enterprises"])),
        inspector_count: Set(count(&p["inspectors"])),
        sample_count: Set(i32::try_from(tasks.len()).unwrap()),
        unstaffed_count: Set(0),
        created_by: Set(HIDDEN_USER_ID),
        committed_at: Set(start_time()),
        executed_by: Set(executed.then_some(HIDDEN_USER_ID)),
        executed_at: Set(executed.then(start_time)),
        version: Set(1),
        updated_at: Set(start_time()),
        ..Default::default()
    };
    let id = row.insert(db).await.unwrap().id;
    crate::draw_support::store_pool(db, id, Some(pool)).await;
    for (seq, t) in tasks.iter().enumerate() {
        let ids = t.get("inspectors").cloned().unwrap_or_else(|| json!([]));
        draw_task::ActiveModel {
            draw_id: Set(id),
            seq: Set(i32::try_from(seq).unwrap()),
            enterprise_id: Set(t["enterprise_id"].as_i64().unwrap()),
            credit_code: Set(t["credit_code"].as_str().unwrap().to_owned()),
            certificate_nos: Set(t["certificate_nos"].to_string()),
            inspector_ids: Set(ids.to_string()),
            version: Set(1),
            updated_at: Set(start_time()),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    id
}

/// Marks draw `old` as superseded by `new`, whose reason is `reason`.
pub(crate) async fn supersede(app: &TestApp, old: i64, new: i64, reason: &str) {
    let db = app.state.db.conn();
    let mut o: draw::ActiveModel = draw::Entity::find_by_id(old).one(db).await.unwrap().unwrap().into();
    o.status = Set(Status::Superseded);
    o.superseded_by_id = Set(Some(new));
    o.update(db).await.unwrap();
    let mut n: draw::ActiveModel = draw::Entity::find_by_id(new).one(db).await.unwrap().unwrap().into();
    n.supersedes_id = Set(Some(old));
    n.redraw_reason = Set(Some(reason.to_owned()));
    n.update(db).await.unwrap();
}

/// The first bureau's id and name.
pub(crate) async fn first_bureau(app: &TestApp) -> (i64, String) {
    let b = bureau::Entity::find().order_by_asc(bureau::Column::Id).one(app.state.db.conn()).await.unwrap().unwrap();
    (b.id, b.name)
}

/// A small executed proof (hashes not consistent: for rendering) over two real enterprises.
async fn small_proof(app: &TestApp) -> (Value, [i64; 2]) {
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let a = app
        .enterprise(
            &reg.token,
            enterprise_body(&code("420103", 1), "甲化工有限公司", "hazardous_chemicals", "hc_production", "420103"),
        )
        .await;
    let b = app
        .enterprise(
            &reg.token,
            enterprise_body(&code("420103", 2), "乙化工有限公司", "hazardous_chemicals", "hc_storage", "420103"),
        )
        .await;
    let hash = |c: char| c.to_string().repeat(64);
    let p = json!({
        "format": "anjian-draw-proof", "format_version": 1, "algorithm": "anjian-sampler-v1", "hash": "sha256",
        "draw": {"title": "2026年第四季度危险化学品双随机抽查"},
        "parameters": {"team_size": 2, "specialty_rule": "sector_specialist", "weighted": false,
                       "strata": [{"key": "hazardous_chemicals", "size": 2, "count": 1}]},
        "enterprises": [
            {"id": a, "credit_code": code("420103", 1), "stratum": "hazardous_chemicals", "sector": "hazardous_chemicals", "weight": 1},
            {"id": b, "credit_code": code("420103", 2), "stratum": "hazardous_chemicals", "sector": "hazardous_chemicals", "weight": 1}],
        "inspectors": [
            {"certificate_no": "42010020001", "user_id": HIDDEN_USER_ID, "specialties": ["hazardous_chemicals"]},
            {"certificate_no": "42010020002", "user_id": HIDDEN_USER_ID + 1, "specialties": []}],
        "exclusions": [{"enterprise_id": b, "certificate_no": "42010020002"}],
        "ineligible": [],
        "hashes": {"enterprises": hash('a'), "inspectors": hash('b'), "exclusions": hash('c'), "parameters": hash('d'),
                   "pool": hash('e'), "inspector_ids": hash('f')},
        "commitment": hash('1'), "secret": "公开的密钥-甲", "public_entropy": null, "seed": hash('2'),
        "result": {"tasks": [{"enterprise_id": a, "credit_code": code("420103", 1),
                              "certificate_nos": ["42010020001", "42010020002"], "inspectors": [HIDDEN_USER_ID, HIDDEN_USER_ID + 1]}]}
    });
    (p, [a, b])
}

async fn page(app: &TestApp, path: &str) -> (StatusCode, String) {
    let res = app.client.get(app.url(path)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

#[tokio::test]
async fn the_public_draw_pages_show_hashes_and_teams_without_a_session_or_user_ids() {
    on_each_backend(|app| async move {
        let (p, _) = small_proof(&app).await;
        let (bureau, bureau_name) = first_bureau(&app).await;
        let id = store_draw(&app, &p, bureau, Status::Executed).await;
        let (status, list) = page(&app, "/public/draws").await;
        assert_eq!(status, StatusCode::OK);
        for want in ["2026年第四季度危险化学品双随机抽查", &bureau_name, "已抽取", &"e".repeat(64), &"1".repeat(64)]
        {
            assert!(list.contains(want), "the list shows {want}");
        }
        let (status, one) = page(&app, &format!("/public/draws/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        for want in [
            "甲化工有限公司",
            &code("420103", 1),
            "42010020001、42010020002",
            "公开的密钥-甲",
            "至少一名本行业专业执法人员",
            "危险化学品",
            "回避关系 1 对",
        ] {
            assert!(one.contains(want), "the draw's page shows {want}");
        }
        assert!(!one.contains("乙化工有限公司"), "only drawn enterprises are listed");
        for text in [&list, &one] {
            assert!(!text.contains(&HIDDEN_USER_ID.to_string()), "no user id on the public pages");
            assert!(!text.contains("退出登录"), "no session");
        }
        let res = app.client.get(app.url(&format!("/public/draws/{id}/proof.json"))).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let disposition = res.headers()["content-disposition"].to_str().unwrap().to_owned();
        assert!(disposition.contains(&format!("draw-{id}-proof.json")), "{disposition}");
        let text = res.text().await.unwrap();
        assert!(!text.contains(&HIDDEN_USER_ID.to_string()), "the public proof has no user ids: {text}");
        let proof: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(proof["public"], json!(true));
        assert_eq!(proof["draw"]["bureau"], json!(bureau_name));
        assert!(proof["hashes"].get("inspector_ids").is_none() && proof["inspectors"][0].get("user_id").is_none());
        assert!(proof["result"]["tasks"][0].get("inspectors").is_none());
        assert!(proof["exclusions"][0].get("reason").is_none(), "exclusions carry no reasons");
        assert_eq!(proof["result"]["tasks"][0]["certificate_nos"], json!(["42010020001", "42010020002"]));
    })
    .await;
}

#[tokio::test]
async fn a_committed_draw_shows_its_commitment_and_a_superseded_one_its_redraw() {
    on_each_backend(|app| async move {
        let (mut p, _) = small_proof(&app).await;
        let (bureau, _) = first_bureau(&app).await;
        let executed = store_draw(&app, &p, bureau, Status::Executed).await;
        for key in ["secret", "seed", "result"] {
            p.as_object_mut().unwrap().remove(key);
        }
        let redraw = store_draw(&app, &p, bureau, Status::Committed).await;
        supersede(&app, executed, redraw, "原定检查日期遇极端天气，重新抽取").await;
        let (_, old) = page(&app, &format!("/public/draws/{executed}")).await;
        assert!(old.contains("已重新抽取") && old.contains(&format!("href=\"/public/draws/{redraw}\"")));
        assert!(old.contains("原定检查日期遇极端天气，重新抽取"), "the reason of the redraw shows");
        let (_, new) = page(&app, &format!("/public/draws/{redraw}")).await;
        assert!(new.contains("已固定名录待抽取") && new.contains("尚未抽取") && new.contains(&"1".repeat(64)));
        assert!(!new.contains("公开的密钥-甲"), "no secret before execution");
        assert!(new.contains(&format!("href=\"/public/draws/{executed}\"")), "a redraw links to the draw it replaces");
        let (_, list) = page(&app, "/public/draws").await;
        let newest = list.find(&format!("data-draw=\"{redraw}\"")).unwrap();
        assert!(newest < list.find(&format!("data-draw=\"{executed}\"")).unwrap(), "newest first");
        for missing in ["/public/draws/99999/proof.json", "/public/draws/99999", "/public/draws/abc"] {
            assert_eq!(page(&app, missing).await.0, StatusCode::NOT_FOUND, "{missing}");
        }
        let (status, verify) = page(&app, &format!("/public/draws/verify?id={executed}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(verify.contains(&format!("data-proof-url=\"/public/draws/{executed}/proof.json\"")));
        assert!(verify.contains("/assets/draw-verify.js?v="));
        let (status, spec) = page(&app, "/public/draws/algorithm").await;
        assert_eq!(status, StatusCode::OK);
        assert!(spec.contains("anjian-sampler-v1") && spec.contains("抽取算法说明"));
        let res = app.client.get(app.url("/assets/draw-verify.js")).send().await.unwrap();
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
        assert!(res.text().await.unwrap().contains("AnjianDraw"));
    })
    .await;
}
