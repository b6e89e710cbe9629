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
        set_class(&app, t.w.enterprise, "A").await;
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

fn session(u: &TestUser) -> String {
    format!("anjian_session={}", u.token)
}

async fn page(app: &TestApp, u: &TestUser, path: &str) -> (StatusCode, String) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = client.get(app.url(path)).header("cookie", session(u)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn form(app: &TestApp, u: &TestUser, path: &str, fields: &[(&str, &str)]) -> StatusCode {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut body: Vec<(&str, &str)> = vec![("csrf_token", &u.csrf)];
    body.extend_from_slice(fields);
    client.post(app.url(path)).header("cookie", session(u)).form(&body).send().await.unwrap().status()
}

#[tokio::test]
async fn the_printed_document_shows_its_number_and_the_bureaus_relief_notice() {
    on_each_backend(|app| async move {
        let t = bureau(&app).await;
        let id = approved_inspection(&app, &t.w.reg, &t.approver, &[&t.a, &t.b], t.w.enterprise).await;
        let (status, html) = page(&app, &t.a, &format!("/inspections/{id}/documents/site-record")).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        for part in [
            "江汉区应急管理局",
            "现场检查记录",
            "（江汉）应急检记〔2026〕1号",
            "甲化工有限公司",
            "行政复议",
            "现场检查记录尚未填写",
        ] {
            assert!(html.contains(part), "{part} missing");
        }
        let (_, html) = page(&app, &t.a, &format!("/inspections/{id}/documents/approval-form")).await;
        assert!(
            html.contains("行政检查审批表") && html.contains("重大危险源管控") && html.contains("42010300001"),
            "{html}"
        );
        let own = "如不服本决定，可在六十日内向武汉市人民政府申请行政复议（江汉区文本）。";
        assert_eq!(form(&app, &t.a, "/settings/relief-notice", &[("relief_notice", own)]).await, StatusCode::FORBIDDEN);
        assert_eq!(
            form(&app, &t.w.reg, "/settings/relief-notice", &[("relief_notice", own)]).await,
            StatusCode::SEE_OTHER
        );
        let (_, html) = page(&app, &t.a, &format!("/inspections/{id}/documents/service-receipt")).await;
        assert!(html.contains("（江汉区文本）") && html.contains("送达回证"), "{html}");
        let (status, html) = page(&app, &t.w.principal, &format!("/inspections/{id}/documents/site-record")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{html}");
    })
    .await;
}

#[tokio::test]
async fn the_pages_list_show_and_approve_an_inspection() {
    on_each_backend(|app| async move {
        let t = bureau(&app).await;
        let v = pending_inspection(&app, &t.w.reg, &[&t.a, &t.b], t.w.enterprise).await;
        let id = v["id"].as_i64().unwrap();
        let (status, html) = page(&app, &t.approver, "/inspections?tab=queue").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("甲化工有限公司") && html.contains("待审批") && html.contains("执法检查"), "{html}");
        let (_, html) = page(&app, &t.approver, &format!("/inspections/{id}")).await;
        assert!(html.contains("本年度第 0 次 / 上限 2 次") && html.contains("审批通过"), "{html}");
        assert!(!html.contains("进入现场检查记录"));
        assert_eq!(
            form(&app, &t.approver, &format!("/inspections/{id}/act/approve"), &[]).await,
            StatusCode::SEE_OTHER
        );
        let (_, html) = page(&app, &t.a, &format!("/inspections/{id}")).await;
        assert!(
            html.contains("已审批待检查") && html.contains("进入现场检查记录") && html.contains("本年度第 1 次"),
            "{html}"
        );
        assert!(html.contains("（江汉）应急检审〔2026〕1号"), "{html}");
        let (_, html) = page(&app, &t.a, "/inspections").await;
        assert!(html.contains(&format!("/inspections/{id}")), "my approved task is listed: {html}");
    })
    .await;
}
