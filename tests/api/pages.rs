//! Page-level checks over plain HTTP that need no browser: redirects, the
//! sign-in gate, CSRF on forms, roles on pages, to-dos and static files.

use crate::helpers::{Backend, PASSWORD, TestApp, TestUser, code, enterprise_body};
use anjian::auth::Role;
use anjian::auth::service::{NewUser, create_user};
use anjian::enterprise::domain::RegionCode;
use anjian::todo::{Assignee, NewTodo};
use reqwest::StatusCode;
use reqwest::redirect::Policy;

/// A client that shows redirects instead of following them.
fn http() -> reqwest::Client {
    reqwest::Client::builder().redirect(Policy::none()).build().unwrap()
}

fn cookie(u: &TestUser) -> String {
    format!("anjian_session={}", u.token)
}

fn location(res: &reqwest::Response) -> String {
    res.headers().get("location").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

#[tokio::test]
async fn an_anonymous_visitor_is_sent_to_the_login_page_and_back() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.user("reg").role(Role::Regulator).region("420103").create().await;
    let res = http().get(app.url("/enterprises?q=化工&page=2")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    assert!(to.starts_with("/login?next=/enterprises%3Fq%3D"), "{to}");

    let form = [("username", "reg"), ("password", PASSWORD), ("next", "/enterprises?page=2")];
    let res = http().post(app.url("/login")).form(&form).send().await.unwrap();
    assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/enterprises?page=2".to_owned()));
    let set = res.headers().get("set-cookie").unwrap().to_str().unwrap();
    assert!(set.starts_with("anjian_session=") && set.contains("HttpOnly"), "{set}");

    // Another site's address in `next` is ignored.
    let form = [("username", "reg"), ("password", PASSWORD), ("next", "//evil.example/")];
    let res = http().post(app.url("/login")).form(&form).send().await.unwrap();
    assert_eq!(location(&res), "/");
}

#[tokio::test]
async fn login_from_another_site_and_wrong_passwords_are_refused_on_the_page() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.user("reg").role(Role::Regulator).region("420103").create().await;
    let form = [("username", "reg"), ("password", PASSWORD)];
    let res = http().post(app.url("/login")).header("origin", "http://evil.example").form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.headers().get("set-cookie").is_none());

    let wrong = [("username", "reg"), ("password", "not-the-password")];
    let res = http().post(app.url("/login")).header("origin", app.base.as_str()).form(&wrong).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("用户名或密码错误"));
    for _ in 0..5 {
        http().post(app.url("/login")).form(&wrong).send().await.unwrap();
    }
    let res = http().post(app.url("/login")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.text().await.unwrap().contains("尝试次数过多"));
}

#[tokio::test]
async fn page_forms_without_the_session_csrf_token_change_nothing() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let posts = [
        ("/logout", vec![("csrf_token", "wrong")]),
        ("/enterprises/accounts", vec![("role_principal", "on")]),
        (
            "/password",
            vec![
                ("current_password", PASSWORD),
                ("new_password", "a-new-password-1"),
                ("confirm_password", "a-new-password-1"),
            ],
        ),
        ("/todos/1/done", vec![]),
    ];
    for (path, form) in posts {
        let res = http().post(app.url(path)).header("cookie", cookie(&reg)).form(&form).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{path}");
        assert!(res.text().await.unwrap().contains("表单已过期"), "{path}");
    }
    // Still signed in with the same password.
    let (status, _) = app.login("reg", PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    let res = http().get(app.url("/todos")).header("cookie", cookie(&reg)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn enterprise_users_see_their_own_enterprise_only_and_no_regulator_pages() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let own = app
        .enterprise(
            &reg.token,
            enterprise_body(&code("420103", 1), "甲化工", "hazardous_chemicals", "hc_use", "420103"),
        )
        .await;
    let other = app
        .enterprise(
            &reg.token,
            enterprise_body(&code("420103", 2), "乙化工", "hazardous_chemicals", "hc_use", "420103"),
        )
        .await;
    let boss = app.user("boss").role(Role::Principal).enterprise(own).create().await;
    let get = |path: String| http().get(app.url(&path)).header("cookie", cookie(&boss)).send();
    let res = get(format!("/enterprises/{own}")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("甲化工"));
    assert_eq!(get(format!("/enterprises/{other}")).await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(get("/enterprises/not-a-number".into()).await.unwrap().status(), StatusCode::NOT_FOUND);
    for path in ["/enterprises/import", "/enterprises/accounts"] {
        assert_eq!(get(path.into()).await.unwrap().status(), StatusCode::FORBIDDEN, "{path}");
    }
    let todos = get("/todos".into()).await.unwrap().text().await.unwrap();
    assert!(!todos.contains("名录导入") && todos.contains("本企业信息"));
}

#[tokio::test]
async fn the_stylesheet_and_the_blank_template_are_served() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let res = http().get(app.url("/assets/app.css")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["cache-control"].to_str().unwrap().contains("max-age=31536000"));
    let res =
        http().get(app.url("/enterprises/import/template.xlsx")).header("cookie", cookie(&reg)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], anjian::xlsx::XLSX_MIME);
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));
}

/// The hidden CSRF field's value in a page.
fn csrf_in(page: &str) -> String {
    let start = page.find(r#"name="csrf_token" value=""#).unwrap() + r#"name="csrf_token" value=""#.len();
    page[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_user_who_must_change_the_password_sees_only_the_password_page_until_done() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let ctx = app.state.audit_ctx("test".into());
    let txn = app.state.db.begin_write().await.unwrap();
    let bureau = anjian::bureau::ensure_for_region(&txn, &ctx, &RegionCode::parse("420103").unwrap()).await.unwrap();
    let user = NewUser {
        username: "temp".into(),
        display_name: "临时账号".into(),
        password_hash: anjian::auth::password::hash(PASSWORD).unwrap(),
        roles: vec![Role::Regulator],
        bureau_id: Some(bureau.id),
        must_change_password: true,
        ..NewUser::default()
    };
    create_user(&txn, &ctx, user).await.unwrap();
    txn.commit().await.unwrap();

    let form = [("username", "temp"), ("password", PASSWORD), ("next", "/enterprises")];
    let res = http().post(app.url("/login")).form(&form).send().await.unwrap();
    assert_eq!(location(&res), "/password");
    let set = res.headers()["set-cookie"].to_str().unwrap();
    let session = set.split(';').next().unwrap().to_owned();
    let get = |path: &'static str| http().get(app.url(path)).header("cookie", session.clone()).send();
    assert_eq!(location(&get("/enterprises").await.unwrap()), "/password");
    let page = get("/password").await.unwrap().text().await.unwrap();
    assert!(page.contains("首次登录"));
    let csrf = csrf_in(&page);

    let post = |new: &'static str, confirm: &'static str| {
        let form = [
            ("csrf_token", csrf.as_str()),
            ("current_password", PASSWORD),
            ("new_password", new),
            ("confirm_password", confirm),
        ];
        http().post(app.url("/password")).header("cookie", session.clone()).form(&form).send()
    };
    let res = post("a-brand-new-password", "a-different-password").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("两次输入的新密码不一致"));
    let res = post("a-brand-new-password", "a-brand-new-password").await.unwrap();
    assert_eq!(location(&res), "/");
    assert_eq!(get("/enterprises").await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn a_to_do_shows_in_beijing_time_and_is_completed_with_its_button() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let txn = app.state.db.begin_write().await.unwrap();
    let item = NewTodo {
        assignee: Assignee::User(reg.id),
        kind: "test",
        title: "核查甲化工整改情况".into(),
        link: "/enterprises".into(),
        dedupe_key: "test:1".into(),
    };
    anjian::todo::add(&txn, crate::helpers::start_time(), item).await.unwrap();
    txn.commit().await.unwrap();
    let get = || http().get(app.url("/todos")).header("cookie", cookie(&reg)).send();
    let page = get().await.unwrap().text().await.unwrap();
    assert!(
        page.contains(r#"<a href="/enterprises">核查甲化工整改情况</a>"#) && page.contains("2026-11-22 10:00"),
        "{page}"
    );
    let action = page.split(r#"action="/todos/"#).nth(1).unwrap().split('"').next().unwrap().to_owned();
    let form = [("csrf_token", reg.csrf.as_str())];
    let res = http()
        .post(app.url(&format!("/todos/{action}")))
        .header("cookie", cookie(&reg))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), "/todos");
    assert!(get().await.unwrap().text().await.unwrap().contains("暂无待办事项"));
}
