//! The annual plan's form (zh-CN): new, edit a draft, revise an approved plan. It
//! keeps what was typed on error and lists every problem at once.
//!
//! Decisions: key enterprises are typed as 统一社会信用代码, one per line (a list
//! pasted from the bureau's spreadsheet; the one-enterprise picker does not fit a
//! list); random targets are a grid of sectors × supervision classes with a ratio in
//! percent (empty = none); the inspectors field left empty takes the bureau's
//! certified inspectors.

use super::layout::{Layout, Section};
use super::page::{FormErrors, PagePath, PageResult, PageUser, render, render_with, see_other};
use crate::annual_plan::json::{PlanBody, TargetBody};
use crate::annual_plan::{service, view};
use crate::auth::CurrentUser;
use crate::enterprise::domain::Sector;
use crate::entities::{annual_plan as plan, enterprise};
use crate::error::{AppError, FieldErrors};
use crate::inspection::governance::cap;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Form, Router};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// One cell of the targets grid.
pub struct Cell {
    pub name: String,
    pub value: String,
}

/// One row of the targets grid: a sector and its cells per class.
pub struct Row {
    pub sector: &'static str,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Default, Clone)]
pub struct Typed {
    year: String,
    inspectors: String,
    available_days: String,
    reserve_percent: String,
    days_per_inspection: String,
    key_codes: String,
    ratios: Vec<(String, String)>,
    monthly: Vec<String>,
    notes: String,
    reason: String,
    csrf_token: String,
}

impl Typed {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut t = Self { monthly: vec![String::new(); 12], ..Self::default() };
        for (k, v) in pairs.into_iter().take(200) {
            match k.as_str() {
                "year" => t.year = v,
                "inspectors" => t.inspectors = v,
                "available_days" => t.available_days = v,
                "reserve_percent" => t.reserve_percent = v,
                "days_per_inspection" => t.days_per_inspection = v,
                "key_codes" => t.key_codes = v,
                "notes" => t.notes = v,
                "reason" => t.reason = v,
                "csrf_token" => t.csrf_token = v,
                _ if k.starts_with("ratio_") => t.ratios.push((k, v)),
                _ => {
                    if let Some(m) =
                        k.strip_prefix('m').and_then(|m| m.parse::<usize>().ok()).filter(|m| (1..=12).contains(m))
                    {
                        t.monthly[m - 1] = v;
                    }
                }
            }
        }
        t
    }

    async fn of(state: &AppState, p: &plan::Model) -> PageResult<Self> {
        let ids = view::key_ids(p);
        let rows = enterprise::Entity::find()
            .filter(enterprise::Column::Id.is_in(ids.clone()))
            .all(state.db.conn())
            .await
            .map_err(AppError::from)?;
        let codes: Vec<String> =
            ids.iter().filter_map(|id| rows.iter().find(|e| e.id == *id)).map(|e| e.credit_code.clone()).collect();
        let ratios = view::targets(p)
            .iter()
            .map(|t| {
                (
                    format!("ratio_{}_{}", t.sector.as_str(), t.supervision_class),
                    format!("{}", (t.ratio * 1000.0).round() / 10.0),
                )
            })
            .collect();
        Ok(Self {
            year: p.year.to_string(),
            inspectors: p.inspectors.to_string(),
            available_days: p.available_days.to_string(),
            reserve_percent: p.reserve_percent.to_string(),
            days_per_inspection: p.days_per_inspection.to_string(),
            key_codes: codes.join("\n"),
            ratios,
            monthly: view::monthly(p).iter().map(ToString::to_string).collect(),
            notes: p.notes.clone().unwrap_or_default(),
            reason: String::new(),
            csrf_token: String::new(),
        })
    }

    fn ratio(&self, name: &str) -> String {
        self.ratios.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "annual_plan_form.html")]
struct FormPage {
    layout: Layout,
    errors: FormErrors,
    typed: Typed,
    rows: Vec<Row>,
    classes: Vec<String>,
    action: String,
    revision: bool,
    suggested: u64,
}

async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    typed: Typed,
    errors: FormErrors,
    action: String,
    revision: bool,
) -> PageResult<FormPage> {
    let caps = cap::caps();
    let rows = Sector::ALL
        .iter()
        .map(|s| Row {
            sector: s.zh(),
            cells: caps
                .classes
                .iter()
                .map(|c| {
                    let name = format!("ratio_{}_{}", s.as_str(), c.code);
                    Cell { value: typed.ratio(&name), name }
                })
                .collect(),
        })
        .collect();
    let bureau = crate::scope::own_bureau(state.db.conn(), user).await?;
    let suggested =
        crate::annual_plan::body::certified_inspectors(state.db.conn(), bureau.id, state.clock.today()).await?;
    let title = if revision {
        "修订年度检查计划"
    } else if action.ends_with("/edit") {
        "修改年度检查计划"
    } else {
        "编制年度检查计划"
    };
    Ok(FormPage {
        layout: Layout::new(state, user, title, Section::AnnualPlans).await?,
        errors,
        typed,
        rows,
        classes: caps.classes.iter().map(|c| c.name.clone()).collect(),
        action,
        revision,
        suggested,
    })
}

fn number<T: std::str::FromStr + Default>(fields: &mut FieldErrors, field: &str, label: &str, s: &str) -> T {
    s.trim().parse().unwrap_or_else(|_| {
        fields.entry(field.into()).or_default().push(format!("请填写{label}（数字）"));
        T::default()
    })
}

/// The body from what was typed; problems of typing (not numbers, unknown credit codes) as field errors.
async fn body_of(state: &AppState, user: &CurrentUser, t: &Typed) -> PageResult<(PlanBody, FieldErrors)> {
    let mut f = FieldErrors::new();
    let inspectors = if t.inspectors.trim().is_empty() {
        None
    } else {
        Some(number(&mut f, "inspectors", "执法人员数", &t.inspectors))
    };
    let mut random_targets = Vec::new();
    for s in Sector::ALL {
        for c in &cap::caps().classes {
            let v = t.ratio(&format!("ratio_{}_{}", s.as_str(), c.code));
            if v.trim().is_empty() {
                continue;
            }
            let pct: f64 = number(&mut f, "random_targets", "抽查比例", &v);
            random_targets.push(TargetBody { sector: *s, supervision_class: c.code.clone(), ratio: pct / 100.0 });
        }
    }
    let codes: Vec<String> = t
        .key_codes
        .lines()
        .map(|l| l.trim().to_uppercase())
        .filter(|l| !l.is_empty())
        .take(crate::limits::IDS + 1)
        .collect();
    let found = crate::scope::scoped(
        enterprise::Entity::find().filter(enterprise::Column::CreditCode.is_in(codes.clone())),
        &user.scope,
    )
    .all(state.db.conn())
    .await
    .map_err(AppError::from)?;
    let unknown: Vec<&str> =
        codes.iter().filter(|c| !found.iter().any(|e| &e.credit_code == *c)).map(String::as_str).collect();
    if !unknown.is_empty() {
        f.entry("key_enterprise_ids".into())
            .or_default()
            .push(format!("未找到这些统一社会信用代码的企业：{}", unknown.join("、")));
    }
    let key_enterprise_ids =
        codes.iter().filter_map(|c| found.iter().find(|e| &e.credit_code == c)).map(|e| e.id).collect();
    let monthly = t
        .monthly
        .iter()
        .map(|m| if m.trim().is_empty() { 0 } else { number(&mut f, "monthly", "月度安排", m) })
        .collect();
    let body = PlanBody {
        year: number(&mut f, "year", "年度", &t.year),
        inspectors,
        available_days: number(&mut f, "available_days", "每人可用执法工作日", &t.available_days),
        reserve_percent: number(&mut f, "reserve_percent", "预留比例", &t.reserve_percent),
        days_per_inspection: number(&mut f, "days_per_inspection", "每次检查所需执法工作日", &t.days_per_inspection),
        key_enterprise_ids,
        random_targets,
        monthly,
        notes: Some(t.notes.clone()),
        reason: Some(t.reason.clone()),
    };
    Ok((body, f))
}

pub async fn new_form(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    if !crate::annual_plan::policy::may_create(&user) {
        return Err(AppError::Forbidden.into());
    }
    let year = chrono::Datelike::year(&state.clock.today()) + 1;
    let typed = Typed {
        year: year.to_string(),
        available_days: "200".into(),
        reserve_percent: "20".into(),
        days_per_inspection: "2".into(),
        monthly: vec![String::new(); 12],
        ..Typed::default()
    };
    render(&form_page(&state, &user, typed, FormErrors::default(), "/annual-plans/new".into(), false).await?)
}

pub async fn edit_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let p = service::get_visible(state.db.conn(), &user, id).await?;
    let revision = p.revises_id.is_some();
    let mut typed = Typed::of(&state, &p).await?;
    typed.reason = p.reason.clone().unwrap_or_default();
    render(&form_page(&state, &user, typed, FormErrors::default(), format!("/annual-plans/{id}/edit"), revision).await?)
}

pub async fn revise_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let p = service::get_visible(state.db.conn(), &user, id).await?;
    let typed = Typed::of(&state, &p).await?;
    render(&form_page(&state, &user, typed, FormErrors::default(), format!("/annual-plans/{id}/revise"), true).await?)
}

async fn submit(
    state: AppState,
    user: CurrentUser,
    id: Option<i64>,
    revise: bool,
    pairs: Vec<(String, String)>,
) -> PageResult {
    let typed = Typed::from_pairs(pairs);
    user.check_csrf(&typed.csrf_token)?;
    let action = match (id, revise) {
        (Some(id), true) => format!("/annual-plans/{id}/revise"),
        (Some(id), false) => format!("/annual-plans/{id}/edit"),
        (None, _) => "/annual-plans/new".to_owned(),
    };
    let (body, typing) = body_of(&state, &user, &typed).await?;
    let result = if typing.is_empty() {
        state
            .write(user.actor(), async |tx| match (id, revise) {
                (Some(id), true) => service::revise(tx, &user, id, &body).await,
                (Some(id), false) => service::update(tx, &user, id, &body).await,
                (None, _) => service::create(tx, &user, &body).await,
            })
            .await
    } else {
        Err(AppError::Validation(typing))
    };
    match result {
        Ok(p) => Ok(see_other(&format!("/annual-plans/{}?saved=1", p.id))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            let revision = revise || (id.is_some() && !typed.reason.trim().is_empty());
            let page = form_page(&state, &user, typed, FormErrors::from_error(&e), action, revision).await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    submit(state, user, None, false, pairs).await
}

pub async fn update(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    submit(state, user, Some(id), false, pairs).await
}

pub async fn revise(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    submit(state, user, Some(id), true, pairs).await
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/annual-plans/new", get(new_form).post(create))
        .route("/annual-plans/{id}/edit", get(edit_form).post(update))
        .route("/annual-plans/{id}/revise", get(revise_form).post(revise))
}
