//! Which cell formats show dates: `styles.xml` is read only for its number
//! formats (`<numFmts>`) and the format of each cell style (`<cellXfs>`), so a
//! number in a date-formatted cell becomes a date. Fonts, fills and borders
//! are never read.

use super::xml::{Xml, attr, is};
use crate::xlsx::read::ReadError;
use quick_xml::events::Event;
use std::collections::HashMap;
use std::io::Read;

/// Excel allows about 64,000 cell formats per workbook.
const MAX_STYLES: usize = 100_000;

/// What a number format makes of a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    #[default]
    Number,
    /// A date, a time or both (`yyyy-mm-dd`, `h:mm`).
    Date,
    /// Elapsed time (`[h]:mm:ss`).
    Duration,
}

/// The kind of a built-in format id (ECMA-376 §18.8.30; 27–36 and 50–58 are the
/// East Asian locales' date formats, which Chinese Excel uses).
pub fn builtin(id: u32) -> Kind {
    match id {
        14..=22 | 27..=36 | 45 | 47 | 50..=58 => Kind::Date,
        46 => Kind::Duration,
        _ => Kind::Number,
    }
}

/// The kind of a format code: looks at the first section only, outside quoted
/// text, escaped characters and brackets (colours, locales); `[h]`, `[m]` and
/// `[s]` make a duration; a date or time letter (y m d h s) or AM/PM a date.
pub fn classify(code: &str) -> Kind {
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ';' => return Kind::Number,
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                let inner = chars.by_ref().take_while(|b| *b != ']').collect::<String>().to_ascii_lowercase();
                let mut letters = inner.chars();
                if let Some(first @ ('h' | 'm' | 's')) = letters.next()
                    && letters.all(|b| b == first)
                {
                    return Kind::Duration;
                }
            }
            'y' | 'Y' | 'm' | 'M' | 'd' | 'D' | 'h' | 'H' | 's' | 'S' => return Kind::Date,
            'a' | 'A' if code.to_ascii_uppercase().contains("AM/PM") || code.to_ascii_uppercase().contains("A/P") => {
                return Kind::Date;
            }
            _ => {}
        }
    }
    Kind::Number
}

/// The kind of each cell style, by index (`s` on a cell).
pub fn read_styles<R: Read>(xml: &mut Xml<R>) -> Result<Vec<Kind>, ReadError> {
    let mut codes: HashMap<u32, Kind> = HashMap::new();
    let mut kinds = Vec::new();
    loop {
        match xml.next()? {
            Event::Start(e) if is(&e, "numFmts") => loop {
                match xml.next()? {
                    Event::Start(f) if is(&f, "numFmt") => {
                        let id = attr(&f, "numFmtId").and_then(|v| v.trim().parse::<u32>().ok());
                        if let (Some(id), Some(code)) = (id, attr(&f, "formatCode")) {
                            if codes.len() >= MAX_STYLES {
                                return Err(too_many());
                            }
                            codes.insert(id, classify(&code));
                        }
                        xml.skip()?;
                    }
                    Event::End(f) if f.local_name().as_ref() == "numFmts" => break,
                    Event::Eof => return Ok(kinds),
                    _ => {}
                }
            },
            Event::Start(e) if is(&e, "cellXfs") => loop {
                match xml.next()? {
                    Event::Start(x) if is(&x, "xf") => {
                        if kinds.len() >= MAX_STYLES {
                            return Err(too_many());
                        }
                        let id = attr(&x, "numFmtId").and_then(|v| v.trim().parse::<u32>().ok()).unwrap_or(0);
                        kinds.push(codes.get(&id).copied().unwrap_or_else(|| builtin(id)));
                        xml.skip()?;
                    }
                    Event::End(x) if x.local_name().as_ref() == "cellXfs" => break,
                    Event::Eof => return Ok(kinds),
                    _ => {}
                }
            },
            Event::Eof => return Ok(kinds),
            _ => {}
        }
    }
}

fn too_many() -> ReadError {
    ReadError::TooLarge(format!("单元格样式数量超过上限 {MAX_STYLES} 个"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn format_codes_are_classified() {
        for code in ["yyyy-mm-dd", "yyyy\"年\"m\"月\"d\"日\"", "[$-804]yyyy/m/d", "h:mm AM/PM", "mm:ss", "d-mmm"] {
            assert_eq!(classify(code), Kind::Date, "{code}");
        }
        for code in ["[h]:mm:ss", "[mm]:ss", "[ss]"] {
            assert_eq!(classify(code), Kind::Duration, "{code}");
        }
        for code in ["General", "0.00", "#,##0\" 元\"", "0.00E+00", "@", "[Red]0.0", "\"yes\"", "0_s", ";yyyy"] {
            assert_eq!(classify(code), Kind::Number, "{code}");
        }
    }

    #[test]
    fn cell_styles_take_custom_then_builtin_formats() {
        let xml = concat!(
            r#"<styleSheet><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/>"#,
            r#"<numFmt numFmtId="165" formatCode="0.0"/></numFmts>"#,
            r#"<fonts><font><name val="宋体"/></font></fonts>"#,
            r#"<cellStyleXfs><xf numFmtId="14"/></cellStyleXfs>"#,
            r#"<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164"><alignment/></xf><xf numFmtId="165"/><xf numFmtId="14"/><xf numFmtId="46"/></cellXfs>"#,
            "</styleSheet>"
        );
        let kinds = read_styles(&mut Xml::new(xml.as_bytes(), "styles.xml")).unwrap();
        assert_eq!(kinds, [Kind::Number, Kind::Date, Kind::Number, Kind::Date, Kind::Duration]);
    }

    #[test]
    fn too_many_styles_are_refused() {
        let xml = format!("<styleSheet><cellXfs>{}</cellXfs></styleSheet>", "<xf/>".repeat(MAX_STYLES + 1));
        assert!(matches!(read_styles(&mut Xml::new(xml.as_bytes(), "styles.xml")), Err(ReadError::TooLarge(_))));
    }
}
