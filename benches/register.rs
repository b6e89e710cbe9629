//! Register benchmarks, release mode, reproducible: `cargo bench --bench register`.
//!
//! 1. Generates a 100,000-row valid roster with `anjian gen roster`.
//! 2. Times calamine alone reading it (in this process), the product's reader
//!    (`anjian::xlsx::read::read_first_sheet`), then the CLI import as a child
//!    process (a dry run first, for the read+check / write split), with wall
//!    time and the child's peak RSS.
//! 3. Serves the imported database on a free loopback port, signs in a
//!    province regulator and runs wrk against the filtered list.
//!
//! Prints one summary with PASS/FAIL per target and, for the full-size run,
//! writes `bench/RESULTS.md`. Every wait is bounded; children are killed on
//! every exit path. See `bench/README.md`.
// A measuring harness, not product code: numeric casts for reporting and long
// report functions are expected here.
#![allow(clippy::pedantic, clippy::too_many_lines)]

use anyhow::{Context, Result, bail};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, ExitStatus, Stdio};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------- targets

const TARGET_IMPORT_S: f64 = 10.0;
const TARGET_RSS_MB: f64 = 500.0;
const TARGET_RATIO: f64 = 3.0;
const TARGET_RPS: f64 = 3000.0;
const TARGET_P99_MS: f64 = 25.0;

const FULL_ROWS: usize = 100_000;
const PASSWORD: &str = "bench-register-2026";
const USERNAME: &str = "bench_sheng_jg";
const REGION: &str = "420000";
const LIST_PATH: &str = "/api/v1/enterprises?sector=hazardous_chemicals&region=420103&page=1&per_page=20";
/// Linux reports process and system CPU times in USER_HZ ticks, 100 per second.
const TICKS_PER_S: f64 = 100.0;
const POLL: Duration = Duration::from_millis(10);

// ---------------------------------------------------------------- configuration

#[derive(Clone)]
struct Config {
    rows: usize,
    duration_s: u64,
    connections: u32,
    threads: u32,
    warmup_s: u64,
    /// Longest wait, per measured phase, for other processes (builds) to go quiet.
    quiet_wait: Duration,
    /// Cores' worth of CPU that other processes may use for the machine to count as quiet.
    quiet_cores: f64,
    skip_build: bool,
    keep: bool,
    strict: bool,
    write_results: bool,
}

fn env_num<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0")
}

impl Config {
    fn from_env() -> Self {
        let rows = env_num("ANJIAN_BENCH_ROWS", FULL_ROWS);
        let duration_s = env_num("ANJIAN_BENCH_DURATION", 15);
        let connections = env_num("ANJIAN_BENCH_CONNECTIONS", 50);
        let full = rows == FULL_ROWS
            && duration_s == 15
            && connections == 50
            && std::env::var_os("ANJIAN_BENCH_BIN").is_none();
        Self {
            rows,
            duration_s,
            connections,
            threads: env_num("ANJIAN_BENCH_THREADS", 2),
            warmup_s: env_num("ANJIAN_BENCH_WARMUP", 3),
            quiet_wait: Duration::from_secs(env_num("ANJIAN_BENCH_QUIET_WAIT", 300)),
            quiet_cores: env_num("ANJIAN_BENCH_QUIET_CORES", 0.25),
            skip_build: env_flag("ANJIAN_BENCH_SKIP_BUILD"),
            keep: env_flag("ANJIAN_BENCH_KEEP"),
            strict: env_flag("ANJIAN_BENCH_STRICT"),
            write_results: full || env_flag("ANJIAN_BENCH_WRITE_RESULTS"),
        }
    }
}

// ---------------------------------------------------------------- /proc helpers

fn read_to_string(path: impl AsRef<Path>) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// A `kB` field of `/proc/<pid>/status` (VmHWM, VmRSS), in kB.
fn status_kb(pid: u32, field: &str) -> Option<u64> {
    let text = read_to_string(format!("/proc/{pid}/status"))?;
    text.lines().find_map(|l| l.strip_prefix(field)?.strip_prefix(':')?.trim().strip_suffix("kB")?.trim().parse().ok())
}

/// Fields of `/proc/<pid>/stat` after the command name: index 0 is field 3 (state).
fn stat_fields(pid: &str) -> Option<(String, Vec<u64>)> {
    let text = read_to_string(format!("/proc/{pid}/stat"))?;
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let comm = text.get(open + 1..close)?.to_owned();
    let rest = text.get(close + 1..)?;
    let nums = rest.split_whitespace().skip(1).map(|f| f.parse().unwrap_or(0)).collect();
    Some((comm, nums))
}

/// utime + stime (+ cutime + cstime when `children`) in ticks.
fn proc_ticks(pid: &str, children: bool) -> u64 {
    // After skipping the state field: ppid=0 … utime=10, stime=11, cutime=12, cstime=13.
    stat_fields(pid).map_or(0, |(_, f)| {
        let own = f.get(10).copied().unwrap_or(0) + f.get(11).copied().unwrap_or(0);
        if children { own + f.get(12).copied().unwrap_or(0) + f.get(13).copied().unwrap_or(0) } else { own }
    })
}

/// (busy, total) ticks over all CPUs from `/proc/stat`.
fn system_ticks() -> (u64, u64) {
    let text = read_to_string("/proc/stat").unwrap_or_default();
    let Some(line) = text.lines().find(|l| l.starts_with("cpu ")) else { return (0, 0) };
    let v: Vec<u64> = line.split_whitespace().skip(1).map(|f| f.parse().unwrap_or(0)).collect();
    let get = |i: usize| v.get(i).copied().unwrap_or(0);
    // user nice system idle iowait irq softirq steal
    let busy = get(0) + get(1) + get(2) + get(5) + get(6) + get(7);
    (busy, busy + get(3) + get(4))
}

fn all_process_ticks() -> HashMap<u32, (String, u64)> {
    let mut out = HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc") else { return out };
    for entry in dir.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
        if let Some((comm, f)) = stat_fields(&pid.to_string()) {
            out.insert(pid, (comm, f.get(10).copied().unwrap_or(0) + f.get(11).copied().unwrap_or(0)));
        }
    }
    out
}

/// CPU used by everything else on the machine while a phase ran: total busy
/// time minus this process, its reaped children (`cutime`) and the live server.
struct CpuMeter {
    start: Instant,
    system: (u64, u64),
    ours: u64,
    server: Option<u32>,
    server_ticks: u64,
    procs: HashMap<u32, (String, u64)>,
}

#[derive(Clone, Debug, Default)]
struct OtherLoad {
    /// Cores' worth of CPU used by other processes (0..=nproc).
    cores: f64,
    /// Cores' worth used by this benchmark and its children.
    ours: f64,
    /// The biggest other consumers seen, by command name.
    top: Vec<(String, f64)>,
}

impl OtherLoad {
    fn describe(&self) -> String {
        let mut s = format!("{:.2} cores", self.cores);
        if !self.top.is_empty() {
            let names: Vec<String> = self.top.iter().map(|(n, c)| format!("{n} {:.0}%", c * 100.0)).collect();
            let _ = write!(s, " ({})", names.join(", "));
        }
        s
    }
}

impl CpuMeter {
    fn start(server: Option<u32>) -> Self {
        Self {
            start: Instant::now(),
            system: system_ticks(),
            ours: proc_ticks("self", true),
            server,
            server_ticks: server.map_or(0, |p| proc_ticks(&p.to_string(), false)),
            procs: all_process_ticks(),
        }
    }

    fn stop(&self) -> OtherLoad {
        let secs = self.start.elapsed().as_secs_f64().max(0.001);
        let (busy, _) = system_ticks();
        let ours_now = proc_ticks("self", true);
        let server_now = self.server.map_or(0, |p| proc_ticks(&p.to_string(), false));
        let ours = ours_now.saturating_sub(self.ours) + server_now.saturating_sub(self.server_ticks);
        let other = busy.saturating_sub(self.system.0).saturating_sub(ours);
        let me = std::process::id();
        let mut by_name: HashMap<String, u64> = HashMap::new();
        for (pid, (comm, ticks)) in all_process_ticks() {
            if pid == me || Some(pid) == self.server || is_descendant_of(pid, me) {
                continue;
            }
            let before = self.procs.get(&pid).map_or(0, |(_, t)| *t);
            let d = ticks.saturating_sub(before);
            if d > 0 {
                *by_name.entry(comm).or_default() += d;
            }
        }
        let mut top: Vec<(String, f64)> =
            by_name.into_iter().map(|(n, t)| (n, t as f64 / TICKS_PER_S / secs)).filter(|(_, c)| *c >= 0.03).collect();
        top.sort_by(|a, b| b.1.total_cmp(&a.1));
        top.truncate(4);
        OtherLoad { cores: other as f64 / TICKS_PER_S / secs, ours: ours as f64 / TICKS_PER_S / secs, top }
    }
}

fn is_descendant_of(pid: u32, ancestor: u32) -> bool {
    let mut p = pid;
    for _ in 0..64 {
        let Some((_, f)) = stat_fields(&p.to_string()) else { return false };
        let Some(parent) = f.first().and_then(|v| u32::try_from(*v).ok()) else { return false };
        if parent == ancestor {
            return true;
        }
        if parent <= 1 {
            return false;
        }
        p = parent;
    }
    false
}

/// Waits (bounded) until other processes use less than `quiet_cores`; returns the last sample.
fn wait_for_quiet(cfg: &Config, phase: &str, server: Option<u32>) -> OtherLoad {
    let deadline = Instant::now() + cfg.quiet_wait;
    let mut announced = false;
    loop {
        let meter = CpuMeter::start(server);
        std::thread::sleep(Duration::from_secs(1));
        let load = meter.stop();
        if load.cores < cfg.quiet_cores {
            return load;
        }
        if Instant::now() >= deadline {
            eprintln!(
                "  [{phase}] machine still busy after {:?}: {}; measuring anyway",
                cfg.quiet_wait,
                load.describe()
            );
            return load;
        }
        if !announced {
            eprintln!("  [{phase}] waiting for other processes to go quiet: {}", load.describe());
            announced = true;
        }
        std::thread::sleep(Duration::from_secs(2));
    }
}

// ---------------------------------------------------------------- child processes

/// Kills and reaps a child on every exit path.
struct Guard {
    child: Option<Child>,
    what: &'static str,
}

impl Guard {
    fn new(child: Child, what: &'static str) -> Self {
        Self { child: Some(child), what }
    }

    fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    fn try_wait(&mut self) -> Result<Option<ExitStatus>> {
        match self.child.as_mut() {
            Some(c) => Ok(c.try_wait()?),
            None => bail!("{} already reaped", self.what),
        }
    }

    /// Waits at most `timeout`, calling `tick` every 10 ms; kills on timeout.
    fn wait(&mut self, timeout: Duration, mut tick: impl FnMut(u32)) -> Result<ExitStatus> {
        let start = Instant::now();
        let pid = self.pid();
        loop {
            tick(pid);
            if let Some(status) = self.try_wait()? {
                self.child = None;
                return Ok(status);
            }
            if start.elapsed() > timeout {
                self.kill();
                bail!("{} did not finish within {timeout:?}", self.what);
            }
            std::thread::sleep(POLL);
        }
    }

    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.kill();
    }
}

fn tail(path: &Path, lines: usize) -> String {
    let text = read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Runs a command to completion (bounded) with output in `log`.
fn run_logged(mut cmd: Command, log: &Path, timeout: Duration, what: &'static str) -> Result<Duration> {
    let out = File::create(log)?;
    cmd.stdout(out.try_clone()?).stderr(out).stdin(Stdio::null());
    let start = Instant::now();
    let mut g = Guard::new(cmd.spawn().with_context(|| format!("spawning {what}"))?, what);
    let status = g.wait(timeout, |_| {})?;
    let took = start.elapsed();
    if !status.success() {
        bail!("{what} failed ({status}):\n{}", tail(log, 20));
    }
    Ok(took)
}

struct Anjian {
    bin: PathBuf,
    work: PathBuf,
}

impl Anjian {
    fn cmd(&self, db: Option<&Path>) -> Command {
        let mut c = Command::new(&self.bin);
        c.current_dir(&self.work).env_remove("RUST_LOG").env_remove("ANJIAN_DATABASE_URL");
        if let Some(db) = db {
            c.arg("--database-url").arg(db);
        }
        c
    }
}

/// One run of a child process: wall time, peak RSS, CPU.
#[derive(Clone, Debug, Default)]
struct ChildRun {
    wall_s: f64,
    /// Exact peak RSS from `/usr/bin/time` (wait4 rusage), when available.
    rss_time_mb: Option<f64>,
    /// Peak RSS from polling `/proc/<pid>/status` VmHWM every 10 ms.
    rss_poll_mb: f64,
    user_s: Option<f64>,
    sys_s: Option<f64>,
    stdout: String,
    other: OtherLoad,
}

impl ChildRun {
    fn rss_mb(&self) -> f64 {
        self.rss_time_mb.unwrap_or(self.rss_poll_mb).max(self.rss_poll_mb)
    }

    fn cpu_s(&self) -> Option<f64> {
        Some(self.user_s? + self.sys_s?)
    }
}

/// The first child of `pid` (the program `/usr/bin/time` started).
fn first_child(pid: u32) -> Option<u32> {
    read_to_string(format!("/proc/{pid}/task/{pid}/children"))?.split_whitespace().next()?.parse().ok()
}

/// Runs `anjian <args>` measuring wall time and peak RSS.
fn measured(a: &Anjian, db: &Path, args: &[&str], tag: &str, timeout: Duration) -> Result<ChildRun> {
    let gnu_time = Path::new("/usr/bin/time");
    let rusage = a.work.join(format!("{tag}.rusage"));
    let out_path = a.work.join(format!("{tag}.out"));
    let err_path = a.work.join(format!("{tag}.err"));
    let mut cmd = if gnu_time.exists() {
        let mut c = Command::new(gnu_time);
        c.arg("-f").arg("%M %e %U %S").arg("-o").arg(&rusage).arg(&a.bin).arg("--database-url").arg(db);
        c.current_dir(&a.work).env_remove("RUST_LOG").env_remove("ANJIAN_DATABASE_URL");
        c
    } else {
        a.cmd(Some(db))
    };
    cmd.args(args).stdin(Stdio::null()).stdout(File::create(&out_path)?).stderr(File::create(&err_path)?);
    let meter = CpuMeter::start(None);
    let start = Instant::now();
    let mut g = Guard::new(cmd.spawn().context("spawning anjian")?, "anjian import");
    let wrapped = gnu_time.exists();
    let mut target: Option<u32> = None;
    let mut hwm_kb = 0_u64;
    let status = g.wait(timeout, |pid| {
        if target.is_none() {
            target = if wrapped { first_child(pid) } else { Some(pid) };
        }
        if let Some(kb) = target.and_then(|t| status_kb(t, "VmHWM")) {
            hwm_kb = hwm_kb.max(kb);
        }
    })?;
    let wall_s = start.elapsed().as_secs_f64();
    let other = meter.stop();
    if !status.success() {
        bail!("anjian {} failed ({status}):\n{}\n{}", args.join(" "), tail(&out_path, 10), tail(&err_path, 30));
    }
    let mut run = ChildRun {
        wall_s,
        rss_poll_mb: hwm_kb as f64 / 1024.0,
        stdout: read_to_string(&out_path).unwrap_or_default(),
        other,
        ..ChildRun::default()
    };
    if wrapped {
        let text = read_to_string(&rusage).unwrap_or_default();
        let v: Vec<f64> = text.lines().last().unwrap_or("").split_whitespace().filter_map(|f| f.parse().ok()).collect();
        if let [kb, _elapsed, user, sys] = v[..] {
            run.rss_time_mb = Some(kb / 1024.0);
            run.user_s = Some(user);
            run.sys_s = Some(sys);
        }
    }
    Ok(run)
}

// ---------------------------------------------------------------- calamine

#[derive(Clone, Debug)]
struct ReadTiming {
    label: &'static str,
    median_s: f64,
    runs: Vec<f64>,
    cells: usize,
}

fn time_read(label: &'static str, reps: usize, mut f: impl FnMut() -> Result<usize>) -> Result<ReadTiming> {
    let mut runs = Vec::with_capacity(reps);
    let mut cells = 0;
    for _ in 0..reps {
        let start = Instant::now();
        cells = f()?;
        runs.push(start.elapsed().as_secs_f64());
    }
    let mut sorted = runs.clone();
    sorted.sort_by(f64::total_cmp);
    Ok(ReadTiming { label, median_s: sorted[sorted.len() / 2], runs, cells })
}

fn first_sheet_name<R: std::io::Read + std::io::Seek>(book: &calamine::Xlsx<R>) -> Result<String> {
    use calamine::Reader;
    book.sheet_names().first().cloned().context("workbook has no sheets")
}

/// calamine alone: the whole first sheet into a `Range<Data>`.
fn calamine_range(path: &Path) -> Result<usize> {
    use calamine::Reader;
    let bytes = std::fs::read(path)?;
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes))?;
    let name = first_sheet_name(&book)?;
    let range = book.worksheet_range(&name)?;
    Ok(range.used_cells().count())
}

/// calamine alone, streaming: every cell of the first sheet through the cell reader.
fn calamine_cells(path: &Path) -> Result<usize> {
    use calamine::Reader;
    let bytes = std::fs::read(path)?;
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes))?;
    let name = first_sheet_name(&book)?;
    let mut reader = book.worksheet_cells_reader(&name)?;
    let mut n = 0;
    while let Some(cell) = reader.next_cell()? {
        if !matches!(cell.get_value(), calamine::DataRef::Empty) {
            n += 1;
        }
    }
    Ok(n)
}

/// The product's reader (calamine's cell stream into owned rows).
fn product_reader(path: &Path) -> Result<usize> {
    let bytes = std::fs::read(path)?;
    let sheet = anjian::xlsx::read::read_first_sheet(&bytes, &anjian::xlsx::read::Limits::default())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(sheet
        .rows
        .iter()
        .map(|r| r.cells.iter().filter(|c| !matches!(c, anjian::xlsx::read::Cell::Empty)).count())
        .sum::<usize>()
        + sheet.headers.iter().filter(|h| !h.is_empty()).count())
}

// ---------------------------------------------------------------- HTTP (std only)

struct Response {
    status: u16,
    body: String,
}

fn decode_chunked(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..1_000_000 {
        let Some(end) = body.windows(2).position(|w| w == b"\r\n") else { break };
        let size_text = String::from_utf8_lossy(&body[..end]);
        let Ok(size) = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16) else { break };
        if size == 0 || body.len() < end + 2 + size {
            break;
        }
        out.extend_from_slice(&body[end + 2..end + 2 + size]);
        body = &body[(end + 4 + size).min(body.len())..];
    }
    out
}

fn http(port: u16, method: &str, path: &str, token: Option<&str>, json: Option<&str>) -> Result<Response> {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    s.set_write_timeout(Some(Duration::from_secs(30)))?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    if let Some(t) = token {
        let _ = write!(req, "Authorization: Bearer {t}\r\n");
    }
    match json {
        Some(b) => {
            let _ = write!(req, "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{b}", b.len());
        }
        None => req.push_str("\r\n"),
    }
    s.write_all(req.as_bytes())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let _ = s.shutdown(Shutdown::Both);
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").context("no end of HTTP headers")?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).context("bad status line")?;
    let chunked = head.lines().any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    let body = &raw[split + 4..];
    let body = if chunked { decode_chunked(body) } else { body.to_vec() };
    Ok(Response { status, body: String::from_utf8_lossy(&body).to_string() })
}

fn free_port() -> Result<u16> {
    let l = TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?.port())
}

// ---------------------------------------------------------------- wrk

#[derive(Clone, Debug, Default)]
struct WrkResult {
    rps: f64,
    requests: u64,
    avg_ms: f64,
    max_ms: f64,
    p50_ms: f64,
    p75_ms: f64,
    p90_ms: f64,
    p99_ms: f64,
    non_2xx: u64,
    socket_errors: u64,
    raw: String,
}

fn parse_duration_ms(s: &str) -> Option<f64> {
    let s = s.trim();
    let split = s.find(|c: char| c.is_ascii_alphabetic())?;
    let (num, unit) = s.split_at(split);
    let v: f64 = num.parse().ok()?;
    Some(match unit {
        "us" => v / 1000.0,
        "ms" => v,
        "s" => v * 1000.0,
        "m" => v * 60_000.0,
        "h" => v * 3_600_000.0,
        _ => return None,
    })
}

fn parse_wrk(out: &str) -> Result<WrkResult> {
    let mut r = WrkResult { raw: out.to_owned(), ..WrkResult::default() };
    let mut seen_rps = false;
    for line in out.lines() {
        let t = line.trim();
        let words: Vec<&str> = t.split_whitespace().collect();
        match words.as_slice() {
            ["Latency", avg, _stdev, max, ..] => {
                r.avg_ms = parse_duration_ms(avg).unwrap_or(0.0);
                r.max_ms = parse_duration_ms(max).unwrap_or(0.0);
            }
            ["50%", v] => r.p50_ms = parse_duration_ms(v).unwrap_or(0.0),
            ["75%", v] => r.p75_ms = parse_duration_ms(v).unwrap_or(0.0),
            ["90%", v] => r.p90_ms = parse_duration_ms(v).unwrap_or(0.0),
            ["99%", v] => r.p99_ms = parse_duration_ms(v).unwrap_or(0.0),
            ["Requests/sec:", v] => {
                r.rps = v.parse().unwrap_or(0.0);
                seen_rps = true;
            }
            [n, "requests", "in", ..] => r.requests = n.parse().unwrap_or(0),
            ["Non-2xx", "or", "3xx", "responses:", n] => r.non_2xx = n.parse().unwrap_or(0),
            ["Socket", "errors:", rest @ ..] => {
                r.socket_errors = rest.iter().filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok()).sum();
            }
            _ => {}
        }
    }
    if !seen_rps {
        bail!("could not parse wrk output:\n{out}");
    }
    Ok(r)
}

fn wrk_path() -> Result<PathBuf> {
    let p = PathBuf::from("/usr/bin/wrk");
    if p.exists() {
        return Ok(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("wrk"))
        .find(|p| p.exists())
        .context("wrk not found (apt-get install wrk)")
}

#[allow(clippy::too_many_arguments)]
fn run_wrk(
    cfg: &Config,
    work: &Path,
    script: &Path,
    port: u16,
    token: &str,
    secs: u64,
    tag: &str,
    server: u32,
) -> Result<(WrkResult, OtherLoad)> {
    let url = format!("http://127.0.0.1:{port}{LIST_PATH}");
    let log = work.join(format!("wrk-{tag}.out"));
    let mut cmd = Command::new(wrk_path()?);
    cmd.arg(format!("-t{}", cfg.threads))
        .arg(format!("-c{}", cfg.connections))
        .arg(format!("-d{secs}s"))
        .arg("--timeout")
        .arg("10s")
        .arg("--latency")
        .arg("-s")
        .arg(script)
        .arg(&url)
        .env("ANJIAN_TOKEN", token)
        .current_dir(work);
    let meter = CpuMeter::start(Some(server));
    run_logged(cmd, &log, Duration::from_secs(secs + 60), "wrk")?;
    let other = meter.stop();
    let out = read_to_string(&log).unwrap_or_default();
    Ok((parse_wrk(&out)?, other))
}

// ---------------------------------------------------------------- machine

fn cpu_model() -> String {
    read_to_string("/proc/cpuinfo")
        .and_then(|t| {
            t.lines().find_map(|l| l.strip_prefix("model name")?.split_once(':').map(|(_, v)| v.trim().to_owned()))
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

fn mem_total_gib() -> f64 {
    read_to_string("/proc/meminfo")
        .and_then(|t| {
            t.lines().find_map(|l| l.strip_prefix("MemTotal:")?.trim().strip_suffix("kB")?.trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0 / 1024.0)
}

fn command_line(cmd: &str, args: &[&str], dir: &Path) -> String {
    Command::new(cmd)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

// ---------------------------------------------------------------- the benchmark

struct Report {
    cfg_rows: usize,
    roster_mb: f64,
    gen_s: f64,
    reads: Vec<ReadTiming>,
    baseline: ReadTiming,
    dry: ChildRun,
    import: ChildRun,
    imported: u64,
    matching: u64,
    item_bytes: usize,
    warmup: WrkResult,
    single: WrkResult,
    wrk: WrkResult,
    wrk_other: OtherLoad,
    server_rss_mb: f64,
    server_cpu_cores: f64,
    quiet_before: Vec<(String, OtherLoad)>,
}

fn pass(ok: bool) -> &'static str {
    if ok { "PASS" } else { "FAIL" }
}

impl Report {
    fn ratio(&self) -> f64 {
        self.import.wall_s / self.baseline.median_s
    }

    fn checks(&self) -> Vec<(String, bool)> {
        let http_ok = self.wrk.non_2xx == 0 && self.wrk.socket_errors == 0 && self.wrk.requests > 0;
        vec![
            (format!("1a import ≤ {TARGET_IMPORT_S} s"), self.import.wall_s <= TARGET_IMPORT_S),
            (format!("1b import peak RSS ≤ {TARGET_RSS_MB} MB"), self.import.rss_mb() <= TARGET_RSS_MB),
            (format!("1c import ≤ {TARGET_RATIO}× calamine read"), self.ratio() <= TARGET_RATIO),
            (format!("2a list ≥ {TARGET_RPS} req/s (all 2xx)"), self.wrk.rps >= TARGET_RPS && http_ok),
            (format!("2b list p99 ≤ {TARGET_P99_MS} ms"), self.wrk.p99_ms <= TARGET_P99_MS && http_ok),
        ]
    }

    fn summary(&self, cfg: &Config) -> String {
        let mut s = String::new();
        let r = self;
        let _ = writeln!(s, "rows                         {}", r.cfg_rows);
        let _ = writeln!(s, "roster file                  {:.1} MB (anjian gen roster: {:.2} s)", r.roster_mb, r.gen_s);
        for t in &r.reads {
            let runs: Vec<String> = t.runs.iter().map(|x| format!("{x:.3}")).collect();
            let _ = writeln!(
                s,
                "read: {:<23} {:.3} s median of [{}] s, {} cells",
                t.label,
                t.median_s,
                runs.join(", "),
                t.cells
            );
        }
        let _ = writeln!(s, "calamine read (baseline)     {:.3} s  [{}]", r.baseline.median_s, r.baseline.label);
        let _ = writeln!(
            s,
            "import dry run (read+check)  {:.3} s, peak RSS {:.0} MB, CPU {}",
            r.dry.wall_s,
            r.dry.rss_mb(),
            r.dry.cpu_s().map_or("n/a".to_owned(), |c| format!("{c:.2} s"))
        );
        let _ = writeln!(
            s,
            "import (CLI, end to end)     {:.3} s  ({} new rows; CPU user {} + sys {})",
            r.import.wall_s,
            r.imported,
            r.import.user_s.map_or("n/a".to_owned(), |c| format!("{c:.2} s")),
            r.import.sys_s.map_or("n/a".to_owned(), |c| format!("{c:.2} s")),
        );
        let _ =
            writeln!(s, "  of which writing (≈ import − dry run)  {:.3} s", (r.import.wall_s - r.dry.wall_s).max(0.0));
        let _ = writeln!(s, "import / calamine ratio      {:.2}×", r.ratio());
        let _ = writeln!(
            s,
            "import peak RSS              {:.1} MB ({}polled VmHWM {:.1} MB)",
            r.import.rss_mb(),
            r.import.rss_time_mb.map_or(String::new(), |m| format!("/usr/bin/time {m:.1} MB; ")),
            r.import.rss_poll_mb
        );
        let _ = writeln!(s, "list query                   GET {LIST_PATH}");
        let _ = writeln!(
            s,
            "  as regulator of {REGION} (province); {} matching enterprises; {} bytes per page",
            r.matching, r.item_bytes
        );
        let _ = writeln!(
            s,
            "  warm-up {} s                {:.0} req/s, p99 {:.2} ms",
            cfg.warmup_s, r.warmup.rps, r.warmup.p99_ms
        );
        let _ = writeln!(
            s,
            "  one connection 3 s         {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms (service time, no queueing)",
            r.single.rps, r.single.p50_ms, r.single.p99_ms
        );
        let _ = writeln!(
            s,
            "wrk -t{} -c{} -d{}s           {:.0} req/s ({} requests, {} non-2xx, {} socket errors)",
            cfg.threads, cfg.connections, cfg.duration_s, r.wrk.rps, r.wrk.requests, r.wrk.non_2xx, r.wrk.socket_errors
        );
        let _ = writeln!(
            s,
            "  latency                    p50 {:.2} ms, p75 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, avg {:.2} ms, max {:.2} ms",
            r.wrk.p50_ms, r.wrk.p75_ms, r.wrk.p90_ms, r.wrk.p99_ms, r.wrk.avg_ms, r.wrk.max_ms
        );
        let _ = writeln!(
            s,
            "  server                     peak RSS {:.0} MB, CPU {:.2} cores during the run (server + wrk + bench: {:.2} cores)",
            r.server_rss_mb, r.server_cpu_cores, r.wrk_other.ours
        );
        let _ = writeln!(
            s,
            "other load (not this bench)  during import {}; during wrk {}",
            r.import.other.describe(),
            r.wrk_other.describe()
        );
        for (phase, load) in &r.quiet_before {
            let _ = writeln!(s, "  before {phase:<20} {}", load.describe());
        }
        let _ = writeln!(s);
        for (name, ok) in r.checks() {
            let _ = writeln!(s, "{:<4}  {name}", pass(ok));
        }
        s
    }
}

fn build_release(manifest: &Path) -> Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("building: cargo build --release --bin anjian (waits if another cargo holds the build lock)");
    let mut cmd = Command::new(cargo);
    cmd.args(["build", "--release", "--bin", "anjian"]).current_dir(manifest).stdin(Stdio::null());
    let start = Instant::now();
    let mut g = Guard::new(cmd.spawn().context("spawning cargo")?, "cargo build --release");
    let status = g.wait(Duration::from_secs(3600), |_| {})?;
    if !status.success() {
        bail!("cargo build --release failed ({status})");
    }
    eprintln!("  release build up to date ({:.1} s)", start.elapsed().as_secs_f64());
    Ok(())
}

#[allow(clippy::too_many_lines)]
fn bench(cfg: &Config) -> Result<Report> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| manifest.join("target"), PathBuf::from);
    let target = if target.is_absolute() { target } else { manifest.join(target) };
    let custom = std::env::var_os("ANJIAN_BENCH_BIN").map(PathBuf::from);
    if !cfg.skip_build && custom.is_none() {
        build_release(&manifest)?;
    }
    let bin = custom.unwrap_or_else(|| target.join("release").join("anjian"));
    if !bin.exists() {
        bail!("{} not found; run `cargo build --release`", bin.display());
    }
    let script = manifest.join("bench").join("list.lua");
    if !script.exists() {
        bail!("{} is missing", script.display());
    }
    let wrk = wrk_path()?;
    eprintln!("binary: {}\nwrk:    {}", bin.display(), wrk.display());

    let tmp = tempfile::Builder::new().prefix("anjian-bench-").tempdir()?;
    let work = tmp.path().to_path_buf();
    if cfg.keep {
        eprintln!("work dir (kept): {}", work.display());
    }
    let a = Anjian { bin, work: work.clone() };
    let roster = work.join("roster.xlsx");
    let db = work.join("register.db");
    let mut quiet_before = Vec::new();

    // 1. The roster.
    eprintln!("generating a {}-row roster …", cfg.rows);
    let mut gen_cmd = a.cmd(None);
    gen_cmd.args(["gen", "roster"]).arg(&roster).args(["--rows", &cfg.rows.to_string()]);
    let gen_s =
        run_logged(gen_cmd, &work.join("gen.log"), Duration::from_secs(900), "anjian gen roster")?.as_secs_f64();
    let roster_mb = std::fs::metadata(&roster)?.len() as f64 / 1024.0 / 1024.0;

    // 2a. calamine alone, and the product's reader.
    quiet_before.push(("calamine read".to_owned(), wait_for_quiet(cfg, "calamine read", None)));
    eprintln!("timing calamine reads (3 runs each) …");
    let reads = vec![
        time_read("calamine worksheet_range", 3, || calamine_range(&roster))?,
        time_read("calamine cells reader", 3, || calamine_cells(&roster))?,
        time_read("anjian read_first_sheet", 3, || product_reader(&roster))?,
    ];
    let baseline =
        reads[..2].iter().min_by(|x, y| x.median_s.total_cmp(&y.median_s)).cloned().context("no calamine timing")?;

    // 2b. The CLI import into a fresh migrated database: dry run, then for real.
    run_logged(
        {
            let mut c = a.cmd(Some(&db));
            c.arg("migrate");
            c
        },
        &work.join("migrate.log"),
        Duration::from_secs(120),
        "anjian migrate",
    )?;
    let file = roster.to_string_lossy().to_string();
    let timeout = Duration::from_secs(900);
    quiet_before.push(("import dry run".to_owned(), wait_for_quiet(cfg, "import dry run", None)));
    eprintln!("import dry run …");
    let dry = measured(&a, &db, &["import", "enterprises", &file, "--dry-run"], "dry-run", timeout)?;
    quiet_before.push(("import".to_owned(), wait_for_quiet(cfg, "import", None)));
    eprintln!("import …");
    let import = measured(&a, &db, &["import", "enterprises", &file], "import", timeout)?;
    let summary: serde_json::Value = serde_json::from_str(import.stdout.trim().lines().last().unwrap_or(""))
        .with_context(|| format!("import printed no summary: {}", import.stdout))?;
    let imported = summary["imported"].as_u64().unwrap_or(0);
    if imported != cfg.rows as u64 {
        bail!("import wrote {imported} rows, expected {}: {summary}", cfg.rows);
    }

    // 3. The server, a province regulator and wrk.
    let mut add = a.cmd(Some(&db));
    add.args(["user", "add", "--username", USERNAME, "--role", "regulator", "--region", REGION])
        .stdin(Stdio::piped())
        .stdout(File::create(work.join("user-add.log"))?)
        .stderr(File::create(work.join("user-add.err"))?);
    let mut g = Guard::new(add.spawn().context("spawning anjian user add")?, "anjian user add");
    if let Some(mut stdin) = g.child.as_mut().and_then(|c| c.stdin.take()) {
        stdin.write_all(format!("{PASSWORD}\n").as_bytes())?;
    }
    let status = g.wait(Duration::from_secs(120), |_| {})?;
    if !status.success() {
        bail!("anjian user add failed ({status}): {}", tail(&work.join("user-add.err"), 10));
    }

    let port = free_port()?;
    let mut serve = a.cmd(Some(&db));
    serve
        .args(["serve", "--no-demo", "--bind", &format!("127.0.0.1:{port}")])
        // Measure the list alone: no periodic jobs or mail sender in the background.
        .env("ANJIAN_JOBS", "off")
        .stdin(Stdio::null())
        .stdout(File::create(work.join("serve.out"))?)
        .stderr(File::create(work.join("serve.err"))?);
    let mut server = Guard::new(serve.spawn().context("spawning anjian serve")?, "anjian serve");
    let server_pid = server.pid();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(st) = server.try_wait()? {
            bail!("anjian serve exited ({st}): {}", tail(&work.join("serve.err"), 20));
        }
        if http(port, "GET", "/healthz", None, None).is_ok_and(|r| r.status == 200) {
            break;
        }
        if Instant::now() > deadline {
            bail!("anjian serve not ready within 60 s: {}", tail(&work.join("serve.err"), 20));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let login = serde_json::json!({ "username": USERNAME, "password": PASSWORD }).to_string();
    let r = http(port, "POST", "/api/v1/auth/login", None, Some(&login))?;
    if r.status != 200 {
        bail!("login failed: {} {}", r.status, r.body);
    }
    let body: serde_json::Value = serde_json::from_str(&r.body)?;
    let token = body["token"].as_str().context("no token in login response")?.to_owned();
    let r = http(port, "GET", LIST_PATH, Some(&token), None)?;
    if r.status != 200 {
        bail!("list failed: {} {}", r.status, r.body);
    }
    let list: serde_json::Value = serde_json::from_str(&r.body)?;
    let matching = list["total"].as_u64().unwrap_or(0);
    let items = list["items"].as_array().map_or(0, Vec::len);
    if matching == 0 || items == 0 {
        bail!("the list query matched nothing: {}", r.body);
    }

    eprintln!("wrk warm-up {} s …", cfg.warmup_s);
    let (warmup, _) = run_wrk(cfg, &work, &script, port, &token, cfg.warmup_s.max(1), "warmup", server_pid)?;
    eprintln!("wrk single connection 3 s (service time without queueing) …");
    let single_cfg = Config { threads: 1, connections: 1, ..cfg.clone() };
    let (single, _) = run_wrk(&single_cfg, &work, &script, port, &token, 3, "single", server_pid)?;
    quiet_before.push(("wrk".to_owned(), wait_for_quiet(cfg, "wrk", Some(server_pid))));
    eprintln!("wrk {} s …", cfg.duration_s);
    let server_ticks = proc_ticks(&server_pid.to_string(), false);
    let started = Instant::now();
    let (wrk_res, wrk_other) = run_wrk(cfg, &work, &script, port, &token, cfg.duration_s, "measure", server_pid)?;
    let server_cpu_cores = proc_ticks(&server_pid.to_string(), false).saturating_sub(server_ticks) as f64
        / TICKS_PER_S
        / started.elapsed().as_secs_f64();
    let server_rss_mb = status_kb(server_pid, "VmHWM").unwrap_or(0) as f64 / 1024.0;
    server.kill();
    if cfg.keep {
        let kept = tmp.keep();
        eprintln!("kept {}", kept.display());
    }

    Ok(Report {
        cfg_rows: cfg.rows,
        roster_mb,
        gen_s,
        reads,
        baseline,
        dry,
        import,
        imported,
        matching,
        item_bytes: r.body.len(),
        warmup,
        single,
        wrk: wrk_res,
        wrk_other,
        server_rss_mb,
        server_cpu_cores,
        quiet_before,
    })
}

fn results_markdown(cfg: &Config, report: &Report, manifest: &Path) -> String {
    let nproc = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let commit = command_line("git", &["rev-parse", "--short", "HEAD"], manifest);
    let dirty = !command_line(
        "git",
        &["status", "--porcelain", "--untracked-files=no", "src", "migrations", "Cargo.toml", "Cargo.lock"],
        manifest,
    )
    .is_empty();
    let rustc = command_line("rustc", &["--version"], manifest);
    let mut md = String::new();
    let _ = writeln!(md, "# Register benchmark results\n");
    let _ = writeln!(md, "Written by `cargo bench --bench register` (see `bench/README.md`). Latest run only.\n");
    let _ = writeln!(md, "- Date: {}", chrono::Utc::now().format("%Y-%m-%d %H:%M:%S UTC"));
    let _ =
        writeln!(md, "- Commit: {commit}{}", if dirty { " (with uncommitted changes to src/migrations)" } else { "" });
    let _ = writeln!(md, "- Machine: nproc {nproc}, CPU {}, memory {:.1} GiB", cpu_model(), mem_total_gib());
    let _ = writeln!(md, "- Toolchain: {rustc}; release profile; SQLite file on local disk (temp dir)");
    let _ = writeln!(
        md,
        "- Load: wrk runs on the same {nproc} cores as the server (loopback, 127.0.0.1). Other processes' CPU while measuring: import {}, wrk {}.",
        report.import.other.describe(),
        report.wrk_other.describe()
    );
    let _ = writeln!(md, "\n| Target | Measured | Result |\n|---|---|---|");
    let checks = report.checks();
    let rows = [
        format!("{:.2} s", report.import.wall_s),
        format!("{:.0} MB", report.import.rss_mb()),
        format!("{:.2}× ({:.2} s / {:.2} s)", report.ratio(), report.import.wall_s, report.baseline.median_s),
        format!("{:.0} req/s", report.wrk.rps),
        format!("{:.2} ms (p50 {:.2} ms)", report.wrk.p99_ms, report.wrk.p50_ms),
    ];
    for ((name, ok), measured) in checks.iter().zip(rows) {
        let _ = writeln!(md, "| {name} | {measured} | {} |", pass(*ok));
    }
    let _ = writeln!(md, "\n## Full summary\n\n```text\n{}```", report.summary(cfg));
    let _ = writeln!(md, "\n## wrk output\n\n```text\n{}```", report.wrk.raw);
    md
}

fn main() -> ExitCode {
    let cfg = Config::from_env();
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let report = match bench(&cfg) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("benchmark failed: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let summary = report.summary(&cfg);
    println!("\n==== anjian register benchmark (release) ====\n{summary}");
    if cfg.write_results {
        let path = manifest.join("bench").join("RESULTS.md");
        match std::fs::write(&path, results_markdown(&cfg, &report, &manifest)) {
            Ok(()) => println!("written to {}", path.display()),
            Err(e) => eprintln!("could not write {}: {e}", path.display()),
        }
    } else {
        println!(
            "(not the full configuration: bench/RESULTS.md left unchanged; set ANJIAN_BENCH_WRITE_RESULTS=1 to write it)"
        );
    }
    let all_pass = report.checks().iter().all(|(_, ok)| *ok);
    if cfg.strict && !all_pass { ExitCode::from(2) } else { ExitCode::SUCCESS }
}
