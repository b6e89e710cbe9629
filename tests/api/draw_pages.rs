//! The draw's pages over plain HTTP: a regulator commits a draw in the form (a bad
//! form comes back with every problem and what was typed), sees it in the list and
//! on its page; an approver sees it without the forms a regulator has; an
//! enterprise user, another county's regulator and an anonymous visitor do not.

use crate::draw_support::{draw_world, get_page, post_page};
use crate::helpers::on_each_backend;
use anjian::auth::Role;
use reqwest::StatusCode;

#[tokio::test]
async fn a_draw_is_committed_in_the_form_and_a_bad_form_comes_back_with_every_problem_kept() {
    on_each_backend(|app| async move {
        let w = draw_world(&app).await;
        let (status, list) = get_page(&app, &w.reg, "/draws").await;
        assert_eq!(status, StatusCode::OK, "{list}");
        assert!(list.contains("新建抽取") && list.contains(r#"href="/draws""#), "{list}");
        let (status, form) = get_page(&app, &w.reg, "/draws/new").await;
        assert_eq!(status, StatusCode::OK, "{form}");
        assert!(
            form.contains("系统生成并保管") && form.contains("生成随机密钥") && form.contains("危险化学品"),
            "{form}"
        );
        // No title, a sample that is not a number, a short secret of one's own: all at once, all kept.
        let bad = [
            ("title", ""),
            ("sectors", "hazardous_chemicals"),
            ("sample_mode", "count"),
            ("sample_value", "三家"),
            ("team_size", "2"),
            ("secret_mode", "regulator"),
            ("secret", "abc"),
            ("planned_date", "下周"),
        ];
        let (status, _, page) = post_page(&app, &w.reg, "/draws/new", &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
        for expected in ["请填写抽取名称", "请填写抽取家数", "至少 8 个字符", "YYYY-MM-DD"] {
            assert!(page.contains(expected), "“{expected}” is said: {page}");
        }
        assert!(page.contains(r#"value="三家""#) && page.contains(r#"value="abc""#), "typed values kept: {page}");
        assert!(page.contains(r#"value="hazardous_chemicals" checked"#), "the sector stays checked: {page}");
        assert!(page.contains(r#"value="regulator" id="secret-regulator" checked"#), "{page}");
        let (_, v) = app.get(&w.reg.token, "/api/v1/draws").await;
        assert_eq!(v["total"], 0, "nothing was committed: {v}");
        // A good form commits and leads to the draw.
        let good = [
            ("title", "2026年第四季度危化品双随机抽查"),
            ("sectors", "hazardous_chemicals"),
            ("sample_mode", "count"),
            ("sample_value", "3"),
            ("team_size", "2"),
            ("secret_mode", "server"),
        ];
        let (status, to, page) = post_page(&app, &w.reg, "/draws/new", &good).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
        assert!(to.starts_with("/draws/") && to.ends_with("?done=committed"), "{to}");
        let (status, detail) = get_page(&app, &w.reg, &to).await;
        assert_eq!(status, StatusCode::OK, "{detail}");
        let id = to.trim_start_matches("/draws/").trim_end_matches("?done=committed");
        let (_, v) = app.get(&w.reg.token, &format!("/api/v1/draws/{id}")).await;
        assert!(detail.contains(v["pool_hash"].as_str().unwrap()), "the pool hash is shown: {detail}");
        assert!(detail.contains(v["commitment"].as_str().unwrap()), "the commitment is shown: {detail}");
        assert!(detail.contains(r#"id="enterprise-count">6<"#), "six enterprises in the pool: {detail}");
        assert!(detail.contains(r#"id="execute-form""#) && detail.contains("系统生成并保管"), "{detail}");
        let (_, list) = get_page(&app, &w.reg, "/draws").await;
        assert!(list.contains("2026年第四季度危化品双随机抽查") && list.contains("已固定名录待抽取"), "{list}");
        // The approver sees the draw, without the regulator's forms.
        let (status, seen) = get_page(&app, &w.approver, &format!("/draws/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{seen}");
        assert!(!seen.contains(r#"id="execute-form""#) && !seen.contains(r#"id="redraw""#), "{seen}");
        let (status, _) = get_page(&app, &w.approver, "/draws/new").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "only regulators commit");
        // A redraw needs its reason.
        let (status, redraw) = get_page(&app, &w.reg, &format!("/draws/new?supersedes={id}")).await;
        assert_eq!(status, StatusCode::OK, "{redraw}");
        assert!(redraw.contains("重新抽取的理由") && redraw.contains("2026年第四季度危化品双随机抽查"), "{redraw}");
        let mut again = good.to_vec();
        again.push(("supersedes_id", id));
        let (status, _, page) = post_page(&app, &w.reg, "/draws/new", &again).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
        assert!(page.contains("重新抽取须填写理由"), "{page}");
    })
    .await;
}

#[tokio::test]
async fn the_draw_pages_are_for_the_bureau_only() {
    on_each_backend(|app| async move {
        let w = draw_world(&app).await;
        let good = [("title", "抽查"), ("sample_value", "2"), ("team_size", "2"), ("secret_mode", "server")];
        let (status, to, page) = post_page(&app, &w.reg, "/draws/new", &good).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
        let path = to.trim_end_matches("?done=committed").to_owned();
        for p in ["/draws", path.as_str(), "/draws/new"] {
            let (status, body) = get_page(&app, &w.officer, p).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "an enterprise user gets 404 on {p}: {body}");
        }
        let (status, _, _) = post_page(&app, &w.officer, &format!("{path}/execute"), &[]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "nor may it execute");
        let other = app.user("reg_other").role(Role::Regulator).region("420102").create().await;
        let (status, _) = get_page(&app, &other, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "another county's regulator gets 404");
        let (status, _, _) = post_page(&app, &other, &format!("{path}/execute"), &[]).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, list) = get_page(&app, &other, "/draws").await;
        assert!(list.contains("还没有抽取"), "another county's list is empty: {list}");
        let anon = crate::draw_support::client().get(app.url(&path)).send().await.unwrap();
        assert_eq!(anon.status(), StatusCode::SEE_OTHER, "an anonymous visitor is sent to sign in");
        let (_, nav) = get_page(&app, &w.officer, "/todos").await;
        assert!(!nav.contains("双随机抽查"), "no menu entry for an enterprise user");
    })
    .await;
}
