//! The samples stay in step with their generator; the CLI import end to end.

#[allow(clippy::wildcard_imports)]
use super::*;

#[test]
fn committed_samples_match_their_generator_and_stay_small() {
    let committed: [(&str, &[u8]); 3] =
        [("good-rust_xlsxwriter.xlsx", GOOD_RUST), ("bad-every-error.xlsx", BAD), ("absurd-dimension.xlsx", ABSURD)];
    for ((name, fresh), (committed_name, bytes)) in generate::all().unwrap().into_iter().zip(committed) {
        assert_eq!(name, committed_name);
        let read = |b: &[u8]| format!("{:?}", read_first_sheet(b, &Limits::default()));
        assert_eq!(read(bytes), read(&fresh), "{name} is stale: run imports/make-samples.sh");
    }
    for (name, bytes) in [
        ("good-libreoffice.xlsx", GOOD_LIBREOFFICE),
        ("good-v1.xlsx", GOOD_V1),
        ("legacy.xls", LEGACY_XLS),
        ("good-rust_xlsxwriter.xlsx", GOOD_RUST),
        ("bad-every-error.xlsx", BAD),
        ("bad-every-error.xls", BAD_XLS),
        ("absurd-dimension.xlsx", ABSURD),
        ("malformed-truncated.xlsx", TRUNCATED),
        ("word-document.xlsx", WORD_DOCUMENT),
    ] {
        assert!(bytes.len() < 100 * 1024, "{name} is {} bytes", bytes.len());
    }
}

/// Rewrites the samples `generate.rs` makes; `imports/make-samples.sh` runs it.
#[test]
#[ignore = "writes imports/samples; run by imports/make-samples.sh"]
fn regenerate_rust_xlsxwriter_samples() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("imports/samples");
    for (name, bytes) in generate::all().unwrap() {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

#[test]
fn the_cli_previews_then_imports_and_lists_row_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db").display().to_string();
    let file = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.display().to_string()
    };
    let (lo, xls, bad) = (file("lo.xlsx", GOOD_LIBREOFFICE), file("legacy.xls", LEGACY_XLS), file("bad.xlsx", BAD));
    let ok = |args: &[&str]| {
        let out = anjian(&db, args, "");
        assert!(out.status.success(), "{args:?}: {}{}", stdout(&out), stderr(&out));
        stdout(&out)
    };
    ok(&["migrate"]);
    for _ in 0..2 {
        let out = ok(&["import", "enterprises", &lo, "--dry-run"]);
        assert!(out.contains("预检通过：新增 8，变更 0，不变 0"), "{out}");
    }
    let summary = |out: &str| serde_json::from_str::<Value>(out.trim()).unwrap();
    let out = ok(&["import", "enterprises", &lo]);
    assert_eq!(summary(&out), json!({"imported": 8, "updated": 0, "unchanged": 0}));
    let out = ok(&["import", "enterprises", &xls]);
    assert_eq!(summary(&out), json!({"imported": 0, "updated": 0, "unchanged": 8}));
    let (good, edited) = (file("good.xlsx", GOOD_RUST), file("edited.xlsx", &super::files::edited_file()));
    assert_eq!(summary(&ok(&["import", "enterprises", &good])), json!({"imported": 20, "updated": 0, "unchanged": 0}));
    let out = ok(&["import", "enterprises", &edited, "--dry-run"]);
    assert!(out.contains("预检通过：新增 0，变更 2，不变 0"), "{out}");
    assert!(
        out.contains("第 2 行 91420103MA4K000017 企业名称：江汉宏达化工有限公司 → 江汉宏达新材料有限公司"),
        "{out}"
    );
    assert!(out.contains("第 3 行 91420103MA4K00002A 许可证有效期至：2026-03-31 → 2029-03-31"), "{out}");
    let exported = dir.path().join("export.xlsx").display().to_string();
    assert!(ok(&["export", "enterprises", &exported]).contains("已导出 28 家企业"));
    let out = ok(&["import", "enterprises", &exported]);
    assert_eq!(summary(&out), json!({"imported": 0, "updated": 0, "unchanged": 28}));

    // Without --as the operator is unrestricted: all errors but the jurisdiction one.
    let out = anjian(&db, &["import", "enterprises", &bad], "");
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("第 3 行 [统一社会信用代码] invalid_credit_code"), "{err}");
    assert!(err.contains("第 13 行 [许可证有效期至] invalid_date"), "{err}");
    assert_eq!(err.matches("\n  第 ").count(), BAD_ERRORS.len() - 1, "{err}");
    assert!(!err.contains("out_of_jurisdiction"), "{err}");
    assert!(ok(&["import", "enterprises", &lo, "--dry-run"]).contains("新增 0，变更 0，不变 8"), "nothing written");
    // As a 武汉市 regulator, 黄石港区 is out of bounds too.
    let add = ["user", "add", "--username", "wuhan_jg", "--role", "regulator", "--region", "420100"];
    let out = anjian(&db, &add, "long-enough-password-1\n");
    assert!(out.status.success(), "{}", stderr(&out));
    let out = anjian(&db, &["import", "enterprises", &bad, "--dry-run", "--as", "wuhan_jg"], "");
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("第 17 行 [行政区划代码] out_of_jurisdiction"), "{err}");
    assert_eq!(err.matches("\n  第 ").count(), BAD_ERRORS.len(), "{err}");
    let out = ok(&["audit", "verify"]);
    assert!(out.contains("\"ok\": true"), "{out}");
}
