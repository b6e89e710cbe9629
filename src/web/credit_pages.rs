//! 监管信用 pages: the scored enterprises of the bureau with the rules in force, a
//! version's preview and its adoption (`/credit`), and one enterprise's breakdown
//! with contests and their resolution (`/enterprises/{id}/credit`). Every form goes
//! through the same use cases as the API; a refusal comes back as a message on the
//! page with what was typed. The score is internal: nothing here is public.

use super::layout::{Layout, Section};
use super::page::{FormErrors, PagePath, PageResult, PageUser, render_with, see_other};
use crate::auth::{CurrentUser, Role};
use crate::credit::json::{CreditBreakdown, CreditPreview, CreditScoreRow, ScoreFilter};
use crate::credit::rules::RuleVersion;
use crate::credit::{adopt, recompute, service};
use crate::error::AppError;
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use sea_orm::{EntityTrait, QueryOrder};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "credit.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<CreditScoreRow>,
    class: String,
    version: &'static RuleVersion,
    versions: Vec<&'static RuleVersion>,
    preview: Option<CreditPreview>,
    last_run: Option<crate::entities::credit_run::Model>,
    may_recompute: bool,
    may_adopt: bool,
    flash: Option<&'static str>,
    errors: FormErrors,
    csrf: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    class: String,
    preview: String,
    done: String,
}

impl ListPage {
    /// A class code's Chinese name under the version in force.
    fn class_name(&self, code: &str) -> String {
        self.version.classes.iter().find(|c| c.code == code).map_or_else(|| code.to_owned(), |c| c.name.clone())
    }
}

async fn list_page(state: &AppState, user: &CurrentUser, q: &ListQuery, errors: FormErrors) -> PageResult<ListPage> {
    let db = state.db.conn();
    if !user.is_bureau_user() {
        return Err(AppError::NotFound.into());
    }
    let filter =
        ScoreFilter { class: Some(q.class.clone()).filter(|c| !c.is_empty()), page: None, per_page: Some(100) };
    let rows = service::list(db, user, &filter).await?;
    let version = service::version_in_force(db).await?;
    let today = crate::clock::china_date(state.clock.now());
    let preview = match q.preview.as_str() {
        "" => None,
        v => adopt::preview(db, user, v, today).await.ok(),
    };
    let top = match &user.bureau {
        Some(b) => crate::entities::bureau::Entity::find_by_id(b.id)
            .one(db)
            .await
            .map_err(AppError::from)?
            .is_some_and(|b| b.parent_id.is_none()),
        None => false,
    };
    let last_run = crate::entities::credit_run::Entity::find()
        .order_by_desc(crate::entities::credit_run::Column::Id)
        .one(db)
        .await
        .map_err(AppError::from)?;
    Ok(ListPage {
        layout: Layout::new(state, user, "监管信用", Section::Credit).await?,
        rows,
        class: q.class.clone(),
        version,
        versions: crate::credit::rules::data()?.versions.iter().collect(),
        preview,
        last_run,
        may_recompute: user.has(Role::Regulator),
        may_adopt: user.has(Role::Regulator) && top,
        flash: match q.done.as_str() {
            "recompute" => Some("已重新计算全部企业的信用分。"),
            "adopt" => Some("已采用新的计分规则，全部企业的信用分已按新规则重新计算。"),
            _ => None,
        },
        errors,
        csrf: user.csrf_token.clone(),
    })
}

pub async fn list(State(state): State<AppState>, PageUser(user): PageUser, Query(q): Query<ListQuery>) -> PageResult {
    let page = list_page(&state, &user, &q, FormErrors::default()).await?;
    render_with(StatusCode::OK, &page)
}

type Typed = Vec<(String, String)>;

fn field<'a>(t: &'a Typed, name: &str) -> &'a str {
    t.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// 重新计算 (监管人员).
pub async fn recompute_now(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(t): Form<Typed>,
) -> PageResult {
    user.check_csrf(field(&t, "csrf_token"))?;
    let done = state
        .write(user.actor(), async |tx| {
            user.require_any(&[Role::Regulator])?;
            let v = service::version_in_force(tx).await?;
            recompute::run(tx, v, tx.now(), "page").await
        })
        .await;
    match done {
        Ok(_) => Ok(see_other("/credit?done=recompute#flash")),
        Err(e) => {
            let page = list_page(&state, &user, &ListQuery::default(), FormErrors::from_error(&e)).await?;
            render_with(StatusCode::FORBIDDEN, &page)
        }
    }
}

/// 采用规则版本 (监管人员 of the top bureau).
pub async fn adopt_version(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(t): Form<Typed>,
) -> PageResult {
    user.check_csrf(field(&t, "csrf_token"))?;
    let version = field(&t, "version").to_owned();
    let done = match crate::credit::required_text("note", "采用说明", field(&t, "note")) {
        Ok(note) => {
            state.write(user.actor(), async |tx| adopt::adopt(tx, &user, &version, &note).await).await.map(|_| ())
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => Ok(see_other("/credit?done=adopt#flash")),
        Err(e) => {
            let status = if matches!(e, AppError::Validation(_)) {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::FORBIDDEN
            };
            let q = ListQuery { preview: version, ..ListQuery::default() };
            let page = list_page(&state, &user, &q, FormErrors::from_error(&e)).await?;
            render_with(status, &page)
        }
    }
}

#[derive(Template)]
#[template(path = "credit_enterprise.html")]
struct EnterprisePage {
    layout: Layout,
    b: CreditBreakdown,
    class_from: i64,
    may_contest: bool,
    may_resolve: bool,
    flash: Option<&'static str>,
    errors: FormErrors,
    csrf: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    done: String,
}

async fn enterprise_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    done: &str,
    errors: FormErrors,
) -> PageResult<EnterprisePage> {
    let db = state.db.conn();
    let e = service::enterprise_of(db, user, id).await?;
    let today = crate::clock::china_date(state.clock.now());
    let b = service::breakdown(db, &e, today).await?;
    let version = service::version_in_force(db).await?;
    let section = if user.is_bureau_user() { Section::Credit } else { Section::OwnCredit };
    Ok(EnterprisePage {
        layout: Layout::new(state, user, &format!("{} · 监管信用", e.name), section).await?,
        class_from: version.classes.iter().find(|c| c.code == b.class).map_or(0, |c| c.from),
        b,
        may_contest: !user.is_bureau_user() && (user.has(Role::Principal) || user.has(Role::SafetyOfficer)),
        may_resolve: user.has(Role::Regulator),
        flash: match done {
            "contest" => Some("异议已提交，监管部门核实后答复。"),
            "resolve" => Some("异议已处理。"),
            _ => None,
        },
        errors,
        csrf: user.csrf_token.clone(),
    })
}

pub async fn enterprise(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Query(d): Query<Done>,
) -> PageResult {
    let page = enterprise_page(&state, &user, id, &d.done, FormErrors::default()).await?;
    render_with(StatusCode::OK, &page)
}

/// 提出异议 / 处理异议 on one event, from the enterprise's credit page.
pub async fn event_action(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath((id, event, action)): PagePath<(i64, i64, String)>,
    Form(t): Form<Typed>,
) -> PageResult {
    user.check_csrf(field(&t, "csrf_token"))?;
    let done = match action.as_str() {
        "contest" => match crate::credit::required_text("reason", "异议理由", field(&t, "reason")) {
            Ok(r) => state.write(user.actor(), async |tx| service::contest(tx, &user, event, &r).await).await,
            Err(e) => Err(e),
        },
        "resolve" => match crate::credit::required_text("note", "处理意见", field(&t, "note")) {
            Ok(n) => {
                let upheld = field(&t, "upheld") == "yes";
                state.write(user.actor(), async |tx| service::resolve(tx, &user, event, upheld, &n).await).await
            }
            Err(e) => Err(e),
        },
        _ => return Err(AppError::NotFound.into()),
    };
    match done {
        Ok(()) => Ok(see_other(&format!("/enterprises/{id}/credit?done={action}#flash"))),
        Err(AppError::NotFound) => Err(AppError::NotFound.into()),
        Err(e) => {
            let status = match e {
                AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
                AppError::Conflict { .. } => StatusCode::CONFLICT,
                _ => StatusCode::FORBIDDEN,
            };
            let page = enterprise_page(&state, &user, id, "", FormErrors::from_error(&e)).await?;
            render_with(status, &page)
        }
    }
}

pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/credit", get(list))
        .route("/credit/recompute", post(recompute_now))
        .route("/credit/adopt", post(adopt_version))
        .route("/enterprises/{id}/credit", get(enterprise))
        .route("/enterprises/{id}/credit/events/{event}/{action}", post(event_action))
}
