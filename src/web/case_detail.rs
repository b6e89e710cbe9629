//! 案件 (`/cases/{id}`): the case as `case::view::response` reads it — header with
//! the 90-day clock, parties (identity numbers masked), violations with their law
//! and ranges (未核实 marked), the people in each duty, the money owed today, the
//! timeline and the numbered documents — and one form for each step in
//! `allowed_actions` (posted to `case_forms::act`). The page decides nothing itself:
//! which forms show is the policy's answer, what a step needs is the step's.

use super::case_new::Opt;
use super::case_new_form::Typed;
use super::case_pages::{ClockText, clock_text, money};
use super::case_timeline::{self, TimelineRow};
use super::layout::{Layout, Section};
use super::page::{FormErrors, PagePath, PageResult, PageUser, beijing, render};
use crate::auth::CurrentUser;
use crate::case::catalogue::{self, yuan};
use crate::case::domain::Step;
use crate::case::json::{CaseResponse, ViolationView};
use crate::case::proposal::MEASURES;
use crate::entities::{case, user};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;

/// A violation with the benchmark steps offered for its fine.
pub struct FineRow {
    pub v: ViolationView,
    pub party: String,
    pub steps: Vec<Opt>,
    pub income_share: bool,
}

pub struct DocRow {
    pub id: i64,
    pub title: String,
    pub number: String,
    pub issued: String,
}

#[derive(Template)]
#[template(path = "case.html")]
pub struct CasePage {
    pub layout: Layout,
    pub c: CaseResponse,
    pub clock: ClockText,
    pub fines: Vec<FineRow>,
    pub timeline: Vec<TimelineRow>,
    pub docs: Vec<DocRow>,
    pub fine: String,
    pub late_fee: String,
    pub paid: String,
    pub owed: String,
    pub people: Vec<Opt>,
    pub measures: Vec<Opt>,
    pub typed: Typed,
    pub errors: FormErrors,
    pub flash: Option<String>,
}

impl CasePage {
    /// Whether the reader may take `step` now (the policy's `allowed_actions`).
    pub fn allows(&self, step: &str) -> bool {
        self.c.allowed_actions.iter().any(|s| s.as_str() == step)
    }

    /// The problems with `field` when `step`'s form failed.
    pub fn err(&self, step: &str, field: &str) -> String {
        if self.typed.get("form") == step { self.errors.of(field) } else { String::new() }
    }

    /// Everything wrong with `step`'s form (and any refusal), above it.
    pub fn problems(&self, step: &str) -> Vec<String> {
        if self.typed.get("form") == step { self.errors.all() } else { Vec::new() }
    }

    /// What was typed into `step`'s form.
    pub fn val(&self, step: &str, field: &str) -> String {
        if self.typed.get("form") == step { self.typed.get(field).to_owned() } else { String::new() }
    }
}

fn fine_rows(c: &CaseResponse) -> AppResult<Vec<FineRow>> {
    let d = catalogue::data()?;
    Ok(c.violations
        .iter()
        .map(|v| {
            let party = c.parties.iter().find(|p| p.position == v.party_position);
            let kind = party.map(|p| crate::case::service::fine_party(p.kind, p.role));
            let bench = kind.and_then(|k| d.benchmark(&v.catalogue_code, k, &v.stage));
            let fine = d.entry(&v.catalogue_code).zip(kind).and_then(|(e, k)| e.fine(k, &v.stage));
            FineRow {
                party: party.map_or_else(String::new, |p| p.name.clone()),
                steps: bench
                    .map(|b| {
                        b.steps
                            .iter()
                            .map(|s| Opt {
                                value: s.code.clone(),
                                label: format!(
                                    "{}（{}至{}）：{}",
                                    s.label,
                                    yuan(s.min_yuan),
                                    yuan(s.max_yuan),
                                    s.conditions
                                ),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                income_share: fine.is_some_and(|f| f.kind == catalogue::FineKind::IncomeShare),
                v: v.clone(),
            }
        })
        .collect())
}

/// The bureau's active users, for the hearing officer.
async fn people<C: ConnectionTrait>(db: &C, bureau: i64) -> AppResult<Vec<Opt>> {
    let users = user::Entity::find()
        .filter(user::Column::BureauId.eq(bureau))
        .filter(user::Column::Disabled.eq(false))
        .order_by_asc(user::Column::DisplayName)
        .all(db)
        .await?;
    Ok(users.into_iter().map(|u| Opt { value: u.id.to_string(), label: u.display_name }).collect())
}

/// Builds the page (what was typed into the form that failed, and its problems).
pub async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    typed: Typed,
    errors: FormErrors,
) -> PageResult<CasePage> {
    if !user.is_bureau_user() {
        return Err(AppError::NotFound.into());
    }
    let db = state.db.conn();
    let row = crate::scope::get::<case::Entity, _>(db, &user.scope, id).await?;
    let today = crate::clock::china_date(state.clock.now());
    let c = crate::case::view::response(db, user, row, today).await?;
    let title = c.number.clone().map_or_else(|| "案件（待立案）".to_owned(), |n| format!("案件 {n}"));
    Ok(CasePage {
        layout: Layout::new(state, user, &title, Section::Cases).await?,
        clock: clock_text(c.clock.as_ref()),
        fines: fine_rows(&c)?,
        timeline: case_timeline::rows(&c),
        docs: c
            .documents
            .iter()
            .map(|d| DocRow {
                id: d.id,
                title: d.title.clone(),
                number: d.number.clone(),
                issued: beijing(d.issued_at),
            })
            .collect(),
        fine: money(c.money.fine_yuan),
        late_fee: money(c.money.late_fee_yuan),
        paid: money(c.money.paid_yuan),
        owed: money(c.money.owed_yuan),
        people: people(db, c.bureau_id).await?,
        measures: MEASURES.iter().map(|(v, l)| Opt { value: (*v).to_owned(), label: (*l).to_owned() }).collect(),
        c,
        typed,
        errors,
        flash: None,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Shown {
    done: String,
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Query(q): Query<Shown>,
) -> PageResult {
    let mut p = page(&state, &user, id, Typed::default(), FormErrors::default()).await?;
    p.flash = match q.done.as_str() {
        "" => None,
        "created" => Some(format!("已提交立案，案件状态：{}。", p.c.status_label)),
        code => code.parse::<Step>().ok().map(|s| format!("已办理“{}”，案件状态：{}。", s.zh(), p.c.status_label)),
    };
    render(&p)
}
