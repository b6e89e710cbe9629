//! The inspector register: certificates, specialties, absences, scope.

use crate::helpers::{TestUser, on_each_backend};
use crate::inspection_support::inspector;
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::json;

fn session(u: &TestUser) -> String {
    format!("anjian_session={}", u.token)
}

#[tokio::test]
async fn the_register_shows_certificates_specialties_and_availability_in_the_bureaus_tree() {
    on_each_backend(|app| async move {
        let reg = app.user("reg_jh").role(Role::Regulator).region("420103").create().await;
        let city = app.user("reg_wh").role(Role::Regulator).region("420100").create().await;
        let other = app.user("reg_wc").role(Role::Regulator).region("420106").create().await;
        let zf = inspector(&app, "zf_one", "420103").await;
        let patch = json!({"certificate_no": "42010399999", "certificate_valid_until": "2026-12-10",
            "specialties": ["hazardous_chemicals", "fireworks"]});
        let (status, v) = app.patch(&zf.token, &format!("/api/v1/inspectors/{}", zf.id), &patch).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "an inspector does not edit the register: {v}");
        let (status, v) = app.patch(&reg.token, &format!("/api/v1/inspectors/{}", zf.id), &patch).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["certificate_status"], "expiring", "{v}");
        assert_eq!(v["specialties"], json!(["hazardous_chemicals", "fireworks"]));
        let away = json!({"from": "2026-11-22", "to": "2026-11-23", "kind": "leave", "note": "年休假"});
        let (status, v) = app.post(&reg.token, &format!("/api/v1/inspectors/{}/absences", zf.id), &away).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        let (status, list) = app.get(&city.token, "/api/v1/inspectors").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list["total"], 1, "the city sees the district's inspectors: {list}");
        assert_eq!(list["items"][0]["absent"], "leave");
        let (status, _) = app.get(&other.token, &format!("/api/v1/inspectors/{}", zf.id)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "another county does not");
        let (_, list) = app.get(&other.token, "/api/v1/inspectors").await;
        assert_eq!(list["total"], 0);
        let (status, v) = app.get(&reg.token, &format!("/api/v1/inspectors/{}", zf.id)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(v["absences"][0]["note"], "年休假", "{v}");
        let res = app.client.get(app.url("/inspectors")).header("cookie", session(&reg)).send().await.unwrap();
        let html = res.text().await.unwrap();
        assert!(html.contains("42010399999") && html.contains("即将到期") && html.contains("休假"), "{html}");
    })
    .await;
}
