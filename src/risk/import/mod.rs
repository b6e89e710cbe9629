//! Importing an enterprise's risk points from `imports/risk-points.xlsx` (风险点导入),
//! like the roster and the ledger: columns by header, every bad row listed at once with
//! its row number and column, a dry run that writes nothing, then all or nothing in one
//! transaction ([`crate::import::run`]).
//!
//! Decisions:
//! - One enterprise per file, named by the path (`/api/v1/enterprises/{id}/risk-points/import`):
//!   the people who record its points ([`crate::risk::policy::check_write`]) import them.
//! - Each row is graded by the same check as the form (LEC values off the tables, LS
//!   outside 1–5, missing factors are row errors) under the rules in force.
//! - A point is known by its name and location: twice in one file is an error; one the
//!   enterprise already has is skipped, so a file may be imported again.
//! - Imported points are not placed on the plan; each gets its board token and a
//!   change-log entry (`import`).

pub mod columns;
pub mod parse;

use crate::audit::{self, Pending};
use crate::auth::CurrentUser;
use crate::entities::risk_point;
use crate::error::{AppError, AppResult};
use crate::risk::{policy, rules, service};
use crate::row_errors::{RowErrors, Seen};
use crate::xlsx::read::{Limits, read_first_sheet};
use parse::ParsedPoint;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;
use std::collections::HashSet;

pub const LIMITS: Limits = Limits { max_bytes: 16 << 20, max_rows: 5_000, max_cols: 64, max_memory: 64 << 20 };

/// What an import did, or would do on a dry run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RiskImportSummary {
    pub dry_run: bool,
    /// Points written (or that would be).
    pub imported: usize,
    /// Of those, red (重大风险).
    pub red: usize,
    /// Rows the enterprise already has (same name and location), skipped.
    pub already_recorded: usize,
}

/// Reads and checks the workbook on its own: every problem at once.
pub fn parse(bytes: &[u8], rules: &rules::Rules) -> AppResult<Vec<ParsedPoint>> {
    let sheet = read_first_sheet(bytes, &LIMITS).map_err(|e| AppError::bad_request(e.code(), e.to_string()))?;
    let cols = columns::Columns::find(&sheet.headers).map_err(AppError::rejected)?;
    let name = cols.header(columns::NAME);
    let (mut errors, mut rows, mut seen) = (RowErrors::default(), Vec::new(), Seen::default());
    for row in &sheet.rows {
        match parse::parse_row(&cols, row, rules) {
            Ok(p) => {
                if let Some(first) = seen.see((p.body.name.clone(), p.body.location.clone()), p.row) {
                    let msg = format!("风险点名称和位置与第 {first} 行重复");
                    errors.push(columns::row_error(p.row, &name, "duplicate_in_file", msg));
                }
                rows.push(p);
            }
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() && rows.is_empty() {
        errors.push(columns::row_error(2, &name, "missing_required", "文件中没有风险点"));
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors.into()) }
}

/// The risk-point import for [`crate::import::run`].
#[derive(Clone)]
pub struct RiskPointImport {
    pub enterprise_id: i64,
    pub user_id: i64,
}

/// The rows to write and how many were already recorded.
pub struct RiskPlan {
    ready: Vec<ParsedPoint>,
    already_recorded: usize,
}

#[async_trait::async_trait]
impl crate::import::Import for RiskPointImport {
    type Parsed = Vec<ParsedPoint>;
    type Plan = RiskPlan;
    type Preview = RiskImportSummary;
    type Summary = RiskImportSummary;

    fn parse(&self, bytes: &[u8]) -> AppResult<Self::Parsed> {
        parse(bytes, rules::in_force()?)
    }

    async fn check<C: ConnectionTrait>(&self, db: &C, rows: Self::Parsed) -> AppResult<RiskPlan> {
        let known: Vec<(String, String)> = risk_point::Entity::find()
            .select_only()
            .columns([risk_point::Column::Name, risk_point::Column::Location])
            .filter(risk_point::Column::EnterpriseId.eq(self.enterprise_id))
            .into_tuple()
            .all(db)
            .await?;
        let known: HashSet<(String, String)> = known.into_iter().collect();
        let total = rows.len();
        let ready: Vec<ParsedPoint> = rows
            .into_iter()
            .filter(|p| !known.contains(&(p.body.name.trim().to_owned(), p.body.location.trim().to_owned())))
            .collect();
        Ok(RiskPlan { already_recorded: total - ready.len(), ready })
    }

    fn preview(&self, plan: &RiskPlan) -> RiskImportSummary {
        summarise(true, plan)
    }

    async fn apply(&self, tx: &crate::write::Tx, plan: RiskPlan) -> AppResult<RiskImportSummary> {
        let ctx = tx.ctx();
        let version = &rules::in_force()?.version;
        let mut entries = Vec::with_capacity(plan.ready.len());
        for p in &plan.ready {
            let row = service::new_row(&p.body, &p.grade, version, self.enterprise_id, self.user_id, ctx.at);
            let row = row.insert(tx).await?;
            entries.push(Pending::of(ctx, "import", &row));
        }
        while !entries.is_empty() {
            let rest = entries.split_off(entries.len().min(1000));
            audit::append(tx, ctx, std::mem::replace(&mut entries, rest)).await?;
        }
        crate::grading::service::regrade(tx, self.enterprise_id).await?;
        Ok(summarise(false, &plan))
    }
}

fn summarise(dry_run: bool, plan: &RiskPlan) -> RiskImportSummary {
    let red = plan.ready.iter().filter(|p| p.grade.level == crate::risk::domain::RiskLevel::Red).count();
    RiskImportSummary { dry_run, imported: plan.ready.len(), red, already_recorded: plan.already_recorded }
}

/// The whole import for `user` into enterprise `enterprise_id` (API and pages).
pub async fn run(
    state: &crate::state::AppState,
    user: &CurrentUser,
    enterprise_id: i64,
    bytes: axum::body::Bytes,
    dry_run: bool,
) -> AppResult<RiskImportSummary> {
    let enterprise = crate::enterprise::service::get_scoped(state.db.conn(), &user.scope, enterprise_id).await?;
    policy::check_write(user, &enterprise)?;
    let import = RiskPointImport { enterprise_id: enterprise.id, user_id: user.id };
    Ok(match crate::import::run(state, user.actor(), &import, bytes, dry_run).await? {
        crate::import::Outcome::Preview(s) | crate::import::Outcome::Done(s) => s,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_sample_is_current_and_reads_clean() {
        let committed = include_bytes!("../../../imports/risk-points.xlsx");
        let read = |b: &[u8]| format!("{:?}", read_first_sheet(b, &LIMITS));
        assert_eq!(
            read(committed),
            read(&columns::template().unwrap()),
            "run `anjian gen risk-template imports/risk-points.xlsx`"
        );
        let rows = parse(committed, rules::in_force().unwrap()).unwrap();
        let levels: Vec<&str> = rows.iter().map(|p| p.grade.level.as_str()).collect();
        assert_eq!(levels, ["red", "yellow", "blue"]);
    }
}
