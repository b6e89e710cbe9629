//! The columns of `imports/insurance-policies.xlsx`, matched by header in any order
//! (a `*`, spaces or a bracketed hint such as `（元）` are ignored), and the committed
//! sample itself (`anjian gen insurance-template FILE`): the headers, two example
//! policies and a sheet of instructions.

use crate::enterprise::domain::CreditCode;
use crate::error::RowError;
use chrono::NaiveDate;
use rust_xlsxwriter::{DocProperties, Format, Workbook, XlsxError};

pub const CREDIT_CODE: &str = "统一社会信用代码";
pub const INSURER: &str = "保险机构";
pub const POLICY_NO: &str = "保单号";
pub const STARTS_ON: &str = "起保日期";
pub const ENDS_ON: &str = "终止日期";
pub const PREMIUM: &str = "保费";
pub const HEADCOUNT: &str = "参保人数";
pub const LIMIT: &str = "每人死亡伤残限额";

/// Every column, all required: (name, width, hint shown in the template's header).
pub const ALL: [(&str, u16, &str); 8] = [
    (CREDIT_CODE, 22, ""),
    (INSURER, 26, ""),
    (POLICY_NO, 22, ""),
    (STARTS_ON, 12, ""),
    (ENDS_ON, 12, ""),
    (PREMIUM, 12, "元"),
    (HEADCOUNT, 10, ""),
    (LIMIT, 16, "元"),
];

/// The column of a field of [`crate::insurance::json::CreateInsurancePolicy`].
pub fn column_of(field: &str) -> &'static str {
    match field {
        "insurer" => INSURER,
        "policy_no" => POLICY_NO,
        "starts_on" => STARTS_ON,
        "ends_on" => ENDS_ON,
        "premium_yuan" => PREMIUM,
        "insured_headcount" => HEADCOUNT,
        "death_disability_limit_yuan" => LIMIT,
        _ => CREDIT_CODE,
    }
}

/// A header as meant: no spaces, no `*`, nothing from a bracket on.
fn normalise(header: &str) -> String {
    let cut = header.find(['（', '(']).unwrap_or(header.len());
    header[..cut].chars().filter(|c| !c.is_whitespace() && *c != '*').collect()
}

pub fn row_error(row: u32, column: &str, code: &str, message: impl Into<String>) -> RowError {
    RowError { row, column: column.to_owned(), code: code.to_owned(), message: message.into() }
}

/// Where each column sits, and its header as written.
pub struct Columns {
    found: Vec<(&'static str, usize, String)>,
}

impl Columns {
    /// Finds the columns; every missing one is an error on row 1.
    pub fn find(headers: &[String]) -> Result<Self, Vec<RowError>> {
        let mut found = Vec::new();
        let mut missing = Vec::new();
        for (name, _, _) in ALL {
            match headers.iter().position(|h| normalise(h) == name) {
                Some(i) => found.push((name, i, headers[i].clone())),
                None => missing.push(row_error(1, name, "missing_column", format!("缺少必需的列“{name}”"))),
            }
        }
        if missing.is_empty() { Ok(Self { found }) } else { Err(missing) }
    }

    pub fn index(&self, name: &str) -> Option<usize> {
        self.found.iter().find(|f| f.0 == name).map(|f| f.1)
    }

    /// The header as the file wrote it (the canonical name when absent).
    pub fn header(&self, name: &str) -> String {
        self.found.iter().find(|f| f.0 == name).map_or_else(|| name.to_owned(), |f| f.2.clone())
    }
}

/// An example row: (credit code body, insurer, policy number, from, to, premium, headcount, limit).
type Example = (&'static str, &'static str, &'static str, &'static str, &'static str, f64, f64, f64);

const EXAMPLES: [Example; 2] = [
    (
        "91420103MA4K00001",
        "示例财产保险股份有限公司",
        "AZX2027420100000001",
        "2027-01-01",
        "2027-12-31",
        18_000.0,
        60.0,
        500_000.0,
    ),
    (
        "91420103MA4K00002",
        "示例财产保险股份有限公司",
        "AZX2027420100000002",
        "2027-03-01",
        "2028-02-29",
        9_600.0,
        32.0,
        400_000.0,
    ),
];

fn write_header(sheet: &mut rust_xlsxwriter::Worksheet) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    for (c, (name, width, hint)) in (0_u16..).zip(ALL) {
        let header = if hint.is_empty() { format!("{name}*") } else { format!("{name}*（{hint}）") };
        sheet.write_string_with_format(0, c, &header, &bold)?;
        sheet.set_column_width(c, width)?;
    }
    // Codes and policy numbers stay text, so Excel cannot cut a long digit string.
    for c in [0, 2] {
        sheet.set_column_format(c, &text)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The sample workbook: the same bytes on every run.
pub fn template() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let created = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default();
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = book.add_worksheet().set_name("安责险保单")?;
    write_header(sheet)?;
    for (r, (body, insurer, no, from, to, premium, headcount, limit)) in (1_u32..).zip(EXAMPLES) {
        let code = CreditCode::from_body(body).map(|c| c.as_str().to_owned()).unwrap_or_default();
        sheet.write_string(r, 0, &code)?;
        sheet.write_string(r, 1, insurer)?;
        sheet.write_string(r, 2, no)?;
        for (c, d) in [(3, from), (4, to)] {
            let day = NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap_or_default();
            sheet.write_datetime_with_format(r, c, day, &date)?;
        }
        for (c, n) in [(5, premium), (6, headcount), (7, limit)] {
            sheet.write_number(r, c, n)?;
        }
    }
    let notes = book.add_worksheet().set_name("填写说明")?;
    let lines = [
        "每行一份安全生产责任保险保单，各列均为必填；列的顺序可以调整，按表头识别。整个文件检查通过后才会一次性导入，有任何错误都不写入，所有错误一次列出。",
        "统一社会信用代码：投保企业的 18 位代码，企业须已在企业名录中（监管人员：须在本辖区内）。请将该列设为“文本”格式，以免 Excel 截断。",
        "保险机构：已登记的保险机构名称或其统一社会信用代码；保险机构用户只能导入本机构承保的保单。",
        "起保日期、终止日期：2027-01-01、2027/1/1 或 Excel 日期；保险期间不超过三年。",
        "保费、每人死亡伤残限额：整数，单位元；参保人数：整数。",
        "同一保险机构的保单号在文件中重复，或已登记为内容不同的保单，会报错；与已登记保单完全相同的行会跳过，因此同一文件可以放心重复导入。",
        "本表前两行为示例，导入前请替换为实际保单。",
    ];
    for (row, line) in (0_u32..).zip(lines) {
        notes.write_string(row, 0, line)?;
    }
    notes.set_column_width(0, 120)?;
    book.save_to_buffer()
}
