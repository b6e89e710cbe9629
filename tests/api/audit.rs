//! The tamper-evident change log: clean after writes; edits behind the
//! application's back, edited entries and removed entries are caught and named.

use crate::helpers::{code, enterprise_body, on_each_backend, on_each_backend_with};
use anjian::audit::HashAlg;
use anjian::auth::Role;
use anjian::state::Settings;
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

async fn verify(app: &crate::helpers::TestApp, token: &str) -> Value {
    let (status, report) = app.get(token, "/api/v1/audit/verify").await;
    assert_eq!(status, StatusCode::OK, "{report}");
    report
}

/// (seq, entity, entity id, reason) of each problem.
type Reason = (Option<i64>, Option<String>, Option<String>, String);

fn reasons(report: &Value) -> Vec<Reason> {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["seq"].as_i64(),
                p["entity"].as_str().map(str::to_owned),
                p["entity_id"].as_str().map(str::to_owned),
                p["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_log_verifies_after_ordinary_writes() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let id = app
            .enterprise(&reg.token, enterprise_body(&code("420103", 1), "甲公司", "fireworks", "fw_retail", "420103"))
            .await;
        app.patch(
            &reg.token,
            &format!("/api/v1/enterprises/{id}"),
            &json!({"status": "suspended", "status_reason": "季节性停产"}),
        )
        .await;
        let report = verify(&app, &reg.token).await;
        assert_eq!(report["ok"], true, "{report}");
        // bureaus 420000/420100/420103, the user, the enterprise (create + update), two status entries.
        assert!(report["entries"].as_i64().unwrap() >= 7, "{report}");
    })
    .await;
}

#[tokio::test]
async fn a_row_edited_behind_the_applications_back_is_named() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let id = app
            .enterprise(&reg.token, enterprise_body(&code("420103", 2), "乙公司", "fireworks", "fw_retail", "420103"))
            .await;
        app.state
            .db
            .conn()
            .execute_unprepared(&format!("UPDATE enterprises SET name = '改过的名字' WHERE id = {id}"))
            .await
            .unwrap();
        let report = verify(&app, &reg.token).await;
        assert_eq!(report["ok"], false);
        assert_eq!(
            reasons(&report),
            vec![(None, Some("enterprise".into()), Some(id.to_string()), "row_changed".into())]
        );
    })
    .await;
}

#[tokio::test]
async fn an_edited_log_entry_is_named_by_its_sequence_number() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        app.enterprise(&reg.token, enterprise_body(&code("420103", 3), "丙公司", "fireworks", "fw_retail", "420103"))
            .await;
        app.state.db.conn().execute_unprepared("UPDATE audit_log SET actor = 'user:999' WHERE seq = 2").await.unwrap();
        let report = verify(&app, &reg.token).await;
        assert_eq!(report["ok"], false);
        let found = reasons(&report);
        assert!(found.contains(&(Some(2), None, None, "hash_mismatch".into())), "{report}");
    })
    .await;
}

#[tokio::test]
async fn a_removed_entry_and_a_truncated_tail_are_caught() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        app.enterprise(&reg.token, enterprise_body(&code("420103", 4), "丁公司", "fireworks", "fw_retail", "420103"))
            .await;
        let conn = app.state.db.conn();
        conn.execute_unprepared("DELETE FROM audit_log WHERE seq = 2").await.unwrap();
        let report = verify(&app, &reg.token).await;
        let found = reasons(&report);
        assert!(found.iter().any(|p| p.0 == Some(3) && p.3 == "seq_gap"), "{report}");
        assert!(found.iter().any(|p| p.0 == Some(3) && p.3 == "prev_hash_mismatch"), "{report}");
        conn.execute_unprepared("DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)").await.unwrap();
        let report = verify(&app, &reg.token).await;
        assert!(reasons(&report).iter().any(|p| p.3 == "head_mismatch"), "{report}");
    })
    .await;
}

#[tokio::test]
async fn the_chain_can_use_sm3_and_records_the_algorithm() {
    on_each_backend_with(
        || Settings { audit_alg: HashAlg::Sm3, ..Settings::default() },
        |app| async move {
            let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
            app.enterprise(
                &reg.token,
                enterprise_body(&code("420103", 5), "戊公司", "fireworks", "fw_retail", "420103"),
            )
            .await;
            let row = app.state.db.conn().query_one_raw(sea_orm::Statement::from_string(
                app.state.db.backend(),
                "SELECT alg FROM audit_log ORDER BY seq DESC LIMIT 1",
            ));
            let alg: String = row.await.unwrap().unwrap().try_get("", "alg").unwrap();
            assert_eq!(alg, "sm3");
            assert_eq!(verify(&app, &reg.token).await["ok"], true);
        },
    )
    .await;
}

#[test]
fn sm3_matches_the_standard_test_vector() {
    // GB/T 32905-2016, example 1: SM3("abc").
    assert_eq!(HashAlg::Sm3.digest_hex(b"abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
}
