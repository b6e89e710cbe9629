//! The frame around every signed-in page: product name, who is signed in and
//! for which bureau or enterprise, navigation by role, the logout button.
//! The navigation asks the domains' policies who works with what (e.g.
//! `statistics::domain::sees_statistics`), so a link never shows where the
//! pages and the API would refuse.

use crate::auth::{CurrentUser, Role};
use crate::enterprise::service::get_scoped;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub struct NavItem {
    pub href: String,
    pub label: &'static str,
    pub active: bool,
}

/// What `base.html` needs besides the page's own content.
pub struct Layout {
    pub title: String,
    pub user_name: String,
    /// The user's bureau, or the enterprise they work for.
    pub affiliation: String,
    pub nav: Vec<NavItem>,
    /// The pages of the current section's group (a second row), when it has several.
    pub subnav: Vec<NavItem>,
    pub csrf_token: String,
}

/// Navigation section a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Todos,
    Indicators,
    Enterprises,
    Import,
    Accounts,
    OwnEnterprise,
    Account,
    Hazards,
    Majors,
    Bulletins,
    Statistics,
    Checklists,
    SelfInspection,
    SelfInspectionOverview,
    Inspections,
    AnnualPlans,
    Draws,
    Risk,
    Accidents,
    RiskOverview,
    Cases,
    PenaltyCatalogue,
    Credit,
    OwnCredit,
    CaseStatistics,
    Dishonesty,
    /// 安责险 (`/insurance`, an enterprise's insurance page for bureau users and insurers).
    Insurance,
    /// The enterprise's own insurance page.
    OwnInsurance,
    /// 事故预防服务 (`/insurance/services`).
    InsuranceServices,
    /// 特种作业人员 of the territory (`/special-operations`) and an enterprise's for bureau users.
    SpecialOperations,
    /// The enterprise's own 特种作业人员.
    OwnSpecialOperations,
    /// 应急预案备案 (`/emergency-plans`, a filing for bureau users).
    EmergencyPlans,
    /// The enterprise's own emergency plans.
    OwnEmergencyPlans,
}

impl Layout {
    pub async fn new(state: &AppState, user: &CurrentUser, title: &str, section: Section) -> AppResult<Self> {
        let affiliation = match (&user.bureau, user.enterprise_ids.first()) {
            (Some(b), _) => b.name.clone(),
            (None, Some(id)) => match get_scoped(state.db.conn(), &user.scope, *id).await {
                Ok(e) => e.name,
                Err(AppError::NotFound) => String::new(),
                Err(e) => return Err(e),
            },
            (None, None) => String::new(),
        };
        let listed = !user.is_bureau_user() && has_listing(state, user).await?;
        let (top, subnav) = grouped(nav(user, section, listed));
        Ok(Self {
            title: title.to_owned(),
            user_name: user.display_name.clone(),
            affiliation,
            nav: top,
            subnav,
            csrf_token: user.csrf_token.clone(),
        })
    }
}

/// Whether an enterprise user's enterprise has a listing it may see (after the notice).
async fn has_listing(state: &AppState, user: &CurrentUser) -> AppResult<bool> {
    use crate::entities::dishonesty_listing as listing;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    if user.enterprise_ids.is_empty() {
        return Ok(false);
    }
    let n = listing::Entity::find()
        .filter(listing::Column::EnterpriseId.is_in(user.enterprise_ids.clone()))
        .filter(listing::Column::Status.ne(crate::dishonesty::domain::ListingStatus::Proposed))
        .count(state.db.conn())
        .await?;
    Ok(n > 0)
}

/// An enterprise user's pages of its own enterprise.
fn own_enterprise(user: &CurrentUser, items: &mut Vec<(String, &'static str, Section)>) {
    let (false, Some(id)) = (user.is_bureau_user(), user.enterprise_ids.first()) else { return };
    items.push((format!("/enterprises/{id}"), "本企业信息", Section::OwnEnterprise));
    let manages = user.has(Role::Principal) || user.has(Role::SafetyOfficer);
    if manages {
        items.push((format!("/enterprises/{id}/credit"), "信用记录", Section::OwnCredit));
    }
    items.push((format!("/enterprises/{id}/risk-points"), "风险管控", Section::Risk));
    if manages {
        items.push((format!("/enterprises/{id}/insurance"), "本企业安责险", Section::OwnInsurance));
        items.push((format!("/enterprises/{id}/special-operations"), "特种作业人员", Section::OwnSpecialOperations));
        items.push((format!("/enterprises/{id}/emergency-plans"), "应急预案", Section::OwnEmergencyPlans));
    }
}

/// `listed`: an enterprise user whose enterprise is (or was) on the dishonesty list.
fn nav(user: &CurrentUser, section: Section, listed: bool) -> Vec<NavItem> {
    let mut items =
        vec![("/todos".to_owned(), "待办", Section::Todos), ("/hazards".to_owned(), "隐患台账", Section::Hazards)];
    if user.is_bureau_user() && user.roles.iter().any(|r| crate::indicator::handlers::READERS.contains(r)) {
        items.insert(0, ("/indicators".to_owned(), "指标驾驶舱", Section::Indicators));
    }
    if crate::statistics::domain::sees_statistics(&user.roles, user.is_bureau_user()) {
        items.push(("/hazard-statistics".to_owned(), "隐患统计", Section::Statistics));
    }
    if user.is_bureau_user() {
        items.push(("/major-hazards".to_owned(), "重大隐患", Section::Majors));
        items.push(("/bulletins".to_owned(), "通报", Section::Bulletins));
        items.push(("/risk-overview".to_owned(), "风险分布", Section::RiskOverview));
        items.push(("/accidents".to_owned(), "事故", Section::Accidents));
        items.push(("/enterprises".to_owned(), "企业名录", Section::Enterprises));
        items.push(("/insurance".to_owned(), "安责险", Section::Insurance));
        items.push(("/special-operations".to_owned(), "特种作业持证", Section::SpecialOperations));
        items.push(("/emergency-plans".to_owned(), "预案备案", Section::EmergencyPlans));
    }
    if user.has(Role::Insurer) {
        items.push(("/insurance".to_owned(), "承保保单", Section::Insurance));
        items.push(("/insurance/services".to_owned(), "事故预防服务", Section::InsuranceServices));
    }
    if user.has(Role::Regulator) {
        items.push(("/enterprises/import".to_owned(), "名录导入", Section::Import));
        items.push(("/enterprises/accounts".to_owned(), "企业账号", Section::Accounts));
    }
    if user.is_bureau_user() {
        items.push(("/credit".to_owned(), "监管信用", Section::Credit));
    }
    own_enterprise(user, &mut items);
    if crate::self_inspection::policy::reads(user) && !user.is_bureau_user() {
        items.push(("/self-inspection".to_owned(), "隐患排查", Section::SelfInspection));
    }
    if crate::self_inspection::policy::reads_overview(user) {
        items.push(("/self-inspection/overview".to_owned(), "企业排查", Section::SelfInspectionOverview));
    }
    if user.is_bureau_user() {
        items.push(("/inspections".to_owned(), "执法检查", Section::Inspections));
    }
    if super::draw_pages::sees_draws(user) {
        items.push(("/draws".to_owned(), "双随机抽查", Section::Draws));
    }
    if user.is_bureau_user() {
        items.push(("/annual-plans".to_owned(), "年度检查计划", Section::AnnualPlans));
        items.push(("/checklists".to_owned(), "检查表", Section::Checklists));
    }
    if user.is_bureau_user() {
        items.push(("/cases".to_owned(), "案件", Section::Cases));
        items.push(("/penalty-catalogue".to_owned(), "处罚目录", Section::PenaltyCatalogue));
        items.push(("/cases/statistics".to_owned(), "处罚统计", Section::CaseStatistics));
        items.push(("/dishonesty-list".to_owned(), "失信名单", Section::Dishonesty));
    }
    if listed {
        // Its own entry, outside the bureau's 行政处罚 group.
        items.push(("/dishonesty-list".to_owned(), "失信信息", Section::Dishonesty));
    }
    items.into_iter().map(|(href, label, s)| NavItem { href, label, active: s == section }).collect()
}

/// The group a section's menu entry belongs to: the main menu shows one entry per
/// group (its first page, under the group's name) and the current group's pages in a
/// second row, so the menu stays on one line as modules are added.
fn group(label: &str) -> Option<&'static str> {
    match label {
        "企业名录" | "名录导入" | "企业账号" | "监管信用" | "安责险" | "特种作业持证" => {
            Some("企业名录")
        }
        "本企业信息" | "信用记录" | "本企业安责险" | "特种作业人员" => Some("本企业信息"),
        "执法检查" | "双随机抽查" | "年度检查计划" | "检查表" => Some("执法检查"),
        "风险分布" | "事故" | "风险与事故" => Some("风险与事故"),
        "案件" | "处罚目录" | "处罚统计" | "失信名单" | "行政处罚" => Some("行政处罚"),
        _ => None,
    }
}

fn grouped(items: Vec<NavItem>) -> (Vec<NavItem>, Vec<NavItem>) {
    let mut top: Vec<NavItem> = Vec::new();
    let mut sub = Vec::new();
    let current = items.iter().find(|i| i.active).and_then(|i| group(i.label));
    for item in items {
        let g = group(item.label);
        if g.is_some() && g == current {
            sub.push(NavItem { href: item.href.clone(), label: item.label, active: item.active });
        }
        match g {
            Some(name) => match top.iter_mut().find(|t| group(t.label) == Some(name)) {
                Some(t) => t.active |= item.active,
                None => top.push(NavItem { href: item.href, label: name, active: item.active }),
            },
            None => top.push(item),
        }
    }
    if sub.len() < 2 {
        sub.clear();
    }
    (top, sub)
}
