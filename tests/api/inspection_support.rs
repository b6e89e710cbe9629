//! Building blocks for tests that need inspections: certified inspectors and an
//! approved inspection created through the API. The signatures are stable.
#![allow(dead_code)]

use crate::helpers::{TestApp, TestUser};
use anjian::auth::Role;
use anjian::clock::Clock;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A user with the inspector role and a certificate valid until 2028-12-31, in the bureau of `region`.
pub async fn inspector(app: &TestApp, username: &str, region: &str) -> TestUser {
    app.user(username).role(Role::Inspector).region(region).create().await
}

/// The body of a `planned` inspection of `enterprise_id` a week from today by `team`.
pub fn new_inspection(app: &TestApp, team: &[&TestUser], enterprise_id: i64) -> Value {
    let planned = app.clock.today() + chrono::Days::new(7);
    json!({"enterprise_id": enterprise_id, "kind": "planned", "inspector_ids": team.iter().map(|u| u.id).collect::<Vec<_>>(),
        "planned_date": planned, "plan_text": "检查安全生产责任制落实、重大危险源管控和隐患排查治理情况"})
}

/// Creates an inspection through the API and answers its detail (asserting 201).
pub async fn pending_inspection(app: &TestApp, creator: &TestUser, team: &[&TestUser], enterprise_id: i64) -> Value {
    let (status, v) = app.post(&creator.token, "/api/v1/inspections", &new_inspection(app, team, enterprise_id)).await;
    assert_eq!(status, StatusCode::CREATED, "creating an inspection: {v}");
    v
}

/// An inspection of `enterprise_id` by `team`, created by `bureau_regulator` and approved by
/// `approver` (over the enterprise's yearly cap, a second approver of the same bureau is
/// created to give the over-cap approval first); its document numbers are reserved.
pub async fn approved_inspection(
    app: &TestApp,
    bureau_regulator: &TestUser,
    approver: &TestUser,
    team: &[&TestUser],
    enterprise_id: i64,
) -> i64 {
    let v = pending_inspection(app, bureau_regulator, team, enterprise_id).await;
    let id = v["id"].as_i64().unwrap();
    let (_, seen) = app.get(&approver.token, &format!("/api/v1/inspections/{id}")).await;
    if seen["allowed_actions"].as_array().is_some_and(|a| a.iter().any(|x| x == "approve_over_cap")) {
        let (_, me) = app.get(&approver.token, "/api/v1/auth/me").await;
        let region = me["bureau"]["code"].as_str().unwrap().to_owned();
        let second = app.user(&format!("cap_approver_{id}")).role(Role::Approver).region(&region).create().await;
        let body = json!({"reason": "专项整治需要"});
        let (status, v) = app.post(&second.token, &format!("/api/v1/inspections/{id}/approve_over_cap"), &body).await;
        assert_eq!(status, StatusCode::OK, "over-cap approval: {v}");
    }
    let (status, v) = app.post(&approver.token, &format!("/api/v1/inspections/{id}/approve"), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "approving inspection {id}: {v}");
    assert_eq!(v["status"], "approved", "{v}");
    id
}
