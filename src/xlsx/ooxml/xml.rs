//! Reading one XML part of a workbook: quick-xml over the inflated entry, with
//! the [`Guard`] bounding every token in between, and the few helpers the parts
//! share (attributes by local name, text with entities, skipping an element).

use crate::xlsx::read::ReadError;
use crate::xlsx::xml_guard::{Guard, Refusal};
use quick_xml::events::{BytesRef, BytesStart, Event};
use std::io::{BufReader, Read};

/// Longest text one cell or shared string may hold, in UTF-8 bytes: Excel's
/// 32,767 characters at up to four bytes each.
pub const MAX_TEXT: usize = 32_767 * 4;

/// One part being read.
pub struct Xml<R: Read> {
    reader: quick_xml::Reader<BufReader<Guard<R>>>,
    buf: Vec<u8>,
    /// The part's name, for messages.
    part: String,
}

impl<R: Read> Xml<R> {
    pub fn new(inner: R, part: &str) -> Self {
        let mut reader = quick_xml::Reader::from_reader(BufReader::new(Guard::new(inner)));
        let config = reader.config_mut();
        config.trim_text(false);
        config.expand_empty_elements = true;
        config.check_end_names = false;
        config.check_comments = false;
        Self { reader, buf: Vec::with_capacity(1024), part: part.to_owned() }
    }

    /// The next event; the end of the part is `Event::Eof`.
    pub fn next(&mut self) -> Result<Event<'_>, ReadError> {
        self.buf.clear();
        match self.reader.read_event_into(&mut self.buf) {
            Ok(e) => Ok(e),
            Err(e) => Err(xml_error(self.reader.get_ref().get_ref().refused(), &self.part, &e)),
        }
    }

    /// A problem with this part's content.
    pub fn malformed(&self, what: &str) -> ReadError {
        ReadError::Malformed(format!("{}：{what}", self.part))
    }

    /// Reads up to the end of the element just started, discarding what is inside.
    pub fn skip(&mut self) -> Result<(), ReadError> {
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => return Ok(()),
                Event::End(_) => depth -= 1,
                Event::Eof => return Err(self.malformed("元素没有结束")),
                _ => {}
            }
        }
    }

    /// The text inside the element just started (entities resolved, nested
    /// elements' text included), at most [`MAX_TEXT`] bytes.
    pub fn text(&mut self) -> Result<String, ReadError> {
        let mut out = String::new();
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Event::Text(t) => out.push_str(&t.xml10_content()),
                Event::CData(t) => out.push_str(&t.xml10_content()),
                Event::GeneralRef(r) => push_reference(&mut out, &r).map_err(|()| self.malformed("未知的实体引用"))?,
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => return Ok(out),
                Event::End(_) => depth -= 1,
                Event::Eof => return Err(self.malformed("元素没有结束")),
                _ => {}
            }
            if out.len() > MAX_TEXT {
                return Err(too_long());
            }
        }
    }
}

pub fn too_long() -> ReadError {
    ReadError::TooLarge("单元格内容超过 Excel 的上限 32767 个字符".to_owned())
}

fn xml_error(refused: Option<Refusal>, part: &str, e: &quick_xml::Error) -> ReadError {
    match refused {
        Some(Refusal::TokenTooLong) => ReadError::TooLarge(format!(
            "{part} 中有超过 {} MiB 的单个元素或文本",
            crate::xlsx::xml_guard::MAX_TOKEN >> 20
        )),
        Some(Refusal::DocType) => {
            ReadError::Malformed(format!("{part} 含有文档类型声明（DOCTYPE），不是 Excel 生成的文件"))
        }
        None => {
            let detail: String = e.to_string().chars().take(160).collect();
            ReadError::Malformed(format!("XML 内容损坏（{part}：{detail}）"))
        }
    }
}

/// Appends what `&name;` stands for: a character reference or one of XML's five entities.
pub fn push_reference(out: &mut String, r: &BytesRef<'_>) -> Result<(), ()> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
        return Ok(());
    }
    let c = match &**r {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return Err(()),
    };
    out.push(c);
    Ok(())
}

/// The value of the attribute with this local name (any prefix), entities resolved.
pub fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    let mut attrs = e.attributes();
    attrs.with_checks(false);
    attrs
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(std::borrow::Cow::into_owned))
}

/// Whether an element has this local name.
pub fn is(e: &BytesStart<'_>, local: &str) -> bool {
    e.local_name().as_ref() == local
}
