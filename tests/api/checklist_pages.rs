//! The checklist pages: the list, a version, the editing table (every problem
//! listed with the table's row numbers, what was typed kept), retiring, and an
//! enterprise's applicable items.

use crate::helpers::{TestUser, code, enterprise_body, on_each_backend};
use anjian::auth::Role;
use reqwest::StatusCode;

fn page_client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn session(u: &TestUser) -> String {
    format!("anjian_session={}", u.token)
}

#[tokio::test]
async fn the_pages_list_show_edit_and_retire_a_bureau_checklist() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let body = enterprise_body(&code("420103", 1), "甲化工", "hazardous_chemicals", "hc_storage", "420103");
        let chem = app.enterprise(&reg.token, body).await;
        let get = |path: String| page_client().get(app.url(&path)).header("cookie", session(&reg)).send();
        let list = get("/checklists".into()).await.unwrap();
        assert_eq!(list.status(), StatusCode::OK);
        let list = list.text().await.unwrap();
        assert!(list.contains("未核实") && list.contains(r#"href="/checklists"#), "{list}");
        let mut form: Vec<(String, String)> = [
            ("csrf_token", reg.csrf.as_str()),
            ("rows", "3"),
            ("id", "JA-YM"),
            ("title", "页面编写的检查表"),
            ("issuer", ""),
            ("document_number", ""),
            ("effective", "2026-12-01"),
            ("version", "1"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let row0 = [
            ("section", "一"),
            ("code", "YM-01"),
            ("text", "储罐区巡检记录"),
            ("basis", "区级规定"),
            ("severity", "一般"),
            ("sectors", "危险化学品"),
            ("sub_types", "储存"),
            ("verified", "否"),
        ];
        let row1 = [
            ("section", ""),
            ("code", "YM-02"),
            ("text", "内容"),
            ("basis", "依据"),
            ("severity", "很大"),
            ("sectors", "煤矿"),
            ("sub_types", ""),
            ("verified", "是"),
        ];
        for (n, row) in [(0, row0), (1, row1)] {
            form.extend(row.iter().map(|(k, v)| (format!("{k}_{n}"), (*v).to_owned())));
        }
        let post = |form: Vec<(String, String)>| {
            page_client().post(app.url("/checklists/edit")).header("cookie", session(&reg)).form(&form).send()
        };
        let res = post(form.clone()).await.unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = res.text().await.unwrap();
        for needle in ["第 2 行 章节", "第 2 行 隐患级别", "第 2 行 适用行业", "储罐区巡检记录"]
        {
            assert!(page.contains(needle), "{needle}: {page}");
        }
        form.retain(|(k, _)| !k.ends_with("_1"));
        let res = post(form).await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
        let to = res.headers()["location"].to_str().unwrap().to_owned();
        let page = get(to.clone()).await.unwrap().text().await.unwrap();
        assert!(
            page.contains("已保存为新版本")
                && page.contains("储罐区巡检记录")
                && page.contains("企业类型：危险化学品储存"),
            "{page}"
        );
        let items = get(format!("/enterprises/{chem}/checklist-items")).await.unwrap().text().await.unwrap();
        assert!(items.contains("YM-01") && items.contains("页面编写的检查表"), "{items}");
        let hash = to.trim_start_matches("/checklists/").split('?').next().unwrap().to_owned();
        let edit = get(format!("/checklists/edit?from={hash}")).await.unwrap().text().await.unwrap();
        assert!(edit.contains(r#"value="YM-01""#), "{edit}");
        let retire = [("csrf_token", reg.csrf.as_str()), ("checklist_id", "JA-YM")];
        let res = page_client()
            .post(app.url("/checklists/retire"))
            .header("cookie", session(&reg))
            .form(&retire)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let items = get(format!("/enterprises/{chem}/checklist-items")).await.unwrap().text().await.unwrap();
        assert!(!items.contains("YM-01"), "{items}");
        let upload = get("/checklists/import".into()).await.unwrap();
        assert_eq!(upload.status(), StatusCode::OK);
    })
    .await;
}
