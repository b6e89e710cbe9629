//! The browser verifier (`assets/draw-verify.js`) in real Chromium, SQLite: its
//! SHA-256 and `ChaCha20` against published vectors; its verdict on proofs made by
//! the Rust sampler (`draw::synthetic`), untouched and tampered, against the Rust
//! verifier's and `anjian draw verify`'s (the same field named); the verify page on
//! a stored draw and on a pasted proof; screenshots of the public draw pages; and
//! (ignored, `bench/draw-browser.sh`) the time to verify a bureau-sized proof.

use crate::draw_public::{first_bureau, store_draw};
use crate::helpers::{Backend, TestApp, code, enterprise_body};
use crate::page_steps::{run, until_within as until};
use crate::webdriver::{Browser, browser_installed, start_chromedriver};
use anjian::auth::Role;
use anjian::draw::domain::Status;
use anjian::draw::synthetic::{Spec, proof};
use anjian::draw::verify::verify;
use serde_json::{Value, json};
use std::time::Instant;

/// The verifier's verdict on `proof` in the page: `{ok, field, message, summary}`.
async fn verdict(browser: &Browser, proof: &Value) -> Value {
    run(browser, "return AnjianDraw.verify(JSON.parse(arguments[0]));", json!([proof.to_string()])).await
}

#[tokio::test]
async fn the_js_sha256_and_chacha20_give_the_published_vectors() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    browser.goto(&app.url("/public/draws/verify")).await;
    until(&browser, "the verifier loads", "window.AnjianDraw", 10).await;
    let script = r"
        const A = AnjianDraw, enc = (s) => new TextEncoder().encode(s);
        const key = Uint8Array.from({length: 32}, (_, i) => i);
        const text = 'Ladies and Gentlemen of the class of \'99: If I could offer you only one tip for the future, sunscreen would be it.';
        return [A.hex(A.sha256(enc('abc'))), A.hex(A.sha256(enc(''))),
          A.hex(A.sha256(enc('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))),
          A.hex(A.sha256(new Uint8Array(1000000).fill(97))),
          A.hex(A.chacha20Block(key, 1, Uint8Array.from([0,0,0,9,0,0,0,0x4a,0,0,0,0]))),
          A.hex(A.chacha20Xor(key, 1, Uint8Array.from([0,0,0,0,0,0,0,0x4a,0,0,0,0]), enc(text)))];";
    let got = run(&browser, script, json!([])).await;
    let want = json!([
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
        // RFC 8439 §2.3.2: the serialized block.
        "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4ed2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e",
        // RFC 8439 §2.4.2: the ciphertext of the sunscreen text.
        "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0bf91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d807ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab77937365af90bbf74a35be6b40b8eedf2785e42874d",
    ]);
    assert_eq!(got, want);
    browser.close().await;
}

/// The proofs both implementations must accept: unweighted and weighted, strata,
/// the specialty rule, many exclusions, unstaffed tasks, public and full.
pub(crate) fn specs() -> Vec<(&'static str, Spec)> {
    let base = Spec { enterprises: 400, inspectors: 12, conflicts: 40, sample: 30, ..Spec::default() };
    vec![
        ("uniform", base.clone()),
        ("weighted", Spec { weighted: true, secret: "权重-密钥".into(), ..base.clone() }),
        ("strata", Spec { strata: 3, sample: 45, entropy: Some("2026-12-05 福彩3D 123".into()), ..base.clone() }),
        ("specialists", Spec { sector_specialist: true, team_size: 3, ..base.clone() }),
        (
            "unstaffed",
            Spec { enterprises: 200, inspectors: 3, conflicts: 300, sample: 40, team_size: 3, ..base.clone() },
        ),
        ("public", Spec { public: true, strata: 2, weighted: true, ..base.clone() }),
        ("everything", Spec { strata: 4, weighted: true, sector_specialist: true, conflicts: 300, ..base }),
    ]
}

/// Tampering with one byte of each part of a proof, and the field the verifier names.
/// What is tampered with, how, and the field the verifiers name.
pub(crate) type Tampering = (&'static str, fn(&mut Value), &'static str);

pub(crate) fn tamperings() -> Vec<Tampering> {
    fn bump(v: &mut Value) {
        let s = v.as_str().unwrap();
        let last = s.chars().last().unwrap();
        let other = if last == '1' { '2' } else { '1' };
        *v = json!(format!("{}{other}", &s[..s.len() - last.len_utf8()]));
    }
    vec![
        ("pool: an enterprise's credit code", |p| bump(&mut p["enterprises"][5]["credit_code"]), "hashes.enterprises"),
        ("pool: an inspector's specialty", |p| p["inspectors"][0]["specialties"] = json!(["zz"]), "hashes.inspectors"),
        ("exclusions: an ineligible enterprise", |p| bump(&mut p["ineligible"][0]["credit_code"]), "hashes.exclusions"),
        ("parameters: the team size", |p| p["parameters"]["team_size"] = json!(4), "hashes.parameters"),
        ("secret", |p| bump(&mut p["secret"]), "commitment"),
        ("entropy", |p| p["public_entropy"] = json!("1"), "seed"),
        (
            "result: a team",
            |p| p["result"]["tasks"][3]["certificate_nos"] = json!(["42019999999"]),
            "result.tasks[3].certificate_nos",
        ),
        (
            "result: an enterprise",
            |p| p["result"]["tasks"][0]["enterprise_id"] = json!(999_999),
            "result.tasks[0].enterprise_id",
        ),
        ("pool: an id twice", |p| p["enterprises"][2]["id"] = p["enterprises"][1]["id"].clone(), "enterprises[2].id"),
        ("exclusions: out of order", |p| p["exclusions"][0]["enterprise_id"] = json!(999_999), "exclusions[1]"),
        (
            "parameters: a stratum's size",
            |p| p["parameters"]["strata"][0]["size"] = json!(1),
            "parameters.strata[0].size",
        ),
        ("pool: a weight out of range", |p| p["enterprises"][0]["weight"] = json!(0), "enterprises[0].weight"),
    ]
}

/// `anjian draw verify FILE` on `proof`: its exit code and what it printed.
fn cli_verify(dir: &std::path::Path, proof: &Value) -> (Option<i32>, String) {
    let file = dir.join("proof.json");
    std::fs::write(&file, proof.to_string()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_anjian"))
        .args(["draw", "verify", file.to_str().unwrap()])
        .env_remove("ANJIAN_DATABASE_URL")
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code(), text)
}

/// The fields a Rust mismatch names: `…（secret / commitment）…` names both.
pub(crate) fn named(message: &str) -> Vec<String> {
    let inner = message.split_once('（').and_then(|(_, rest)| rest.split_once('）')).map_or("", |(f, _)| f);
    inner.split(" / ").map(str::to_owned).collect()
}

#[tokio::test]
async fn the_browser_verifier_accepts_the_rust_samplers_proofs_and_names_what_was_tampered() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    browser.goto(&app.url("/public/draws/verify")).await;
    until(&browser, "the verifier loads", "window.AnjianDraw", 10).await;
    let dir = tempfile::tempdir().unwrap();
    for (name, spec) in specs() {
        let p = serde_json::to_value(proof(&spec)).unwrap();
        let v = verdict(&browser, &p).await;
        assert_eq!(v["ok"], json!(true), "{name}: {v}");
        assert_eq!(verify(&proof(&spec)), Ok(()), "{name}: the Rust verifier agrees");
        let (code, said) = cli_verify(dir.path(), &p);
        assert_eq!((code, said.trim()), (Some(0), "verified"), "{name}: anjian draw verify agrees");
        assert_eq!(v["summary"]["sample"], json!(p["result"]["tasks"].as_array().unwrap().len()), "{name}");
        if name == "unstaffed" {
            assert!(v["summary"]["unstaffed"].as_u64().unwrap() > 0, "some tasks are unstaffed: {v}");
        }
        for (what, tamper, field) in tamperings() {
            let mut bad = p.clone();
            tamper(&mut bad);
            let v = verdict(&browser, &bad).await;
            assert_eq!(v["ok"], json!(false), "{name}, {what}: accepted");
            assert_eq!(v["field"], json!(field), "{name}, {what}: {v}");
            let v_bad = bad.clone();
            let rust = verify(&serde_json::from_value(bad).unwrap()).expect_err(what).0;
            assert!(named(&rust).contains(&field.to_owned()), "{name}, {what}: the Rust verifier says {rust}");
            let (code, said) = cli_verify(dir.path(), &v_bad);
            assert_eq!(code, Some(1), "{name}, {what}: anjian draw verify refuses it: {said}");
            assert!(named(&said).contains(&field.to_owned()), "{name}, {what}: anjian draw verify says {said}");
        }
    }
    browser.close().await;
}

/// A proof over real enterprises of the register, made in the page (so the draw's
/// page shows their names); stored as an executed draw. Its id and the proof.
async fn stored_draw(app: &TestApp, browser: &Browser) -> (i64, Value) {
    let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
    let mut ents = Vec::new();
    let names = ["长江化工", "汉江烟花", "黄鹤工贸", "龟山矿业", "东湖化学", "沙湖五金"];
    for i in 0..24u32 {
        let sector = ["fireworks", "hazardous_chemicals", "industry_trade", "non_coal_mine"][i as usize % 4];
        let sub = ["fw_wholesale", "hc_production", "it_metallurgy", "mine_open_pit"][i as usize % 4];
        let name = format!("{}{}号有限公司", names[i as usize % names.len()], i + 1);
        let body = enterprise_body(&code("420103", i + 1), &name, sector, sub, "420103");
        ents.push(json!([app.enterprise(&reg.token, body).await, code("420103", i + 1)]));
    }
    browser.goto(&app.url("/public/draws/verify")).await;
    until(browser, "the verifier loads", "window.AnjianDraw", 10).await;
    let text = run(
        browser,
        include_str!("draw_synthetic.js"),
        json!([ents, 6, 2, false, "sector_specialist", "江汉-2026-12"]),
    )
    .await;
    let p: Value = serde_json::from_str(text.as_str().unwrap()).unwrap();
    let (bureau, _) = first_bureau(app).await;
    (store_draw(app, &p, bureau, Status::Executed).await, p)
}

/// Screenshots of the page at a phone's, a tablet's and a laptop's size.
async fn shots(browser: &Browser, name: &str) {
    for (w, h) in [(390, 844), (1024, 768), (1366, 900)] {
        browser.resize(w, h).await;
        browser.screenshot(&format!("draw-{name}-{w}")).await;
    }
}

#[tokio::test]
async fn the_verify_page_verifies_a_stored_draw_and_rejects_a_pasted_tampered_proof() {
    if !browser_installed() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    let (id, _) = stored_draw(&app, &browser).await;
    browser.goto(&app.url(&format!("/public/draws/verify?id={id}"))).await;
    until(&browser, "the stored draw's proof is verified", "document.querySelector('#verify-result[data-state]')", 20)
        .await;
    assert_eq!(browser.attr("#verify-result", "data-state").await, "ok", "{}", browser.text("#verify-result").await);
    let shown = browser.text("#verify-result").await;
    assert!(shown.contains("验证通过") && shown.contains("抽中企业") && shown.contains("24 家"), "{shown}");
    shots(&browser, "verify-ok").await;
    let public: Value =
        app.client.get(app.url(&format!("/public/draws/{id}/proof.json"))).send().await.unwrap().json().await.unwrap();
    let mut bad = public.clone();
    bad["secret"] = json!("江汉-2026-13");
    run(&browser, "document.getElementById('proof-text').value = arguments[0];", json!([bad.to_string()])).await;
    browser.click("#verify-run").await;
    until(
        &browser,
        "the tampered proof is rejected",
        "document.querySelector('#verify-result').dataset.state === 'failed'",
        20,
    )
    .await;
    assert_eq!(browser.attr("#verify-result", "data-field").await, "commitment");
    assert!(browser.text("#verify-result").await.contains("验证未通过"));
    shots(&browser, "verify-failed").await;
    browser.resize(1366, 900).await;
    for (name, path) in [
        ("list", "/public/draws".to_owned()),
        ("draw", format!("/public/draws/{id}")),
        ("algorithm", "/public/draws/algorithm".to_owned()),
    ] {
        browser.goto(&app.url(&path)).await;
        browser.wait_for("main").await;
        let overflow =
            run(&browser, "return document.documentElement.scrollWidth > window.innerWidth;", json!([])).await;
        shots(&browser, name).await;
        browser.resize(390, 844).await;
        let phone =
            run(&browser, "return document.documentElement.scrollWidth > window.innerWidth + 1;", json!([])).await;
        assert_eq!((overflow, phone), (json!(false), json!(false)), "{name}: the page does not scroll sideways");
        browser.resize(1366, 900).await;
    }
    browser.close().await;
}

#[tokio::test]
#[ignore = "benchmark: bench/draw-browser.sh runs it in release mode"]
async fn draw_browser_bench() {
    assert!(browser_installed(), "the benchmark needs Chromium");
    let app = TestApp::spawn(Backend::Sqlite).await;
    let spec =
        Spec { enterprises: 100_000, inspectors: 500, conflicts: 1000, sample: 5000, public: true, ..Spec::default() };
    let started = Instant::now();
    let text = serde_json::to_string(&proof(&spec)).unwrap();
    eprintln!("synthetic proof: {} bytes in {:?}", text.len(), started.elapsed());
    let path = std::env::temp_dir().join(format!("anjian-{}-draw-proof.json", std::process::id()));
    std::fs::write(&path, &text).unwrap();
    let driver = start_chromedriver().await;
    let browser = Browser::open(&driver).await;
    browser.goto(&app.url("/public/draws/verify")).await;
    browser.type_into("#proof-file", &path.to_string_lossy()).await;
    until(&browser, "the proof is verified", "document.querySelector('#verify-result[data-state]')", 120).await;
    let state = browser.attr("#verify-result", "data-state").await;
    let ms: u64 = browser.attr("#verify-result", "data-ms").await.parse().unwrap();
    println!("browser verify: 100,000 enterprises, 500 inspectors, 5,000 tasks: {ms} ms (target ≤ 3000 ms)");
    assert_eq!(state, "ok", "{}", browser.text("#verify-result").await);
    std::fs::remove_file(&path).ok();
    browser.close().await;
}
