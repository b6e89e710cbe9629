//! The checks of a filing's body, every problem at once: the documents
//! ([`documents`], no database) and their files ([`files`], the caller's own unused
//! uploads or, on a resubmission, files already filed with this filing).

use super::json::{FileEmergencyPlans, PlanDocumentBody, RecordDrill};
use crate::attachment::owner::OwnerType;
use crate::entities::attachment;
use crate::error::{AppResult, FieldErrors};
use crate::limits;
use chrono::{Datelike, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// At most this many documents in one filing.
pub const MAX_DOCUMENTS: usize = 50;
/// The longest conclusion, summary or return reason.
pub const LONG_TEXT: usize = 2_000;
/// The most participants of a drill.
pub const MAX_PARTICIPANTS: i32 = 100_000;

pub fn push(f: &mut FieldErrors, field: &str, message: impl Into<String>) {
    f.entry(field.to_owned()).or_default().push(message.into());
}

fn date_in_range(f: &mut FieldErrors, field: &str, label: &str, d: NaiveDate, today: NaiveDate) {
    if !(2000..=2100).contains(&d.year()) {
        push(f, field, format!("{label}须在 2000 年至 2100 年之间"));
    } else if d > today {
        push(f, field, format!("{label}不能晚于今天"));
    }
}

fn required(f: &mut FieldErrors, field: &str, label: &str, v: &str, max: usize) {
    if v.trim().is_empty() {
        push(f, field, format!("请填写{label}"));
    }
    limits::check(f, field, label, Some(v), max);
}

fn document(f: &mut FieldErrors, i: usize, d: &PlanDocumentBody, today: NaiveDate) {
    let field = |name: &str| format!("documents[{i}].{name}");
    required(f, &field("title"), "预案名称", &d.title, limits::NAME);
    required(f, &field("evaluation_conclusion"), "评审/论证结论", &d.evaluation_conclusion, LONG_TEXT);
    date_in_range(f, &field("published_on"), "发布日期", d.published_on, today);
    date_in_range(f, &field("evaluated_on"), "评审/论证日期", d.evaluated_on, today);
    if d.evaluated_on > d.published_on {
        push(f, &field("evaluated_on"), "评审/论证日期不能晚于发布日期（预案须经评审或论证后发布）");
    }
}

/// Every problem of the documents that needs no database.
pub fn documents(b: &FileEmergencyPlans, today: NaiveDate) -> FieldErrors {
    let mut f = FieldErrors::new();
    if b.documents.is_empty() {
        push(&mut f, "documents", "请至少填报一份预案（综合应急预案、专项应急预案或现场处置方案）");
    }
    limits::check_list(&mut f, "documents", "预案", &b.documents, MAX_DOCUMENTS);
    for (i, d) in b.documents.iter().enumerate().take(MAX_DOCUMENTS) {
        document(&mut f, i, d, today);
    }
    let mut seen = std::collections::HashSet::new();
    for (i, d) in b.documents.iter().enumerate() {
        if !seen.insert(d.attachment_id) {
            push(&mut f, &format!("documents[{i}].attachment_id"), "同一文件不能作为两份预案");
        }
    }
    f
}

/// Every file that is neither the user's unused upload nor (when `filing` is given)
/// already filed with that filing.
pub async fn files<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    filing: Option<i64>,
    b: &FileEmergencyPlans,
    f: &mut FieldErrors,
) -> AppResult<()> {
    let ids: Vec<i64> = b.documents.iter().map(|d| d.attachment_id).collect();
    let rows = attachment::Entity::find().filter(attachment::Column::Id.is_in(ids)).all(db).await?;
    for (i, d) in b.documents.iter().enumerate() {
        let ok = rows.iter().any(|r| {
            r.id == d.attachment_id
                && ((r.uploaded_by == user_id && r.owner_type.is_none())
                    || (filing.is_some()
                        && r.owner_type.as_deref() == Some(OwnerType::EmergencyPlan.as_str())
                        && r.owner_id == filing))
        });
        if !ok {
            push(
                f,
                &format!("documents[{i}].attachment_id"),
                format!("附件 {} 不存在、不是本人上传或已被使用", d.attachment_id),
            );
        }
    }
    Ok(())
}

/// Every problem of a drill's body that needs no database.
pub fn drill(b: &RecordDrill, today: NaiveDate) -> FieldErrors {
    let mut f = FieldErrors::new();
    date_in_range(&mut f, "drilled_on", "演练日期", b.drilled_on, today);
    if !(1..=MAX_PARTICIPANTS).contains(&b.participants) {
        push(&mut f, "participants", format!("参演人数须在 1 到 {MAX_PARTICIPANTS} 之间"));
    }
    required(&mut f, "summary", "演练总结", &b.summary, LONG_TEXT);
    f
}
