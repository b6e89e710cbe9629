//! Edges found by probing the service as an attacker would: absurd page
//! numbers and ids, LIKE wildcards in searches, passwords of blanks, password
//! hashes swapped behind the application's back, and reruns of the jobs.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend};
use anjian::auth::Role;
use chrono::DateTime;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

/// The lists of the API that take `page` (as a regulator).
const LISTS: [&str; 3] = ["/api/v1/enterprises", "/api/v1/hazards", "/api/v1/hazard-statistics"];

fn field_problem<'a>(body: &'a Value, field: &str) -> &'a Value {
    &body["error"]["fields"][field]
}

#[tokio::test]
async fn a_page_number_beyond_the_bound_is_refused_naming_page_on_every_list() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        for list in LISTS {
            for page in ["9223372036854775807", "18446744073709551615", "100001", "99999999999999999999999"] {
                let (status, body) = app.get(&reg.token, &format!("{list}?page={page}")).await;
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{list}?page={page}: {body}");
                assert_eq!(body["error"]["code"], "validation_failed", "{list}?page={page}: {body}");
                assert!(field_problem(&body, "page").is_array(), "{list}?page={page}: {body}");
            }
            let (status, body) = app.get(&reg.token, &format!("{list}?page=100000&per_page=200")).await;
            assert_eq!(status, StatusCode::OK, "{list}: the last allowed page is an empty page: {body}");
            assert_eq!(body["items"], json!([]), "{list}: {body}");
            let (status, body) = app.get(&reg.token, &format!("{list}?per_page=99999999999999999999")).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{list}: {body}");
            assert!(field_problem(&body, "per_page").is_array(), "{list}: {body}");
        }
    })
    .await;
}

#[tokio::test]
async fn the_list_pages_survive_a_huge_page_number() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let cookie = format!("anjian_session={}", reg.token);
        for page in ["/enterprises", "/hazards", "/hazard-statistics"] {
            for number in ["9223372036854775807", "99999999999999999999999", "-1", "abc"] {
                let res =
                    app.client.get(app.url(&format!("{page}?page={number}"))).header("cookie", &cookie).send().await;
                let res = res.unwrap_or_else(|e| panic!("{page}?page={number}: the connection failed: {e}"));
                assert_eq!((res.status(), res.url().path()), (StatusCode::OK, page), "{page}?page={number}");
                assert!(res.text().await.unwrap().contains("</html>"), "{page}?page={number}");
            }
        }
    })
    .await;
}

#[tokio::test]
async fn an_id_in_the_path_that_cannot_name_a_record_is_not_found_in_the_common_shape() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        for path in [
            "/api/v1/hazards/99999999999999999999",
            "/api/v1/enterprises/abc",
            "/api/v1/hazard-statistics/-99999999999999999999",
            "/api/v1/bulletins/1e3",
            "/api/v1/attachments/99999999999999999999",
        ] {
            let (status, body) = app.get(&reg.token, path).await;
            assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")), "{path}");
        }
        for path in [
            "/api/v1/hazards/99999999999999999999/confirm",
            "/api/v1/hazard-statistics/99999999999999999999/confirm",
            "/api/v1/todos/99999999999999999999/done",
            "/api/v1/enterprises/99999999999999999999/licences",
        ] {
            let (status, body) = app.post(&reg.token, path, &json!({})).await;
            assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")), "{path}");
        }
        let (status, body) = app.patch(&reg.token, "/api/v1/enterprises/99999999999999999999", &json!({})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    })
    .await;
}

#[tokio::test]
async fn a_page_address_with_an_id_that_cannot_name_a_record_is_the_not_found_page() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let cookie = format!("anjian_session={}", reg.token);
        for path in [
            "/hazards/99999999999999999999",
            "/hazards/99999999999999999999/notice",
            "/hazard-statistics/99999999999999999999",
            "/hazard-statistics/99999999999999999999/print",
            "/bulletins/abc",
            "/enterprises/99999999999999999999",
        ] {
            let res = app.client.get(app.url(path)).header("cookie", &cookie).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
            assert!(res.text().await.unwrap().contains("页面不存在"), "{path}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_query_value_of_the_wrong_kind_is_refused_in_the_common_shape_naming_it() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        for (path, field) in [
            ("/api/v1/hazards?enterprise_id=99999999999999999999", "enterprise_id"),
            ("/api/v1/hazards?overdue=maybe", "overdue"),
            ("/api/v1/hazards?due_before=someday", "due_before"),
            ("/api/v1/hazards?due_before=-200000-01-01", "due_before"),
            ("/api/v1/hazards?due_before=%2B10000-01-01", "due_before"),
            ("/api/v1/enterprises?sector=bogus", "sector"),
            ("/api/v1/enterprises/export?status=bogus", "status"),
            ("/api/v1/major-hazards?open_only=2", "open_only"),
            ("/api/v1/hazard-statistics/export?page=x", "page"),
        ] {
            let (status, body) = app.get(&reg.token, path).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
            assert_eq!(body["error"]["code"], "validation_failed", "{path}: {body}");
            assert!(field_problem(&body, field)[0].is_string(), "{path}: {body}");
        }
        let (status, body) = app.get(&reg.token, "/api/v1/hazards?enterprise_id=-9223372036854775808").await;
        assert_eq!((status, &body["items"]), (StatusCode::OK, &json!([])), "{body}");
    })
    .await;
}

/// Names of the enterprises a search finds, sorted.
async fn found(app: &TestApp, u: &TestUser, q: &str) -> Vec<String> {
    let (status, body) =
        app.send(app.client.get(app.url("/api/v1/enterprises")).query(&[("q", q)]).bearer_auth(&u.token)).await;
    assert_eq!(status, StatusCode::OK, "q={q}: {body}");
    let mut names: Vec<String> =
        body["items"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap().to_owned()).collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_percent_or_underscore_search_matches_only_names_that_contain_it() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        for (serial, name) in
            [(1, "甲化工有限公司"), (2, "乙_化工有限公司"), (3, "丙100%化工有限公司"), (4, r"丁\化工有限公司")]
        {
            let body = enterprise_body(&code("420103", serial), name, "hazardous_chemicals", "hc_production", "420103");
            app.enterprise(&reg.token, body).await;
        }
        assert_eq!(found(&app, &reg, "%").await, ["丙100%化工有限公司"]);
        assert_eq!(found(&app, &reg, "_").await, ["乙_化工有限公司"]);
        assert_eq!(found(&app, &reg, "0%化").await, ["丙100%化工有限公司"]);
        assert_eq!(found(&app, &reg, r"\").await, [r"丁\化工有限公司"]);
        assert_eq!(found(&app, &reg, r"\_").await, Vec::<String>::new());
        assert_eq!(found(&app, &reg, "!").await, Vec::<String>::new());
        assert_eq!(found(&app, &reg, "化工").await.len(), 4);
        // The start of a credit code: `9_` is not a wildcard there either.
        assert_eq!(found(&app, &reg, "9_").await, Vec::<String>::new());
        assert_eq!(found(&app, &reg, &code("420103", 2)[..12]).await.len(), 4);
    })
    .await;
}

/// Onboards the principal and safety officer of one enterprise and activates
/// both with these passwords; returns their user ids.
async fn activated_pair(app: &TestApp, reg: &TestUser, passwords: [&str; 2]) -> [i64; 2] {
    let body = enterprise_body(&code("420103", 9), "甲化工有限公司", "hazardous_chemicals", "hc_production", "420103");
    app.enterprise(&reg.token, body).await;
    let req = json!({"roles": ["principal", "safety_officer"]});
    let (status, out) = app.post(&reg.token, "/api/v1/enterprises/accounts", &req).await;
    assert_eq!(status, StatusCode::OK, "{out}");
    let issued = out["issued"].as_array().unwrap();
    let mut ids = [0; 2];
    for (i, role) in ["principal", "safety_officer"].into_iter().enumerate() {
        let account = issued.iter().find(|a| a["role"] == role).unwrap();
        let (status, v) = activate(app, account["activation_code"].as_str().unwrap(), passwords[i]).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        ids[i] = v["user"]["id"].as_i64().unwrap();
    }
    ids
}

async fn activate(app: &TestApp, code: &str, password: &str) -> (StatusCode, Value) {
    let body = json!({"code": code, "new_password": password});
    app.send(app.client.post(app.url("/api/v1/auth/activate")).json(&body)).await
}

#[tokio::test]
async fn a_password_of_blanks_or_short_between_blanks_is_refused() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let body = enterprise_body(&code("420103", 5), "乙烟花有限公司", "fireworks", "fw_wholesale", "420103");
        app.enterprise(&reg.token, body).await;
        let (_, out) = app.post(&reg.token, "/api/v1/enterprises/accounts", &json!({"roles": ["principal"]})).await;
        let activation = out["issued"][0]["activation_code"].as_str().unwrap().to_owned();
        for bad in [" ".repeat(12), "\t".repeat(20), format!("   {}   ", "abcdefghijk"), "\u{3000}".repeat(16)] {
            let (status, v) = activate(&app, &activation, &bad).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}: {v}");
            assert!(field_problem(&v, "new_password")[0].is_string(), "{v}");
        }
        let (status, v) = activate(&app, &activation, "  十二个汉字的密码也可以用的  ").await;
        assert_eq!(status, StatusCode::OK, "blanks around a long enough password are kept: {v}");

        let u = app.user("reg2").role(Role::Regulator).region("420103").create().await;
        for bad in [" ".repeat(12), format!("  {}  ", "short-pass1")] {
            let body = json!({"current_password": crate::helpers::PASSWORD, "new_password": bad});
            let (status, v) = app.post(&u.token, "/api/v1/auth/password", &body).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}: {v}");
            assert!(field_problem(&v, "new_password")[0].is_string(), "{v}");
        }
    })
    .await;
}

async fn hash_of(app: &TestApp, id: i64) -> String {
    let db = app.state.db.conn();
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT password_hash FROM users WHERE id = {id}"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "password_hash").unwrap()
}

#[tokio::test]
async fn two_users_password_hashes_swapped_in_the_database_are_named_by_the_change_log_check() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let [a, b] = activated_pair(&app, &reg, ["负责人自己的密码12345", "安全员自己的密码67890"]).await;
        let (_, report) = app.get(&reg.token, "/api/v1/audit/verify").await;
        assert_eq!(report["ok"], true, "unchanged, it verifies: {report}");

        let (hash_a, hash_b) = (hash_of(&app, a).await, hash_of(&app, b).await);
        for (id, hash) in [(a, &hash_b), (b, &hash_a)] {
            let sql = format!("UPDATE users SET password_hash = '{hash}' WHERE id = {id}");
            app.state.db.conn().execute_unprepared(&sql).await.unwrap();
        }
        let (status, report) = app.get(&reg.token, "/api/v1/audit/verify").await;
        assert_eq!(status, StatusCode::OK);
        let mut named: Vec<(String, String, String)> = report["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let s = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
                (s("entity"), s("entity_id"), s("reason"))
            })
            .collect();
        named.sort();
        let row_changed = |id: i64| ("user".to_owned(), id.to_string(), "row_changed".to_owned());
        assert_eq!(named, [row_changed(a.min(b)), row_changed(a.max(b))], "{report}");
        assert_eq!(report["ok"], false);
    })
    .await;
}

#[tokio::test]
async fn a_second_jobs_run_at_the_same_instant_flags_no_bureau() {
    on_each_backend(|app| async move {
        let reg = app.user("city").role(Role::Regulator).region("420100").create().await;
        for (serial, region) in [(1, "420103"), (2, "420102")] {
            let body =
                enterprise_body(&code(region, serial), "某机械有限公司", "industry_trade", "it_machinery", region);
            app.enterprise(&reg.token, body).await;
        }
        // 2026Q4 was due on 15 January 2027; neither enterprise has reported.
        app.clock.set(DateTime::parse_from_rfc3339("2027-01-16T02:00:00Z").unwrap().to_utc());
        let first = anjian::jobs::run_due(&app.state).await.unwrap().statistics;
        assert_eq!(first.bureaus_flagged, 2, "the two district bureaus: {first:?}");
        let second = anjian::jobs::run_due(&app.state).await.unwrap().statistics;
        assert_eq!((second.bureaus_flagged, second.reminded), (0, 0), "{second:?}");
    })
    .await;
}
