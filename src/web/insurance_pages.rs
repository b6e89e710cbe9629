//! 安责险 pages (`/insurance`, `/enterprises/{id}/insurance`): for bureau users the
//! mandatory enterprises of their territory without adequate cover, each problem in
//! Chinese with the legal basis (安全生产法 arts. 51, 109), and the coverage rate
//! by sector and region (`super::insurance_coverage`); for an insurer's users
//! their own policies; and one enterprise's check with its policies. Read through
//! the API's own reads (`insurance::uninsured`, `insurance::view`), so scope and
//! the insurer's narrow view are the API's.
//!
//! Decisions:
//! - `/insurance` is for bureau users and insurers; anyone else gets 404 (the page
//!   is not theirs, as in the navigation).
//! - An enterprise's page is open to bureau users in scope, the insurers that
//!   insure it, and the enterprise's own 主要负责人 and 安全管理人员 (other staff
//!   do not handle the policy).

use super::case_pages::money;
use super::layout::{Layout, Section};
use super::page::{PagePath, PageResult, PageUser, page_number, render, render_with};
use crate::auth::{CurrentUser, Role};
use crate::error::AppError;
use crate::insurance::json::{EnterpriseInsuranceResponse, InsurancePolicyFilter, InsurancePolicyResponse};
use crate::insurance::uninsured::{self, UninsuredEnterprise};
use crate::insurance::{insurers::Viewer, policy::Actor, view};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;

const PER_PAGE: u64 = 20;

/// A policy as shown.
pub struct PolicyRow {
    pub p: InsurancePolicyResponse,
    pub status: &'static str,
    pub limit: String,
    pub premium: String,
}

impl PolicyRow {
    fn of(p: InsurancePolicyResponse) -> Self {
        Self { status: p.status.zh(), limit: money(p.death_disability_limit_yuan), premium: money(p.premium_yuan), p }
    }
}

/// An enterprise without adequate cover, as shown.
pub struct UninsuredRow {
    pub e: UninsuredEnterprise,
    pub sector: &'static str,
    pub region: String,
}

#[derive(Template)]
#[template(path = "insurance.html")]
struct InsurancePage {
    layout: Layout,
    bureau: bool,
    may_record: bool,
    /// An inspector with a valid certificate may open a case from the uninsured list.
    may_open_case: bool,
    uninsured: Vec<UninsuredRow>,
    uninsured_total: u64,
    basis: String,
    cv: Option<super::insurance_coverage::CoverageView>,
    policies: Vec<PolicyRow>,
    total: u64,
    page: u64,
    pages: u64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Shown {
    page: String,
    region: String,
}

fn region_name(code: &str) -> String {
    crate::bureau::regions::name(code).map_or_else(|| code.to_owned(), ToOwned::to_owned)
}

pub async fn list_page(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<Shown>) -> PageResult {
    let db = state.db.conn();
    let today = crate::clock::china_date(state.clock.now());
    let viewer = Viewer::of(db, &user).await?;
    let insurer = viewer.insurer_id().is_some();
    if !user.is_bureau_user() && !insurer {
        return Err(AppError::NotFound.into());
    }
    let page = page_number(&q.page);
    let mut p = InsurancePage {
        layout: Layout::new(&state, &user, "安全生产责任保险", Section::Insurance).await?,
        bureau: user.is_bureau_user(),
        may_record: Actor::of(&user.roles, viewer.insurer_id()).records(),
        may_open_case: crate::case::policy::may_open(&user),
        uninsured: Vec::new(),
        uninsured_total: 0,
        basis: view::BASIS.to_owned(),
        cv: None,
        policies: Vec::new(),
        total: 0,
        page,
        pages: 1,
    };
    if user.is_bureau_user() {
        let u = uninsured::list(db, &user, today).await?;
        p.uninsured_total = u.total;
        p.uninsured = u
            .items
            .into_iter()
            .map(|e| UninsuredRow { sector: e.sector.zh(), region: region_name(&e.region_code), e })
            .collect();
        p.cv = Some(super::insurance_coverage::view(&state, &user, &q.region, today).await?);
    } else {
        let f = InsurancePolicyFilter { page: Some(page), per_page: Some(PER_PAGE), ..Default::default() };
        let list = view::list(db, &user, &f, today).await?;
        p.total = list.total;
        p.pages = list.total.div_ceil(PER_PAGE).max(1);
        p.policies = list.items.into_iter().map(PolicyRow::of).collect();
    }
    render(&p)
}

#[derive(Template)]
#[template(path = "insurance_enterprise.html")]
struct EnterprisePage {
    layout: Layout,
    c: EnterpriseInsuranceResponse,
    floor: String,
    policies: Vec<PolicyRow>,
    may_record: bool,
    saved: bool,
    /// What the page confirms (a policy cancelled).
    flash: Option<&'static str>,
    /// The policies the reader may cancel (退保), and the cancel form's values and problems.
    cancellable: Vec<PolicyRow>,
    typed: super::case_new_form::Typed,
    errors: super::page::FormErrors,
    /// 事故预防服务 for the enterprise (`super::insurance_services`).
    services: Vec<super::insurance_services::ServiceRow>,
    services_total: u64,
}

impl EnterprisePage {
    /// What was typed into the cancel form.
    fn val(&self, field: &str) -> &str {
        self.typed.get(field)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Saved {
    saved: String,
    cancelled: String,
}

/// Bureau users, insurers and an enterprise's principal or safety officer; 404 for others.
fn reads_enterprise_page(user: &CurrentUser) -> bool {
    user.is_bureau_user() || user.has(Role::Insurer) || user.has(Role::Principal) || user.has(Role::SafetyOfficer)
}

pub async fn enterprise_page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Query(s): Query<Saved>,
) -> PageResult {
    let shown = EnterpriseShown {
        saved: !s.saved.is_empty(),
        flash: (!s.cancelled.is_empty()).then_some("退保已登记。"),
        ..EnterpriseShown::default()
    };
    enterprise_view(&state, &user, id, shown, StatusCode::OK).await
}

/// What an enterprise's insurance page shows besides its records.
#[derive(Default)]
pub struct EnterpriseShown {
    pub saved: bool,
    pub flash: Option<&'static str>,
    pub typed: super::case_new_form::Typed,
    pub errors: super::page::FormErrors,
}

/// An enterprise's insurance page (with the cancel form's values and problems).
pub async fn enterprise_view(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    shown: EnterpriseShown,
    status: StatusCode,
) -> PageResult {
    if !reads_enterprise_page(user) {
        return Err(AppError::NotFound.into());
    }
    let db = state.db.conn();
    let today = crate::clock::china_date(state.clock.now());
    let c = view::enterprise_insurance(db, user, id, today).await?;
    let viewer = Viewer::of(db, user).await?;
    let name = crate::enterprise::service::names(db, vec![id]).await?.remove(&id).unwrap_or_default();
    let section =
        if user.is_bureau_user() || viewer.insurer_id().is_some() { Section::Insurance } else { Section::OwnInsurance };
    let (services, services_total) = super::insurance_services::service_rows(state, user, id).await?;
    let policies: Vec<PolicyRow> = c.policies.iter().cloned().map(PolicyRow::of).collect();
    let cancellable =
        c.policies.iter().filter(|p| p.allowed_actions.iter().any(|a| a == "cancel")).cloned().map(PolicyRow::of);
    render_with(
        status,
        &EnterprisePage {
            layout: Layout::new(state, user, &format!("{name} · 安全生产责任保险"), section).await?,
            floor: money(c.floor_yuan),
            policies,
            may_record: Actor::of(&user.roles, viewer.insurer_id()).records(),
            saved: shown.saved,
            flash: shown.flash,
            cancellable: cancellable.collect(),
            typed: shown.typed,
            errors: shown.errors,
            services,
            services_total,
            c,
        },
    )
}

pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/insurance", get(list_page))
        .route("/insurance/policies/new", get(super::insurance_form::new_form).post(super::insurance_form::create))
        .route("/enterprises/{id}/insurance", get(enterprise_page))
        .route("/enterprises/{id}/insurance/cancel", axum::routing::post(super::insurance_cancel::cancel))
}
