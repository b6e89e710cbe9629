//! Items 6, 7 and 9 of issue 10: people, not accounts (the 整改责任人, the
//! 验收人, an extension's decider); grid patrol reports are checked first; a
//! reporter's identity is for the supervising regulators only.

use super::{attempt, detail, id_of, offered, photo, report, report_as, step, todo_titles};
use crate::helpers::{on_each_backend, world};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn the_acceptor_is_another_person_than_the_rectifier_by_name_and_by_account() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let id = id_of(&report_as(&app, &w.officer, &report(w.enterprise, "general", "self_check")).await);
        let after = photo(&app, &w.officer).await;
        let h =
            step(&app, &w.officer, id, "submit", json!({"attachment_ids": [after], "rectifier_name": " 王五 "})).await;
        assert_eq!(h["rectifier_name"], "王五");
        let (status, err) = attempt(&app, &w.principal, id, "verify", json!({"passed": true})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err["error"]["fields"]["acceptor_name"].is_array(), "the 验收人 is named: {err}");
        let (status, err) =
            attempt(&app, &w.principal, id, "verify", json!({"passed": true, "acceptor_name": "王 五"})).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("acceptor_is_rectifier")));
        let h = step(&app, &w.principal, id, "verify", json!({"passed": true, "acceptor_name": "赵六"})).await;
        assert_eq!((h["status"].as_str(), h["acceptor_name"].as_str()), (Some("closed"), Some("赵六")));
        let last = h["timeline"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["data"]["acceptor_name"], "赵六");

        // An operator not in the register: the regulator who recorded the rectification does not verify it.
        let other = app.user("reg2").role(Role::Regulator).region("420103").create().await;
        let lead = json!({"subject": {"name": "无证加油点", "region_code": "420103"}, "source": "referral",
            "level": "general", "category": "unsafe_condition", "title": "非法储存汽油", "description": "d",
            "found_at": "2026-11-21T08:00:00Z", "deadline": "2026-12-10"});
        let s = id_of(&report_as(&app, &w.reg, &lead).await);
        let after = photo(&app, &w.reg).await;
        step(&app, &w.reg, s, "submit", json!({"attachment_ids": [after], "rectifier_name": "张某"})).await;
        assert!(!offered(&app, &w.reg, s).await.contains(&"verify".to_owned()));
        let (status, err) = attempt(&app, &w.reg, s, "verify", json!({"passed": true, "acceptor_name": "李某"})).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("acceptor_is_rectifier")));
        let h = step(&app, &other, s, "verify", json!({"passed": true, "acceptor_name": "刘监管"})).await;
        assert_eq!(h["status"], "closed");
    })
    .await;
}

#[tokio::test]
async fn an_extension_is_decided_by_someone_other_than_its_requester() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let id = id_of(&report_as(&app, &w.officer, &report(w.enterprise, "general", "self_check")).await);
        step(&app, &w.officer, id, "request_extension", json!({"note": "设备到货延迟", "until": "2027-01-31"})).await;
        assert!(!offered(&app, &w.officer, id).await.contains(&"decide_extension".to_owned()));
        let (status, err) = attempt(&app, &w.officer, id, "decide_extension", json!({"approved": true})).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("decider_is_requester")));
        let h = step(&app, &w.principal, id, "decide_extension", json!({"approved": true})).await;
        assert_eq!(h["deadline"], "2027-01-31");
    })
    .await;
}

#[tokio::test]
async fn a_grid_patrol_report_is_checked_by_the_bureau_before_the_enterprise_rectifies() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let grid = app.user("wangge").role(Role::GridWorker).region("420103").create().await;
        let h = report_as(&app, &grid, &report(w.enterprise, "general", "grid_patrol")).await;
        let id = id_of(&h);
        assert_eq!((h["status"].as_str(), h["closure"].as_str()), (Some("reported"), Some("regulator")));
        assert!(todo_titles(&app, &w.reg).await.iter().any(|t| t.starts_with("待认定")), "the bureau checks it");
        assert!(todo_titles(&app, &w.principal).await.is_empty(), "the enterprise is not ordered yet");
        assert!(offered(&app, &w.principal, id).await.is_empty());
        let (status, err) = attempt(&app, &w.principal, id, "progress", json!({"note": "已整改"})).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("illegal_transition")));
        assert_eq!(
            attempt(&app, &grid, id, "confirm", json!({})).await.0,
            StatusCode::FORBIDDEN,
            "grid workers report only"
        );

        let h = step(&app, &w.reg, id, "confirm", json!({"level": "general", "deadline": "2026-12-15"})).await;
        assert_eq!((h["status"].as_str(), h["deadline"].as_str()), (Some("rectifying"), Some("2026-12-15")));
        assert!(offered(&app, &w.principal, id).await.contains(&"submit".to_owned()));
    })
    .await;
}

const SECRETS: [&str; 4] = ["李举报", "13800000000", "12350-20261121-0042", "500 元"];

#[tokio::test]
async fn a_reporters_identity_is_shown_to_the_supervising_regulators_only() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let inspector = app.user("zfry").role(Role::Inspector).region("420103").create().await;
        let grid = app.user("wangge").role(Role::GridWorker).region("420103").create().await;
        let approver = app.user("fuzeren").role(Role::Approver).region("420103").create().await;
        let mut body = report(w.enterprise, "general", "tip_off");
        body["source_ref"] = json!("12350-20261121-0042");
        body["reporter"] = json!({"name": "李举报", "phone": "13800000000"});
        let id = id_of(&report_as(&app, &w.reg, &body).await);
        step(&app, &w.reg, id, "confirm", json!({"outcome": "substantiated", "reward": "奖励 500 元"})).await;

        let h = detail(&app, &w.reg, id).await;
        assert_eq!((h["reporter"]["name"].as_str(), h["reward"].as_str()), (Some("李举报"), Some("奖励 500 元")));
        assert_eq!(
            (h["source_ref"].as_str(), h["timeline"][0]["actor_id"].as_i64()),
            (Some(SECRETS[2]), Some(w.reg.id))
        );
        for (who, u) in
            [("inspector", &inspector), ("grid worker", &grid), ("approver", &approver), ("principal", &w.principal)]
        {
            let h = detail(&app, u, id).await;
            let text = h.to_string();
            for secret in SECRETS {
                assert!(!text.contains(secret), "{who} sees {secret}: {text}");
            }
            assert_eq!((&h["reporter"], &h["timeline"][0]["actor_id"]), (&Value::Null, &Value::Null), "{who}");
            assert_eq!(h["verification_outcome"], "substantiated", "{who} sees the outcome");
        }

        // Another source's reference (a referral's document number) is for bureau staff.
        let mut referral = report(w.enterprise, "general", "referral");
        referral["source_ref"] = json!("江市监移〔2026〕7号");
        let r = id_of(&report_as(&app, &w.reg, &referral).await);
        assert_eq!(detail(&app, &inspector, r).await["source_ref"], "江市监移〔2026〕7号");
        assert_eq!(detail(&app, &w.principal, r).await["source_ref"], Value::Null);
    })
    .await;
}
