//! Our own streaming reader for `.xlsx` (Office Open XML) workbooks, built on
//! the zip and quick-xml crates rather than calamine's `.xlsx` reader: calamine
//! reserves its shared-string table by the count the file declares (an abort
//! on `uniqueCount="100000000000000"`) and keeps a clone of a cell style's
//! font, fill and borders per format record, neither of which can be bounded
//! from outside. Here every part goes through the token [`Guard`], the shared
//! strings are one buffer charged to the [`Budget`], styles are read for their
//! number formats only, and cells stream into the row collector.
//!
//! [`Guard`]: super::xml_guard::Guard

mod sheet;
mod strings;
mod styles;
mod workbook;
mod xml;

use super::budget::Budget;
use super::read::{Limits, ReadError, Sheet};
use super::rows::RowCollector;
use super::zip_dir;
use std::collections::HashMap;
use std::io::Cursor;
use xml::Xml;
use zip::ZipArchive;
use zip::read::ZipFile;

/// The zip package with its parts found by name, case-insensitively.
pub struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    /// Lower-cased part name → (zip index, declared size).
    parts: HashMap<String, (usize, u64)>,
}

type PartReader<'z, 'a> = ZipFile<'z, Cursor<&'a [u8]>>;

impl<'a> Package<'a> {
    pub fn open(bytes: &'a [u8], max_inflated: u64) -> Result<Self, ReadError> {
        let entries = zip_dir::entries(bytes, max_inflated)?;
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_error(&e))?;
        let mut parts = HashMap::with_capacity(entries.len());
        for e in &entries {
            if let Some(index) = zip.index_for_name(&e.name) {
                parts.insert(e.name.trim_start_matches('/').to_lowercase(), (index, e.size));
            }
        }
        Ok(Self { zip, parts })
    }

    /// The declared inflated size of a part.
    pub fn size(&self, path: &str) -> Option<u64> {
        self.parts.get(&path.to_lowercase()).map(|(_, size)| *size)
    }

    /// The part at `path` as XML, if the package has it.
    pub fn xml(&mut self, path: &str) -> Result<Option<Xml<PartReader<'_, 'a>>>, ReadError> {
        let Some((index, _)) = self.parts.get(&path.to_lowercase()).copied() else {
            return Ok(None);
        };
        let file = self.zip.by_index(index).map_err(|e| zip_error(&e))?;
        Ok(Some(Xml::new(file, path)))
    }
}

fn zip_error(e: &zip::result::ZipError) -> ReadError {
    let detail: String = e.to_string().chars().take(160).collect();
    ReadError::Malformed(format!("压缩包结构损坏（{detail}）"))
}

/// Reads the first visible worksheet of an `.xlsx` package.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Sheet, ReadError> {
    read_sheet(bytes, limits, None)
}

/// Reads the worksheet called `name` (or, without a name, the first visible one).
pub fn read_sheet(bytes: &[u8], limits: &Limits, name: Option<&str>) -> Result<Sheet, ReadError> {
    let max_bytes = u64::try_from(limits.max_bytes).unwrap_or(u64::MAX);
    let mut pkg = Package::open(bytes, max_bytes.saturating_mul(16).max(1 << 30))?;
    let book = workbook::read_book(&mut pkg)?;
    let target = match name {
        Some(name) => book.worksheets.iter().find(|s| s.name == name).ok_or(ReadError::NoSheet)?.path.clone(),
        None => book.first_sheet()?.path.clone(),
    };
    let mut budget = Budget::new(limits.max_memory);
    let strings = match &book.shared_strings {
        Some(path) => {
            // Text is never longer than its XML, so a table larger than the whole
            // budget cannot fit; refused before inflating a byte of it.
            let declared = pkg.size(path).unwrap_or(0);
            if declared > u64::try_from(limits.max_memory).unwrap_or(u64::MAX) {
                let (size, max) = (declared >> 20, limits.max_memory >> 20);
                return Err(ReadError::TooLarge(format!("共享字符串表解压后有 {size} MiB，超过读取上限 {max} MiB")));
            }
            match pkg.xml(path)? {
                Some(mut x) => strings::read_shared(&mut x, declared, &mut budget)?,
                None => strings::SharedStrings::default(),
            }
        }
        None => strings::SharedStrings::default(),
    };
    let styles = match &book.styles {
        Some(path) => pkg.xml(path)?.map(|mut x| styles::read_styles(&mut x)).transpose()?.unwrap_or_default(),
        None => Vec::new(),
    };
    let ctx = sheet::Context { strings: &strings, styles: &styles, date1904: book.date1904 };
    let mut rows = RowCollector::new(limits, budget);
    let mut xml = pkg.xml(&target)?.ok_or_else(|| ReadError::Malformed(format!("缺少工作表 {target}")))?;
    sheet::read_cells(&mut xml, &ctx, &mut rows)?;
    drop(xml);
    drop(strings);
    rows.finish()
}
