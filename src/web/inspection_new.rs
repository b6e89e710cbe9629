//! The form that starts an inspection (发起检查, `/inspections/new`): the enterprise
//! by picker, the kind, the team from the bureau's register (certificate status and
//! availability on the planned date; experts apart), the leader, the planned date,
//! the 现场检查方案, and a preview of the checklists that will be pinned and of the
//! enterprise's count this year against its cap. It posts to the same use case as
//! `POST /api/v1/inspections`.
//!
//! Decisions: a date or kind that cannot be read is reported together with every
//! problem the use case finds (the use case runs with today's date in its place and
//! its transaction is rolled back), so all errors show at once. 预览 re-renders the
//! form with the preview without creating anything. Inspectors who are away or
//! whose certificate is not usable are listed (marked) rather than hidden, so the
//! clerk sees why they cannot be chosen; the use case refuses them by name.

use super::layout::{Layout, Section};
use super::page::{Choice, FormErrors, PageResult, PageUser, choices, render, render_with, see_other};
use crate::auth::{CurrentUser, Role};
use crate::enterprise::search::EnterpriseHit;
use crate::error::{AppError, FieldErrors};
use crate::inspection::domain::Kind;
use crate::inspection::governance::cap::{self, CapStanding};
use crate::inspection::governance::json::CreateInspection;
use crate::inspection::governance::{policy, service};
use crate::inspector::register::{self, InspectorSummary};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::{Form, Router};
use chrono::{Datelike, NaiveDate};

/// One person of the register as the form offers them.
pub struct Person {
    pub s: InspectorSummary,
    pub checked: bool,
    pub leader: bool,
}

/// What the form shows about the chosen enterprise.
pub struct Preview {
    pub name: String,
    /// (title, version, applicable items) per checklist.
    pub checklists: Vec<(String, String, usize)>,
    pub cap: CapStanding,
    pub counts: bool,
}

#[derive(Template)]
#[template(path = "inspection_new.html")]
struct NewPage {
    layout: Layout,
    errors: FormErrors,
    typed: Typed,
    kinds: Vec<Choice>,
    inspectors: Vec<Person>,
    experts: Vec<Person>,
    candidates: Vec<EnterpriseHit>,
    preview: Option<Preview>,
    max_plan: usize,
}

/// The form as typed (kept when it comes back).
#[derive(Debug, Default)]
pub struct Typed {
    enterprise_id: String,
    enterprise_q: String,
    kind: String,
    inspector_ids: Vec<i64>,
    expert_ids: Vec<i64>,
    leader_id: String,
    planned_date: String,
    plan_text: String,
    csrf_token: String,
    preview: bool,
}

impl Typed {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut t = Self::default();
        for (k, v) in pairs {
            let id = || v.trim().parse::<i64>().ok();
            match k.as_str() {
                "enterprise_id" => t.enterprise_id = v.trim().to_owned(),
                "enterprise_q" => t.enterprise_q = v,
                "kind" => t.kind = v,
                "inspector_ids" if t.inspector_ids.len() < crate::limits::LIST => t.inspector_ids.extend(id()),
                "expert_ids" if t.expert_ids.len() < crate::limits::LIST => t.expert_ids.extend(id()),
                "leader_id" => t.leader_id = v,
                "planned_date" => t.planned_date = v,
                "plan_text" => t.plan_text = v,
                "csrf_token" => t.csrf_token = v,
                "preview" => t.preview = true,
                _ => {}
            }
        }
        t
    }

    fn date(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(self.planned_date.trim(), "%Y-%m-%d").ok()
    }
}

async fn preview(state: &AppState, user: &CurrentUser, typed: &Typed) -> PageResult<Option<Preview>> {
    let db = state.db.conn();
    let Ok(id) = typed.enterprise_id.parse::<i64>() else { return Ok(None) };
    let Ok(e) = crate::enterprise::service::get_scoped(db, &user.scope, id).await else { return Ok(None) };
    let mut checklists: Vec<(String, String, usize, String)> = Vec::new();
    for item in crate::checklist::applicable_items(db, &e).await? {
        match checklists.iter_mut().find(|c| c.3 == item.checklist_hash) {
            Some(c) => c.2 += 1,
            None => checklists.push((item.checklist_title, item.checklist_version, 1, item.checklist_hash)),
        }
    }
    let year = typed.date().unwrap_or_else(|| state.clock.today()).year();
    let cap = cap::standing(db, &e, year, None).await?;
    let counts = typed.kind.parse::<Kind>().map_or(true, |k| cap::caps().counts(k));
    let checklists = checklists.into_iter().map(|(t, v, n, _)| (t, v, n)).collect();
    Ok(Some(Preview { name: e.name, checklists, cap, counts }))
}

async fn page(state: &AppState, user: &CurrentUser, mut typed: Typed, errors: FormErrors) -> PageResult<NewPage> {
    let day = typed.date().unwrap_or_else(|| state.clock.today());
    let preview = preview(state, user, &typed).await?;
    if let Some(p) = &preview
        && typed.enterprise_q.trim().is_empty()
    {
        typed.enterprise_q.clone_from(&p.name);
    }
    let people = register::summaries(state.db.conn(), user, None, day).await?;
    let leader = typed.leader_id.parse::<i64>().ok();
    let (mut inspectors, mut experts) = (Vec::new(), Vec::new());
    for s in people {
        if s.roles.contains(&Role::Inspector) {
            let p = Person { checked: typed.inspector_ids.contains(&s.id), leader: leader == Some(s.id), s };
            inspectors.push(p);
        } else {
            experts.push(Person { checked: typed.expert_ids.contains(&s.id), leader: false, s });
        }
    }
    let kind = if typed.kind.is_empty() { Kind::Planned.as_str() } else { typed.kind.as_str() };
    Ok(NewPage {
        layout: Layout::new(state, user, "发起检查", Section::Inspections).await?,
        errors,
        kinds: choices(Kind::ALL, Kind::as_str, Kind::zh, kind),
        inspectors,
        experts,
        candidates: Vec::new(),
        preview,
        max_plan: crate::limits::TEXT,
        typed,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<Vec<(String, String)>>,
) -> PageResult {
    if !policy::may_create(&user) {
        return Err(AppError::Forbidden.into());
    }
    let typed = Typed::from_pairs(q.into_iter().filter(|(k, _)| k == "enterprise_id").collect());
    render(&page(&state, &user, typed, FormErrors::default()).await?)
}

/// The enterprise the form names: the picked id, or the one match of the typed name.
async fn resolve(
    state: &AppState,
    user: &CurrentUser,
    typed: &mut Typed,
) -> Result<(), (AppError, Vec<EnterpriseHit>)> {
    if typed.enterprise_id.parse::<i64>().is_ok() || typed.enterprise_q.trim().is_empty() {
        return Ok(());
    }
    let hits = crate::enterprise::search::search(state.db.conn(), user, &typed.enterprise_q)
        .await
        .map_err(|e| (e, Vec::new()))?;
    match hits.as_slice() {
        [one] => {
            typed.enterprise_id = one.id.to_string();
            Ok(())
        }
        [] => Err((AppError::validation("enterprise_id", "没有找到这家企业，请检查名称或信用代码"), Vec::new())),
        _ => Err((AppError::validation("enterprise_id", "找到多家企业，请从下面选择一家"), hits)),
    }
}

/// Problems the form itself finds (a date or kind it cannot read), and the body for the use case.
fn body(state: &AppState, typed: &Typed, pre: &mut FieldErrors) -> CreateInspection {
    let mut add = |f: &str, m: &str| pre.entry(f.to_owned()).or_default().push(m.to_owned());
    let kind = typed.kind.parse::<Kind>().unwrap_or_else(|_| {
        add("kind", "请选择检查方式");
        Kind::Planned
    });
    let planned_date = typed.date().unwrap_or_else(|| {
        add("planned_date", "请按 YYYY-MM-DD 填写计划检查日期，如 2026-12-20");
        state.clock.today()
    });
    let leader_id = typed.leader_id.parse::<i64>().ok();
    if leader_id.is_some_and(|l| !typed.inspector_ids.contains(&l)) {
        add("leader_id", "带队人须是选中的执法人员之一");
    }
    CreateInspection {
        enterprise_id: typed.enterprise_id.parse().unwrap_or(0),
        kind,
        inspector_ids: typed.inspector_ids.clone(),
        expert_ids: typed.expert_ids.clone(),
        leader_id,
        planned_date,
        plan_text: typed.plan_text.clone(),
        checklist_hashes: None,
    }
}

pub async fn create(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let mut typed = Typed::from_pairs(pairs);
    user.check_csrf(&typed.csrf_token)?;
    if !policy::may_create(&user) {
        return Err(AppError::Forbidden.into());
    }
    let mut candidates = Vec::new();
    let mut pre = FieldErrors::new();
    if let Err((e, hits)) = resolve(&state, &user, &mut typed).await {
        candidates = hits;
        let AppError::Validation(f) = e else { return Err(e.into()) };
        pre.extend(f);
    }
    if typed.preview {
        let errors = if candidates.is_empty() {
            FormErrors::default()
        } else {
            FormErrors::from_error(&AppError::Validation(pre))
        };
        return render(&NewPage { candidates, ..page(&state, &user, typed, errors).await? });
    }
    let req = body(&state, &typed, &mut pre);
    let made = state
        .write(user.actor(), async |tx| {
            let r = service::create(tx, &user, &req).await;
            match r {
                Ok(i) if pre.is_empty() => Ok(i),
                Ok(_) => Err(AppError::Validation(pre.clone())),
                Err(AppError::Validation(mut f)) => {
                    for (k, v) in pre.clone() {
                        f.entry(k).or_default().extend(v);
                    }
                    Err(AppError::Validation(f))
                }
                Err(e) => Err(e),
            }
        })
        .await;
    match made {
        Ok(i) => Ok(see_other(&format!("/inspections/{}?created=1", i.id))),
        Err(e @ AppError::Validation(_)) => {
            let errors = FormErrors::from_error(&e);
            let p = NewPage { candidates, ..page(&state, &user, typed, errors).await? };
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
        Err(e) => Err(e.into()),
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/inspections/new", axum::routing::get(new_form).post(create))
}
