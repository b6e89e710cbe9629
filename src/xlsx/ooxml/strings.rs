//! Text in a workbook: the shared string table (`sharedStrings.xml`) and the
//! rich-text shape it shares with inline strings (`<is>`): runs of `<t>` whose
//! texts are joined, phonetic guides (`<rPh>`) left out, and Excel's `_xHHHH_`
//! escapes for control characters decoded.

use super::xml::{MAX_TEXT, Xml, attr, is, too_long};
use crate::xlsx::budget::Budget;
use crate::xlsx::read::ReadError;
use quick_xml::events::Event;
use std::io::Read;

/// The shared strings, kept in one buffer: a table of 190 million empty strings
/// costs 4 bytes each here (and is charged 8, for the growth of the table).
#[derive(Debug, Default)]
pub struct SharedStrings {
    text: String,
    ends: Vec<u32>,
}

impl SharedStrings {
    pub fn get(&self, index: usize) -> Option<&str> {
        let end = usize::try_from(*self.ends.get(index)?).ok()?;
        let start = match index.checked_sub(1) {
            Some(i) => usize::try_from(*self.ends.get(i)?).ok()?,
            None => 0,
        };
        self.text.get(start..end)
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.ends.len()
    }
}

/// Reads `sharedStrings.xml`. `declared` is the part's declared inflated size,
/// an upper bound of the text it can hold (decoding never lengthens text).
pub fn read_shared<R: Read>(xml: &mut Xml<R>, declared: u64, budget: &mut Budget) -> Result<SharedStrings, ReadError> {
    let mut table = SharedStrings::default();
    if let Ok(n) = usize::try_from(declared)
        && budget.fits(n)
    {
        // Untouched capacity is not resident; it only spares the copies of growth.
        let _ = table.text.try_reserve_exact(n);
    }
    loop {
        match xml.next()? {
            Event::Start(e) if is(&e, "si") => {
                let s = rich_text(xml)?;
                budget.charge(s.len() + 8, "共享字符串")?;
                table.text.push_str(&s);
                let end = u32::try_from(table.text.len()).map_err(|_| xml.malformed("共享字符串过多"))?;
                table.ends.push(end);
            }
            Event::Eof => return Ok(table),
            _ => {}
        }
    }
}

/// The text of the `<si>` or `<is>` element just started, up to its end.
pub fn rich_text<R: Read>(xml: &mut Xml<R>) -> Result<String, ReadError> {
    let mut out = String::new();
    let mut depth = 0usize;
    loop {
        match xml.next()? {
            Event::Start(e) if is(&e, "t") => {
                let preserve = attr(&e, "space").is_some_and(|v| v == "preserve");
                let t = xml.text()?;
                out.push_str(if preserve { &t } else { t.trim_matches([' ', '\t', '\r', '\n']) });
                if out.len() > MAX_TEXT {
                    return Err(too_long());
                }
            }
            Event::Start(e) if is(&e, "rPh") => xml.skip()?,
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Ok(unescape_x(out)),
            Event::End(_) => depth -= 1,
            Event::Eof => return Err(xml.malformed("字符串没有结束")),
            _ => {}
        }
    }
}

/// Decodes `_xHHHH_` (how Excel writes control characters and a literal `_x`).
pub fn unescape_x(s: String) -> String {
    if !s.contains("_x") {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(at) = rest.find("_x") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let code = tail.get(2..6).filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
        let decoded = code
            .filter(|_| tail.as_bytes().get(6) == Some(&b'_'))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        if let Some(c) = decoded {
            out.push(c);
            rest = &tail[7..];
        } else {
            out.push_str("_x");
            rest = &tail[2..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn table(xml: &str) -> Result<SharedStrings, ReadError> {
        let mut x = Xml::new(xml.as_bytes(), "sharedStrings.xml");
        read_shared(&mut x, xml.len() as u64, &mut Budget::new(1 << 20))
    }

    #[test]
    fn plain_rich_and_phonetic_strings() {
        let t = table(concat!(
            r#"<?xml version="1.0"?><sst xmlns="x" count="9" uniqueCount="4">"#,
            r#"<si><t>甲&amp;乙</t></si>"#,
            r#"<si><r><rPr><b/></rPr><t>危险</t></r><r><t xml:space="preserve"> 化学品 </t></r><rPh sb="0" eb="2"><t>きけん</t></rPh></si>"#,
            r#"<si/>"#,
            r#"<si><t>  行_x000D_尾_x005F_x  </t></si>"#,
            "</sst>"
        ))
        .unwrap();
        assert_eq!(t.len(), 4);
        assert_eq!(t.get(0), Some("甲&乙"));
        assert_eq!(t.get(1), Some("危险 化学品 "));
        assert_eq!(t.get(2), Some(""));
        assert_eq!(t.get(3), Some("行\r尾_x"));
        assert_eq!(t.get(4), None);
    }

    #[test]
    fn declared_counts_are_not_used_and_the_table_is_budgeted() {
        let many = "<si/>".repeat(200_000);
        let xml = format!(r#"<sst uniqueCount="100000000000000" count="999999999999999999">{many}</sst>"#);
        let err = table(&xml).unwrap_err();
        assert!(matches!(&err, ReadError::TooLarge(m) if m.contains("共享字符串")), "{err:?}");
        let few = format!(r#"<sst uniqueCount="100000000000000">{}</sst>"#, "<si><t>a</t></si>".repeat(10));
        assert_eq!(table(&few).unwrap().len(), 10);
    }

    #[test]
    fn over_long_strings_and_unknown_entities_are_refused() {
        let long = format!("<sst><si><t>{}</t></si></sst>", "&amp;".repeat(MAX_TEXT + 1));
        assert!(matches!(table(&long), Err(ReadError::TooLarge(_))));
        assert!(matches!(table("<sst><si><t>&bogus;</t></si></sst>"), Err(ReadError::Malformed(_))));
        assert!(matches!(table("<sst><si><t>open"), Err(ReadError::Malformed(_))));
    }
}
