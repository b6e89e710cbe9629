//! Signing in and out, sessions, CSRF, passwords, rate limits and onboarding.

use crate::helpers::{PASSWORD, code, enterprise_body, on_each_backend};
use anjian::auth::Role;
use reqwest::StatusCode;
use sea_orm::EntityTrait;
use serde_json::json;

#[tokio::test]
async fn login_returns_a_bearer_token_and_an_http_only_cookie() {
    on_each_backend(|app| async move {
        app.user("reg").role(Role::Regulator).region("420103").create().await;
        let res = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"username": "reg", "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
        assert!(
            cookie.starts_with("anjian_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax")
        );
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["user"]["username"], "reg");
        assert_eq!(body["user"]["roles"], json!(["regulator"]));
        assert_eq!(body["user"]["bureau"]["code"], "420103");
        let (status, me) = app.get(body["token"].as_str().unwrap(), "/api/v1/auth/me").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(me["username"], "reg");
    })
    .await;
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_answer_and_are_rate_limited() {
    on_each_backend(|app| async move {
        app.user("reg").role(Role::Regulator).region("420103").create().await;
        let (s1, b1) = app.login("reg", "wrong-password-123").await;
        let (s2, b2) = app.login("nobody", "wrong-password-123").await;
        assert_eq!((s1, s2), (StatusCode::BAD_REQUEST, StatusCode::BAD_REQUEST));
        assert_eq!(b1["error"]["code"], "invalid_credentials");
        assert_eq!(b1, b2);
        for _ in 0..4 {
            app.login("reg", "wrong-password-123").await;
        }
        // Five failures: even the right password is refused for a while.
        let (status, body) = app.login("reg", PASSWORD).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
        assert_eq!(body["error"]["code"], "too_many_attempts");
    })
    .await;
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id() {
    on_each_backend(|app| async move {
        let u = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let row = anjian::entities::user::Entity::find_by_id(u.id)
            .one(app.state.db.conn())
            .await
            .unwrap()
            .map(|m| m.password_hash)
            .unwrap();
        assert!(row.starts_with("$argon2id$"), "{row}");
    })
    .await;
}

#[tokio::test]
async fn logout_ends_the_session() {
    on_each_backend(|app| async move {
        let u = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let (status, _) = app.post(&u.token, "/api/v1/auth/logout", &json!({})).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, body) = app.get(&u.token, "/api/v1/auth/me").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["code"], "unauthenticated");
    })
    .await;
}

#[tokio::test]
async fn cookie_authenticated_writes_need_the_csrf_token() {
    on_each_backend(|app| async move {
        let u = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let cookie = format!("anjian_session={}", u.token);
        let body =
            enterprise_body(&code("420103", 1), "甲化工有限公司", "hazardous_chemicals", "hc_production", "420103");
        let post = || app.client.post(app.url("/api/v1/enterprises")).header("cookie", &cookie).json(&body);
        let (status, err) = app.send(post()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(err["error"]["code"], "csrf_failed");
        let (status, err) = app.send(post().header("x-csrf-token", "forged")).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("csrf_failed")));
        let (status, _) = app.send(post().header("x-csrf-token", &u.csrf)).await;
        assert_eq!(status, StatusCode::CREATED);
        // Reads by cookie need no token.
        let (status, _) = app.send(app.client.get(app.url("/api/v1/enterprises")).header("cookie", &cookie)).await;
        assert_eq!(status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn changing_the_password_checks_length_and_the_current_one() {
    on_each_backend(|app| async move {
        let u = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let (status, body) = app
            .post(&u.token, "/api/v1/auth/password", &json!({"current_password": PASSWORD, "new_password": "short"}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["new_password"].is_array());
        let (status, body) = app
            .post(
                &u.token,
                "/api/v1/auth/password",
                &json!({"current_password": "not-the-password", "new_password": "一个足够长的新密码abc"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["current_password"].is_array());
        let (status, _) = app
            .post(
                &u.token,
                "/api/v1/auth/password",
                &json!({"current_password": PASSWORD, "new_password": "一个足够长的新密码abc"}),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert_eq!(app.login("reg", PASSWORD).await.0, StatusCode::BAD_REQUEST);
        assert_eq!(app.login("reg", "一个足够长的新密码abc").await.0, StatusCode::OK);
        // The session that changed it stays valid.
        assert_eq!(app.get(&u.token, "/api/v1/auth/me").await.0, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn generated_enterprise_accounts_are_activated_once_with_their_code() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let c = code("420103", 7);
        app.enterprise(&reg.token, enterprise_body(&c, "乙烟花有限公司", "fireworks", "fw_wholesale", "420103")).await;
        let req = json!({"roles": ["principal", "safety_officer"]});
        let (status, out) = app.post(&reg.token, "/api/v1/enterprises/accounts", &req).await;
        assert_eq!(status, StatusCode::OK, "{out}");
        let issued = out["issued"].as_array().unwrap();
        assert_eq!(issued.len(), 2);
        let principal = issued.iter().find(|a| a["role"] == "principal").unwrap();
        let username = principal["username"].as_str().unwrap();
        assert_eq!(username, format!("{}-fzr", c.to_lowercase()));
        // Not usable before activation.
        assert_eq!(app.login(username, "").await.0, StatusCode::BAD_REQUEST);
        let activation = principal["activation_code"].as_str().unwrap().to_lowercase();
        let (status, body) = app
            .send(
                app.client
                    .post(app.url("/api/v1/auth/activate"))
                    .json(&json!({"code": activation, "new_password": "企业负责人的新密码123"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["user"]["roles"], json!(["principal"]));
        assert_eq!(body["user"]["must_change_password"], false);
        assert_eq!(app.login(username, "企业负责人的新密码123").await.0, StatusCode::OK);
        let (status, body) = app
            .send(
                app.client
                    .post(app.url("/api/v1/auth/activate"))
                    .json(&json!({"code": activation, "new_password": "另一个足够长的密码123"})),
            )
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalid_activation_code"))
        );
        // A second run skips existing accounts.
        let (_, again) = app.post(&reg.token, "/api/v1/enterprises/accounts", &req).await;
        assert_eq!((again["issued"].as_array().unwrap().len(), again["skipped"].as_u64()), (0, Some(2)));
    })
    .await;
}

#[tokio::test]
async fn a_session_expires_after_twelve_hours() {
    on_each_backend(|app| async move {
        let u = app.user("reg").role(Role::Regulator).region("420103").create().await;
        app.clock.set(crate::helpers::start_time() + chrono::Duration::hours(11));
        assert_eq!(app.get(&u.token, "/api/v1/auth/me").await.0, StatusCode::OK);
        app.clock.set(crate::helpers::start_time() + chrono::Duration::hours(12));
        let (status, body) = app.get(&u.token, "/api/v1/auth/me").await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthenticated")));
    })
    .await;
}
