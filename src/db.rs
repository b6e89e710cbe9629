//! Database connections. SQLite (the default) gets WAL, a 15 s busy timeout,
//! `synchronous=NORMAL`, foreign keys, memory-mapped reads, a pool of readers and exactly one writer
//! connection, whose transactions begin IMMEDIATE so that a CLI process and the
//! server wait for each other instead of failing. PostgreSQL uses one pool.
//!
//! Checkpoints (copying the WAL into the database file) are kept off the request
//! path: the server checkpoints every second on a reader connection
//! ([`Db::spawn_checkpointer`]), and the writer's own automatic checkpoint only
//! starts past [`WRITER_AUTOCHECKPOINT`] pages of WAL — a bound for when no
//! checkpointer runs (the CLI) or it falls behind. A commit of a large write (a
//! draw's thousands of rows) otherwise paid for copying them again before answering.

pub mod bulk;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::time::Duration;

const BUSY_TIMEOUT: Duration = Duration::from_secs(15);

/// WAL pages (4 KiB) after which the writer checkpoints by itself: 64 MiB.
pub const WRITER_AUTOCHECKPOINT: u32 = 16_384;

/// PostgreSQL advisory lock keys (one namespace for the whole application).
pub const MIGRATION_LOCK: i64 = 0x616E_6A69_0001;
/// Held while the demo data is seeded.
pub const DEMO_LOCK: i64 = 0x616E_6A69_0002;
/// Held by every import's write transaction (see `crate::import`).
pub const IMPORT_LOCK: i64 = 727_274;

#[derive(Clone, Debug)]
pub struct Db {
    read: DatabaseConnection,
    write: DatabaseConnection,
}

/// Normalises what a user may type (`anjian.db`, `sqlite:x.db`, `postgres://…`).
pub fn normalise_url(url: &str) -> String {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") || url.starts_with("sqlite:") {
        url.to_owned()
    } else {
        format!("sqlite://{url}?mode=rwc")
    }
}

async fn connect_sqlite(url: &str, max: u32, cache_kib: i64, autocheckpoint: u32) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(url);
    opts.max_connections(max)
        .min_connections(1)
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(30))
        .map_sqlx_sqlite_opts(move |o| {
            o.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(BUSY_TIMEOUT)
                .foreign_keys(true)
                .pragma("cache_size", format!("-{cache_kib}"))
                .pragma("temp_store", "memory")
                .pragma("wal_autocheckpoint", autocheckpoint.to_string())
                .pragma("mmap_size", mmap_bytes().to_string())
        });
    Database::connect(opts).await
}

/// Bytes of the SQLite file read through memory-mapping (`ANJIAN_SQLITE_MMAP`,
/// default 1 GiB; 0 turns it off). Scans of a large ledger (jobs, bulletins)
/// then read pages in place instead of copying each one from the OS.
fn mmap_bytes() -> u64 {
    std::env::var("ANJIAN_SQLITE_MMAP").ok().and_then(|v| v.trim().parse().ok()).unwrap_or(1 << 30)
}

/// Reader connections for SQLite (`ANJIAN_SQLITE_READERS`, default 8). Each
/// connection has its own worker thread, so more readers than cores mostly adds
/// thread hand-offs.
fn readers() -> u32 {
    std::env::var("ANJIAN_SQLITE_READERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| (1..=64).contains(n))
        .unwrap_or(8)
}

impl Db {
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let url = normalise_url(url);
        if url.starts_with("sqlite:") {
            // The writer first: it creates the file and switches it to WAL.
            // The writer gets a larger page cache: imports touch many index pages.
            let write =
                connect_sqlite(&url, 1, 131_072, WRITER_AUTOCHECKPOINT).await.context("打开 SQLite 数据库失败")?;
            let read = connect_sqlite(&url, readers(), 16_384, 1_000).await.context("打开 SQLite 数据库失败")?;
            Ok(Self { read, write })
        } else {
            let mut opts = ConnectOptions::new(&url);
            opts.max_connections(32).sqlx_logging(false);
            let conn = Database::connect(opts).await.context("连接 PostgreSQL 失败")?;
            Ok(Self { read: conn.clone(), write: conn })
        }
    }

    /// For reads (and for PostgreSQL, everything).
    pub fn conn(&self) -> &DatabaseConnection {
        &self.read
    }

    pub fn backend(&self) -> DbBackend {
        self.read.get_database_backend()
    }

    /// Begins a write transaction: on SQLite through the one writer connection,
    /// `BEGIN IMMEDIATE`, so the write lock is taken up front.
    pub async fn begin_write(&self) -> Result<DatabaseTransaction, DbErr> {
        let options = TransactionOptions {
            sqlite_transaction_mode: (self.backend() == DbBackend::Sqlite).then_some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        self.write.begin_with_options(options).await
    }

    /// Brings the schema up to date. On PostgreSQL the migrator runs under an
    /// advisory lock held by a transaction of its own, so any number of servers
    /// can start at once on one database: the first migrates, the others wait
    /// and then find nothing pending. (SQLite serialises through the file lock.)
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let lock = self.lock(MIGRATION_LOCK).await.context("数据库迁移失败")?;
        Migrator::up(&self.write, None).await.context("数据库迁移失败")?;
        // The shipped national checklists' versions, so every pinned hash resolves (idempotent).
        let now = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6);
        crate::checklist::store::register_shipped(&self.write, now).await.context("登记国家检查表失败")?;
        if let Some(lock) = lock {
            lock.commit().await.context("数据库迁移失败")?;
        }
        self.optimize().await.context("更新 SQLite 查询统计失败")?;
        Ok(())
    }

    /// On SQLite, `PRAGMA optimize=0x10002` (SQLite's advice for a connection that is
    /// opened for a long time): tables whose statistics are missing or stale are
    /// analyzed, with SQLite's own bound on the work. Without statistics the planner
    /// reads a bureau's whole register through an index that does not narrow it (the
    /// draw's pool read takes twice as long). Runs at every start, after migrating.
    pub async fn optimize(&self) -> Result<(), DbErr> {
        if self.backend() == DbBackend::Sqlite {
            self.write.execute_unprepared("PRAGMA optimize=0x10002").await?;
        }
        Ok(())
    }

    /// On SQLite, a task that runs `PRAGMA wal_checkpoint(PASSIVE)` every `every` on a
    /// reader connection: it neither waits for nor blocks the writer or the readers,
    /// and copies whatever the readers no longer need. Nothing on PostgreSQL.
    pub fn spawn_checkpointer(&self, every: Duration) {
        if self.backend() != DbBackend::Sqlite {
            return;
        }
        let read = self.read.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = read.execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)").await {
                    tracing::warn!(error = %e, "SQLite checkpoint failed");
                }
            }
        });
    }

    /// On PostgreSQL, a transaction holding the advisory lock `key` until it
    /// ends; on SQLite nothing (one writer at a time already).
    pub async fn lock(&self, key: i64) -> Result<Option<DatabaseTransaction>, DbErr> {
        if self.backend() != DbBackend::Postgres {
            return Ok(None);
        }
        let txn = self.write.begin().await?;
        txn.execute_raw(raw(DbBackend::Postgres, "SELECT pg_advisory_xact_lock($1)", vec![key.into()])).await?;
        Ok(Some(txn))
    }

    /// Refuses a database that `anjian migrate` (or `serve`) has not brought up to date.
    pub async fn ensure_migrated(&self) -> anyhow::Result<()> {
        let pending = Migrator::get_pending_migrations(&self.read).await?;
        if pending.is_empty() {
            Ok(())
        } else {
            anyhow::bail!(
                "数据库尚未迁移（{} 个迁移待执行）。请先运行 `anjian migrate` 或 `anjian serve`。",
                pending.len()
            )
        }
    }
}

/// A raw statement written with PostgreSQL's `$1, $2, …` placeholders, each
/// used once and in order; for SQLite they become plain `?` (bound by position).
pub fn raw(backend: DbBackend, sql: &str, values: Vec<sea_orm::Value>) -> sea_orm::Statement {
    let sql = if backend == DbBackend::Postgres { sql.to_owned() } else { positional(sql) };
    sea_orm::Statement::from_sql_and_values(backend, sql, values)
}

fn positional(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbered_placeholders_become_positional_for_sqlite() {
        assert_eq!(super::positional("a = $1 AND b IN ($2, $10) AND c = '$'"), "a = ? AND b IN (?, ?) AND c = '$'");
    }
}
