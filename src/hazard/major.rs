//! The major-hazard list (一单): confirmed major hazards in the scope (待认定
//! only with `include_reported=true`; dismissed and voided never), nearest
//! deadline first (those without one last), a page at a time with the total;
//! each row with its 交办, 治理方案 (五定), 双报告, 台账, 销号 and 通报. The
//! workbook export takes the same filter and writes every row of it, a batch
//! at a time (bounded by the scope, not by a page).

use super::columns;
use super::domain::{Level, Status, SupervisionLevel};
use super::json::Plan;
use super::service::scoped;
use crate::auth::{CurrentUser, Scope};
use crate::bulletin::items::BulletinRef;
use crate::enterprise::domain::Sector;
use crate::entities::{hazard, hazard_category};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::json::{ApiQuery, ListResponse};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

/// Query of `GET /api/v1/major-hazards` and of its export.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MajorFilter {
    /// Only hazards not yet closed.
    pub open_only: Option<bool>,
    /// Only those assigned (交办) at this 挂牌督办 level.
    pub supervision_level: Option<SupervisionLevel>,
    /// Only those assigned by this bureau.
    pub assigning_bureau_id: Option<i64>,
    /// Only those whose responsible unit (责任单位) is exactly this (`limits::NAME`).
    #[param(max_length = 200)]
    pub responsible_unit: Option<String>,
    /// Also list major hazards still awaiting 认定 (待认定); by default only confirmed ones.
    pub include_reported: Option<bool>,
    /// 1-based page number, 1–100000 (`json::MAX_PAGE`, default 1); the export checks it and writes every row.
    #[param(minimum = 1, maximum = 100_000)]
    pub page: Option<u64>,
    /// Items per page, 1–200 (default 50); the export checks it and writes every row.
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<u64>,
}

/// One row of the major-hazard list (一单四制: 交办 / 台账 / 销号 / 通报).
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MajorHazardRow {
    pub id: i64,
    pub enterprise_id: Option<i64>,
    pub enterprise_name: Option<String>,
    pub title: String,
    pub status: Status,
    pub sector: Option<Sector>,
    pub region_code: String,
    /// The region's name (e.g. 江汉区), when known.
    pub region_name: Option<String>,
    pub category: String,
    pub category_name: Option<String>,
    /// 判定依据: the item of the standard or checklist the hazard was judged by.
    pub checklist_item_code: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub days_left: Option<i64>,
    pub overdue: bool,
    /// 停产停业、停止使用 ordered and not lifted.
    pub suspended: bool,
    /// 交办单位: the body (bureau, 安委办 …) that assigned it.
    pub assigning_body: Option<String>,
    pub assigning_bureau_id: Option<i64>,
    /// 交办: the responsible unit (责任单位) it was assigned to, if assigned.
    pub assigned_to: Option<String>,
    /// 责任人 named at 交办.
    pub responsible_person: Option<String>,
    pub supervision_level: Option<String>,
    pub notice_no: Option<String>,
    /// 治理方案 (五定: 措施、责任、资金、时限、预案), once filed.
    pub plan: Option<Plan>,
    /// Funds spent on rectification so far, in yuan.
    pub funds_spent: Option<f64>,
    /// 双报告 filed (to the bureau and the workers' congress).
    pub report_filed: bool,
    pub reported_at: Option<DateTime<Utc>>,
    /// The date it went to the workers' congress (职代会).
    pub congress_reported_on: Option<NaiveDate>,
    /// 台账: steps recorded in its timeline.
    pub ledger_entries: i64,
    /// 销号: closed after verification.
    pub closed: bool,
    /// 通报: listed in an internal bulletin.
    pub notified: bool,
    /// The latest bulletin that listed it.
    pub notified_in: Option<BulletinRef>,
}

/// The filtered, ordered query (no paging).
pub fn query(scope: &Scope, f: &MajorFilter) -> AppResult<Select<hazard::Entity>> {
    let mut hidden = vec![Status::Dismissed, Status::Voided];
    if f.include_reported != Some(true) {
        hidden.push(Status::Reported);
    }
    let mut q = scoped(hazard::Entity::find(), scope)
        .filter(hazard::Column::Level.eq(Level::Major))
        .filter(hazard::Column::Status.is_not_in(hidden));
    if f.open_only == Some(true) {
        q = q.filter(hazard::Column::IsOpen.eq(true));
    }
    if let Some(l) = f.supervision_level {
        q = q.filter(hazard::Column::AssignmentLevel.eq(l));
    }
    if let Some(b) = f.assigning_bureau_id {
        q = q.filter(hazard::Column::AssigningBureauId.eq(b));
    }
    if let Some(u) = f.responsible_unit.as_deref() {
        let mut fields = crate::error::FieldErrors::new();
        crate::limits::check(&mut fields, "responsible_unit", "责任单位", Some(u), crate::limits::NAME);
        if !fields.is_empty() {
            return Err(AppError::Validation(fields));
        }
        q = q.filter(hazard::Column::AssignedUnit.eq(u.trim()));
    }
    // Both engines the same: hazards without a deadline (awaiting 交办) last.
    Ok(q.order_by_asc(Expr::col((hazard::Entity, hazard::Column::Deadline)).is_null())
        .order_by_asc(hazard::Column::Deadline)
        .order_by_asc(hazard::Column::Id))
}

async fn category_names<C: ConnectionTrait>(db: &C) -> AppResult<HashMap<String, String>> {
    let rows = hazard_category::Entity::find().all(db).await?;
    Ok(rows.into_iter().map(|c| (c.code, c.name)).collect())
}

/// The rows of these hazards, with their 台账, enterprise, category and 通报.
pub async fn rows_of<C: ConnectionTrait>(
    db: &C,
    hazards: Vec<hazard::Model>,
    today: NaiveDate,
) -> AppResult<Vec<MajorHazardRow>> {
    let ids: Vec<i64> = hazards.iter().map(|h| h.id).collect();
    let ledger = super::list::ledger_counts(db, &ids).await?;
    let names = crate::enterprise::service::names(db, hazards.iter().filter_map(|h| h.enterprise_id)).await?;
    let notified = crate::bulletin::items::latest_for(db, &ids).await?;
    let categories = category_names(db).await?;
    let bureaus = crate::bureau::names(db, hazards.iter().filter_map(|h| h.supervising_bureau_id)).await?;
    Ok(hazards
        .into_iter()
        .map(|h| {
            // 交办单位: the body as written where it is not a bureau (e.g. 区安委办), else the supervising bureau.
            let by = h.supervising_bureau_id.and_then(|b| bureaus.get(&b).cloned());
            let mut r = row(h, today, &ledger, &names, &notified, &categories);
            r.assigning_body = r.assigning_body.take().or(by);
            r
        })
        .collect())
}

fn row(
    h: hazard::Model,
    today: NaiveDate,
    ledger: &HashMap<i64, i64>,
    names: &HashMap<i64, String>,
    notified: &HashMap<i64, BulletinRef>,
    categories: &HashMap<String, String>,
) -> MajorHazardRow {
    let assignment = columns::assignment(&h);
    MajorHazardRow {
        id: h.id,
        enterprise_id: h.enterprise_id,
        enterprise_name: h.enterprise_id.and_then(|e| names.get(&e).cloned()),
        status: h.status,
        sector: h.sector,
        region_name: crate::bureau::regions::name(&h.region_code).map(str::to_owned),
        category_name: categories.get(&h.category).cloned(),
        deadline: h.deadline,
        days_left: super::view::days_left(&h, today),
        overdue: super::domain::is_overdue(h.status, h.deadline, today),
        suspended: h.suspended,
        assigning_body: assignment.as_ref().and_then(|a| a.assigning_body.clone()),
        assigning_bureau_id: h.assigning_bureau_id,
        assigned_to: assignment.as_ref().map(|a| a.responsible_unit.clone()),
        responsible_person: assignment.as_ref().map(|a| a.responsible_person.clone()),
        supervision_level: assignment.as_ref().map(|a| a.supervision_level.clone()),
        notice_no: assignment.and_then(|a| a.notice_no),
        plan: columns::plan(&h),
        funds_spent: h.funds_spent.map(columns::fen_to_yuan),
        report_filed: h.reported_at.is_some(),
        reported_at: h.reported_at,
        congress_reported_on: h.report_congress_on,
        ledger_entries: ledger.get(&h.id).copied().unwrap_or(0),
        closed: h.status == Status::Closed,
        notified: notified.contains_key(&h.id),
        notified_in: notified.get(&h.id).cloned(),
        checklist_item_code: h.checklist_item_code,
        region_code: h.region_code,
        category: h.category,
        title: h.title,
    }
}

/// One page of the list and the total, shared by the API and the page.
pub async fn major_rows(
    state: &AppState,
    user: &CurrentUser,
    f: &MajorFilter,
) -> AppResult<(Vec<MajorHazardRow>, u64)> {
    let db = state.db.conn();
    let (offset, limit) = crate::json::PageParams { page: f.page, per_page: f.per_page }.resolve()?;
    let q = query(&user.scope, f)?;
    let total = q.clone().count(db).await?;
    let hazards = q.offset(offset).limit(limit).all(db).await?;
    Ok((rows_of(db, hazards, state.clock.today()).await?, total))
}

/// The major-hazard list (一单) with each item's 交办 / 台账 / 销号 / 通报, a page at a time.
#[utoipa::path(get, path = "/api/v1/major-hazards", tag = "hazards", params(MajorFilter),
    responses((status = 200, body = ListResponse<MajorHazardRow>), (status = 422, body = ErrorBody)))]
pub async fn list_major_hazards(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<MajorFilter>,
) -> AppResult<Json<ListResponse<MajorHazardRow>>> {
    let (items, total) = major_rows(&state, &user, &f).await?;
    Ok(Json(ListResponse { items, total }))
}

/// Rows the export reads at a time.
const EXPORT_BATCH: u64 = 1000;

/// The major-hazard list (一单) as an xlsx workbook (bureau users): every row of the filter.
#[utoipa::path(get, path = "/api/v1/major-hazards/export", tag = "hazards", params(MajorFilter),
    responses((status = 200, description = "xlsx workbook"), (status = 403, body = ErrorBody)))]
pub async fn export_major_hazards(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(f): ApiQuery<MajorFilter>,
) -> AppResult<axum::response::Response> {
    if !user.is_bureau_user() {
        return Err(AppError::Forbidden);
    }
    // `page` and `per_page` are checked like the list's, though every row is written.
    crate::json::PageParams { page: f.page, per_page: f.per_page }.resolve()?;
    let db = state.db.conn();
    let q = query(&user.scope, &f)?;
    let xlsx = |e: rust_xlsxwriter::XlsxError| AppError::Internal(anyhow::anyhow!("xlsx: {e}"));
    let mut sheet = super::export::MajorSheet::new().map_err(xlsx)?;
    let mut offset = 0;
    loop {
        let batch = q.clone().offset(offset).limit(EXPORT_BATCH).all(db).await?;
        if batch.is_empty() {
            break;
        }
        offset += EXPORT_BATCH;
        sheet.append(&rows_of(db, batch, state.clock.today()).await?).map_err(xlsx)?;
    }
    let name = format!("重大事故隐患清单-{}.xlsx", state.clock.today());
    Ok(crate::xlsx::response(sheet.finish().map_err(xlsx)?, &name))
}
