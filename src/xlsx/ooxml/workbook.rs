//! The package's map: where the workbook is (`_rels/.rels`), its sheets in order
//! with their visibility (`workbook.xml`), which part each one is and where the
//! shared strings and styles are (`workbook.xml.rels`), and the date system.

use super::Package;
use super::xml::{attr, is};
use crate::xlsx::read::ReadError;
use quick_xml::events::Event;
use std::collections::HashMap;

/// More sheets or relationships than this is not a workbook a clerk made.
const MAX_ITEMS: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRef {
    pub name: String,
    /// The part's path inside the package.
    pub path: String,
    pub visible: bool,
}

#[derive(Debug, Default)]
pub struct Book {
    /// Worksheets in workbook order (chart, dialog and macro sheets left out).
    pub worksheets: Vec<SheetRef>,
    pub date1904: bool,
    pub shared_strings: Option<String>,
    pub styles: Option<String>,
}

impl Book {
    /// The first visible worksheet, else the first worksheet.
    pub fn first_sheet(&self) -> Result<&SheetRef, ReadError> {
        let visible = self.worksheets.iter().find(|s| s.visible);
        visible.or_else(|| self.worksheets.first()).ok_or(ReadError::NoSheet)
    }
}

/// `target` relative to the folder `base` (which ends in `/` or is empty).
pub fn resolve(base: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("{base}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn folder(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..=i])
}

/// Relationship id → (type, target path) of the part at `part`.
fn relationships(pkg: &mut Package, part: &str) -> Result<HashMap<String, (String, String)>, ReadError> {
    let name = part.rsplit('/').next().unwrap_or(part);
    let rels = format!("{}_rels/{name}.rels", folder(part));
    let mut out = HashMap::new();
    let Some(mut xml) = pkg.xml(&rels)? else {
        return Ok(out);
    };
    loop {
        match xml.next()? {
            Event::Start(e) if is(&e, "Relationship") => {
                if attr(&e, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("external")) {
                    continue;
                }
                if let (Some(id), Some(kind), Some(target)) = (attr(&e, "Id"), attr(&e, "Type"), attr(&e, "Target")) {
                    if out.len() >= MAX_ITEMS {
                        return Err(xml.malformed("关系条目过多"));
                    }
                    out.insert(id, (kind, resolve(folder(part), &target)));
                }
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// Reads the workbook's map.
pub fn read_book(pkg: &mut Package) -> Result<Book, ReadError> {
    let root = relationships(pkg, "")?;
    let workbook = root
        .values()
        .find(|(kind, _)| kind.ends_with("/officeDocument"))
        .map_or_else(|| "xl/workbook.xml".to_owned(), |(_, path)| path.clone());
    let rels = relationships(pkg, &workbook)?;
    let by_kind = |suffix: &str| rels.values().find(|(k, _)| k.ends_with(suffix)).map(|(_, p)| p.clone());
    let mut book = Book {
        shared_strings: by_kind("/sharedStrings").or_else(|| Some(format!("{}sharedStrings.xml", folder(&workbook)))),
        styles: by_kind("/styles").or_else(|| Some(format!("{}styles.xml", folder(&workbook)))),
        ..Book::default()
    };
    let missing = || ReadError::Malformed("找不到工作表清单（workbook.xml 缺失或为空）".to_owned());
    let mut xml = pkg.xml(&workbook)?.ok_or_else(missing)?;
    let mut listed = 0usize;
    loop {
        match xml.next()? {
            Event::Start(e) if is(&e, "workbookPr") => {
                book.date1904 = attr(&e, "date1904").is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"));
            }
            Event::Start(e) if is(&e, "sheet") => {
                listed += 1;
                if listed > MAX_ITEMS {
                    return Err(xml.malformed("工作表过多"));
                }
                let rel = attr(&e, "id").and_then(|id| rels.get(&id));
                if let Some((_, path)) = rel.filter(|(kind, _)| kind.ends_with("/worksheet")) {
                    let state = attr(&e, "state").unwrap_or_default();
                    let name = attr(&e, "name").unwrap_or_default();
                    book.worksheets.push(SheetRef {
                        name,
                        path: path.clone(),
                        visible: state.is_empty() || state == "visible",
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if listed == 0 {
        return Err(missing());
    }
    Ok(book)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_their_folder() {
        assert_eq!(resolve("xl/", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl/", "/xl/sharedStrings.xml"), "xl/sharedStrings.xml");
        assert_eq!(resolve("xl/worksheets/", "../sharedStrings.xml"), "xl/sharedStrings.xml");
        assert_eq!(resolve("", "xl/workbook.xml"), "xl/workbook.xml");
        assert_eq!(resolve("", "../../../x.xml"), "x.xml");
    }
}
