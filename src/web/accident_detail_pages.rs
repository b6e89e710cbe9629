//! 事故详情 (`/accidents/{id}`): the accident with its grade and flags, the
//! history of its figures, the report timeline with due times, the
//! investigation and its findings, the 整改措施 — and for 监管人员 the form of each
//! step (`accident_forms`). Times are shown in Beijing time, every code in Chinese.

use super::accident_forms::Typed;
use super::layout::{Layout, Section};
use super::page::{Choice, FormErrors, PagePath, PageResult, PageUser, beijing, choices, render_with};
use crate::accident::domain::{FlagKind, ReportLevel, Responsibility};
use crate::accident::figures::FigureChange;
use crate::accident::investigation::InvestigationResponse;
use crate::accident::json::AccidentResponse;
use crate::accident::measures::AccidentMeasureResponse;
use crate::accident::reports::Timeline;
use crate::accident::rules::rules;
use crate::accident::{figures, investigation, measures, reports, service};
use crate::auth::{CurrentUser, Role};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;

/// A step of the chain as shown.
pub struct StepRow {
    pub what: String,
    pub due: String,
    pub made: String,
    /// 按时 / 迟报 / 逾期未报 / 未到期.
    pub state: &'static str,
    pub danger: bool,
}

/// One change of the figures as shown.
pub struct ChangeRow {
    pub at: String,
    pub before: String,
    pub after: String,
    pub grades: String,
    pub regraded: bool,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "accident.html")]
pub struct AccidentPage {
    pub layout: Layout,
    pub a: AccidentResponse,
    pub who: String,
    pub occurred: String,
    pub loss: String,
    pub supplement_until: String,
    pub window_open: bool,
    pub supplement_basis: String,
    pub changes: Vec<ChangeRow>,
    pub steps: Vec<StepRow>,
    pub timeline: Timeline,
    pub report_times: Vec<String>,
    pub inv: InvestigationResponse,
    pub members_text: String,
    pub measures: Vec<AccidentMeasureResponse>,
    pub may_write: bool,
    pub typed: Typed,
    pub errors: FormErrors,
    /// The form the errors are about (`figures`, `report`, …), empty when none.
    pub form: String,
    pub flash: Option<String>,
    pub from_levels: Vec<Choice>,
    pub to_levels: Vec<Choice>,
    pub flag_kinds: Vec<Choice>,
    pub responsibilities: Vec<Choice>,
}

impl AccidentPage {
    /// The messages about `field` when `form` is the form that failed.
    pub fn err(&self, form: &str, field: &str) -> String {
        if self.form == form { self.errors.of(field) } else { String::new() }
    }

    /// The messages above `form` when it failed.
    pub fn problems(&self, form: &str) -> Vec<String> {
        if self.form == form { self.errors.all() } else { Vec::new() }
    }
}

/// A loss in yuan as 万元 with two decimals.
pub fn wan(yuan: i64) -> String {
    let (whole, rest) = (yuan / 10_000, (yuan % 10_000).abs());
    format!("{whole}.{:02} 万元", rest / 100)
}

fn figures_text(deaths: i32, missing: i32, injured: i32, loss: i64) -> String {
    format!("死亡 {deaths}、失踪 {missing}、重伤 {injured}，损失 {}", wan(loss))
}

fn change_row(c: FigureChange) -> ChangeRow {
    let (b, a) = (&c.before, &c.after);
    ChangeRow {
        at: beijing(c.changed_at),
        before: figures_text(b.deaths, b.missing, b.serious_injuries, b.direct_loss_yuan),
        after: figures_text(a.deaths, a.missing, a.serious_injuries, a.direct_loss_yuan),
        regraded: b.grade != a.grade,
        grades: if b.grade == a.grade {
            format!("{}（未变）", a.grade_label)
        } else {
            format!("{} → {}", b.grade_label, a.grade_label)
        },
        reason: c.reason,
    }
}

fn step_rows(t: &Timeline) -> Vec<StepRow> {
    t.steps
        .iter()
        .map(|s| {
            let (state, danger) = match (s.late, s.overdue) {
                (Some(true), _) => ("迟报", true),
                (Some(false), _) => ("按时", false),
                (None, true) => ("逾期未报", true),
                (None, false) => ("未到期", false),
            };
            StepRow {
                what: format!("{} → {}", s.from_label, s.to_label),
                due: beijing(s.due_at),
                made: s.reported_at.map_or_else(|| "未报".to_owned(), beijing),
                state,
                danger,
            }
        })
        .collect()
}

/// Builds the page (errors and what was typed of the form that failed, if any).
pub async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    typed: Typed,
    errors: FormErrors,
    flash: Option<String>,
) -> PageResult<AccidentPage> {
    let db = state.db.conn();
    let now = state.clock.now();
    let a = service::get(db, user, id).await?;
    let who = match (a.enterprise_id, &a.operator_name) {
        (Some(e), _) => crate::enterprise::service::names(db, vec![e]).await?.remove(&e).unwrap_or_default(),
        (None, Some(n)) => format!("{n}（未在名录）"),
        (None, None) => "—".to_owned(),
    };
    let changes = figures::history(db, user, id).await?.into_iter().map(change_row).collect();
    let timeline = reports::timeline(db, user, id, now).await?;
    let inv = investigation::get(db, user, id, now).await?;
    let members_text = inv.members.iter().map(|m| format!("{}，{}", m.name, m.unit)).collect::<Vec<_>>().join("\n");
    let measures = measures::list(db, user, id, now).await?;
    let form = typed.form.clone();
    let level = |v: &str, d: &'static str| if v.is_empty() { d.to_owned() } else { v.to_owned() };
    let (from, to) = (level(&typed.from_level, "county"), level(&typed.to_level, "city"));
    let upward = &ReportLevel::ALL[..ReportLevel::ALL.len() - 1];
    Ok(AccidentPage {
        layout: Layout::new(state, user, "事故详情", Section::Accidents).await?,
        who,
        occurred: beijing(a.occurred_at),
        loss: wan(a.direct_loss_yuan),
        supplement_until: beijing(a.supplement_until),
        window_open: now <= a.supplement_until,
        supplement_basis: rules().supplement_basis.clone(),
        changes,
        steps: step_rows(&timeline),
        report_times: timeline.reports.iter().map(|r| beijing(r.reported_at)).collect(),
        timeline,
        members_text,
        inv,
        measures,
        may_write: user.is_bureau_user() && user.has(Role::Regulator),
        from_levels: choices(upward, ReportLevel::as_str, ReportLevel::zh, &from),
        to_levels: choices(&ReportLevel::ALL[1..], ReportLevel::as_str, ReportLevel::zh, &to),
        flag_kinds: choices(&FlagKind::ALL[1..], FlagKind::as_str, FlagKind::zh, &typed.flag_kind),
        responsibilities: choices(
            Responsibility::ALL,
            Responsibility::as_str,
            Responsibility::zh,
            &typed.responsibility,
        ),
        a,
        typed,
        errors,
        form,
        flash,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Shown {
    done: String,
}

/// What happened, and who acts next, after each step.
fn flash(done: &str, a: &AccidentResponse) -> Option<String> {
    Some(match done {
        "figures" => format!("已记录伤亡人数变化，事故等级现为{}。", a.grade_label),
        "report" => "已记录事故报告；仍需上报的层级见“报告时限”。".to_owned(),
        "flag" => "已标记报告问题，并列入事故的报告问题。".to_owned(),
        "investigation" => "已保存事故调查情况。".to_owned(),
        "finding" => "已添加责任认定。".to_owned(),
        "measure" => "已添加整改措施；逾期未完成的将列入本局待办。".to_owned(),
        "measure_done" => "已记录整改措施完成情况，相应待办已关闭。".to_owned(),
        _ => return None,
    })
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Query(q): Query<Shown>,
) -> PageResult {
    let mut p = page(&state, &user, id, Typed::default(), FormErrors::default(), None).await?;
    p.flash = flash(&q.done, &p.a);
    render_with(StatusCode::OK, &p)
}
