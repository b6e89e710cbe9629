//! The enterprise page's 执法检查 and 企业自查 sections: the inspections of the
//! enterprise the user may see (kind, planned date, status, team leader, document
//! numbers with print links), and a summary of its self-inspection tasks.
//!
//! Decisions: the inspections come from the same list the API answers (an enterprise
//! user sees only those under way or completed), the latest 20; a bureau role that
//! may not read self-inspection tasks sees no summary rather than an error.

use crate::auth::CurrentUser;
use crate::entities::{inspection_member, user};
use crate::error::AppResult;
use crate::inspection::domain::{DocumentStatus, MemberRole};
use crate::inspection::governance::list::{self, InspectionFilter};
use crate::inspection::governance::{documents, policy};
use crate::self_inspection::domain::TaskStatus;
use crate::self_inspection::json::TaskFilter;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// One inspection on the enterprise's page.
pub struct InspectionLine {
    pub id: i64,
    pub kind: &'static str,
    pub planned_date: NaiveDate,
    pub status: &'static str,
    pub leader: String,
    /// (title, number, print link, voided).
    pub documents: Vec<(String, String, String, bool)>,
}

/// The self-inspection tasks of the enterprise in short.
pub struct SelfSummary {
    pub done: u64,
    pub open: u64,
    pub overdue: u64,
    pub last: Option<String>,
}

/// Both sections.
#[derive(Default)]
pub struct Sections {
    pub inspections: Vec<InspectionLine>,
    pub inspections_total: u64,
    pub may_create: bool,
    pub bureau_user: bool,
    pub self_summary: Option<SelfSummary>,
}

async fn leaders<C: ConnectionTrait>(db: &C, ids: &[i64]) -> AppResult<HashMap<i64, String>> {
    let members = inspection_member::Entity::find()
        .filter(inspection_member::Column::InspectionId.is_in(ids.iter().copied()))
        .filter(inspection_member::Column::Role.eq(MemberRole::Leader))
        .all(db)
        .await?;
    let names: HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(members.iter().map(|m| m.user_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok(members.into_iter().filter_map(|m| Some((m.inspection_id, names.get(&m.user_id)?.clone()))).collect())
}

async fn inspections<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64) -> AppResult<(Vec<InspectionLine>, u64)> {
    let f = InspectionFilter { enterprise_id: Some(id), per_page: Some(20), ..Default::default() };
    let (rows, total) = list::list(db, user, &f).await?;
    let ids: Vec<i64> = rows.iter().map(|i| i.id).collect();
    let leaders = leaders(db, &ids).await?;
    let mut out = Vec::with_capacity(rows.len());
    for i in rows {
        let docs = documents::of_inspection(db, i.id).await?;
        out.push(InspectionLine {
            id: i.id,
            kind: i.kind.zh(),
            planned_date: i.planned_date,
            status: i.status.zh(),
            leader: leaders.get(&i.id).cloned().unwrap_or_else(|| "—".to_owned()),
            documents: docs
                .into_iter()
                .map(|d| {
                    let link = format!("/inspections/{}/documents/{}", i.id, documents::slug(d.kind));
                    (d.kind.zh().to_owned(), d.number, link, d.status == DocumentStatus::Voided)
                })
                .collect(),
        });
    }
    Ok((out, total))
}

async fn self_summary<C: ConnectionTrait>(
    db: &C,
    user: &CurrentUser,
    id: i64,
    today: NaiveDate,
) -> AppResult<SelfSummary> {
    let f = |status, overdue| TaskFilter {
        enterprise_id: Some(id),
        status,
        overdue,
        limit: Some(200),
        ..Default::default()
    };
    let done = crate::self_inspection::list::list(db, user, &f(Some(TaskStatus::Completed), None), today).await?;
    let open = crate::self_inspection::list::list(db, user, &f(Some(TaskStatus::Open), None), today).await?;
    let overdue = crate::self_inspection::list::list(db, user, &f(None, Some(true)), today).await?;
    let last = done.0.iter().filter_map(|t| t.completed_at).max().map(super::page::beijing);
    Ok(SelfSummary { done: done.1, open: open.1, overdue: overdue.1, last })
}

/// The sections for enterprise `id` as `user` sees them.
pub async fn load<C: ConnectionTrait>(db: &C, user: &CurrentUser, id: i64, today: NaiveDate) -> AppResult<Sections> {
    let (inspections, inspections_total) = inspections(db, user, id).await?;
    Ok(Sections {
        inspections,
        inspections_total,
        may_create: policy::may_create(user),
        bureau_user: user.is_bureau_user(),
        self_summary: self_summary(db, user, id, today).await.ok(),
    })
}
