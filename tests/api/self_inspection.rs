//! Enterprise self-inspection (隐患排查): plans, tasks, one record per item even
//! when nothing is found, 不符合 items into the ledger, generation by frequency,
//! the regulators' overview and the quarterly 排查次数. The shipped checklists are
//! placeholders: the items are whatever the task pinned at run time.

use crate::helpers::{PASSWORD, TestApp, TestUser, World, code, enterprise_body, on_each_backend, world};
use anjian::auth::Role;
use anjian::entities::{hazard, self_inspection_task as task};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

async fn again(app: &TestApp, username: &str) -> String {
    let (status, v) = app.login(username, PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v["token"].as_str().unwrap().to_owned()
}

async fn put(app: &TestApp, token: &str, path: &str, body: &Value) -> (StatusCode, Value) {
    app.send(app.client.put(app.url(path)).bearer_auth(token).json(body)).await
}

/// An ad hoc task over every applicable item, assigned to the safety officer.
async fn ad_hoc(app: &TestApp, w: &World, token: &str) -> Value {
    let body = json!({"kind": "accident_analogy", "due_on": "2026-11-30", "assignee_id": w.officer.id});
    let (status, t) = app.post(token, "/api/v1/self-inspection-tasks", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    assert!(!t["items"].as_array().unwrap().is_empty(), "{t}");
    t
}

fn codes(t: &Value) -> Vec<String> {
    t["items"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap().to_owned()).collect()
}

async fn complete(app: &TestApp, token: &str, id: i64) -> Value {
    let (status, t) = app.post(token, &format!("/api/v1/self-inspection-tasks/{id}/complete"), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{t}");
    t
}

#[tokio::test]
async fn a_self_inspection_with_nothing_found_keeps_a_row_per_item() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let t = ad_hoc(&app, &w, &w.principal.token).await;
        let id = t["id"].as_i64().unwrap();
        let all = codes(&t);
        assert!(t["items"].as_array().unwrap().iter().all(|i| i["outcome"] == "unchecked"), "{t}");
        // The assignee has a to-do for it, with the due date.
        let (_, todos) = app.get(&w.officer.token, "/api/v1/todos").await;
        let link = format!("/self-inspection/tasks/{id}");
        assert!(todos["items"].as_array().unwrap().iter().any(|x| x["link"] == link.as_str()), "{todos}");

        // Every item but the last checked 符合 or 不适用; the last left unrecorded.
        let body: Vec<Value> = all[..all.len() - 1]
            .iter()
            .enumerate()
            .map(|(n, c)| json!({"code": c, "outcome": if n % 2 == 0 { "conform" } else { "not_applicable" }}))
            .collect();
        if !body.is_empty() {
            let (status, v) =
                put(&app, &w.officer.token, &format!("/api/v1/self-inspection-tasks/{id}/results"), &json!(body)).await;
            assert_eq!(status, StatusCode::OK, "{v}");
        }
        let done = complete(&app, &w.officer.token, id).await;
        assert_eq!((done["status"].as_str(), done["findings"].as_i64()), (Some("completed"), Some(0)), "{done}");
        assert_eq!(codes(&done), all, "every pinned item keeps its row");
        assert_eq!(done["counts"]["total"].as_i64(), Some(i64::try_from(all.len()).unwrap()));
        assert_eq!(done["counts"]["unchecked"].as_i64(), Some(1), "the item never recorded stays 未检查: {done}");
        assert_eq!(done["items"][0]["outcome"], "conform");
        assert_eq!(done["allowed_actions"], json!([]));
        let linked = hazard::Entity::find()
            .filter(hazard::Column::SelfInspectionTaskId.eq(id))
            .count(app.state.db.conn())
            .await
            .unwrap();
        assert_eq!(linked, 0);
        // The to-do is done; a completed task takes no more results.
        let (_, todos) = app.get(&w.officer.token, "/api/v1/todos").await;
        assert!(!todos["items"].as_array().unwrap().iter().any(|x| x["link"] == link.as_str()), "{todos}");
        let one = json!([{"code": all[0], "outcome": "non_conform"}]);
        let (status, v) =
            put(&app, &w.officer.token, &format!("/api/v1/self-inspection-tasks/{id}/results"), &one).await;
        assert_eq!((status, v["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("task_completed")));
    })
    .await;
}

#[tokio::test]
async fn a_non_conform_item_becomes_one_linked_self_found_hazard_even_on_retry() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let t = ad_hoc(&app, &w, &w.principal.token).await;
        let id = t["id"].as_i64().unwrap();
        let item = &t["items"][0];
        let code = item["code"].as_str().unwrap();
        let results = format!("/api/v1/self-inspection-tasks/{id}/results");
        // Every problem at once: an unknown item, a photo on a 符合 item.
        let bad = json!([{"code": "NO-SUCH", "outcome": "conform"}, {"code": code, "outcome": "conform", "attachment_ids": [1]}]);
        let (status, v) = put(&app, &w.officer.token, &results, &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["error"]["fields"]["results[0].code"].is_array() && v["error"]["fields"]["results[1].attachment_ids"].is_array(), "{v}");
        let (_, photo) = app.upload(&w.officer.token, "/api/v1/attachments", "a.png", b"\x89PNG\r\n\x1a\nxx".to_vec()).await;
        let one = json!([{"code": code, "outcome": "non_conform", "note": "罐区可燃气体报警器失效", "attachment_ids": [photo["id"]]}]);
        let (status, v) = put(&app, &w.officer.token, &results, &one).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["items"][0]["outcome_label"], "不符合");

        let path = format!("/api/v1/self-inspection-tasks/{id}/complete");
        let keyed = || app.client.post(app.url(&path)).bearer_auth(&w.officer.token).header("Idempotency-Key", "k-1").json(&json!({}));
        let (status, first) = app.send(keyed()).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        let (status, replay) = app.send(keyed()).await;
        assert_eq!((status, &replay), (StatusCode::OK, &first), "the retry gets the first answer");
        let (status, v) = app.post(&w.officer.token, &path, &json!({})).await;
        assert_eq!((status, v["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("task_completed")));

        assert_eq!(first["findings"].as_i64(), Some(1));
        let hazard_id = first["items"][0]["hazard_id"].as_i64().expect("the item names its hazard");
        let rows = hazard::Entity::find().filter(hazard::Column::SelfInspectionTaskId.eq(id)).all(app.state.db.conn()).await.unwrap();
        assert_eq!(rows.len(), 1, "never duplicated");
        assert_eq!(rows[0].id, hazard_id);
        assert_eq!(rows[0].checklist_item_code.as_deref(), Some(code));
        let (status, h) = app.get(&w.principal.token, &format!("/api/v1/hazards/{hazard_id}")).await;
        assert_eq!(status, StatusCode::OK, "{h}");
        assert_eq!((h["source"].as_str(), h["enterprise_id"].as_i64()), (Some("self_check"), Some(w.enterprise)));
        assert_eq!(h["level"].as_str(), item["severity"].as_str(), "level from the item's severity");
        let basis = item["basis"].as_str().unwrap();
        assert!(h["description"].as_str().unwrap().contains(basis), "判定依据 in the description: {h}");
        assert_eq!(h["attachments"].as_array().map(Vec::len), Some(1), "{h}");
        // The regulator sees the hazard and the task.
        let (status, _) = app.get(&w.reg.token, &format!("/api/v1/self-inspection-tasks/{id}")).await;
        assert_eq!(status, StatusCode::OK);
    })
    .await;
}

async fn plan(app: &TestApp, token: &str, body: Value) -> i64 {
    let (status, p) = app.post(token, "/api/v1/self-inspection-plans", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    p["id"].as_i64().unwrap()
}

async fn tasks_of(app: &TestApp, plan_id: i64) -> Vec<task::Model> {
    task::Entity::find().filter(task::Column::PlanId.eq(plan_id)).all(app.state.db.conn()).await.unwrap()
}

#[tokio::test]
async fn tasks_are_generated_once_per_plan_and_period() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        // The configured default: a unit's comprehensive 排查 is quarterly.
        let (status, p) = app
            .post(&w.officer.token, "/api/v1/self-inspection-plans", &json!({"kind": "comprehensive", "level": "unit"}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{p}");
        assert_eq!((p["frequency"].as_str(), p["assignee_id"].as_i64()), (Some("quarterly"), Some(w.officer.id)));
        let monthly = plan(
            &app,
            &w.principal.token,
            json!({"kind": "daily", "level": "unit", "frequency": "monthly", "assignee_id": w.officer.id}),
        )
        .await;
        let as_needed = plan(&app, &w.principal.token, json!({"kind": "holiday", "level": "enterprise"})).await;
        let retired = plan(&app, &w.principal.token, json!({"kind": "seasonal", "level": "post"})).await;
        let (status, v) = app
            .patch(&w.principal.token, &format!("/api/v1/self-inspection-plans/{retired}"), &json!({"active": false}))
            .await;
        assert_eq!((status, v["active"].as_bool()), (StatusCode::OK, Some(false)), "{v}");

        let first = anjian::jobs::run_due(&app.state).await.unwrap();
        assert_eq!(first.self_inspection.created, 2, "{first:?}");
        let again_ = anjian::jobs::run_due(&app.state).await.unwrap();
        assert_eq!(again_.self_inspection.created, 0, "a second run makes nothing");
        let made = tasks_of(&app, monthly).await;
        assert_eq!(made.len(), 1);
        assert_eq!((made[0].period.as_deref(), made[0].due_on.to_string().as_str()), (Some("2026-11"), "2026-11-30"));
        assert!(tasks_of(&app, as_needed).await.is_empty() && tasks_of(&app, retired).await.is_empty());
        // Calling the generator directly on the same day, twice in one transaction, makes nothing either.
        let ctx = app.state.audit_ctx("system:test".into());
        let txn = app.state.db.begin_write().await.unwrap();
        let r1 = anjian::self_inspection::generate::run(&txn, &ctx).await.unwrap();
        let r2 = anjian::self_inspection::generate::run(&txn, &ctx).await.unwrap();
        txn.commit().await.unwrap();
        assert_eq!((r1.created, r2.created), (0, 0));
        // The next month: one more.
        app.clock.set(at("2026-12-01T01:00:00Z"));
        anjian::jobs::run_due(&app.state).await.unwrap();
        anjian::jobs::run_due(&app.state).await.unwrap();
        assert_eq!(tasks_of(&app, monthly).await.len(), 2);
        // The open November task is overdue now.
        let token = again(&app, "aqy").await;
        let (status, list) = app.get(&token, "/api/v1/self-inspection-tasks?overdue=true").await;
        assert_eq!(status, StatusCode::OK, "{list}");
        assert_eq!(list["total"].as_u64(), Some(1), "{list}");
        assert_eq!(
            (list["items"][0]["status_label"].as_str(), list["items"][0]["period"].as_str()),
            (Some("已逾期"), Some("2026-11"))
        );
    })
    .await;
}

/// A second enterprise of the county with its principal.
async fn second(app: &TestApp, reg: &TestUser) -> (i64, TestUser) {
    let body = enterprise_body(&code("420103", 2), "乙化工有限公司", "hazardous_chemicals", "hc_production", "420103");
    let e = app.enterprise(&reg.token, body).await;
    (e, app.user("yiboss").role(Role::Principal).enterprise(e).create().await)
}

#[tokio::test]
async fn the_overview_gives_rates_and_warns_of_enterprises_that_keep_finding_nothing() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let (yi, yi_boss) = second(&app, &w.reg).await;
        // 甲: three tasks, nothing found in any; a fourth left open.
        for _ in 0..3 {
            let t = ad_hoc(&app, &w, &w.principal.token).await;
            complete(&app, &w.principal.token, t["id"].as_i64().unwrap()).await;
        }
        ad_hoc(&app, &w, &w.principal.token).await;
        // 乙: three tasks, one with a 不符合 item.
        for n in 0..3 {
            let body = json!({"kind": "seasonal", "due_on": "2026-11-30"});
            let (status, t) = app.post(&yi_boss.token, "/api/v1/self-inspection-tasks", &body).await;
            assert_eq!(status, StatusCode::CREATED, "{t}");
            let id = t["id"].as_i64().unwrap();
            if n == 0 {
                let one = json!([{"code": t["items"][0]["code"], "outcome": "non_conform"}]);
                let (status, v) =
                    put(&app, &yi_boss.token, &format!("/api/v1/self-inspection-tasks/{id}/results"), &one).await;
                assert_eq!(status, StatusCode::OK, "{v}");
            }
            complete(&app, &yi_boss.token, id).await;
        }
        let (status, o) = app.get(&w.reg.token, "/api/v1/self-inspection/overview?from=2026-11-01&to=2026-11-30").await;
        assert_eq!(status, StatusCode::OK, "{o}");
        assert_eq!(o["total"].as_u64(), Some(2), "{o}");
        let row = |e: i64| o["items"].as_array().unwrap().iter().find(|r| r["enterprise_id"] == e).unwrap().clone();
        let (jia, yi_row) = (row(w.enterprise), row(yi));
        assert_eq!(
            (jia["due"].as_i64(), jia["completed"].as_i64(), jia["completion_rate"].as_f64()),
            (Some(4), Some(3), Some(75.0)),
            "{jia}"
        );
        assert_eq!((jia["findings"].as_i64(), jia["zero_findings_warning"].as_bool()), (Some(0), Some(true)), "{jia}");
        assert_eq!(
            (yi_row["completion_rate"].as_f64(), yi_row["findings"].as_i64()),
            (Some(100.0), Some(1)),
            "{yi_row}"
        );
        assert_eq!(yi_row["zero_findings_warning"].as_bool(), Some(false));
        let (_, warned) = app.get(&w.reg.token, "/api/v1/self-inspection/overview?warning=true").await;
        assert_eq!(
            (warned["total"].as_u64(), warned["items"][0]["enterprise_id"].as_i64()),
            (Some(1), Some(w.enterprise)),
            "{warned}"
        );
        // Not for enterprise users; the paging is bounded.
        let (status, _) = app.get(&w.principal.token, "/api/v1/self-inspection/overview").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = app.get(&w.reg.token, "/api/v1/self-inspection/overview?limit=1000").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        // Overdue once the due date has passed.
        app.clock.set(at("2026-12-02T01:00:00Z"));
        let token = again(&app, "reg").await;
        let (_, o) = app.get(&token, "/api/v1/self-inspection/overview?from=2026-11-01&to=2026-11-30").await;
        let jia = o["items"].as_array().unwrap().iter().find(|r| r["enterprise_id"] == w.enterprise).unwrap().clone();
        assert_eq!(jia["overdue"].as_i64(), Some(1), "{jia}");
    })
    .await;
}

#[tokio::test]
async fn the_quarterly_statistics_count_completed_self_inspections() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        for _ in 0..2 {
            let t = ad_hoc(&app, &w, &w.principal.token).await;
            complete(&app, &w.officer.token, t["id"].as_i64().unwrap()).await;
        }
        ad_hoc(&app, &w, &w.principal.token).await; // open: not counted
        app.clock.set(at("2027-01-05T02:00:00Z"));
        let token = again(&app, "aqy").await;
        let (status, report) = app.post(&token, "/api/v1/hazard-statistics", &json!({"period": "2026Q4"})).await;
        assert_eq!(status, StatusCode::OK, "{report}");
        assert_eq!(report["figures"]["self_inspections"].as_i64(), Some(2), "{report}");
        let (status, again_) = app.get(&token, &format!("/api/v1/hazard-statistics/{}", report["id"])).await;
        assert_eq!((status, again_["figures"]["self_inspections"].as_i64()), (StatusCode::OK, Some(2)));
        let (status, page) = app
            .send(app.client.get(app.url(&format!("/hazard-statistics/{}", report["id"]))).bearer_auth(&token))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.as_str().unwrap().contains("排查次数"), "the report page shows 排查次数");
    })
    .await;
}

#[tokio::test]
async fn another_enterprises_plans_and_tasks_answer_404() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let (_, stranger) = second(&app, &w.reg).await;
        let t = ad_hoc(&app, &w, &w.principal.token).await;
        let id = t["id"].as_i64().unwrap();
        let p = plan(&app, &w.principal.token, json!({"kind": "daily", "level": "post"})).await;
        let other = app.user("far").role(Role::Regulator).region("420104").create().await;
        for token in [&stranger.token, &other.token] {
            let (status, _) = app.get(token, &format!("/api/v1/self-inspection-tasks/{id}")).await;
            assert_eq!(status, StatusCode::NOT_FOUND);
            let (status, _) = app.get(token, &format!("/api/v1/self-inspection-plans/{p}")).await;
            assert_eq!(status, StatusCode::NOT_FOUND);
            let (_, list) = app.get(token, "/api/v1/self-inspection-tasks").await;
            assert_eq!(list["total"].as_u64(), Some(0), "{list}");
        }
        let one = json!([{"code": t["items"][0]["code"], "outcome": "conform"}]);
        let (status, _) = put(&app, &stranger.token, &format!("/api/v1/self-inspection-tasks/{id}/results"), &one).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.post(&stranger.token, &format!("/api/v1/self-inspection-tasks/{id}/complete"), &json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.patch(&stranger.token, &format!("/api/v1/self-inspection-plans/{p}"), &json!({"active": false})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // An assignee from another enterprise is refused with the others' problems.
        let body = json!({"kind": "daily", "level": "post", "assignee_id": stranger.id, "item_codes": ["NO-SUCH"], "title": " "});
        let (status, v) = app.post(&w.principal.token, "/api/v1/self-inspection-plans", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        for f in ["assignee_id", "item_codes", "title"] {
            assert!(v["error"]["fields"][f].is_array(), "{f}: {v}");
        }
    })
    .await;
}
