//! Bulletins: built once per bureau and period by the job, reviewed by a
//! regulator of the bureau, selected items published without personal data.

use crate::helpers::{code, enterprise_body, on_each_backend};
use anjian::auth::Role;
use chrono::DateTime;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_bulletin_is_built_once_reviewed_and_published_without_the_reporter() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let firm = app.enterprise(&reg.token, enterprise_body(&code("420103", 1), "甲烟花批发有限公司", "fireworks", "fw_wholesale", "420103")).await;
        let tip = json!({"enterprise_id": firm, "source": "tip_off", "level": "major", "category": "unsafe_condition",
            "title": "仓库超量储存烟花", "description": "d", "found_at": "2026-11-21T08:00:00Z",
            "reporter": {"name": "王举报", "phone": "13900000000"}, "source_ref": "12350-7788"});
        let (status, created) = app.post(&reg.token, "/api/v1/hazards", &tip).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = created["id"].as_i64().unwrap();
        for (action, body) in [
            ("confirm", json!({"outcome": "substantiated"})),
            ("assign", json!({"assignment": {"assigning_body": "区安委办", "responsible_unit": "甲", "responsible_person": "赵",
                "supervision_level": "county", "deadline": "2026-11-30"}})),
        ] {
            let (status, v) = app.post(&reg.token, &format!("/api/v1/hazards/{id}/{action}"), &body).await;
            assert_eq!(status, StatusCode::OK, "{v}");
        }

        app.clock.set(DateTime::parse_from_rfc3339("2026-12-16T01:00:00Z").unwrap().to_utc());
        let r = anjian::jobs::run_due(&app.state).await.unwrap();
        assert_eq!(r.bulletins, 3, "江汉区, 武汉市 and 湖北省 each get one: {r:?}");
        assert_eq!(anjian::jobs::run_due(&app.state).await.unwrap().bulletins, 0, "once per period");

        let county = app.user("reg2").role(Role::Regulator).region("420103").create().await;
        let city = app.user("city").role(Role::Regulator).region("420100").create().await;
        let (_, list) = app.get(&county.token, "/api/v1/bulletins").await;
        assert_eq!(list["total"], 1, "a county sees its own: {list}");
        let b = &list["items"][0];
        assert_eq!((b["period_start"].as_str(), b["period_end"].as_str()), (Some("2026-12-01"), Some("2026-12-15")));
        assert_eq!(b["content"]["overdue_majors"][0]["hazard_id"], id);
        assert_eq!(b["content"]["overdue_majors"][0]["days_overdue"], 15);
        let bid = b["id"].as_i64().unwrap();
        let (_, list) = app.get(&city.token, "/api/v1/bulletins").await;
        assert_eq!(list["total"], 2, "the city sees its own and the county's: {list}");
        for item in list["items"].as_array().unwrap() {
            let fireworks = &item["content"]["by_sector"][0];
            assert_eq!((fireworks["sector"].as_str(), fireworks["overdue"].as_i64()), (Some("fireworks"), Some(1)), "{item}");
        }
        let propose = format!("/api/v1/bulletins/{bid}/propose");
        let approve = format!("/api/v1/bulletins/{bid}/approve");
        let (status, _) = app.post(&city.token, &propose, &json!({"hazard_ids": [id]})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "only the bureau's own regulators propose its items");
        let (status, _) = app.post(&county.token, &propose, &json!({"hazard_ids": [id + 1000]})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, v) = app.post(&county.token, &propose, &json!({"hazard_ids": [id]})).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!((v["status"].as_str(), v["proposal"]["hazard_ids"][0].as_i64()), (Some("draft"), Some(id)), "{v}");
        let page = app.client.get(app.url("/public/bulletins")).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("仓库超量储存烟花"), "a proposal is not yet public");
        let (status, _) = app.post(&county.token, &approve, &json!({"approved": true})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a regulator does not approve");
        let boss = app.user("boss").role(Role::Approver).region("420103").create().await;
        let (status, v) = app.post(&boss.token, &approve, &json!({"approved": true})).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["status"], "published");
        assert!(v["proposal"].is_null(), "{v}");

        let page = app.client.get(app.url("/public/bulletins")).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK, "public, no sign-in");
        let html = page.text().await.unwrap();
        assert!(html.contains("甲烟花批发有限公司") && html.contains("仓库超量储存烟花"), "{html}");
        for secret in ["王举报", "13900000000", "12350-7788"] {
            assert!(!html.contains(secret), "the public page leaks {secret}");
        }
        let (_, majors) = app.get(&county.token, "/api/v1/major-hazards").await;
        assert_eq!(majors["items"][0]["notified"], true);
        let (_, report) = app.get(&county.token, "/api/v1/audit/verify").await;
        assert_eq!(report["ok"], true, "{report}");
    })
    .await;
}

/// A page's status and text, signed in as `u` (redirects not followed).
async fn page(app: &crate::helpers::TestApp, u: &crate::helpers::TestUser, path: &str) -> (StatusCode, String) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = client.get(app.url(path)).header("cookie", format!("anjian_session={}", u.token)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

/// A form posted as `u` with its CSRF token.
async fn form(
    app: &crate::helpers::TestApp,
    u: &crate::helpers::TestUser,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut all = vec![("csrf_token", u.csrf.as_str())];
    all.extend_from_slice(fields);
    let res = client
        .post(app.url(path))
        .header("cookie", format!("anjian_session={}", u.token))
        .form(&all)
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

/// A major hazard of `firm` confirmed by `reg`, assigned with `deadline` when given.
async fn major(app: &crate::helpers::TestApp, token: &str, firm: i64, title: &str, deadline: Option<&str>) -> i64 {
    let body = json!({"enterprise_id": firm, "source": "tip_off", "level": "major", "category": "unsafe_condition",
        "title": title, "description": "d", "found_at": "2026-11-21T08:00:00Z"});
    let (status, v) = app.post(token, "/api/v1/hazards", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let id = v["id"].as_i64().unwrap();
    let (status, v) =
        app.post(token, &format!("/api/v1/hazards/{id}/confirm"), &json!({"outcome": "substantiated"})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    if let Some(d) = deadline {
        let assignment = json!({"assigning_body": "江汉区应急管理局", "responsible_unit": "甲", "responsible_person": "赵",
            "supervision_level": "county", "deadline": d});
        let (status, v) =
            app.post(token, &format!("/api/v1/hazards/{id}/assign"), &json!({"assignment": assignment})).await;
        assert_eq!(status, StatusCode::OK, "{v}");
    }
    id
}

#[tokio::test]
async fn a_bulletin_lists_every_open_major_hazards_progress_and_is_its_notification() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let firm = app
            .enterprise(
                &reg.token,
                enterprise_body(&code("420103", 1), "甲烟花批发有限公司", "fireworks", "fw_wholesale", "420103"),
            )
            .await;
        let late = major(&app, &reg.token, firm, "仓库超量储存烟花", Some("2026-11-30")).await;
        let on_time = major(&app, &reg.token, firm, "防雷设施未检测", Some("2027-01-31")).await;
        let waiting = major(&app, &reg.token, firm, "库区消防水池缺水", None).await;
        let body = json!({"enterprise_id": firm, "source": "tip_off", "level": "major", "category": "unsafe_condition",
            "title": "待认定的举报", "description": "d", "found_at": "2026-11-21T08:00:00Z"});
        let (_, v) = app.post(&reg.token, "/api/v1/hazards", &body).await;
        let reported = v["id"].as_i64().unwrap();

        app.clock.set(DateTime::parse_from_rfc3339("2026-12-16T01:00:00Z").unwrap().to_utc());
        anjian::jobs::run_due(&app.state).await.unwrap();
        let county = app.user("reg2").role(Role::Regulator).region("420103").create().await;
        let (_, list) = app.get(&county.token, "/api/v1/bulletins").await;
        let b = &list["items"][0];
        let bid = b["id"].as_i64().unwrap();
        let majors = b["content"]["majors"].as_array().unwrap();
        let ids: Vec<i64> = majors.iter().map(|m| m["hazard_id"].as_i64().unwrap()).collect();
        assert_eq!(
            ids,
            [late, on_time, waiting],
            "every open listed major, overdue first, 待认定 not listed: {majors:?}"
        );
        let fields = |m: &serde_json::Value| {
            (
                m["status"].as_str().map(str::to_owned),
                m["supervision_level"].as_str().map(str::to_owned),
                m["overdue"].as_bool(),
                m["days_left"].as_i64(),
            )
        };
        assert_eq!(fields(&majors[0]), (Some("assigned".into()), Some("county".into()), Some(true), Some(-15)));
        assert_eq!(fields(&majors[1]), (Some("assigned".into()), Some("county".into()), Some(false), Some(47)));
        assert_eq!(
            fields(&majors[2]),
            (Some("confirmed".into()), None, Some(false), None),
            "awaiting 交办 is never overdue"
        );

        // The bulletin is each listed hazard's 通报: in the 一单 and on the hazard's page.
        let (_, one) = app.get(&county.token, "/api/v1/major-hazards").await;
        assert_eq!(one["total"], 3, "待认定 only on request: {one}");
        for row in one["items"].as_array().unwrap() {
            assert_eq!(row["notified"], true, "{row}");
            assert_eq!(row["notified_in"]["period_start"], "2026-12-01", "{row}");
        }
        let (_, all) = app.get(&county.token, "/api/v1/major-hazards?include_reported=true").await;
        let row = all["items"].as_array().unwrap().iter().find(|r| r["id"] == reported).unwrap();
        assert_eq!((row["status"].as_str(), row["notified"].as_bool()), (Some("reported"), Some(false)));
        let (_, html) = page(&app, &county, &format!("/hazards/{on_time}")).await;
        assert!(html.contains("已通报（2026-12-01 至 2026-12-15）"), "{html}");
        let (_, html) = page(&app, &county, "/major-hazards").await;
        assert!(html.contains("已通报") && !html.contains("通报功能上线后"), "{html}");

        // Labels in Chinese on the review page.
        let (status, html) = page(&app, &county, &format!("/bulletins/{bid}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("烟花爆竹") && html.contains("已交办") && html.contains("县级") && html.contains("待交办"),
            "{html}"
        );
        for raw in ["fireworks", "assigned", "county", "confirmed"] {
            assert!(!html.contains(&format!(">{raw}<")), "{raw} shown raw: {html}");
        }
        assert!(!html.contains("fireworks"), "the sector code is printed: {html}");

        // The proposer may not approve, even with the approver role; another approver may, in the page.
        let both = app.user("both").role(Role::Regulator).role(Role::Approver).region("420103").create().await;
        let (status, _) = form(&app, &both, &format!("/bulletins/{bid}/propose"), &[(&format!("h{late}"), "on")]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (status, v) =
            app.post(&both.token, &format!("/api/v1/bulletins/{bid}/approve"), &json!({"approved": true})).await;
        assert_eq!((status, v["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("same_person")), "{v}");
        let (_, html) = page(&app, &both, &format!("/bulletins/{bid}")).await;
        assert!(html.contains("公开提请待批准") && !html.contains("approve-button"), "{html}");
        let boss = app.user("boss").role(Role::Approver).region("420103").create().await;
        // Returned, the proposal is gone and nothing is public; proposed again, it waits again.
        let (status, v) =
            app.post(&boss.token, &format!("/api/v1/bulletins/{bid}/approve"), &json!({"approved": false})).await;
        assert_eq!(
            (status, v["status"].as_str(), v["proposal"].is_null()),
            (StatusCode::OK, Some("draft"), true),
            "{v}"
        );
        let (status, _) = form(&app, &both, &format!("/bulletins/{bid}/propose"), &[(&format!("h{late}"), "on")]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, todos) = app.get(&boss.token, "/api/v1/todos").await;
        assert!(
            todos["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["title"].as_str().unwrap().starts_with("通报公开待批准")),
            "{todos}"
        );
        let (_, html) = page(&app, &boss, &format!("/bulletins/{bid}")).await;
        assert!(html.contains("approve-button"), "{html}");
        let (status, _) = form(&app, &boss, &format!("/bulletins/{bid}/approve"), &[("approved", "true")]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, v) = app.get(&boss.token, &format!("/api/v1/bulletins/{bid}")).await;
        assert_eq!(
            (v["status"].as_str(), v["published_hazard_ids"][0].as_i64()),
            (Some("published"), Some(late)),
            "{v}"
        );
        let public = app.client.get(app.url("/public/bulletins")).send().await.unwrap().text().await.unwrap();
        assert!(public.contains("仓库超量储存烟花") && !public.contains("防雷设施未检测"), "{public}");
        let (_, report) = app.get(&county.token, "/api/v1/audit/verify").await;
        assert_eq!(report["ok"], true, "{report}");
    })
    .await;
}
