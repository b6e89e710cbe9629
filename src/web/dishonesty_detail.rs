//! 失信名单 (`/dishonesty-list/{id}`): one proposal or listing as
//! `dishonesty::view::response` reads it — the subject (identity number masked), the
//! situation and its basis, the status with the statement period or the listing
//! period, the early-removal conditions as a checklist, the timeline, the numbered
//! documents (printed by `dishonesty_print`) — and one form per step in
//! `allowed_actions` (posted to `dishonesty_forms::act`). The page decides nothing:
//! which forms show is the policy's answer, what a step needs is the step's.
//!
//! Decisions:
//! - The timeline is built from the row's own dates (the list keeps no step table);
//!   who acted is named from the user ids the row keeps, "系统" for the scan.
//! - An enterprise user reads the same page (404 before the notice, as the API) and
//!   gets only the forms its role allows there: the early-removal application.

use super::case_new_form::Typed;
use super::layout::{Layout, Section};
use super::page::{FormErrors, PagePath, PageResult, PageUser, beijing, render};
use crate::auth::CurrentUser;
use crate::dishonesty::domain::{ListingStatus, ListingStep, RemovalStatus};
use crate::dishonesty::json::DishonestyListingResponse;
use crate::dishonesty::{steps, view};
use crate::entities::dishonesty_listing::Model;
use crate::entities::user;
use crate::error::AppResult;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use std::collections::HashMap;

/// One line of the timeline.
pub struct Event {
    pub label: &'static str,
    pub on: String,
    pub who: String,
    pub what: String,
}

/// A printable document of the listing.
pub struct DocRow {
    pub kind: &'static str,
    pub title: String,
    pub number: String,
    pub on: String,
}

#[derive(Template)]
#[template(path = "dishonesty.html")]
pub struct DetailPage {
    pub layout: Layout,
    pub bureau: bool,
    pub l: DishonestyListingResponse,
    pub timeline: Vec<Event>,
    pub docs: Vec<DocRow>,
    pub statement_running: bool,
    pub typed: Typed,
    pub errors: FormErrors,
    pub flash: Option<String>,
}

impl DetailPage {
    /// Whether the reader may take `step` now (the policy's `allowed_actions`).
    pub fn allows(&self, step: &str) -> bool {
        self.l.allowed_actions.iter().any(|s| s.as_str() == step)
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

/// The display names of the users who acted on the row.
async fn names<C: ConnectionTrait>(db: &C, m: &Model) -> AppResult<HashMap<i64, String>> {
    let ids: Vec<i64> =
        [m.proposed_by, m.notified_by, m.decided_by, m.refused_by, m.removal_applied_by, m.removal_decided_by]
            .into_iter()
            .flatten()
            .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let users = user::Entity::find().filter(user::Column::Id.is_in(ids)).all(db).await?;
    Ok(users.into_iter().map(|u| (u.id, u.display_name)).collect())
}

fn day(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// The row's steps as lines, oldest first.
#[allow(clippy::too_many_lines)] // one arm per step of the procedure, read top to bottom
fn timeline(m: &Model, who: &HashMap<i64, String>) -> Vec<Event> {
    let name = |id: Option<i64>| id.and_then(|i| who.get(&i).cloned()).unwrap_or_default();
    let mut out = vec![Event {
        label: "提出列入建议",
        on: beijing(m.proposed_at),
        who: if m.proposed_by.is_some() { name(m.proposed_by) } else { "系统（据业务数据）".to_owned() },
        what: String::new(),
    }];
    if m.notified_on.is_some() {
        out.push(Event {
            label: "事先告知",
            on: day(m.notified_on),
            who: name(m.notified_by),
            what: format!(
                "告知书 {}；陈述申辩期限至 {}",
                m.notice_number.clone().unwrap_or_default(),
                day(m.statement_until)
            ),
        });
    }
    if let Some(s) = &m.statement {
        out.push(Event { label: "陈述申辩", on: day(m.statement_on), who: String::new(), what: s.clone() });
    }
    if m.status == ListingStatus::Refused {
        out.push(Event {
            label: "不予列入",
            on: beijing(m.updated_at),
            who: name(m.refused_by),
            what: m.refused_reason.clone().unwrap_or_default(),
        });
    }
    if m.decided_on.is_some() {
        out.push(Event {
            label: "列入决定",
            on: day(m.decided_on),
            who: name(m.decided_by),
            what: format!(
                "决定书 {}；列入期限 {} 至 {}",
                m.decision_number.clone().unwrap_or_default(),
                day(m.listed_on),
                day(m.until)
            ),
        });
    }
    if m.removal_applied_on.is_some() {
        out.push(Event {
            label: "申请提前移出",
            on: day(m.removal_applied_on),
            who: name(m.removal_applied_by),
            what: m.commitment.clone().map(|c| format!("信用承诺：{c}")).unwrap_or_default(),
        });
    }
    match m.removal_status {
        Some(RemovalStatus::Approved | RemovalStatus::Revoked) if m.removal_number.is_some() => out.push(Event {
            label: "同意提前移出",
            on: day(m.removed_on.or(m.removal_revoked_on)),
            who: name(m.removal_decided_by),
            what: format!("移出决定书 {}", m.removal_number.clone().unwrap_or_default()),
        }),
        Some(RemovalStatus::Rejected) => out.push(Event {
            label: "不同意提前移出",
            on: String::new(),
            who: name(m.removal_decided_by),
            what: m.removal_reason.clone().unwrap_or_default(),
        }),
        _ => {}
    }
    if m.removal_revoked_on.is_some() {
        out.push(Event {
            label: "撤销提前移出",
            on: day(m.removal_revoked_on),
            who: String::new(),
            what: format!("{}；恢复列入至 {}", m.removal_reason.clone().unwrap_or_default(), day(m.until)),
        });
    }
    if m.ended_on.is_some() {
        out.push(Event { label: "期满移出", on: day(m.ended_on), who: "系统".to_owned(), what: String::new() });
    }
    out
}

/// The documents issued so far.
fn docs(m: &Model) -> AppResult<Vec<DocRow>> {
    let d = &crate::dishonesty::rules::rules()?.documents;
    let mut out = Vec::new();
    let mut add = |kind, title: &str, number: &Option<String>, on| {
        if let Some(n) = number {
            out.push(DocRow { kind, title: title.to_owned(), number: n.clone(), on: day(on) });
        }
    };
    add("notice", &d.notice.title, &m.notice_number, m.notified_on);
    add("decision", &d.decision.title, &m.decision_number, m.decided_on);
    add("removal", &d.removal.title, &m.removal_number, m.removed_on);
    Ok(out)
}

/// Builds the page (what was typed into the form that failed, and its problems).
pub async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    typed: Typed,
    errors: FormErrors,
) -> PageResult<DetailPage> {
    let db = state.db.conn();
    let m = steps::visible(db, user, id).await?;
    let who = names(db, &m).await?;
    let today = crate::clock::china_date(state.clock.now());
    let statement_running = m.statement_on.is_none() && m.statement_until.is_some_and(|u| today <= u);
    let timeline = timeline(&m, &who);
    let docs = docs(&m)?;
    let l = view::response(db, user, m).await?;
    let title = format!("失信名单：{}（{}）", l.subject_name, l.status.zh());
    Ok(DetailPage {
        layout: Layout::new(state, user, &title, Section::Dishonesty).await?,
        bureau: user.is_bureau_user(),
        l,
        timeline,
        docs,
        statement_running,
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
    p.flash =
        q.done.parse::<ListingStep>().ok().map(|s| format!("已办理“{}”，当前状态：{}。", s.zh(), p.l.status.zh()));
    render(&p)
}
