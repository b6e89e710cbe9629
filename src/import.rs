//! The two-step spreadsheet import every module uses (the roster, the ledger,
//! the holiday calendar, risk points, 安责险 policies; inspections next).
//!
//! A module describes its import by implementing [`Import`]: how a workbook is
//! read and checked on its own ([`Import::parse`], on a blocking thread, with
//! the memory budget of [`crate::xlsx::read::Limits`]), how the rows are
//! checked against the database ([`Import::check`]), what a dry run shows
//! ([`Import::preview`]) and how the checked rows are written
//! ([`Import::apply`]). [`run`] then does the same for every module and every
//! entry point (API, pages, CLI):
//!
//! - the file is read outside any transaction;
//! - a dry run checks on a read connection and writes nothing;
//! - a real import checks again and writes in one write transaction (all or
//!   nothing), so nothing changes between check and write; on PostgreSQL it
//!   holds an advisory lock, so two confirmations of one file cannot both
//!   pass the duplicate checks (SQLite's single writer gives this already).
//!
//! Uploads reach it through `crate::upload::read_file` behind the imports gate;
//! the pages keep the checked upload for the confirmation (see `web::store`).

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::write::Tx;
use sea_orm::{ConnectionTrait, DbBackend};

/// One kind of import.
#[async_trait::async_trait]
pub trait Import: Clone + Send + Sync + 'static {
    /// The workbook read and checked row by row, without the database.
    type Parsed: Send + 'static;
    /// The rows checked against the database: what would be written.
    type Plan: Send;
    /// What a dry run answers.
    type Preview: Send;
    /// What a real import answers.
    type Summary: Send;

    /// Reads and checks the workbook on its own (CPU-bound; run off the async workers).
    fn parse(&self, bytes: &[u8]) -> AppResult<Self::Parsed>;

    /// Checks the rows against the database (every problem at once).
    async fn check<C: ConnectionTrait>(&self, db: &C, parsed: Self::Parsed) -> AppResult<Self::Plan>;

    /// What a dry run shows of the plan.
    fn preview(&self, plan: &Self::Plan) -> Self::Preview;

    /// Writes the plan in the caller's transaction.
    async fn apply(&self, tx: &Tx, plan: Self::Plan) -> AppResult<Self::Summary>;
}

/// A dry run's preview or a real import's summary.
pub enum Outcome<P, S> {
    Preview(P),
    Done(S),
}

use crate::db::IMPORT_LOCK;

/// [`Import::parse`] on a blocking thread.
pub async fn parse<I: Import>(import: &I, bytes: axum::body::Bytes) -> AppResult<I::Parsed> {
    let import = import.clone();
    tokio::task::spawn_blocking(move || import.parse(&bytes)).await.map_err(|e| AppError::Internal(e.into()))?
}

/// Runs an import for `actor` (`user:<id>` or `cli`): a dry run, or the real
/// thing in one write transaction.
pub async fn run<I: Import>(
    state: &AppState,
    actor: String,
    import: &I,
    bytes: axum::body::Bytes,
    dry_run: bool,
) -> AppResult<Outcome<I::Preview, I::Summary>> {
    let parsed = parse(import, bytes).await?;
    if dry_run {
        let plan = import.check(state.db.conn(), parsed).await?;
        return Ok(Outcome::Preview(import.preview(&plan)));
    }
    let summary = state
        .write(actor, async |tx| {
            if tx.get_database_backend() == DbBackend::Postgres {
                let lock =
                    crate::db::raw(DbBackend::Postgres, "SELECT pg_advisory_xact_lock($1)", vec![IMPORT_LOCK.into()]);
                tx.execute_raw(lock).await?;
            }
            let plan = import.check(tx, parsed).await?;
            import.apply(tx, plan).await
        })
        .await?;
    Ok(Outcome::Done(summary))
}
