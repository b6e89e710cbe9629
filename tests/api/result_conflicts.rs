//! Two devices writing the same item of an inspection: a write from an older version
//! is kept as a conflict, shown on the item, never applied over the newer outcome;
//! an inspector of the team chooses; completion waits; both versions stay on record
//! and in the change log — on SQLite and PostgreSQL.

use crate::helpers::on_each_backend;
use crate::inspection_record::{fill, put, site};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn item<'a>(record: &'a Value, code: &str) -> &'a Value {
    record["items"].as_array().unwrap().iter().find(|i| i["code"] == code).unwrap()
}

#[tokio::test]
async fn a_write_from_an_older_version_is_kept_not_applied_until_chosen() {
    on_each_backend(|app| async move {
        let s = site(&app).await;
        let filled = fill(&app, &s).await;
        let results = format!("/api/v1/inspections/{}/results", s.id);
        let code = filled["items"][1]["code"].as_str().unwrap().to_owned();
        assert_eq!(item(&filled, &code)["version"], 1, "{filled}");
        assert_eq!(item(&filled, &code)["outcome"], "conform");

        // Tablet A saw version 1 and changes the item: applied, version 2.
        let tablet_a = json!([{"code": code, "outcome": "not_applicable", "note": "设备已拆除", "base_version": 1}]);
        let (st, r) = put(&app, &s.a.token, &results, &tablet_a).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(item(&r, &code)["version"], 2);

        // Tablet B also saw version 1 and writes something else: kept, not applied.
        let tablet_b = json!([{"code": code, "outcome": "conform", "note": "现场复核正常", "base_version": 1}]);
        let (st, r) = put(&app, &s.b.token, &results, &tablet_b).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        let it = item(&r, &code);
        assert_eq!((it["outcome"].as_str(), it["version"].as_i64()), (Some("not_applicable"), Some(2)), "{it}");
        let conflicts = it["conflicts"].as_array().unwrap();
        assert_eq!(conflicts.len(), 1, "{it}");
        assert_eq!(conflicts[0]["outcome"], "conform");
        assert_eq!(conflicts[0]["note"], "现场复核正常");
        assert_eq!(
            (conflicts[0]["base_version"].as_i64(), conflicts[0]["server_version"].as_i64()),
            (Some(1), Some(2))
        );
        assert_eq!(conflicts[0]["created_by"], s.b.id);

        // The same write sent again is kept once; one that agrees with the stored
        // outcome is no conflict at all.
        let (_, r) = put(&app, &s.b.token, &results, &tablet_b).await;
        assert_eq!(item(&r, &code)["conflicts"].as_array().unwrap().len(), 1, "{r}");
        let agree = json!([{"code": code, "outcome": "not_applicable", "note": "设备已拆除", "base_version": 1}]);
        let (_, r) = put(&app, &s.b.token, &results, &agree).await;
        assert_eq!(item(&r, &code)["conflicts"].as_array().unwrap().len(), 1, "{r}");

        // Completion waits for the choice, naming the item.
        let (st, v) = app.post(&s.a.token, &format!("/api/v1/inspections/{}/complete", s.id), &json!({})).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["error"]["fields"]["results"].to_string().contains(&code), "{v}");

        // Someone outside the team cannot choose; a bad choice is a field error.
        let conflict = conflicts[0]["id"].as_i64().unwrap();
        let resolve = format!("/api/v1/inspections/{}/result-conflicts/{conflict}/resolve", s.id);
        let (st, _) = app.post(&s.w.reg.token, &resolve, &json!({"resolution": "took_incoming"})).await;
        assert!(st == StatusCode::FORBIDDEN || st == StatusCode::NOT_FOUND, "{st}");
        let (st, v) = app.post(&s.a.token, &resolve, &json!({"resolution": "both"})).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");

        // Taking the other device's outcome makes it version 3, by the one who chose.
        let (st, r) = app.post(&s.a.token, &resolve, &json!({"resolution": "took_incoming"})).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        let it = item(&r, &code);
        assert_eq!(
            (it["outcome"].as_str(), it["note"].as_str(), it["version"].as_i64()),
            (Some("conform"), Some("现场复核正常"), Some(3))
        );
        assert!(it["conflicts"].as_array().unwrap().is_empty(), "{it}");
        let (st, v) = app.post(&s.a.token, &resolve, &json!({"resolution": "kept_server"})).await;
        assert_eq!(st, StatusCode::CONFLICT, "{v}");
        assert_eq!(v["error"]["code"], "conflict_resolved");

        // A write without a base version replaces (the pages); completion now passes.
        let page = json!([{"code": code, "outcome": "conform"}]);
        let (st, r) = put(&app, &s.a.token, &results, &page).await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(item(&r, &code)["version"], 4);
        let (st, v) = app.post(&s.a.token, &format!("/api/v1/inspections/{}/complete", s.id), &json!({})).await;
        assert_eq!(st, StatusCode::OK, "{v}");

        // Both versions are in the change log, and the log verifies.
        let (st, v) = app.get(&s.w.reg.token, "/api/v1/audit/verify").await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["ok"], true, "{v}");
    })
    .await;
}

#[tokio::test]
async fn a_negative_base_version_is_refused_with_the_item_named() {
    on_each_backend(|app| async move {
        let s = site(&app).await;
        let filled = fill(&app, &s).await;
        let code = filled["items"][0]["code"].as_str().unwrap().to_owned();
        let body =
            json!([{"code": code, "outcome": "conform", "base_version": -1}, {"code": "NOPE", "outcome": "conform"}]);
        let (st, v) = put(&app, &s.a.token, &format!("/api/v1/inspections/{}/results", s.id), &body).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let fields = &v["error"]["fields"];
        assert!(fields["results[0].base_version"].is_array() && fields["results[1].code"].is_array(), "{v}");
    })
    .await;
}
