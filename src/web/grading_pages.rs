//! 风险等级与监管类别 (`/enterprises/{id}/grading`): an enterprise's grade, class and
//! yearly inspection cap, why (the figures and the rule that held), the history of
//! changes; for 监管人员 the forms to override with a reason or release an override,
//! and — for hazchem enterprises — the scoring form of the 评估诊断分级指南 with its
//! items as data (marked unverified where they are). Every form comes back (422) with
//! its problems beside its fields and what was typed.

use super::layout::{Layout, Section};
use super::page::{FormErrors, PagePath, PageResult, PageUser, beijing, render_with, see_other};
use crate::auth::{CurrentUser, Role};
use crate::enterprise::domain::Sector;
use crate::error::AppError;
use crate::grading::domain::Deduction;
use crate::grading::json::{AssessmentBody, AssessmentResponse, GradingView, OverrideBody, ReleaseBody};
use crate::grading::{rules, service};
use crate::inspection::governance::cap;
use crate::risk::domain::RiskLevel;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use std::collections::HashMap;

pub struct HistoryRow {
    pub at: String,
    pub grade: String,
    pub grade_label: String,
    pub class_name: String,
    pub source: String,
    pub why: String,
}

pub struct ItemRow {
    pub code: String,
    pub name: String,
    pub max: u32,
    pub typed: String,
    pub note: String,
}

pub struct RedRow {
    pub code: String,
    pub label: String,
    pub verified: bool,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "grading.html")]
struct GradingPage {
    layout: Layout,
    id: i64,
    name: String,
    view: GradingView,
    source_label: String,
    why: String,
    history: Vec<HistoryRow>,
    may_decide: bool,
    hazchem: bool,
    grades: Vec<(String, String, bool)>,
    classes: Vec<(String, String, bool)>,
    typed: HashMap<String, String>,
    errors: FormErrors,
    items: Vec<ItemRow>,
    reds: Vec<RedRow>,
    guide: &'static rules::HazchemGuide,
    rules_version: String,
    assessments: Vec<AssessmentResponse>,
    flash: Option<String>,
}

fn source_label(s: Option<&str>) -> &'static str {
    match s {
        Some("computed") => "按规则计算",
        Some("guide") => "评估诊断分级",
        Some("override") => "监管人员调整",
        Some("release") => "恢复按规则计算",
        _ => "尚未计算",
    }
}

/// The figures and the rule behind a grading, in words.
fn why(inputs: &serde_json::Value) -> String {
    let mut parts = Vec::new();
    if let Some(b) = inputs.get("because").and_then(|b| b.as_str()) {
        parts.push(format!("依据：{b}"));
    }
    if let Some(f) = inputs.get("figures").and_then(|f| f.as_object()).filter(|f| !f.is_empty()) {
        let list: Vec<String> = f.iter().map(|(k, v)| format!("{k} {v}")).collect();
        parts.push(format!("数据：{}", list.join("，")));
    }
    if let Some(n) = inputs.get("note").and_then(|n| n.as_str()) {
        parts.push(n.to_owned());
    }
    if parts.is_empty() { "—".to_owned() } else { parts.join("；") }
}

fn class_name(code: &str) -> String {
    cap::caps().named(code).map_or_else(|| code.to_owned(), |c| c.name.clone())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Shown {
    done: Option<String>,
}

#[allow(clippy::too_many_lines)] // one page's assembly, field by field
async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    typed: HashMap<String, String>,
    errors: FormErrors,
    flash: Option<String>,
) -> PageResult<GradingPage> {
    let db = state.db.conn();
    let e = crate::enterprise::service::get_scoped(db, &user.scope, id).await?;
    let view = service::view(db, user, id).await?;
    let rules = rules::in_force()?;
    let assessments = service::assessments(db, user, id).await?;
    let section = if user.is_bureau_user() { Section::Enterprises } else { Section::Risk };
    let layout = Layout::new(state, user, "风险等级与监管类别", section).await?;
    let current_why =
        view.history.iter().find(|h| h.source != "release").map_or_else(|| "—".to_owned(), |h| why(&h.inputs));
    let history = view
        .history
        .iter()
        .map(|h| HistoryRow {
            at: beijing(h.decided_at),
            grade: h.risk_grade.map_or_else(String::new, |g| g.as_str().to_owned()),
            grade_label: service::grade_label(h.risk_grade),
            class_name: class_name(&h.supervision_class),
            source: source_label(Some(&h.source)).to_owned(),
            why: h.reason.clone().map_or_else(|| why(&h.inputs), |r| format!("理由：{r}")),
        })
        .collect();
    let t = |k: &str| typed.get(k).cloned().unwrap_or_default();
    // The form starts from the grade in force; after a failed post, from what was chosen.
    let grade_now = typed
        .get("risk_grade")
        .cloned()
        .unwrap_or_else(|| view.risk_grade.map_or_else(String::new, |g| g.as_str().to_owned()));
    let mut grades = vec![(String::new(), "未分级".to_owned(), grade_now.is_empty())];
    grades.extend(RiskLevel::ALL.iter().map(|g| (g.as_str().to_owned(), g.zh().to_owned(), grade_now == g.as_str())));
    let class_now = typed.get("supervision_class").cloned().unwrap_or_else(|| view.supervision_class.clone());
    let classes = cap::caps().classes.iter().map(|c| (c.code.clone(), c.name.clone(), c.code == class_now)).collect();
    let guide = &rules.hazchem_guide;
    let items = guide
        .items
        .iter()
        .map(|i| ItemRow {
            code: i.code.clone(),
            name: i.name.clone(),
            max: i.max_deduction,
            typed: t(&format!("d_{}", i.code)),
            note: t(&format!("n_{}", i.code)),
        })
        .collect();
    let reds = guide
        .direct_red
        .iter()
        .map(|r| RedRow {
            code: r.code.clone(),
            label: r.label.clone(),
            verified: r.verified,
            checked: typed.contains_key(&format!("r_{}", r.code)),
        })
        .collect();
    Ok(GradingPage {
        layout,
        id,
        name: e.name,
        source_label: source_label(view.source.as_deref()).to_owned(),
        why: current_why,
        history,
        may_decide: user.is_bureau_user() && user.has(Role::Regulator),
        hazchem: e.sector == Sector::HazardousChemicals,
        grades,
        classes,
        typed,
        errors,
        items,
        reds,
        guide,
        rules_version: rules.version.clone(),
        assessments,
        flash,
        view,
    })
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Query(q): Query<Shown>,
) -> PageResult {
    let flash = q.done.map(|d| match d.as_str() {
        "override" => "已按监管决定调整风险等级与监管类别。".to_owned(),
        "release" => "已恢复按规则计算。".to_owned(),
        _ => "已记录评估诊断分级，并重新计算了风险等级。".to_owned(),
    });
    render_with(StatusCode::OK, &page(&state, &user, id, HashMap::new(), FormErrors::default(), flash).await?)
}

async fn answer(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    form: HashMap<String, String>,
    result: Result<&'static str, AppError>,
) -> PageResult {
    match result {
        Ok(done) => Ok(see_other(&format!("/enterprises/{id}/grading?done={done}#flash"))),
        Err(e @ AppError::Validation(_)) => {
            let errors = FormErrors::from_error(&e);
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page(state, user, id, form, errors, None).await?)
        }
        Err(e) => Err(e.into()),
    }
}

fn csrf(user: &CurrentUser, form: &HashMap<String, String>) -> Result<(), AppError> {
    user.check_csrf(form.get("csrf_token").map_or("", String::as_str))
}

pub async fn override_grade(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    csrf(&user, &form)?;
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let body = OverrideBody {
        risk_grade: get("risk_grade").parse().ok(),
        supervision_class: get("supervision_class"),
        reason: get("reason"),
    };
    let result = state.write(user.actor(), async |tx| service::override_grade(tx, &user, id, &body).await).await;
    answer(&state, &user, id, form, result.map(|_| "override")).await
}

pub async fn release(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    csrf(&user, &form)?;
    let body = ReleaseBody { reason: form.get("release_reason").cloned().unwrap_or_default() };
    let result = state.write(user.actor(), async |tx| service::release(tx, &user, id, &body).await).await;
    let result = result.map_err(|e| match e {
        AppError::Validation(mut f) => {
            if let Some(m) = f.remove("reason") {
                f.insert("release_reason".to_owned(), m);
            }
            AppError::Validation(f)
        }
        e => e,
    });
    answer(&state, &user, id, form, result.map(|_| "release")).await
}

/// The assessment typed into the form; a deduction that is not a number is an error.
fn assessment(form: &HashMap<String, String>) -> Result<AssessmentBody, AppError> {
    let guide = &rules::in_force()?.hazchem_guide;
    let mut fields = crate::error::FieldErrors::new();
    let mut deductions = Vec::new();
    for i in &guide.items {
        let text = form.get(&format!("d_{}", i.code)).map_or("", |v| v.trim());
        if text.is_empty() {
            continue;
        }
        match text.parse::<f64>() {
            Ok(points) if points.is_finite() => {
                let note = form.get(&format!("n_{}", i.code)).cloned().unwrap_or_default();
                deductions.push(Deduction { code: i.code.clone(), points, note });
            }
            _ => fields.entry("deductions".to_owned()).or_default().push(format!("“{}”扣分须为数字", i.name)),
        }
    }
    let direct_red = guide
        .direct_red
        .iter()
        .filter(|r| form.contains_key(&format!("r_{}", r.code)))
        .map(|r| r.code.clone())
        .collect();
    let on = form.get("assessed_on").map_or("", |v| v.trim());
    let assessed_on = if on.is_empty() {
        None
    } else if let Ok(d) = on.parse() {
        Some(d)
    } else {
        fields.entry("assessed_on".to_owned()).or_default().push("评估日期格式应为 年-月-日".to_owned());
        None
    };
    if !fields.is_empty() {
        return Err(AppError::Validation(fields));
    }
    Ok(AssessmentBody {
        deductions,
        direct_red,
        assessed_on,
        assessor: form.get("assessor").cloned().unwrap_or_default(),
    })
}

pub async fn assess(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    csrf(&user, &form)?;
    let result = match assessment(&form) {
        Ok(body) => {
            state.write(user.actor(), async |tx| service::assess(tx, &user, id, &body).await).await.map(|_| "assessed")
        }
        Err(e) => Err(e),
    };
    answer(&state, &user, id, form, result).await
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/enterprises/{id}/grading", get(show))
        .route("/enterprises/{id}/grading/override", post(override_grade))
        .route("/enterprises/{id}/grading/release", post(release))
        .route("/enterprises/{id}/risk-assessments", post(assess))
}

impl GradingPage {
    /// What was typed into field `k` (empty when nothing).
    fn t(&self, k: &str) -> &str {
        self.typed.get(k).map_or("", String::as_str)
    }
}
