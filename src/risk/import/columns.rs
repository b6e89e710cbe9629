//! The columns of `imports/risk-points.xlsx`, matched by header in any order (a `*`,
//! spaces or a bracketed hint are ignored), and the committed sample itself
//! (`anjian gen risk-template FILE`): the headers, drop-downs for the coded columns,
//! three example points and a sheet of instructions.

use crate::error::RowError;
use crate::risk::domain::{Method, OwningLevel};
use chrono::NaiveDate;
use rust_xlsxwriter::{DataValidation, DocProperties, Format, Workbook, XlsxError};

pub const NAME: &str = "风险点名称";
pub const LOCATION: &str = "位置";
pub const FACTORS: &str = "危险有害因素";
pub const METHOD: &str = "评价方法";
pub const L: &str = "L";
pub const E: &str = "E";
pub const C: &str = "C";
pub const S: &str = "S";
pub const CONTROL: &str = "管控措施";
pub const EMERGENCY: &str = "应急处置措施";
pub const OWNING: &str = "管控层级";
pub const RESPONSIBLE: &str = "责任人";
pub const GRADE: &str = "重大危险源等级";
pub const PEOPLE: &str = "同时作业人数";
pub const FATAL: &str = "发生过死亡事故且条件未改变";
pub const REVIEW: &str = "复核日期";

/// Every column: (header, required, width, hint shown in the template's header).
pub const ALL: [(&str, bool, u16, &str); 16] = [
    (NAME, true, 18, ""),
    (LOCATION, true, 16, ""),
    (FACTORS, true, 28, ""),
    (METHOD, true, 10, "LEC 或 LS"),
    (L, true, 8, ""),
    (E, false, 8, "LEC"),
    (C, false, 8, "LEC"),
    (S, false, 8, "LS"),
    (CONTROL, false, 30, ""),
    (EMERGENCY, false, 30, ""),
    (OWNING, true, 10, ""),
    (RESPONSIBLE, true, 10, ""),
    (GRADE, false, 10, "1–4"),
    (PEOPLE, false, 12, "有毒有害、易燃易爆场所"),
    (FATAL, false, 12, "是/否"),
    (REVIEW, false, 12, ""),
];

/// A header as meant: no spaces, no `*`, nothing from a bracket on.
fn normalise(header: &str) -> String {
    let cut = header.find(['（', '(']).unwrap_or(header.len());
    header[..cut].chars().filter(|c| !c.is_whitespace() && *c != '*').collect::<String>().to_uppercase()
}

pub fn row_error(row: u32, column: &str, code: &str, message: impl Into<String>) -> RowError {
    RowError { row, column: column.to_owned(), code: code.to_owned(), message: message.into() }
}

/// Where each column sits, and its header as written.
pub struct Columns {
    found: Vec<(&'static str, usize, String)>,
}

impl Columns {
    /// Finds the columns; every missing required one is an error on row 1.
    pub fn find(headers: &[String]) -> Result<Self, Vec<RowError>> {
        let mut found = Vec::new();
        let mut missing = Vec::new();
        for (name, required, _, _) in ALL {
            match headers.iter().position(|h| normalise(h) == name) {
                Some(i) => found.push((name, i, headers[i].clone())),
                None if required => missing.push(row_error(1, name, "missing_column", format!("缺少必需的列“{name}”"))),
                None => {}
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

/// Three example points: a red LEC one, a yellow LEC one, a blue LS one.
const EXAMPLES: [[&str; 16]; 3] = [
    [
        "储罐区",
        "东厂区 1 号罐组",
        "易燃液体泄漏、火灾爆炸",
        "LEC",
        "6",
        "6",
        "15",
        "",
        "可燃气体报警、每班巡检、动火作业审批",
        "切断物料、启动喷淋、疏散人员、报告 119",
        "公司级",
        "王工",
        "",
        "",
        "否",
        "",
    ],
    [
        "装卸站",
        "东厂区装卸平台",
        "车辆伤害、静电引燃",
        "LEC",
        "3",
        "6",
        "7",
        "",
        "静电接地、限速、专人监护",
        "停止装卸、关闭阀门、使用灭火器",
        "车间级",
        "李主任",
        "",
        "",
        "否",
        "",
    ],
    [
        "叉车作业",
        "成品仓库",
        "车辆伤害",
        "LS",
        "1",
        "",
        "",
        "3",
        "持证上岗、限速 5 km/h",
        "停车、救护伤员、报告 120",
        "岗位级",
        "赵班长",
        "",
        "",
        "否",
        "",
    ],
];

/// The sample workbook: the same bytes on every run.
pub fn template() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let created = NaiveDate::from_ymd_opt(2026, 12, 13).unwrap_or_default();
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name("风险点")?;
    for (c, (name, required, width, hint)) in (0_u16..).zip(ALL) {
        let mut header = if required { format!("{name}*") } else { name.to_owned() };
        if !hint.is_empty() {
            header = format!("{header}（{hint}）");
        }
        sheet.write_string_with_format(0, c, &header, &bold)?;
        sheet.set_column_width(c, width)?;
    }
    for (r, row) in (1_u32..).zip(EXAMPLES) {
        for (c, v) in (0_u16..).zip(row) {
            match v.parse::<f64>() {
                Ok(n) => sheet.write_number(r, c, n)?,
                Err(_) if !v.is_empty() => sheet.write_string(r, c, v)?,
                Err(_) => sheet,
            };
        }
    }
    let methods: Vec<&str> = Method::ALL.iter().map(|m| if *m == Method::Lec { "LEC" } else { "LS" }).collect();
    let owning: Vec<&str> = OwningLevel::ALL.iter().map(|o| o.zh()).collect();
    for (name, values) in [(METHOD, methods), (OWNING, owning), (FATAL, vec!["是", "否"])] {
        let Some(c) = ALL.iter().position(|a| a.0 == name).and_then(|i| u16::try_from(i).ok()) else { continue };
        let v = DataValidation::new().allow_list_strings(&values)?.ignore_blank(true);
        sheet.add_data_validation(1, c, super::LIMITS.max_rows, c, &v)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let notes = book.add_worksheet().set_name("填写说明")?;
    let lines = [
        "每行一个风险点。带 * 的列必填；列的顺序可以调整，按表头识别。整个文件检查通过后才会一次性导入，有任何错误都不写入，所有错误一次列出。",
        "评价方法：LEC（D = L × E × C，L、E、C 须为评价表中的取值）或 LS（R = L × S，L、S 为 1 到 5 的整数）。",
        "管控层级：公司级、车间级、班组级、岗位级。",
        "重大危险源等级（1–4）、有毒有害或易燃易爆场所同时作业人数、发生过死亡事故且条件未改变：如有请填写，满足条件的直接判定为重大风险。",
        "复核日期：2027-12-01 等格式；不填为导入之日起一年。",
        "同一风险点名称和位置在文件中重复的会报错；本企业已登记的会跳过，因此同一文件可以放心重复导入。",
        "本表前三行为示例，导入前请替换为本企业的风险点。",
    ];
    for (row, line) in (0_u32..).zip(lines) {
        notes.write_string(row, 0, line)?;
    }
    notes.set_column_width(0, 110)?;
    book.save_to_buffer()
}
