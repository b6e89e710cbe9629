//! The double-random draw through the API: commit freezes the pools, execute draws
//! and dispatches, the proof verifies, redraws supersede, scope and every field error.

#![allow(clippy::many_single_char_names)]

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend};
use anjian::auth::Role;
use anjian::draw::proof::Proof;
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use std::collections::HashSet;

/// An inspector of the region's bureau with a certificate number of its own.
async fn certified(app: &TestApp, reg: &TestUser, name: &str, region: &str, cert: &str) -> TestUser {
    let u = crate::inspection_support::inspector(app, name, region).await;
    let (status, v) =
        app.patch(&reg.token, &format!("/api/v1/inspectors/{}", u.id), &json!({"certificate_no": cert})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    u
}

struct Bureau {
    reg: TestUser,
    enterprises: Vec<i64>,
    inspectors: Vec<TestUser>,
}

/// A district bureau with `n` fireworks and `m` hazardous-chemicals enterprises and `k` inspectors.
async fn bureau(app: &TestApp, region: &str, n: u32, m: u32, k: usize) -> Bureau {
    let reg = app.user(&format!("reg{region}")).role(Role::Regulator).region(region).create().await;
    let mut enterprises = Vec::new();
    for i in 0..n + m {
        let (sector, sub) = if i < n { ("fireworks", "fw_retail") } else { ("hazardous_chemicals", "hc_production") };
        let body = enterprise_body(&code(region, i + 1), &format!("企业{region}-{i}"), sector, sub, region);
        enterprises.push(app.enterprise(&reg.token, body).await);
    }
    let mut inspectors = Vec::new();
    for i in 0..k {
        inspectors.push(certified(app, &reg, &format!("zf{region}{i}"), region, &format!("{region}{i:04}")).await);
    }
    Bureau { reg, enterprises, inspectors }
}

async fn commit(app: &TestApp, token: &str, body: &Value) -> Value {
    let (status, v) = app.post(token, "/api/v1/draws", body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["status"], "committed", "{v}");
    v
}

async fn execute(app: &TestApp, token: &str, id: i64, body: &Value) -> Value {
    let (status, v) = app.post(token, &format!("/api/v1/draws/{id}/execute"), body).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "executed", "{v}");
    v
}

async fn proof(app: &TestApp, token: &str, id: i64) -> (Value, Proof) {
    let (status, v) = app.get(token, &format!("/api/v1/draws/{id}/proof")).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let p: Proof = serde_json::from_value(v.clone()).unwrap();
    (v, p)
}

async fn sql(app: &TestApp, statement: &str) {
    app.state.db.conn().execute_unprepared(statement).await.unwrap();
}

fn ids(v: &Value, key: &str) -> Vec<i64> {
    v[key].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn a_commit_freezes_the_pools_and_withholds_the_server_secret_until_execution() {
    on_each_backend(|app| async move {
        let b = bureau(&app, "420103", 6, 0, 3).await;
        let (closed, capped) = (b.enterprises[0], b.enterprises[1]);
        sql(&app, &format!("UPDATE enterprises SET status = 'closed' WHERE id = {closed}")).await;
        sql(&app, &format!("UPDATE enterprises SET supervision_class = 'A' WHERE id = {capped}")).await;
        let approver = app.user("fzr").role(Role::Approver).region("420103").create().await;
        let team = [&b.inspectors[0], &b.inspectors[1]];
        crate::inspection_support::approved_inspection(&app, &b.reg, &approver, &team, capped).await;
        let v =
            commit(&app, &b.reg.token, &json!({"title": "2026年第四季度烟花爆竹双随机抽查", "sample": {"count": 3}}))
                .await;
        let id = v["id"].as_i64().unwrap();
        assert_eq!((v["enterprise_count"].as_i64(), v["inspector_count"].as_i64()), (Some(4), Some(3)), "{v}");
        assert_eq!(v["ineligible_count"], 2);
        assert_eq!(v["secret_mode"], "server");
        assert_eq!(v["allowed_actions"], json!(["execute", "redraw"]));
        let (raw, p) = proof(&app, &b.reg.token, id).await;
        assert!(raw.get("secret").is_none() && v["secret"].is_null(), "the server's secret is withheld: {raw}");
        let reasons: Vec<(i64, String)> = p.ineligible.iter().map(|i| (i.id, i.reason.clone())).collect();
        assert_eq!(reasons, [(closed, "closed".to_owned()), (capped, "over_cap".to_owned())]);
        assert_eq!(ids(&raw, "enterprises"), b.enterprises[2..].to_vec());
        assert!(p.parameters.strata.len() == 1 && p.parameters.strata[0].key == "all" && !p.parameters.weighted);
        // Added after the commitment: a new enterprise and a conflict do not change the draw.
        let late = app
            .enterprise(
                &b.reg.token,
                enterprise_body(&code("420103", 99), "后来者", "fireworks", "fw_retail", "420103"),
            )
            .await;
        let conflict = json!({"enterprise_id": b.enterprises[2], "reason": "亲属在该企业任职"});
        let (status, c) =
            app.post(&b.reg.token, &format!("/api/v1/inspectors/{}/conflicts", b.inspectors[0].id), &conflict).await;
        assert_eq!(status, StatusCode::CREATED, "{c}");
        let (_, list) = app.get(&b.reg.token, "/api/v1/draws").await;
        assert!(!list.to_string().contains("held_secret"), "{list}");
        let done = execute(&app, &b.reg.token, id, &json!({"public_entropy": "2026123"})).await;
        assert_eq!(done["secret"].as_str().map(str::len), Some(64), "revealed at execution: {done}");
        let (_, p) = proof(&app, &b.reg.token, id).await;
        assert_eq!(p.exclusions, [], "the conflict came after the commitment");
        anjian::draw::verify::verify(&p).unwrap_or_else(|m| panic!("the proof verifies: {m}"));
        let tasks = &p.result.as_ref().unwrap().tasks;
        assert_eq!(tasks.len(), 3);
        assert!(tasks.iter().all(|t| t.enterprise_id != late && t.inspectors.as_ref().unwrap().len() == 2));
        // The stored tasks are the proof's, each with its pending inspection and team.
        assert_eq!(done["tasks_total"], 3);
        for (t, shown) in tasks.iter().zip(done["tasks"].as_array().unwrap()) {
            assert_eq!(shown["enterprise_id"].as_i64(), Some(t.enterprise_id));
            let team: Vec<i64> =
                shown["team"].as_array().unwrap().iter().map(|m| m["user_id"].as_i64().unwrap()).collect();
            assert_eq!(Some(&team), t.inspectors.as_ref());
            assert_eq!(shown["inspection_status"], "pending_approval", "{shown}");
            let (status, i) = app.get(&b.reg.token, &format!("/api/v1/inspections/{}", shown["inspection_id"])).await;
            assert_eq!(status, StatusCode::OK, "{i}");
            assert_eq!((i["kind"].as_str(), i["draw_id"].as_i64()), (Some("double_random"), Some(id)), "{i}");
            assert_eq!(i["team"][0]["role"], "leader");
            assert_eq!(i["team"][0]["user_id"].as_i64(), Some(team[0]));
        }
        let (status, again) = app.post(&b.reg.token, &format!("/api/v1/draws/{id}/execute"), &json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{again}");
    })
    .await;
}

#[tokio::test]
async fn the_regulators_secret_must_match_its_commitment() {
    on_each_backend(|app| async move {
        let b = bureau(&app, "420103", 3, 0, 2).await;
        let v =
            commit(&app, &b.reg.token, &json!({"title": "抽查", "sample": {"count": 1}, "secret": "我的密钥12345"}))
                .await;
        assert_eq!(v["secret_mode"], "regulator");
        let id = v["id"].as_i64().unwrap();
        for body in [json!({}), json!({"secret": "别的密钥12345"})] {
            let (status, e) = app.post(&b.reg.token, &format!("/api/v1/draws/{id}/execute"), &body).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
            assert!(e["error"]["fields"]["secret"].is_array(), "{e}");
        }
        let done = execute(&app, &b.reg.token, id, &json!({"secret": "我的密钥12345"})).await;
        assert_eq!(done["secret"], "我的密钥12345");
        let (_, p) = proof(&app, &b.reg.token, id).await;
        anjian::draw::verify::verify(&p).unwrap_or_else(|m| panic!("{m}"));
    })
    .await;
}

#[tokio::test]
async fn teams_honour_conflicts_size_and_the_specialty_rule() {
    on_each_backend(|app| async move {
        let b = bureau(&app, "420103", 4, 2, 4).await;
        let conflicted = (b.inspectors[0].id, b.enterprises[4]);
        let body = json!({"enterprise_id": conflicted.1, "reason": "曾在该企业任职"});
        let (status, c) = app.post(&b.reg.token, &format!("/api/v1/inspectors/{}/conflicts", conflicted.0), &body).await;
        assert_eq!(status, StatusCode::CREATED, "{c}");
        let chem = json!({"specialties": ["hazardous_chemicals"]});
        let (status, c) = app.patch(&b.reg.token, &format!("/api/v1/inspectors/{}", b.inspectors[3].id), &chem).await;
        assert_eq!(status, StatusCode::OK, "{c}");
        let body = json!({"title": "抽查", "sample": {"ratio": 1.0}, "team_size": 3, "specialty_rule": "sector_specialist",
            "secret": "secret-secret"});
        let v = commit(&app, &b.reg.token, &body).await;
        let id = v["id"].as_i64().unwrap();
        execute(&app, &b.reg.token, id, &json!({"secret": "secret-secret"})).await;
        let (_, p) = proof(&app, &b.reg.token, id).await;
        assert_eq!(p.exclusions.len(), 1);
        anjian::draw::verify::verify(&p).unwrap_or_else(|m| panic!("{m}"));
        let tasks = &p.result.as_ref().unwrap().tasks;
        assert_eq!(tasks.len(), 6);
        let chemist = b.inspectors[3].id;
        for t in tasks {
            let team = t.inspectors.as_ref().unwrap();
            if team.is_empty() {
                continue;
            }
            assert_eq!(team.len(), 3);
            assert!(team.contains(&chemist), "every staffed team has the only specialist: {t:?}");
            assert!(!(t.enterprise_id == conflicted.1 && team.contains(&conflicted.0)), "{t:?}");
        }
        // Only the chemicals specialist qualifies, so the fireworks enterprises go unstaffed.
        let (_, d) = app.get(&b.reg.token, &format!("/api/v1/draws/{id}")).await;
        let unstaffed = tasks.iter().filter(|t| t.certificate_nos.is_empty()).count();
        assert_eq!(d["unstaffed_count"].as_u64(), Some(unstaffed as u64), "{d}");
    })
    .await;
}

#[tokio::test]
async fn strata_take_their_counts_and_ratios_and_weights_only_when_asked() {
    on_each_backend(|app| async move {
        let b = bureau(&app, "420103", 2, 3, 2).await;
        let body = json!({"title": "分层抽查", "sample": {"ratio": 0.5},
            "strata": {"by": ["sector"], "samples": {"fireworks": {"count": 1}}}, "secret": "secret-secret"});
        let v = commit(&app, &b.reg.token, &body).await;
        let (_, p) = proof(&app, &b.reg.token, v["id"].as_i64().unwrap()).await;
        let strata: Vec<(&str, u32, u32)> =
            p.parameters.strata.iter().map(|s| (s.key.as_str(), s.size, s.count)).collect();
        assert_eq!(strata, [("fireworks", 2, 1), ("hazardous_chemicals", 3, 2)]);
        assert!(!p.parameters.weighted && p.enterprises.iter().all(|e| e.weight == 1));
        let body = json!({"title": "加权", "sample": {"count": 2}, "secret": "secret-secret",
            "weights": {"by": "sector", "values": {"hazardous_chemicals": 5}}});
        let v = commit(&app, &b.reg.token, &body).await;
        let (_, p) = proof(&app, &b.reg.token, v["id"].as_i64().unwrap()).await;
        assert!(p.parameters.weighted);
        let weights: Vec<u32> = p.enterprises.iter().map(|e| e.weight).collect();
        assert_eq!(weights, [1, 1, 5, 5, 5]);
        let body = json!({"title": "超量", "sample": {"count": 1}, "strata": {"by": ["sector"], "samples": {"fireworks": {"count": 3}}}});
        let (status, e) = app.post(&b.reg.token, "/api/v1/draws", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert!(e["error"]["fields"]["strata"][0].as_str().unwrap().contains("fireworks"), "{e}");
    })
    .await;
}

#[tokio::test]
async fn a_sub_type_filter_keeps_only_the_enterprises_of_that_sub_type() {
    on_each_backend(|app| async move {
        let b = bureau(&app, "420103", 2, 3, 2).await;
        let pool = async |filter: Value| {
            let body = json!({"title": "按类别", "sample": {"count": 1}, "secret": "secret-secret", "filter": filter});
            let v = commit(&app, &b.reg.token, &body).await;
            let (_, p) = proof(&app, &b.reg.token, v["id"].as_i64().unwrap()).await;
            p.enterprises.iter().map(|e| e.id).collect::<Vec<i64>>()
        };
        assert_eq!(pool(json!({"sub_types": ["hc_production"]})).await, b.enterprises[2..]);
        assert_eq!(pool(json!({"sub_types": ["fw_retail"]})).await, b.enterprises[..2]);
        assert_eq!(pool(json!({})).await, b.enterprises);
    })
    .await;
}

#[tokio::test]
async fn every_problem_of_a_draw_is_answered_at_once() {
    on_each_backend(|app| async move {
        let b = bureau(&app, "420103", 1, 0, 1).await;
        let body = json!({"title": " ", "sample": {"ratio": 1.5}, "team_size": 1, "secret": "short",
            "filter": {"region": "42", "sectors": ["non_coal_mine"]}, "planned_date": "2020-01-01", "supersedes_id": 999_999, "plan_id": 999_999});
        let (status, e) = app.post(&b.reg.token, "/api/v1/draws", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        let fields: HashSet<&str> = e["error"]["fields"].as_object().unwrap().keys().map(String::as_str).collect();
        for f in ["title", "sample", "team_size", "secret", "filter.region", "planned_date", "redraw_reason", "supersedes_id", "filter", "plan_id"] {
            assert!(fields.contains(f), "{f} missing: {e}");
        }
        // Fewer inspectors than the team needs.
        let (status, e) = app.post(&b.reg.token, "/api/v1/draws", &json!({"title": "t", "sample": {"count": 1}})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert!(e["error"]["fields"]["team_size"].is_array(), "{e}");
        // Inspectors, approvers and enterprise users do not draw.
        let inspector = &b.inspectors[0];
        let (status, _) = app.post(&inspector.token, "/api/v1/draws", &json!({"title": "t", "sample": {"count": 1}})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn approving_a_draw_reserves_numbers_and_a_redraw_cancels_what_is_left() {
    on_each_backend(|app| async move {
        let b = bureau(&app, "420103", 4, 0, 2).await;
        let approver = app.user("fzr").role(Role::Approver).region("420103").create().await;
        let v = commit(&app, &b.reg.token, &json!({"title": "第一次", "sample": {"count": 2}})).await;
        let first = v["id"].as_i64().unwrap();
        let done = execute(&app, &b.reg.token, first, &json!({})).await;
        let (status, a) = app.post(&approver.token, &format!("/api/v1/draws/{first}/approve"), &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{a}");
        assert_eq!((a["approved"].as_u64(), a["not_approved_count"].as_u64()), (Some(2), Some(0)), "{a}");
        let inspection = done["tasks"][0]["inspection_id"].as_i64().unwrap();
        let (_, i) = app.get(&b.reg.token, &format!("/api/v1/inspections/{inspection}")).await;
        assert_eq!(i["status"], "approved");
        assert!(i["documents"].as_array().unwrap().iter().all(|d| d["status"] == "reserved"), "{i}");
        let (status, again) = app.post(&approver.token, &format!("/api/v1/draws/{first}/approve"), &json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{again}");
        let redraw = json!({"title": "重新抽取", "sample": {"count": 2}, "supersedes_id": first,
            "redraw_reason": "抽中企业名单有误"});
        let second = commit(&app, &b.reg.token, &redraw).await;
        assert_eq!(second["supersedes_id"].as_i64(), Some(first));
        let (_, old) = app.get(&b.reg.token, &format!("/api/v1/draws/{first}")).await;
        assert_eq!(old["status"], "superseded");
        assert_eq!(old["superseded_by_id"], second["id"]);
        assert_eq!(old["tasks_total"], 2, "nothing is deleted: {old}");
        let (_, i) = app.get(&b.reg.token, &format!("/api/v1/inspections/{inspection}")).await;
        assert_eq!(i["status"], "cancelled", "{i}");
        assert!(i["documents"].as_array().unwrap().iter().all(|d| d["status"] == "voided"), "{i}");
        let (status, e) = app.post(&b.reg.token, "/api/v1/draws", &redraw).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a superseded draw is not superseded twice: {e}");
        let (_, report) = app.get(&b.reg.token, "/api/v1/audit/verify").await;
        assert_eq!(report["ok"], true, "every audited row matches its latest entry: {report}");
    })
    .await;
}

#[tokio::test]
async fn a_province_draws_across_its_districts_and_another_bureau_sees_nothing() {
    on_each_backend(|app| async move {
        let a = bureau(&app, "420103", 2, 0, 2).await;
        let b = bureau(&app, "420104", 2, 0, 1).await;
        let province = app.user("sheng").role(Role::Regulator).region("420000").create().await;
        let body = json!({"title": "跨区抽查", "sample": {"count": 4}, "include_subordinates": true});
        let v = commit(&app, &province.token, &body).await;
        let id = v["id"].as_i64().unwrap();
        let (_, p) = proof(&app, &province.token, id).await;
        let mut all = a.enterprises.clone();
        all.extend(&b.enterprises);
        all.sort_unstable();
        assert_eq!(p.enterprises.iter().map(|e| e.id).collect::<Vec<_>>(), all);
        assert_eq!(p.inspectors.len(), 3, "the inspectors of both districts");
        let (status, own) =
            app.post(&province.token, "/api/v1/draws", &json!({"title": "本级", "sample": {"count": 1}})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "without subordinates the province has none: {own}");
        // A district below sees the province's draw? No: the drawing bureau and those above see it.
        for path in [format!("/api/v1/draws/{id}"), format!("/api/v1/draws/{id}/proof")] {
            let (status, _) = app.get(&a.reg.token, &path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
        let (status, _) = app.post(&a.reg.token, &format!("/api/v1/draws/{id}/execute"), &json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let district =
            commit(&app, &a.reg.token, &json!({"title": "区级", "sample": {"count": 1}, "team_size": 2})).await;
        let (status, v) = app.get(&b.reg.token, &format!("/api/v1/draws/{}", district["id"])).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{v}");
        let (_, list) = app.get(&province.token, "/api/v1/draws").await;
        assert_eq!(list["total"], 2, "the province sees its own and the district's: {list}");
    })
    .await;
}
