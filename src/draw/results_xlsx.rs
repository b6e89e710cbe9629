//! The draw's results as a workbook in the layout a provincial 双随机一公开 platform
//! takes: one row per task. The column set is our reading of such platforms'
//! import templates (未核实 against any one province's template):
//!
//! 抽查计划/任务名称 · 抽查类型 · 抽查事项 · 检查对象名称 · 统一社会信用代码 ·
//! 检查机关 · 执法人员（证号） · 检查日期 · 检查结果 · 处理情况 · 公示日期
//!
//! Decisions: 抽查类型 is 定向 when the draw's filter names sectors, sub-types or
//! special topics, else 不定向; 抽查事项 is the filter's sectors as
//! "<行业>安全生产监督检查" (a draw does not name items of the list); 检查日期 is the
//! day the inspection was completed, else started, else planned; 处理情况 is the
//! result note (this workbook is for the bureau, not the public site); 公示日期 is
//! the last publication's day, empty until published.

use super::results_list::{day, inspections};
use crate::enterprise::domain::Sector;
use crate::entities::{bureau, draw, user};
use crate::error::{AppError, AppResult};
use crate::limits::cell;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

pub const HEADERS: [&str; 11] = [
    "抽查计划/任务名称",
    "抽查类型",
    "抽查事项",
    "检查对象名称",
    "统一社会信用代码",
    "检查机关",
    "执法人员（证号）",
    "检查日期",
    "检查结果",
    "处理情况",
    "公示日期",
];

/// 定向 or 不定向, and the 抽查事项 text, from the draw's stored filter.
pub fn kind_and_matter(filter: &str) -> (&'static str, String) {
    let v: serde_json::Value = serde_json::from_str(filter).unwrap_or_default();
    let listed = |k: &str| v[k].as_array().is_some_and(|a| !a.is_empty());
    let directed = listed("sectors") || listed("sub_types") || listed("special_topics");
    let sectors: Vec<String> = v["sectors"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s.as_str()?.parse::<Sector>().ok()).map(|s| s.zh().to_owned()).collect())
        .unwrap_or_default();
    let matter = if sectors.is_empty() {
        "安全生产监督检查".to_owned()
    } else {
        sectors.iter().map(|s| format!("{s}安全生产监督检查")).collect::<Vec<_>>().join("；")
    };
    (if directed { "定向" } else { "不定向" }, matter)
}

/// The rows of the draw's workbook, in task order.
pub async fn rows<C: ConnectionTrait>(db: &C, d: &draw::Model) -> AppResult<Vec<[String; 11]>> {
    let tasks = super::service::tasks(db, d.id).await?;
    let names = crate::enterprise::service::names(db, tasks.iter().map(|t| t.enterprise_id)).await?;
    let found = inspections(db, &tasks).await?;
    let b = bureau::Entity::find_by_id(d.bureau_id).one(db).await?.ok_or(AppError::NotFound)?;
    let team: Vec<i64> = tasks.iter().flat_map(super::results::team_of).collect();
    let mut people: HashMap<i64, user::Model> = HashMap::new();
    for chunk in team.chunks(500) {
        let rows = user::Entity::find().filter(user::Column::Id.is_in(chunk.to_vec())).all(db).await?;
        people.extend(rows.into_iter().map(|u| (u.id, u)));
    }
    let (kind, matter) = kind_and_matter(&d.filter);
    Ok(tasks
        .iter()
        .map(|t| {
            let i = t.inspection_id.and_then(|id| found.get(&id));
            let staff = super::results::team_of(t)
                .iter()
                .filter_map(|id| people.get(id))
                .map(|u| format!("{}（{}）", u.display_name, u.certificate_no.as_deref().unwrap_or("无证号")))
                .collect::<Vec<_>>()
                .join("、");
            let checked = i.map_or(String::new(), |i| {
                i.completed_at.or(i.started_at).map_or_else(|| i.planned_date.to_string(), |a| day(Some(a)))
            });
            [
                d.title.clone(),
                kind.to_owned(),
                matter.clone(),
                names.get(&t.enterprise_id).cloned().unwrap_or_default(),
                t.credit_code.clone(),
                b.name.clone(),
                staff,
                checked,
                t.result.map(|r| r.zh().to_owned()).unwrap_or_default(),
                t.result_note.clone().unwrap_or_default(),
                day(t.published_at),
            ]
        })
        .collect())
}

/// The workbook of the rows.
pub fn workbook(rows: &[[String; 11]]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("抽查结果")?;
    let bold = Format::new().set_bold();
    for (c, h) in (0_u16..).zip(HEADERS) {
        sheet.write_string_with_format(0, c, h, &bold)?;
        sheet.set_column_width(c, 18)?;
    }
    for (r, row) in (1_u32..).zip(rows) {
        for (c, v) in (0_u16..).zip(row.iter()) {
            sheet.write_string(r, c, cell(v))?;
        }
    }
    book.save_to_buffer()
}
