//! 登记事故预防服务 (`/insurance/services/new`): a regulator or an insurer's user
//! records a service through the API's use case
//! (`insurance::prevention::service::create`), a hazard inspection with up to
//! [`SLOTS`] findings, each becoming a hazard of the enterprise's ledger. A
//! refusal or a failed form comes back with every problem in Chinese and what
//! was typed kept (403 or 422).
//!
//! Decisions:
//! - The policy is chosen from the caller's active policies (at most
//!   [`MAX_CHOICES`], soonest end first); `?policy_id=` preselects one, also an
//!   expired one the caller may still record under (the use case decides).
//! - A finding row counts when its title or description is typed; the API's
//!   problems of the i-th finding sent are shown on the row it came from.
//! - After saving, the browser goes to the services page.

use super::case_new_form::Typed;
use super::layout::Layout;
use super::page::{FormErrors, PageResult, PageUser, render_with, see_other};
use crate::auth::CurrentUser;
use crate::entities::hazard_category;
use crate::error::{AppError, FieldErrors};
use crate::hazard::domain::Level;
use crate::insurance::domain::PolicyStatus;
use crate::insurance::insurers::Viewer;
use crate::insurance::json::{InsurancePolicyFilter, InsurancePolicyResponse};
use crate::insurance::policy::Actor;
use crate::insurance::prevention::domain::ServiceKind;
use crate::insurance::prevention::json::{CreateInsuranceService, NewServiceFinding};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use chrono::NaiveDate;

/// Finding rows on the form.
pub const SLOTS: usize = 5;
/// Policies offered in the choice.
pub const MAX_CHOICES: u64 = 100;

#[derive(Template)]
#[template(path = "insurance_service_form.html")]
pub struct ServiceFormPage {
    pub layout: Layout,
    pub typed: Typed,
    pub errors: FormErrors,
    pub policies: Vec<InsurancePolicyResponse>,
    pub kinds: &'static [ServiceKind],
    pub levels: &'static [Level],
    pub categories: Vec<hazard_category::Model>,
    pub slots: usize,
}

impl ServiceFormPage {
    pub fn err(&self, field: &str) -> String {
        self.errors.of(field)
    }

    /// The typed value of finding row `i`'s `field`.
    pub fn f(&self, i: impl std::fmt::Display, field: &str) -> String {
        self.typed.get(&format!("f{i}_{field}")).to_owned()
    }

    pub fn ferr(&self, i: impl std::fmt::Display, field: &str) -> String {
        self.errors.of(&format!("findings.{i}.{field}"))
    }
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    typed: Typed,
    errors: FormErrors,
    status: StatusCode,
) -> PageResult {
    let db = state.db.conn();
    let today = crate::clock::china_date(state.clock.now());
    let f =
        InsurancePolicyFilter { status: Some(PolicyStatus::Active), per_page: Some(MAX_CHOICES), ..Default::default() };
    let mut policies = crate::insurance::view::list(db, user, &f, today).await?.items;
    if let Ok(id) = typed.get("policy_id").trim().parse::<i64>()
        && !policies.iter().any(|p| p.id == id)
        && let Ok(p) = crate::insurance::view::get(db, user, id, today).await
    {
        policies.insert(0, p);
    }
    let province = crate::category::province_of_user(db, user).await?;
    let section = super::insurance_services::section(&Viewer::of(db, user).await?);
    let p = ServiceFormPage {
        layout: Layout::new(state, user, "登记事故预防服务", section).await?,
        typed,
        errors,
        policies,
        kinds: ServiceKind::ALL,
        levels: Level::ALL,
        categories: crate::category::offered(db, province.as_deref(), None).await?,
        slots: SLOTS,
    };
    render_with(status, &p)
}

async fn refuse_unless_recorder(state: &AppState, user: &CurrentUser) -> PageResult<()> {
    let viewer = Viewer::of(state.db.conn(), user).await?;
    if Actor::of(&user.roles, viewer.insurer_id()).records() {
        Ok(())
    } else {
        Err(AppError::ForbiddenBecause("只有监管人员和保险机构可以登记事故预防服务".to_owned()).into())
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<Vec<(String, String)>>,
) -> PageResult {
    refuse_unless_recorder(&state, &user).await?;
    let mut typed = Typed::default();
    if let Some((_, v)) = q.iter().find(|(k, _)| k == "policy_id") {
        typed.set("policy_id", v.trim());
    }
    typed.set("served_on", crate::clock::china_date(state.clock.now()).to_string());
    page(&state, &user, typed, FormErrors::default(), StatusCode::OK).await
}

fn push(f: &mut FieldErrors, field: &str, message: &str) {
    f.entry(field.to_owned()).or_default().push(message.to_owned());
}

fn finding(t: &Typed, i: usize, f: &mut FieldErrors) -> Option<NewServiceFinding> {
    let get = |field: &str| t.get(&format!("f{i}_{field}")).trim().to_owned();
    if get("title").is_empty() && get("description").is_empty() {
        return None;
    }
    let deadline = match get("deadline") {
        d if d.is_empty() => None,
        d => {
            let parsed = NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok();
            if parsed.is_none() {
                push(f, &format!("findings.{i}.deadline"), "请填写日期（年-月-日）");
            }
            parsed
        }
    };
    let level = Level::ALL.iter().copied().find(|l| l.as_str() == get("level")).unwrap_or(Level::General);
    Some(NewServiceFinding {
        title: get("title"),
        description: get("description"),
        location: Some(get("location")).filter(|l| !l.is_empty()),
        level,
        category: get("category"),
        deadline,
    })
}

/// The API's body from the form and the row each finding sent came from; every problem of the typing at once.
pub fn body(t: &Typed) -> Result<(CreateInsuranceService, Vec<usize>), FieldErrors> {
    let mut f = FieldErrors::new();
    let policy_id = super::page::whole_number::<i64>(t.get("policy_id"), "policy_id", &mut f);
    if t.get("policy_id").trim().is_empty() {
        push(&mut f, "policy_id", "请选择保单");
    }
    let kind = ServiceKind::ALL.iter().copied().find(|k| k.as_str() == t.get("kind"));
    if kind.is_none() {
        push(&mut f, "kind", "请选择服务类型");
    }
    let served_on = NaiveDate::parse_from_str(t.get("served_on").trim(), "%Y-%m-%d").ok();
    if served_on.is_none() {
        push(&mut f, "served_on", "请填写日期（年-月-日）");
    }
    let cost = super::page::whole_number::<i64>(t.get("cost_yuan"), "cost_yuan", &mut f);
    if t.get("cost_yuan").trim().is_empty() {
        push(&mut f, "cost_yuan", "请填写服务费用（元），无费用填 0");
    }
    let (mut findings, mut rows) = (Vec::new(), Vec::new());
    for i in 0..SLOTS {
        if let Some(x) = finding(t, i, &mut f) {
            findings.push(x);
            rows.push(i);
        }
    }
    let (Some(policy_id), Some(kind), Some(served_on), Some(cost_yuan), true) =
        (policy_id, kind, served_on, cost, f.is_empty())
    else {
        return Err(f);
    };
    let experts = Some(t.get("experts").trim().to_owned()).filter(|e| !e.is_empty());
    let (provider, summary) = (t.get("provider").to_owned(), t.get("summary").to_owned());
    Ok((CreateInsuranceService { policy_id, kind, served_on, cost_yuan, provider, experts, summary, findings }, rows))
}

/// The API's problems of the i-th finding sent, keyed by the row it came from.
fn on_rows(e: AppError, rows: &[usize]) -> AppError {
    let AppError::Validation(f) = e else { return e };
    let rekey = |k: String| {
        let Some(rest) = k.strip_prefix("findings.") else { return k };
        let Some((i, field)) = rest.split_once('.') else { return k };
        match i.parse::<usize>().ok().and_then(|i| rows.get(i)) {
            Some(row) => format!("findings.{row}.{field}"),
            None => k,
        }
    };
    AppError::Validation(f.into_iter().map(|(k, v)| (rekey(k), v)).collect())
}

pub async fn create(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let typed = Typed::from_pairs(pairs);
    user.check_csrf(typed.get("csrf_token"))?;
    refuse_unless_recorder(&state, &user).await?;
    let result = match body(&typed) {
        Ok((b, rows)) => state
            .write(user.actor(), async |tx| crate::insurance::prevention::service::create(tx, &user, &b).await)
            .await
            .map_err(|e| on_rows(e, &rows)),
        Err(f) => Err(AppError::Validation(f)),
    };
    match result {
        Ok(_) => Ok(see_other("/insurance/services?saved=1")),
        Err(e @ (AppError::Validation(_) | AppError::Forbidden | AppError::Conflict { .. })) => {
            page(&state, &user, typed, FormErrors::from_error(&e), e.status()).await
        }
        Err(e) => Err(e.into()),
    }
}
