//! The ledger's papers: the printable documents and their numbers (隐患整改通知书,
//! 重大事故隐患督办通知书, 核销意见书), the 双报告 page and its to-do, the
//! employees' notice sheet of every hazard, and the 一单 (paged, its workbook complete).

use crate::helpers::{TestApp, TestUser, on_each_backend, sheet_rows, world};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00photo-bytes";

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn page(app: &TestApp, u: &TestUser, path: &str) -> (StatusCode, String) {
    let res = client().get(app.url(path)).header("cookie", format!("anjian_session={}", u.token)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn form(app: &TestApp, u: &TestUser, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let mut all = vec![("csrf_token", u.csrf.as_str())];
    all.extend_from_slice(fields);
    let res = client()
        .post(app.url(path))
        .header("cookie", format!("anjian_session={}", u.token))
        .form(&all)
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn step(app: &TestApp, u: &TestUser, id: i64, action: &str, body: Value) -> Value {
    let (status, v) = app.post(&u.token, &format!("/api/v1/hazards/{id}/{action}"), &body).await;
    assert_eq!(status, StatusCode::OK, "{action}: {v}");
    v
}

fn hazard(enterprise: i64, level: &str, title: &str) -> Value {
    json!({"enterprise_id": enterprise, "source": "self_check", "level": level, "category": "unsafe_condition",
        "title": title, "description": "罐区 3 台报警器未投用", "location": "罐区", "found_at": "2026-11-21T08:00:00Z",
        "deadline": "2026-12-10"})
}

async fn create(app: &TestApp, u: &TestUser, body: &Value) -> i64 {
    let (status, v) = app.post(&u.token, "/api/v1/hazards", body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

fn assignment() -> Value {
    json!({"assignment": {"assigning_body": "江汉区安委办", "responsible_unit": "甲化工有限公司", "responsible_person": "张三",
        "supervision_level": "county", "notice_no": "江安委督〔2026〕3号", "deadline": "2026-12-20"}})
}

/// The text of the element with this id.
fn by_id<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id}: {html}"));
    let start = at + html[at..].find('>').unwrap() + 1;
    &html[start..start + html[start..].find('<').unwrap()]
}

#[tokio::test]
async fn each_document_carries_the_bureau_and_one_number_issued_once() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let id = create(&app, &w.principal, &hazard(w.enterprise, "major", "储罐区可燃气体报警器失效")).await;
        let path = |slug: &str| format!("/hazards/{id}/documents/{slug}");
        step(&app, &w.reg, id, "confirm", json!({})).await;
        let (status, _) = page(&app, &w.reg, &path("supervision-notice")).await;
        assert_eq!(status, StatusCode::CONFLICT, "no 督办通知书 before 交办");
        step(&app, &w.reg, id, "assign", assignment()).await;

        let (status, html) = page(&app, &w.reg, &path("supervision-notice")).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert_eq!(by_id(&html, "doc-number"), "江汉区应急督办〔2026〕1号");
        assert_eq!(by_id(&html, "doc-bureau"), "江汉区应急管理局");
        assert!(html.contains("县级") && html.contains("江安委督〔2026〕3号") && html.contains("张三") && html.contains("2026年12月20日"), "{html}");
        assert!(html.contains("no-print") && !html.contains("mainnav"), "printed without navigation: {html}");
        // Reprinting and retrying show the same number; each kind counts on its own.
        let (_, again) = page(&app, &w.reg, &path("supervision-notice")).await;
        assert_eq!(by_id(&again, "doc-number"), "江汉区应急督办〔2026〕1号");
        let (status, v) = app.post(&w.reg.token, &format!("/api/v1/hazards/{id}/documents/supervision_notice"), &json!({})).await;
        assert_eq!((status, v["number"].as_str()), (StatusCode::OK, Some("江汉区应急督办〔2026〕1号")), "{v}");
        let (_, v) = app.post(&w.reg.token, &format!("/api/v1/hazards/{id}/documents/rectification_notice"), &json!({})).await;
        assert_eq!(v["number"], "江汉区应急隐改〔2026〕1号", "{v}");
        let other = create(&app, &w.principal, &hazard(w.enterprise, "major", "另一处隐患")).await;
        step(&app, &w.reg, other, "confirm", json!({})).await;
        step(&app, &w.reg, other, "assign", assignment()).await;
        let (_, v) = app.post(&w.reg.token, &format!("/api/v1/hazards/{other}/documents/supervision_notice"), &json!({})).await;
        assert_eq!(v["number"], "江汉区应急督办〔2026〕2号", "{v}");

        // The enterprise reads the documents issued, issues none, and sees no number before one is issued.
        let (_, list) = app.get(&w.principal.token, &format!("/api/v1/hazards/{id}/documents")).await;
        let kinds: Vec<&str> = list.as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["supervision_notice", "rectification_notice"], "{list}");
        let (status, html) = page(&app, &w.principal, &path("supervision-notice")).await;
        assert_eq!((status, by_id(&html, "doc-number")), (StatusCode::OK, "江汉区应急督办〔2026〕1号"));
        let (status, _) = app.post(&w.principal.token, &format!("/api/v1/hazards/{id}/documents/closure_opinion"), &json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = page(&app, &w.principal, &path("closure-opinion")).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let inspector = app.user("zfry").role(Role::Inspector).region("420103").create().await;
        let (status, _) = app.post(&inspector.token, &format!("/api/v1/hazards/{id}/documents/supervision_notice"), &json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "inspectors issue 整改通知书 only");
        let stranger = app.user("qkreg").role(Role::Regulator).region("420102").create().await;
        let (status, _) = app.post(&stranger.token, &format!("/api/v1/hazards/{id}/documents/supervision_notice"), &json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, html) = page(&app, &w.reg, &format!("/hazards/{id}")).await;
        assert!(html.contains("重大事故隐患督办通知书") && html.contains("江汉区应急督办〔2026〕1号"), "{html}");

        // The 核销意见书 carries the review that closed it.
        let plan = json!({"goals": "消除报警失效", "measures": "更换报警器", "funds": 12000, "responsible_org": "设备部",
            "responsible_person": "张三", "deadline": "2026-12-15", "safety_measures": "罐区停止进料",
            "emergency_plan": "罐区专项应急预案"});
        step(&app, &w.principal, id, "plan", json!({"plan": plan})).await;
        let (_, v) = app.upload(&w.officer.token, "/api/v1/attachments", "整改后.jpg", JPEG.to_vec()).await;
        let (_, report) = app.upload(&w.officer.token, "/api/v1/attachments", "评估报告.pdf", b"%PDF-1.4\n".to_vec()).await;
        let submission = json!({"attachment_ids": [v["id"]], "assessment_report_ids": [report["id"]]});
        step(&app, &w.officer, id, "submit", submission).await;
        let review = json!({"passed": true, "reviewers": ["王五", "赵六"], "opinion": "现场审查合格，予以核销"});
        step(&app, &w.reg, id, "verify", review).await;
        let (status, html) = page(&app, &w.reg, &path("closure-opinion")).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert_eq!(by_id(&html, "doc-number"), "江汉区应急核销〔2026〕1号");
        assert!(html.contains("现场审查合格，予以核销") && html.contains("2026-11-22") && html.contains("王五、赵六"), "{html}");
        let (_, report) = app.get(&w.reg.token, "/api/v1/audit/verify").await;
        assert_eq!(report["ok"], true, "{report}");
    })
    .await;
}

#[tokio::test]
async fn the_enterprise_files_the_double_report_in_its_page_and_the_one_list_shows_it() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let id = create(&app, &w.principal, &hazard(w.enterprise, "major", "储罐区可燃气体报警器失效")).await;
        step(&app, &w.reg, id, "confirm", json!({})).await;
        let (_, due) = app.get(&w.reg.token, "/api/v1/calendar/working-days?start=2026-11-22&days=5").await;
        let due = due["date"].as_str().unwrap().to_owned();
        let (_, todos) = app.get(&w.officer.token, "/api/v1/todos").await;
        let asked = todos["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["title"].as_str().unwrap().starts_with("待报告重大事故隐患（双报告）"));
        let asked = asked.unwrap_or_else(|| panic!("no 双报告 to-do: {todos}"));
        assert!(asked["title"].as_str().unwrap().contains(&format!("请于 {due} 前")), "{asked}");
        assert_eq!(asked["link"], format!("/hazards/{id}/report"));
        assert_eq!(asked["due_on"], due.as_str(), "the to-do carries its due date: {asked}");
        assert_eq!(asked["closes_with_step"], true, "filing the report closes it, not a tap: {asked}");
        step(&app, &w.reg, id, "assign", assignment()).await;
        let (_, todos) = app.get(&w.officer.token, "/api/v1/todos").await;
        assert!(todos.to_string().contains("待报告重大事故隐患"), "交办 does not close the 双报告 to-do: {todos}");

        let report = format!("/hazards/{id}/report");
        let (status, html) = page(&app, &w.officer, &report).await;
        assert!(status == StatusCode::OK && html.contains("id=\"report-form\""), "{html}");
        let typed = [
            ("current_state_and_causes", ""),
            ("harm_and_difficulty", "可能引发火灾爆炸"),
            ("remediation_plan", "更换报警器"),
            ("congress_reported_on", "2026/11/21"),
        ];
        let (status, html) = form(&app, &w.officer, &report, &typed).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            html.contains("可能引发火灾爆炸")
                && html.contains("2026/11/21")
                && html.contains("报告职代会日期应为 YYYY-MM-DD"),
            "{html}"
        );
        let typed = [
            ("current_state_and_causes", ""),
            ("harm_and_difficulty", "可能引发火灾爆炸"),
            ("remediation_plan", "更换报警器"),
            ("congress_reported_on", "2026-11-21"),
        ];
        let (status, html) = form(&app, &w.officer, &report, &typed).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            html.contains("请填写隐患的现状及其产生原因")
                && html.contains("可能引发火灾爆炸")
                && !html.contains("current_state_and_causes</"),
            "{html}"
        );
        let typed = [
            ("current_state_and_causes", "报警器老化"),
            ("harm_and_difficulty", "可能引发火灾爆炸"),
            ("remediation_plan", "更换报警器"),
            ("congress_reported_on", "2026-11-21"),
        ];
        let (status, _) = form(&app, &w.officer, &report, &typed).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, todos) = app.get(&w.officer.token, "/api/v1/todos").await;
        assert!(!todos.to_string().contains("待报告重大事故隐患"), "filing closes the to-do: {todos}");
        let (_, html) = page(&app, &w.reg, &report).await;
        assert!(html.contains("报警器老化") && !html.contains("report-form"), "regulators read it: {html}");
        let (_, html) = page(&app, &w.principal, &format!("/hazards/{id}")).await;
        assert!(html.contains("修改双报告") && html.contains("职代会 2026-11-21"), "{html}");

        let (_, one) = app.get(&w.reg.token, "/api/v1/major-hazards").await;
        let row = &one["items"][0];
        assert_eq!(
            (row["report_filed"].as_bool(), row["congress_reported_on"].as_str()),
            (Some(true), Some("2026-11-21")),
            "{row}"
        );
        let (_, html) = page(&app, &w.reg, "/major-hazards").await;
        assert!(html.contains("已报告") && html.contains("职代会 2026-11-21"), "{html}");

        // The employees' notice sheet is there for a general hazard too.
        let general = create(&app, &w.officer, &hazard(w.enterprise, "general", "配电箱门未关闭")).await;
        let (status, html) = page(&app, &w.principal, &format!("/hazards/{general}/notice")).await;
        assert!(
            status == StatusCode::OK && html.contains("事故隐患治理情况公示") && html.contains("配电箱门未关闭"),
            "{html}"
        );
        let (status, _) = page(&app, &w.principal, &format!("/hazards/{general}/report")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "no 双报告 for a general hazard");
    })
    .await;
}

#[tokio::test]
async fn the_one_list_pages_and_its_workbook_has_every_row_and_column() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let mut ids = Vec::new();
        for title in ["一号隐患", "二号隐患", "三号隐患"] {
            let id = create(&app, &w.principal, &hazard(w.enterprise, "major", title)).await;
            step(&app, &w.reg, id, "confirm", json!({})).await;
            ids.push(id);
        }
        step(&app, &w.reg, ids[0], "assign", assignment()).await;
        let plan = json!({"goals": "消除报警失效", "measures": "更换报警器", "funds": 12000.5, "responsible_org": "设备部",
            "responsible_person": "李四", "deadline": "2026-12-15", "safety_measures": "罐区停止进料",
            "emergency_plan": "罐区专项应急预案"});
        step(&app, &w.principal, ids[0], "plan", json!({"plan": plan})).await;
        create(&app, &w.principal, &hazard(w.enterprise, "major", "待认定隐患")).await;

        let (_, p1) = app.get(&w.reg.token, "/api/v1/major-hazards?per_page=2").await;
        let (_, p2) = app.get(&w.reg.token, "/api/v1/major-hazards?per_page=2&page=2").await;
        assert_eq!((p1["total"].as_u64(), p1["items"].as_array().unwrap().len()), (Some(3), 2), "{p1}");
        assert_eq!(p2["items"].as_array().unwrap().len(), 1, "{p2}");
        assert_eq!(p2["items"][0]["id"], ids[0], "nearest deadline first, 交办 moved this one's to 20 December: {p2}");
        let (status, _) = app.get(&w.reg.token, "/api/v1/major-hazards?per_page=500").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        let res = app.client.get(app.url("/api/v1/major-hazards/export")).bearer_auth(&w.reg.token).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let rows = sheet_rows(res.bytes().await.unwrap().to_vec(), "重大事故隐患清单");
        assert_eq!(rows.len(), 4, "every row of the filter, not a page: {rows:?}");
        let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}: {:?}", rows[0]));
        let first = rows.iter().find(|r| r[1] == "一号隐患").unwrap();
        assert_eq!(first[col("交办单位")], "江汉区安委办");
        assert_eq!(first[col("责任单位")], "甲化工有限公司");
        assert_eq!(first[col("行业")], "危险化学品");
        assert_eq!(first[col("所在地区")], "江汉区");
        assert_eq!(first[col("督办级别")], "县级");
        assert_eq!(first[col("治理措施")], "更换报警器");
        assert_eq!(first[col("治理资金（元）")], "12000.5");
        assert_eq!(first[col("应急预案")], "罐区专项应急预案");
        assert_eq!(first[col("双报告")], "未报告");
        assert_eq!(first[col("停产停业、停止使用")], "否");
        for c in ["隐患类别", "判定依据", "治理时限", "通报", "报告职代会日期"] {
            col(c);
        }
        assert!(!rows.iter().flatten().any(|c| c == "hazardous_chemicals" || c == "county"), "{rows:?}");
        let res = app.client.get(app.url("/api/v1/major-hazards/export?include_reported=true")).bearer_auth(&w.reg.token).send().await.unwrap();
        assert_eq!(sheet_rows(res.bytes().await.unwrap().to_vec(), "重大事故隐患清单").len(), 5);
    })
    .await;
}
