//! Item 8 of issue 10: the void of a closed or major hazard needs a second
//! person (an approver of the requester's bureau or above); an enterprise may
//! void its own duplicate self-report before anyone acted on it.

use super::{attempt, detail, id_of, offered, photo, report, report_as, step, todo_titles};
use crate::helpers::{on_each_backend, world};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_major_hazards_void_waits_for_an_approver_who_did_not_ask_for_it() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let approver = app.user("fuzeren").role(Role::Approver).region("420103").create().await;
        let boss = app.user("juzhang").role(Role::Regulator).role(Role::Approver).region("420103").create().await;
        let id = id_of(&report_as(&app, &w.principal, &report(w.enterprise, "major", "self_check")).await);
        step(&app, &w.reg, id, "confirm", json!({})).await;

        let h = step(&app, &w.reg, id, "void", json!({"note": "与 12 号重复登记"})).await;
        assert_eq!((h["status"].as_str(), h["void_reason"].as_str()), (Some("confirmed"), Some("与 12 号重复登记")));
        assert_eq!(h["void_requested_by"].as_i64(), Some(w.reg.id));
        let (status, err) = attempt(&app, &w.reg, id, "void", json!({"note": "再次申请"})).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("void_pending")));
        assert!(todo_titles(&app, &approver).await.iter().any(|t| t.starts_with("作废待审批")));
        assert_eq!(offered(&app, &approver, id).await, ["approve_void"]);
        for u in [&w.reg, &w.principal] {
            let (status, _) = attempt(&app, u, id, "approve_void", json!({"approved": true})).await;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        let (status, err) = attempt(&app, &approver, id, "approve_void", json!({})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err["error"]["fields"]["approved"].is_array(), "{err}");

        // Refused: the hazard stays, the request is gone, the approver's to-do is done.
        let h = step(&app, &approver, id, "approve_void", json!({"approved": false, "note": "不是重复登记"})).await;
        assert_eq!((h["status"].as_str(), h["void_reason"].as_str()), (Some("confirmed"), None));
        assert!(todo_titles(&app, &approver).await.is_empty());

        // The requester, though an approver too, does not approve their own request.
        step(&app, &boss, id, "void", json!({"note": "确属重复登记"})).await;
        let (status, err) = attempt(&app, &boss, id, "approve_void", json!({"approved": true})).await;
        assert_eq!((status, err["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("approver_is_requester")));
        let h = step(&app, &approver, id, "approve_void", json!({"approved": true})).await;
        assert_eq!(h["status"], "voided");
        let last = h["timeline"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(
            (last["action"].as_str(), last["data"]["requested_by"].as_i64()),
            (Some("approve_void"), Some(boss.id))
        );
        assert_eq!(last["data"]["reason"], "确属重复登记");
    })
    .await;
}

#[tokio::test]
async fn a_closed_hazard_needs_an_approver_an_open_general_one_does_not() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let approver = app.user("fuzeren").role(Role::Approver).region("420103").create().await;
        let mut spot = report(w.enterprise, "general", "self_check");
        spot["fixed_on_spot"] = json!(true);
        spot["after_attachment_ids"] = json!([photo(&app, &w.officer).await]);
        let closed = id_of(&report_as(&app, &w.officer, &spot).await);
        let h = step(&app, &w.reg, closed, "void", json!({"note": "误报"})).await;
        assert_eq!(h["status"], "closed");
        let h = step(&app, &approver, closed, "approve_void", json!({"approved": true})).await;
        assert_eq!(h["status"], "voided");

        let open = id_of(&report_as(&app, &w.reg, &report(w.enterprise, "general", "tip_off")).await);
        let h = step(&app, &w.reg, open, "void", json!({"note": "重复登记"})).await;
        assert_eq!((h["status"].as_str(), h["void_requested_by"].as_i64()), (Some("voided"), None));
    })
    .await;
}

#[tokio::test]
async fn an_approver_below_the_requesters_bureau_may_not_approve() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let city = app.user("city").role(Role::Regulator).region("420100").create().await;
        let county_approver = app.user("qu_fuzeren").role(Role::Approver).region("420103").create().await;
        let city_approver = app.user("shi_fuzeren").role(Role::Approver).region("420100").create().await;
        let id = id_of(&report_as(&app, &w.principal, &report(w.enterprise, "major", "self_check")).await);
        step(&app, &city, id, "void", json!({"note": "市局抽查：重复登记"})).await;
        assert!(offered(&app, &county_approver, id).await.is_empty());
        let (status, _) = attempt(&app, &county_approver, id, "approve_void", json!({"approved": true})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let h = step(&app, &city_approver, id, "approve_void", json!({"approved": true})).await;
        assert_eq!(h["status"], "voided");
    })
    .await;
}

#[tokio::test]
async fn an_enterprise_voids_its_own_duplicate_self_report_before_anyone_acts_on_it() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let fresh = id_of(&report_as(&app, &w.officer, &report(w.enterprise, "general", "self_check")).await);
        assert!(offered(&app, &w.principal, fresh).await.contains(&"void".to_owned()));
        let h = step(&app, &w.principal, fresh, "void", json!({"note": "重复上报"})).await;
        assert_eq!(h["status"], "voided");

        let worked_on = id_of(&report_as(&app, &w.officer, &report(w.enterprise, "general", "self_check")).await);
        step(&app, &w.officer, worked_on, "progress", json!({"note": "已订购配件"})).await;
        assert!(!offered(&app, &w.principal, worked_on).await.contains(&"void".to_owned()));
        assert_eq!(attempt(&app, &w.principal, worked_on, "void", json!({"note": "x"})).await.0, StatusCode::FORBIDDEN);

        let major = id_of(&report_as(&app, &w.officer, &report(w.enterprise, "major", "self_check")).await);
        assert_eq!(attempt(&app, &w.principal, major, "void", json!({"note": "x"})).await.0, StatusCode::FORBIDDEN);
        assert_eq!(detail(&app, &w.principal, major).await["status"], "reported");
    })
    .await;
}
