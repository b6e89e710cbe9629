//! Writes the seed corpus: every hostile construct of the integration test
//! (`tests/api/hostile`), built by the same generator, and small real
//! workbooks (the three templates, `roster.xls`, a few rows each), so the
//! fuzzer starts from real structure. Each `.xlsx` seed is also written again
//! with uncompressed ("stored") parts, whose XML the fuzzer's mutations reach
//! directly. Seeds over [`MAX_SEED`] are left out: libFuzzer slows down badly
//! on inputs of several megabytes.
//!
//! `cargo run --manifest-path fuzz/Cargo.toml --bin corpus [DIR]` (default
//! `fuzz/corpus/xlsx_reader`).

#[allow(dead_code)]
#[path = "../../../tests/api/hostile/files.rs"]
mod files;

use anjian::enterprise::codes::CreditCode;
use rust_xlsxwriter::Workbook;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The largest seed written.
const MAX_SEED: usize = 2 << 20;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn code(serial: u32) -> Result<String> {
    Ok(CreditCode::from_body(&format!("91420103{serial:08}X"))?.as_str().to_owned())
}

/// One sheet of text cells.
fn book(rows: &[Vec<String>]) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in (0_u32..).zip(rows) {
        for (c, v) in (0_u16..).zip(row) {
            if let Ok(n) = v.parse::<f64>() {
                sheet.write_number(r, c, n)?;
            } else if !v.is_empty() {
                sheet.write_string(r, c, v)?;
            }
        }
    }
    Ok(book.save_to_buffer()?)
}

fn strings(row: &[&str]) -> Vec<String> {
    row.iter().map(|s| (*s).to_owned()).collect()
}

/// Real workbooks: the templates, the legacy `.xls` fixture and a few rows of each import.
fn valid(root: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let roster = anjian::enterprise::export::workbook(&[], &HashMap::<i64, _>::new())?;
    let ledger = anjian::hazard::import::columns::template(&["物的危险状态".to_owned()])?;
    let roster_header = strings(&["统一社会信用代码", "企业名称", "行业", "细分类别", "行政区划代码"]);
    let roster_rows = vec![
        roster_header,
        vec![code(1)?, "甲化工有限公司".into(), "危险化学品".into(), "生产".into(), "420103".into()],
        vec![code(1)?, "甲化工有限公司".into(), "烟花爆竹".into(), "批发".into(), "420103".into()],
        strings(&["91420103000000020", "", "工贸", "冶金", "4201"]),
    ];
    let ledger_header = strings(&[
        "统一社会信用代码",
        "隐患名称",
        "隐患描述",
        "隐患等级",
        "隐患来源",
        "隐患类别",
        "发现日期",
        "整改状态",
    ]);
    let ledger_rows = vec![
        ledger_header,
        [vec![code(1)?], strings(&["隐患", "描述", "一般", "自查", "物的危险状态", "2026-11-01", "整改中"])].concat(),
        [vec![code(2)?], strings(&["储罐泄漏", "", "重大", "检查", "", "2026/1/5", "已整改"])].concat(),
        strings(&["x", "", "", "较大", "举报", "其他", "46000", "未整改"]),
    ];
    let holiday_rows = vec![
        strings(&["日期", "类型", "名称"]),
        strings(&["2027-01-01", "休", "元旦"]),
        strings(&["2027/2/7", "班", "春节"]),
        strings(&["46388", "休", ""]),
        strings(&["2207-01-01", "放假", "x"]),
    ];
    let mut out = vec![
        ("roster-template.xlsx".to_owned(), roster),
        ("ledger-template.xlsx".to_owned(), ledger),
        ("holiday-template.xlsx".to_owned(), anjian::calendar::template::workbook()?),
        ("roster-rows.xlsx".to_owned(), book(&roster_rows)?),
        ("ledger-rows.xlsx".to_owned(), book(&ledger_rows)?),
        ("holiday-rows.xlsx".to_owned(), book(&holiday_rows)?),
    ];
    let more: Vec<_> = out
        .iter()
        .map(|(name, bytes)| Ok((name.replace(".xlsx", "-stored.xlsx"), files::uncompressed(bytes))))
        .collect::<Result<_>>()?;
    out.extend(more);
    out.push(("roster.xls".to_owned(), std::fs::read(root.join("tests/fixtures_src/roster.xls"))?));
    Ok(out)
}

/// The integration test's hostile constructs (`tests/api/hostile/mod.rs`,
/// `cases()`), at full size and at a hundredth of it.
fn hostile() -> Result<Vec<(String, Vec<u8>)>> {
    use files::{
        declared_unique_count, distinct_bad_rows, empty_shared_strings, identical_rows, one_huge_cell,
        one_string_many_times, ones_in_column_a,
    };
    let roster = anjian::enterprise::export::workbook(&[], &HashMap::<i64, _>::new())?;
    let ledger = anjian::hazard::import::columns::template(&["物的危险状态".to_owned()])?;
    let roster_headers = anjian::xlsx::read::read_first_sheet(&roster, &anjian::xlsx::read::Limits::ROSTER)?.headers;
    let roster_header: Vec<&str> = roster_headers.iter().map(String::as_str).collect();
    let rh = ["统一社会信用代码", "企业名称", "行业", "细分类别", "行政区划代码"];
    let rrow = [code(1)?, "甲化工有限公司".into(), "危险化学品".into(), "生产".into(), "420103".into()];
    let rrow: Vec<&str> = rrow.iter().map(String::as_str).collect();
    let lh = ["统一社会信用代码", "隐患名称", "隐患描述", "隐患等级", "隐患来源", "隐患类别", "发现日期", "整改状态"];
    let lrow = [
        code(1)?,
        "隐患".into(),
        "描述".into(),
        "一般".into(),
        "自查".into(),
        "物的危险状态".into(),
        "2026-11-01".into(),
        "整改中".into(),
    ];
    let lrow: Vec<&str> = lrow.iter().map(String::as_str).collect();
    let mut out = vec![
        ("count-1e14.xlsx".to_owned(), declared_unique_count(&roster, "100000000000000")),
        ("count-1e18.xlsx".to_owned(), declared_unique_count(&roster, "999999999999999999")),
        ("ledger-count-1e14.xlsx".to_owned(), declared_unique_count(&ledger, "100000000000000")),
    ];
    for scale in [1, 100] {
        let n = |count: u32| count / scale;
        let s = |name: &str| format!("{name}-{}.xlsx", if scale == 1 { "full" } else { "small" });
        out.extend([
            (s("identical-rows"), identical_rows(&rh, &rrow, n(6_000))),
            (s("ones-in-column-a"), ones_in_column_a(&roster_header, n(100_000))),
            (s("identical-ledger-rows"), identical_rows(&lh, &lrow, n(20_000))),
            (s("distinct-bad-rows-150k"), distinct_bad_rows(&rh, n(150_000))),
            (s("distinct-bad-rows-1m"), distinct_bad_rows(&rh, n(1_000_000))),
            (s("empty-shared-strings"), empty_shared_strings(&rh, u64::from(n(190_000_000)))),
            (s("one-huge-cell"), one_huge_cell(&rh, u64::from(n(500_000_000)))),
            (s("one-string-many-times"), one_string_many_times(&rh, 96_000, n(100_000))),
        ]);
    }
    Ok(out)
}

fn main() -> Result<()> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = fuzz.join("..");
    let dir = std::env::args().nth(1).map_or_else(|| fuzz.join("corpus/xlsx_reader"), PathBuf::from);
    std::fs::create_dir_all(&dir)?;
    let (mut written, mut skipped) = (0, Vec::new());
    for (name, bytes) in valid(&root)?.into_iter().chain(hostile()?) {
        if bytes.len() > MAX_SEED {
            skipped.push(format!("{name} ({} KiB)", bytes.len() >> 10));
            continue;
        }
        std::fs::write(dir.join(name), bytes)?;
        written += 1;
    }
    println!("{written} seeds in {}; over {} KiB, left out: {}", dir.display(), MAX_SEED >> 10, skipped.join(", "));
    Ok(())
}
