//! The hazard page offers the corrected steps with their fields in Chinese:
//! re-grading (level, reason, deadline), the void's approval, the names of
//! the 整改责任人 and the 验收人, and a reopening's new deadline.

use super::{detail, id_of, photo, report, report_as, step};
use crate::helpers::{TestApp, TestUser, on_each_backend, world};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::json;

async fn page(app: &TestApp, u: &TestUser, id: i64) -> String {
    let res =
        app.client.get(app.url(&format!("/hazards/{id}"))).header("cookie", format!("anjian_session={}", u.token));
    let res = res.send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.text().await.unwrap()
}

/// Posts a step's form as `u`; the answer's status and page.
async fn post_form(
    app: &TestApp,
    u: &TestUser,
    id: i64,
    action: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let mut form = reqwest::multipart::Form::new().text("csrf_token", u.csrf.clone());
    for (name, value) in fields {
        form = form.text((*name).to_owned(), (*value).to_owned());
    }
    let req = app.client.post(app.url(&format!("/hazards/{id}/act/{action}"))).multipart(form);
    let res = req.header("cookie", format!("anjian_session={}", u.token)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

#[tokio::test]
async fn a_regulator_regrades_and_an_approver_approves_a_void_in_the_pages() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let approver = app.user("fuzeren").role(Role::Approver).region("420103").create().await;
        let id = id_of(&report_as(&app, &w.officer, &report(w.enterprise, "general", "self_check")).await);
        let html = page(&app, &w.reg, id).await;
        assert!(html.contains("id=\"form-regrade\"") && html.contains("name=\"reason\""), "{html}");

        let (status, html) = post_form(&app, &w.reg, id, "regrade", &[("level", "major")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("请填写重新定级的理由") && !html.contains(">reason<"), "{html}");
        let (status, _) =
            post_form(&app, &w.reg, id, "regrade", &[("level", "major"), ("reason", "判定为重大事故隐患")]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(detail(&app, &w.reg, id).await["status"], "confirmed");

        let (status, _) = post_form(&app, &w.reg, id, "void", &[("note", "重复登记")]).await;
        assert_eq!(status, StatusCode::OK);
        let html = page(&app, &approver, id).await;
        assert!(html.contains("id=\"form-approve_void\"") && html.contains("作废理由：重复登记"), "{html}");
        let (status, _) = post_form(&app, &approver, id, "approve_void", &[("approved", "true")]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(detail(&app, &w.reg, id).await["status"], "voided");
    })
    .await;
}

#[tokio::test]
async fn the_pages_name_the_rectifier_and_the_acceptor_and_reopen_with_a_deadline() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let id = id_of(&report_as(&app, &w.officer, &report(w.enterprise, "general", "self_check")).await);
        assert!(page(&app, &w.officer, id).await.contains("name=\"rectifier_name\""));
        let after = photo(&app, &w.officer).await;
        step(&app, &w.officer, id, "submit", json!({"attachment_ids": [after], "rectifier_name": "王五"})).await;
        let (status, html) = post_form(&app, &w.principal, id, "verify", &[("passed", "true")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("请填写验收人"), "{html}");
        let (status, _) =
            post_form(&app, &w.principal, id, "verify", &[("passed", "true"), ("acceptor_name", "赵六")]).await;
        assert_eq!(status, StatusCode::OK);
        let html = page(&app, &w.reg, id).await;
        assert!(
            html.contains("<dt>验收人</dt><dd>赵六</dd>") && html.contains("<dt>整改责任人</dt><dd>王五</dd>"),
            "{html}"
        );

        assert!(html.contains("id=\"form-reopen\"") && html.contains("name=\"deadline_working_days\""), "{html}");
        let fields = [("note", "抽查未整改到位"), ("deadline", "2026-12-31")];
        let (status, _) = post_form(&app, &w.reg, id, "reopen", &fields).await;
        assert_eq!(status, StatusCode::OK);
        let h = detail(&app, &w.reg, id).await;
        assert_eq!((h["status"].as_str(), h["deadline"].as_str()), (Some("rectifying"), Some("2026-12-31")));
    })
    .await;
}

/// Item 12: a tip-off confirmed as general through the page takes a deadline,
/// so it can become overdue; without one the form comes back with the field's error.
#[tokio::test]
async fn the_confirm_form_sends_a_deadline() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let mut body = report(w.enterprise, "general", "tip_off");
        body.as_object_mut().unwrap().remove("deadline");
        let id = id_of(&report_as(&app, &w.reg, &body).await);
        let html = page(&app, &w.reg, id).await;
        assert!(html.contains("整改期限（认定为一般隐患时填写）"), "the confirm form offers a deadline");
        let (status, html) = post_form(&app, &w.reg, id, "confirm", &[("level", "general")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("认定为一般隐患须填写整改期限"), "the deadline's error is named");
        let (status, _) =
            post_form(&app, &w.reg, id, "confirm", &[("level", "general"), ("deadline_working_days", "10")]).await;
        assert_eq!(status, StatusCode::OK);
        let h = detail(&app, &w.reg, id).await;
        assert_eq!(h["status"], "rectifying");
        assert!(h["deadline"].is_string(), "a confirmed tip-off has a deadline: {h}");
    })
    .await;
}
