//! Signed-in devices and revoking a lost tablet's session.

use crate::helpers::{PASSWORD, on_each_backend, start_time};
use anjian::auth::Role;
use anjian::entities::audit_log::{Column, Entity};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

async fn tablet_login(app: &crate::helpers::TestApp, username: &str, device: &str) -> (String, Value) {
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": username, "password": PASSWORD, "device": device}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    let body: Value = res.json().await.unwrap();
    (cookie, body)
}

#[tokio::test]
async fn an_inspector_on_a_named_tablet_keeps_the_session_for_the_offline_week() {
    on_each_backend(|app| async move {
        app.user("zfa").role(Role::Inspector).region("420103").create().await;
        let (cookie, body) = tablet_login(&app, "zfa", "执法平板 3 号").await;
        assert!(cookie.contains("Max-Age=604800"), "{cookie}");
        let token = body["token"].as_str().unwrap().to_owned();
        app.clock.set(start_time() + chrono::Duration::days(6));
        assert_eq!(app.get(&token, "/api/v1/auth/me").await.0, StatusCode::OK);
        app.clock.set(start_time() + chrono::Duration::days(7));
        let (status, body) = app.get(&token, "/api/v1/auth/me").await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthenticated")));
        // A regulator's browser session stays 12 hours even with a device name.
        app.user("reg").role(Role::Regulator).region("420103").create().await;
        let (cookie, _) = tablet_login(&app, "reg", "办公电脑").await;
        assert!(cookie.contains("Max-Age=43200"), "{cookie}");
        // The name is bounded like every text.
        let long = "平".repeat(101);
        let (status, body) = app
            .send(app.client.post(app.url("/api/v1/auth/login")).json(&json!({"username": "zfa",
                "password": PASSWORD, "device": long})))
            .await;
        assert_eq!((status, body["error"]["fields"]["device"].is_array()), (StatusCode::UNPROCESSABLE_ENTITY, true));
    })
    .await;
}

#[tokio::test]
async fn a_regulator_revokes_a_lost_tablet_and_it_is_told_to_wipe_at_its_next_contact() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let zf = app.user("zfa").role(Role::Inspector).region("420103").create().await;
        let other = app.user("zf2").role(Role::Inspector).region("420103").create().await;
        let far = app.user("far").role(Role::Regulator).region("420102").create().await;
        let (_, body) = tablet_login(&app, "zfa", "执法平板 3 号").await;
        let tablet = body["token"].as_str().unwrap().to_owned();

        // The regulator sees the bureau's sessions, the tablet by its name.
        let (status, list) = app.get(&reg.token, &format!("/api/v1/sessions?user_id={}", zf.id)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list["total"], 2, "{list}");
        let row = list["items"].as_array().unwrap().iter().find(|s| s["device"] == "执法平板 3 号").unwrap().clone();
        assert_eq!((row["username"].as_str(), row["current"].as_bool()), (Some("zfa"), Some(false)));
        let id = row["id"].as_i64().unwrap();

        // Nobody else may: another inspector and a regulator of another county get 404.
        let path = format!("/api/v1/sessions/{id}/revoke");
        assert_eq!(app.post(&other.token, &path, &json!({})).await.0, StatusCode::NOT_FOUND);
        assert_eq!(app.post(&far.token, &path, &json!({})).await.0, StatusCode::NOT_FOUND);
        let (_, mine) = app.get(&other.token, "/api/v1/sessions").await;
        assert!(mine["items"].as_array().unwrap().iter().all(|s| s["user_id"] == other.id), "{mine}");
        assert_eq!(app.get(&tablet, "/api/v1/auth/me").await.0, StatusCode::OK);

        let (status, revoked) = app.post(&reg.token, &path, &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{revoked}");
        assert_eq!(revoked["revoked_by"], reg.id);
        let res = app.client.get(app.url("/api/v1/auth/me")).bearer_auth(&tablet).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        let clear = res.headers().get("clear-site-data").unwrap().to_str().unwrap().to_owned();
        assert!(clear.contains("\"storage\""), "{clear}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "session_revoked");
        // The inspector's other session goes on.
        assert_eq!(app.get(&zf.token, "/api/v1/auth/me").await.0, StatusCode::OK);

        // Revoking again answers the session as it is; the change log has one entry.
        let (status, again) = app.post(&reg.token, &path, &json!({})).await;
        assert_eq!((status, &again["revoked_at"]), (StatusCode::OK, &revoked["revoked_at"]));
        let logged = Entity::find()
            .filter(Column::Entity.eq("session"))
            .filter(Column::EntityId.eq(id.to_string()))
            .count(app.state.db.conn())
            .await
            .unwrap();
        assert_eq!(logged, 1);
        assert_eq!(app.get(&reg.token, "/api/v1/audit/verify").await.1["ok"], true);

        // Long after expiry, and after others signed in, the tablet still learns it was revoked.
        app.clock.set(start_time() + chrono::Duration::days(20));
        app.login("zf2", PASSWORD).await;
        let (status, body) = app.get(&tablet, "/api/v1/auth/me").await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("session_revoked")));
    })
    .await;
}

#[tokio::test]
async fn anyone_may_revoke_their_own_sessions() {
    on_each_backend(|app| async move {
        let zf = app.user("zfa").role(Role::Inspector).region("420103").create().await;
        let (_, body) = tablet_login(&app, "zfa", "旧平板").await;
        let tablet = body["token"].as_str().unwrap().to_owned();
        let (_, list) = app.get(&zf.token, "/api/v1/sessions").await;
        let items = list["items"].as_array().unwrap();
        assert_eq!(items.iter().filter(|s| s["current"] == true).count(), 1, "{list}");
        let old = items.iter().find(|s| s["device"] == "旧平板").unwrap()["id"].as_i64().unwrap();
        let (status, _) = app.post(&zf.token, &format!("/api/v1/sessions/{old}/revoke"), &json!({})).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(app.get(&tablet, "/api/v1/auth/me").await.1["error"]["code"], "session_revoked");
        // Changing the password ends the other sessions but keeps the revoked one, so the lost
        // tablet is still told to wipe rather than merely asked to sign in again.
        let change = json!({"current_password": PASSWORD, "new_password": "另一个足够长的新密码2026"});
        assert_eq!(app.post(&zf.token, "/api/v1/auth/password", &change).await.0, StatusCode::NO_CONTENT);
        assert_eq!(app.get(&tablet, "/api/v1/auth/me").await.1["error"]["code"], "session_revoked");
    })
    .await;
}

#[tokio::test]
async fn the_devices_page_lists_the_tablet_and_revokes_it_only_when_confirmed() {
    let app = crate::helpers::TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    app.user("zfa").role(Role::Inspector).region("420103").create().await;
    let (_, body) = tablet_login(&app, "zfa", "执法平板 3 号").await;
    let tablet = body["token"].as_str().unwrap().to_owned();
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let session = format!("anjian_session={}", reg.token);
    let page = http.get(app.url("/sessions")).header("cookie", &session).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("执法平板 3 号") && page.contains("本次登录") && page.contains("确认吊销"), "{page}");
    let (_, list) = app.get(&reg.token, "/api/v1/sessions").await;
    let id = list["items"].as_array().unwrap().iter().find(|s| s["device"] == "执法平板 3 号").unwrap()["id"].clone();
    let path = format!("/sessions/{id}/revoke");

    // Without the box ticked nothing happens, and the page says why.
    let res = http.post(app.url(&path)).header("cookie", &session).form(&[("csrf_token", &reg.csrf)]).send().await;
    let res = res.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("请先勾选确认"));
    assert_eq!(app.get(&tablet, "/api/v1/auth/me").await.0, StatusCode::OK);

    let form = [("csrf_token", reg.csrf.as_str()), ("confirm", "yes")];
    let res = http.post(app.url(&path)).header("cookie", &session).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    let page = http.get(app.url(&to)).header("cookie", &session).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("已吊销登录") && page.contains("已吊销（"), "{page}");
    assert_eq!(app.get(&tablet, "/api/v1/auth/me").await.1["error"]["code"], "session_revoked");
}
