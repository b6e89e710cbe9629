//! The on-site record of an inspection: starting, the items, findings, signatures,
//! completion into the ledger, the WSL art. 68 refusal, re-inspection and the
//! team's deadline to-dos — on SQLite and PostgreSQL.

use crate::helpers::{TestApp, TestUser, World, on_each_backend, world};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// An inspection of the world's enterprise by two team inspectors.
pub struct Site {
    pub w: World,
    pub a: TestUser,
    pub b: TestUser,
    pub id: i64,
}

pub async fn site(app: &TestApp) -> Site {
    let w = world(app).await;
    let a = app.user("zf1").role(Role::Inspector).region("420103").create().await;
    let b = app.user("zf2").role(Role::Inspector).region("420103").create().await;
    let approver = app.user("pzr").role(Role::Approver).region("420103").create().await;
    let id = crate::inspection_support::approved_inspection(app, &w.reg, &approver, &[&a, &b], w.enterprise).await;
    Site { w, a, b, id }
}

fn path(id: i64, tail: &str) -> String {
    format!("/api/v1/inspections/{id}/{tail}")
}

pub async fn put(app: &TestApp, token: &str, p: &str, body: &Value) -> (StatusCode, Value) {
    app.send(app.client.put(app.url(p)).bearer_auth(token).json(body)).await
}

pub async fn png(app: &TestApp, u: &TestUser) -> i64 {
    let (s, v) = app.upload(&u.token, "/api/v1/attachments", "sig.png", b"\x89PNG\r\n\x1a\nxx".to_vec()).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

/// Starts the inspection, marks every item 符合 but the first 不符合, records a
/// finding on that item and one free-text finding, and signs (two inspectors and the 负责人).
pub async fn fill(app: &TestApp, s: &Site) -> Value {
    let (st, r) = app.post(&s.a.token, &path(s.id, "start"), &json!({"people_present": "张三（主要负责人）"})).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["position_note"], "未能取得定位");
    let items = r["items"].as_array().unwrap().clone();
    assert!(!items.is_empty(), "{r}");
    let results: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(n, i)| json!({"code": i["code"], "outcome": if n == 0 { "non_conform" } else { "conform" }}))
        .collect();
    let (st, r) = put(app, &s.a.token, &path(s.id, "results"), &json!(results)).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    let first = items[0]["code"].as_str().unwrap();
    let finding = json!({"item_code": first, "severity": "general", "description": "可燃气体报警器失效",
        "location": "罐区", "deadline_working_days": 5, "basis_confirmed": true});
    let (st, r) = app.post(&s.a.token, &path(s.id, "findings"), &finding).await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    let free = json!({"text": "消防通道堵塞", "severity": "general", "description": "二号库房消防通道堆放货物",
        "deadline": "2026-11-30"});
    let (st, r) = app.post(&s.b.token, &path(s.id, "findings"), &free).await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    for (signer, who) in [(&s.a, json!({})), (&s.a, json!({"user_id": s.b.id}))] {
        let mut body = json!({"signer": "inspector", "attachment_id": png(app, signer).await});
        body.as_object_mut().unwrap().extend(who.as_object().unwrap().clone());
        let (st, r) = app.post(&signer.token, &path(s.id, "signatures"), &body).await;
        assert_eq!(st, StatusCode::CREATED, "{r}");
    }
    let body = json!({"signer": "enterprise", "name": "张三", "attachment_id": png(app, &s.a).await});
    let (st, r) = app.post(&s.a.token, &path(s.id, "signatures"), &body).await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    r
}

async fn complete_keyed(app: &TestApp, s: &Site, key: &str) -> (StatusCode, Value) {
    let req = app.client.post(app.url(&path(s.id, "complete"))).bearer_auth(&s.a.token).header("Idempotency-Key", key);
    app.send(req).await
}

async fn hazards_of(app: &TestApp, inspection: i64) -> Vec<anjian::entities::hazard::Model> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    anjian::entities::hazard::Entity::find()
        .filter(anjian::entities::hazard::Column::InspectionId.eq(inspection))
        .order_by_asc(anjian::entities::hazard::Column::Id)
        .all(app.state.db.conn())
        .await
        .unwrap()
}

async fn todos(app: &TestApp, u: &TestUser) -> Vec<Value> {
    let (st, v) = app.get(&u.token, "/api/v1/todos").await;
    assert_eq!(st, StatusCode::OK, "{v}");
    v["items"].as_array().unwrap().clone()
}

fn kinds(todos: &[Value]) -> Vec<String> {
    todos.iter().map(|t| t["kind"].as_str().unwrap_or_default().to_owned()).collect()
}

#[tokio::test]
async fn completion_without_approval_or_start_is_refused() {
    on_each_backend(async |app| {
        let w = world(&app).await;
        let a = app.user("zf1").role(Role::Inspector).region("420103").create().await;
        let b = app.user("zf2").role(Role::Inspector).region("420103").create().await;
        let approver = app.user("pzr").role(Role::Approver).region("420103").create().await;
        let created = crate::inspection_support::pending_inspection(&app, &w.reg, &[&a, &b], w.enterprise).await;
        let pending = created["id"].as_i64().unwrap();
        let (st, v) = app.post(&a.token, &path(pending, "start"), &json!({})).await;
        assert_eq!(st, StatusCode::CONFLICT, "{v}");
        let (st, v) = app.post(&a.token, &path(pending, "complete"), &json!({})).await;
        assert_eq!(st, StatusCode::CONFLICT, "{v}");
        let not_started =
            crate::inspection_support::approved_inspection(&app, &w.reg, &approver, &[&a, &b], w.enterprise).await;
        let (st, v) = app.post(&a.token, &path(not_started, "complete"), &json!({})).await;
        assert_eq!((st, v["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("inspection_status")), "{v}");
        let (st, _) = put(&app, &a.token, &path(not_started, "results"), &json!([])).await;
        assert_eq!(st, StatusCode::CONFLICT);
    })
    .await;
}

#[tokio::test]
async fn a_completed_record_puts_its_two_findings_into_the_ledger_once() {
    on_each_backend(async |app| {
        let s = site(&app).await;
        let (st, r) = app.post(&s.a.token, &path(s.id, "start"), &json!({})).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        let (st, v) = app.post(&s.a.token, &path(s.id, "complete"), &json!({})).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "an empty record: {v}");
        assert!(v["error"]["fields"]["results"].is_array() && v["error"]["fields"]["signatures"].is_array(), "{v}");
        let approver = app.user("pzr_b").role(Role::Approver).region("420103").create().await;
        let team = [&s.a, &s.b];
        let id = crate::inspection_support::approved_inspection(&app, &s.w.reg, &approver, &team, s.w.enterprise).await;
        let s2 = Site { id, ..s };
        let r = fill(&app, &s2).await;
        let n = r["items"].as_array().unwrap().len();
        let (st, done) = complete_keyed(&app, &s2, "complete-1").await;
        assert_eq!(st, StatusCode::OK, "{done}");
        assert_eq!(done["status"], "completed");
        let hazards = hazards_of(&app, s2.id).await;
        assert_eq!(hazards.len(), 2, "one hazard per finding");
        let first = r["items"][0]["code"].as_str().unwrap();
        assert_eq!(hazards[0].checklist_item_code.as_deref(), Some(first));
        assert!(hazards.iter().all(|h| h.source.as_str() == "inspection" && h.status.as_str() == "rectifying"));
        let linked: Vec<i64> =
            done["findings"].as_array().unwrap().iter().map(|f| f["hazard_id"].as_i64().unwrap()).collect();
        assert_eq!(linked, hazards.iter().map(|h| h.id).collect::<Vec<_>>());
        assert_eq!(done["items"].as_array().unwrap().len(), n);
        // A retry with the key gets the first answer; without it, the status refuses.
        let (st, again) = complete_keyed(&app, &s2, "complete-1").await;
        assert_eq!((st, again["findings"].clone()), (StatusCode::OK, done["findings"].clone()));
        let (st, v) = app.post(&s2.b.token, &path(s2.id, "complete"), &json!({})).await;
        assert_eq!(st, StatusCode::CONFLICT, "{v}");
        assert_eq!(hazards_of(&app, s2.id).await.len(), 2, "no duplicates");
        // The enterprise sees its two hazards, with a to-do to rectify them.
        let (_, list) = app.get(&s2.w.principal.token, "/api/v1/hazards?source=inspection").await;
        assert_eq!(list["total"], 2, "{list}");
        assert!(kinds(&todos(&app, &s2.w.principal).await).contains(&"hazard_to_rectify".to_owned()));
    })
    .await;
}

#[tokio::test]
async fn a_refusal_to_sign_creates_the_article_68_report_todo() {
    on_each_backend(async |app| {
        let s = site(&app).await;
        let (st, _) = app.post(&s.a.token, &path(s.id, "start"), &json!({})).await;
        assert_eq!(st, StatusCode::OK);
        let (st, v) =
            app.post(&s.a.token, &path(s.id, "signatures"), &json!({"signer": "enterprise", "refused": true})).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["error"]["fields"]["witness"].is_array() && v["error"]["fields"]["reason"].is_array(), "{v}");
        let refusal = json!({"signer": "enterprise", "name": "张三", "refused": true, "witness": "李四（村委会）",
            "reason": "负责人拒绝在记录上签字"});
        let (st, r) = app.post(&s.a.token, &path(s.id, "signatures"), &refusal).await;
        assert_eq!(st, StatusCode::CREATED, "{r}");
        assert_eq!(r["signatures"][0]["refused"], true);
        let t = todos(&app, &s.w.reg).await;
        assert!(kinds(&t).contains(&"inspection_refusal_report".to_owned()), "{t:?}");
        let (st, _) = app.post(&s.a.token, &path(s.id, "signatures"), &refusal).await;
        assert_eq!(st, StatusCode::CONFLICT, "once");
    })
    .await;
}

async fn completed(app: &TestApp) -> (Site, Vec<anjian::entities::hazard::Model>) {
    let s = site(app).await;
    fill(app, &s).await;
    let (st, v) = app.post(&s.a.token, &path(s.id, "complete"), &json!({})).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let h = hazards_of(app, s.id).await;
    (s, h)
}

#[tokio::test]
async fn the_teams_reinspection_closes_the_submitted_hazards() {
    on_each_backend(async |app| {
        let (s, hazards) = completed(&app).await;
        let outsider = app.user("zf3").role(Role::Inspector).region("420103").create().await;
        for h in &hazards {
            let pic = png(&app, &s.w.officer).await;
            let body = json!({"attachment_ids": [pic], "rectifier_name": "王五"});
            let (st, v) = app.post(&s.w.officer.token, &format!("/api/v1/hazards/{}/submit", h.id), &body).await;
            assert_eq!(st, StatusCode::OK, "{v}");
        }
        assert!(kinds(&todos(&app, &s.b).await).contains(&"hazard_to_reinspect".to_owned()), "the team");
        assert!(!kinds(&todos(&app, &outsider).await).contains(&"hazard_to_reinspect".to_owned()), "not the bureau");
        let (st, v) = app.post(&outsider.token, &path(s.id, "reinspections"), &json!({})).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
        let (st, child) = app.post(&s.b.token, &path(s.id, "reinspections"), &json!({})).await;
        assert_eq!(st, StatusCode::CREATED, "{child}");
        let cid = child["inspection_id"].as_i64().unwrap();
        let verdicts: Vec<Value> = hazards.iter().map(|h| json!({"hazard_id": h.id, "passed": true})).collect();
        let (st, v) = app.post(&s.b.token, &path(cid, "verdicts"), &json!({"verdicts": verdicts})).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["status"], "completed");
        assert!(hazards_of(&app, s.id).await.iter().all(|h| h.status.as_str() == "closed"));
        assert!(!kinds(&todos(&app, &s.b).await).contains(&"hazard_to_reinspect".to_owned()), "done");
    })
    .await;
}

#[tokio::test]
async fn an_expired_order_is_flagged_to_the_team_only() {
    on_each_backend(async |app| {
        let (s, _) = completed(&app).await;
        let outsider = app.user("zf3").role(Role::Inspector).region("420103").create().await;
        // Twenty days on, the job runs (twice: it flags once); then back, where the sessions are valid.
        app.clock.set(crate::helpers::start_time() + chrono::Duration::days(20));
        anjian::jobs::run_due(&app.state).await.unwrap();
        anjian::jobs::run_due(&app.state).await.unwrap();
        app.clock.set(crate::helpers::start_time());
        for u in [&s.a, &s.b] {
            let k = kinds(&todos(&app, u).await);
            assert!(k.contains(&"inspection_order_overdue".to_owned()), "{k:?}");
            assert!(k.contains(&"inspection_reinspect".to_owned()), "{k:?}");
        }
        let k = kinds(&todos(&app, &outsider).await);
        assert!(!k.iter().any(|k| k.starts_with("inspection_")), "{k:?}");
        let flagged = todos(&app, &s.a).await.iter().filter(|t| t["kind"] == "inspection_order_overdue").count();
        assert_eq!(flagged, 2, "once per hazard");
    })
    .await;
}

#[tokio::test]
async fn only_the_team_writes_and_the_scope_reads() {
    on_each_backend(async |app| {
        let s = site(&app).await;
        let outsider = app.user("zf3").role(Role::Inspector).region("420103").create().await;
        let far = app.user("zf9").role(Role::Inspector).region("420102").create().await;
        let (st, _) = app.post(&outsider.token, &path(s.id, "start"), &json!({})).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, _) = app.post(&s.w.principal.token, &path(s.id, "start"), &json!({})).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "the enterprise does not see an inspection before the visit");
        let (st, _) = app.post(&far.token, &path(s.id, "start"), &json!({})).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
        let (st, _) = app.post(&s.a.token, &path(s.id, "start"), &json!({})).await;
        assert_eq!(st, StatusCode::OK);
        let (st, _) = app.get(&s.w.principal.token, &path(s.id, "record")).await;
        assert_eq!(st, StatusCode::OK, "the enterprise reads its record once the visit began");
        let (st, _) = app.post(&s.w.principal.token, &path(s.id, "complete"), &json!({})).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, v) =
            put(&app, &s.a.token, &path(s.id, "results"), &json!([{"code": "NOPE-1", "outcome": "conform"}])).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    })
    .await;
}

async fn page(app: &TestApp, u: &TestUser, p: &str) -> (StatusCode, String) {
    let res = app.client.get(app.url(p)).header("cookie", format!("anjian_session={}", u.token)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

#[tokio::test]
async fn the_record_page_shows_the_checklist_to_the_team_and_the_documents_after() {
    on_each_backend(async |app| {
        let s = site(&app).await;
        let p = format!("/inspections/{}/record", s.id);
        let (st, html) = page(&app, &s.a, &p).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains("开始现场检查") && !html.contains("保存检查结果"), "approved: the start form");
        let (_, html) = page(&app, &s.w.principal, &p).await;
        assert!(!html.contains("开始现场检查"), "the enterprise reads only");
        let r = fill(&app, &s).await;
        let (_, html) = page(&app, &s.a, &p).await;
        assert!(html.contains("保存检查结果") && html.contains("不符合") && html.contains("完成检查"));
        let code = r["items"][0]["code"].as_str().unwrap();
        assert!(html.contains(&format!("data-item=\"{code}\"")));
        let (st, v) = app.post(&s.a.token, &path(s.id, "complete"), &json!({})).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        let (_, html) = page(&app, &s.a, &p).await;
        assert!(
            html.contains("责令限期整改指令书") && html.contains("开始复查") && html.contains("查看隐患"),
            "{html}"
        );
    })
    .await;
}
