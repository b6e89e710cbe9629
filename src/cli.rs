//! Command-line interface: the same services the API calls.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "anjian", version, about = "安监：安全生产监管执法系统")]
pub struct Cli {
    /// Database URL: a SQLite file path or `sqlite://…`, or `postgres://…`.
    #[arg(long, env = "ANJIAN_DATABASE_URL", default_value = "anjian.db", global = true)]
    pub database_url: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, seed demo data into an empty one, and serve.
    Serve(ServeArgs),
    /// Only migrate the database.
    Migrate,
    /// User accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Import a roster: `anjian import enterprises FILE [--dry-run]`.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export the register: `anjian export enterprises FILE`.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Change-log checks: `anjian audit verify`.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Background jobs: `anjian jobs run --once [--at RFC3339]`.
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Generate files: the blank template, or a synthetic roster for benchmarks.
    #[command(subcommand)]
    Gen(GenCommand),
    /// Double-random draws, offline: `anjian draw verify FILE`, `anjian draw synthetic …`.
    #[command(subcommand)]
    Draw(DrawCommand),
    /// Internal credit scores: `anjian credit recompute [--check]`.
    #[command(subcommand)]
    Credit(CreditCommand),
    /// The indicator cockpit: `anjian indicators compute [--year YYYY] [--region CODE]`.
    #[command(subcommand)]
    Indicators(IndicatorsCommand),
}

#[derive(Debug, Subcommand)]
pub enum IndicatorsCommand {
    /// Compute a year's figures (everywhere, or within a region) and replace the
    /// stored ones in one transaction, as the nightly job does; prints the report.
    Compute {
        /// The year (default: the current year, Beijing time).
        #[arg(long)]
        year: Option<i32>,
        /// A region code (its whole subtree); default: every region.
        #[arg(long)]
        region: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum CreditCommand {
    /// Collect new events and recompute every stored score under the version in
    /// force; with `--check`, write nothing and compare the stored scores with a
    /// recomputation from the events (exit 1 on any difference).
    Recompute {
        #[arg(long)]
        check: bool,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "ANJIAN_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Do not seed demo data into an empty database.
    #[arg(long)]
    pub no_demo: bool,
    /// Mark the session cookie Secure (when served over HTTPS).
    #[arg(long, env = "ANJIAN_SECURE_COOKIES")]
    pub secure_cookies: bool,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is read as one line from standard input.
    Add(UserAddArgs),
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    #[arg(long)]
    pub username: String,
    /// `regulator`, `inspector`, `legal_reviewer`, `approver`, `grid_worker`, `principal`, `safety_officer`,
    /// `staff`, `insurer`.
    #[arg(long = "role", required = true)]
    pub roles: Vec<String>,
    /// Region code of the user's bureau (created if missing); required for bureau roles.
    #[arg(long)]
    pub region: Option<String>,
    /// The insurer (name, credit code or id) of an `insurer` user; an unknown name creates it.
    #[arg(long)]
    pub insurer: Option<String>,
    /// The 统一社会信用代码 of an insurer created by `--insurer`.
    #[arg(long)]
    pub insurer_credit_code: Option<String>,
    /// Credit code of the enterprise (enterprise roles); repeat for several.
    #[arg(long = "enterprise")]
    pub enterprises: Vec<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub display_name: Option<String>,
    /// Enforcement certificate number (inspectors).
    #[arg(long)]
    pub certificate: Option<String>,
    /// YYYY-MM-DD.
    #[arg(long)]
    pub certificate_valid_until: Option<chrono::NaiveDate>,
    /// Limit a bureau user's scope to these sectors (repeatable).
    #[arg(long = "sector")]
    pub sectors: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    Enterprises {
        file: PathBuf,
        /// Check and preview only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import as this bureau user (its territory and scope apply); default: unrestricted operator.
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// An existing hidden-hazard ledger (`imports/hazards.xlsx`).
    Hazards {
        file: PathBuf,
        /// Check and count only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import as this regulator (its scope applies); default: unrestricted operator.
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// 安责险 policies (`imports/insurance-policies.xlsx`), as a regulator or an insurer's user.
    InsurancePolicies {
        file: PathBuf,
        /// Check and list only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import as this user: a regulator (its territory) or an insurer's user (its insurer).
        #[arg(long = "as")]
        as_user: String,
    },
    /// A region's denominators per year (`imports/denominators.xlsx`), as a regulator.
    Denominators {
        file: PathBuf,
        /// Check and list only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import as this regulator (its bureau's region and below).
        #[arg(long = "as")]
        as_user: String,
    },
    /// A bureau's own indicator targets (`imports/indicator-targets.xlsx`), as a regulator.
    IndicatorTargets {
        file: PathBuf,
        /// Check and list only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import as this regulator (its bureau's region and below).
        #[arg(long = "as")]
        as_user: String,
    },
    /// Holiday overrides (日期, 类型 休/班, 名称): `anjian import holidays FILE [--dry-run]`.
    Holidays {
        file: PathBuf,
        /// Check and count only; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    Enterprises { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Run every due job as of now (or `--at`), then send the outbox, and exit.
    Run {
        /// Run once and exit (the only mode; `serve` runs jobs periodically).
        #[arg(long)]
        once: bool,
        /// Pretend now is this instant (RFC 3339, e.g. 2026-12-01T09:00:00+08:00).
        #[arg(long)]
        at: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the chain and check every audited record; exits 1 on any problem.
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum GenCommand {
    /// The blank import template (`imports/enterprises.xlsx`).
    Template { file: PathBuf },
    /// The blank holiday import template (`imports/holidays.xlsx`).
    HolidayTemplate { file: PathBuf },
    /// The blank hazard ledger import template (`imports/hazards.xlsx`).
    HazardTemplate { file: PathBuf },
    /// The risk-point import sample with three example points (`imports/risk-points.xlsx`).
    RiskTemplate { file: PathBuf },
    /// The 安责险 policy import sample with two example policies (`imports/insurance-policies.xlsx`).
    InsuranceTemplate { file: PathBuf },
    /// The denominators import sample (`imports/denominators.xlsx`).
    DenominatorsTemplate { file: PathBuf },
    /// The bureau targets import sample (`imports/indicator-targets.xlsx`).
    IndicatorTargetsTemplate { file: PathBuf },
    /// A valid synthetic roster of N rows across the demo counties.
    Roster {
        file: PathBuf,
        #[arg(long, default_value_t = 1000)]
        rows: usize,
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum DrawCommand {
    /// Re-run a draw from its proof: prints `verified` (exit 0) or the first mismatch
    /// (exit 1); exit 2 when the file cannot be read or is not a proof. No database needed.
    Verify { file: PathBuf },
    /// Print a complete executed proof made up from these numbers (deterministic).
    Synthetic(SyntheticArgs),
}

#[derive(Debug, Args)]
pub struct SyntheticArgs {
    #[arg(long)]
    pub enterprises: u32,
    #[arg(long)]
    pub inspectors: u32,
    #[arg(long, default_value_t = 0)]
    pub conflicts: u32,
    /// How many enterprises to draw in all (split over the strata by size).
    #[arg(long)]
    pub sample: u32,
    #[arg(long, default_value_t = 2)]
    pub team_size: u32,
    #[arg(long, default_value_t = 1)]
    pub strata: u32,
    /// Weights 1…10 and selection proportional to them.
    #[arg(long)]
    pub weighted: bool,
    /// Each team has a specialist of the enterprise's sector.
    #[arg(long)]
    pub sector_specialist: bool,
    #[arg(long, default_value = "synthetic-secret")]
    pub secret: String,
    #[arg(long)]
    pub entropy: Option<String>,
    /// The public proof: no user ids.
    #[arg(long)]
    pub public: bool,
}
