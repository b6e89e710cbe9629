//! Usernames are case-insensitive: credit codes are printed in capitals, the
//! generated accounts are lower case.

use crate::helpers::{PASSWORD, on_each_backend};
use anjian::auth::Role;
use anjian::auth::service::{NewUser, create_user};
use reqwest::StatusCode;

#[tokio::test]
async fn a_username_signs_in_in_any_case_and_a_second_one_differing_only_in_case_is_refused() {
    on_each_backend(|app| async move {
        app.user("91420103ma4k00001x-aqy").role(Role::Regulator).region("420103").create().await;
        let (status, v) = app.login("91420103MA4K00001X-AQY", PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["user"]["username"], "91420103ma4k00001x-aqy");
        let (status, _) = app.login("91420103MA4K00001X-AQY", "wrong-password-123").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        let state = &app.state;
        let ctx = state.audit_ctx("test".into());
        let txn = state.db.begin_write().await.unwrap();
        let twin = NewUser {
            username: "91420103MA4K00001X-aqy".into(),
            display_name: "重复".into(),
            password_hash: "x".into(),
            roles: vec![Role::Regulator],
            bureau_id: Some(1),
            ..NewUser::default()
        };
        let err = create_user(&txn, &ctx, twin).await.unwrap_err();
        assert_eq!(err.code(), "username_taken", "{err:?}");
    })
    .await;
}
