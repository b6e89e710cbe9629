//! Checklists: the shipped national ones listed with their hashes, bureau
//! checklists uploaded (all or nothing, every error listed, hostile files
//! refused cleanly) or posted as JSON, kept as versions, and the items that
//! apply to an enterprise by sector, sub-type, special topic and bureau chain.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend};
use anjian::auth::Role;
use reqwest::StatusCode;
use rust_xlsxwriter::Workbook;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

const IMPORT: &str = "/api/v1/checklists/import";

/// A checklist workbook: the header sheet from `head` (项目, 内容) and the item rows.
fn book(head: &[(&str, &str)], items: &[[&str; 10]]) -> Vec<u8> {
    let mut book = Workbook::new();
    let h = book.add_worksheet().set_name("检查表信息").unwrap();
    h.write_string(0, 0, "项目").unwrap();
    h.write_string(0, 1, "内容").unwrap();
    for (r, (k, v)) in (1_u32..).zip(head) {
        h.write_string(r, 0, *k).unwrap();
        h.write_string(r, 1, *v).unwrap();
    }
    let s = book.add_worksheet().set_name("检查项").unwrap();
    let columns = [
        "章节",
        "编号",
        "检查内容",
        "判定依据",
        "隐患级别(重大/一般)",
        "处罚依据",
        "适用行业",
        "适用企业类型",
        "适用专项",
        "已核实(是/否)",
    ];
    for (c, v) in (0_u16..).zip(columns) {
        s.write_string(0, c, v).unwrap();
    }
    for (r, row) in (1_u32..).zip(items) {
        for (c, v) in (0_u16..).zip(row.iter()) {
            if !v.is_empty() {
                s.write_string(r, c, *v).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

fn head(id: &str, version: &str) -> Vec<(&'static str, String)> {
    vec![
        ("编号", id.to_owned()),
        ("名称", "城区有限空间专项检查表".to_owned()),
        ("发布机关", "江岸区应急管理局".to_owned()),
        ("文号", "岸应急〔2026〕8号".to_owned()),
        ("施行日期", "2026-12-01".to_owned()),
        ("版本", version.to_owned()),
    ]
}

fn upload_book(id: &str, version: &str, items: &[[&str; 10]]) -> Vec<u8> {
    let h = head(id, version);
    let h: Vec<(&str, &str)> = h.iter().map(|(k, v)| (*k, v.as_str())).collect();
    book(&h, items)
}

/// Items for each kind of enterprise: hazardous chemicals; industry-trade with dust;
/// any enterprise; hazardous chemical storage only.
const ITEMS: [[&str; 10]; 4] = [
    ["一、危化", "JA-01", "罐区有毒气体报警仪定期检定", "区级规定第3条", "一般", "", "危险化学品", "", "", "是"],
    [
        "二、粉尘",
        "JA-02",
        "除尘系统按规定清灰",
        "区级规定第5条",
        "重大",
        "安全生产法第一百零二条",
        "工贸",
        "",
        "粉尘涉爆",
        "否",
    ],
    ["三、通用", "JA-03", "有限空间作业审批", "区级规定第7条", "一般", "", "", "", "", "是"],
    ["一、危化", "JA-04", "储存场所温湿度记录", "区级规定第9条", "一般", "", "危险化学品", "储存", "", ""],
];

async fn upload(app: &TestApp, u: &TestUser, bytes: Vec<u8>, dry_run: bool) -> (StatusCode, Value) {
    let path = if dry_run { format!("{IMPORT}?dry_run=true") } else { IMPORT.to_owned() };
    app.upload(&u.token, &path, "检查表.xlsx", bytes).await
}

fn codes_of(items: &Value) -> Vec<String> {
    items["items"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn shipped_checklists_are_listed_with_hashes_and_resolvable() {
    on_each_backend(|app| async move {
        let w = crate::helpers::world(&app).await;
        assert_eq!(
            anjian::checklist::shipped::all().len(),
            anjian::checklist::shipped::FILES.len(),
            "a shipped file does not load"
        );
        for user in [&w.reg, &w.principal] {
            let (status, list) = app.get(&user.token, "/api/v1/checklists").await;
            assert_eq!(status, StatusCode::OK, "{list}");
            for c in anjian::checklist::shipped::all() {
                let entry = list["items"].as_array().unwrap().iter().find(|e| e["checklist_id"] == c.id.as_str());
                let entry = entry.unwrap_or_else(|| panic!("{} not listed: {list}", c.id));
                assert_eq!(entry["national"], true);
                let current = &entry["versions"][0];
                assert_eq!(current["hash"], c.hash().as_str());
                assert_eq!(current["current"], true);
                let (status, v) = app.get(&user.token, &format!("/api/v1/checklists/{}", c.hash())).await;
                assert_eq!(status, StatusCode::OK, "{v}");
                assert_eq!(v["checklist"]["id"], c.id.as_str());
                assert_eq!(v["item_count"].as_u64().unwrap(), c.items().count() as u64);
            }
        }
        let (status, _) = app.get(&w.reg.token, &format!("/api/v1/checklists/{}", "0".repeat(64))).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // Registration is idempotent: a second start finds nothing to insert.
        app.state.db.migrate().await.unwrap();
        let (_, again) = app.get(&w.reg.token, "/api/v1/checklists").await;
        let national = again["items"].as_array().unwrap().iter().filter(|e| e["national"] == true).count();
        assert_eq!(national, anjian::checklist::shipped::all().len(), "{again}");
    })
    .await;
}

#[tokio::test]
async fn a_bad_upload_is_rejected_listing_every_error_and_the_server_keeps_serving() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let bad = [
            ["一、通用", "JA-01", "内容一", "依据", "很大", "", "", "", "", "是"],
            ["一、通用", "JA-02", "内容二", "依据", "一般", "", "煤矿", "", "", "是"],
            ["一、通用", "JA-03", "内容三", "依据", "一般", "", "", "", "", "是"],
            ["一、通用", "JA-03", "内容四", "依据", "一般", "", "", "", "", "是"],
            ["", "JA-05", "内容五", "依据", "一般", "", "", "", "", "是"],
        ];
        let (status, v) = upload(&app, &reg, upload_book("JA-ZX", "2026版", &bad), true).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let rows: Vec<(u64, String, String)> = v["error"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (r["row"].as_u64().unwrap(), r["column"].as_str().unwrap().into(), r["code"].as_str().unwrap().into())
            })
            .collect();
        let expect = [
            (2, "隐患级别", "invalid_severity"),
            (3, "适用行业", "unknown_sector"),
            (5, "编号", "duplicate_in_file"),
            (6, "章节", "missing_required"),
        ];
        for (row, column, code) in expect {
            assert!(rows.iter().any(|r| r.0 == row && r.1 == column && r.2 == code), "{row} {column} {code}: {rows:?}");
        }
        assert_eq!(rows.len(), 4, "{rows:?}");
        let (status, v) = upload(&app, &reg, upload_book("JA-ZX", "2026版", &bad), false).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        // Still serving, and nothing was stored.
        let (status, list) = app.get(&reg.token, "/api/v1/checklists").await;
        assert_eq!(status, StatusCode::OK, "{list}");
        assert!(list["items"].as_array().unwrap().iter().all(|e| e["national"] == true), "{list}");
        // A workbook without the header sheet is named.
        let mut plain = Workbook::new();
        plain.add_worksheet().write_string(0, 0, "章节").unwrap();
        let (status, v) = upload(&app, &reg, plain.save_to_buffer().unwrap(), true).await;
        assert_eq!((status, v["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("no_sheet")), "{v}");
    })
    .await;
}

#[tokio::test]
async fn hostile_files_get_a_clean_answer() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let (status, v) = upload(&app, &reg, b"PK\x03\x04 not really a zip".to_vec(), true).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
        let (status, v) = upload(&app, &reg, b"just text".to_vec(), true).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
        // A cell at XFD1048576: the declared dimension is the whole sheet.
        let mut huge = Workbook::new();
        huge.add_worksheet().set_name("检查表信息").unwrap().write_string(0, 0, "项目").unwrap();
        let s = huge.add_worksheet().set_name("检查项").unwrap();
        s.write_string(0, 0, "章节").unwrap();
        s.write_string(1_048_575, 16_383, "x").unwrap();
        let (status, v) = upload(&app, &reg, huge.save_to_buffer().unwrap(), false).await;
        assert!(matches!(status, StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY), "{status} {v}");
        let good = upload_book("JA-ZX", "2026版", &ITEMS);
        let (status, v) = upload(&app, &reg, good[..good.len() / 2].to_vec(), true).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
        let (status, _) = app.get(&reg.token, "/api/v1/checklists").await;
        assert_eq!(status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn each_upload_is_a_version_and_every_version_stays_resolvable() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let (status, dry) = upload(&app, &reg, upload_book("JA-ZX", "2026版", &ITEMS), true).await;
        assert_eq!(status, StatusCode::OK, "{dry}");
        assert_eq!(
            (dry["dry_run"].as_bool(), dry["items"].as_u64(), dry["unverified"].as_u64()),
            (Some(true), Some(4), Some(2))
        );
        let (_, list) = app.get(&reg.token, "/api/v1/checklists").await;
        assert!(list["items"].as_array().unwrap().iter().all(|e| e["national"] == true), "a dry run stored: {list}");
        let (status, first) = upload(&app, &reg, upload_book("JA-ZX", "2026版", &ITEMS), false).await;
        assert_eq!((status, first["new_version"].as_bool()), (StatusCode::OK, Some(true)), "{first}");
        let mut changed = ITEMS;
        changed[2][2] = "有限空间作业审批并检测";
        let (status, second) = upload(&app, &reg, upload_book("JA-ZX", "2026版第2次", &changed), false).await;
        assert_eq!((status, second["new_version"].as_bool()), (StatusCode::OK, Some(true)), "{second}");
        assert_ne!(first["hash"], second["hash"]);
        let (status, again) = upload(&app, &reg, upload_book("JA-ZX", "2026版第2次", &changed), false).await;
        assert_eq!((status, again["new_version"].as_bool()), (StatusCode::OK, Some(false)), "{again}");
        let (_, list) = app.get(&reg.token, "/api/v1/checklists").await;
        let mine = list["items"].as_array().unwrap().iter().find(|e| e["checklist_id"] == "JA-ZX").unwrap().clone();
        assert_eq!(mine["national"], false);
        assert_eq!(mine["versions"].as_array().unwrap().len(), 2, "{mine}");
        assert_eq!(
            (mine["versions"][0]["seq"].as_i64(), mine["versions"][0]["current"].as_bool()),
            (Some(2), Some(true))
        );
        assert_eq!(
            (mine["versions"][1]["seq"].as_i64(), mine["versions"][1]["status"].as_str()),
            (Some(1), Some("superseded"))
        );
        for (h, text) in [(&first["hash"], "有限空间作业审批"), (&second["hash"], "有限空间作业审批并检测")]
        {
            let (status, v) = app.get(&reg.token, &format!("/api/v1/checklists/{}", h.as_str().unwrap())).await;
            assert_eq!(status, StatusCode::OK, "{v}");
            assert_eq!(v["checklist"]["sections"][2]["items"][0]["text"], text, "{v}");
            let stored = anjian::checklist::by_hash(app.state.db.conn(), h.as_str().unwrap()).await.unwrap();
            assert_eq!(stored.unwrap().sections[2].items[0].text, text);
        }
        let (status, template) =
            app.send(app.client.get(app.url("/api/v1/checklists/template.xlsx")).bearer_auth(&reg.token)).await;
        assert_eq!(status, StatusCode::OK, "{template}");
    })
    .await;
}

/// A city regulator's enterprise in `region` with a sector, a sub-type and special topics.
async fn enterprise_in(
    app: &TestApp,
    city: &TestUser,
    serial: u32,
    region: &str,
    sector: &str,
    sub: &str,
    topics: &[&str],
) -> i64 {
    let mut body = enterprise_body(&code(region, serial), &format!("企业{serial}"), sector, sub, region);
    body["special_topics"] = json!(topics);
    app.enterprise(&city.token, body).await
}

fn bureau_items(v: &Value, hash: &str) -> Vec<String> {
    let items = v["items"].as_array().unwrap();
    let mut out: Vec<String> =
        items.iter().filter(|i| i["checklist_hash"] == hash).map(|i| i["code"].as_str().unwrap().to_owned()).collect();
    out.sort();
    out
}

#[tokio::test]
async fn applicable_items_follow_sector_sub_type_topic_and_the_bureau_chain() {
    on_each_backend(|app| async move {
        let city = app.user("city").role(Role::Regulator).region("420100").create().await;
        let county = app.user("county").role(Role::Regulator).region("420103").create().await;
        let chem = enterprise_in(&app, &city, 1, "420103", "hazardous_chemicals", "hc_production", &[]).await;
        let store = enterprise_in(&app, &city, 2, "420103", "hazardous_chemicals", "hc_storage", &[]).await;
        let dusty = enterprise_in(&app, &city, 3, "420103", "industry_trade", "it_metallurgy", &["dust_explosion"]).await;
        let plain = enterprise_in(&app, &city, 4, "420103", "industry_trade", "it_machinery", &[]).await;
        let sibling = enterprise_in(&app, &city, 5, "420104", "industry_trade", "it_metallurgy", &["dust_explosion"]).await;
        let (status, up) = upload(&app, &county, upload_book("JA-ZX", "2026版", &ITEMS), false).await;
        assert_eq!(status, StatusCode::OK, "{up}");
        let hash = up["hash"].as_str().unwrap().to_owned();
        let expect: [(i64, &[&str]); 5] = [
            (chem, &["JA-01", "JA-03"]),
            (store, &["JA-01", "JA-03", "JA-04"]),
            (dusty, &["JA-02", "JA-03"]),
            (plain, &["JA-03"]),
            (sibling, &[]),
        ];
        for (id, codes) in expect {
            let (status, v) = app.get(&city.token, &format!("/api/v1/enterprises/{id}/checklist-items")).await;
            assert_eq!(status, StatusCode::OK, "{v}");
            assert_eq!(bureau_items(&v, &hash), codes.to_vec(), "enterprise {id}");
            let national = v["items"].as_array().unwrap().iter().filter(|i| i["checklist_hash"] != hash.as_str()).count();
            let expected_national = {
                let e = anjian::entities::enterprise::Entity::find_by_id(id).one(app.state.db.conn()).await.unwrap().unwrap();
                anjian::checklist::model::applicable(anjian::checklist::shipped::all(), &e).len()
            };
            assert_eq!(national, expected_national, "national items of enterprise {id}");
        }
        let (_, v) = app.get(&city.token, &format!("/api/v1/enterprises/{dusty}/checklist-items")).await;
        let item = v["items"].as_array().unwrap().iter().find(|i| i["code"] == "JA-02").unwrap();
        assert_eq!(
            (&item["verified"], &item["severity"], &item["section"], &item["checklist_id"], &item["penalty_basis"]),
            (&json!(false), &json!("major"), &json!("二、粉尘"), &json!("JA-ZX"), &json!("安全生产法第一百零二条"))
        );
        // The sibling county's people do not see the checklist; its enterprise's items are out of the county's scope.
        let neighbour = app.user("neighbour").role(Role::Principal).enterprise(sibling).create().await;
        let (status, _) = app.get(&neighbour.token, &format!("/api/v1/checklists/{hash}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.get(&county.token, &format!("/api/v1/enterprises/{sibling}/checklist-items")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.get(&neighbour.token, &format!("/api/v1/enterprises/{chem}/checklist-items")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let own = app.user("own").role(Role::SafetyOfficer).enterprise(chem).create().await;
        let (status, v) = app.get(&own.token, &format!("/api/v1/enterprises/{chem}/checklist-items")).await;
        assert_eq!((status, bureau_items(&v, &hash)), (StatusCode::OK, vec!["JA-01".to_owned(), "JA-03".to_owned()]));
        // A city checklist applies to both counties.
        let city_list = json!({"id": "WH-ZX", "title": "市级专项", "issuer": "市应急管理局", "document_number": "",
            "effective": "2026-12-01", "version": "1", "sections": [{"name": "通用", "items": [
                {"code": "WH-01", "text": "值班值守", "basis": "市级规定", "severity": "general", "verified": true}]}]});
        let (status, v) = app.post(&city.token, "/api/v1/checklists", &city_list).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        for id in [plain, sibling] {
            let (_, v) = app.get(&city.token, &format!("/api/v1/enterprises/{id}/checklist-items")).await;
            assert!(codes_of(&v).contains(&"WH-01".to_owned()), "{v}");
        }
        // Retired: no longer applied, still resolvable.
        let (status, v) = app.post(&county.token, "/api/v1/checklists/JA-ZX/retire", &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let (_, v) = app.get(&city.token, &format!("/api/v1/enterprises/{store}/checklist-items")).await;
        assert!(bureau_items(&v, &hash).is_empty(), "{v}");
        let (status, v) = app.get(&county.token, &format!("/api/v1/checklists/{hash}")).await;
        assert_eq!((status, v["status"].as_str()), (StatusCode::OK, Some("retired")), "{v}");
        let (status, _) = app.post(&county.token, "/api/v1/checklists/NO-SUCH/retire", &json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn a_posted_checklist_lists_every_problem_and_clashing_codes() {
    on_each_backend(|app| async move {
        let city = app.user("city").role(Role::Regulator).region("420100").create().await;
        let county = app.user("county").role(Role::Regulator).region("420103").create().await;
        let national = &anjian::checklist::shipped::all()[0];
        // The first code of any shipped checklist (the shipped files' content is not this test's).
        let national_code = anjian::checklist::shipped::all().iter().flat_map(anjian::checklist::Checklist::items).next().unwrap().1.code.clone();
        let item = |code: &str| json!({"code": code, "text": "内容", "basis": "依据", "severity": "general", "verified": false});
        let body = |id: &str, items: Vec<Value>| json!({"id": id, "title": "专项", "issuer": "", "document_number": "",
            "effective": "2026-12-01", "version": "1", "sections": [{"name": "一", "items": items}, {"name": "二", "items": []}]});
        let (status, v) = app.post(&county.token, "/api/v1/checklists", &body(&national.id, vec![item(&national_code), item("A-1"), item("A-1")])).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let text = v["error"]["fields"].to_string();
        for needle in ["国家检查表的编号", &national_code, "“A-1”重复", "“二”没有检查项"] {
            assert!(text.contains(needle), "{needle} missing: {text}");
        }
        let ok = |id: &str, code: &str| json!({"id": id, "title": "专项", "issuer": "", "document_number": "",
            "effective": "2026-12-01", "version": "1", "sections": [{"name": "一", "items": [item(code)]}]});
        let (status, v) = app.post(&county.token, "/api/v1/checklists", &ok("JA-1", "JA-01")).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        assert_eq!((v["seq"].as_i64(), v["national"].as_bool(), v["unverified_count"].as_i64()), (Some(1), Some(false), Some(1)));
        // The city above may not reuse the county's code; the same content again is the same version.
        let (status, v) = app.post(&city.token, "/api/v1/checklists", &ok("WH-1", "JA-01")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["error"]["fields"]["code"].to_string().contains("JA-01"), "{v}");
        let (status, v) = app.post(&county.token, "/api/v1/checklists", &ok("JA-1", "JA-01")).await;
        assert_eq!((status, v["seq"].as_i64()), (StatusCode::OK, Some(1)), "{v}");
        // A new version of its own checklist may keep its codes.
        let mut next = ok("JA-1", "JA-01");
        next["version"] = json!("2");
        let (status, v) = app.post(&county.token, "/api/v1/checklists", &next).await;
        assert_eq!((status, v["seq"].as_i64()), (StatusCode::CREATED, Some(2)), "{v}");
        // Other roles may not author.
        let inspector = app.user("insp").role(Role::Inspector).region("420103").create().await;
        let (status, _) = app.post(&inspector.token, "/api/v1/checklists", &ok("JA-2", "JA-09")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}
