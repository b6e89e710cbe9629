//! The write path: one way to change the database.
//!
//! A write use case takes a [`Tx`] (the transaction it runs on, with the
//! change-log context of its actor) and never begins or commits anything, so
//! use cases compose: an inspection record can close hazards and create new
//! ones in the same transaction. Only entry points (an API or page handler, a
//! CLI command, a job) begin and commit, through [`AppState::write`]:
//!
//! ```ignore
//! let row = state.write(user.actor(), async |tx| hazard::actions::act(tx, &user, id, action, &req).await).await?;
//! ```
//!
//! A use case says what it [`touched`](Tx::touch) (the register, the ledger, the
//! outbox, a user's sessions); after the commit `write` runs what must follow
//! it — the cached list totals of what was touched are dropped, cached
//! sessions of a user whose password changed go, the mail sender is woken — so
//! no handler clears a cache by hand. When the closure fails, the transaction is
//! rolled back (dropped) and nothing follows.
//!
//! `Tx` is a [`ConnectionTrait`], so lower-level helpers keep taking
//! `&impl ConnectionTrait` and work on a `Tx`, a transaction or a pool alike.

use crate::audit::AuditCtx;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, ExecResult, QueryResult, Statement};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};

/// What a transaction changed, for what must follow its commit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Touched {
    /// Enterprises (the register's list totals).
    Register = 1,
    /// Hazards (the ledger's list totals).
    Ledger = 2,
    /// Mail was queued in the outbox (the sender is woken).
    Mail = 4,
    /// Penalty cases (the case list's totals).
    Cases = 8,
    /// 安责险 policies (the coverage figures).
    Insurance = 16,
}

/// A write transaction with its actor's change-log context.
pub struct Tx {
    txn: DatabaseTransaction,
    ctx: AuditCtx,
    touched: AtomicU8,
    /// Users whose cached sessions must be dropped (password set, signed out).
    sessions_of: Mutex<Vec<i64>>,
}

impl Tx {
    /// The change-log context: who writes, and the instant every row of this
    /// transaction is stamped with.
    pub fn ctx(&self) -> &AuditCtx {
        &self.ctx
    }

    /// The instant of this write.
    pub fn now(&self) -> DateTime<Utc> {
        self.ctx.at
    }

    /// Records that this transaction changed `what`.
    pub fn touch(&self, what: Touched) {
        self.touched.fetch_or(what as u8, Ordering::Relaxed);
    }

    /// Records that the cached sessions of `user_id` must go after the commit.
    pub fn end_sessions_of(&self, user_id: i64) {
        if let Ok(mut v) = self.sessions_of.lock() {
            v.push(user_id);
        }
    }

    /// Whether this transaction changed `what`.
    pub fn touched(&self, what: Touched) -> bool {
        self.touched.load(Ordering::Relaxed) & what as u8 != 0
    }
}

impl AppState {
    /// Runs `f` in one write transaction for `actor` (`user:<id>`, `cli`,
    /// `system:<job>`), commits when it succeeds, then runs what follows a
    /// commit. The transaction is rolled back when `f` fails.
    pub async fn write<T, E>(&self, actor: impl Into<String>, f: impl AsyncFnOnce(&Tx) -> Result<T, E>) -> Result<T, E>
    where
        E: From<DbErr>,
    {
        let txn = self.db.begin_write().await?;
        let tx = Tx {
            txn,
            ctx: self.audit_ctx(actor.into()),
            touched: AtomicU8::new(0),
            sessions_of: Mutex::new(Vec::new()),
        };
        let out = f(&tx).await?;
        let Tx { txn, touched, sessions_of, .. } = tx;
        txn.commit().await?;
        self.after_commit(touched.into_inner(), &sessions_of.into_inner().unwrap_or_default());
        Ok(out)
    }

    fn after_commit(&self, touched: u8, sessions_of: &[i64]) {
        for user_id in sessions_of {
            self.sessions.evict_user(*user_id);
        }
        let has = |t: Touched| touched & t as u8 != 0;
        if has(Touched::Register) {
            // A register write can move hazards to another bureau or sector
            // (see `crate::events`), so the ledger's totals go too.
            self.totals.invalidate();
            self.hazard_totals.invalidate();
            self.coverage.invalidate();
        }
        if has(Touched::Ledger) {
            self.hazard_totals.invalidate();
        }
        if has(Touched::Mail) {
            self.mail_wake.notify_one();
        }
        if has(Touched::Cases) {
            self.case_totals.invalidate();
        }
        if has(Touched::Insurance) {
            self.coverage.invalidate();
        }
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for Tx {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.txn.support_returning()
    }
}
