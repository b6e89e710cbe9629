//! The offline packet a team's tablet downloads before leaving: the inspection with its
//! reserved numbers, the record with item versions, the enterprise, its open hazards
//! and the findings of its earlier inspections — for the team only, while there is
//! something to do on site — on SQLite and PostgreSQL.

use crate::helpers::on_each_backend;
use crate::inspection_record::{fill, site};
use anjian::auth::Role;
use chrono::DateTime;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn the_team_downloads_what_it_needs_on_site_and_no_one_else_does() {
    on_each_backend(|app| async move {
        // An earlier inspection of the same enterprise, completed with two findings.
        let s = site(&app).await;
        fill(&app, &s).await;
        let (st, v) = app.post(&s.a.token, &format!("/api/v1/inspections/{}/complete", s.id), &json!({})).await;
        assert_eq!(st, StatusCode::OK, "{v}");
        let approver = app.user("pzr2").role(Role::Approver).region("420103").create().await;
        let id =
            crate::inspection_support::approved_inspection(&app, &s.w.reg, &approver, &[&s.a, &s.b], s.w.enterprise)
                .await;

        let (st, p) = app.get(&s.b.token, &format!("/api/v1/inspections/{id}/offline")).await;
        assert_eq!(st, StatusCode::OK, "{p}");
        assert_eq!(p["inspection"]["id"], id);
        assert!(p["inspection"]["allowed_actions"].is_array(), "{p}");
        let numbers = p["inspection"]["documents"].as_array().unwrap();
        assert!(
            numbers
                .iter()
                .any(|d| d["type"] == "rectification_order"
                    && d["number"].as_str().is_some_and(|n| n.contains("〔2026〕"))),
            "{p}"
        );
        let items = p["record"]["items"].as_array().unwrap();
        assert!(!items.is_empty() && items.iter().all(|i| i["version"] == 0 && i["conflicts"] == json!([])), "{p}");
        assert_eq!(p["enterprise"]["id"], s.w.enterprise);
        assert_eq!(p["enterprise"]["name"], "甲化工有限公司");
        let has_position = p["enterprise"]["latitude"].is_number() && p["enterprise"]["longitude"].is_number();
        assert_eq!(p["enterprise"]["map_uri"].is_string(), has_position, "{p}");
        let at = |k: &str| DateTime::parse_from_rfc3339(p[k].as_str().unwrap()).unwrap();
        assert_eq!(at("keep_until") - at("generated_at"), chrono::TimeDelta::days(7));

        // The earlier findings, and the open hazards they became (no reporter anywhere).
        let earlier = p["earlier_findings"].as_array().unwrap();
        assert_eq!(earlier.len(), 2, "{p}");
        assert!(earlier.iter().all(|f| f["inspection_id"] == s.id && f["hazard_id"].is_i64()), "{p}");
        let open: Vec<i64> = p["open_hazards"].as_array().unwrap().iter().map(|h| h["id"].as_i64().unwrap()).collect();
        for f in earlier {
            assert!(open.contains(&f["hazard_id"].as_i64().unwrap()), "{p}");
        }
        assert!(!p.to_string().contains("reporter"), "{p}");

        // Not for anyone outside the team; not for a completed inspection; 404 unseen.
        let (st, _) = app.get(&s.w.reg.token, &format!("/api/v1/inspections/{id}/offline")).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (st, v) = app.get(&s.a.token, &format!("/api/v1/inspections/{}/offline", s.id)).await;
        assert_eq!(st, StatusCode::CONFLICT, "{v}");
        let (st, _) = app.get(&s.w.principal.token, &format!("/api/v1/inspections/{id}/offline")).await;
        assert_eq!(st, StatusCode::NOT_FOUND);
    })
    .await;
}
