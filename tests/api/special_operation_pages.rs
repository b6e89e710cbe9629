//! The 特种作业人员 pages: the enterprise's list with the add, edit and leave forms
//! (problems in Chinese beside the fields, what was typed kept), and the
//! regulators' list of their territory with the status filter.

use crate::helpers::{TestApp, TestUser, on_each_backend};
use crate::special_operations::{IDS, list, plant, worker};
use anjian::auth::Role;
use reqwest::StatusCode;

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn get(app: &TestApp, u: &TestUser, path: &str) -> (StatusCode, String) {
    let res = client().get(app.url(path)).header("cookie", format!("anjian_session={}", u.token)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn post(app: &TestApp, u: &TestUser, path: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
    let mut form = form.to_vec();
    form.push(("csrf_token", u.csrf.as_str()));
    let res = client()
        .post(app.url(path))
        .header("cookie", format!("anjian_session={}", u.token))
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let to = res.headers().get("location").map(|l| l.to_str().unwrap().to_owned());
    (status, to.unwrap_or_default() + &res.text().await.unwrap())
}

#[tokio::test]
async fn the_enterprise_adds_edits_and_ends_its_workers_on_pages() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let (own, boss) = plant(&app, &reg, 1).await;
        let base = format!("/enterprises/{own}/special-operations");
        let (status, page) = get(&app, &boss, &base).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains(&format!(r#"href="{base}""#)) && page.contains("特种作业人员"), "in the menu: {page}");
        assert!(page.contains("登记特种作业人员") && page.contains("暂无登记的特种作业人员"), "{page}");

        let new = format!("{base}/new");
        let typed =
            [("name", "张三"), ("id_number", "420103198001011230"), ("category", ""), ("certificate_no", "T-1")];
        let (status, page) = post(&app, &boss, &new, &typed).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
        for m in [
            "身份证号码应为18位，且校验位正确",
            "请选择作业类别",
            "登记证书时请填写发证机关",
            "登记证书时请填写发证日期",
        ] {
            assert!(page.contains(m), "{m}: {page}");
        }
        assert!(page.contains(r#"value="张三""#) && page.contains(r#"value="T-1""#), "what was typed is kept");
        let ok = [
            ("name", "张三"),
            ("id_number", IDS[0]),
            ("category", "welding"),
            ("certificate_no", "T-1"),
            ("issued_by", "武汉市应急管理局"),
            ("issued_on", "2024-03-01"),
        ];
        let (status, to) = post(&app, &boss, &new, &ok).await;
        assert_eq!((status, to.as_str()), (StatusCode::SEE_OTHER, format!("{base}?saved=1").as_str()));
        let (_, page) = get(&app, &boss, &format!("{base}?saved=1")).await;
        assert!(page.contains("4201**********1238") && page.contains("焊接与热切割作业"), "{page}");
        assert!(
            page.contains("2024-03-01 至 2030-03-01") && page.contains(">有效<") && !page.contains(IDS[0]),
            "{page}"
        );

        let id =
            crate::special_operations::list(&app, &boss.token, &worker(own, "李四", IDS[1], None)).await["id"].clone();
        let edit = format!("/special-operations/{id}/edit");
        let (status, page) = get(&app, &boss, &edit).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains(r#"value="李四""#) && page.contains("4201**********4568（留空不变）"), "{page}");
        let (status, page) =
            post(&app, &boss, &format!("/special-operations/{id}/end"), &[("ended_on", ""), ("reason", "调岗")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
        assert!(page.contains("请填写离岗日期") && page.contains(r#"value="调岗""#), "{page}");
        let (status, _) = post(
            &app,
            &boss,
            &format!("/special-operations/{id}/end"),
            &[("ended_on", "2026-11-22"), ("reason", "调岗")],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, page) = get(&app, &boss, &format!("{base}?ended=1")).await;
        assert!(page.contains("已离岗") && page.contains("2026-11-22 离岗"), "{page}");
        let (status, _) = get(&app, &reg, &new).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "regulators do not write the enterprise's list");
    })
    .await;
}

#[tokio::test]
async fn regulators_filter_their_territorys_workers_by_status() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let (own, boss) = plant(&app, &reg, 1).await;
        list(&app, &boss.token, &worker(own, "张三", IDS[0], Some("2024-03-01"))).await;
        list(&app, &boss.token, &worker(own, "王五", IDS[2], None)).await;
        let (status, page) = get(&app, &reg, "/special-operations").await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains(r#"href="/special-operations""#) && page.contains("特种作业持证"), "{page}");
        assert!(page.contains("张三") && page.contains("王五") && page.contains("化工1号"), "{page}");
        assert!(!page.contains("登记特种作业人员"), "{page}");
        let (_, page) = get(&app, &reg, "/special-operations?status=missing").await;
        assert!(
            page.contains("王五") && !page.contains("张三") && page.contains(r#"<option value="missing" selected>"#),
            "{page}"
        );
        let (status, _) = get(&app, &boss, "/special-operations").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "the territory's list is for bureau users");
        let (status, page) = get(&app, &reg, &format!("/enterprises/{own}/special-operations")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("未持证") && !page.contains("修改 / 离岗"), "{page}");
    })
    .await;
}
