//! The serious-dishonesty list (部令11号): a listing proposed by the records (two 较大
//! accidents within 12 months), decided only after the notice and the statement, by an
//! approver who did not notify; early removal refused before 12 months and granted
//! after with its conditions checked; a removal revoked; removal at expiry by the job
//! on a fixed clock; the public list masking persons and hiding what is no longer listed.

use crate::helpers::{PASSWORD, TestApp, TestUser, code, enterprise_body, on_each_backend, start_time};
use anjian::auth::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

const LIST: &str = "/api/v1/dishonesty-list";

fn accident(enterprise: i64, at: &str) -> Value {
    json!({"enterprise_id": enterprise, "occurred_at": at, "type": "poisoning", "place": "二车间",
        "summary": "检修时未置换，作业人员中毒", "deaths": 3, "missing": 0, "serious_injuries": 0,
        "direct_loss_yuan": 1_000_000, "reported_at": at})
}

async fn ok(app: &TestApp, by: &str, path: &str, body: &Value) -> Value {
    let (status, v) = app.post(by, path, body).await;
    assert!(status.is_success(), "{path}: {status} {v}");
    v
}

async fn step(app: &TestApp, by: &str, id: i64, name: &str, body: Value) -> (StatusCode, Value) {
    app.post(by, &format!("{LIST}/proposals/{id}/{name}"), &body).await
}

pub(crate) async fn relogin(app: &TestApp, username: &str) -> String {
    let (status, v) = app.login(username, PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v["token"].as_str().unwrap().to_owned()
}

/// The public API's answer and the public page, without a session.
async fn public(app: &TestApp) -> String {
    let mut out = String::new();
    for path in [LIST, "/public/dishonesty-list"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        out.push_str(&res.text().await.unwrap());
    }
    assert_eq!(out.matches("甲化工有限公司").count() % 2, 0, "the page shows what the API shows: {out}");
    out
}

pub(crate) struct Bureau {
    pub(crate) reg: TestUser,
    pub(crate) approver: TestUser,
    pub(crate) enterprise: i64,
}

/// A regulator, an approver and 甲化工 (principal 王五) with 较大 accidents in February,
/// June and November 2026: the June and November ones each follow another within 12 months.
pub(crate) async fn bureau_with_accidents(app: &TestApp) -> Bureau {
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let approver = app.user("fuze").role(Role::Approver).region("420103").create().await;
    let mut body =
        enterprise_body(&code("420103", 1), "甲化工有限公司", "hazardous_chemicals", "hc_production", "420103");
    body["principal"] = json!("王五");
    let enterprise = app.enterprise(&reg.token, body).await;
    for at in ["2026-02-10T01:00:00Z", "2026-06-01T01:00:00Z", "2026-11-20T01:00:00Z"] {
        ok(app, &reg.token, "/api/v1/accidents", &accident(enterprise, at)).await;
    }
    Bureau { reg, approver, enterprise }
}

pub(crate) fn ids_of(v: &Value, kind: &str) -> Vec<i64> {
    let items = v["items"].as_array().unwrap();
    items.iter().filter(|i| i["subject_kind"] == kind).map(|i| i["id"].as_i64().unwrap()).collect()
}

/// Notified, the statement waived and decided by the approver: the listing.
async fn list_one(app: &TestApp, office: &Bureau, id: i64) -> Value {
    ok(app, &office.reg.token, &format!("{LIST}/proposals/{id}/notify"), &json!({})).await;
    ok(app, &office.reg.token, &format!("{LIST}/proposals/{id}/statement"), &json!({"waive": true})).await;
    ok(app, &office.approver.token, &format!("{LIST}/proposals/{id}/decide"), &json!({})).await
}

#[tokio::test]
async fn two_relatively_serious_accidents_propose_a_listing_decided_only_after_notice_and_by_another_person() {
    on_each_backend(|app| async move {
        let office = bureau_with_accidents(&app).await;
        let first = ok(&app, &office.reg.token, &format!("{LIST}/scan"), &json!({})).await;
        assert_eq!(first["proposed"], 4, "unit and principal for the June and the November accident: {first}");
        let again = ok(&app, &office.reg.token, &format!("{LIST}/scan"), &json!({})).await;
        assert_eq!(again["proposed"], 0, "a basis is proposed once");
        let (_, proposals) = app.get(&office.reg.token, &format!("{LIST}/proposals?status=proposed")).await;
        assert_eq!(proposals["total"], 4, "{proposals}");
        let items = proposals["items"].as_array().unwrap();
        assert!(items.iter().all(|i| i["situation"] == "a2"), "{proposals}");
        let units = ids_of(&proposals, "unit");
        let (unit, other) = (units[0], units[1]);

        // No decision before the notice, nor while the statement period runs.
        let (status, e) = step(&app, &office.approver.token, unit, "decide", json!({})).await;
        assert_eq!((status, e["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("illegal_transition")), "{e}");
        let (status, n) = step(&app, &office.reg.token, unit, "notify", json!({})).await;
        assert_eq!(status, StatusCode::OK, "{n}");
        assert!(n["notice_number"].as_str().unwrap().contains("失信告"), "{n}");
        assert_eq!(n["statement_until"], "2026-11-27", "five working days: {n}");
        let (status, e) = step(&app, &office.approver.token, unit, "decide", json!({})).await;
        assert_eq!((status, e["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("statement_period")), "{e}");
        let (status, e) = step(&app, &office.reg.token, unit, "decide", json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a regulator does not decide: {e}");
        let (status, e) = step(&app, &office.reg.token, unit, "statement", json!({})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert!(e["error"]["fields"]["note"].is_array(), "{e}");
        step(&app, &office.reg.token, unit, "statement", json!({"note": "当事人称已整改"})).await;
        let (status, d) = step(&app, &office.approver.token, unit, "decide", json!({})).await;
        assert_eq!(status, StatusCode::OK, "{d}");
        assert_eq!((d["status"].as_str(), d["listed_on"].as_str()), (Some("listed"), Some("2026-11-22")), "{d}");
        assert_eq!(d["until"], "2029-11-22", "three years: {d}");
        assert!(d["decision_number"].as_str().unwrap().contains("失信决"), "{d}");

        // One person holding both roles notifies, then may not decide.
        let both = app.user("both").role(Role::Regulator).role(Role::Approver).region("420103").create().await;
        ok(&app, &both.token, &format!("{LIST}/proposals/{other}/notify"), &json!({})).await;
        step(&app, &office.reg.token, other, "statement", json!({"waive": true})).await;
        let (status, e) = step(&app, &both.token, other, "decide", json!({})).await;
        assert_eq!((status, e["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("separation_of_duties")), "{e}");
        // Refused at a step with a reason.
        let (status, e) = step(&app, &office.approver.token, other, "refuse", json!({})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        let (status, r) =
            step(&app, &office.approver.token, other, "refuse", json!({"note": "第二起事故已另案处理"})).await;
        assert_eq!((status, r["status"].as_str()), (StatusCode::OK, Some("refused")), "{r}");

        let text = public(&app).await;
        assert!(text.contains("甲化工有限公司") && text.contains("12个月内累计发生2起以上较大生产安全事故"), "{text}");
        assert!(!text.contains("王五"), "{text}");
    })
    .await;
}

#[tokio::test]
async fn early_removal_waits_twelve_months_checks_its_conditions_can_be_revoked_and_the_job_ends_the_listing() {
    on_each_backend(|app| async move {
        let office = bureau_with_accidents(&app).await;
        let qiye = app.user("qiye").role(Role::Principal).enterprise(office.enterprise).create().await;
        ok(&app, &office.reg.token, &format!("{LIST}/scan"), &json!({})).await;
        let (_, proposals) = app.get(&office.reg.token, &format!("{LIST}/proposals")).await;
        let unit = ids_of(&proposals, "unit")[0];
        let person = ids_of(&proposals, "principal")[0];
        list_one(&app, &office, unit).await;
        list_one(&app, &office, person).await;
        let text = public(&app).await;
        assert!(text.contains("甲化工有限公司") && text.contains("王某") && !text.contains("王五"), "{text}");

        // The enterprise sees its listing, and may not apply before 12 months.
        let (status, mine) = app.get(&qiye.token, &format!("{LIST}/proposals/{unit}")).await;
        assert_eq!(status, StatusCode::OK, "{mine}");
        assert_eq!(mine["removal_from"], "2027-11-22", "{mine}");
        let commitment = "本单位承诺严格遵守安全生产法律法规，如实提供材料，接受社会监督。";
        let (status, e) = step(&app, &qiye.token, unit, "apply_removal", json!({"commitment": commitment})).await;
        assert_eq!(
            (status, e["error"]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("removal_too_early"))
        );
        assert!(e["error"]["message"].as_str().unwrap().contains("2027-11-22"), "{e}");

        app.clock.set(start_time() + chrono::Duration::days(400));
        let (q, reg, approver) = (relogin(&app, "qiye").await, relogin(&app, "reg").await, relogin(&app, "fuze").await);
        // A commitment too short is a condition not met: removal refused until it is.
        let (status, a) = step(&app, &q, unit, "apply_removal", json!({"commitment": "承诺守法"})).await;
        assert_eq!(status, StatusCode::OK, "{a}");
        let unmet: Vec<&str> = a["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["met"] == false)
            .map(|c| c["code"].as_str().unwrap())
            .collect();
        assert_eq!(unmet, ["commitment"], "{a}");
        let (status, e) = step(&app, &approver, unit, "decide_removal", json!({"approve": true})).await;
        assert_eq!(
            (status, e["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("removal_conditions_unmet")),
            "{e}"
        );
        ok(
            &app,
            &approver,
            &format!("{LIST}/proposals/{unit}/decide_removal"),
            &json!({"approve": false, "note": "承诺不完整"}),
        )
        .await;
        ok(&app, &q, &format!("{LIST}/proposals/{unit}/apply_removal"), &json!({"commitment": commitment})).await;
        let (status, r) =
            step(&app, &approver, unit, "decide_removal", json!({"approve": true, "note": "条件均已满足"})).await;
        assert_eq!((status, r["status"].as_str()), (StatusCode::OK, Some("removed")), "{r}");
        assert!(r["removal_number"].as_str().unwrap().contains("失信移"), "{r}");
        let text = public(&app).await;
        assert!(
            !text.contains("甲化工有限公司") && text.contains("王某"),
            "removed: gone from the public list: {text}"
        );

        // False information: the removal revoked, the listing back with its end date.
        let (status, e) = step(&app, &approver, unit, "revoke_removal", json!({})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        let (status, back) =
            step(&app, &approver, unit, "revoke_removal", json!({"note": "申请材料中的整改报告系伪造"})).await;
        assert_eq!(
            (status, back["status"].as_str(), back["until"].as_str()),
            (StatusCode::OK, Some("listed"), Some("2029-11-22")),
            "{back}"
        );
        assert!(public(&app).await.contains("甲化工有限公司"));
        let _ = reg;

        // The day the period ends, the nightly job removes both.
        app.clock.set(start_time() + chrono::Duration::days(365 * 3 + 1));
        let report = anjian::jobs::run_due(&app.state).await.unwrap();
        assert_eq!(report.dishonesty.expired, 2, "{report:?}");
        let reg = relogin(&app, "reg").await;
        let (_, ended) = app.get(&reg, &format!("{LIST}/proposals/{unit}")).await;
        let ended = (ended["status"].as_str().map(str::to_owned), ended["ended_on"].as_str().map(str::to_owned));
        assert_eq!(ended, (Some("expired".to_owned()), Some("2029-11-22".to_owned())));
        let text = public(&app).await;
        assert!(!text.contains("甲化工有限公司") && !text.contains("王某"), "{text}");
    })
    .await;
}
