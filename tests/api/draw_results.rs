//! 一公开: the result of each drawn task (who, when, the register's status), the
//! publication and the public pages, the 20-working-day deadline across a holiday,
//! the late job, the results workbook and the 抽查事项清单.

use crate::helpers::{PASSWORD, TestApp, TestUser, code, enterprise_body, on_each_backend, sheet_rows};
use crate::inspection_support::{inspector, pending_inspection};
use anjian::auth::Role;
use anjian::clock::Clock;
use anjian::entities::{draw, draw_task, enterprise_status_history as history, inspection, todo};
use reqwest::StatusCode;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

/// A regulator, two inspectors of the county and a draw of `n` enterprises, each
/// task with a pending `double_random` inspection by the two.
pub struct Drawn {
    pub reg: TestUser,
    pub a: TestUser,
    pub b: TestUser,
    pub draw: i64,
    pub tasks: Vec<i64>,
    pub enterprises: Vec<i64>,
    pub inspections: Vec<i64>,
}

fn hash() -> String {
    "0".repeat(64)
}

/// The draw's row as the draw would have left it after execution (inputs not needed here).
fn draw_row(app: &TestApp, bureau_id: i64, created_by: i64, n: i32) -> draw::ActiveModel {
    let now = app.clock.now();
    draw::ActiveModel {
        bureau_id: Set(bureau_id),
        title: Set("2026年第四季度危险化学品双随机抽查".into()),
        status: Set(anjian::draw::domain::Status::Executed),
        include_subordinates: Set(false),
        filter: Set(json!({"sectors": ["hazardous_chemicals"]}).to_string()),
        request: Set("{}".into()),
        planned_date: Set(app.clock.today()),
        plan_id: Set(None),
        supersedes_id: Set(None),
        redraw_reason: Set(None),
        superseded_by_id: Set(None),
        algorithm: Set(anjian::draw::domain::ALGORITHM.into()),
        hash_alg: Set("sha256".into()),
        pool_hash: Set(hash()),
        enterprises_hash: Set(hash()),
        inspectors_hash: Set(hash()),
        exclusions_hash: Set(hash()),
        parameters_hash: Set(hash()),
        inspector_ids_hash: Set(hash()),
        commitment: Set(hash()),
        secret_mode: Set(anjian::draw::domain::SecretMode::Server),
        held_secret: Set(None),
        secret: Set(Some("s".into())),
        public_entropy: Set(None),
        seed: Set(Some(hash())),
        enterprise_count: Set(n),
        inspector_count: Set(2),
        sample_count: Set(n),
        unstaffed_count: Set(0),
        created_by: Set(created_by),
        committed_at: Set(now),
        executed_by: Set(Some(created_by)),
        executed_at: Set(Some(now)),
        version: Set(1),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Builds [`Drawn`] with `n` hazardous-chemicals enterprises of county 420103.
pub async fn drawn(app: &TestApp, count: u32) -> Drawn {
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let first = inspector(app, "insp_a", "420103").await;
    let second = inspector(app, "insp_b", "420103").await;
    let mut enterprises = Vec::new();
    let mut inspections = Vec::new();
    for i in 0..count {
        let body = enterprise_body(
            &code("420103", 100 + i),
            &format!("抽中化工{i}有限公司"),
            "hazardous_chemicals",
            "hc_production",
            "420103",
        );
        let id = app.enterprise(&reg.token, body).await;
        let v = pending_inspection(app, &reg, &[&first, &second], id).await;
        enterprises.push(id);
        inspections.push(v["id"].as_i64().unwrap());
    }
    let (_, me) = app.get(&reg.token, "/api/v1/auth/me").await;
    let bureau_id = me["bureau"]["id"].as_i64().unwrap();
    let db = app.state.db.conn();
    let row = draw_row(app, bureau_id, reg.id, i32::try_from(count).unwrap()).insert(db).await.unwrap();
    crate::draw_support::store_pool(db, row.id, None).await;
    let mut tasks = Vec::new();
    for (seq, (e, i)) in enterprises.iter().zip(&inspections).enumerate() {
        let found = inspection::Entity::find_by_id(*i).one(db).await.unwrap().unwrap();
        let mut m: inspection::ActiveModel = found.into();
        m.kind = Set(anjian::inspection::domain::Kind::DoubleRandom);
        m.draw_id = Set(Some(row.id));
        m.update(db).await.unwrap();
        let credit = anjian::entities::enterprise::Entity::find_by_id(*e).one(db).await.unwrap().unwrap().credit_code;
        let t = draw_task::ActiveModel {
            draw_id: Set(row.id),
            seq: Set(i32::try_from(seq).unwrap()),
            enterprise_id: Set(*e),
            credit_code: Set(credit),
            certificate_nos: Set(json!(["42010300001", "42010300001"]).to_string()),
            inspector_ids: Set(json!([first.id, second.id]).to_string()),
            inspection_id: Set(Some(*i)),
            result: Set(None),
            result_note: Set(None),
            result_by: Set(None),
            result_at: Set(None),
            published_at: Set(None),
            published_by: Set(None),
            version: Set(1),
            updated_at: Set(app.clock.now()),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        tasks.push(t.id);
    }
    Drawn { reg, a: first, b: second, draw: row.id, tasks, enterprises, inspections }
}

/// A draw of the regulator's bureau with one task: `inspection` of `enterprise` (for the role matrix).
pub async fn draw_of(app: &TestApp, reg: &TestUser, enterprise: i64, inspection: i64) -> (i64, i64) {
    let (_, me) = app.get(&reg.token, "/api/v1/auth/me").await;
    let db = app.state.db.conn();
    let d = draw_row(app, me["bureau"]["id"].as_i64().unwrap(), reg.id, 1).insert(db).await.unwrap();
    crate::draw_support::store_pool(db, d.id, None).await;
    let credit =
        anjian::entities::enterprise::Entity::find_by_id(enterprise).one(db).await.unwrap().unwrap().credit_code;
    let t = draw_task::ActiveModel {
        draw_id: Set(d.id),
        seq: Set(0),
        enterprise_id: Set(enterprise),
        credit_code: Set(credit),
        certificate_nos: Set("[]".into()),
        inspector_ids: Set("[]".into()),
        inspection_id: Set(Some(inspection)),
        version: Set(1),
        updated_at: Set(app.clock.now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    (d.id, t.id)
}

/// Marks an inspection completed (the record's own completion is tested with inspections).
pub async fn complete(app: &TestApp, id: i64) {
    let db = app.state.db.conn();
    let row = inspection::Entity::find_by_id(id).one(db).await.unwrap().unwrap();
    let mut m: inspection::ActiveModel = row.into();
    m.status = Set(anjian::inspection::domain::Status::Completed);
    m.started_at = Set(Some(app.clock.now()));
    m.completed_at = Set(Some(app.clock.now()));
    m.update(db).await.unwrap();
}

fn result_path(task: i64) -> String {
    format!("/api/v1/draw-tasks/{task}/result")
}

#[tokio::test]
async fn results_follow_the_inspection_and_only_the_team_or_the_bureau_records_them() {
    on_each_backend(|app| async move {
        let s = drawn(&app, 3).await;
        let other = inspector(&app, "insp_c", "420103").await;
        let elsewhere = app.user("reg_elsewhere").role(Role::Regulator).region("420104").create().await;
        let boss = app.user("boss").role(Role::Principal).enterprise(s.enterprises[0]).create().await;
        let body = json!({"result": "no_problem"});
        let (st, v) = app.post(&other.token, &result_path(s.tasks[0]), &body).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "an inspector off the team: {v}");
        assert_eq!(app.post(&boss.token, &result_path(s.tasks[0]), &body).await.0, StatusCode::FORBIDDEN);
        assert_eq!(app.post(&elsewhere.token, &result_path(s.tasks[0]), &body).await.0, StatusCode::NOT_FOUND);
        let (st, v) = app.post(&s.a.token, &result_path(s.tasks[0]), &body).await;
        assert_eq!(
            (st, v["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("result_not_allowed")),
            "pending: {v}"
        );

        complete(&app, s.inspections[0]).await;
        let (st, list) = app.get(&s.reg.token, &format!("/api/v1/draws/{}/results", s.draw)).await;
        assert_eq!(st, StatusCode::OK, "{list}");
        assert_eq!(list["items"][0]["suggested"], "no_problem", "no hazards found: {list}");
        assert_eq!(list["publish_within_working_days"], 20);
        let bad = json!({"result": "no_problem", "register_status": "closed", "note": "x".repeat(5001)});
        let (st, v) = app.post(&s.a.token, &result_path(s.tasks[0]), &bad).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(
            v["error"]["fields"]["note"].is_array() && v["error"]["fields"]["register_status"].is_array(),
            "every problem: {v}"
        );
        let chosen = json!({"result": "rectification_ordered", "note": "责令限期整改两项"});
        let (st, v) = app.post(&s.a.token, &result_path(s.tasks[0]), &chosen).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(
            (v["result"].as_str(), v["suggested"].as_str()),
            (Some("rectification_ordered"), Some("no_problem"))
        );

        // Nothing to inspect: the pending inspection is cancelled, the register updated with history.
        let (st, v) = app.post(&s.b.token, &result_path(s.tasks[1]), &json!({"result": "not_found"})).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["inspection_status"], "cancelled", "{v}");
        let (st, v) = app.post(&s.reg.token, &result_path(s.tasks[2]), &json!({"result": "closed_or_suspended"})).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        for (e, status) in [(s.enterprises[1], "closed"), (s.enterprises[2], "suspended")] {
            let (_, row) = app.get(&s.reg.token, &format!("/api/v1/enterprises/{e}")).await;
            assert_eq!(row["status"], status, "{row}");
            let h = history::Entity::find()
                .filter(history::Column::EnterpriseId.eq(e))
                .all(app.state.db.conn())
                .await
                .unwrap();
            let newest = h.iter().max_by_key(|r| r.id).unwrap();
            assert_eq!(newest.status.as_str(), status);
            assert_eq!(
                newest.previous_status.map(anjian::enterprise::domain::EnterpriseStatus::as_str),
                Some("operating")
            );
            assert!(newest.reason.as_deref().is_some_and(|r| r.contains("双随机抽查结果")), "{newest:?}");
        }
        let (_, i) = app.get(&s.reg.token, &format!("/api/v1/inspections/{}", s.inspections[1])).await;
        assert_eq!(i["status"], "cancelled", "{i}");
    })
    .await;
}

#[tokio::test]
async fn the_public_page_shows_exactly_what_was_published_and_corrections_as_new_publications() {
    on_each_backend(|app| async move {
        let s = drawn(&app, 2).await;
        for i in &s.inspections {
            complete(&app, *i).await;
        }
        let note = "负责人张某某电话13800000000";
        let body = json!({"result": "rectification_ordered", "note": note});
        assert_eq!(app.post(&s.a.token, &result_path(s.tasks[0]), &body).await.0, StatusCode::OK);
        let publish = format!("/api/v1/draws/{}/publish", s.draw);
        let (st, v) = app.post(&s.a.token, &publish, &json!({})).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "an inspector does not publish: {v}");
        let (st, v) = app.post(&s.reg.token, &publish, &json!({})).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["published"].as_array().unwrap().len(), 1, "only the task with a result: {v}");
        assert_eq!(v["published"][0]["result_label"], "责令整改");
        let (st, v) = app.post(&s.reg.token, &publish, &json!({})).await;
        assert_eq!((st, v["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("nothing_to_publish")));

        let page = || async { app.client.get(app.url("/public/results")).send().await.unwrap().text().await.unwrap() };
        let html = page().await;
        assert!(html.contains("抽中化工0有限公司") && html.contains("责令整改"), "{html}");
        assert!(!html.contains("抽中化工1有限公司"), "an unpublished task is not shown");
        for personal in [note, "insp_a", "insp_b", "42010300001", "reg"] {
            assert!(!html.contains(personal), "{personal} on the public page");
        }
        // A correction changes nothing publicly until it is published, then shows as 更正.
        let fix = json!({"result": "case_filed"});
        assert_eq!(app.post(&s.reg.token, &result_path(s.tasks[0]), &fix).await.0, StatusCode::OK);
        let html = page().await;
        assert!(html.contains("责令整改") && !html.contains("立案查处"), "not silently changed");
        let (st, v) = app.post(&s.reg.token, &publish, &json!({})).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["published"][0]["corrected"], true, "{v}");
        let html = page().await;
        assert!(html.contains("立案查处") && html.contains("更正") && !html.contains("责令整改"), "{html}");
        assert!(html.contains("共 1 条"), "one current publication per task");
        let (_, me) = app.get(&s.reg.token, "/api/v1/auth/me").await;
        let bureau = me["bureau"]["id"].as_i64().unwrap();
        let filtered =
            app.client.get(app.url(&format!("/public/results?bureau={bureau}&year=2025"))).send().await.unwrap();
        assert!(filtered.text().await.unwrap().contains("共 0 条"), "filtered by year");
    })
    .await;
}

#[tokio::test]
async fn the_deadline_counts_working_days_across_the_national_day_and_the_late_job_flags_once() {
    on_each_backend(|app| async move {
        let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc();
        app.clock.set(at("2026-09-21T02:00:00Z"));
        let s = drawn(&app, 1).await;
        complete(&app, s.inspections[0]).await;
        let (st, v) = app.post(&s.a.token, &result_path(s.tasks[0]), &json!({"result": "no_problem"})).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        // 中秋 25–27 September, 国庆 1–7 October, 10 October worked: 20 working days end on 26 October
        // (without the holidays they would end on 19 October).
        assert_eq!(v["publish_by"], "2026-10-26", "{v}");
        let db = app.state.db.conn();
        let late =
            || async { todo::Entity::find().filter(todo::Column::Kind.eq("draw_publish_late")).all(db).await.unwrap() };
        app.clock.set(at("2026-10-26T08:00:00Z"));
        assert_eq!(anjian::jobs::run_due(&app.state).await.unwrap().draw_publication.late, 0, "due today is not late");
        assert!(late().await.is_empty());
        app.clock.set(at("2026-10-27T01:00:00Z"));
        assert_eq!(anjian::jobs::run_due(&app.state).await.unwrap().draw_publication.late, 1);
        anjian::jobs::run_due(&app.state).await.unwrap();
        let items = late().await;
        assert_eq!(items.len(), 1, "once per task whatever the reruns");
        assert_eq!(items[0].role.map(Role::as_str), Some("regulator"));
        assert!(items[0].due_on.is_some_and(|d| d.to_string() == "2026-10-26") && items[0].done_at.is_none());
        let (st, v) = app.login("reg", PASSWORD).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        let token = v["token"].as_str().unwrap();
        let (st, list) = app.get(token, &format!("/api/v1/draws/{}/results", s.draw)).await;
        assert_eq!((st, list["items"][0]["late"].as_bool()), (StatusCode::OK, Some(true)), "{list}");
        let (st, v) = app.post(token, &format!("/api/v1/draws/{}/publish", s.draw), &json!({})).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert!(late().await[0].done_at.is_some(), "publishing closes the to-do");
    })
    .await;
}

#[tokio::test]
async fn the_results_workbook_has_one_row_per_task_in_the_platform_layout() {
    on_each_backend(|app| async move {
        let s = drawn(&app, 2).await;
        complete(&app, s.inspections[0]).await;
        let body = json!({"result": "rectification_ordered", "note": "责令限期整改"});
        assert_eq!(app.post(&s.a.token, &result_path(s.tasks[0]), &body).await.0, StatusCode::OK);
        assert_eq!(
            app.post(&s.reg.token, &format!("/api/v1/draws/{}/publish", s.draw), &json!({})).await.0,
            StatusCode::OK
        );
        let res = app.client.get(app.url(&format!("/api/v1/draws/{}/results.xlsx", s.draw))).bearer_auth(&s.reg.token);
        let res = res.send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let rows = sheet_rows(res.bytes().await.unwrap().to_vec(), "抽查结果");
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert_eq!(rows[0], anjian::draw::results_xlsx::HEADERS.map(str::to_owned).to_vec());
        let today = app.clock.today().to_string();
        let first = &rows[1];
        assert_eq!(first[0], "2026年第四季度危险化学品双随机抽查");
        assert_eq!((first[1].as_str(), first[2].as_str()), ("定向", "危险化学品安全生产监督检查"));
        assert_eq!(first[3], "抽中化工0有限公司");
        assert_eq!(first[4], code("420103", 100));
        assert_eq!(first[6], "insp_a（42010300001）、insp_b（42010300001）");
        assert_eq!(
            (first[7].as_str(), first[8].as_str(), first[9].as_str()),
            (today.as_str(), "责令整改", "责令限期整改")
        );
        assert_eq!(first[10], today);
        assert_eq!((rows[2][8].as_str(), rows[2][10].as_str()), ("", ""), "no result yet: {:?}", rows[2]);
        let boss = app.user("boss").role(Role::Principal).enterprise(s.enterprises[0]).create().await;
        let res = app.client.get(app.url(&format!("/api/v1/draws/{}/results.xlsx", s.draw))).bearer_auth(&boss.token);
        assert_eq!(res.send().await.unwrap().status(), StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn the_spot_check_item_list_ships_defaults_and_takes_the_bureaus_own_items() {
    on_each_backend(|app| async move {
        let (st, list) = app.send(app.client.get(app.url("/api/v1/spot-check-items"))).await;
        assert_eq!(st, StatusCode::OK, "public: {list}");
        let shipped = list.as_array().unwrap().len();
        assert!(shipped >= 6 && list[0]["verified"] == false && list[0]["bureau_id"].is_null(), "{list}");
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let other = app.user("reg2").role(Role::Regulator).region("420104").create().await;
        let (st, v) = app.post(&reg.token, "/api/v1/spot-check-items", &json!({"subject": "", "object": "", "matter": "",
            "basis": "", "content": "", "method": "", "frequency": ""})).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(v["error"]["fields"].as_object().unwrap().len(), 7, "every field at once: {v}");
        let item = json!({"subject": "江汉区应急管理局", "object": "加油站", "matter": "加油站油气回收和动火作业管理",
            "basis": "《中华人民共和国安全生产法》第四十三条", "content": "动火作业审批", "method": "现场检查", "frequency": "每年抽查10%"});
        let (st, v) = app.post(&reg.token, "/api/v1/spot-check-items", &item).await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let id = v["id"].as_i64().unwrap();
        let html = app.client.get(app.url("/public/spot-check-items")).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("加油站油气回收和动火作业管理") && html.contains("未核实"), "{html}");
        let withdraw = format!("/api/v1/spot-check-items/{id}/withdraw");
        assert_eq!(app.post(&other.token, &withdraw, &json!({"reason": "不适用"})).await.0, StatusCode::NOT_FOUND);
        let (st, v) = app.post(&reg.token, &withdraw, &json!({"reason": "已并入通用事项"})).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        let (_, list) = app.send(app.client.get(app.url("/api/v1/spot-check-items"))).await;
        assert_eq!(list.as_array().unwrap().len(), shipped, "withdrawn items leave the list");
        let kept = anjian::entities::spot_check_item::Entity::find_by_id(id).one(app.state.db.conn()).await.unwrap();
        assert!(kept.is_some_and(|k| k.withdrawn_at.is_some()), "withdrawn, not deleted");
    })
    .await;
}
