//! The role matrix: every endpoint, every role, and the anonymous caller.

use crate::helpers::{TestApp, code, enterprise_body, on_each_backend};
use anjian::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

struct Case {
    method: Method,
    path: String,
    body: Option<Value>,
    /// Roles that get a success (2xx) or a non-authorisation answer (400/422).
    allowed: &'static [Role],
}

const ALL: &[Role] = Role::ALL;
const REGULATOR: &[Role] = &[Role::Regulator];
const BUREAU: &[Role] = &[Role::Regulator, Role::Inspector, Role::LegalReviewer, Role::Approver, Role::GridWorker];
/// Everyone but the legal reviewer and the approver may report a hazard.
const REPORTERS: &[Role] =
    &[Role::Regulator, Role::Inspector, Role::GridWorker, Role::Principal, Role::SafetyOfficer, Role::Staff];

fn new_hazard(enterprise: i64) -> Value {
    json!({"enterprise_id": enterprise, "source": "grid_patrol", "level": "general", "category": "environment",
        "title": "消防通道堵塞", "description": "仓库门口堆放杂物", "found_at": "2026-11-22T01:00:00Z"})
}

/// A hazard of the enterprise, recorded by a regulator.
async fn hazard_of(app: &TestApp, token: &str, enterprise: i64) -> i64 {
    let (status, v) = app.post(token, "/api/v1/hazards", &new_hazard(enterprise)).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v["id"].as_i64().unwrap()
}

async fn call(app: &TestApp, token: Option<&str>, c: &Case) -> StatusCode {
    let mut req = app.client.request(c.method.clone(), app.url(&c.path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req = match (&c.body, c.path.ends_with("/import")) {
        (_, true) => {
            let part = reqwest::multipart::Part::bytes(b"not a workbook".to_vec()).file_name("x.xlsx");
            req.multipart(reqwest::multipart::Form::new().part("file", part))
        }
        (Some(b), false) => req.json(b),
        (None, false) => req,
    };
    req.send().await.unwrap().status()
}

fn cases(own: i64, hazard: i64) -> Vec<Case> {
    let e = format!("/api/v1/enterprises/{own}");
    let h = format!("/api/v1/hazards/{hazard}");
    let new = enterprise_body(&code("420103", 900), "新企业", "fireworks", "fw_retail", "420103");
    vec![
        Case { method: Method::GET, path: "/api/v1/auth/me".into(), body: None, allowed: ALL },
        Case { method: Method::GET, path: "/api/v1/bureaus".into(), body: None, allowed: ALL },
        Case {
            method: Method::POST,
            path: "/api/v1/bureaus".into(),
            body: Some(json!({"code": "420103-YQ", "name": "园区安监局", "region_code": "420103"})),
            allowed: REGULATOR,
        },
        Case { method: Method::GET, path: "/api/v1/todos".into(), body: None, allowed: ALL },
        Case { method: Method::GET, path: "/api/v1/enterprises".into(), body: None, allowed: ALL },
        Case { method: Method::GET, path: e.clone(), body: None, allowed: ALL },
        Case { method: Method::POST, path: "/api/v1/enterprises".into(), body: Some(new), allowed: REGULATOR },
        Case {
            method: Method::PATCH,
            path: e.clone(),
            body: Some(json!({"phone": "027-12345678"})),
            allowed: &[Role::Regulator, Role::Principal, Role::SafetyOfficer],
        },
        Case {
            method: Method::POST,
            path: format!("{e}/licences"),
            body: Some(json!({"licence_type": "t", "number": "n"})),
            allowed: REGULATOR,
        },
        Case { method: Method::GET, path: "/api/v1/enterprises/export".into(), body: None, allowed: REGULATOR },
        Case { method: Method::POST, path: "/api/v1/enterprises/import".into(), body: None, allowed: REGULATOR },
        Case {
            method: Method::POST,
            path: "/api/v1/enterprises/accounts".into(),
            body: Some(json!({"roles": ["principal"], "enterprise_ids": []})),
            allowed: REGULATOR,
        },
        Case { method: Method::GET, path: "/api/v1/audit/verify".into(), body: None, allowed: REGULATOR },
        Case {
            method: Method::GET,
            path: "/api/v1/calendar?from=2026-09-28&to=2026-10-11".into(),
            body: None,
            allowed: ALL,
        },
        Case {
            method: Method::GET,
            path: "/api/v1/calendar/working-days?start=2026-09-30&days=3".into(),
            body: None,
            allowed: ALL,
        },
        // Only regulators of a province-level bureau; every user here is at a county.
        Case { method: Method::POST, path: "/api/v1/calendar/holidays/import".into(), body: None, allowed: &[] },
        Case { method: Method::POST, path: "/api/v1/hazards".into(), body: Some(new_hazard(own)), allowed: REPORTERS },
        Case { method: Method::GET, path: "/api/v1/hazards".into(), body: None, allowed: ALL },
        Case { method: Method::GET, path: "/api/v1/hazards/counts".into(), body: None, allowed: ALL },
        Case { method: Method::GET, path: h.clone(), body: None, allowed: ALL },
        Case {
            method: Method::POST,
            path: format!("{h}/progress"),
            body: Some(json!({"note": "已更换部分设备"})),
            allowed: &[Role::Principal, Role::SafetyOfficer],
        },
        Case { method: Method::POST, path: format!("{h}/confirm"), body: Some(json!({})), allowed: REGULATOR },
        Case { method: Method::GET, path: "/api/v1/major-hazards".into(), body: None, allowed: ALL },
        Case { method: Method::GET, path: "/api/v1/major-hazards/export".into(), body: None, allowed: BUREAU },
        Case { method: Method::GET, path: "/api/v1/bulletins".into(), body: None, allowed: BUREAU },
        Case {
            method: Method::PUT,
            path: format!("{h}/report"),
            body: Some(json!({"current_state_and_causes": "x", "harm_and_difficulty": "x", "remediation_plan": "x"})),
            allowed: &[Role::Principal, Role::SafetyOfficer],
        },
        Case { method: Method::GET, path: "/api/v1/hazard-categories".into(), body: None, allowed: ALL },
        Case { method: Method::POST, path: "/api/v1/attachments".into(), body: Some(json!({})), allowed: ALL },
    ]
}

#[tokio::test]
async fn every_endpoint_refuses_the_roles_it_must() {
    on_each_backend(|app| async move {
        let reg = app.user("owner").role(Role::Regulator).region("420103").create().await;
        let own = app
            .enterprise(&reg.token, enterprise_body(&code("420103", 1), "本企业", "fireworks", "fw_retail", "420103"))
            .await;
        let hazard = hazard_of(&app, &reg.token, own).await;
        let mut users = Vec::new();
        for (i, role) in Role::ALL.iter().copied().enumerate() {
            let b = app.user(&format!("user{i}")).role(role);
            let b = if role.is_bureau_role() { b.region("420103") } else { b.enterprise(own) };
            users.push((role, b.create().await));
        }
        for c in cases(own, hazard) {
            for (role, u) in &users {
                let status = call(&app, Some(&u.token), &c).await;
                let ok = c.allowed.contains(role);
                let refused = status == StatusCode::FORBIDDEN;
                assert!(ok != refused, "{} {} as {role:?}: {status}", c.method, c.path);
                assert_ne!(status, StatusCode::UNAUTHORIZED, "{} {} as {role:?}", c.method, c.path);
            }
            assert_eq!(call(&app, None, &c).await, StatusCode::UNAUTHORIZED, "{} {} anonymously", c.method, c.path);
        }
    })
    .await;
}

#[tokio::test]
async fn another_enterprises_records_answer_404_not_403() {
    on_each_backend(|app| async move {
        let reg = app.user("owner").role(Role::Regulator).region("420103").create().await;
        let mine = app
            .enterprise(&reg.token, enterprise_body(&code("420103", 2), "我的企业", "fireworks", "fw_retail", "420103"))
            .await;
        let theirs = app
            .enterprise(
                &reg.token,
                enterprise_body(&code("420103", 3), "别人的企业", "fireworks", "fw_retail", "420103"),
            )
            .await;
        let boss = app.user("boss").role(Role::Principal).enterprise(mine).create().await;
        let hazard = hazard_of(&app, &reg.token, theirs).await;
        let theirs_paths = [format!("/enterprises/{theirs}"), format!("/hazards/{hazard}")];
        for c in cases(theirs, hazard).into_iter().filter(|c| theirs_paths.iter().any(|p| c.path.contains(p.as_str())))
        {
            assert_eq!(call(&app, Some(&boss.token), &c).await, StatusCode::NOT_FOUND, "{} {}", c.method, c.path);
        }
    })
    .await;
}

#[tokio::test]
async fn the_openapi_document_covers_every_api_route() {
    on_each_backend(|app| async move {
        let (status, doc) = app.send(app.client.get(app.url("/api/openapi.json"))).await;
        assert_eq!(status, StatusCode::OK);
        let paths = doc["paths"].as_object().unwrap();
        for (method, path) in [
            ("post", "/api/v1/auth/login"),
            ("post", "/api/v1/auth/logout"),
            ("get", "/api/v1/auth/me"),
            ("post", "/api/v1/auth/password"),
            ("post", "/api/v1/auth/activate"),
            ("get", "/api/v1/bureaus"),
            ("post", "/api/v1/bureaus"),
            ("get", "/api/v1/enterprises"),
            ("post", "/api/v1/enterprises"),
            ("get", "/api/v1/enterprises/{id}"),
            ("patch", "/api/v1/enterprises/{id}"),
            ("post", "/api/v1/enterprises/{id}/licences"),
            ("get", "/api/v1/enterprises/export"),
            ("post", "/api/v1/enterprises/import"),
            ("post", "/api/v1/enterprises/accounts"),
            ("get", "/api/v1/audit/verify"),
            ("get", "/api/v1/todos"),
            ("post", "/api/v1/todos/{id}/done"),
            ("get", "/api/v1/calendar"),
            ("get", "/api/v1/calendar/working-days"),
            ("post", "/api/v1/calendar/holidays/import"),
            ("post", "/api/v1/hazards"),
            ("get", "/api/v1/hazards"),
            ("get", "/api/v1/hazards/counts"),
            ("get", "/api/v1/hazards/{id}"),
            ("post", "/api/v1/hazards/{id}/confirm"),
            ("post", "/api/v1/hazards/{id}/dismiss"),
            ("post", "/api/v1/hazards/{id}/assign"),
            ("post", "/api/v1/hazards/{id}/plan"),
            ("post", "/api/v1/hazards/{id}/progress"),
            ("post", "/api/v1/hazards/{id}/suspend"),
            ("post", "/api/v1/hazards/{id}/submit"),
            ("post", "/api/v1/hazards/{id}/verify"),
            ("post", "/api/v1/hazards/{id}/request_extension"),
            ("post", "/api/v1/hazards/{id}/decide_extension"),
            ("post", "/api/v1/hazards/{id}/reopen"),
            ("post", "/api/v1/hazards/{id}/void"),
            ("get", "/api/v1/major-hazards"),
            ("get", "/api/v1/major-hazards/export"),
            ("put", "/api/v1/hazards/{id}/report"),
            ("get", "/api/v1/bulletins"),
            ("get", "/api/v1/bulletins/{id}"),
            ("post", "/api/v1/bulletins/{id}/publish"),
            ("get", "/api/v1/hazard-categories"),
            ("post", "/api/v1/attachments"),
            ("get", "/api/v1/attachments/{id}"),
        ] {
            assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} missing");
        }
        let sector = &doc["components"]["schemas"]["Sector"]["enum"];
        assert_eq!(sector, &json!(["hazardous_chemicals", "fireworks", "non_coal_mine", "industry_trade"]));
        let create = &doc["components"]["schemas"]["CreateEnterpriseRequest"]["required"];
        for f in ["credit_code", "name", "sector", "sub_types", "region_code"] {
            assert!(create.as_array().unwrap().contains(&json!(f)), "{f} should be required");
        }
    })
    .await;
}
