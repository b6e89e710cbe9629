//! The page 指标基数与目标 (no browser): what a regulator and another bureau user
//! see, a failed form back in Chinese with what was typed, a saved one back to the
//! page, the import pages in two steps; and the CLI's templates and imports.

use crate::helpers::{TestApp, TestUser, on_each_backend};
use anjian::auth::Role;
use reqwest::StatusCode;

fn http() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn page(app: &TestApp, u: &TestUser, path: &str) -> (StatusCode, String) {
    let res = http().get(app.url(path)).header("cookie", format!("anjian_session={}", u.token)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn post_form(app: &TestApp, u: &TestUser, path: &str, form: &[(&str, &str)]) -> (StatusCode, String, String) {
    let mut pairs = vec![("csrf_token", u.csrf.as_str())];
    pairs.extend_from_slice(form);
    let res = http()
        .post(app.url(path))
        .header("cookie", format!("anjian_session={}", u.token))
        .form(&pairs)
        .send()
        .await
        .unwrap();
    let to = res.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
    (res.status(), to, res.text().await.unwrap())
}

#[tokio::test]
async fn a_regulator_enters_figures_on_the_page_and_sees_the_shipped_targets() {
    on_each_backend(|app| async move {
        let reg = app.user("hubei").role(Role::Regulator).region("420000").create().await;
        let (status, html) = page(&app, &reg, "/indicators/inputs").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("<title>指标基数与目标") || html.contains("指标基数与目标"), "{html}");
        assert!(html.contains("id=\"denominator-form\"") && html.contains("id=\"import-targets\""));
        assert!(html.contains("关于黄石港区应急管理“十四五”规划") && html.contains("未核实"), "shipped, with 未核实");
        assert!(html.contains("咸宁市应急体系建设“十四五”规划") && html.contains("X:171–174"));
        assert!(!html.contains("湖南省“十四五”应急体系建设规划"), "another province's targets are not shown");

        let bad = [("region_code", "430000"), ("year", "2020"), ("gdp_100m_yuan", "很多"), ("source", "公报")];
        let (status, _, html) = post_form(&app, &reg, "/indicators/inputs/denominators", &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("须为数字") && html.contains("value=\"很多\""), "typed values kept: {html}");
        let bad = [("region_code", "430000"), ("year", "2020"), ("gdp_100m_yuan", "1"), ("source", "公报")];
        let (status, _, html) = post_form(&app, &reg, "/indicators/inputs/denominators", &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("地区代码不存在或不在本局辖区内") && html.contains("value=\"430000\""), "{html}");

        let good = [
            ("region_code", "420103"),
            ("year", "2020"),
            ("gdp_100m_yuan", "1,300.5"),
            ("source", "公报"),
            ("region", "420103"),
            ("view_year", "2020"),
        ];
        let (status, to, _) = post_form(&app, &reg, "/indicators/inputs/denominators", &good).await;
        assert_eq!(
            (status, to.as_str()),
            (StatusCode::SEE_OTHER, "/indicators/inputs?region=420103&year=2020&saved=denominator")
        );
        let target = [
            ("region_code", "420103"),
            ("indicator", "accident_deaths"),
            ("year", "2025"),
            ("change_percent", "-15"),
            ("base_year", "2020"),
            ("plan", "江汉区规划"),
            ("line", "第 1 项"),
            ("binding", "1"),
        ];
        let (status, _, _) = post_form(&app, &reg, "/indicators/inputs/targets", &target).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, html) =
            page(&app, &reg, &format!("{}{}", "/indicators/inputs?region=420103&year=2020", "&saved=denominator"))
                .await;
        assert!(html.contains("地区基数已保存") && html.contains("1300.5"), "{html}");
        let (_, html) = page(&app, &reg, "/indicators/inputs?region=420103").await;
        assert!(html.contains("较 2020 年下降 15%") && html.contains("江汉区规划"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn other_bureau_users_read_and_enterprises_are_refused() {
    on_each_backend(|app| async move {
        let inspector = app.user("zhifa").role(Role::Inspector).region("420103").create().await;
        let (status, html) = page(&app, &inspector, "/indicators/inputs").await;
        assert_eq!(status, StatusCode::OK);
        assert!(!html.contains("id=\"denominator-form\""), "no forms for a reader");
        let (status, _) = page(&app, &inspector, "/indicators/inputs/denominators/import").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = page(&app, &inspector, "/indicators/inputs?region=420000").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "a region outside the territory");
    })
    .await;
}

#[tokio::test]
async fn the_import_pages_check_then_confirm() {
    on_each_backend(|app| async move {
        let reg = app.user("jianghan").role(Role::Regulator).region("420103").create().await;
        let cookie = format!("anjian_session={}", reg.token);
        for (path, file) in [("denominators", "denominators.xlsx"), ("targets", "indicator-targets.xlsx")] {
            let (status, html) = page(&app, &reg, &format!("/indicators/inputs/{path}/import")).await;
            assert_eq!(status, StatusCode::OK, "{html}");
            let bytes = std::fs::read(format!("{}/imports/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
            let form = reqwest::multipart::Form::new()
                .text("csrf_token", reg.csrf.clone())
                .part("file", reqwest::multipart::Part::bytes(bytes).file_name(file));
            let url = app.url(&format!("/indicators/inputs/{path}/import"));
            let html =
                http().post(url).header("cookie", &cookie).multipart(form).send().await.unwrap().text().await.unwrap();
            assert!(html.contains("id=\"count-imported\">2<") && html.contains("江汉区"), "{html}");
            let start = html.find("name=\"upload_id\" value=\"").unwrap() + "name=\"upload_id\" value=\"".len();
            let upload_id = &html[start..start + html[start..].find('"').unwrap()];
            let confirm = format!("/indicators/inputs/{path}/import/confirm");
            let (status, _, html) = post_form(&app, &reg, &confirm, &[("upload_id", upload_id)]).await;
            assert_eq!(status, StatusCode::OK);
            assert!(html.contains("已导入"), "{html}");
            let (status, _) = page(&app, &reg, &format!("/indicators/inputs/{path}/import/template.xlsx")).await;
            assert_eq!(status, StatusCode::OK);
        }
        let (_, html) = page(&app, &reg, "/indicators/inputs").await;
        assert!(html.contains("1650") && html.contains("示例：指标表第 1 项"), "{html}");
    })
    .await;
}

#[test]
fn the_cli_generates_the_templates_and_imports_as_a_regulator() {
    use crate::process::anjian;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db").display().to_string();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let out = anjian(&db, &["migrate"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let add = ["user", "add", "--username", "jianghan", "--role", "regulator", "--region", "420103"];
    let out = anjian(&db, &add, "long-enough-password-1\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    for (generator, import, file) in [
        ("denominators-template", "denominators", "denominators.xlsx"),
        ("indicator-targets-template", "indicator-targets", "indicator-targets.xlsx"),
    ] {
        let path = dir.path().join(file).display().to_string();
        let out = anjian(&db, &["gen", generator, &path], "");
        assert!(out.status.success(), "{}", text(&out.stderr));
        let committed = std::fs::read(format!("{}/imports/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), committed, "run `anjian gen {generator} imports/{file}`");
        let out = anjian(&db, &["import", import, &path, "--dry-run", "--as", "jianghan"], "");
        assert!(out.status.success() && text(&out.stdout).contains("预检通过，将导入"), "{}", text(&out.stderr));
        let out = anjian(&db, &["import", import, &path, "--as", "jianghan"], "");
        assert!(text(&out.stdout).contains("已导入") && text(&out.stdout).contains(" 2 条"), "{}", text(&out.stdout));
        let out = anjian(&db, &["import", import, &path, "--as", "jianghan"], "");
        assert!(text(&out.stdout).contains("跳过 2 条"), "{}", text(&out.stdout));
        let out = anjian(&db, &["import", import, &path, "--as", "nobody"], "");
        assert!(!out.status.success() && text(&out.stderr).contains("nobody"), "{}", text(&out.stderr));
    }
}
