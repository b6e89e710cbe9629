//! 特种作业人员: the enterprise lists its workers and their certificates, regulators
//! read and filter in scope, the nightly to-dos, the workers shown on the checklist
//! item about certificates, and the 持证率 figures for the indicator cockpit.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend};
use anjian::auth::Role;
use anjian::clock::Clock;
use anjian::entities::{audit_log, todo};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

pub const IDS: [&str; 4] = ["420103198001011238", "420103198512124568", "42010319900707789X", "420103199503033212"];
const PATH: &str = "/api/v1/special-operation-workers";

/// A hazchem producer in 420103 with its 主要负责人 and 安全管理人员.
pub async fn plant(app: &TestApp, reg: &TestUser, serial: u32) -> (i64, TestUser) {
    let body = enterprise_body(
        &code("420103", serial),
        &format!("化工{serial}号"),
        "hazardous_chemicals",
        "hc_production",
        "420103",
    );
    let id = app.enterprise(&reg.token, body).await;
    let boss = app.user(&format!("boss{serial}")).role(Role::Principal).enterprise(id).create().await;
    app.user(&format!("aqy{serial}")).role(Role::SafetyOfficer).enterprise(id).create().await;
    (id, boss)
}

/// A worker with a certificate issued on `issued` (expiry and review by default, or as given).
pub fn worker(enterprise: i64, name: &str, id: &str, issued: Option<&str>) -> Value {
    let mut w = json!({"enterprise_id": enterprise, "name": name, "id_number": id, "category": "electrician"});
    if let Some(d) = issued {
        w["certificate_no"] = json!(format!("T-{}", &id[14..]));
        w["issued_by"] = json!("武汉市应急管理局");
        w["issued_on"] = json!(d);
    }
    w
}

pub async fn list(app: &TestApp, token: &str, body: &Value) -> Value {
    let (status, v) = app.post(token, PATH, body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v
}

fn fields(v: &Value) -> Vec<String> {
    let mut f: Vec<String> = v["error"]["fields"].as_object().unwrap().keys().cloned().collect();
    f.sort();
    f
}

#[tokio::test]
async fn the_enterprise_lists_edits_and_ends_its_workers_and_every_problem_is_listed_at_once() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let (own, boss) = plant(&app, &reg, 1).await;
        let (other, stranger) = plant(&app, &reg, 2).await;
        let bad = json!({"enterprise_id": other, "name": " ", "id_number": "420103198001011239", "category": "x",
            "certificate_no": "T1", "listed_on": "2027-01-01"});
        let (status, v) = app.post(&boss.token, PATH, &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let want = ["category", "enterprise_id", "id_number", "issued_by", "issued_on", "listed_on", "name"];
        assert_eq!(fields(&v), want, "{v}");
        let (status, _) = app.post(&reg.token, PATH, &worker(own, "张三", IDS[0], None)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "regulators read, the enterprise writes");

        let a = list(&app, &boss.token, &worker(own, "张三", IDS[0], Some("2024-03-01"))).await;
        assert_eq!((a["status"].as_str(), a["expires_on"].as_str()), (Some("valid"), Some("2030-03-01")), "{a}");
        assert_eq!((a["review_due"].as_str(), a["id_number_masked"].as_str()), (Some("2027-03-01"), Some("4201**********1238")));
        assert!(!a.to_string().contains(IDS[0]), "the number is never answered: {a}");
        assert_eq!(a["allowed_actions"], json!(["edit", "end"]));
        let (status, v) = app.post(&boss.token, PATH, &worker(own, "张三", IDS[0], None)).await;
        assert_eq!((status, fields(&v)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["id_number".to_owned()]), "{v}");
        let b = list(&app, &boss.token, &worker(own, "李四", IDS[1], None)).await;
        assert_eq!(b["status"], "missing");

        let (status, v) = app.get(&reg.token, &format!("{PATH}?status=missing")).await;
        assert_eq!((status, v["total"].as_u64()), (StatusCode::OK, Some(1)), "{v}");
        assert_eq!(v["items"][0]["name"], "李四");
        assert_eq!(v["items"][0]["allowed_actions"], json!([]), "a regulator only reads");
        let renew = json!({"name": "李四", "category": "welding", "certificate_no": "H-1", "issued_by": "武汉市应急管理局",
            "issued_on": "2025-01-10", "review_due": "2027-01-10"});
        let b_path = format!("{PATH}/{}", b["id"]);
        let (status, v) = app.patch(&boss.token, &b_path, &renew).await;
        assert_eq!((status, v["status"].as_str()), (StatusCode::OK, Some("review_due")), "{v}");
        assert_eq!(v["id_number_masked"], "4201**********4568", "an empty number keeps the recorded one");
        let (_, v) = app.get(&reg.token, &format!("{PATH}?category=welding&status=review_due")).await;
        assert_eq!(v["total"], 1, "{v}");
        let named = |text: &str| format!("{PATH}?enterprise_name={}", urlencoding(text));
        let (_, v) = app.get(&reg.token, &named("化工1")).await;
        assert_eq!(v["total"], 2, "by part of the enterprise's name: {v}");
        let (_, v) = app.get(&reg.token, &named("化工9")).await;
        assert_eq!(v["total"], 0, "{v}");
        let (status, v) = app.get(&reg.token, &named(&"长".repeat(101))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");

        // Outside the scope: another enterprise's user gets 404, never the record.
        let (status, _) = app.get(&stranger.token, &b_path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.patch(&stranger.token, &b_path, &renew).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, v) = app.get(&stranger.token, PATH).await;
        assert_eq!(v["total"], 0);

        let end = json!({"ended_on": "2026-11-22", "reason": "调岗"});
        let (status, v) = app.post(&boss.token, &format!("{b_path}/end"), &end).await;
        assert_eq!((status, v["ended_on"].as_str()), (StatusCode::OK, Some("2026-11-22")), "{v}");
        let (status, _) = app.post(&boss.token, &format!("{b_path}/end"), &end).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, _) = app.patch(&boss.token, &b_path, &renew).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (_, v) = app.get(&reg.token, PATH).await;
        assert_eq!(v["total"], 1, "an ended listing leaves the running list");
        let (_, v) = app.get(&reg.token, &format!("{PATH}?include_ended=true")).await;
        assert_eq!((v["total"].as_u64(), v["categories"].as_array().map(Vec::len)), (Some(2), Some(11)));

        let audit = audit_log::Entity::find().order_by_asc(audit_log::Column::Seq).all(app.state.db.conn()).await.unwrap();
        let actions: Vec<&str> =
            audit.iter().filter(|r| r.entity == "special_operation_worker").map(|r| r.action.as_str()).collect();
        assert_eq!(actions, ["create", "create", "update", "end"]);
    })
    .await;
}

async fn open_todos(app: &TestApp, prefix: &str) -> Vec<todo::Model> {
    todo::Entity::find()
        .filter(todo::Column::DedupeKey.starts_with(prefix))
        .filter(todo::Column::DoneAt.is_null())
        .all(app.state.db.conn())
        .await
        .unwrap()
}

#[tokio::test]
async fn expiring_certificates_reviews_due_and_workers_without_one_become_todos_once() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let (own, boss) = plant(&app, &reg, 1).await;
        // Today is 2026-11-22: the window reaches 2027-01-21.
        let mut expiring = worker(own, "张三", IDS[0], Some("2020-12-20"));
        expiring["expires_on"] = json!("2026-12-20");
        let expiring = list(&app, &boss.token, &expiring).await;
        let mut review = worker(own, "李四", IDS[1], Some("2024-01-15"));
        review["review_due"] = json!("2027-01-10");
        list(&app, &boss.token, &review).await;
        list(&app, &boss.token, &worker(own, "王五", IDS[2], None)).await;
        list(&app, &boss.token, &worker(own, "赵六", IDS[3], Some("2025-06-01"))).await;

        let r = anjian::jobs::run_due(&app.state).await.unwrap();
        let s = &r.special_operations;
        assert_eq!((s.expiring, s.review_due, s.missing), (2, 2, 2), "one to-do per role: {s:?}");
        let again = anjian::jobs::run_due(&app.state).await.unwrap().special_operations;
        assert_eq!((again.expiring, again.review_due, again.missing), (0, 0, 0));

        let (status, v) = app.get(&boss.token, "/api/v1/todos").await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let text = v.to_string();
        assert!(text.contains("张三（电工作业）将于 2026-12-20 到期"), "{text}");
        assert!(text.contains("李四（电工作业）应于 2027-01-10 前复审"), "{text}");
        assert!(text.contains("王五（电工作业）尚未登记特种作业操作证"), "{text}");
        assert!(!text.contains("赵六"), "{text}");

        // A renewed certificate closes the to-do; the job adds none while it is valid.
        let prefix = format!("special_operation:{}:", expiring["id"]);
        assert_eq!(open_todos(&app, &prefix).await.len(), 2);
        let renewed = json!({"name": "张三", "category": "electrician", "certificate_no": "T-2026",
            "issued_by": "武汉市应急管理局", "issued_on": "2026-11-20"});
        let (status, v) = app.patch(&boss.token, &format!("{PATH}/{}", expiring["id"]), &renewed).await;
        assert_eq!((status, v["status"].as_str()), (StatusCode::OK, Some("valid")), "{v}");
        assert!(open_todos(&app, &prefix).await.is_empty());
        let after = anjian::jobs::run_due(&app.state).await.unwrap().special_operations;
        assert_eq!((after.expiring, after.review_due, after.missing), (0, 0, 0));
    })
    .await;
}

#[tokio::test]
async fn the_checklist_item_about_certificates_shows_the_enterprises_workers() {
    on_each_backend(|app| async move {
        use crate::inspection_support::{approved_inspection, inspector};
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let (own, boss) = plant(&app, &reg, 1).await;
        list(&app, &boss.token, &worker(own, "张三", IDS[0], Some("2024-03-01"))).await;
        let mut old = worker(own, "李四", IDS[1], Some("2019-01-01"));
        old["expires_on"] = json!("2025-01-01");
        list(&app, &boss.token, &old).await;
        list(&app, &boss.token, &worker(own, "王五", IDS[2], None)).await;
        let a = inspector(&app, "zfa", "420103").await;
        let b = inspector(&app, "zfb", "420103").await;
        let approver = app.user("spr").role(Role::Approver).region("420103").create().await;
        let id = approved_inspection(&app, &reg, &approver, &[&a, &b], own).await;
        let (status, v) = app.post(&a.token, &format!("/api/v1/inspections/{id}/start"), &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{v}");

        let (status, r) = app.get(&a.token, &format!("/api/v1/inspections/{id}/record")).await;
        assert_eq!(status, StatusCode::OK, "{r}");
        let so = &r["special_operations"];
        let counts = [&so["total"], &so["valid"], &so["expired"], &so["missing"]];
        assert_eq!(counts.map(|c| c.as_u64().unwrap()), [3, 1, 1, 1], "{so}");
        let codes: Vec<&str> = so["item_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
        assert!(!codes.is_empty());
        for c in &codes {
            let item = r["items"].as_array().unwrap().iter().find(|i| i["code"] == *c).unwrap();
            assert!(item["text"].as_str().unwrap().contains("特种作业"), "{item}");
        }
        assert_eq!(so["workers"][0]["status"], "expired", "expired and missing first: {so}");

        let res = reqwest::Client::new()
            .get(app.url(&format!("/inspections/{id}/record")))
            .header("cookie", format!("anjian_session={}", a.token))
            .send()
            .await
            .unwrap();
        let page = res.text().await.unwrap();
        assert!(page.contains(&format!("id=\"special-ops-{}\"", codes[0])), "{page}");
        assert!(page.contains("登记 3 人，持有效证书 1 人，证书过期 1 人，未持证 1 人"), "{page}");
        assert!(page.contains("李四（电工作业）") && page.contains("已过期"), "{page}");
    })
    .await;
}

#[tokio::test]
async fn the_indicator_counts_valid_certificates_among_listed_workers() {
    on_each_backend(|app| async move {
        use anjian::indicator::counts::Within;
        use anjian::special_operation::indicator;
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let (own, boss) = plant(&app, &reg, 1).await;
        for (i, name) in ["张三丰", "李四", "王五"].iter().enumerate() {
            list(&app, &boss.token, &worker(own, name, IDS[i], Some("2024-03-01"))).await;
        }
        let mut old = worker(own, "赵六", IDS[3], Some("2019-01-01"));
        old["expires_on"] = json!("2025-01-01");
        list(&app, &boss.token, &old).await;
        let db = app.state.db.conn();
        let today = app.clock.today();

        let c = indicator::counts(db, &Within::default(), today).await.unwrap();
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!((c[0].region_code.as_str(), c[0].numerator, c[0].denominator), ("420103", 3, 4), "75 %");
        assert_eq!(c[0].sector, Some(anjian::enterprise::domain::Sector::HazardousChemicals));
        let elsewhere = Within { region: Some(anjian::enterprise::domain::RegionCode::parse("110000").unwrap()) };
        assert!(indicator::counts(db, &elsewhere, today).await.unwrap().is_empty());
        let before = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert!(indicator::counts(db, &Within::default(), before).await.unwrap().is_empty(), "listed since today");

        let (_, user) = anjian::auth::service::open_session(&app.state, reg.id).await.unwrap();
        let r = indicator::records(db, &user, &Within::default(), today, 2).await.unwrap();
        assert_eq!((r.total, r.items.len()), (4, 2));
        assert!(!r.items[0].counted && r.items[0].label.starts_with('赵'), "not certified first: {r:?}");
        assert_eq!(r.items[1].label, "张** · 电工作业");
        assert!(r.items[1].counted && r.items[1].detail.contains("有效期 2024-03-01 至 2030-03-01"), "{r:?}");
        assert_eq!(r.items[1].href, format!("/enterprises/{own}/special-operations"));
        let all = indicator::records(db, &user, &Within::default(), today, 10).await.unwrap();
        assert_eq!(all.items.iter().filter(|i| i.counted).count(), 3);
        let fireworks_only =
            app.user("fwreg").role(Role::Regulator).region("420103").sectors(&["fireworks"]).create().await;
        let (_, narrow) = anjian::auth::service::open_session(&app.state, fireworks_only.id).await.unwrap();
        assert_eq!(indicator::records(db, &narrow, &Within::default(), today, 10).await.unwrap().total, 0);
    })
    .await;
}

/// Percent-encodes a query value (UTF-8).
fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}
