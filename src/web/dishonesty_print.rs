//! The printable documents of a listing (`/dishonesty-list/{id}/documents/{kind}`):
//! the notice (事先告知书, `notice`), the decision (列入决定书, `decision`) and the
//! early-removal decision (移出决定书, `removal`) as A4 pages with the issuing bureau,
//! the title of `data/dishonesty-situations.toml`, the number as stored, the party
//! (identity number masked), the situation with its article (未核实 marked), the basis,
//! the dates and the period.
//!
//! Decisions:
//! - Who may read the listing may print its documents (the enterprise its own, after
//!   the notice); a document not yet issued is 404.
//! - The removal decision prints the conditions as checked when it was decided (the
//!   stored JSON), not as they stand today.

use super::page::{PagePath, PageResult, PageUser, render};
use crate::dishonesty::json::{DishonestyCondition, DishonestyListingResponse};
use crate::dishonesty::{rules, steps, view};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;

#[derive(Template)]
#[template(path = "dishonesty_print.html")]
struct PrintPage {
    listing_id: i64,
    kind: &'static str,
    bureau: String,
    title: String,
    number: String,
    to: String,
    intro: String,
    rows: Vec<(String, String)>,
    closing: String,
    issued_on: String,
}

fn day(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%Y年%-m月%-d日").to_string()).unwrap_or_default()
}

/// The party in one line: name, kind, the masked identity number or the credit code.
fn party(l: &DishonestyListingResponse) -> String {
    let mut parts = vec![l.subject_kind.zh().to_owned()];
    parts.extend(l.id_number.as_ref().map(|n| format!("身份证件号码 {n}")));
    parts.extend(l.credit_code.as_ref().map(|c| format!("统一社会信用代码 {c}")));
    format!("{}（{}）", l.subject_name, parts.join("，"))
}

fn situation(l: &DishonestyListingResponse) -> String {
    let mark = if l.situation_verified { "" } else { "（未核实，须人工核对官方文本）" };
    format!("{}{mark}", l.situation_text)
}

/// A document's text: the opening, the rows of its table, the closing line.
type Text = (String, Vec<(String, String)>, String);

fn row(k: &str, v: impl Into<String>) -> (String, String) {
    (k.to_owned(), v.into())
}

/// The notice: the facts, the intended listing and the right to a statement.
fn notice(l: &DishonestyListingResponse, years: u32) -> Text {
    let intro = format!(
        "经查，你（单位）存在下列情形。依据{}，本机关拟将你（单位）列入安全生产严重失信主体名单。",
        "《安全生产严重失信主体名单管理办法》"
    );
    let rows = vec![
        row("当事人", party(l)),
        row("列入情形", situation(l)),
        row("事实和依据", l.basis_text.clone()),
        row("拟列入期限", format!("自列入决定之日起{years}年")),
        row(
            "陈述申辩",
            format!("你（单位）有权在{}前向本机关提出陈述、申辩；逾期未提出的，视为放弃。", day(l.statement_until)),
        ),
    ];
    (intro, rows, "特此告知。".to_owned())
}

/// The decision: the notice, the statement and the listing period.
fn decision(l: &DishonestyListingResponse, months: u32) -> Text {
    let intro = format!(
        "本机关于{}以{}告知你（单位）拟列入安全生产严重失信主体名单。经审查，决定将你（单位）列入安全生产严重失信主体名单。",
        day(l.notified_on),
        l.notice_number.clone().unwrap_or_default()
    );
    let rows = vec![
        row("当事人", party(l)),
        row("列入情形", situation(l)),
        row("事实和依据", l.basis_text.clone()),
        row("陈述申辩", l.statement.clone().unwrap_or_else(|| "当事人在期限内未提出陈述、申辩".to_owned())),
        row("列入期限", format!("{}至{}", day(l.listed_on), day(l.until))),
        row(
            "提前移出",
            format!(
                "列入满{months}个月（{}起），已履行行政处罚决定、纠正违法行为并作出信用承诺的，可以向本机关申请提前移出。",
                day(l.removal_from)
            ),
        ),
    ];
    (intro, rows, "如不服本决定，可以依法申请行政复议或者提起行政诉讼。".to_owned())
}

/// The early-removal decision, with the conditions as checked at the decision.
fn removal(l: &DishonestyListingResponse, checked: &[DishonestyCondition]) -> Text {
    let intro = format!(
        "你（单位）于{}申请提前移出安全生产严重失信主体名单。经审核，符合提前移出的条件，决定自{}起将你（单位）移出安全生产严重失信主体名单。",
        day(l.removal_applied_on),
        day(l.removed_on)
    );
    let conditions = checked
        .iter()
        .map(|c| format!("{} {}（{}）", if c.met { "✓" } else { "✗" }, c.label, c.detail))
        .collect::<Vec<_>>()
        .join("\n");
    let rows = vec![
        row("当事人", party(l)),
        row(
            "原列入决定",
            format!(
                "{}（列入期限{}至{}）",
                l.decision_number.clone().unwrap_or_default(),
                day(l.listed_on),
                day(l.until)
            ),
        ),
        row("信用承诺", l.commitment.clone().unwrap_or_default()),
        row("移出条件", conditions),
        row("移出日期", day(l.removed_on)),
    ];
    (intro, rows, "提供虚假材料取得提前移出的，本机关将撤销移出决定，恢复列入。".to_owned())
}

/// Parts of the document `kind` of the listing, with its title, number and date; 404 before it is issued.
fn parts(
    kind: &str,
    l: &DishonestyListingResponse,
    checked: &[DishonestyCondition],
) -> AppResult<(&'static str, String, String, String, Text)> {
    let r = rules::rules()?;
    let d = &r.documents;
    let found = match kind {
        "notice" => l
            .notice_number
            .clone()
            .map(|n| ("notice", d.notice.title.clone(), n, day(l.notified_on), notice(l, r.duration.years))),
        "decision" => l.decision_number.clone().map(|n| {
            ("decision", d.decision.title.clone(), n, day(l.decided_on), decision(l, r.duration.early_removal_months))
        }),
        "removal" => l
            .removal_number
            .clone()
            .map(|n| ("removal", d.removal.title.clone(), n, day(l.removed_on), removal(l, checked))),
        _ => None,
    };
    found.ok_or(AppError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath((id, kind)): PagePath<(i64, String)>,
) -> PageResult {
    let db = state.db.conn();
    let m = steps::visible(db, &user, id).await?;
    let checked: Vec<DishonestyCondition> =
        m.removal_conditions.as_deref().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default();
    let l = view::response(db, &user, m).await?;
    let (kind, title, number, issued_on, (intro, rows, closing)) = parts(&kind, &l, &checked)?;
    render(&PrintPage {
        listing_id: id,
        kind,
        to: l.subject_name.clone(),
        bureau: l.bureau.clone(),
        title,
        number,
        intro,
        rows,
        closing,
        issued_on,
    })
}
