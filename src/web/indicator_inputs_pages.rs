//! 指标基数与目标 (`/indicators/inputs`): a bureau user chooses a region (the
//! bureau's own and below) and a year and sees what is entered — denominators,
//! baselines, the bureau targets and, read-only, the plans' shipped targets with
//! their plan, line and 未核实 where they are an interpretation; a regulator also
//! gets the three forms (through the API's use cases) and the two imports. A
//! failed form comes back with every problem in Chinese and what was typed kept.

use super::case_new_form::Typed;
use super::layout::{Layout, Section};
use super::page::{FormErrors, PagePath, PageResult, PageUser, render_with, see_other};
use crate::auth::{CurrentUser, Role};
use crate::enterprise::domain::RegionCode;
use crate::error::{AppError, FieldErrors};
use crate::indicator::inputs::checks::{Enterer, covers};
use crate::indicator::inputs::json::{
    BaselineInput, BaselineResponse, DenominatorInput, DenominatorResponse, InputsFilter, TargetInput, TargetResponse,
};
use crate::indicator::inputs::{list, service};
use crate::indicator::rules;
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};

/// A shipped target as shown.
pub struct ShippedView {
    pub region_name: String,
    pub indicator_name: String,
    pub year: i32,
    pub target: String,
    pub plan: String,
    pub line: String,
    pub binding: bool,
    pub verified: bool,
}

#[derive(Template)]
#[template(path = "indicator_inputs.html")]
pub struct InputsPage {
    pub layout: Layout,
    pub regions: Vec<(String, &'static str)>,
    pub indicators: Vec<(String, String)>,
    pub region: String,
    pub year: String,
    pub may_enter: bool,
    pub denominators: Vec<DenominatorResponse>,
    pub baselines: Vec<BaselineResponse>,
    pub targets: Vec<TargetResponse>,
    pub shipped: Vec<ShippedView>,
    /// The form that failed (`denominator`, `baseline`, `target`), what was typed, its problems.
    pub failed: &'static str,
    pub typed: Typed,
    pub errors: FormErrors,
    pub saved: String,
}

impl InputsPage {
    /// The value of a form's field: as typed when that form failed, else the chosen region or year.
    pub fn v(&self, form: &str, field: &str) -> String {
        if self.failed == form {
            return self.typed.get(field).to_owned();
        }
        match field {
            "region_code" => self.region.clone(),
            "year" => self.year.clone(),
            _ => String::new(),
        }
    }

    pub fn err(&self, form: &str, field: &str) -> String {
        if self.failed == form { self.errors.of(field) } else { String::new() }
    }

    pub fn checked(&self, form: &str, field: &str) -> bool {
        self.failed == form && !self.typed.get(field).is_empty()
    }
}

/// A denominators entry's GDP as shown (empty when not entered).
pub fn gdp(d: &DenominatorResponse) -> String {
    d.gdp_100m_yuan.map(|v| v.to_string()).unwrap_or_default()
}

/// A bureau target's figure as shown.
pub fn target_of(t: &TargetResponse) -> String {
    target_text(t.value, t.change_percent, t.base_year)
}

pub fn target_text(value: Option<f64>, change: Option<f64>, base: Option<i32>) -> String {
    match (value, change, base) {
        (Some(v), _, _) => v.to_string(),
        (None, Some(c), Some(b)) => format!("较 {b} 年{}{}%", if c < 0.0 { "下降 " } else { "上升 " }, c.abs()),
        _ => String::new(),
    }
}

fn shipped(b: &crate::entities::bureau::Model, region: &str, year: Option<i32>) -> Vec<ShippedView> {
    let Ok(data) = rules::data() else { return Vec::new() };
    data.targets
        .iter()
        .filter(|t| covers(b, &t.region) && (region.is_empty() || t.region == region))
        .filter(|t| year.is_none_or(|y| t.year == y))
        .map(|t| ShippedView {
            region_name: list::region_name(&t.region),
            indicator_name: list::indicator_name(&t.indicator),
            year: t.year,
            target: target_text(t.value, t.change_percent, t.base_year),
            plan: t.plan.clone(),
            line: t.line.clone(),
            binding: t.binding,
            verified: t.verified,
        })
        .collect()
}

/// The page for a bureau user (403 otherwise), for the chosen region (404 outside) and year.
async fn page(state: &AppState, user: &CurrentUser, q: &[(String, String)]) -> Result<InputsPage, AppError> {
    let db = state.db.conn();
    let b = list::reader(db, user).await?;
    let get = |k: &str| q.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let (region, year) = (get("region"), get("year"));
    let f = InputsFilter { region: Some(region.clone()).filter(|r| !r.is_empty()), year: year.parse().ok() };
    let own = RegionCode::parse(&b.region_code).map_err(|_| AppError::Forbidden)?;
    let indicators = rules::data()?.indicators.iter().map(|i| (i.code.clone(), i.name.clone())).collect();
    Ok(InputsPage {
        layout: Layout::new(state, user, "指标基数与目标", Section::Statistics).await?,
        regions: crate::bureau::regions::within(&own),
        indicators,
        may_enter: user.has(Role::Regulator),
        denominators: list::denominators(db, &b, &f).await?,
        baselines: list::baselines(db, &b, &f).await?,
        targets: list::targets(db, &b, &f).await?,
        shipped: shipped(&b, &region, f.year),
        region,
        year: f.year.map(|y| y.to_string()).unwrap_or_default(),
        failed: "",
        typed: Typed::default(),
        errors: FormErrors::default(),
        saved: get("saved"),
    })
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<Vec<(String, String)>>,
) -> PageResult {
    render_with(StatusCode::OK, &page(&state, &user, &q).await?)
}

fn decimal(t: &Typed, field: &str, f: &mut FieldErrors) -> Option<f64> {
    let text = t.get(field).trim().replace([',', '，'], "").replace('−', "-");
    if text.is_empty() {
        return None;
    }
    let v = text.parse::<f64>().ok().filter(|v| v.is_finite());
    if v.is_none() {
        f.entry(field.to_owned()).or_default().push("须为数字".to_owned());
    }
    v
}

fn year(t: &Typed, field: &str, f: &mut FieldErrors) -> i32 {
    let y = super::page::whole_number(t.get(field), field, f);
    if y.is_none() && t.get(field).trim().is_empty() {
        f.entry(field.to_owned()).or_default().push("请填写年份".to_owned());
    }
    y.unwrap_or(0)
}

/// The API's bodies from the forms; every problem of the typing at once.
fn denominator(t: &Typed) -> Result<DenominatorInput, FieldErrors> {
    let mut f = FieldErrors::new();
    let body = DenominatorInput {
        region_code: t.get("region_code").trim().to_owned(),
        year: year(t, "year", &mut f),
        gdp_100m_yuan: decimal(t, "gdp_100m_yuan", &mut f),
        industrial_workers: super::page::whole_number(t.get("industrial_workers"), "industrial_workers", &mut f),
        source: t.get("source").to_owned(),
    };
    if f.is_empty() { Ok(body) } else { Err(f) }
}

fn baseline(t: &Typed) -> Result<BaselineInput, FieldErrors> {
    let mut f = FieldErrors::new();
    let value = decimal(t, "value", &mut f);
    if value.is_none() && !f.contains_key("value") {
        f.entry("value".to_owned()).or_default().push("请填写基数".to_owned());
    }
    let body = BaselineInput {
        region_code: t.get("region_code").trim().to_owned(),
        indicator: t.get("indicator").trim().to_owned(),
        year: year(t, "year", &mut f),
        value: value.unwrap_or_default(),
        source: t.get("source").to_owned(),
    };
    if f.is_empty() { Ok(body) } else { Err(f) }
}

fn target(t: &Typed) -> Result<TargetInput, FieldErrors> {
    let mut f = FieldErrors::new();
    let base_year = super::page::whole_number(t.get("base_year"), "base_year", &mut f);
    let body = TargetInput {
        region_code: t.get("region_code").trim().to_owned(),
        indicator: t.get("indicator").trim().to_owned(),
        year: year(t, "year", &mut f),
        plan: t.get("plan").to_owned(),
        value: decimal(t, "value", &mut f),
        change_percent: decimal(t, "change_percent", &mut f),
        base_year,
        line: t.get("line").to_owned(),
        binding: !t.get("binding").is_empty(),
    };
    if f.is_empty() { Ok(body) } else { Err(f) }
}

/// Saves one form through its use case; back to the page with the region and year, or the form with its problems.
async fn save(state: AppState, user: CurrentUser, pairs: Vec<(String, String)>, form: &'static str) -> PageResult {
    let typed = Typed::from_pairs(pairs);
    user.check_csrf(typed.get("csrf_token"))?;
    let result = async {
        let who = Enterer::of(state.db.conn(), &user).await?;
        match form {
            "denominator" => {
                let b = denominator(&typed).map_err(AppError::Validation)?;
                state.write(user.actor(), async |tx| service::save_denominator(tx, &who, &b).await.map(|_| ())).await
            }
            "baseline" => {
                let b = baseline(&typed).map_err(AppError::Validation)?;
                state.write(user.actor(), async |tx| service::save_baseline(tx, &who, &b).await.map(|_| ())).await
            }
            _ => {
                let b = target(&typed).map_err(AppError::Validation)?;
                state.write(user.actor(), async |tx| service::save_target(tx, &who, &b).await.map(|_| ())).await
            }
        }
    }
    .await;
    let back = vec![
        ("region".to_owned(), typed.get("region").to_owned()),
        ("year".to_owned(), typed.get("view_year").to_owned()),
    ];
    match result {
        Ok(()) => {
            let qs = super::page::query_string(&[("region", &back[0].1), ("year", &back[1].1), ("saved", form)]);
            Ok(see_other(&format!("/indicators/inputs?{qs}")))
        }
        Err(e @ AppError::Validation(_)) => {
            let mut p = page(&state, &user, &back).await?;
            (p.failed, p.typed, p.errors) = (form, typed, FormErrors::from_error(&e));
            render_with(e.status(), &p)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn save_denominator(
    State(s): State<AppState>,
    PageUser(u): PageUser,
    Form(p): Form<Vec<(String, String)>>,
) -> PageResult {
    save(s, u, p, "denominator").await
}

pub async fn save_baseline(
    State(s): State<AppState>,
    PageUser(u): PageUser,
    Form(p): Form<Vec<(String, String)>>,
) -> PageResult {
    save(s, u, p, "baseline").await
}

pub async fn save_target(
    State(s): State<AppState>,
    PageUser(u): PageUser,
    Form(p): Form<Vec<(String, String)>>,
) -> PageResult {
    save(s, u, p, "target").await
}

/// Withdraws a bureau target (404 outside the territory).
pub async fn delete_target(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let typed = Typed::from_pairs(pairs);
    user.check_csrf(typed.get("csrf_token"))?;
    let who = Enterer::of(state.db.conn(), &user).await?;
    state.write(user.actor(), async |tx| service::delete_target(tx, &who, id).await).await?;
    let qs = super::page::query_string(&[
        ("region", typed.get("region")),
        ("year", typed.get("view_year")),
        ("saved", "deleted"),
    ]);
    Ok(see_other(&format!("/indicators/inputs?{qs}")))
}

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/indicators/inputs", get(show))
        .route("/indicators/inputs/denominators", post(save_denominator))
        .route("/indicators/inputs/baselines", post(save_baseline))
        .route("/indicators/inputs/targets", post(save_target))
        .route("/indicators/inputs/targets/{id}/delete", post(delete_target))
        .merge(super::indicator_inputs_import::routes())
}
