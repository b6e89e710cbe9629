//! The 安责险 pages: the regulator's list of enterprises without adequate cover (an
//! inspector opens a case from it), the policy form and the cancellation (problems
//! in Chinese, what was typed kept), the enterprise's insurance page for each
//! reader, and an insurer's own policies.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::json;

fn page_client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn get(app: &TestApp, u: &TestUser, path: &str) -> (StatusCode, String) {
    let res = page_client().get(app.url(path)).header("cookie", format!("anjian_session={}", u.token)).send().await;
    let res = res.unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn post(app: &TestApp, u: &TestUser, form: &[(&str, &str)]) -> (StatusCode, String) {
    let form: Vec<(&str, String)> = form.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    post_to(app, u, "/insurance/policies/new", &form).await
}

async fn post_to(app: &TestApp, u: &TestUser, path: &str, form: &[(&str, String)]) -> (StatusCode, String) {
    let mut form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    form.push(("csrf_token", u.csrf.as_str()));
    let res = page_client()
        .post(app.url(path))
        .header("cookie", format!("anjian_session={}", u.token))
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let to = res.headers().get("location").map(|l| l.to_str().unwrap().to_owned());
    (status, to.unwrap_or_default() + &res.text().await.unwrap())
}

#[tokio::test]
async fn regulators_insurers_and_the_enterprise_read_and_record_insurance_on_pages() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let mut body =
            enterprise_body(&code("420103", 1), "化工一号", "hazardous_chemicals", "hc_production", "420103");
        body["employees"] = json!(50);
        let plant = app.enterprise(&reg.token, body).await;
        let (status, page) = get(&app, &reg, "/insurance").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("化工一号") && page.contains("无有效保单") && page.contains("第一百零九条"), "{page}");
        assert!(page.contains(r#"href="/insurance""#) && page.contains("安责险"), "{page}");
        assert!(!page.contains("立案处罚"), "a regulator without a certificate does not open cases: {page}");
        // An inspector opens a case from the list: the unit, the facts and art. 109 filled in.
        let zf = app.user("zfy").role(Role::Inspector).region("420103").create().await;
        let (_, page) = get(&app, &zf, "/insurance").await;
        let open = format!("/cases/new?enterprise_id={plant}&amp;basis=uninsured");
        assert!(page.contains(&open) && page.contains("立案处罚"), "{page}");
        let (status, form) = get(&app, &zf, &open.replace("&amp;", "&")).await;
        assert_eq!(status, StatusCode::OK, "{form}");
        assert!(form.contains("未按规定投保或保障不足") && form.contains(r#"value="化工一号""#), "{form}");
        assert!(form.contains(r#"<option value="wsl-109" selected>"#), "{form}");

        let id = plant.to_string();
        let mut form = vec![
            ("enterprise_id", id.as_str()),
            ("insurer", "平安财险"),
            ("policy_no", "P-1"),
            ("starts_on", "2026-01-01"),
            ("ends_on", "2025-12-31"),
            ("premium_yuan", "12000"),
            ("insured_headcount", "五十"),
            ("death_disability_limit_yuan", "500000"),
        ];
        let (status, page) = post(&app, &reg, &form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("须为整数") && page.contains(r#"value="P-1""#), "{page}");
        form[6].1 = "50";
        let (status, page) = post(&app, &reg, &form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("结束日早于开始日") && page.contains(r#"value="平安财险""#), "{page}");
        form[4].1 = "2026-12-31";
        let (status, to) = post(&app, &reg, &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
        assert!(to.starts_with(&format!("/enterprises/{plant}/insurance")), "{to}");
        let (_, page) = get(&app, &reg, &format!("/enterprises/{plant}/insurance")).await;
        assert!(page.contains("P-1") && page.contains("已足额投保") && page.contains("500,000 元"), "{page}");
        let (_, page) = get(&app, &reg, "/insurance").await;
        assert!(page.contains("投保覆盖率") && page.contains(r#"id="coverage-rate">100.0%"#), "{page}");
        assert!(page.contains(r#"width="100" height="8" class="bar-ok""#), "{page}");

        // 退保 from the page: a date outside the term is refused in Chinese with the reason kept.
        let page_path = format!("/enterprises/{plant}/insurance");
        let (_, page) = get(&app, &reg, &page_path).await;
        assert!(page.contains("form-cancel") && page.contains("P-1（平安财险"), "{page}");
        let p1 = page.split(r#"<option value=""#).nth(2).unwrap().split('"').next().unwrap().to_owned();
        let cancel = |on: &'static str| {
            vec![
                ("policy_id", p1.clone()),
                ("cancelled_on", on.to_owned()),
                ("cancel_reason", "企业停产退保".to_owned()),
            ]
        };
        let (status, page) = post_to(&app, &reg, &format!("{page_path}/cancel"), &cancel("2027-03-01")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("退保日期须在保险期间") && page.contains("企业停产退保"), "{page}");
        let (status, to) = post_to(&app, &reg, &format!("{page_path}/cancel"), &cancel("2026-11-01")).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
        let (_, page) = get(&app, &reg, &to).await;
        assert!(page.contains("退保已登记") && page.contains("已退保") && page.contains("2026-11-01 退保"), "{page}");
        assert!(page.contains("未足额投保") && !page.contains("form-cancel"), "nothing left to cancel: {page}");

        let principal = app.user("fzr").role(Role::Principal).enterprise(plant).create().await;
        let (status, page) = get(&app, &principal, &format!("/enterprises/{plant}/insurance")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("P-1") && !page.contains("登记保单"), "{page}");
        assert_eq!(get(&app, &principal, "/insurance").await.0, StatusCode::NOT_FOUND);
        let (status, page) = post(&app, &principal, &form).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(page.contains("没有权限"), "{page}");
        let staff = app.user("yuangong").role(Role::Staff).enterprise(plant).create().await;
        assert_eq!(get(&app, &staff, &format!("/enterprises/{plant}/insurance")).await.0, StatusCode::NOT_FOUND);

        let pa = app.user("pingan").role(Role::Insurer).insurer("平安财险").create().await;
        let (status, page) = get(&app, &pa, "/insurance").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("P-1") && page.contains("化工一号") && page.contains("承保保单"), "{page}");
        assert_eq!(get(&app, &pa, &format!("/enterprises/{plant}/insurance")).await.0, StatusCode::OK);
        let picc = app.user("picc01").role(Role::Insurer).insurer("人保财险").create().await;
        assert_eq!(get(&app, &picc, &format!("/enterprises/{plant}/insurance")).await.0, StatusCode::NOT_FOUND);
        let (_, page) = get(&app, &picc, "/insurance/policies/new").await;
        assert!(page.contains(r#"value="人保财险" maxlength="200" readonly"#), "{page}");
    })
    .await;
}
