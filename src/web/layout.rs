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
    pub csrf_token: String,
}

/// Navigation section a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Todos,
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
        Ok(Self {
            title: title.to_owned(),
            user_name: user.display_name.clone(),
            affiliation,
            nav: nav(user, section),
            csrf_token: user.csrf_token.clone(),
        })
    }
}

fn nav(user: &CurrentUser, section: Section) -> Vec<NavItem> {
    let mut items =
        vec![("/todos".to_owned(), "待办", Section::Todos), ("/hazards".to_owned(), "隐患台账", Section::Hazards)];
    if crate::statistics::domain::sees_statistics(&user.roles, user.is_bureau_user()) {
        items.push(("/hazard-statistics".to_owned(), "隐患统计", Section::Statistics));
    }
    if user.is_bureau_user() {
        items.push(("/major-hazards".to_owned(), "重大隐患", Section::Majors));
        items.push(("/bulletins".to_owned(), "通报", Section::Bulletins));
        items.push(("/enterprises".to_owned(), "企业名录", Section::Enterprises));
    }
    if user.has(Role::Regulator) {
        items.push(("/enterprises/import".to_owned(), "名录导入", Section::Import));
        items.push(("/enterprises/accounts".to_owned(), "企业账号", Section::Accounts));
    }
    if let (false, Some(id)) = (user.is_bureau_user(), user.enterprise_ids.first()) {
        items.push((format!("/enterprises/{id}"), "本企业信息", Section::OwnEnterprise));
    }
    if user.is_bureau_user() {
        items.push(("/checklists".to_owned(), "检查表", Section::Checklists));
    }
    if crate::self_inspection::policy::reads(user) && !user.is_bureau_user() {
        items.push(("/self-inspection".to_owned(), "隐患排查", Section::SelfInspection));
    }
    if crate::self_inspection::policy::reads_overview(user) {
        items.push(("/self-inspection/overview".to_owned(), "企业排查", Section::SelfInspectionOverview));
    }
    if user.is_bureau_user() {
        items.push(("/inspections".to_owned(), "执法检查", Section::Inspections));
        items.push(("/annual-plans".to_owned(), "年度检查计划", Section::AnnualPlans));
    }
    if super::draw_pages::sees_draws(user) {
        items.push(("/draws".to_owned(), "双随机抽查", Section::Draws));
    }
    items.into_iter().map(|(href, label, s)| NavItem { href, label, active: s == section }).collect()
}
