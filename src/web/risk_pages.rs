//! 风险分级管控 pages: an enterprise's risk points, red first, with the counts per
//! colour, and the form to record one (LEC with the table values and their wording,
//! or LS 1–5), for the enterprise's own 主要负责人 and 安全管理人员 and for 监管人员.
//! A failed form comes back (422) with every problem beside its field and what was
//! typed.

use super::layout::{Layout, Section};
use super::page::{Choice, FormErrors, PagePath, PageResult, PageUser, choices, render_with, see_other, whole_number};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::risk::domain::{Method, OwningLevel};
use crate::risk::json::{RiskPointBody, RiskPointList};
use crate::risk::{policy, rules, service};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "risk_points.html")]
struct PointsPage {
    layout: Layout,
    enterprise_id: i64,
    enterprise_name: String,
    list: RiskPointList,
    may_write: bool,
    typed: Typed,
    errors: FormErrors,
    methods: Vec<Choice>,
    owning: Vec<Choice>,
    l_lec: Vec<(String, String, bool)>,
    e_lec: Vec<(String, String, bool)>,
    c_lec: Vec<(String, String, bool)>,
    flash: Option<String>,
    bands: String,
    today: chrono::NaiveDate,
}

/// The form as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Typed {
    csrf_token: String,
    name: String,
    location: String,
    hazard_factors: String,
    method: String,
    l: String,
    e: String,
    c: String,
    ls_l: String,
    ls_s: String,
    control_measures: String,
    emergency_measures: String,
    owning_level: String,
    responsible_person: String,
    installation_grade: String,
    people_exposed: String,
    fatal_accident_unchanged: Option<String>,
    checklist_items: String,
    review_due: String,
}

fn options(table: &[rules::TableValue], typed: &str) -> Vec<(String, String, bool)> {
    table
        .iter()
        .map(|v| (v.value.to_string(), format!("{} — {}", v.value, v.label), v.value.to_string() == typed))
        .collect()
}

fn number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

impl Typed {
    /// The API body, or the fields that are not numbers at all.
    fn body(&self) -> Result<RiskPointBody, AppError> {
        let mut fields = crate::error::FieldErrors::new();
        let method = self.method.parse::<Method>().unwrap_or(Method::Lec);
        let owning_level = self.owning_level.parse::<OwningLevel>().unwrap_or(OwningLevel::Post);
        // A number past i16 is kept as out of range, so the rule "1 到 4" is what the user reads.
        let installation_grade = whole_number::<i32>(&self.installation_grade, "installation_grade", &mut fields)
            .map(|g| i16::try_from(g).unwrap_or(i16::MAX));
        let people_exposed = whole_number(&self.people_exposed, "people_exposed", &mut fields);
        let review_due = match self.review_due.trim() {
            "" => None,
            d => d.parse::<chrono::NaiveDate>().map_or_else(
                |_| {
                    fields.entry("review_due".to_owned()).or_default().push("复核日期格式应为 年-月-日".to_owned());
                    None
                },
                Some,
            ),
        };
        let (l, e, c, s) = match method {
            Method::Lec => (number(&self.l), number(&self.e), number(&self.c), None),
            Method::Ls => (number(&self.ls_l), None, None, number(&self.ls_s)),
        };
        if !fields.is_empty() {
            return Err(AppError::Validation(fields));
        }
        Ok(RiskPointBody {
            name: self.name.clone(),
            location: self.location.clone(),
            hazard_factors: self.hazard_factors.clone(),
            method,
            // A missing L is reported by the rules as off the table.
            l: l.unwrap_or(f64::NAN),
            e,
            c,
            s,
            control_measures: self.control_measures.clone(),
            emergency_measures: self.emergency_measures.clone(),
            owning_level,
            responsible_person: self.responsible_person.clone(),
            installation_grade,
            people_exposed,
            fatal_accident_unchanged: self.fatal_accident_unchanged.is_some(),
            review_due,
            checklist_items: self
                .checklist_items
                .split([',', '，', ' ', '、'])
                .filter(|c| !c.trim().is_empty())
                .map(|c| c.trim().to_uppercase())
                .collect(),
        })
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Shown {
    added: Option<String>,
    reviewed: Option<String>,
}

/// The review form of one point.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    csrf_token: String,
    note: String,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    typed: Typed,
    errors: FormErrors,
    flash: Option<String>,
) -> Result<PointsPage, AppError> {
    let db = state.db.conn();
    let enterprise = crate::enterprise::service::get_scoped(db, &user.scope, id).await?;
    let list = service::list(db, user, id).await?;
    let rules = rules::in_force()?;
    let section = if user.is_bureau_user() { Section::Enterprises } else { Section::Risk };
    let layout = Layout::new(state, user, "风险分级管控", section).await?;
    let b = |x: &rules::Bands| format!("红 ≥ {}，橙 ≥ {}，黄 ≥ {}，其余为蓝", x.red, x.orange, x.yellow);
    let bands = format!(
        "LEC：{}。LS：{}{}。",
        b(&rules.lec.bands),
        b(&rules.ls.bands),
        if rules.ls_verified { "" } else { "（LS 界限为默认值，未核实为全国统一规定）" }
    );
    let method = if typed.method.is_empty() { "lec" } else { typed.method.as_str() };
    let owning = if typed.owning_level.is_empty() { "post" } else { typed.owning_level.as_str() };
    Ok(PointsPage {
        may_write: policy::check_write(user, &enterprise).is_ok(),
        enterprise_id: enterprise.id,
        enterprise_name: enterprise.name,
        list,
        methods: choices(Method::ALL, Method::as_str, Method::zh, method),
        owning: choices(OwningLevel::ALL, OwningLevel::as_str, OwningLevel::zh, owning),
        l_lec: options(&rules.lec.l, &typed.l),
        e_lec: options(&rules.lec.e, &typed.e),
        c_lec: options(&rules.lec.c, &typed.c),
        typed,
        errors,
        flash,
        bands,
        today: crate::clock::china_date(state.clock.now()),
        layout,
    })
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Query(q): Query<Shown>,
) -> PageResult {
    let short = |name: String| name.chars().take(200).collect::<String>();
    let flash = q
        .added
        .map(|name| format!("已登记风险点“{}”。", short(name)))
        .or_else(|| q.reviewed.map(|name| format!("已复核风险点“{}”，下次复核日期已顺延。", short(name))));
    render_with(StatusCode::OK, &page(&state, &user, id, Typed::default(), FormErrors::default(), flash).await?)
}

pub async fn add(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(typed): Form<Typed>,
) -> PageResult {
    user.check_csrf(&typed.csrf_token)?;
    let result = match typed.body() {
        Ok(body) => state.write(user.actor(), async |tx| service::create(tx, &user, id, &body).await).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(p) => {
            Ok(see_other(&format!("/enterprises/{id}/risk-points?added={}#flash", crate::percent::encode(&p.name))))
        }
        Err(e @ AppError::Validation(_)) => {
            let errors = FormErrors::from_error(&e);
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page(&state, &user, id, typed, errors, None).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// Records a review from the list; a missing note comes back as an error on the page.
pub async fn review(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<ReviewForm>,
) -> PageResult {
    user.check_csrf(&form.csrf_token)?;
    let body = crate::risk::review::ReviewBody { note: form.note, next_review_due: None };
    let result = state.write(user.actor(), async |tx| crate::risk::review::review(tx, &user, id, &body).await).await;
    match result {
        Ok(p) => Ok(see_other(&format!(
            "/enterprises/{}/risk-points?reviewed={}#flash",
            p.enterprise_id,
            crate::percent::encode(&p.name)
        ))),
        Err(e @ AppError::Validation(_)) => {
            let p = service::get(state.db.conn(), &user, id).await?;
            let errors = FormErrors::from_error(&e);
            let page = page(&state, &user, p.enterprise_id, Typed::default(), errors, None).await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e.into()),
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/enterprises/{id}/risk-points", get(show).post(add))
        .route("/risk-points/{id}/review", axum::routing::post(review))
}
