//! `anjian draw verify FILE` and `anjian draw synthetic`: offline (no database, no
//! configuration), `verified` with exit 0, the first mismatch with exit 1, exit 2 for a
//! file that is not a readable proof.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `anjian` in `dir` with no database setting in the environment.
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anjian"))
        .args(args)
        .current_dir(dir)
        .env_remove("ANJIAN_DATABASE_URL")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn synthetic(dir: &Path, name: &str, extra: &[&str]) -> std::path::PathBuf {
    let mut args = vec![
        "draw",
        "synthetic",
        "--enterprises",
        "3000",
        "--inspectors",
        "40",
        "--conflicts",
        "60",
        "--sample",
        "150",
    ];
    args.extend_from_slice(extra);
    let out = run(dir, &args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let path = dir.join(name);
    std::fs::write(&path, &out.stdout).unwrap();
    path
}

#[test]
fn a_synthetic_proof_verifies_offline_and_a_tampered_one_names_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let full = synthetic(dir.path(), "full.json", &["--strata", "3", "--team-size", "3"]);
    let public = synthetic(dir.path(), "public.json", &["--public", "--weighted", "--entropy", "2026-12-05"]);
    for f in [&full, &public] {
        let out = run(dir.path(), &["draw", "verify", f.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
        assert_eq!(stdout(&out).trim(), "verified");
    }
    let again = synthetic(dir.path(), "again.json", &["--strata", "3", "--team-size", "3"]);
    assert_eq!(std::fs::read(&full).unwrap(), std::fs::read(&again).unwrap(), "deterministic from its arguments");
    assert!(!dir.path().join("anjian.db").exists(), "no database was opened");

    let mut proof: serde_json::Value = serde_json::from_slice(&std::fs::read(&full).unwrap()).unwrap();
    let team = proof["result"]["tasks"][0]["certificate_nos"].as_array_mut().unwrap();
    team.swap(0, 1);
    let tampered = dir.path().join("tampered.json");
    std::fs::write(&tampered, serde_json::to_vec(&proof).unwrap()).unwrap();
    let out = run(dir.path(), &["draw", "verify", tampered.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("result.tasks[0].certificate_nos"), "{}", stdout(&out));

    proof["public_entropy"] = "1".into();
    std::fs::write(&tampered, serde_json::to_vec(&proof).unwrap()).unwrap();
    let out = run(dir.path(), &["draw", "verify", tampered.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("public_entropy"), "{}", stdout(&out));
}

#[test]
fn unreadable_and_invalid_files_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, b"{\"format\": \"anjian-draw-proof\",").unwrap();
    let missing = dir.path().join("missing.json");
    let huge = dir.path().join("huge.json");
    // Sparse: 513 MiB declared, nothing written; refused before reading.
    std::fs::File::create(&huge).unwrap().set_len(513 << 20).unwrap();
    for (f, says) in [(&bad, "不是有效的抽取证明"), (&missing, "无法读取"), (&huge, "超过 512 MiB")] {
        let out = run(dir.path(), &["draw", "verify", f.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{}", f.display());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{err}");
        assert!(stdout(&out).is_empty());
    }
}
