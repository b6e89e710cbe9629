//! 事故登记 (`/accidents`): the accidents of the user's territory (or enterprise), newest
//! first, each with its legal grade and whether it was reported late, and for 监管人员 the
//! form to record one. Times are typed and shown in Beijing time. A failed form comes back
//! (422) with every problem beside its field and what was typed.

use super::hazard_pages::parse_local;
use super::layout::{Layout, Section};
use super::page::{Choice, FormErrors, PageResult, PageUser, beijing, choices, render_with, see_other, whole_number};
use crate::accident::domain::AccidentType;
use crate::accident::json::{AccidentResponse, CreateAccident};
use crate::accident::service;
use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

pub struct Row {
    pub a: AccidentResponse,
    pub occurred: String,
    pub who: String,
    pub loss: String,
    pub report: String,
}

#[derive(Template)]
#[template(path = "accidents.html")]
struct AccidentsPage {
    layout: Layout,
    rows: Vec<Row>,
    total: u64,
    may_record: bool,
    typed: Typed,
    errors: FormErrors,
    types: Vec<Choice>,
    flash: Option<String>,
}

/// The form as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Typed {
    csrf_token: String,
    enterprise_q: String,
    enterprise_id: String,
    operator_name: String,
    operator_credit_code: String,
    occurred_at: String,
    accident_type: String,
    place: String,
    summary: String,
    deaths: String,
    missing: String,
    serious_injuries: String,
    direct_loss_yuan: String,
    reported_at: String,
}

/// A count typed into the form; empty is 0.
fn count<T: std::str::FromStr + Default>(text: &str, field: &str, fields: &mut FieldErrors) -> T {
    whole_number(text, field, fields).unwrap_or_default()
}

impl Typed {
    fn body(&self) -> Result<CreateAccident, AppError> {
        let mut fields = FieldErrors::new();
        let occurred_at = parse_local(&self.occurred_at);
        if occurred_at.is_none() {
            fields.entry("occurred_at".to_owned()).or_default().push("请按“年-月-日 时:分”填写发生时间".to_owned());
        }
        let reported = self.reported_at.trim();
        let reported_at = (!reported.is_empty()).then(|| parse_local(reported)).flatten();
        if !reported.is_empty() && reported_at.is_none() {
            fields.entry("reported_at".to_owned()).or_default().push("请按“年-月-日 时:分”填写报告时间".to_owned());
        }
        let accident_type = self.accident_type.parse::<AccidentType>().unwrap_or(AccidentType::Other);
        let body = CreateAccident {
            enterprise_id: self.enterprise_id.trim().parse().ok(),
            operator_name: Some(self.operator_name.clone()).filter(|n| !n.trim().is_empty()),
            operator_credit_code: Some(self.operator_credit_code.clone()).filter(|n| !n.trim().is_empty()),
            occurred_at: occurred_at.unwrap_or_default(),
            accident_type,
            place: self.place.clone(),
            summary: self.summary.clone(),
            deaths: count(&self.deaths, "deaths", &mut fields),
            missing: count(&self.missing, "missing", &mut fields),
            serious_injuries: count(&self.serious_injuries, "serious_injuries", &mut fields),
            direct_loss_yuan: count(&self.direct_loss_yuan, "direct_loss_yuan", &mut fields),
            reported_at,
        };
        if fields.is_empty() { Ok(body) } else { Err(AppError::Validation(fields)) }
    }
}

fn row(a: AccidentResponse, names: &std::collections::HashMap<i64, String>) -> Row {
    let who = match (a.enterprise_id, &a.operator_name) {
        (Some(id), _) => names.get(&id).cloned().unwrap_or_else(|| format!("企业 #{id}")),
        (None, Some(n)) => format!("{n}（未在名录）"),
        (None, None) => "—".to_owned(),
    };
    let report = match (a.reported_at, a.late_report) {
        (Some(at), Some(true)) => format!("{}（迟报：超过 1 小时）", beijing(at)),
        (Some(at), _) => beijing(at),
        (None, _) => "未登记".to_owned(),
    };
    #[allow(clippy::cast_precision_loss)]
    let loss = format!("{:.2} 万元", a.direct_loss_yuan as f64 / 10_000.0);
    Row { occurred: beijing(a.occurred_at), who, loss, report, a }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Shown {
    added: Option<String>,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    typed: Typed,
    errors: FormErrors,
    flash: Option<String>,
) -> PageResult<AccidentsPage> {
    let db = state.db.conn();
    let list = service::list(db, user).await?;
    let ids: Vec<i64> = list.items.iter().filter_map(|a| a.enterprise_id).collect();
    let names = crate::enterprise::service::names(db, ids).await?;
    let selected = if typed.accident_type.is_empty() { "machinery" } else { typed.accident_type.as_str() };
    Ok(AccidentsPage {
        layout: Layout::new(state, user, "生产安全事故", Section::Accidents).await?,
        rows: list.items.into_iter().map(|a| row(a, &names)).collect(),
        total: list.total,
        may_record: user.is_bureau_user() && user.has(Role::Regulator),
        types: choices(AccidentType::ALL, AccidentType::as_str, AccidentType::zh, selected),
        typed,
        errors,
        flash,
    })
}

pub async fn show(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<Shown>) -> PageResult {
    let flash = q.added.map(|g| format!("已登记事故，等级：{}。", g.chars().take(20).collect::<String>()));
    render_with(StatusCode::OK, &page(&state, &user, Typed::default(), FormErrors::default(), flash).await?)
}

pub async fn add(State(state): State<AppState>, PageUser(user): PageUser, Form(mut typed): Form<Typed>) -> PageResult {
    user.check_csrf(&typed.csrf_token)?;
    if typed.enterprise_id.parse::<i64>().is_err() && !typed.enterprise_q.trim().is_empty() {
        let hits = crate::enterprise::search::search(state.db.conn(), &user, &typed.enterprise_q).await?;
        if let [one] = hits.as_slice() {
            typed.enterprise_id = one.id.to_string();
        }
    }
    let result = match typed.body() {
        Ok(body) => state.write(user.actor(), async |tx| service::create(tx, &user, &body).await).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(a) => Ok(see_other(&format!("/accidents?added={}#flash", crate::percent::encode(&a.grade_label)))),
        Err(e @ AppError::Validation(_)) => {
            let errors = FormErrors::from_error(&e);
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page(&state, &user, typed, errors, None).await?)
        }
        Err(e) => Err(e.into()),
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/accidents", get(show).post(add))
}
