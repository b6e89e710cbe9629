//! Enterprise account onboarding (企业账号开通) as pages. The activation codes
//! exist only in the answer of the issuing request (the database keeps their
//! digests), so the batch waits in the process-local store (see
//! [`super::store`]: user-bound, 30 minutes) for the result page, the
//! printable letters and the xlsx list; after that it cannot be shown again
//! and a lost letter means issuing a new code.

use super::enterprise_pages::{Choice, sector_choices};
use super::layout::{Layout, Section};
use super::page::{PagePath, PageResult, PageUser, beijing, messages, render, render_with, see_other};
use super::{Batch, Stores};
use crate::auth::{CurrentUser, Role};
use crate::enterprise::onboarding::{GenerateAccountsRequest, IssuedAccount, run};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::{Extension, Form};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Deserialize;
use std::sync::Arc;

const TITLE: &str = "企业账号开通";

#[derive(Template)]
#[template(path = "accounts.html")]
struct FormPage {
    layout: Layout,
    sectors: Vec<Choice>,
    form: AccountsForm,
    errors: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AccountsForm {
    csrf_token: String,
    role_principal: Option<String>,
    role_safety_officer: Option<String>,
    sector: String,
    region: String,
    reissue: Option<String>,
}

impl AccountsForm {
    fn request(&self) -> GenerateAccountsRequest {
        let mut roles = Vec::new();
        if self.role_principal.is_some() {
            roles.push(Role::Principal);
        }
        if self.role_safety_officer.is_some() {
            roles.push(Role::SafetyOfficer);
        }
        GenerateAccountsRequest {
            enterprise_ids: None,
            sector: self.sector.parse().ok(),
            region: Some(self.region.trim().to_owned()).filter(|r| !r.is_empty()),
            roles,
            reissue: self.reissue.is_some(),
        }
    }
}

async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    form: AccountsForm,
    errors: Vec<String>,
) -> AppResult<FormPage> {
    let layout = Layout::new(state, user, TITLE, Section::Accounts).await?;
    Ok(FormPage { layout, sectors: sector_choices(&form.sector), form, errors })
}

pub async fn accounts_form(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    user.require_any(&[Role::Regulator])?;
    let form = AccountsForm { role_principal: Some("on".to_owned()), ..AccountsForm::default() };
    render(&form_page(&state, &user, form, Vec::new()).await?)
}

pub async fn issue_accounts(
    State(state): State<AppState>,
    Extension(stores): Extension<Arc<Stores>>,
    PageUser(user): PageUser,
    Form(form): Form<AccountsForm>,
) -> PageResult {
    user.check_csrf(&form.csrf_token)?;
    user.require_any(&[Role::Regulator])?;
    match run(&state, &user, &form.request()).await {
        Ok(out) => {
            let bureau = user.bureau.as_ref().map(|b| b.name.clone()).unwrap_or_default();
            let batch = Batch { issued: out.issued, skipped: out.skipped, bureau, at: state.clock.now() };
            let id = stores.batches.put(user.id, batch);
            Ok(see_other(&format!("/enterprises/accounts/batches/{id}")))
        }
        Err(e @ AppError::Validation(_)) => {
            let errors = messages(&e);
            render_with(e.status(), &form_page(&state, &user, form, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

fn batch(stores: &Stores, user: &CurrentUser, id: &str) -> AppResult<Arc<Batch>> {
    user.require_any(&[Role::Regulator])?;
    stores.batches.get(id, user.id).ok_or_else(|| {
        AppError::bad_request(
            "batch_expired",
            "这批账号的激活码已无法再次查看（只在签发后 30 分钟内可查看、打印和下载）。如开通函遗失，请勾选“重新签发”再次生成。",
        )
    })
}

pub struct IssuedView {
    pub enterprise_name: String,
    pub credit_code: String,
    pub role: &'static str,
    pub username: String,
    pub code: String,
    pub expires: String,
}

fn views(issued: &[IssuedAccount]) -> Vec<IssuedView> {
    issued
        .iter()
        .map(|a| IssuedView {
            enterprise_name: a.enterprise_name.clone(),
            credit_code: a.credit_code.clone(),
            role: a.role.zh(),
            username: a.username.clone(),
            code: a.activation_code.clone(),
            expires: beijing(a.expires_at),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "accounts_result.html")]
struct ResultPage {
    layout: Layout,
    id: String,
    skipped: usize,
    issued_at: String,
    accounts: Vec<IssuedView>,
}

pub async fn show_batch(
    State(state): State<AppState>,
    Extension(stores): Extension<Arc<Stores>>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<String>,
) -> PageResult {
    let b = batch(&stores, &user, &id)?;
    let layout = Layout::new(&state, &user, "账号开通结果", Section::Accounts).await?;
    render(&ResultPage { layout, id, skipped: b.skipped, issued_at: beijing(b.at), accounts: views(&b.issued) })
}

#[derive(Template)]
#[template(path = "accounts_letters.html")]
struct LettersPage {
    bureau: String,
    issued_on: String,
    site: String,
    accounts: Vec<IssuedView>,
}

/// One printable letter per account, one per printed page.
pub async fn letters(
    State(state): State<AppState>,
    Extension(stores): Extension<Arc<Stores>>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<String>,
    headers: HeaderMap,
) -> PageResult {
    let b = batch(&stores, &user, &id)?;
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("本系统网址");
    let scheme = if state.config.secure_cookies { "https" } else { "http" };
    let issued_on = crate::clock::china_date(b.at).format("%Y年%m月%d日").to_string();
    render(&LettersPage {
        bureau: b.bureau.clone(),
        issued_on,
        site: format!("{scheme}://{host}"),
        accounts: views(&b.issued),
    })
}

/// The batch as an xlsx list.
pub async fn batch_xlsx(
    State(state): State<AppState>,
    Extension(stores): Extension<Arc<Stores>>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<String>,
) -> PageResult {
    let b = batch(&stores, &user, &id)?;
    let bytes = tokio::task::spawn_blocking(move || accounts_workbook(&b.issued))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(crate::xlsx::response(bytes, &format!("企业账号开通-{}.xlsx", state.clock.today())))
}

fn accounts_workbook(issued: &[IssuedAccount]) -> Result<Vec<u8>, XlsxError> {
    const HEADERS: [(&str, f64); 6] = [
        ("企业名称", 36.0),
        ("统一社会信用代码", 22.0),
        ("角色", 14.0),
        ("用户名", 30.0),
        ("激活码", 18.0),
        ("有效期至", 18.0),
    ];
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name("企业账号")?;
    for (c, (h, width)) in (0_u16..).zip(HEADERS) {
        sheet.write_string_with_format(0, c, h, &bold)?;
        sheet.set_column_width(c, width)?;
    }
    for (r, a) in (1_u32..).zip(views(issued)) {
        let cells = [a.enterprise_name, a.credit_code, a.role.to_owned(), a.username, a.code, a.expires];
        for (c, v) in (0_u16..).zip(cells) {
            sheet.write_string(r, c, crate::limits::cell(&v))?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}
