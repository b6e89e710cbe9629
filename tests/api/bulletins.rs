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
        let (status, _) = app.post(&city.token, &format!("/api/v1/bulletins/{bid}/publish"), &json!({"hazard_ids": [id]})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "only the bureau's own regulators publish its bulletin");
        let (status, _) = app.post(&county.token, &format!("/api/v1/bulletins/{bid}/publish"), &json!({"hazard_ids": [id + 1000]})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, v) = app.post(&county.token, &format!("/api/v1/bulletins/{bid}/publish"), &json!({"hazard_ids": [id]})).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["status"], "published");

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
