//! Shared application state handed to every handler, the CLI and jobs.

use crate::audit::{AuditCtx, HashAlg};
use crate::auth::{SessionCache, limiter::LoginLimiter};
use crate::cache::TotalsCache;
use crate::clock::SharedClock;
use crate::db::Db;
use std::ops::Deref;
use std::path::PathBuf;
use std::sync::Arc;

/// Settings that do not change while running.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark the session cookie `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Hash algorithm for new change-log entries.
    pub audit_alg: HashAlg,
    /// Directory whose files override the shipped data (`ANJIAN_DATA_DIR`).
    pub data_dir: Option<PathBuf>,
    /// Where uploaded files are stored (`ANJIAN_FILES_DIR`).
    pub files_dir: PathBuf,
}

impl Default for Settings {
    fn default() -> Self {
        // Tests and tools that build settings in code get a private directory.
        let files_dir = std::env::temp_dir().join(format!("anjian-files-{}", std::process::id()));
        Self { secure_cookies: false, audit_alg: HashAlg::Sha256, data_dir: None, files_dir }
    }
}

#[derive(Debug)]
pub struct Inner {
    pub db: Db,
    pub clock: SharedClock,
    pub config: Settings,
    pub limiter: LoginLimiter,
    pub sessions: SessionCache,
    pub totals: TotalsCache,
    /// Hazard list totals, invalidated by every hazard write in this process.
    pub hazard_totals: TotalsCache,
    /// Penalty-case list totals, invalidated by every case write in this process.
    pub case_totals: TotalsCache,
    /// 安责险 coverage figures per scope, region and day, while the register and
    /// the policies are unchanged.
    pub coverage: crate::cache::VersionedCache<crate::insurance::coverage::InsuranceCoverageResponse>,
    /// The cockpit's figures per region, year, sectors and day, while no computation
    /// ran and nothing was entered since (`indicator::read::overview_cached`).
    pub indicator_overviews: crate::cache::VersionedCache<crate::indicator::view::IndicatorsResponse>,
    pub indicator_details: crate::cache::VersionedCache<crate::indicator::view::IndicatorDetail>,
    /// An argon2 hash checked for unknown usernames, so timing does not reveal them.
    pub dummy_hash: String,
    /// How many uploads this process takes at once.
    pub gates: crate::upload::Gates,
    /// Woken after a commit that queued mail, so the sender does not wait for its next tick.
    pub mail_wake: tokio::sync::Notify,
}

#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(db: Db, clock: SharedClock, config: Settings) -> anyhow::Result<Self> {
        let dummy_hash = crate::auth::password::hash(&crate::auth::token::new_token())?;
        Ok(Self(Arc::new(Inner {
            db,
            clock,
            config,
            limiter: LoginLimiter::default(),
            sessions: SessionCache::default(),
            totals: TotalsCache::default(),
            hazard_totals: TotalsCache::default(),
            case_totals: TotalsCache::default(),
            coverage: crate::cache::VersionedCache::default(),
            indicator_overviews: crate::cache::VersionedCache::default(),
            indicator_details: crate::cache::VersionedCache::default(),
            dummy_hash,
            gates: crate::upload::Gates::default(),
            mail_wake: tokio::sync::Notify::new(),
        })))
    }

    /// Change-log context for a write by `actor` now.
    pub fn audit_ctx(&self, actor: String) -> AuditCtx {
        AuditCtx { actor, at: self.clock.now(), alg: self.config.audit_alg }
    }
}
