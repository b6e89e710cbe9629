//! Building blocks for the draw's tests: a county bureau with a regulator, an
//! approver, four certified inspectors with their own certificate numbers and six
//! hazardous-chemicals enterprises; and the page client (cookie and CSRF token).
#![allow(dead_code)]

use crate::helpers::{TestApp, TestUser, code, enterprise_body, world};
use crate::inspection_support::inspector;
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::json;

pub struct DrawWorld {
    pub reg: TestUser,
    pub approver: TestUser,
    pub inspectors: Vec<TestUser>,
    pub enterprises: Vec<i64>,
    /// The safety officer of the first enterprise.
    pub officer: TestUser,
}

pub async fn draw_world(app: &TestApp) -> DrawWorld {
    let w = world(app).await;
    let approver = app.user("pzr").role(Role::Approver).region("420103").create().await;
    let mut inspectors = Vec::new();
    for n in 1..=4 {
        let u = inspector(app, &format!("zf{n}"), "420103").await;
        let body = json!({"certificate_no": format!("4201030000{n}"), "specialties": ["hazardous_chemicals"]});
        let (status, v) = app.patch(&w.reg.token, &format!("/api/v1/inspectors/{}", u.id), &body).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        inspectors.push(u);
    }
    let names = ["乙化工有限公司", "丙化工有限公司", "丁化工有限公司", "戊化工有限公司", "己化工有限公司"];
    let mut enterprises = vec![w.enterprise];
    for (n, name) in names.iter().enumerate() {
        let serial = u32::try_from(n).unwrap() + 2;
        let body = enterprise_body(&code("420103", serial), name, "hazardous_chemicals", "hc_production", "420103");
        enterprises.push(app.enterprise(&w.reg.token, body).await);
    }
    DrawWorld { reg: w.reg, approver, inspectors, enterprises, officer: w.officer }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// A page as `u` sees it.
pub async fn get_page(app: &TestApp, u: &TestUser, path: &str) -> (StatusCode, String) {
    let r = client().get(app.url(path)).header("cookie", format!("anjian_session={}", u.token)).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// Posts a page form as `u` (with the CSRF token): status, redirect target, body.
pub async fn post_page(app: &TestApp, u: &TestUser, path: &str, form: &[(&str, &str)]) -> (StatusCode, String, String) {
    let mut pairs: Vec<(&str, &str)> = vec![("csrf_token", u.csrf.as_str())];
    pairs.extend(form.iter().copied());
    let r = client()
        .post(app.url(path))
        .header("cookie", format!("anjian_session={}", u.token))
        .form(&pairs)
        .send()
        .await
        .unwrap();
    let to = r.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
    (r.status(), to, r.text().await.unwrap())
}

/// Stores a pool for a draw row a test made by hand (an empty one when `pool` is `None`).
pub async fn store_pool(db: &impl sea_orm::ConnectionTrait, draw_id: i64, pool: Option<serde_json::Value>) {
    let pool = pool.unwrap_or_else(|| {
        serde_json::json!({"parameters": {"team_size": 2, "specialty_rule": "none", "weighted": false, "strata": []},
            "enterprises": [], "inspectors": [], "exclusions": [], "ineligible": []})
    });
    let frozen: anjian::draw::proof::Frozen = serde_json::from_value(pool).unwrap();
    anjian::draw::pool_store::save(db, draw_id, &frozen).await.unwrap();
}
