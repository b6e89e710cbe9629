//! What each CLI command does. Only `serve` and `migrate` migrate; every other
//! command refuses a database that is not up to date.

use crate::audit::verify::verify;
use crate::auth::{Role, password, service::NewUser};
use crate::cli::{
    AuditCommand, Cli, Command, CreditCommand, DrawCommand, ExportCommand, GenCommand, ImportCommand,
    IndicatorsCommand, JobsCommand, ServeArgs, UserAddArgs, UserCommand,
};
use crate::clock::SystemClock;
use crate::db::Db;
use crate::enterprise::domain::{CreditCode, RegionCode};
use crate::enterprise::import::{self, Importer};
use crate::entities::{enterprise, user};
use crate::state::{AppState, Settings};
use anyhow::Context;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::io::BufRead;
use std::process::ExitCode;
use std::sync::Arc;

pub async fn state_for(url: &str, migrate: bool, settings: Settings) -> anyhow::Result<AppState> {
    let db = Db::connect(url).await?;
    if migrate {
        db.migrate().await?;
    } else {
        db.ensure_migrated().await?;
    }
    AppState::new(db, Arc::new(SystemClock), settings)
}

fn settings_from_env() -> Settings {
    let alg = std::env::var("ANJIAN_AUDIT_ALG").ok().and_then(|a| crate::audit::HashAlg::parse(&a));
    Settings {
        audit_alg: alg.unwrap_or(crate::audit::HashAlg::Sha256),
        data_dir: std::env::var_os("ANJIAN_DATA_DIR").map(Into::into),
        files_dir: std::env::var_os("ANJIAN_FILES_DIR").map_or_else(|| "anjian-files".into(), Into::into),
        ..Settings::default()
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let url = cli.database_url.clone();
    match cli.command {
        Command::Serve(args) => serve(&url, args).await,
        Command::Migrate => {
            state_for(&url, true, settings_from_env()).await?;
            println!("数据库已迁移到最新版本。");
            Ok(ExitCode::SUCCESS)
        }
        Command::User(UserCommand::Add(args)) => user_add(&url, args).await,
        Command::Import(ImportCommand::Enterprises { file, dry_run, as_user }) => {
            import_enterprises(&url, &file, dry_run, as_user).await
        }
        Command::Import(ImportCommand::Holidays { file, dry_run }) => import_holidays(&url, &file, dry_run).await,
        Command::Import(ImportCommand::Hazards { file, dry_run, as_user }) => {
            import_hazards(&url, &file, dry_run, as_user).await
        }
        Command::Import(ImportCommand::InsurancePolicies { file, dry_run, as_user }) => {
            let state = state_for(&url, false, settings_from_env()).await?;
            crate::insurance::import::http::cli(&state, read_workbook(&file)?, dry_run, &as_user).await
        }
        Command::Import(cmd @ (ImportCommand::Denominators { .. } | ImportCommand::IndicatorTargets { .. })) => {
            import_inputs(&url, cmd).await
        }
        Command::Export(ExportCommand::Enterprises { file }) => export_enterprises(&url, &file).await,
        Command::Audit(AuditCommand::Verify) => {
            let state = state_for(&url, false, settings_from_env()).await?;
            let report = verify(state.db.conn()).await?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(if report.ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Jobs(JobsCommand::Run { once, at }) => jobs_run(&url, once, at.as_deref()).await,
        Command::Credit(CreditCommand::Recompute { check }) => credit_recompute(&url, check).await,
        Command::Indicators(IndicatorsCommand::Compute { year, region }) => {
            indicators_compute(&url, year, region.as_deref()).await
        }
        Command::Gen(g) => generate(g),
        Command::Draw(DrawCommand::Verify { file }) => Ok(crate::draw::command::verify_file(&file)),
        Command::Draw(DrawCommand::Synthetic(a)) => crate::draw::command::synthetic(&crate::draw::synthetic::Spec {
            enterprises: a.enterprises,
            inspectors: a.inspectors,
            conflicts: a.conflicts,
            sample: a.sample,
            team_size: a.team_size,
            strata: a.strata,
            weighted: a.weighted,
            sector_specialist: a.sector_specialist,
            secret: a.secret,
            entropy: a.entropy,
            public: a.public,
        }),
    }
}

/// `anjian export enterprises FILE`: the whole register as a workbook.
async fn export_enterprises(url: &str, file: &std::path::Path) -> anyhow::Result<ExitCode> {
    let state = state_for(url, false, settings_from_env()).await?;
    let rows = enterprise::Entity::find().order_by_asc(enterprise::Column::Id).all(state.db.conn()).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let lic =
        crate::enterprise::export::latest_licences(state.db.conn(), &ids).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    std::fs::write(file, crate::enterprise::export::workbook(&rows, &lic)?)?;
    println!("已导出 {} 家企业到 {}", rows.len(), file.display());
    Ok(ExitCode::SUCCESS)
}

/// `anjian credit recompute [--check]`.
async fn credit_recompute(url: &str, check: bool) -> anyhow::Result<ExitCode> {
    let state = state_for(url, false, settings_from_env()).await?;
    if check {
        let found = crate::credit::recompute::check(state.db.conn()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let Some((run, mismatches)) = found else {
            println!("尚未计算过信用分，没有可核对的分数。");
            return Ok(ExitCode::SUCCESS);
        };
        for m in mismatches.iter().take(20) {
            println!(
                "企业 {}：存储 {:.2}，按事件重算 {:.2}",
                m.enterprise_id,
                crate::credit::service::centi(m.stored_centi),
                crate::credit::service::centi(m.recomputed_centi)
            );
        }
        println!(
            "{}",
            serde_json::json!({"as_of": run.as_of, "rule_version": run.rule_version, "mismatches": mismatches.len()})
        );
        return Ok(if mismatches.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE });
    }
    let report = state
        .write("system:cli".to_owned(), async |tx| {
            let v = crate::credit::service::version_in_force(tx).await?;
            crate::credit::recompute::run(tx, v, tx.now(), "cli").await
        })
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("{}", serde_json::to_string(&report)?);
    Ok(ExitCode::SUCCESS)
}

/// `anjian indicators compute`: one write transaction, like the nightly job, timed.
async fn indicators_compute(url: &str, year: Option<i32>, region: Option<&str>) -> anyhow::Result<ExitCode> {
    use chrono::Datelike;
    let region = region.map(|r| RegionCode::parse(r).map_err(|e| anyhow::anyhow!("{r}: {e}"))).transpose()?;
    let state = state_for(url, false, settings_from_env()).await?;
    let year = year.unwrap_or_else(|| state.clock.today().year());
    let within = crate::indicator::counts::Within { region };
    let clock = std::time::Instant::now();
    let report = state
        .write("system:cli".to_owned(), async |tx| crate::indicator::compute::run(tx, &within, year, tx.now()).await)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let seconds = clock.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({"year": report.year, "region": report.region, "rows": report.rows, "seconds": (seconds * 100.0).round() / 100.0})
    );
    Ok(ExitCode::SUCCESS)
}

async fn jobs_run(url: &str, once: bool, at: Option<&str>) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(once, "请加 --once：只运行一次；周期运行由 serve 负责");
    let channel = crate::mail::channel_from_env()?;
    let mut state = state_for(url, false, settings_from_env()).await?;
    if let Some(at) = at {
        let t = chrono::DateTime::parse_from_rfc3339(at).with_context(|| format!("--at 不是 RFC 3339 时间：{at}"))?;
        let clock = crate::clock::FixedClock::new(chrono::SubsecRound::trunc_subsecs(t.to_utc(), 6));
        state = AppState::new(state.db.clone(), Arc::new(clock), state.config.clone())?;
    }
    let report = crate::jobs::run_due(&state).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let sent = crate::mail::drain(&state.db, state.clock.as_ref(), channel.as_ref())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "{}",
        serde_json::json!({"jobs": report, "mail": {"sent": sent.sent, "retried": sent.retried, "failed": sent.failed}})
    );
    // A failed job was rolled back alone (the others committed) and is listed in "failed".
    Ok(if report.failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

async fn serve(url: &str, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let settings = Settings { secure_cookies: args.secure_cookies, ..settings_from_env() };
    let problems = crate::rules_data::check_all();
    if !problems.is_empty() {
        anyhow::bail!("规则文件不可用（{}）：{}", crate::rules_data::DIR_VAR, problems.join("；"));
    }
    let state = state_for(url, true, settings).await?;
    if !args.no_demo {
        let logins = crate::demo::seed_if_empty(&state, 60).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        if !logins.is_empty() {
            println!("已生成演示数据。演示账号（密码均为 {}）：", crate::demo::DEMO_PASSWORD);
            for (u, what) in &logins {
                println!("  {u:<14} {what}");
            }
        }
    }
    if crate::jobs::enabled() {
        crate::jobs::spawn(state.clone(), crate::mail::channel_from_env()?);
    }
    state.db.spawn_checkpointer(std::time::Duration::from_secs(1));
    let listener =
        tokio::net::TcpListener::bind(&args.bind).await.with_context(|| format!("无法监听 {}", args.bind))?;
    println!("anjian 已启动：http://{}", listener.local_addr()?);
    let app = crate::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown()).await?;
    Ok(ExitCode::SUCCESS)
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}

fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// The region of a bureau user; an insurer user names its insurer and only it does.
fn region_and_insurer(a: &UserAddArgs, roles: &[Role]) -> anyhow::Result<Option<RegionCode>> {
    if roles.contains(&Role::Insurer) != a.insurer.is_some() {
        anyhow::bail!("保险机构用户（--role insurer）须且只有它须用 --insurer 指定所属保险机构");
    }
    a.region.as_deref().map(|r| RegionCode::parse(r).map_err(|e| anyhow::anyhow!("{e}"))).transpose()
}

async fn user_add(url: &str, a: UserAddArgs) -> anyhow::Result<ExitCode> {
    let state = state_for(url, false, settings_from_env()).await?;
    let roles = a
        .roles
        .iter()
        .map(|r| Role::parse(r).with_context(|| format!("未知角色 {r}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let pw = read_password()?;
    password::check_policy(&pw).map_err(anyhow::Error::msg)?;
    let hash = password::hash_blocking(pw).await?;
    let region = region_and_insurer(&a, &roles)?;
    let (insurer, insurer_code) = (a.insurer.clone(), a.insurer_credit_code.clone());
    let created = state
        .write("cli", async |tx| {
            let mut enterprise_ids = Vec::new();
            for c in &a.enterprises {
                let code = CreditCode::parse(c).map_err(|e| anyhow::anyhow!("{c}: {e}"))?;
                let e =
                    enterprise::Entity::find().filter(enterprise::Column::CreditCode.eq(code.as_str())).one(tx).await?;
                enterprise_ids.push(e.with_context(|| format!("企业 {c} 未登记"))?.id);
            }
            let bureau_role = roles.iter().any(|r| r.is_bureau_role());
            let bureau_id = if bureau_role {
                let region = region.as_ref().context("监管机构用户须用 --region 指定行政区划代码")?;
                Some(
                    crate::bureau::ensure_for_region(tx, tx.ctx(), region)
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?
                        .id,
                )
            } else {
                None
            };
            let new = NewUser {
                display_name: a.display_name.unwrap_or_else(|| a.username.clone()),
                username: a.username,
                password_hash: hash,
                roles,
                bureau_id,
                enterprise_ids,
                email: a.email,
                certificate_no: a.certificate,
                certificate_valid_until: a.certificate_valid_until,
                sectors: (!a.sectors.is_empty()).then_some(a.sectors),
                must_change_password: false,
            };
            let created = crate::auth::service::create_user(tx, tx.ctx(), new).await.map_err(|e| describe(&e))?;
            if let Some(name) = &insurer {
                crate::insurance::insurers::add_user(tx, created.id, name, insurer_code.as_deref())
                    .await
                    .map_err(|e| describe(&e))?;
            }
            Ok::<_, anyhow::Error>(created)
        })
        .await?;
    println!("已创建用户 {}（id {}）", created.username, created.id);
    Ok(ExitCode::SUCCESS)
}

/// A workbook to import, refused before reading when it is larger than any import takes.
pub(crate) fn read_workbook(file: &std::path::Path) -> anyhow::Result<axum::body::Bytes> {
    let size = std::fs::metadata(file).with_context(|| format!("无法读取 {}", file.display()))?.len();
    if size > crate::upload::SPREADSHEET as u64 {
        anyhow::bail!("{} 超过 {} MiB，请拆分后再导入", file.display(), crate::upload::SPREADSHEET >> 20);
    }
    let bytes = std::fs::read(file).with_context(|| format!("无法读取 {}", file.display()))?;
    Ok(bytes.into())
}

/// Spells out an application error for a terminal, including each field problem.
pub(crate) fn describe(e: &crate::error::AppError) -> anyhow::Error {
    use std::fmt::Write;
    let body = e.body();
    let mut s = body.error.message;
    for (field, msgs) in body.error.fields.unwrap_or_default() {
        let _ = write!(s, "\n  {field}: {}", msgs.join("；"));
    }
    let rows = body.error.rows.unwrap_or_default();
    let listed = rows.len();
    for r in rows {
        let _ = write!(s, "\n  第 {} 行 [{}] {}：{}", r.row, r.column, r.code, r.message);
    }
    let total = body.error.rows_total.unwrap_or(listed);
    if total > listed {
        let _ = write!(s, "\n  以上列出前 {listed} 处，另有 {} 处未列出", total - listed);
    }
    if let Some(by_code) = body.error.rows_by_code.filter(|c| c.len() > 1 || total > listed) {
        let counts: Vec<String> = by_code.iter().map(|(code, n)| format!("{code} {n}")).collect();
        let _ = write!(s, "\n  按错误代码：{}", counts.join("，"));
    }
    anyhow::anyhow!(s)
}

async fn import_enterprises(
    url: &str,
    file: &std::path::Path,
    dry_run: bool,
    as_user: Option<String>,
) -> anyhow::Result<ExitCode> {
    let state = state_for(url, false, settings_from_env()).await?;
    let bytes = read_workbook(file)?;
    let (who, actor) = importer_from(&state, as_user).await?;
    let roster = import::http::RosterImport(who);
    let s = match crate::import::run(&state, actor, &roster, bytes, dry_run).await.map_err(|e| describe(&e))? {
        crate::import::Outcome::Preview(p) => {
            println!("预检通过：新增 {}，变更 {}，不变 {}（未写入任何数据）", p.new, p.changed, p.unchanged);
            for c in p.changed_rows.iter().take(50) {
                for f in &c.changes {
                    let (old, new) = (f.old.as_deref().unwrap_or("（空）"), f.new.as_deref().unwrap_or("（空）"));
                    println!("  第 {} 行 {} {}：{old} → {new}", c.row, c.credit_code, f.label);
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        crate::import::Outcome::Done(s) => s,
    };
    println!("{}", serde_json::to_string(&s)?);
    Ok(ExitCode::SUCCESS)
}

async fn import_holidays(url: &str, file: &std::path::Path, dry_run: bool) -> anyhow::Result<ExitCode> {
    let state = state_for(url, false, settings_from_env()).await?;
    let bytes = read_workbook(file)?;
    let who = crate::calendar::import::Importer { user_id: None, at: state.clock.now() };
    let s = crate::calendar::import::run(&state, &who, bytes, dry_run).await.map_err(|e| describe(&e))?;
    let covered = s.covered_until.map_or_else(|| "无".to_owned(), |d| d.to_string());
    let what = if dry_run { "预检通过" } else { "已导入节假日" };
    let tail = if dry_run { "（未写入任何数据）" } else { "" };
    println!("{what}：新增 {}，变更 {}，不变 {}；节假日安排覆盖至 {covered}{tail}", s.new, s.changed, s.unchanged);
    Ok(ExitCode::SUCCESS)
}

async fn import_hazards(
    url: &str,
    file: &std::path::Path,
    dry_run: bool,
    as_user: Option<String>,
) -> anyhow::Result<ExitCode> {
    let state = state_for(url, false, settings_from_env()).await?;
    let bytes = read_workbook(file)?;
    let (who, actor) = importer_from(&state, as_user).await?;
    let user_id = actor.strip_prefix("user:").and_then(|u| u.parse().ok());
    let s = crate::hazard::import::run(&state, &who, user_id, bytes, dry_run).await.map_err(|e| describe(&e))?;
    let what = if dry_run { "预检通过，将导入" } else { "已导入" };
    let tail = if dry_run { "（未写入任何数据）" } else { "" };
    println!(
        "{what}隐患 {} 条（其中整改中 {} 条），已在台账中而跳过 {} 条{tail}",
        s.imported, s.open, s.already_recorded
    );
    Ok(ExitCode::SUCCESS)
}

/// `anjian import denominators|indicator-targets FILE [--dry-run] --as USER`.
async fn import_inputs(url: &str, cmd: ImportCommand) -> anyhow::Result<ExitCode> {
    use crate::indicator::inputs::import::{Kind, http};
    let (kind, file, dry_run, as_user) = match cmd {
        ImportCommand::Denominators { file, dry_run, as_user } => (Kind::Denominators, file, dry_run, as_user),
        ImportCommand::IndicatorTargets { file, dry_run, as_user } => (Kind::Targets, file, dry_run, as_user),
        _ => anyhow::bail!("not an indicator inputs import"),
    };
    let state = state_for(url, false, settings_from_env()).await?;
    http::cli(&state, kind, read_workbook(&file)?, dry_run, &as_user).await
}

pub(crate) async fn importer_from(state: &AppState, as_user: Option<String>) -> anyhow::Result<(Importer, String)> {
    let Some(name) = as_user else {
        return Ok((Importer::operator(), "cli".to_owned()));
    };
    let u = user::Entity::find()
        .filter(user::Column::Username.eq(&name))
        .one(state.db.conn())
        .await?
        .with_context(|| format!("用户 {name} 不存在"))?;
    let is_regulator = crate::entities::user_role::Entity::find()
        .filter(crate::entities::user_role::Column::UserId.eq(u.id))
        .filter(crate::entities::user_role::Column::Role.eq(Role::Regulator.as_str()))
        .one(state.db.conn())
        .await?
        .is_some();
    if !is_regulator || u.disabled {
        anyhow::bail!("用户 {name} 不是监管人员，不能导入");
    }
    let b = crate::entities::bureau::Entity::find_by_id(u.bureau_id.context("该用户不属于监管机构")?)
        .one(state.db.conn())
        .await?
        .context("机构不存在")?;
    let ids = crate::auth::service::subtree_ids(state.db.conn(), &b.path).await.map_err(|e| describe(&e))?;
    let sectors = u.sectors.map(|s| s.split(',').map(str::to_owned).collect());
    Ok((Importer { bureau: Some(b), scope_bureau_ids: Some(ids), sectors }, format!("user:{}", u.id)))
}

fn generate(g: GenCommand) -> anyhow::Result<ExitCode> {
    match g {
        GenCommand::Template { file } => {
            std::fs::write(&file, crate::enterprise::export::workbook(&[], &std::collections::HashMap::new())?)?;
            println!("已生成模板 {}", file.display());
        }
        GenCommand::HolidayTemplate { file } => {
            std::fs::write(&file, crate::calendar::template::workbook()?)?;
            println!("已生成模板 {}", file.display());
        }
        GenCommand::HazardTemplate { file } => {
            let defaults: Vec<String> =
                crate::hazard::import::columns::DEFAULT_CATEGORY_NAMES.map(str::to_owned).to_vec();
            std::fs::write(&file, crate::hazard::import::columns::template(&defaults)?)?;
            println!("已生成模板 {}", file.display());
        }
        GenCommand::RiskTemplate { file } => {
            std::fs::write(&file, crate::risk::import::columns::template()?)?;
            println!("已生成模板 {}", file.display());
        }
        GenCommand::InsuranceTemplate { file } => {
            std::fs::write(&file, crate::insurance::import::columns::template()?)?;
            println!("已生成模板 {}", file.display());
        }
        GenCommand::DenominatorsTemplate { file } => {
            std::fs::write(&file, crate::indicator::inputs::import::templates::denominators()?)?;
            println!("已生成模板 {}", file.display());
        }
        GenCommand::IndicatorTargetsTemplate { file } => {
            std::fs::write(&file, crate::indicator::inputs::import::templates::targets()?)?;
            println!("已生成模板 {}", file.display());
        }
        GenCommand::Roster { file, rows, seed } => {
            let mut rng = crate::demo::Rng::new(seed);
            let at = chrono::Utc::now();
            let regions: Vec<RegionCode> =
                crate::demo::DEMO_COUNTIES.iter().filter_map(|c| RegionCode::parse(c).ok()).collect();
            let models: Vec<_> = (0..rows)
                .map(|i| crate::demo::synthetic_model(i + 1, &regions[i % regions.len()], &mut rng, at))
                .collect();
            std::fs::write(&file, crate::enterprise::export::workbook(&models, &std::collections::HashMap::new())?)?;
            println!("已生成 {rows} 行名录 {}", file.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
