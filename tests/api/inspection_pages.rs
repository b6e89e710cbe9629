//! The pages that start an inspection (`/inspections/new`) and keep the inspector
//! register (`/inspectors/{id}`): created through the page, every problem listed at
//! once with what was typed kept, and the enterprise page's 执法检查 section.

use crate::helpers::{TestApp, TestUser, on_each_backend, world};
use crate::inspection_support::inspector;
use anjian::clock::Clock;
use reqwest::StatusCode;

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn get(app: &TestApp, u: &TestUser, path: &str) -> (StatusCode, String) {
    let r = client().get(app.url(path)).header("cookie", format!("anjian_session={}", u.token)).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn post(app: &TestApp, u: &TestUser, path: &str, form: &[(&str, String)]) -> (StatusCode, String, String) {
    let mut pairs: Vec<(&str, String)> = vec![("csrf_token", u.csrf.clone())];
    pairs.extend(form.iter().cloned());
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

#[tokio::test]
async fn an_inspection_is_started_from_the_page_and_a_bad_form_comes_back_with_every_problem() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let one = inspector(&app, "zf_a", "420103").await;
        let two = inspector(&app, "zf_b", "420103").await;
        let (status, form) = get(&app, &w.reg, &format!("/inspections/new?enterprise_id={}", w.enterprise)).await;
        assert_eq!(status, StatusCode::OK, "{form}");
        assert!(form.contains("zf_a") && form.contains("有效") && form.contains("重点检查"), "{form}");
        assert!(form.contains(r#"id="inspection-preview""#) && form.contains("已计入频次的检查"), "{form}");
        // One inspector, no date, no plan: every problem at once, the choices kept.
        let bad = [
            ("enterprise_id", w.enterprise.to_string()),
            ("kind", "special".to_owned()),
            ("inspector_ids", one.id.to_string()),
            ("planned_date", "明天".to_owned()),
            ("plan_text", String::new()),
        ];
        let (status, _, page) = post(&app, &w.reg, "/inspections/new", &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
        assert!(page.contains("YYYY-MM-DD 填写计划检查日期"), "the date: {page}");
        assert!(page.contains("请填写现场检查方案"), "the plan: {page}");
        assert!(page.contains("执法人员"), "the team: {page}");
        assert!(page.contains(r#"value="明天""#), "the typed date is kept: {page}");
        assert!(page.contains(r#"<option value="special" selected>"#), "the kind is kept: {page}");
        assert!(page.contains(&format!(r#"name="inspector_ids" value="{}" checked"#, one.id)), "{page}");
        let (_, v) = app.get(&w.reg.token, "/api/v1/inspections").await;
        assert_eq!(v["total"], 0, "nothing was created: {v}");
        // A good form creates it pending approval and leads to it.
        let date = (app.clock.today() + chrono::Days::new(5)).to_string();
        let good = [
            ("enterprise_id", w.enterprise.to_string()),
            ("kind", "planned".to_owned()),
            ("inspector_ids", one.id.to_string()),
            ("inspector_ids", two.id.to_string()),
            ("leader_id", two.id.to_string()),
            ("planned_date", date.clone()),
            ("plan_text", "重点检查储罐区".to_owned()),
        ];
        let (status, to, page) = post(&app, &w.reg, "/inspections/new", &good).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
        assert!(to.starts_with("/inspections/") && to.ends_with("?created=1"), "{to}");
        let (_, detail) = get(&app, &w.reg, &to).await;
        assert!(detail.contains("检查已发起") && detail.contains("待审批") && detail.contains(&date), "{detail}");
        let id: i64 = to.trim_start_matches("/inspections/").trim_end_matches("?created=1").parse().unwrap();
        let (_, v) = app.get(&w.reg.token, &format!("/api/v1/inspections/{id}")).await;
        assert_eq!(v["status"], "pending_approval", "{v}");
        let leader = v["team"].as_array().unwrap().iter().find(|m| m["role"] == "leader").cloned();
        assert_eq!(leader.map(|m| m["user_id"].clone()), Some(two.id.into()), "the chosen leader leads: {v}");
        // The enterprise page lists it with the button to start another.
        let (_, e) = get(&app, &w.reg, &format!("/enterprises/{}", w.enterprise)).await;
        assert!(e.contains(r#"id="enterprise-inspections""#) && e.contains("重点检查") && e.contains("zf_b"), "{e}");
        assert!(e.contains(&format!("/inspections/new?enterprise_id={}", w.enterprise)), "{e}");
        assert!(e.contains("/checklist-items"), "{e}");
        // An enterprise user does not see it (not under way) and cannot open the form.
        let (_, own) = get(&app, &w.principal, &format!("/enterprises/{}", w.enterprise)).await;
        assert!(own.contains("暂无执法检查记录") && !own.contains("发起检查"), "{own}");
        let (status, _) = get(&app, &w.principal, "/inspections/new").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn a_regulator_keeps_an_inspectors_certificate_absences_and_conflicts_in_the_page() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let one = inspector(&app, "zf_a", "420103").await;
        let path = format!("/inspectors/{}", one.id);
        let (status, page) = get(&app, &w.reg, &path).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains("42010300001") && page.contains("暂无回避记录"), "{page}");
        let cert = [("certificate_no", "42010399999".to_owned()), ("certificate_valid_until", "2029-06-30".to_owned())];
        let (status, to, body) = post(&app, &w.reg, &format!("{path}/certificate"), &cert).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        assert!(to.starts_with(&path), "{to}");
        let bad = [("from", "2026-13-01".to_owned()), ("to", String::new()), ("kind", "leave".to_owned())];
        let (status, _, body) = post(&app, &w.reg, &format!("{path}/absences"), &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body.contains("开始日期") && body.contains("结束日期") && body.contains(r#"value="2026-13-01""#),
            "{body}"
        );
        let from = (app.clock.today() + chrono::Days::new(3)).to_string();
        let to_d = (app.clock.today() + chrono::Days::new(4)).to_string();
        let good = [("from", from.clone()), ("to", to_d), ("kind", "training".to_owned())];
        let (status, _, body) = post(&app, &w.reg, &format!("{path}/absences"), &good).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let conflict = [("enterprise_id", w.enterprise.to_string()), ("reason", "亲属在该企业任职".to_owned())];
        let (status, _, body) = post(&app, &w.reg, &format!("{path}/conflicts"), &conflict).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let (_, page) = get(&app, &w.reg, &path).await;
        assert!(page.contains("42010399999") && page.contains("2029-06-30"), "{page}");
        assert!(page.contains(&from) && page.contains("培训"), "{page}");
        assert!(page.contains("亲属在该企业任职") && page.contains("撤销回避"), "{page}");
        let (_, v) = app.get(&w.reg.token, &format!("/api/v1/inspectors/{}/conflicts", one.id)).await;
        let cid = v[0]["id"].as_i64().unwrap_or_else(|| panic!("{v}"));
        let (status, _, body) = post(&app, &w.reg, &format!("{path}/conflicts/{cid}/withdraw"), &[]).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let (_, v) = app.get(&w.reg.token, &format!("/api/v1/inspectors/{}/conflicts", one.id)).await;
        assert_eq!(v[0]["live"], false, "{v}");
        // An inspector reads the page but has no forms.
        let (status, page) = get(&app, &one, &path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!page.contains(r#"action="/inspectors/"#), "{page}");
    })
    .await;
}

#[tokio::test]
async fn the_demo_has_an_approved_inspection_with_reserved_numbers() {
    on_each_backend(|app| async move {
        anjian::demo::seed_if_empty(&app.state, 2).await.unwrap();
        let (status, v) = app.login("jianghan_zf", anjian::demo::DEMO_PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let token = v["token"].as_str().unwrap().to_owned();
        let (_, list) = app.get(&token, "/api/v1/inspections?mine=true&status=approved").await;
        assert_eq!(list["total"], 1, "the inspector's approved task: {list}");
        let id = list["items"][0]["id"].as_i64().unwrap();
        let (_, i) = app.get(&token, &format!("/api/v1/inspections/{id}")).await;
        let docs = i["documents"].as_array().unwrap();
        assert!(!docs.is_empty() && docs.iter().all(|d| d["status"] == "reserved"), "{i}");
        assert!(docs.iter().any(|d| d["number"] == "（江汉）应急检记〔2026〕1号"), "{i}");
        let (_, v) = app.login("jianghan_jg", anjian::demo::DEMO_PASSWORD).await;
        let (_, report) = app.get(v["token"].as_str().unwrap(), "/api/v1/audit/verify").await;
        assert_eq!(report["ok"], true, "the demo inspection is in the audit log: {report}");
    })
    .await;
}
