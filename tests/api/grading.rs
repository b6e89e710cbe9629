//! Enterprise grade and supervision class: computed from the data (risk points, open
//! major hazards at points, accidents), the class from the grade and the yearly cap
//! from the class, overrides kept until released, the hazchem guide's scoring, the
//! register's filters and counts, risk-point reviews as to-dos, and the pages.

use crate::helpers::{TestApp, TestUser, code, enterprise_body, on_each_backend, world};
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

fn point(name: &str, l: f64, e: f64, c: f64) -> Value {
    json!({"name": name, "location": "罐区", "hazard_factors": "易燃液体泄漏", "method": "lec", "l": l, "e": e, "c": c,
        "owning_level": "workshop", "responsible_person": "王工"})
}

fn hazard(enterprise: i64, level: &str, point: Option<i64>) -> Value {
    json!({"enterprise_id": enterprise, "source": "tip_off", "level": level, "category": "unsafe_condition",
        "title": "储罐区可燃气体报警器失效", "description": "罐区 3 台报警器未投用", "location": "罐区",
        "found_at": "2026-11-21T08:00:00Z", "deadline": "2026-12-10", "risk_point_id": point})
}

async fn grading(app: &TestApp, token: &str, enterprise: i64) -> Value {
    let (status, v) = app.get(token, &format!("/api/v1/enterprises/{enterprise}/grading")).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v
}

async fn cap_of(app: &TestApp, enterprise: i64) -> Option<u32> {
    use sea_orm::EntityTrait;
    let e =
        anjian::entities::enterprise::Entity::find_by_id(enterprise).one(app.state.db.conn()).await.unwrap().unwrap();
    anjian::inspection::governance::cap::standing(app.state.db.conn(), &e, 2026, None).await.unwrap().cap
}

#[tokio::test]
async fn the_grade_follows_the_points_and_the_class_sets_the_cap() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let path = format!("/api/v1/enterprises/{}/risk-points", w.enterprise);
        // Not graded yet: the default class B and its cap.
        let (_, record) = app.get(&w.reg.token, &format!("/api/v1/enterprises/{}", w.enterprise)).await;
        assert_eq!(
            (record["risk_grade"].clone(), record["supervision_class"].as_str()),
            (Value::Null, Some("B")),
            "{record}"
        );
        assert_eq!(cap_of(&app, w.enterprise).await, Some(2));

        // A blue point (3 × 1 × 7 = 21): graded blue, class A, one inspection a year.
        let (status, _) = app.post(&w.officer.token, &path, &point("配电室", 3.0, 1.0, 7.0)).await;
        assert_eq!(status, StatusCode::CREATED);
        let g = grading(&app, &w.officer.token, w.enterprise).await;
        assert_eq!(
            (g["risk_grade"].as_str(), g["supervision_class"].as_str(), g["yearly_cap"].as_u64()),
            (Some("blue"), Some("A"), Some(1)),
            "{g}"
        );
        assert_eq!(g["source"], "computed");
        assert_eq!(g["history"][0]["inputs"]["because"], "风险点 ≥ 1", "{g}");
        assert_eq!(cap_of(&app, w.enterprise).await, Some(1), "the cap follows the class");

        // A red point (6 × 6 × 15 = 540): red, class D, four a year; the record says so.
        let (_, red) = app.post(&w.officer.token, &path, &point("储罐区", 6.0, 6.0, 15.0)).await;
        let g = grading(&app, &w.reg.token, w.enterprise).await;
        assert_eq!(
            (g["risk_grade"].as_str(), g["supervision_class"].as_str(), g["yearly_cap"].as_u64()),
            (Some("red"), Some("D"), Some(4))
        );
        assert_eq!(g["history"].as_array().unwrap().len(), 2, "one entry per change: {g}");
        assert_eq!(cap_of(&app, w.enterprise).await, Some(4));
        let (_, record) = app.get(&w.reg.token, &format!("/api/v1/enterprises/{}", w.enterprise)).await;
        assert_eq!((record["risk_grade"].as_str(), record["supervision_class"].as_str()), (Some("red"), Some("D")));

        // The register filters by grade and class; the counts see it.
        let (_, reds) = app.get(&w.reg.token, "/api/v1/enterprises?risk_grade=red").await;
        assert_eq!(reds["total"], 1, "{reds}");
        let (_, a) = app.get(&w.reg.token, "/api/v1/enterprises?supervision_class=A").await;
        assert_eq!(a["total"], 0);
        let (status, bad) = app.get(&w.reg.token, "/api/v1/enterprises?supervision_class=Z").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let (_, counts) = app.get(&w.reg.token, "/api/v1/grading/counts").await;
        assert_eq!(
            (counts["red"].as_u64(), counts["rows"][0]["region_code"].as_str()),
            (Some(1), Some("420103")),
            "{counts}"
        );
        assert_eq!(counts["rows"][0]["region_name"], "江汉区");

        // Recomputing changes nothing more; the change log verifies.
        let (status, r) = app.post(&w.reg.token, "/api/v1/grading/recompute", &json!({})).await;
        assert_eq!((status, r["changed"].as_u64()), (StatusCode::OK, Some(0)), "{r}");
        let (status, _) = app.post(&w.officer.token, "/api/v1/grading/recompute", &json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "enterprises do not trigger recomputation");
        let (_, verify) = app.get(&w.reg.token, "/api/v1/audit/verify").await;
        assert_eq!(verify["ok"], true, "{verify}");
        assert!(red["id"].is_i64());
    })
    .await;
}

#[tokio::test]
async fn an_open_major_hazard_at_a_point_makes_it_and_the_enterprise_red_while_open() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let path = format!("/api/v1/enterprises/{}/risk-points", w.enterprise);
        let (_, created) = app.post(&w.officer.token, &path, &point("装卸站", 3.0, 6.0, 7.0)).await;
        assert_eq!(created["level"], "yellow");
        let id = created["id"].as_i64().unwrap();
        // A hazard may only name a point of its own enterprise.
        let other = app
            .enterprise(
                &w.reg.token,
                enterprise_body(&code("420103", 2), "乙公司", "industry_trade", "it_machinery", "420103"),
            )
            .await;
        let (status, v) = app.post(&w.reg.token, "/api/v1/hazards", &hazard(other, "general", Some(id))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["error"]["fields"]["risk_point_id"].is_array(), "{v}");

        let (status, h) = app.post(&w.reg.token, "/api/v1/hazards", &hazard(w.enterprise, "major", Some(id))).await;
        assert_eq!(status, StatusCode::CREATED, "{h}");
        let (_, one) = app.get(&w.officer.token, &format!("/api/v1/risk-points/{id}")).await;
        assert_eq!((one["level"].as_str(), one["scored_level"].as_str()), (Some("red"), Some("yellow")), "{one}");
        assert_eq!(one["direct_red"][0]["code"], "open_major_hazard");
        assert_eq!(
            (one["open_hazards"].as_u64(), one["hazards"][0]["title"].as_str()),
            (Some(1), Some("储罐区可燃气体报警器失效"))
        );
        let (_, list) = app.get(&w.officer.token, &path).await;
        assert_eq!(list["counts"], json!({"red": 1, "orange": 0, "yellow": 0, "blue": 0}), "{list}");

        app.post(&w.reg.token, "/api/v1/grading/recompute", &json!({})).await;
        let g = grading(&app, &w.reg.token, w.enterprise).await;
        assert_eq!(g["risk_grade"], "red", "{g}");
        assert_eq!(g["history"][0]["inputs"]["because"], "未销号重大事故隐患 ≥ 1");

        // Closed (voided here), the point is yellow again and so is the enterprise.
        let sql = format!("UPDATE hazards SET is_open = FALSE, status = 'closed' WHERE id = {}", h["id"]);
        app.state.db.conn().execute_unprepared(&sql).await.unwrap();
        let (_, one) = app.get(&w.officer.token, &format!("/api/v1/risk-points/{id}")).await;
        assert_eq!(one["level"], "yellow", "{one}");
        app.post(&w.reg.token, "/api/v1/grading/recompute", &json!({})).await;
        assert_eq!(grading(&app, &w.reg.token, w.enterprise).await["risk_grade"], "yellow");
    })
    .await;
}

#[tokio::test]
async fn an_override_holds_until_released_and_needs_a_reason() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let base = format!("/api/v1/enterprises/{}/grading", w.enterprise);
        let (status, v) = app.post(&w.reg.token, &format!("{base}/override"), &json!({"risk_grade": "orange", "supervision_class": "Z", "reason": " "})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<&str> = v["error"]["fields"].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(fields, ["reason", "supervision_class"], "every problem at once");
        let body = json!({"risk_grade": "orange", "supervision_class": "C", "reason": "近期连续发生两起未遂事件，提高检查频次"});
        let (status, _) = app.post(&w.officer.token, &format!("{base}/override"), &body).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, g) = app.post(&w.reg.token, &format!("{base}/override"), &body).await;
        assert_eq!((status, g["source"].as_str(), g["risk_grade"].as_str(), g["yearly_cap"].as_u64()), (StatusCode::OK, Some("override"), Some("orange"), Some(3)), "{g}");

        // A blue point and a recomputation leave the decision alone.
        let path = format!("/api/v1/enterprises/{}/risk-points", w.enterprise);
        app.post(&w.officer.token, &path, &point("配电室", 3.0, 1.0, 7.0)).await;
        let (_, r) = app.post(&w.reg.token, "/api/v1/grading/recompute", &json!({})).await;
        assert_eq!(r["overridden"], 1, "{r}");
        assert_eq!(grading(&app, &w.reg.token, w.enterprise).await["risk_grade"], "orange");

        // Released: computed again at once.
        let (status, g) = app.post(&w.reg.token, &format!("{base}/release"), &json!({"reason": "整改完成"})).await;
        assert_eq!((status, g["risk_grade"].as_str(), g["source"].as_str()), (StatusCode::OK, Some("blue"), Some("computed")), "{g}");
        let (status, _) = app.post(&w.reg.token, &format!("{base}/release"), &json!({"reason": "再次"})).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let sources: Vec<&str> = g["history"].as_array().unwrap().iter().map(|h| h["source"].as_str().unwrap()).collect();
        assert_eq!(sources, ["computed", "release", "override"], "{g}");
        let (_, verify) = app.get(&w.reg.token, "/api/v1/audit/verify").await;
        assert_eq!(verify["ok"], true, "{verify}");
    })
    .await;
}

#[tokio::test]
async fn the_hazchem_guide_scores_the_worked_example_and_accidents_make_it_red() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let path = format!("/api/v1/enterprises/{}/risk-assessments", w.enterprise);
        // 固有危险性 −12, 设计 −6, 自控 −4.5: 77.5, yellow.
        let body = json!({"deductions": [{"code": "inherent_hazard", "points": 12, "note": "涉及两种重点监管工艺"},
            {"code": "design", "points": 6}, {"code": "automation", "points": 4.5}], "assessor": "省化工专家组 张工"});
        let (status, a) = app.post(&w.reg.token, &path, &body).await;
        assert_eq!(status, StatusCode::CREATED, "{a}");
        assert_eq!((a["score"].as_f64(), a["grade"].as_str()), (Some(77.5), Some("yellow")));
        assert_eq!(a["valid_until"], "2029-11-22", "three years");
        let g = grading(&app, &w.officer.token, w.enterprise).await;
        assert_eq!((g["risk_grade"].as_str(), g["source"].as_str(), g["supervision_class"].as_str()), (Some("yellow"), Some("guide"), Some("B")), "{g}");

        // Every problem at once; a non-hazchem enterprise is refused.
        let bad = json!({"deductions": [{"code": "nope", "points": 1}, {"code": "design", "points": 11}], "direct_red": ["x"], "assessor": ""});
        let (status, v) = app.post(&w.reg.token, &path, &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<&str> = v["error"]["fields"].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(fields, ["assessor", "deductions", "direct_red"], "{v}");
        let other = app.enterprise(&w.reg.token, enterprise_body(&code("420103", 3), "丙机械厂", "industry_trade", "it_machinery", "420103")).await;
        let (status, v) = app.post(&w.reg.token, &format!("/api/v1/enterprises/{other}/risk-assessments"), &body).await;
        assert_eq!((status, v["error"]["fields"]["enterprise"].is_array()), (StatusCode::UNPROCESSABLE_ENTITY, true), "{v}");
        let (status, _) = app.post(&w.officer.token, &path, &body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "the bureau records assessments");

        // Two 较大 accidents within three years: red by the guide's direct-red situation.
        for _ in 0..2 {
            let acc = json!({"enterprise_id": w.enterprise, "occurred_at": "2026-10-20T01:30:00Z", "type": "poisoning",
                "place": "二车间", "summary": "中毒", "deaths": 3, "missing": 0, "serious_injuries": 0, "direct_loss_yuan": 0});
            let (status, v) = app.post(&w.reg.token, "/api/v1/accidents", &acc).await;
            assert_eq!(status, StatusCode::CREATED, "{v}");
        }
        app.post(&w.reg.token, "/api/v1/grading/recompute", &json!({})).await;
        let g = grading(&app, &w.reg.token, w.enterprise).await;
        assert_eq!((g["risk_grade"].as_str(), g["supervision_class"].as_str()), (Some("red"), Some("D")), "{g}");
        let (_, list) = app.get(&w.officer.token, &path).await;
        assert_eq!(list["total"], 1);
        let (_, verify) = app.get(&w.reg.token, "/api/v1/audit/verify").await;
        assert_eq!(verify["ok"], true, "{verify}");
    })
    .await;
}

#[tokio::test]
async fn a_due_review_is_a_to_do_until_the_point_is_reviewed() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let path = format!("/api/v1/enterprises/{}/risk-points", w.enterprise);
        let mut body = point("配电室", 3.0, 1.0, 7.0);
        body["review_due"] = json!("2026-11-30");
        let (_, p) = app.post(&w.officer.token, &path, &body).await;
        let id = p["id"].as_i64().unwrap();
        // The clock is 2026-11-22: not due yet.
        let r = anjian::jobs::run_due(&app.state).await.unwrap();
        assert_eq!(r.risk_reviews.flagged, 0);
        assert!(r.grading.is_some(), "the day's grading ran");
        assert!(anjian::jobs::run_due(&app.state).await.unwrap().grading.is_none(), "once a day");
        app.clock.set(chrono::DateTime::parse_from_rfc3339("2026-12-01T02:00:00Z").unwrap().to_utc());
        assert_eq!(anjian::jobs::run_due(&app.state).await.unwrap().risk_reviews.flagged, 1);
        // Sessions of nine days ago have expired: the safety officer signs in again.
        let officer = app.user("aqy_b").role(anjian::auth::Role::SafetyOfficer).enterprise(w.enterprise).create().await;
        let (_, todos) = app.get(&officer.token, "/api/v1/todos").await;
        let item = todos["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["kind"] == "risk_review")
            .cloned()
            .expect("a review to-do");
        assert!(item["title"].as_str().unwrap().contains("配电室"), "{item}");

        let review = format!("/api/v1/risk-points/{id}/review");
        let (status, v) =
            app.post(&officer.token, &review, &json!({"note": "", "next_review_due": "2026-11-01"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(v["error"]["fields"].as_object().unwrap().len(), 2, "{v}");
        let (status, v) = app.post(&officer.token, &review, &json!({"note": "措施有效，等级不变"})).await;
        assert_eq!((status, v["review_due"].as_str()), (StatusCode::OK, Some("2027-12-01")), "{v}");
        let (_, todos) = app.get(&officer.token, "/api/v1/todos").await;
        assert!(todos["items"].as_array().unwrap().iter().all(|t| t["kind"] != "risk_review"), "closed: {todos}");
        let reg = app.user("reg_b").role(anjian::auth::Role::Regulator).region("420103").create().await;
        let (_, verify) = app.get(&reg.token, "/api/v1/audit/verify").await;
        assert_eq!(verify["ok"], true, "{verify}");
    })
    .await;
}

/// A page as a signed-in user's browser gets it (no redirects followed).
async fn page(app: &TestApp, user: &TestUser, path: &str) -> (StatusCode, String) {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = http.get(app.url(path)).header("cookie", format!("anjian_session={}", user.token)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

/// Posts a form with the user's CSRF token; a redirect is followed to its page.
async fn post_form(app: &TestApp, user: &TestUser, path: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut form = form.to_vec();
    form.push(("csrf_token", user.csrf.as_str()));
    let res = http
        .post(app.url(path))
        .header("cookie", format!("anjian_session={}", user.token))
        .form(&form)
        .send()
        .await
        .unwrap();
    if res.status() == StatusCode::SEE_OTHER {
        let to = res.headers()["location"].to_str().unwrap().to_owned();
        return page(app, user, &to).await;
    }
    (res.status(), res.text().await.unwrap())
}

#[tokio::test]
async fn the_pages_show_grades_take_decisions_and_draw_the_territory() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let sql = format!("UPDATE enterprises SET longitude = 114.27, latitude = 30.59 WHERE id = {}", w.enterprise);
        app.state.db.conn().execute_unprepared(&sql).await.unwrap();
        let path = format!("/api/v1/enterprises/{}/risk-points", w.enterprise);
        app.post(&w.officer.token, &path, &point("储罐区", 6.0, 6.0, 15.0)).await;

        let (_, html) = page(&app, &w.reg, &format!("/enterprises/{}/grading", w.enterprise)).await;
        assert!(html.contains("重大风险（红）") && html.contains("D类（重大风险）") && html.contains("4 次"), "{html}");
        assert!(html.contains("红色风险点 ≥ 1") && html.contains("评估诊断分级"), "why, and the guide's form");
        // An override without a reason comes back with the error beside it.
        let target = format!("/enterprises/{}/grading/override", w.enterprise);
        let (status, html) =
            post_form(&app, &w.reg, &target, &[("risk_grade", "orange"), ("supervision_class", "C"), ("reason", "")])
                .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("请填写理由"), "{html}");
        let form = [("risk_grade", "orange"), ("supervision_class", "C"), ("reason", "专项整治期间提高频次")];
        let (status, html) = post_form(&app, &w.reg, &target, &form).await;
        assert_eq!(status, StatusCode::OK, "followed to the page");
        assert!(
            html.contains("已按监管决定调整") && html.contains("监管人员调整") && html.contains("恢复按规则计算"),
            "{html}"
        );

        let (_, list) = page(&app, &w.reg, "/enterprises?risk_grade=orange").await;
        assert!(
            list.contains("甲化工有限公司") && list.contains("较大风险（橙）") && list.contains("C类（较大风险）"),
            "{list}"
        );
        let (_, overview) = page(&app, &w.reg, "/risk-overview").await;
        assert!(
            overview.contains("较大风险 1") && overview.contains("江汉区") && overview.contains("territory-map"),
            "{overview}"
        );
        assert!(overview.contains(&format!("data-id=\"{}\"", w.enterprise)), "the enterprise is on the map");

        let (_, own) = page(&app, &w.officer, &format!("/enterprises/{}/grading", w.enterprise)).await;
        assert!(own.contains("较大风险（橙）") && !own.contains("保存调整"), "the enterprise reads, does not decide");
        let (status, _) = page(&app, &w.officer, "/risk-overview").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
    .await;
}
