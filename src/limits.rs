//! Length limits on free text and lists, in one place: the numbers, the one
//! check every request type and import calls, and the clamp that keeps older,
//! longer rows exportable. Lengths count characters (`chars()`), not bytes.

use crate::error::FieldErrors;
use std::borrow::Cow;

/// Names and titles: enterprise, bureau, hazard, assigning body, licence issuer.
pub const NAME: usize = 200;
/// Addresses and locations (生产经营地址, 隐患部位).
pub const ADDRESS: usize = 500;
/// Descriptions, notes, plans, analyses and reasons.
pub const TEXT: usize = 5_000;
/// Short codes and references, phone numbers, person names, rewards.
pub const SHORT: usize = 100;
/// Usernames (letters, digits and `_ . - @`).
pub const USERNAME: usize = 64;
/// E-mail addresses (the longest path SMTP allows).
pub const EMAIL: usize = 254;
/// Passwords, as the password policy has it.
pub const PASSWORD: usize = crate::auth::password::MAX_LEN;
/// 统一社会信用代码: exactly 18 characters (checked by `CreditCode::parse`).
pub const CREDIT_CODE: usize = 18;
/// 行政区划代码: exactly 6 digits (checked by `RegionCode::parse`).
pub const REGION_CODE: usize = 6;
/// A park bureau's own code (4–32 letters, digits or `-`).
pub const PARK_CODE: usize = 32;
/// A statistics period: `2026Q3` or `2026`.
pub const PERIOD: usize = 6;
/// Items in one list of a request: photos (`attachment_ids`, `after_attachment_ids`),
/// sub-types, topics, roles.
pub const LIST: usize = 20;
/// Records named in one bulk request (a bulletin's hazards, enterprises to onboard).
pub const IDS: usize = 1_000;
/// Excel's limit on one cell, in UTF-16 code units.
pub const EXCEL_CELL: usize = 32_767;
/// Characters of a value quoted in a message about it.
pub const PREVIEW: usize = 20;

/// What is wrong with a free-text value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    /// More than `max` characters (`len` of them).
    TooLong { max: usize, len: usize },
    /// A control character other than tab, line feed or carriage return.
    Control,
}

impl TextProblem {
    /// The machine code of an import row error: `too_long` or `invalid_value`.
    pub fn code(self) -> &'static str {
        match self {
            Self::TooLong { .. } => "too_long",
            Self::Control => "invalid_value",
        }
    }

    /// The message for a person, after the field's label (which may be empty).
    pub fn message(self, label: &str) -> String {
        match self {
            Self::TooLong { max, len } => format!("{label}不超过 {max} 字（现为 {len} 字）"),
            Self::Control => format!("{label}含有不可见的控制字符，请删除后重新填写"),
        }
    }
}

impl TextProblem {
    /// The message of an import row error about `value` (the column is named
    /// beside it): the limit, and at most the value's first [`PREVIEW`] characters.
    pub fn cell_message(self, value: &str) -> String {
        match self {
            Self::TooLong { max, len } => format!("不超过 {max} 字（现为 {len} 字：“{}”）", preview(value)),
            Self::Control => format!("含有不可见的控制字符（“{}”），请删除后重新导入", preview(value)),
        }
    }
}

/// The problem of a free-text value, if any. The value is counted as given
/// (surrounding spaces too: not every field is trimmed before it is stored);
/// line breaks and tabs are allowed.
pub fn problem(value: &str, max: usize) -> Option<TextProblem> {
    // Cheap for the common case: stop counting one past the limit.
    if value.chars().nth(max).is_some() {
        return Some(TextProblem::TooLong { max, len: value.chars().count() });
    }
    value.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')).then_some(TextProblem::Control)
}

/// Checks a free-text value (absent: nothing to check) and records a Chinese
/// message naming `label` under `field`.
pub fn check(fields: &mut FieldErrors, field: &str, label: &str, value: Option<&str>, max: usize) {
    if let Some(p) = value.and_then(|v| problem(v, max)) {
        fields.entry(field.to_owned()).or_default().push(p.message(label));
    }
}

/// Checks the number of items of a list.
pub fn check_list<T>(fields: &mut FieldErrors, field: &str, label: &str, items: &[T], max: usize) {
    if items.len() > max {
        let message = format!("{label}最多 {max} 项（现为 {} 项）", items.len());
        fields.entry(field.to_owned()).or_default().push(message);
    }
}

/// A value as quoted in a message: its first [`PREVIEW`] characters, then `…` if there is more.
pub fn preview(value: &str) -> String {
    let value = value.trim();
    let mut out: String = value.chars().take(PREVIEW).collect();
    if value.chars().nth(PREVIEW).is_some() {
        out.push('…');
    }
    out
}

/// Text for one spreadsheet cell: cut to Excel's limit and ended with `…`
/// when longer (rows stored before the limits existed still export).
pub fn cell(value: &str) -> Cow<'_, str> {
    // Every UTF-16 code unit takes at least one byte of UTF-8.
    if value.len() <= EXCEL_CELL || value.encode_utf16().count() <= EXCEL_CELL {
        return Cow::Borrowed(value);
    }
    let (mut units, mut end) = (0, 0);
    for (i, c) in value.char_indices() {
        units += c.len_utf16();
        if units > EXCEL_CELL - 1 {
            break;
        }
        end = i + c.len_utf8();
    }
    Cow::Owned(format!("{}…", &value[..end]))
}

/// Cuts a generated text to `max` characters, ending with `…` when cut.
pub fn clamp(value: &str, max: usize) -> Cow<'_, str> {
    if value.chars().nth(max).is_none() {
        return Cow::Borrowed(value);
    }
    let mut out: String = value.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert_eq!(problem(&"路".repeat(500), ADDRESS), None);
        assert_eq!(problem(&"路".repeat(501), ADDRESS), Some(TextProblem::TooLong { max: 500, len: 501 }));
        assert_eq!(problem(&format!("{}\n", "a".repeat(499)), ADDRESS), None);
        assert!(problem(&format!("a{}", " ".repeat(500)), ADDRESS).is_some());
    }

    #[test]
    fn line_breaks_and_tabs_pass_but_other_control_characters_do_not() {
        assert_eq!(problem("第一行\r\n第二行\t完", TEXT), None);
        assert_eq!(problem("响铃\u{7}", TEXT), Some(TextProblem::Control));
        assert_eq!(problem("空\u{0}字符", TEXT), Some(TextProblem::Control));
    }

    #[test]
    fn a_check_records_every_message_under_its_field() {
        let mut fields = FieldErrors::new();
        check(&mut fields, "address", "生产经营地址", Some(&"x".repeat(501)), ADDRESS);
        check(&mut fields, "phone", "联系电话", None, SHORT);
        check_list(&mut fields, "attachment_ids", "照片", &[0; 21], LIST);
        assert_eq!(fields["address"], ["生产经营地址不超过 500 字（现为 501 字）"]);
        assert_eq!(fields["attachment_ids"], ["照片最多 20 项（现为 21 项）"]);
        assert!(!fields.contains_key("phone"));
    }

    #[test]
    fn an_import_message_names_the_limit_without_the_whole_value() {
        let value = "湖".repeat(40_000);
        let message = problem(&value, ADDRESS).map(|p| p.cell_message(&value)).unwrap_or_default();
        assert_eq!(message, format!("不超过 500 字（现为 40000 字：“{}…”）", "湖".repeat(20)));
    }

    #[test]
    fn a_preview_shows_twenty_characters_at_most() {
        assert_eq!(preview("短"), "短");
        assert_eq!(preview(&"长".repeat(40_000)), format!("{}…", "长".repeat(20)));
    }

    #[test]
    fn cells_are_cut_to_excels_limit_in_utf16_units() {
        assert!(matches!(cell("短文本"), Cow::Borrowed(_)));
        let exact = "路".repeat(EXCEL_CELL);
        assert!(matches!(cell(&exact), Cow::Borrowed(_)));
        let long = cell(&"路".repeat(40_000)).into_owned();
        assert_eq!(long.chars().count(), EXCEL_CELL);
        assert!(long.ends_with("路…"));
        // Characters outside the BMP take two units each.
        let emoji = cell(&"😀".repeat(20_000)).into_owned();
        assert!(emoji.encode_utf16().count() <= EXCEL_CELL);
        assert!(emoji.ends_with("😀…"));
    }

    #[test]
    fn clamp_keeps_short_text_and_marks_a_cut() {
        assert_eq!(clamp("甲公司", NAME), "甲公司");
        let cut = clamp(&"甲".repeat(300), NAME).into_owned();
        assert_eq!(cut.chars().count(), NAME);
        assert!(cut.ends_with('…'));
    }
}
