//! The committed sample files: good ones import, bad ones are refused whole.

#[allow(clippy::wildcard_imports)]
use super::*;

#[tokio::test]
async fn the_rust_xlsxwriter_sample_imports_every_row_with_typed_fields() {
    on_each_backend(|app| async move {
        let reg = province_regulator(&app).await;
        let p = preview(&app, &reg.token, "good.xlsx", GOOD_RUST).await;
        assert_eq!(preview_counts(&p), (20, 0, 0));
        let rows: Vec<u64> = p["new_rows"].as_array().unwrap().iter().map(|r| r["row"].as_u64().unwrap()).collect();
        assert_eq!(rows, (2..=21).collect::<Vec<_>>());
        assert_eq!(import(&app, &reg.token, "good.xlsx", GOOD_RUST).await, (20, 0, 0));
        assert_eq!(total(&app, &reg.token).await, 20);
        assert_eq!(todo_kinds(&app, &reg.token).await, ["onboard_accounts"]);

        let e = by_code(&app, &reg.token, "91420103MA4K000017").await;
        assert_eq!(e["name"], "江汉宏达化工有限公司");
        assert_eq!((e["sector"].as_str(), e["region_code"].as_str()), (Some("hazardous_chemicals"), Some("420103")));
        assert_eq!(e["sub_types"], json!(["hc_production", "hc_storage"]));
        assert_eq!(e["special_topics"], json!(["key_hazardous_process", "key_hazardous_chemical"]));
        assert_eq!(e["address"], "武汉市江汉区发展大道88号");
        assert_eq!((e["legal_representative"].as_str(), e["principal"].as_str()), (Some("张伟"), Some("李明")));
        assert_eq!((e["phone"].as_str(), e["email"].as_str()), (Some("027-85861234"), Some("aq@hongda.example.com")));
        assert_eq!((e["employees"].as_i64(), e["above_designated_size"].as_bool()), (Some(168), Some(true)));
        assert_eq!(e["major_hazard_grade"], "grade2");
        assert_eq!(e["standardization_grade"], "level2");
        assert_eq!(e["standardization_date"], "2024-06-18");
        assert_eq!((e["longitude"].as_f64(), e["latitude"].as_f64()), (Some(114.2651), Some(30.6012)));
        assert_eq!(licence(&e), ("(鄂)WH安许证字[2024]0101", "2027-06-30"));
        assert_eq!(e["status"], "operating");
        assert_eq!(e["supervising_bureau_name"], "江汉区应急管理局");
        assert_eq!(e["status_history"][0]["reason"], "名录导入");

        assert_eq!(by_code(&app, &reg.token, "91420103MA4K00002A").await["major_hazard_grade"], "none");
        assert_eq!(
            by_code(&app, &reg.token, "91420281MA4K000094").await["sub_types"],
            json!(["fw_wholesale", "fw_retail"])
        );
        let e = by_code(&app, &reg.token, "91420102MA4K000042").await;
        assert_eq!((e["phone"].clone(), e["licences"].clone()), (Value::Null, json!([])));
        assert_eq!((e["standardization_grade"].as_str(), e["special_topics"].clone()), (Some("unrated"), json!([])));
        // 坐标系 GCJ-02: stored converted to WGS-84, a few hundred metres away.
        let e = by_code(&app, &reg.token, "91420111MA4K000030").await;
        let (dx, dy) = (e["longitude"].as_f64().unwrap() - 114.4208, e["latitude"].as_f64().unwrap() - 30.5041);
        assert!(dx.abs().max(dy.abs()) > 1e-3 && dx.abs().max(dy.abs()) < 1e-2, "{e}");
        audit_ok(&app, &reg.token).await;
    })
    .await;
}

#[tokio::test]
async fn the_libreoffice_sample_with_number_cells_spaces_and_text_dates_imports_cleanly() {
    on_each_backend(|app| async move {
        let reg = province_regulator(&app).await;
        let p = preview(&app, &reg.token, "lo.xlsx", GOOD_LIBREOFFICE).await;
        let rows: Vec<u64> = p["new_rows"].as_array().unwrap().iter().map(|r| r["row"].as_u64().unwrap()).collect();
        assert_eq!(rows, [2, 3, 4, 6, 7, 8, 9, 10], "Excel row 5 is blank");
        assert_eq!(import(&app, &reg.token, "lo.xlsx", GOOD_LIBREOFFICE).await, (8, 0, 0));

        // Code, phone and region were number cells; the name had spaces around it.
        let e = by_code(&app, &reg.token, "914201030000039000").await;
        assert_eq!(e["name"], "江汉宏达化工有限公司");
        assert_eq!((e["phone"].as_str(), e["region_code"].as_str()), (Some("13871234567"), Some("420103")));
        assert_eq!(e["employees"], 120);
        assert_eq!(e["sub_types"], json!(["hc_production", "hc_storage"]));
        assert_eq!(e["special_topics"], json!(["key_hazardous_process", "in_chemical_park"]));
        assert_eq!(e["standardization_date"], "2025-03-15", "a real date cell");
        assert_eq!(licence(&e), ("(鄂)WH安许证字[2024]0012", "2027-06-30"));
        // Lower-case code, spaces around sector and sub-type, a 2027/6/30 text date.
        let e = by_code(&app, &reg.token, "91420111MA4L00002F").await;
        assert_eq!(e["credit_code"], "91420111MA4L00002F");
        assert_eq!((e["sector"].as_str(), e["sub_types"].clone()), (Some("fireworks"), json!(["fw_wholesale"])));
        assert_eq!((e["phone"].as_str(), e["major_hazard_grade"].as_str()), (Some("027-87654321"), Some("none")));
        assert_eq!(licence(&e), ("(鄂)YH经许字[2023]0051", "2027-06-30"));
        // An all-digit licence number stored as a number.
        let e = by_code(&app, &reg.token, "914202020000006000").await;
        assert_eq!(licence(&e), ("420202202400018", "2026-12-01"));
        assert_eq!(e["special_topics"], json!(["slope_over_200m", "overhead_tailings"]));
        // A code padded with spaces; "1,200" employees.
        let e = by_code(&app, &reg.token, "91420115MA4L00005J").await;
        assert_eq!((e["employees"].as_i64(), e["sector"].as_str()), (Some(1200), Some("industry_trade")));
        // 危化品 and 经营 are the abbreviations clerks use.
        let e = by_code(&app, &reg.token, "91420103MA4L00008F").await;
        assert_eq!(e["sub_types"], json!(["hc_trading_without_storage"]));
        assert_eq!(licence(&e), ("(鄂)WH经许字[2025]0216", "2028-02-29"));
        audit_ok(&app, &reg.token).await;
    })
    .await;
}

#[tokio::test]
async fn the_version_1_layout_without_the_newer_columns_still_imports() {
    on_each_backend(|app| async move {
        let reg = province_regulator(&app).await;
        assert_eq!(import(&app, &reg.token, "v1.xlsx", GOOD_V1).await, (6, 0, 0));
        let e = by_code(&app, &reg.token, "91420103MA4M00001C").await;
        assert_eq!((e["phone"].as_str(), e["region_code"].as_str()), (Some("13971112222"), Some("420103")));
        assert_eq!((e["sub_types"].clone(), e["major_hazard_grade"].as_str()), (json!(["hc_use"]), Some("grade4")));
        assert_eq!(licence(&e), ("(鄂)WH安许证字[2025]0003", "2028-03-31"));
        assert_eq!((e["email"].clone(), e["special_topics"].clone()), (Value::Null, json!([])));
        let e = by_code(&app, &reg.token, "91420115MA4M000042").await;
        assert_eq!(e["sub_types"], json!(["it_textile", "it_light_industry"]));
        assert_eq!((e["employees"].as_i64(), e["licences"].clone()), (Some(640), json!([])));
        audit_ok(&app, &reg.token).await;
    })
    .await;
}

#[tokio::test]
async fn the_legacy_xls_imports_exactly_like_its_xlsx_twin() {
    on_each_backend(|app| async move {
        let reg = province_regulator(&app).await;
        assert_eq!(import(&app, &reg.token, "legacy.xls", LEGACY_XLS).await, (8, 0, 0));
        let e = by_code(&app, &reg.token, "914202810000018000").await;
        assert_eq!((e["phone"].as_str(), e["employees"].as_i64()), (Some("13507145678"), Some(430)));
        assert_eq!(licence(&e), ("(鄂)FM安许证字[2022]0107", "2028-01-31"));
        // The same content as .xlsx finds nothing to change.
        assert_eq!(import(&app, &reg.token, "lo.xlsx", GOOD_LIBREOFFICE).await, (0, 0, 8));
    })
    .await;
}

#[tokio::test]
async fn the_bad_file_lists_every_row_error_at_once_and_writes_nothing() {
    on_each_backend(|app| async move {
        let wuhan = app.user("wuhan_jg").role(Role::Regulator).region("420100").create().await;
        let entries = audit_ok(&app, &wuhan.token).await;
        let want = expected(&BAD_ERRORS);
        for (name, bytes) in [("bad.xlsx", BAD), ("bad.xls", BAD_XLS)] {
            assert_eq!(rejected(&app, &wuhan.token, DRY_RUN, name, bytes).await, want, "{name}");
            assert_eq!(rejected(&app, &wuhan.token, IMPORT, name, bytes).await, want, "{name}");
        }
        assert_eq!(total(&app, &wuhan.token).await, 0);
        assert_eq!(audit_ok(&app, &wuhan.token).await, entries, "nothing written, not even a bureau");

        // The province covers 黄石港区, so row 17 is fine for it.
        let sheng = province_regulator(&app).await;
        let mut want = want;
        want.remove(&(17, "行政区划代码".to_owned(), "out_of_jurisdiction".to_owned()));
        assert_eq!(rejected(&app, &sheng.token, IMPORT, "bad.xlsx", BAD).await, want);
        assert_eq!(total(&app, &sheng.token).await, 0);
    })
    .await;
}

#[tokio::test]
async fn a_dry_run_writes_nothing() {
    on_each_backend(|app| async move {
        let reg = province_regulator(&app).await;
        let entries = audit_ok(&app, &reg.token).await;
        for (name, bytes) in [("good.xlsx", GOOD_RUST), ("lo.xlsx", GOOD_LIBREOFFICE), ("legacy.xls", LEGACY_XLS)] {
            let (new, _, _) = preview_counts(&preview(&app, &reg.token, name, bytes).await);
            assert!(new > 0, "{name}");
        }
        assert_eq!(total(&app, &reg.token).await, 0);
        assert_eq!(audit_ok(&app, &reg.token).await, entries);
        let bureaus = bureau_codes(&app, &reg.token).await;
        assert_eq!(bureaus.len(), 1, "no county bureau created: {bureaus:?}");
        assert!(todo_kinds(&app, &reg.token).await.is_empty(), "no onboarding to-do");
    })
    .await;
}

/// The first two good rows as a short file: row 2 gets a new name and phone and
/// an empty 法定代表人; row 3 a new licence expiry.
pub(super) fn edited_file() -> Vec<u8> {
    let headers = ["统一社会信用代码", "企业名称", "行业", "细分类别", "行政区划代码", "联系电话", "法定代表人"];
    let headers = [&headers[..], &["安全生产许可证号", "许可证有效期至"]].concat();
    let pick = |r: &[&'static str; 21]| -> Vec<&'static str> {
        headers.iter().map(|h| r[TEMPLATE.iter().position(|t| t == h).unwrap()]).collect()
    };
    let mut a = pick(&GOOD_ROWS[0]);
    a[1] = "江汉宏达新材料有限公司";
    a[5] = "13907150001";
    a[6] = "";
    let mut b = pick(&GOOD_ROWS[1]);
    b[8] = "2029-03-31";
    typed_workbook(&headers, &[a, b]).unwrap()
}

#[tokio::test]
async fn a_changed_file_previews_exactly_its_diffs_and_empty_cells_clear_nothing() {
    on_each_backend(|app| async move {
        let reg = province_regulator(&app).await;
        import(&app, &reg.token, "good.xlsx", GOOD_RUST).await;
        assert_eq!(preview_counts(&preview(&app, &reg.token, "good.xlsx", GOOD_RUST).await), (0, 0, 20));
        let before = by_code(&app, &reg.token, "91420103MA4K000017").await;

        let p = preview(&app, &reg.token, "edited.xlsx", &edited_file()).await;
        assert_eq!(preview_counts(&p), (0, 2, 0));
        let change = |field: &str, label: &str, old: &str, new: &str| {
            json!({"field": field, "label": label, "old": old, "new": new})
        };
        assert_eq!(
            p["changed_rows"],
            json!([
                {"row": 2, "credit_code": "91420103MA4K000017", "name": "江汉宏达化工有限公司", "changes": [
                    change("name", "企业名称", "江汉宏达化工有限公司", "江汉宏达新材料有限公司"),
                    change("phone", "联系电话", "027-85861234", "13907150001"),
                ]},
                {"row": 3, "credit_code": "91420103MA4K00002A", "name": "江汉兴业危化品储运有限公司", "changes": [
                    change("licence_valid_to", "许可证有效期至", "2026-03-31", "2029-03-31"),
                ]},
            ])
        );
        assert_eq!(p["new_rows"], json!([]));
        assert_eq!(by_code(&app, &reg.token, "91420103MA4K000017").await, before, "the dry run wrote nothing");

        assert_eq!(import(&app, &reg.token, "edited.xlsx", &edited_file()).await, (0, 2, 0));
        let after = by_code(&app, &reg.token, "91420103MA4K000017").await;
        assert_eq!((after["name"].as_str(), after["phone"].as_str()), (Some("江汉宏达新材料有限公司"), Some("13907150001")));
        assert_eq!(after["legal_representative"], "张伟", "an empty cell clears nothing");
        for kept in ["address", "principal", "email", "employees", "standardization_date", "longitude", "licences"] {
            assert_eq!(after[kept], before[kept], "{kept}");
        }
        assert_eq!(after["version"], before["version"].as_i64().unwrap() + 1);
        let e = by_code(&app, &reg.token, "91420103MA4K00002A").await;
        assert_eq!(e["licences"].as_array().unwrap().len(), 1, "extended, not added: {e}");
        assert_eq!(licence(&e), ("(鄂)WH经许字[2023]0088", "2029-03-31"));
        assert_eq!(import(&app, &reg.token, "edited.xlsx", &edited_file()).await, (0, 0, 2));
        audit_ok(&app, &reg.token).await;
    })
    .await;
}

#[tokio::test]
async fn an_import_never_overwrites_status_or_supervising_bureau() {
    on_each_backend(|app| async move {
        let reg = province_regulator(&app).await;
        import(&app, &reg.token, "good.xlsx", GOOD_RUST).await;
        let e = by_code(&app, &reg.token, "91420103MA4K000017").await;
        let wuhan = bureau_id(&app, &reg.token, "420100").await;
        let body = json!({"status": "suspended", "status_reason": "设备检修停产", "supervising_bureau_id": wuhan});
        let (status, v) = app.patch(&reg.token, &format!("/api/v1/enterprises/{}", e["id"]), &body).await;
        assert_eq!(status, StatusCode::OK, "{v}");

        let edited = edited_file();
        assert_eq!(import(&app, &reg.token, "edited.xlsx", &edited).await, (0, 2, 0));
        let after = by_code(&app, &reg.token, "91420103MA4K000017").await;
        assert_eq!(after["name"], "江汉宏达新材料有限公司", "the import did apply");
        assert_eq!((after["status"].as_str(), after["supervising_bureau_id"].clone()), (Some("suspended"), wuhan));
        assert_eq!(after["supervising_bureau_name"], "武汉市应急管理局");
        let history: Vec<&str> =
            after["status_history"].as_array().unwrap().iter().map(|h| h["status"].as_str().unwrap()).collect();
        assert_eq!(history, ["operating", "suspended"]);
        audit_ok(&app, &reg.token).await;
    })
    .await;
}

async fn export(app: &TestApp, token: &str) -> Vec<u8> {
    let res = app.client.get(app.url("/api/v1/enterprises/export")).bearer_auth(token).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[reqwest::header::CONTENT_TYPE], anjian::xlsx::XLSX_MIME);
    res.bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn an_exported_register_imports_back_unchanged() {
    on_each_backend(|app| async move {
        let reg = province_regulator(&app).await;
        import(&app, &reg.token, "good.xlsx", GOOD_RUST).await;
        import(&app, &reg.token, "lo.xlsx", GOOD_LIBREOFFICE).await;
        import(&app, &reg.token, "v1.xlsx", GOOD_V1).await;
        // Changes made through the API after the import are exported too.
        let e = by_code(&app, &reg.token, "91420102MA4K000042").await;
        let body = json!({"email": "ops@chutian.example.com", "employees": 7, "longitude": 114.3, "latitude": 30.6});
        let (status, v) = app.patch(&reg.token, &format!("/api/v1/enterprises/{}", e["id"]), &body).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let id = e["id"].as_i64().unwrap();
        let lic =
            json!({"licence_type": "safety_production", "number": "(鄂)WH经许字[2026]0001", "valid_to": "2029-11-30"});
        let (status, v) = app.post(&reg.token, &format!("/api/v1/enterprises/{id}/licences"), &lic).await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        let created = enterprise_body(
            &crate::helpers::code("420106", 7),
            "武昌新建化工有限公司",
            "hazardous_chemicals",
            "hc_use",
            "420106",
        );
        app.enterprise(&reg.token, created).await;

        let file = export(&app, &reg.token).await;
        let sheet = read_first_sheet(&file, &Limits::default()).unwrap();
        assert_eq!(sheet.headers, TEMPLATE);
        assert_eq!(sheet.rows.len(), 35);
        assert_eq!(preview_counts(&preview(&app, &reg.token, "export.xlsx", &file).await), (0, 0, 35));
        assert_eq!(import(&app, &reg.token, "export.xlsx", &file).await, (0, 0, 35));
        audit_ok(&app, &reg.token).await;
    })
    .await;
}

#[tokio::test]
async fn a_district_regulator_cannot_import_outside_its_jurisdiction() {
    on_each_backend(|app| async move {
        let jianghan = app.user("jianghan_jg").role(Role::Regulator).region("420103").create().await;
        // GOOD_ROWS[0] is in 江汉区, GOOD_ROWS[4] in 黄石港区 (420202).
        let file = typed_workbook(&TEMPLATE, &[GOOD_ROWS[0], GOOD_ROWS[4]]).unwrap();
        let want = expected(&[(3, "行政区划代码", "out_of_jurisdiction")]);
        assert_eq!(rejected(&app, &jianghan.token, DRY_RUN, "mixed.xlsx", &file).await, want);
        assert_eq!(rejected(&app, &jianghan.token, IMPORT, "mixed.xlsx", &file).await, want);
        assert_eq!(total(&app, &jianghan.token).await, 0);

        // An enterprise in 江汉区 that the city bureau supervises is not the district's to change.
        let sheng = province_regulator(&app).await;
        let only_first = typed_workbook(&TEMPLATE, &[GOOD_ROWS[0]]).unwrap();
        assert_eq!(import(&app, &jianghan.token, "one.xlsx", &only_first).await, (1, 0, 0));
        let e = by_code(&app, &sheng.token, "91420103MA4K000017").await;
        let wuhan = bureau_id(&app, &sheng.token, "420100").await;
        let (status, v) = app
            .patch(&sheng.token, &format!("/api/v1/enterprises/{}", e["id"]), &json!({"supervising_bureau_id": wuhan}))
            .await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let want = expected(&[(2, "统一社会信用代码", "out_of_jurisdiction")]);
        assert_eq!(rejected(&app, &jianghan.token, IMPORT, "one.xlsx", &only_first).await, want);
    })
    .await;
}

#[tokio::test]
async fn an_out_of_jurisdiction_row_names_its_region_and_the_bureau_that_covers_it() {
    on_each_backend(|app| async move {
        let jianghan = app.user("jianghan_jg").role(Role::Regulator).region("420103").create().await;
        let file = typed_workbook(&TEMPLATE, &[GOOD_ROWS[0], GOOD_ROWS[4]]).unwrap();
        let (status, v) = app.upload(&jianghan.token, DRY_RUN, "mixed.xlsx", file).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        let message = v["error"]["rows"][0]["message"].as_str().unwrap();
        assert!(message.contains("420202") && message.contains("黄石港区") && message.contains("应由"), "{message}");
        assert!(message.contains("黄石港区应急管理局"), "the covering bureau: {message}");
    })
    .await;
}

#[tokio::test]
async fn the_preview_shows_each_new_rows_sector_sub_types_and_region_by_name() {
    on_each_backend(|app| async move {
        let reg = province_regulator(&app).await;
        let file = typed_workbook(&TEMPLATE, &[GOOD_ROWS[0]]).unwrap();
        let v = preview(&app, &reg.token, "one.xlsx", &file).await;
        let row = &v["new_rows"][0];
        assert_eq!(row["region"], "江汉区", "{row}");
        let sector = row["sector"].as_str().unwrap();
        assert!(!sector.is_empty() && !sector.is_ascii(), "in Chinese: {row}");
        let subs = row["sub_types"].as_array().unwrap();
        assert!(!subs.is_empty() && subs.iter().all(|t| !t.as_str().unwrap().is_ascii()), "{row}");
    })
    .await;
}

#[tokio::test]
async fn broken_uploads_are_clear_400s_and_the_server_keeps_answering() {
    on_each_backend(|app| async move {
        let reg = province_regulator(&app).await;
        let cases: [(&str, &[u8], &str); 6] = [
            ("malformed-truncated.xlsx", TRUNCATED, "malformed_file"),
            ("not-a-spreadsheet.xlsx", NOT_SPREADSHEET, "not_spreadsheet"),
            ("word-document.xlsx", WORD_DOCUMENT, "malformed_file"),
            ("absurd-dimension.xlsx", ABSURD, "file_too_large"),
            ("empty.xlsx", b"", "not_spreadsheet"),
            ("roster.csv", "统一社会信用代码,企业名称\n".as_bytes(), "not_spreadsheet"),
        ];
        for (name, bytes, code) in cases {
            assert_eq!(bad_request(&app, &reg.token, DRY_RUN, name, bytes).await, code, "{name}");
            assert_eq!(bad_request(&app, &reg.token, IMPORT, name, bytes).await, code, "{name}");
        }
        let res = app.client.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(total(&app, &reg.token).await, 0);
        assert_eq!(import(&app, &reg.token, "good.xlsx", GOOD_RUST).await, (20, 0, 0));
        // A multipart body without a `file` field.
        let form = reqwest::multipart::Form::new().text("other", "x");
        let req = app.client.post(app.url(IMPORT)).bearer_auth(&reg.token).multipart(form);
        let (status, v) = app.send(req).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    })
    .await;
}

#[tokio::test]
async fn a_file_missing_required_columns_names_each_of_them() {
    on_each_backend(|app| async move {
        let reg = province_regulator(&app).await;
        let headers = ["企业名称", "统一社会信用代码", "行政区划代码"];
        let file = typed_workbook(&headers, &[["某公司", "91420103MA4K000017", "420103"]]).unwrap();
        let want = expected(&[(1, "行业", "missing_column"), (1, "细分类别", "missing_column")]);
        assert_eq!(rejected(&app, &reg.token, IMPORT, "short.xlsx", &file).await, want);
    })
    .await;
}

#[tokio::test]
async fn the_blank_template_has_the_contract_headers_and_imports_nothing() {
    let sheet = read_first_sheet(TEMPLATE_FILE, &Limits::default()).unwrap();
    assert_eq!(sheet.headers, TEMPLATE);
    assert!(sheet.rows.is_empty());
    on_each_backend(|app| async move {
        let reg = province_regulator(&app).await;
        assert_eq!(import(&app, &reg.token, "enterprises.xlsx", TEMPLATE_FILE).await, (0, 0, 0));
    })
    .await;
}

#[tokio::test]
async fn only_regulators_may_import() {
    on_each_backend(|app| async move {
        let sheng = province_regulator(&app).await;
        let body = enterprise_body(
            &crate::helpers::code("420103", 1),
            "甲化工有限公司",
            "hazardous_chemicals",
            "hc_use",
            "420103",
        );
        let id = app.enterprise(&sheng.token, body).await;
        let mut refused = Vec::new();
        for (name, role) in [
            ("jianghan_zf", Role::Inspector),
            ("jianghan_fz", Role::LegalReviewer),
            ("jianghan_fzr", Role::Approver),
            ("jianghan_wg", Role::GridWorker),
        ] {
            refused.push(app.user(name).role(role).region("420103").create().await);
        }
        for (name, role) in [("qy_fzr", Role::Principal), ("qy_aqy", Role::SafetyOfficer), ("qy_yg", Role::Staff)] {
            refused.push(app.user(name).role(role).enterprise(id).create().await);
        }
        for user in &refused {
            for path in [IMPORT, DRY_RUN] {
                let (status, v) = app.upload(&user.token, path, "good.xlsx", GOOD_RUST.to_vec()).await;
                assert_eq!(status, StatusCode::FORBIDDEN, "user {}: {v}", user.id);
                assert_eq!(v["error"]["code"], "forbidden");
            }
        }
        let part = reqwest::multipart::Part::bytes(GOOD_RUST.to_vec()).file_name("good.xlsx");
        let req = app.client.post(app.url(IMPORT)).multipart(reqwest::multipart::Form::new().part("file", part));
        assert_eq!(app.send(req).await.0, StatusCode::UNAUTHORIZED);
        assert_eq!(total(&app, &sheng.token).await, 1);
    })
    .await;
}
