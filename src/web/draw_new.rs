//! The commit form of a double-random draw (新建抽取, `/draws/new`; a redraw with
//! `?supersedes=ID`): title, filter, sample, strata, team size, 专业要求, weights,
//! planned date, cross-region, and who holds the secret. It posts to the same use
//! case as `POST /api/v1/draws` and leads to the committed draw.
//!
//! Decisions: only regulators commit (as in the API); others get 403, people outside
//! the bureaus 404. A redraw starts from the superseded draw's title, filter and
//! cross-region choice, and requires the reason. Every problem is listed at once —
//! those the form finds (a date or number it cannot read) with those the use case
//! finds — and what was typed comes back, the secret included (it is the
//! regulator's own, typed on this page). The 生成随机密钥 button fills a random
//! secret in the browser (`crypto.getRandomValues`), so the server never sees it
//! before the regulator posts the form.

use super::draw_form::{self, Typed, keys};
use super::layout::{Layout, Section};
use super::page::{Choice, FormErrors, PageResult, PageUser, choices, render, render_with, see_other};
use crate::auth::CurrentUser;
use crate::draw::domain::SpecialtyRule;
use crate::draw::json::DrawFilter;
use crate::draw::{policy, service};
use crate::enterprise::domain::{Sector, SpecialTopic};
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::{Form, Router};

/// A checkbox of the filter.
pub struct Check {
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

/// A keyed input (a stratum's sample, a weight) with its Chinese name.
pub struct Keyed {
    pub key: String,
    pub label: String,
    pub value: String,
}

/// The sub-types of one sector.
pub struct Group {
    pub sector: &'static str,
    pub items: Vec<Check>,
}

#[derive(Template)]
#[template(path = "draw_new.html")]
struct NewPage {
    layout: Layout,
    errors: FormErrors,
    typed: Typed,
    sectors: Vec<Check>,
    sub_types: Vec<Group>,
    topics: Vec<Check>,
    rules: Vec<Choice>,
    strata_groups: Vec<(&'static str, &'static str, Vec<Keyed>)>,
    weight_groups: Vec<(&'static str, &'static str, Vec<Keyed>)>,
    supersedes: Option<(i64, String)>,
    /// The bureau's approved annual plans: (id, label, selected).
    plans: Vec<(i64, String, bool)>,
}

fn checks(t: &Typed) -> (Vec<Check>, Vec<Group>, Vec<Check>) {
    let sectors = Sector::ALL
        .iter()
        .map(|s| Check { value: s.as_str(), label: s.zh().to_owned(), checked: t.has("sectors", s.as_str()) })
        .collect();
    let groups = Sector::ALL
        .iter()
        .map(|s| Group {
            sector: s.zh(),
            items: s
                .sub_types()
                .map(|u| Check { value: u.as_str(), label: u.zh().to_owned(), checked: t.has("sub_types", u.as_str()) })
                .collect(),
        })
        .collect();
    let topics = SpecialTopic::ALL
        .iter()
        .map(|s| Check { value: s.as_str(), label: s.zh().to_owned(), checked: t.has("special_topics", s.as_str()) })
        .collect();
    (sectors, groups, topics)
}

fn keyed(by: &str, value: impl Fn(&str) -> String) -> Vec<Keyed> {
    keys(by).into_iter().map(|(key, label)| Keyed { value: value(&key), key, label }).collect()
}

async fn page(state: &AppState, user: &CurrentUser, typed: Typed, errors: FormErrors) -> PageResult<NewPage> {
    let supersedes = match typed.supersedes_id.trim().parse::<i64>() {
        Ok(id) => Some((id, service::get_visible(state.db.conn(), user, id).await?.title)),
        Err(_) => None,
    };
    let title = if supersedes.is_some() { "重新抽取" } else { "新建抽取" };
    let (sectors, sub_types, topics) = checks(&typed);
    let rule = if typed.specialty_rule.is_empty() { SpecialtyRule::None.as_str() } else { &typed.specialty_rule };
    let strata_groups = [("sector", "按行业"), ("supervision_class", "按监管类别"), ("both", "按行业和监管类别")]
        .into_iter()
        .map(|(by, label)| (by, label, keyed(by, |k| typed.stratum(k).to_owned())))
        .collect();
    let weight_groups = [("sector", "按行业"), ("supervision_class", "按监管类别")]
        .into_iter()
        .map(|(by, label)| (by, label, keyed(by, |k| typed.weight(k).to_owned())))
        .collect();
    let plans = approved_plans(state, user, &typed.plan_id).await?;
    Ok(NewPage {
        layout: Layout::new(state, user, title, Section::Draws).await?,
        plans,
        errors,
        rules: choices(SpecialtyRule::ALL, SpecialtyRule::as_str, SpecialtyRule::zh, rule),
        sectors,
        sub_types,
        topics,
        strata_groups,
        weight_groups,
        supersedes,
        typed,
    })
}

/// The user's bureau's approved annual plans, newest year first, for the plan selector.
async fn approved_plans(state: &AppState, user: &CurrentUser, chosen: &str) -> PageResult<Vec<(i64, String, bool)>> {
    use crate::entities::annual_plan;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let Some(bureau) = user.bureau.as_ref() else { return Ok(Vec::new()) };
    let rows = annual_plan::Entity::find()
        .filter(annual_plan::Column::BureauId.eq(bureau.id))
        .filter(annual_plan::Column::Status.eq(crate::annual_plan::domain::Status::Approved))
        .order_by_desc(annual_plan::Column::Year)
        .limit(20)
        .all(state.db.conn())
        .await
        .map_err(AppError::from)?;
    Ok(rows
        .into_iter()
        .map(|p| {
            let label = format!("{}年度监督检查计划（第 {} 版）", p.year, p.revision);
            (p.id, label, chosen.trim() == p.id.to_string())
        })
        .collect())
}

fn may_commit(user: &CurrentUser) -> Result<(), AppError> {
    if !user.is_bureau_user() {
        return Err(AppError::NotFound);
    }
    if policy::may_commit(&policy::Actor::of(user)) { Ok(()) } else { Err(AppError::Forbidden) }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct NewQuery {
    supersedes: String,
}

pub async fn new_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<NewQuery>,
) -> PageResult {
    may_commit(&user)?;
    let mut typed = Typed::blank();
    // Weights by class start from each class's shipped weight (used only if the draw asks).
    for c in &crate::inspection::governance::cap::caps().classes {
        typed.weights.insert(c.code.clone(), c.draw_weight.to_string());
    }
    if let Ok(id) = q.supersedes.trim().parse::<i64>() {
        let old = service::get_visible(state.db.conn(), &user, id).await?;
        let filter: DrawFilter = serde_json::from_str(&old.filter).unwrap_or_default();
        typed.supersedes_id = id.to_string();
        typed.title = old.title;
        typed.region = filter.region.unwrap_or_default();
        typed.sectors = filter.sectors.iter().map(|s| s.as_str().to_owned()).collect();
        typed.sub_types = filter.sub_types.iter().map(|s| s.as_str().to_owned()).collect();
        typed.special_topics = filter.special_topics.iter().map(|s| s.as_str().to_owned()).collect();
        typed.include_subordinates = old.include_subordinates;
    }
    render(&page(&state, &user, typed, FormErrors::default()).await?)
}

/// The use case's problems and the form's own, together.
fn merged(r: Result<crate::entities::draw::Model, AppError>, pre: &FieldErrors) -> Result<i64, AppError> {
    match r {
        Ok(d) if pre.is_empty() => Ok(d.id),
        Ok(_) => Err(AppError::Validation(pre.clone())),
        Err(AppError::Validation(mut f)) => {
            for (k, v) in pre.clone() {
                f.entry(k).or_default().extend(v);
            }
            Err(AppError::Validation(f))
        }
        Err(e) if !pre.is_empty() => {
            let mut f = pre.clone();
            f.entry(String::new()).or_default().push(e.to_string());
            Err(AppError::Validation(f))
        }
        Err(e) => Err(e),
    }
}

pub async fn commit(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let typed = Typed::from_pairs(pairs);
    user.check_csrf(&typed.csrf_token)?;
    may_commit(&user)?;
    let mut pre = FieldErrors::new();
    let req = draw_form::request(&typed, state.clock.today(), &mut pre);
    let made = state
        .write(user.actor(), async |tx| {
            let r = service::commit(tx, &user, &req).await;
            // A form with problems must not commit anything, whatever the use case made of it.
            merged(r, &pre)
        })
        .await;
    match made {
        Ok(id) => Ok(see_other(&format!("/draws/{id}?done=committed"))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. } | AppError::Unprocessable { .. })) => {
            let errors = FormErrors::from_error(&e);
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page(&state, &user, typed, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/draws/new", axum::routing::get(new_form).post(commit))
}
