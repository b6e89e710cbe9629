//! Facts one module publishes inside its write transaction, and the modules
//! that react to them in the same transaction. A publisher calls the function
//! here and knows nothing of who listens: this file is the one place that
//! wires a fact to its reactions. Today the register publishes a changed
//! enterprise and the ledger moves its open hazards; inspections, risk and
//! credit will add their reactions here.

use crate::audit::AuditCtx;
use crate::entities::enterprise;
use crate::error::AppResult;
use sea_orm::ConnectionTrait;

/// An enterprise row was written (`before` → `after`), by the register's
/// service or its import, inside `db`'s transaction.
pub async fn enterprise_changed<C: ConnectionTrait>(
    db: &C,
    ctx: &AuditCtx,
    before: &enterprise::Model,
    after: &enterprise::Model,
) -> AppResult<()> {
    crate::hazard::service::follow_enterprise(db, ctx, before, after).await?;
    Ok(())
}

/// Who re-inspects (复查) a submitted hazard found by inspection `inspection_id`:
/// the inspection's team inspectors (not every inspector of the bureau).
pub async fn reinspection_team<C: ConnectionTrait>(
    db: &C,
    inspection_id: i64,
) -> AppResult<Vec<crate::todo::Assignee>> {
    let team = crate::inspection::record::access::inspectors(db, inspection_id).await?;
    Ok(team.into_iter().map(|m| crate::todo::Assignee::User(m.user_id)).collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::path::Path;

    fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }

    /// The register publishes; it does not call the modules that react.
    #[test]
    fn the_register_imports_nothing_from_the_ledger() {
        let mut files = Vec::new();
        sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/enterprise"), &mut files);
        assert!(files.len() > 10, "{files:?}");
        for (path, text) in &files {
            assert!(!text.contains("hazard::"), "{path} names the ledger");
        }
    }
}
