//! `anjian draw verify FILE` and `anjian draw synthetic …`: offline, with no database
//! and no configuration.
//!
//! Decisions: `verify` refuses files over [`MAX_PROOF_BYTES`] (512 MiB — a proof of a
//! million enterprises is about 150 MiB) before reading them, and reads at most that many
//! bytes even from a file that grows. Exit codes: 0 `verified`; 1 a mismatch (printed on
//! standard output, so scripts read the one line); 2 a file that cannot be read or is not
//! a proof (printed on standard error). `synthetic` writes the proof as compact JSON to
//! standard output.

use super::synthetic::{self, Spec};
use super::verify::verify;
use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

/// The largest proof file `anjian draw verify` reads.
pub const MAX_PROOF_BYTES: u64 = 512 * 1024 * 1024;

/// Reads and parses a proof file; the error is the text to print.
pub fn read_proof(file: &Path) -> Result<super::proof::Proof, String> {
    let shown = file.display();
    let f = std::fs::File::open(file).map_err(|e| format!("无法读取证明文件 {shown}：{e}"))?;
    let size = f.metadata().map_err(|e| format!("无法读取证明文件 {shown}：{e}"))?.len();
    let too_big = || format!("证明文件 {shown} 超过 {} MiB，不予读取", MAX_PROOF_BYTES >> 20);
    if size > MAX_PROOF_BYTES {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    f.take(MAX_PROOF_BYTES + 1).read_to_end(&mut bytes).map_err(|e| format!("无法读取证明文件 {shown}：{e}"))?;
    if bytes.len() as u64 > MAX_PROOF_BYTES {
        return Err(too_big());
    }
    serde_json::from_slice(&bytes)
        .map_err(|e| format!("证明文件 {shown} 不是有效的抽取证明（JSON 第 {} 行第 {} 列）：{e}", e.line(), e.column()))
}

/// `anjian draw verify FILE`.
pub fn verify_file(file: &Path) -> ExitCode {
    let proof = match read_proof(file) {
        Ok(p) => p,
        Err(text) => {
            eprintln!("{text}");
            return ExitCode::from(2);
        }
    };
    match verify(&proof) {
        Ok(()) => {
            println!("verified");
            ExitCode::SUCCESS
        }
        Err(m) => {
            println!("核验未通过：{m}");
            ExitCode::FAILURE
        }
    }
}

/// `anjian draw synthetic …`: the proof on standard output.
pub fn synthetic(spec: &Spec) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        spec.enterprises >= 1 && spec.sample <= spec.enterprises,
        "--sample 不能大于 --enterprises，且至少要有一家企业"
    );
    anyhow::ensure!(
        spec.enterprises <= 5_000_000 && spec.inspectors <= 100_000,
        "企业最多 5000000 家，执法人员最多 100000 名"
    );
    anyhow::ensure!(spec.strata >= 1 && spec.strata <= 10_000, "--strata 应为 1 至 10000");
    let most = u64::from(spec.enterprises) * u64::from(spec.inspectors);
    anyhow::ensure!(u64::from(spec.conflicts) <= most / 2, "--conflicts 最多为企业数 × 执法人员数的一半");
    let proof = synthetic::proof(spec);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer(&mut out, &proof)?;
    writeln!(out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
