//! 事故预防服务 pages (`/insurance/services`): for bureau users the spend as a share
//! of each policy year's premium per insurer and the flagged policies (above the
//! 21 % ceiling, below the configured floor, each rule with its source), the
//! policies without a service in their policy year, and the latest services; for
//! an insurer's users their own services, spend and unserved policies. Read
//! through the API's own reads (`insurance::prevention::{list, spend}`), so scope
//! and the insurer's narrow view are the API's. The form is
//! [`super::insurance_service_form`]; an enterprise sees its services on its
//! insurance page ([`service_rows`]).
//!
//! Decisions:
//! - The page is for bureau users and insurers; anyone else gets 404 (as in the
//!   navigation).
//! - The day read is `?on=` (年-月-日), default today; a bad day reads today.

use super::case_pages::money;
use super::layout::{Layout, Section};
use super::page::{PageResult, PageUser, page_number, render};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::insurance::insurers::Viewer;
use crate::insurance::policy::Actor;
use crate::insurance::prevention::domain::Spend;
use crate::insurance::prevention::json::{
    InsuranceServiceFilter, InsuranceServiceResponse, InsurerSpend, PolicyYearSpend, ServiceSpendResponse,
    UnservedResponse,
};
use crate::insurance::prevention::{list, spend};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use chrono::NaiveDate;
use serde::Deserialize;

const PER_PAGE: u64 = 20;

/// A spend as shown: the share and its flag in Chinese.
pub struct SpendCell {
    pub cost: String,
    pub premium: String,
    pub share: String,
    /// `tag-danger` above the ceiling, `tag-warn` below the floor, else "".
    pub class: &'static str,
    pub flag: &'static str,
}

impl SpendCell {
    fn of(s: &Spend) -> Self {
        let (class, flag) = if s.above_ceiling {
            ("tag-danger", "超过上限")
        } else if s.below_floor {
            ("tag-warn", "低于关注线")
        } else {
            ("", "")
        };
        Self {
            cost: money(s.cost_yuan),
            premium: money(s.premium_yuan),
            share: s.share_percent.map_or_else(|| "—".to_owned(), |p| format!("{p:.1}%")),
            class,
            flag,
        }
    }
}

pub struct InsurerRow {
    pub i: InsurerSpend,
    pub s: SpendCell,
}

pub struct PolicyRow {
    pub p: PolicyYearSpend,
    pub s: SpendCell,
}

/// A service as shown.
pub struct ServiceRow {
    pub s: InsuranceServiceResponse,
    pub kind: &'static str,
    pub cost: String,
}

impl ServiceRow {
    pub fn of(s: InsuranceServiceResponse) -> Self {
        Self { kind: s.kind.zh(), cost: money(s.cost_yuan), s }
    }
}

/// The services of an enterprise the caller may see (its insurance page), the latest first.
pub async fn service_rows(
    state: &AppState,
    user: &CurrentUser,
    enterprise_id: i64,
) -> AppResult<(Vec<ServiceRow>, u64)> {
    let f =
        InsuranceServiceFilter { enterprise_id: Some(enterprise_id), per_page: Some(PER_PAGE), ..Default::default() };
    let l = list::list(state.db.conn(), user, &f).await?;
    Ok((l.items.into_iter().map(ServiceRow::of).collect(), l.total))
}

#[derive(Template)]
#[template(path = "insurance_services.html")]
struct ServicesPage {
    layout: Layout,
    on: NaiveDate,
    may_record: bool,
    saved: bool,
    sp: ServiceSpendResponse,
    insurers: Vec<InsurerRow>,
    flagged: Vec<PolicyRow>,
    unserved: UnservedResponse,
    unserved_rows: Vec<PolicyRow>,
    services: Vec<ServiceRow>,
    total: u64,
    page: u64,
    pages: u64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Shown {
    page: String,
    on: String,
    saved: String,
}

/// Bureau users under 安责险, insurers under their own 事故预防服务 entry.
pub fn section(viewer: &Viewer) -> Section {
    if viewer.insurer_id().is_some() { Section::InsuranceServices } else { Section::Insurance }
}

fn rows(items: &[PolicyYearSpend]) -> Vec<PolicyRow> {
    items.iter().map(|p| PolicyRow { s: SpendCell::of(&p.spend), p: p.clone() }).collect()
}

pub async fn services_page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<Shown>,
) -> PageResult {
    let db = state.db.conn();
    let viewer = Viewer::of(db, &user).await?;
    if !user.is_bureau_user() && viewer.insurer_id().is_none() {
        return Err(AppError::NotFound.into());
    }
    let today = crate::clock::china_date(state.clock.now());
    let on = NaiveDate::parse_from_str(q.on.trim(), "%Y-%m-%d").unwrap_or(today);
    let page = page_number(&q.page);
    let sp = spend::spend(db, &user, on).await?;
    let unserved = spend::unserved(db, &user, on).await?;
    let f = InsuranceServiceFilter { page: Some(page), per_page: Some(PER_PAGE), ..Default::default() };
    let l = list::list(db, &user, &f).await?;
    render(&ServicesPage {
        layout: Layout::new(&state, &user, "事故预防服务", section(&viewer)).await?,
        on,
        may_record: Actor::of(&user.roles, viewer.insurer_id()).records(),
        saved: !q.saved.is_empty(),
        insurers: sp.insurers.iter().map(|i| InsurerRow { s: SpendCell::of(&i.spend), i: i.clone() }).collect(),
        flagged: rows(&sp.flagged),
        unserved_rows: rows(&unserved.items),
        unserved,
        sp,
        services: l.items.into_iter().map(ServiceRow::of).collect(),
        total: l.total,
        page,
        pages: l.total.div_ceil(PER_PAGE).max(1),
    })
}

pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new().route("/insurance/services", get(services_page)).route(
        "/insurance/services/new",
        get(super::insurance_service_form::new_form).post(super::insurance_service_form::create),
    )
}
