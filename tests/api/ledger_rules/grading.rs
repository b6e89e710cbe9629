//! Items 1, 2, 3 and 5 of issue 10: a downgrade keeps the origin closer,
//! re-grading either way from any open state, the 挂牌督办 level decides who
//! 认定, 交办 and 核销, and reopening with a new deadline.

use super::{attempt, full_plan, id_of, offered, pdf, photo, report, report_as, step, todo_titles, working_days};
use crate::helpers::{on_each_backend, world};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::json;

fn assignment(body: &str, bureau: Option<i64>, level: &str) -> serde_json::Value {
    json!({"assignment": {"assigning_body": body, "assigning_bureau_id": bureau, "responsible_unit": "甲化工有限公司",
        "responsible_person": "张三", "supervision_level": level, "deadline": "2026-12-20"}})
}

#[tokio::test]
async fn a_downgraded_major_hazard_goes_back_to_the_closer_its_source_gives() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let inspector = app.user("zfry").role(Role::Inspector).region("420103").create().await;

        // The enterprise's own report, downgraded at 认定: the enterprise accepts it.
        let h = report_as(&app, &w.principal, &report(w.enterprise, "major", "self_check")).await;
        assert_eq!((h["closure"].as_str(), h["origin_closure"].as_str()), (Some("major"), Some("enterprise")));
        let h = step(&app, &w.reg, id_of(&h), "confirm", json!({"level": "general"})).await;
        assert_eq!((h["status"].as_str(), h["closure"].as_str()), (Some("rectifying"), Some("enterprise")));

        // An inspection finding, downgraded after its 交办: the inspector's 复查 closes it.
        let h = report_as(&app, &inspector, &report(w.enterprise, "major", "inspection")).await;
        let id = id_of(&h);
        step(&app, &w.reg, id, "confirm", json!({})).await;
        step(&app, &w.reg, id, "assign", assignment("江汉区安委办", None, "county")).await;
        let h = step(&app, &w.reg, id, "regrade", json!({"level": "general", "reason": "专家论证为一般隐患"})).await;
        assert_eq!((h["status"].as_str(), h["closure"].as_str()), (Some("rectifying"), Some("inspector")));
        let after = photo(&app, &w.officer).await;
        step(&app, &w.officer, id, "submit", json!({"attachment_ids": [after], "rectifier_name": "王五"})).await;
        assert_eq!(offered(&app, &inspector, id).await, ["verify"]);
        assert!(!offered(&app, &w.reg, id).await.contains(&"verify".to_owned()));

        // A tip-off to the bureau: the regulators close it.
        let h = report_as(&app, &w.reg, &report(w.enterprise, "major", "tip_off")).await;
        let h = step(&app, &w.reg, id_of(&h), "confirm", json!({"level": "general"})).await;
        assert_eq!((h["closure"].as_str(), h["origin_closure"].as_str()), (Some("regulator"), Some("regulator")));
    })
    .await;
}

#[tokio::test]
async fn a_regulator_regrades_either_way_from_any_open_state_with_a_reason() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let h = report_as(&app, &w.officer, &report(w.enterprise, "general", "self_check")).await;
        let id = id_of(&h);
        let up = json!({"level": "major", "reason": "属于重大事故隐患判定标准第三条情形"});
        assert_eq!(attempt(&app, &w.officer, id, "regrade", up.clone()).await.0, StatusCode::FORBIDDEN);
        let (status, err) = attempt(&app, &w.reg, id, "regrade", json!({"level": "general"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = &err["error"]["fields"];
        assert!(fields["reason"].is_array() && fields["level"].is_array(), "already general, no reason: {err}");

        // 认定为重大: awaiting 交办, the bureau's to-do, the history kept.
        let h = step(&app, &w.reg, id, "regrade", up).await;
        assert_eq!((h["status"].as_str(), h["closure"].as_str()), (Some("confirmed"), Some("major")));
        assert_eq!(h["level"], "major");
        assert!(offered(&app, &w.reg, id).await.contains(&"assign".to_owned()));
        assert!(todo_titles(&app, &w.reg).await.iter().any(|t| t.starts_with("待交办")));
        let last = h["timeline"].as_array().unwrap().last().unwrap().clone();
        assert_eq!((last["action"].as_str(), last["from_status"].as_str()), (Some("regrade"), Some("rectifying")));
        assert_eq!(last["note"], "属于重大事故隐患判定标准第三条情形");
        assert_eq!(last["data"]["from_level"], "general");

        // And back, by working days: the enterprise rectifies and accepts it again.
        let back = json!({"level": "general", "reason": "复核后降为一般隐患", "deadline_working_days": 10});
        let h = step(&app, &w.reg, id, "regrade", back).await;
        assert_eq!((h["status"].as_str(), h["closure"].as_str()), (Some("rectifying"), Some("enterprise")));
        assert_eq!(h["deadline"].as_str().unwrap(), working_days(&app, &w.reg, "2026-11-22", 10).await);
        let actions: Vec<&str> =
            h["timeline"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["report", "regrade", "regrade"]);

        // A major hazard without a deadline needs one to become general.
        let mut no_deadline = report(w.enterprise, "major", "self_check");
        no_deadline.as_object_mut().unwrap().remove("deadline");
        let m = id_of(&report_as(&app, &w.principal, &no_deadline).await);
        let (status, err) = attempt(&app, &w.reg, m, "regrade", json!({"level": "general", "reason": "降级"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err["error"]["fields"]["deadline"].is_array(), "{err}");
        let past = json!({"level": "general", "reason": "降级", "deadline": "2026-11-01"});
        assert_eq!(attempt(&app, &w.reg, m, "regrade", past).await.0, StatusCode::UNPROCESSABLE_ENTITY);

        // Not once it is closed.
        let mut spot = report(w.enterprise, "general", "self_check");
        spot["fixed_on_spot"] = json!(true);
        spot["after_attachment_ids"] = json!([photo(&app, &w.officer).await]);
        let closed = id_of(&report_as(&app, &w.officer, &spot).await);
        let (status, err) = attempt(&app, &w.reg, closed, "regrade", json!({"level": "major", "reason": "x"})).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("illegal_transition")));
    })
    .await;
}

#[tokio::test]
async fn a_listed_major_hazard_is_decided_by_the_listing_bureau_and_those_above_it() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let city = app.user("city").role(Role::Regulator).region("420100").create().await;
        let (_, bureaus) = app.get(&city.token, "/api/v1/bureaus").await;
        let listing = bureaus.as_array().unwrap().iter().find(|b| b["code"] == "420100").unwrap().clone();
        let (city_id, city_name) = (listing["id"].as_i64().unwrap(), listing["name"].as_str().unwrap().to_owned());

        let id = id_of(&report_as(&app, &w.principal, &report(w.enterprise, "major", "self_check")).await);
        step(&app, &w.reg, id, "confirm", json!({})).await;
        step(&app, &city, id, "assign", assignment(&city_name, Some(city_id), "city")).await;
        // The county records what it may (a suspension); the listed decisions are the city's.
        assert_eq!(offered(&app, &w.reg, id).await, ["suspend"]);
        let city_offers = offered(&app, &city, id).await;
        assert!(city_offers.contains(&"regrade".to_owned()) && city_offers.contains(&"void".to_owned()));
        let (status, err) = attempt(&app, &w.reg, id, "void", json!({"note": "重复"})).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
        assert!(err["error"]["message"].as_str().unwrap().contains(&city_name), "{err}");
        let regrade = json!({"level": "general", "reason": "降级"});
        assert_eq!(attempt(&app, &w.reg, id, "regrade", regrade).await.0, StatusCode::FORBIDDEN);
        let order = json!({"scope_text": "3号储罐区", "basis": "《安全生产法》第六十五条", "note": "责令停止使用"});
        step(&app, &w.reg, id, "suspend", order).await;

        step(&app, &w.principal, id, "plan", full_plan()).await;
        let after = photo(&app, &w.principal).await;
        let (assessment, resumption) = (pdf(&app, &w.principal).await, pdf(&app, &w.principal).await);
        let submission = json!({"attachment_ids": [after], "assessment_report_ids": [assessment],
            "resumption_application_ids": [resumption]});
        step(&app, &w.principal, id, "submit", submission).await;
        let (status, err) = attempt(&app, &w.reg, id, "verify", json!({"passed": true})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a county may not 核销 a city-listed item: {err}");
        assert!(err["error"]["message"].as_str().unwrap().contains("核销"), "{err}");
        let review = json!({"passed": true, "reviewers": ["王五", "赵六"], "opinion": "现场审查合格"});
        let h = step(&app, &city, id, "verify", review).await;
        assert_eq!(h["status"], "closed");
        assert_eq!(
            attempt(&app, &w.reg, id, "reopen", json!({"note": "x", "deadline": "2026-12-31"})).await.0,
            StatusCode::FORBIDDEN
        );

        // 不挂牌: a 交办 by a body that is not a bureau; the scope decides.
        let other = id_of(&report_as(&app, &w.principal, &report(w.enterprise, "major", "self_check")).await);
        step(&app, &w.reg, other, "confirm", json!({})).await;
        step(&app, &w.reg, other, "assign", assignment("江汉区安委办", None, "county")).await;
        assert_eq!(offered(&app, &w.reg, other).await, ["regrade", "suspend", "void"]);
    })
    .await;
}

#[tokio::test]
async fn reopening_needs_a_reason_and_a_new_deadline_and_the_regulators_verify_next() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let id = id_of(&report_as(&app, &w.officer, &report(w.enterprise, "general", "self_check")).await);
        let after = photo(&app, &w.officer).await;
        step(&app, &w.officer, id, "submit", json!({"attachment_ids": [after], "rectifier_name": "王五"})).await;
        step(&app, &w.principal, id, "verify", json!({"passed": true, "acceptor_name": "赵六"})).await;

        let (status, err) = attempt(&app, &w.reg, id, "reopen", json!({})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = &err["error"]["fields"];
        assert!(fields["note"].is_array() && fields["deadline"].is_array(), "both are listed: {err}");
        let past = json!({"note": "抽查未整改", "deadline": "2026-11-01"});
        assert_eq!(attempt(&app, &w.reg, id, "reopen", past).await.0, StatusCode::UNPROCESSABLE_ENTITY);
        let h =
            step(&app, &w.reg, id, "reopen", json!({"note": "抽查发现未整改到位", "deadline_working_days": 5})).await;
        assert_eq!((h["status"].as_str(), h["closure"].as_str()), (Some("rectifying"), Some("regulator")));
        assert_eq!(h["deadline"].as_str().unwrap(), working_days(&app, &w.reg, "2026-11-22", 5).await);

        let after = photo(&app, &w.officer).await;
        step(&app, &w.officer, id, "submit", json!({"attachment_ids": [after], "rectifier_name": "王五"})).await;
        assert!(
            !offered(&app, &w.principal, id).await.contains(&"verify".to_owned()),
            "the enterprise no longer accepts"
        );
        let h = step(&app, &w.reg, id, "verify", json!({"passed": true, "acceptor_name": "李监管"})).await;
        assert_eq!(h["status"], "closed");

        // A dismissed tip-off is reopened on 复核, back to 待认定, with a reason only.
        let tip = id_of(&report_as(&app, &w.reg, &report(w.enterprise, "general", "tip_off")).await);
        step(&app, &w.reg, tip, "dismiss", json!({"note": "核查不属实", "outcome": "unsubstantiated"})).await;
        let (status, err) = attempt(&app, &w.reg, tip, "reopen", json!({})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err["error"]["fields"].get("deadline").is_none(), "{err}");
        let h = step(&app, &w.reg, tip, "reopen", json!({"note": "举报人提供新证据，复核"})).await;
        assert_eq!(h["status"], "reported");
        assert!(offered(&app, &w.reg, tip).await.contains(&"confirm".to_owned()));
    })
    .await;
}
