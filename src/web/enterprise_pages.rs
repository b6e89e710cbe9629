//! The register as pages: the filtered, paged list and one enterprise's detail.

use super::labels;
use super::layout::{Layout, Section};
use super::page::{PagePath, PageResult, PageUser, beijing, messages, query_string, render, render_with};
use crate::auth::Role;
use crate::enterprise::domain::{EnterpriseStatus, Sector};
use crate::enterprise::json::{
    EnterpriseDetailResponse, EnterpriseFilter, EnterpriseResponse, LicenceResponse, StatusChangeResponse,
};
use crate::enterprise::{detail, list, service};
use crate::entities::enterprise;
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;

const PER_PAGE: u64 = 50;

/// The list's filters as typed into the bar (all text, so a bad value is shown, not rejected).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    sector: String,
    region: String,
    q: String,
    status: String,
    risk_grade: String,
    supervision_class: String,
    page: String,
}

impl ListQuery {
    fn page(&self) -> u64 {
        super::page::page_number(&self.page)
    }

    fn filter(&self) -> EnterpriseFilter {
        EnterpriseFilter {
            sector: self.sector.parse().ok(),
            region: Some(self.region.trim().to_owned()).filter(|r| !r.is_empty()),
            q: Some(self.q.trim().to_owned()).filter(|q| !q.is_empty()),
            status: self.status.parse().ok(),
            risk_grade: self.risk_grade.parse().ok(),
            supervision_class: Some(self.supervision_class.trim().to_owned()).filter(|c| !c.is_empty()),
            page: Some(self.page()),
            per_page: Some(PER_PAGE),
        }
    }

    /// The filters (not the page) as a query string; values that name nothing are left out.
    fn filters_query(&self) -> String {
        let f = self.filter();
        query_string(&[
            ("sector", f.sector.map_or("", Sector::as_str)),
            ("region", f.region.as_deref().unwrap_or_default()),
            ("q", f.q.as_deref().unwrap_or_default()),
            ("status", f.status.map_or("", EnterpriseStatus::as_str)),
            ("risk_grade", f.risk_grade.map_or("", crate::risk::domain::RiskLevel::as_str)),
            ("supervision_class", f.supervision_class.as_deref().unwrap_or_default()),
        ])
    }
}

pub use super::page::Choice;

pub fn sector_choices(selected: &str) -> Vec<Choice> {
    super::page::choices(Sector::ALL, Sector::as_str, Sector::zh, selected)
}

fn status_choices(selected: &str) -> Vec<Choice> {
    super::page::choices(EnterpriseStatus::ALL, EnterpriseStatus::as_str, EnterpriseStatus::zh, selected)
}

pub struct Row {
    pub id: i64,
    pub credit_code: String,
    pub name: String,
    pub sector: String,
    pub sub_types: String,
    pub region: String,
    pub status: String,
    pub operating: bool,
    pub standardization: String,
    /// `red` … or empty when not graded (the CSS class), and its wording.
    pub grade: String,
    pub grade_label: String,
    pub class_name: String,
}

impl From<enterprise::Model> for Row {
    fn from(e: enterprise::Model) -> Self {
        Self {
            id: e.id,
            sector: e.sector.zh().to_owned(),
            sub_types: labels::sub_types(&e.sub_types),
            region: labels::region(&e.region_code),
            status: e.status.zh().to_owned(),
            operating: e.status == EnterpriseStatus::Operating,
            standardization: e.standardization_grade.zh().to_owned(),
            grade: e.risk_grade.map_or_else(String::new, |g| g.as_str().to_owned()),
            grade_label: crate::grading::service::grade_label(e.risk_grade),
            class_name: crate::inspection::governance::cap::caps()
                .class_by_code(e.supervision_class.as_deref())
                .map_or_else(String::new, |c| c.name.clone()),
            credit_code: e.credit_code,
            name: e.name,
        }
    }
}

#[derive(Template)]
#[template(path = "enterprises.html")]
struct ListPage {
    layout: Layout,
    sectors: Vec<Choice>,
    statuses: Vec<Choice>,
    grades: Vec<Choice>,
    classes: Vec<Choice>,
    /// The regions to filter by, by name.
    regions: Vec<super::hazard_ledger::NamedOption>,
    q: String,
    errors: Vec<String>,
    rows: Vec<Row>,
    total: u64,
    page: u64,
    pages: u64,
    prev_href: Option<String>,
    next_href: Option<String>,
    export_href: Option<String>,
}

pub async fn list_enterprises(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(query): Query<ListQuery>,
) -> PageResult {
    let layout = Layout::new(&state, &user, "企业名录", Section::Enterprises).await?;
    let (rows, total, errors) = match list::list(&state, &user.scope, &query.filter()).await {
        Ok((items, total)) => (items.into_iter().map(Row::from).collect(), total, Vec::new()),
        Err(e @ AppError::Validation(_)) => (Vec::new(), 0, messages(&e)),
        Err(e) => return Err(e.into()),
    };
    let page = query.page();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let filters = query.filters_query();
    let href = |p: u64| {
        let sep = if filters.is_empty() { "" } else { "&" };
        format!("/enterprises?{filters}{sep}page={p}")
    };
    let page_view = ListPage {
        layout,
        sectors: sector_choices(&query.sector),
        statuses: status_choices(&query.status),
        grades: super::page::choices(
            crate::risk::domain::RiskLevel::ALL,
            crate::risk::domain::RiskLevel::as_str,
            crate::risk::domain::RiskLevel::zh,
            &query.risk_grade,
        ),
        classes: crate::inspection::governance::cap::caps()
            .classes
            .iter()
            .map(|c| Choice { value: &c.code, label: &c.name, selected: c.code == query.supervision_class })
            .collect(),
        regions: super::hazard_ledger::regions(&user, query.region.trim()),
        q: query.q.trim().to_owned(),
        rows,
        total,
        page,
        pages,
        prev_href: (page > 1).then(|| href(page - 1)),
        next_href: (page < pages).then(|| href(page + 1)),
        export_href: user.has(Role::Regulator).then(|| format!("/api/v1/enterprises/export?{filters}")),
        errors,
    };
    let status = if page_view.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_with(status, &page_view)
}

/// A labelled value of the detail page.
pub struct Field {
    pub label: &'static str,
    pub value: String,
}

fn field(label: &'static str, value: String) -> Field {
    Field { label, value }
}

pub struct LicenceRow {
    pub kind: String,
    pub number: String,
    pub issuer: String,
    pub valid_from: String,
    pub valid_to: String,
}

pub struct StatusRow {
    pub at: String,
    pub previous: String,
    pub status: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "enterprise.html")]
struct DetailPage {
    layout: Layout,
    name: String,
    credit_code: String,
    status: String,
    operating: bool,
    basics: Vec<Field>,
    classification: Vec<Field>,
    contact: Vec<Field>,
    licences: Vec<LicenceRow>,
    history: Vec<StatusRow>,
    /// The latest hazards of the enterprise the user may see, and how many there are.
    hazards: Vec<HazardLine>,
    hazards_total: u64,
    id: i64,
    /// 执法检查 and 企业自查 sections.
    more: super::enterprise_inspections::Sections,
}

/// One of an enterprise's latest hazards on its register page.
pub struct HazardLine {
    pub id: i64,
    pub title: String,
    pub level: &'static str,
    pub status: &'static str,
    pub found: String,
    pub deadline: String,
    pub overdue: bool,
}

/// The enterprise's latest 20 hazards within the user's scope (an unverified
/// tip-off stays hidden from the enterprise, as in the ledger).
async fn hazards_of(state: &AppState, user: &crate::auth::CurrentUser, id: i64) -> PageResult<(Vec<HazardLine>, u64)> {
    let today = state.clock.today();
    let filter = crate::hazard::json::HazardFilter {
        enterprise_id: Some(id),
        per_page: Some(20),
        ..crate::hazard::json::HazardFilter::default()
    };
    let (rows, total) = crate::hazard::list::list(state, &user.scope, &filter, today).await?;
    let lines = rows
        .into_iter()
        .map(|h| HazardLine {
            id: h.id,
            level: h.level.zh(),
            status: h.status.zh(),
            found: super::page::beijing(h.found_at).chars().take(10).collect(),
            deadline: date(h.deadline),
            overdue: crate::hazard::domain::is_overdue(h.status, h.deadline, today),
            title: h.title,
        })
        .collect();
    Ok((lines, total))
}

pub async fn show_enterprise(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let row = service::get_scoped(state.db.conn(), &user.scope, id).await?;
    let d = detail::load(state.db.conn(), row).await?;
    let section = if user.is_bureau_user() { Section::Enterprises } else { Section::OwnEnterprise };
    let layout = Layout::new(&state, &user, &d.enterprise.name, section).await?;
    let (hazards, hazards_total) = hazards_of(&state, &user, id).await?;
    let more = super::enterprise_inspections::load(state.db.conn(), &user, id, state.clock.today()).await?;
    render(&DetailPage { hazards, hazards_total, id, more, ..detail_page(layout, &d) })
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map_or_else(|| labels::EMPTY.to_owned(), |d| d.format("%Y-%m-%d").to_string())
}

fn detail_page(layout: Layout, d: &EnterpriseDetailResponse) -> DetailPage {
    let e = &d.enterprise;
    DetailPage {
        name: e.name.clone(),
        credit_code: e.credit_code.clone(),
        status: e.status.zh().to_owned(),
        operating: e.status == EnterpriseStatus::Operating,
        layout,
        basics: basics(d),
        classification: classification(e),
        contact: contact(e),
        licences: d.licences.iter().map(licence_row).collect(),
        history: d.status_history.iter().map(status_row).collect(),
        hazards: Vec::new(),
        hazards_total: 0,
        id: e.id,
        more: super::enterprise_inspections::Sections::default(),
    }
}

fn basics(d: &EnterpriseDetailResponse) -> Vec<Field> {
    let e = &d.enterprise;
    vec![
        field("统一社会信用代码", e.credit_code.clone()),
        field("企业名称", e.name.clone()),
        field("行政区划", labels::region(&e.region_code)),
        field("监管主体", labels::text(Some(&d.supervising_bureau_name))),
        field("经营状态", e.status.zh().to_owned()),
        field("登记时间", beijing(e.created_at)),
        field("最后更新", format!("{}（第 {} 版）", beijing(e.updated_at), e.version)),
    ]
}

fn classification(e: &EnterpriseResponse) -> Vec<Field> {
    vec![
        field("行业", e.sector.zh().to_owned()),
        field("细分类别", labels::sub_types(&e.sub_types.join(","))),
        field("涉及专项", labels::special_topics(&e.special_topics.join(","))),
        field("规模以上", labels::yes_no(e.above_designated_size)),
        field("重大危险源等级", labels::major_hazard(e.major_hazard_grade.as_deref())),
        field("安全生产标准化等级", e.standardization_grade.zh().to_owned()),
        field("标准化定级日期", date(e.standardization_date)),
        field("风险等级", crate::grading::service::grade_label(e.risk_grade)),
        field(
            "监管类别",
            crate::inspection::governance::cap::caps().named(&e.supervision_class).map_or_else(
                || e.supervision_class.clone(),
                |c| format!("{}（年度检查不超过 {} 次）", c.name, c.yearly_cap),
            ),
        ),
    ]
}

fn contact(e: &EnterpriseResponse) -> Vec<Field> {
    let coords = match (e.longitude, e.latitude) {
        (Some(lng), Some(lat)) => format!("经度 {lng:.6}，纬度 {lat:.6}（WGS-84）"),
        _ => labels::EMPTY.to_owned(),
    };
    vec![
        field("生产经营地址", labels::text(e.address.as_deref())),
        field("坐标", coords),
        field("法定代表人", labels::text(e.legal_representative.as_deref())),
        field("主要负责人", labels::text(e.principal.as_deref())),
        field("联系电话", labels::text(e.phone.as_deref())),
        field("联系邮箱", labels::text(e.email.as_deref())),
        field("从业人员数", e.employees.map_or_else(|| labels::EMPTY.to_owned(), |n| format!("{n} 人"))),
    ]
}

fn licence_row(l: &LicenceResponse) -> LicenceRow {
    LicenceRow {
        kind: labels::licence_type(&l.licence_type),
        number: l.number.clone(),
        issuer: labels::text(l.issuer.as_deref()),
        valid_from: date(l.valid_from),
        valid_to: date(l.valid_to),
    }
}

fn status_row(h: &StatusChangeResponse) -> StatusRow {
    StatusRow {
        at: beijing(h.changed_at),
        previous: h.previous_status.map_or_else(|| labels::EMPTY.to_owned(), |s| s.zh().to_owned()),
        // A suspension order on a hazard, or its lifting, names the event (the register's status is unchanged).
        status: h.event.map_or_else(|| h.status.zh().to_owned(), |e| e.zh().to_owned()),
        reason: labels::text(h.reason.as_deref()),
    }
}
