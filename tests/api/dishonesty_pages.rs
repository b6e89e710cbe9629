//! The dishonesty-list pages over HTTP: the list in tabs with the scan button for
//! regulators only, a listing with the forms of the steps its reader may take, the
//! refusals of the service (statement period, too early, conditions unmet) shown as
//! Chinese messages with what was typed kept, the enterprise's own view, and the
//! printed notice, decision and removal decision; the regulator's own proposal made
//! by picking the enterprise and the accident.

use crate::dishonesty::{bureau_with_accidents, ids_of};
use crate::helpers::{PASSWORD, TestApp, on_each_backend, start_time};
use anjian::auth::Role;
use reqwest::StatusCode;

/// A page session: the cookie and the form token.
struct Session {
    token: String,
    csrf: String,
}

async fn sign_in(app: &TestApp, username: &str) -> Session {
    let (status, v) = app.login(username, PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    Session {
        token: v["token"].as_str().unwrap().to_owned(),
        csrf: v["user"]["csrf_token"].as_str().unwrap().to_owned(),
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn get(app: &TestApp, s: &Session, path: &str) -> (StatusCode, String) {
    let res = client().get(app.url(path)).header("cookie", format!("anjian_session={}", s.token)).send().await;
    let res = res.unwrap();
    (res.status(), res.text().await.unwrap())
}

/// Posts a form; the status and the redirect target or the page.
async fn post(app: &TestApp, s: &Session, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let mut form: Vec<(&str, &str)> = vec![("csrf_token", s.csrf.as_str())];
    form.extend_from_slice(fields);
    let res = client()
        .post(app.url(path))
        .header("cookie", format!("anjian_session={}", s.token))
        .form(&form)
        .send()
        .await
        .unwrap();
    let status = res.status();
    if status == StatusCode::SEE_OTHER {
        return (status, res.headers()["location"].to_str().unwrap().to_owned());
    }
    (status, res.text().await.unwrap())
}

#[tokio::test]
async fn the_pages_list_decide_refuse_in_chinese_and_print_a_listing() {
    on_each_backend(|app| async move {
        let office = bureau_with_accidents(&app).await;
        app.user("qiye").role(Role::Principal).enterprise(office.enterprise).create().await;
        let (reg, approver, qiye) =
            (sign_in(&app, "reg").await, sign_in(&app, "fuze").await, sign_in(&app, "qiye").await);

        // The list: the regulator scans from the page; the approver has no button.
        let (status, list) = get(&app, &reg, "/dishonesty-list").await;
        assert_eq!(status, StatusCode::OK);
        assert!(list.contains("严重失信主体名单") && list.contains("form-scan") && list.contains("待告知"), "{list}");
        assert!(list.contains(r#"href="/dishonesty-list""#) && list.contains("失信名单"), "in the menu: {list}");
        let (status, to) = post(&app, &reg, "/dishonesty-list/scan", &[]).await;
        assert_eq!((status, to.as_str()), (StatusCode::SEE_OTHER, "/dishonesty-list?tab=proposed&scanned=4"));
        let (_, list) = get(&app, &reg, &to).await;
        for needle in ["新提出 4 条", "甲化工有限公司", "王五", "12个月内累计发生2起以上较大生产安全事故", "待事先告知"]
        {
            assert!(list.contains(needle), "{needle}: {list}");
        }
        let (_, list) = get(&app, &approver, "/dishonesty-list").await;
        assert!(!list.contains("form-scan") && !list.contains("form-propose"), "{list}");
        let (status, _) = post(&app, &approver, "/dishonesty-list/scan", &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (_, proposals) = app.get(&office.reg.token, "/api/v1/dishonesty-list/proposals").await;
        let unit = ids_of(&proposals, "unit")[0];
        let person = ids_of(&proposals, "principal")[0];
        let page = format!("/dishonesty-list/{unit}");

        // The detail: each reader gets the forms of its own steps.
        let (_, seen) = get(&app, &reg, &page).await;
        assert!(
            seen.contains("form-notify") && seen.contains("form-refuse") && !seen.contains("form-decide"),
            "{seen}"
        );
        let (_, seen) = get(&app, &approver, &page).await;
        assert!(!seen.contains("form-notify") && seen.contains("form-refuse"), "{seen}");
        assert_eq!(get(&app, &qiye, &page).await.0, StatusCode::NOT_FOUND, "not before the notice");
        let (status, to) = post(&app, &reg, &format!("{page}/act/notify"), &[]).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
        let (_, seen) = get(&app, &reg, &to).await;
        assert!(
            seen.contains("已办理“事先告知”") && seen.contains("失信告") && seen.contains("陈述申辩期限"),
            "{seen}"
        );

        // Refusals as messages: deciding during the statement period (409), an empty statement (422).
        let (status, seen) = post(&app, &approver, &format!("{page}/act/decide"), &[]).await;
        assert_eq!(status, StatusCode::CONFLICT, "{seen}");
        assert!(seen.contains("期限届满或记录当事人的陈述申辩后才能作出列入决定"), "{seen}");
        let (status, seen) = post(&app, &reg, &format!("{page}/act/statement"), &[("note", " ")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(seen.contains("请记录当事人的陈述、申辩意见"), "{seen}");
        post(&app, &reg, &format!("{page}/act/statement"), &[("note", "当事人称已整改")]).await;
        let (status, to) = post(&app, &approver, &format!("{page}/act/decide"), &[]).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
        let (_, seen) = get(&app, &approver, &page).await;
        assert!(
            seen.contains("已列入") && seen.contains("2026-11-22 至 2029-11-22") && seen.contains("失信决"),
            "{seen}"
        );
        assert!(seen.contains("✓ 已履行行政处罚决定") && seen.contains("✗ 作出公开信用承诺"), "{seen}");

        // The enterprise: its listing in the menu, the application only, refused too early with the text kept.
        let (_, mine) = get(&app, &qiye, "/dishonesty-list").await;
        assert!(mine.contains("失信信息") && mine.contains("甲化工有限公司") && !mine.contains("王五"), "{mine}");
        assert!(!mine.contains("form-scan") && !mine.contains("tab="), "{mine}");
        assert_eq!(get(&app, &qiye, &format!("/dishonesty-list/{person}")).await.0, StatusCode::NOT_FOUND);
        let (_, seen) = get(&app, &qiye, &page).await;
        assert!(seen.contains("form-apply_removal") && !seen.contains("form-decide_removal"), "{seen}");
        let commitment = "本单位承诺严格遵守安全生产法律法规，如实提供材料，接受社会监督。";
        let (status, seen) =
            post(&app, &qiye, &format!("{page}/act/apply_removal"), &[("commitment", commitment)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            seen.contains("满12个月后方可申请提前移出，2027-11-22起可以申请") && seen.contains(commitment),
            "{seen}"
        );

        // The printed notice and decision; the removal decision not before it is issued.
        for (kind, needles) in [
            ("notice", ["列入安全生产严重失信主体名单告知书", "失信告", "第六条第（二）项", "2026年11月27日前"]),
            (
                "decision",
                ["列入安全生产严重失信主体名单决定书", "失信决", "当事人称已整改", "2026年11月22日至2029年11月22日"],
            ),
        ] {
            let (status, doc) = get(&app, &qiye, &format!("{page}/documents/{kind}")).await;
            assert_eq!(status, StatusCode::OK, "{kind}");
            for n in needles {
                assert!(doc.contains(n) && doc.contains("甲化工有限公司") && doc.contains("（印章）"), "{n}: {doc}");
            }
        }
        assert_eq!(get(&app, &reg, &format!("{page}/documents/removal")).await.0, StatusCode::NOT_FOUND);

        // A year on: unmet conditions refuse the removal (409, the opinion kept); then removed and printed.
        app.clock.set(start_time() + chrono::Duration::days(400));
        let (qiye, approver) = (sign_in(&app, "qiye").await, sign_in(&app, "fuze").await);
        post(&app, &qiye, &format!("{page}/act/apply_removal"), &[("commitment", "承诺守法")]).await;
        let form = [("approve", "yes"), ("note", "经核查同意移出")];
        let (status, seen) = post(&app, &approver, &format!("{page}/act/decide_removal"), &form).await;
        assert_eq!(status, StatusCode::CONFLICT, "{seen}");
        assert!(seen.contains("提前移出的条件未满足：作出公开信用承诺") && seen.contains("经核查同意移出"), "{seen}");
        post(&app, &approver, &format!("{page}/act/decide_removal"), &[("approve", "no"), ("note", "承诺不完整")])
            .await;
        post(&app, &qiye, &format!("{page}/act/apply_removal"), &[("commitment", commitment)]).await;
        let (status, _) = post(&app, &approver, &format!("{page}/act/decide_removal"), &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (_, doc) = get(&app, &approver, &format!("{page}/documents/removal")).await;
        assert!(doc.contains("提前移出安全生产严重失信主体名单决定书") && doc.contains("失信移"), "{doc}");
        assert!(doc.contains("✓ 作出公开信用承诺") && doc.contains(commitment), "{doc}");
        let (_, seen) = get(&app, &approver, &page).await;
        assert!(seen.contains("form-revoke_removal") && seen.contains("同意提前移出"), "{seen}");
    })
    .await;
}

#[tokio::test]
async fn a_regulator_proposes_by_picking_the_enterprise_and_the_accident_not_typing_ids() {
    on_each_backend(|app| async move {
        let office = bureau_with_accidents(&app).await;
        let reg = sign_in(&app, "reg").await;
        let (_, accidents) = app.get(&office.reg.token, "/api/v1/accidents").await;
        let newest = accidents["items"][0]["id"].as_i64().unwrap();
        let (_, list) = get(&app, &reg, "/dishonesty-list").await;
        let option = format!(r#"<option value="{newest}">2026-11-20　二车间　较大事故，死亡 3 人</option>"#);
        assert!(list.contains(&option), "the bureau's accidents are choices: {list}");
        assert!(list.contains("本局暂无行政处罚决定") && list.contains("data-picker-query"), "{list}");
        assert!(!list.contains(r#"name="enterprise_id" min="1""#), "no id to type: {list}");

        let form = |q: &'static str| {
            vec![
                ("situation", "a4"),
                ("subject_kind", "unit"),
                ("enterprise_q", q),
                ("enterprise_id", ""),
                ("subject_name", ""),
                ("reason", "经调查认定对事故发生负有责任"),
            ]
        };
        let id = newest.to_string();
        let mut unknown = form("不存在的企业");
        unknown.push(("accident_id", &id));
        let (status, seen) = post(&app, &reg, "/dishonesty-list/propose", &unknown).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(seen.contains("请从名录中选择企业") && seen.contains("不存在的企业"), "kept and explained: {seen}");

        // Without the picker's script the typed name is sent; one match is the enterprise.
        let mut named = form("甲化工");
        named.push(("accident_id", &id));
        let (status, to) = post(&app, &reg, "/dishonesty-list/propose", &named).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
        let (_, seen) = get(&app, &reg, &to).await;
        assert!(seen.contains("甲化工有限公司") && seen.contains("2026年11月20日 较大事故"), "{seen}");
    })
    .await;
}
