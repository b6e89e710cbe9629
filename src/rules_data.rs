//! Rules as data. Each rule file ships in `data/` and is embedded in the binary
//! (the national defaults). A province replaces one by putting a file of the same
//! name in the directory `ANJIAN_RULES_DIR` names; `serve` refuses to start when a
//! replacement does not load or is not usable, so a bad file is found at deploy
//! time, not at the first grading. The files this covers are [`FILES`].
//!
//! Decision: one province per deployment (a provincial platform serves one
//! province), so overriding is per deployment, not per bureau.

use std::borrow::Cow;

/// The environment variable naming the directory of a province's rule files.
pub const DIR_VAR: &str = "ANJIAN_RULES_DIR";

/// The largest rule file read (they are a few kilobytes).
const MAX_BYTES: u64 = 1024 * 1024;

/// The files that can be replaced.
pub const FILES: [&str; 14] = [
    "risk-rules.toml",
    "enterprise-grading.toml",
    "inspection-caps.toml",
    "penalty-catalogue.toml",
    "penalty-discretion.toml",
    "penalty-no-penalty.toml",
    "penalty-procedure.toml",
    "case-documents.toml",
    "credit-rules.toml",
    "dishonesty-situations.toml",
    "insurance-rules.toml",
    "indicators.toml",
    "special-operations.toml",
    "emergency-plans.toml",
];

/// The text of rule file `name`: the province's replacement when there is one,
/// else the shipped file. An unreadable or oversized replacement is an error.
pub fn text(name: &str, shipped: &'static str) -> Result<Cow<'static, str>, String> {
    let Some(dir) = std::env::var_os(DIR_VAR).filter(|d| !d.is_empty()) else {
        return Ok(Cow::Borrowed(shipped));
    };
    let path = std::path::Path::new(&dir).join(name);
    let meta = match std::fs::metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Cow::Borrowed(shipped)),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    if meta.len() > MAX_BYTES {
        return Err(format!("{}: larger than {MAX_BYTES} bytes", path.display()));
    }
    std::fs::read_to_string(&path).map(Cow::Owned).map_err(|e| format!("{}: {e}", path.display()))
}

/// Every rule file's problems (empty when all load and are usable).
pub fn check_all() -> Vec<String> {
    let mut out = Vec::new();
    if crate::risk::rules::national().is_none() {
        out.push("risk-rules.toml does not load or is not usable (see the log)".to_owned());
    }
    if let Err(e) = crate::grading::rules::load() {
        out.push(format!("enterprise-grading.toml: {e}"));
    }
    if crate::inspection::governance::cap::caps().classes.is_empty() {
        out.push("inspection-caps.toml does not load (see the log)".to_owned());
    }
    if let Err(e) = crate::case::catalogue::load() {
        out.push(format!("penalty catalogue: {e}"));
    }
    if let Err(e) = crate::case::rules::load() {
        out.push(format!("penalty-procedure.toml: {e}"));
    }
    if let Err(e) = crate::case::documents::load() {
        out.push(format!("case-documents.toml: {e}"));
    }
    if let Err(e) = crate::credit::rules::load() {
        out.push(format!("credit-rules.toml: {e}"));
    }
    if let Err(e) = crate::dishonesty::rules::load() {
        out.push(format!("dishonesty-situations.toml: {e}"));
    }
    if let Err(e) = crate::emergency_plan::rules::load() {
        out.push(format!("emergency-plans.toml: {e}"));
    }
    if let Err(e) = crate::insurance::rules::load() {
        out.push(format!("insurance-rules.toml: {e}"));
    }
    if let Err(e) = crate::indicator::rules::load() {
        out.push(format!("indicators.toml: {e}"));
    }
    if let Err(e) = crate::special_operation::rules::load() {
        out.push(format!("special-operations.toml: {e}"));
    }
    out
}
