//! Inspections' governance: creation with a checked team, approval with reserved
//! document numbers (no gaps under concurrent approvals), the yearly cap, scope.

use crate::helpers::{TestApp, TestUser, World, code, enterprise_body, on_each_backend, world};
use crate::inspection_support::{approved_inspection, inspector, new_inspection, pending_inspection};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

struct Bureau {
    w: World,
    approver: TestUser,
    a: TestUser,
    b: TestUser,
}

async fn bureau(app: &TestApp) -> Bureau {
    let w = world(app).await;
    let approver = app.user("fzr_jh").role(Role::Approver).region("420103").create().await;
    let a = inspector(app, "zf_a", "420103").await;
    let b = inspector(app, "zf_b", "420103").await;
    Bureau { w, approver, a, b }
}

fn messages(v: &Value, field: &str) -> String {
    v["error"]["fields"][field]
        .as_array()
        .map(|a| a.iter().map(|m| m.as_str().unwrap_or_default()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn an_inspection_is_created_pending_and_numbers_come_only_with_the_approval() {
    on_each_backend(|app| async move {
        let t = bureau(&app).await;
        let v = pending_inspection(&app, &t.w.reg, &[&t.a, &t.b], t.w.enterprise).await;
        assert_eq!(v["status"], "pending_approval", "{v}");
        assert_eq!(v["documents"], json!([]), "no numbers before the approval");
        assert_eq!(v["team"].as_array().unwrap().len(), 2);
        assert_eq!(v["team"][0]["role"], "leader");
        assert_eq!(v["team"][0]["certificate_no"], "42010300001");
        assert!(v["checklists"].is_array(), "the applicable checklists are pinned: {v}");
        assert_eq!(v["cap"]["count"], 0);
        let id = v["id"].as_i64().unwrap();
        // A team member cannot approve; a regulator is not an approver.
        let (status, _) = app.post(&t.w.reg.token, &format!("/api/v1/inspections/{id}/approve"), &json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, v) = app.post(&t.approver.token, &format!("/api/v1/inspections/{id}/approve"), &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["status"], "approved");
        let docs = v["documents"].as_array().unwrap();
        let types: Vec<&str> = docs.iter().map(|d| d["type"].as_str().unwrap()).collect();
        assert_eq!(
            types,
            ["approval_form", "site_record", "rectification_order", "on_site_measures", "service_receipt"]
        );
        assert_eq!(docs[1]["number"], "（江汉）应急检记〔2026〕1号", "{v}");
        assert!(docs.iter().all(|d| d["status"] == "reserved"));
        assert_eq!(v["cap"]["count"], 1, "an approved inspection counts");
        let (status, again) =
            app.post(&t.approver.token, &format!("/api/v1/inspections/{id}/approve"), &json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{again}");
    })
    .await;
}

#[tokio::test]
async fn a_team_needs_two_certified_available_unconflicted_inspectors() {
    on_each_backend(|app| async move {
        let t = bureau(&app).await;
        let expert = app.user("zj_x").role(Role::Expert).region("420103").create().await;
        let expired = app.user("zf_old").role(Role::Inspector).region("420103").create().await;
        let expiry = json!({"certificate_valid_until": "2026-11-25"});
        let (status, v) = app.patch(&t.w.reg.token, &format!("/api/v1/inspectors/{}", expired.id), &expiry).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let away = json!({"from": "2026-11-28", "to": "2026-12-02", "kind": "training"});
        let (status, v) = app.post(&t.w.reg.token, &format!("/api/v1/inspectors/{}/absences", t.b.id), &away).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        let declared = json!({"enterprise_id": t.w.enterprise, "reason": "其配偶在该企业任安全主管"});
        let (status, v) =
            app.post(&t.w.reg.token, &format!("/api/v1/inspectors/{}/conflicts", t.a.id), &declared).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        let conflict = v["id"].as_i64().unwrap();
        let body = new_inspection(&app, &[&t.a, &t.b, &expired, &expert], t.w.enterprise);
        let (status, v) = app.post(&t.w.reg.token, "/api/v1/inspections", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let problems = messages(&v, "inspector_ids");
        for part in ["zf_a与该企业须回避", "zf_b在", "培训", "zf_old的执法证已过期", "zj_x是专家"] {
            assert!(problems.contains(part), "{part} in {problems}");
        }
        let mut unknown = new_inspection(&app, &[&t.a, &t.b], t.w.enterprise);
        unknown["checklist_hashes"] = json!(["0000"]);
        let (status, v) = app.post(&t.w.reg.token, "/api/v1/inspections", &unknown).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(messages(&v, "checklist_hashes").contains("0000"), "{v}");
        let single = new_inspection(&app, &[&t.b], t.w.enterprise);
        let (status, v) = app.post(&t.w.reg.token, "/api/v1/inspections", &single).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(messages(&v, "inspector_ids").contains("至少须有两名"), "{v}");
        // The conflict is listed, withdrawn, kept.
        let (status, list) = app.get(&t.w.reg.token, &format!("/api/v1/inspectors/{}/conflicts", t.a.id)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list[0]["live"], true, "{list}");
        let withdraw = format!("/api/v1/inspectors/{}/conflicts/{conflict}/withdraw", t.a.id);
        let (status, v) = app.post(&t.w.reg.token, &withdraw, &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["live"], false);
        let (status, _) = app.post(&t.w.reg.token, &withdraw, &json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let third = inspector(&app, "zf_c", "420103").await;
        let mut ok = new_inspection(&app, &[&t.a, &third], t.w.enterprise);
        ok["expert_ids"] = json!([expert.id]);
        let (status, v) = app.post(&t.w.reg.token, "/api/v1/inspections", &ok).await;
        assert_eq!(status, StatusCode::CREATED, "after the withdrawal: {v}");
        assert_eq!(v["team"][2]["role"], "expert");
    })
    .await;
}

async fn set_class(app: &TestApp, enterprise: i64, class: &str) {
    use sea_orm::ConnectionTrait;
    let sql = format!("UPDATE enterprises SET supervision_class = '{class}' WHERE id = {enterprise}");
    app.state.db.conn().execute_unprepared(&sql).await.unwrap();
}

#[tokio::test]
async fn the_yearly_cap_needs_a_second_recorded_approval_and_exempt_kinds_do_not_count() {
    on_each_backend(|app| async move {
        let t = bureau(&app).await;
        set_class(&app, t.w.enterprise, "low").await;
        approved_inspection(&app, &t.w.reg, &t.approver, &[&t.a, &t.b], t.w.enterprise).await;
        let mut complaint = new_inspection(&app, &[&t.a, &t.b], t.w.enterprise);
        complaint["kind"] = json!("complaint");
        let (status, v) = app.post(&t.w.reg.token, "/api/v1/inspections", &complaint).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        assert_eq!(v["over_cap"], false, "a complaint check is exempt");
        let id = v["id"].as_i64().unwrap();
        let (status, v) = app.post(&t.approver.token, &format!("/api/v1/inspections/{id}/approve"), &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["cap"]["count"], 1, "exempt kinds do not count: {v}");
        assert_eq!(v["cap"]["cap"], 1);
        let second = pending_inspection(&app, &t.w.reg, &[&t.a, &t.b], t.w.enterprise).await;
        assert_eq!(second["over_cap"], true, "{second}");
        let id = second["id"].as_i64().unwrap();
        let (status, v) = app.post(&t.approver.token, &format!("/api/v1/inspections/{id}/approve"), &json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{v}");
        assert_eq!(v["error"]["code"], "over_cap_needs_approval");
        let path = format!("/api/v1/inspections/{id}/approve_over_cap");
        let (status, v) = app.post(&t.approver.token, &path, &json!({"reason": " "})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let (status, v) = app.post(&t.approver.token, &path, &json!({"reason": "举报线索多次反映，需再次检查"})).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["cap_reason"], "举报线索多次反映，需再次检查");
        let (status, v) = app.post(&t.approver.token, &format!("/api/v1/inspections/{id}/approve"), &json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT, "the same approver twice: {v}");
        let other = app.user("fzr2").role(Role::Approver).region("420103").create().await;
        let (status, v) = app.post(&other.token, &format!("/api/v1/inspections/{id}/approve"), &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["cap"]["count"], 2);
    })
    .await;
}

#[tokio::test]
async fn document_numbers_have_no_gaps_under_twenty_concurrent_approvals() {
    on_each_backend(|app| async move {
        let t = bureau(&app).await;
        let mut ids = Vec::new();
        for _ in 0..20 {
            let mut body = new_inspection(&app, &[&t.a, &t.b], t.w.enterprise);
            body["kind"] = json!("complaint");
            let (status, v) = app.post(&t.w.reg.token, "/api/v1/inspections", &body).await;
            assert_eq!(status, StatusCode::CREATED, "{v}");
            ids.push(v["id"].as_i64().unwrap());
        }
        let (paths, empty): (Vec<String>, Value) =
            (ids.iter().map(|id| format!("/api/v1/inspections/{id}/approve")).collect(), json!({}));
        let sends = paths.iter().map(|p| app.post(&t.approver.token, p, &empty));
        for (status, v) in futures::future::join_all(sends).await {
            assert_eq!(status, StatusCode::OK, "{v}");
        }
        let mut per_type: std::collections::BTreeMap<String, Vec<i64>> = std::collections::BTreeMap::new();
        for id in &ids {
            let (_, v) = app.get(&t.w.reg.token, &format!("/api/v1/inspections/{id}")).await;
            for d in v["documents"].as_array().unwrap() {
                per_type.entry(d["type"].as_str().unwrap().to_owned()).or_default().push(d["seq"].as_i64().unwrap());
            }
        }
        assert_eq!(per_type.len(), 5);
        for (kind, mut seqs) in per_type {
            seqs.sort_unstable();
            assert_eq!(seqs, (1..=20).collect::<Vec<_>>(), "{kind}");
        }
    })
    .await;
}

#[tokio::test]
async fn another_county_sees_nothing_and_the_enterprise_sees_only_a_visit_under_way() {
    on_each_backend(|app| async move {
        let t = bureau(&app).await;
        let id = approved_inspection(&app, &t.w.reg, &t.approver, &[&t.a, &t.b], t.w.enterprise).await;
        let other = app.user("reg_wc").role(Role::Regulator).region("420106").create().await;
        let other_approver = app.user("fzr_wc").role(Role::Approver).region("420106").create().await;
        for (token, path) in [
            (&other.token, format!("/api/v1/inspections/{id}")),
            (&t.w.principal.token, format!("/api/v1/inspections/{id}")),
            (&other.token, format!("/api/v1/inspectors/{}", t.a.id)),
        ] {
            let (status, v) = app.get(token, &path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {v}");
        }
        let (status, _) =
            app.post(&other_approver.token, &format!("/api/v1/inspections/{id}/cancel"), &json!({"reason": "x"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, list) = app.get(&other.token, "/api/v1/inspections").await;
        assert_eq!(list["total"], 0, "{list}");
        let (_, mine) = app.get(&t.a.token, "/api/v1/inspections?mine=true&status=approved").await;
        assert_eq!(mine["total"], 1, "{mine}");
        let e2 = app
            .enterprise(
                &other.token,
                enterprise_body(&code("420106", 5), "武昌企业", "fireworks", "fw_retail", "420106"),
            )
            .await;
        let body = new_inspection(&app, &[&t.a, &t.b], e2);
        let (status, v) = app.post(&t.w.reg.token, "/api/v1/inspections", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(messages(&v, "enterprise_id").contains("不在本机构"), "{v}");
    })
    .await;
}

#[tokio::test]
async fn a_document_is_served_or_voided_and_a_cancellation_voids_the_reserved_numbers() {
    on_each_backend(|app| async move {
        let t = bureau(&app).await;
        let id = approved_inspection(&app, &t.w.reg, &t.approver, &[&t.a, &t.b], t.w.enterprise).await;
        let serve = json!({"served_on": "2026-11-22", "method": "直接送达", "served_to": "张三（主要负责人）"});
        let path = format!("/api/v1/inspections/{id}/documents/approval-form/serve");
        let (status, v) = app.post(&t.a.token, &path, &serve).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["status"], "issued");
        assert_eq!(v["served_on"], "2026-11-22");
        let (status, _) = app.post(&t.w.principal.token, &path, &serve).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "the enterprise records no service");
        let void = format!("/api/v1/inspections/{id}/documents/on_site_measures/void");
        let (status, _) = app.post(&t.a.token, &void, &json!({"reason": "未采取现场处理措施"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "an inspector does not void numbers");
        let (status, v) = app.post(&t.w.reg.token, &void, &json!({"reason": "未采取现场处理措施"})).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["status"], "voided");
        let (status, v) = app
            .post(&t.approver.token, &format!("/api/v1/inspections/{id}/cancel"), &json!({"reason": "企业已停产"}))
            .await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let docs = v["documents"].as_array().unwrap();
        assert!(docs.iter().all(|d| d["status"] != "reserved"), "{v}");
        assert_eq!(docs[0]["status"], "issued", "an issued document stays issued");
        assert!(docs[1]["void_reason"].as_str().unwrap().contains("企业已停产"));
        // The voided numbers are kept: the next approval takes number 2.
        let id2 = approved_inspection(&app, &t.w.reg, &t.approver, &[&t.a, &t.b], t.w.enterprise).await;
        let (_, v) = app.get(&t.w.reg.token, &format!("/api/v1/inspections/{id2}")).await;
        assert_eq!(v["documents"][0]["seq"], 2, "{v}");
    })
    .await;
}
