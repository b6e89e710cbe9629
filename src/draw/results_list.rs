//! The draw's tasks with their results, as the result page, the API and the export
//! read them: enterprise names, inspection status, the suggested category, the
//! publication deadline and whether it is late. A draw has at most its sample's
//! tasks (bounded by the draw's own limits), read in one query each.

use super::publish::task_deadline;
use super::results::{TaskView, suggest};
use crate::clock::china_date;
use crate::entities::{draw, draw_task, inspection};
use crate::error::AppResult;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// The inspections of the tasks, by id.
pub async fn inspections<C: ConnectionTrait>(
    db: &C,
    tasks: &[draw_task::Model],
) -> AppResult<HashMap<i64, inspection::Model>> {
    let mut out = HashMap::with_capacity(tasks.len());
    let ids: Vec<i64> = tasks.iter().filter_map(|t| t.inspection_id).collect();
    for chunk in ids.chunks(500) {
        let rows = inspection::Entity::find().filter(inspection::Column::Id.is_in(chunk.to_vec())).all(db).await?;
        out.extend(rows.into_iter().map(|i| (i.id, i)));
    }
    Ok(out)
}

/// The draw's tasks with what the result page shows, as of `today`.
pub async fn task_views<C: ConnectionTrait>(
    db: &C,
    d: &draw::Model,
    today: chrono::NaiveDate,
) -> AppResult<Vec<TaskView>> {
    let tasks = super::service::tasks(db, d.id).await?;
    let names = crate::enterprise::service::names(db, tasks.iter().map(|t| t.enterprise_id)).await?;
    let inspections = inspections(db, &tasks).await?;
    let cal = crate::calendar::load(db).await?;
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        let i = t.inspection_id.and_then(|id| inspections.get(&id));
        let suggested = match i {
            Some(i) => suggest(db, i).await?,
            None => None,
        };
        let publish_by = if t.published_at.is_none() { task_deadline(&cal, &t) } else { None };
        out.push(TaskView {
            id: t.id,
            seq: t.seq,
            enterprise_id: t.enterprise_id,
            enterprise_name: names.get(&t.enterprise_id).cloned().unwrap_or_default(),
            credit_code: t.credit_code,
            inspection_id: t.inspection_id,
            inspection_status: i.map(|i| i.status),
            suggested,
            result: t.result,
            result_note: t.result_note,
            result_at: t.result_at,
            published_at: t.published_at,
            publish_by,
            late: publish_by.is_some_and(|due| due < today),
        });
    }
    Ok(out)
}

/// The Beijing date of a time, as text (empty for none).
pub fn day(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map(|a| china_date(a).to_string()).unwrap_or_default()
}
