//! 立案办理 (`/cases/new`): a certified 执法人员 opens a case through the same use
//! case as the API (`case::service::create`), optionally prefilled from a hazard
//! (`?hazard_id=`) or an inspection (`?inspection_id=`): the enterprise as the unit
//! party, the facts from the hazard's words, and as suggested violations the
//! catalogue entries mapped to the hazard's `checklist_item_code`. A failed form
//! comes back (422) with every problem beside its field and what was typed.

use super::case_new_form::{self as form, PERSONS, Typed, VIOLATIONS};
use super::layout::{Layout, Section};
use super::page::{FormErrors, PageResult, PageUser, render_with, see_other};
use crate::auth::{CurrentUser, Role};
use crate::case::catalogue::{self, stage_zh};
use crate::entities::{hazard, inspection, user, user_role};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// One `<option>`.
pub struct Opt {
    pub value: String,
    pub label: String,
}

/// The catalogue entries of one law, for the violation selects.
pub struct LawGroup {
    pub name: String,
    pub options: Vec<Opt>,
}

/// A person row as shown.
pub struct PersonRow {
    pub n: usize,
    pub name: String,
    pub id: String,
    pub principal: bool,
}

/// A violation row as shown.
pub struct ViolationRow {
    pub n: usize,
    pub code: String,
    pub party: String,
    pub stage: String,
    pub fine: String,
}

#[derive(Template)]
#[template(path = "case_new.html")]
pub struct NewCasePage {
    pub layout: Layout,
    pub typed: Typed,
    pub errors: FormErrors,
    pub persons: Vec<PersonRow>,
    pub rows: Vec<ViolationRow>,
    pub laws: Vec<LawGroup>,
    pub stages: Vec<Opt>,
    pub co_handlers: Vec<Opt>,
    pub suggested: Vec<String>,
    pub source: String,
}

impl NewCasePage {
    pub fn err(&self, field: &str) -> String {
        self.errors.of(field)
    }
}

/// The catalogue for the selects: every entry as citation + conduct, 未核实 marked.
pub fn law_groups() -> AppResult<Vec<LawGroup>> {
    let d = catalogue::data()?;
    Ok(d.catalogue
        .laws
        .iter()
        .map(|l| LawGroup {
            name: match l.effective_until {
                Some(until) => format!("{}（施行至 {until}）", l.name),
                None => l.name.clone(),
            },
            options: d
                .catalogue
                .entries
                .iter()
                .filter(|e| e.law == l.code)
                .map(|e| Opt {
                    value: e.code.clone(),
                    label: format!("{} {}{}", d.citation(e), e.conduct, if e.verified { "" } else { "（未核实）" }),
                })
                .collect(),
        })
        .filter(|g| !g.options.is_empty())
        .collect())
}

/// The bureau's certified inspectors other than the user, for 协办人.
async fn co_handlers<C: ConnectionTrait>(db: &C, user: &CurrentUser, today: NaiveDate) -> AppResult<Vec<Opt>> {
    let Some(bureau) = user.bureau.as_ref() else { return Ok(Vec::new()) };
    let ids: Vec<i64> = user_role::Entity::find()
        .filter(user_role::Column::Role.eq(Role::Inspector.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.user_id)
        .collect();
    let users = user::Entity::find()
        .filter(user::Column::BureauId.eq(bureau.id))
        .filter(user::Column::Id.is_in(ids))
        .filter(user::Column::Id.ne(user.id))
        .order_by_asc(user::Column::DisplayName)
        .all(db)
        .await?;
    Ok(users
        .into_iter()
        .filter(|u| crate::case::service::certified(u, &[Role::Inspector], today))
        .map(|u| Opt { value: u.id.to_string(), label: u.display_name })
        .collect())
}

/// The entries a checklist item maps to.
fn suggestions(item: Option<&str>) -> AppResult<Vec<String>> {
    let Some(item) = item.filter(|i| !i.is_empty()) else { return Ok(Vec::new()) };
    let d = catalogue::data()?;
    Ok(d.catalogue
        .entries
        .iter()
        .filter(|e| e.checklist_items.iter().any(|c| c == item))
        .map(|e| e.code.clone())
        .collect())
}

/// Fills the form from a hazard and/or an inspection; answers where it came from.
async fn prefill(state: &AppState, user: &CurrentUser, t: &mut Typed) -> AppResult<String> {
    let db = state.db.conn();
    let mut source = Vec::new();
    let mut codes = Vec::new();
    if let Ok(id) = t.get("hazard_id").parse::<i64>() {
        let h = crate::scope::get::<hazard::Entity, _>(db, &user.scope, id).await?;
        let found = crate::clock::china_date(h.found_at).format("%Y年%-m月%-d日");
        let place = h.location.as_deref().map(|l| format!("（部位：{l}）")).unwrap_or_default();
        t.set("facts", format!("{found}检查发现：{}{place}。{}", h.title, h.description));
        if let Some(e) = h.enterprise_id {
            t.set("enterprise_id", e.to_string());
        }
        if let Some(i) = h.inspection_id.filter(|_| t.get("inspection_id").is_empty()) {
            t.set("inspection_id", i.to_string());
        }
        codes = suggestions(h.checklist_item_code.as_deref())?;
        source.push(format!("隐患“{}”", h.title));
    }
    if let Ok(id) = t.get("inspection_id").parse::<i64>() {
        let i = crate::scope::get::<inspection::Entity, _>(db, &user.scope, id).await?;
        if t.get("enterprise_id").is_empty() {
            t.set("enterprise_id", i.enterprise_id.to_string());
        }
        source.push(format!("{}的执法检查", i.planned_date));
    }
    if let Ok(e) = t.get("enterprise_id").parse::<i64>() {
        let name = crate::enterprise::service::names(db, vec![e]).await?.remove(&e).unwrap_or_default();
        if t.get("basis") == "uninsured" && !name.is_empty() {
            t.set("facts", format!("{name}属于应当投保安全生产责任保险的生产经营单位，经查未按规定投保或保障不足（安全生产法第五十一条）。"));
            codes = vec!["wsl-109".to_owned()];
            source.push("安责险投保检查".to_owned());
        }
        t.set("enterprise_q", name);
    }
    let d = catalogue::data()?;
    for (n, code) in codes.iter().take(VIOLATIONS).enumerate() {
        t.set(&format!("v{}_code", n + 1), code.clone());
        // An entry that does not reach units is charged to the first person typed.
        let unit = d.entry(code).is_some_and(|e| e.parties.contains(&catalogue::FineParty::Unit));
        t.set(&format!("v{}_party", n + 1), if unit { "unit" } else { "p1" });
    }
    Ok(source.join("、"))
}

/// The page with what was typed and its problems.
pub async fn page(
    state: &AppState,
    user: &CurrentUser,
    typed: Typed,
    errors: FormErrors,
    source: String,
) -> PageResult {
    let today = crate::clock::china_date(state.clock.now());
    let d = catalogue::data()?;
    let suggested = (1..=VIOLATIONS)
        .filter_map(|n| d.entry(typed.get(&format!("v{n}_code"))))
        .map(|e| format!("{} {}", d.citation(e), e.conduct))
        .collect();
    let p = NewCasePage {
        layout: Layout::new(state, user, "立案办理", Section::Cases).await?,
        persons: (1..=PERSONS)
            .map(|n| PersonRow {
                n,
                name: typed.get(&format!("p{n}_name")).to_owned(),
                id: typed.get(&format!("p{n}_id")).to_owned(),
                principal: typed.get(&format!("p{n}_role")) == "principal",
            })
            .collect(),
        rows: (1..=VIOLATIONS)
            .map(|n| ViolationRow {
                n,
                code: typed.get(&format!("v{n}_code")).to_owned(),
                party: typed.get(&format!("v{n}_party")).to_owned(),
                stage: typed.get(&format!("v{n}_stage")).to_owned(),
                fine: typed.get(&format!("v{n}_fine")).to_owned(),
            })
            .collect(),
        laws: law_groups()?,
        stages: ["first", "uncorrected", "refused"]
            .iter()
            .map(|s| Opt { value: (*s).to_owned(), label: stage_zh(s).to_owned() })
            .collect(),
        co_handlers: co_handlers(state.db.conn(), user, today).await?,
        suggested: if source.is_empty() { Vec::new() } else { suggested },
        source,
        typed,
        errors,
    };
    let status = if p.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_with(status, &p)
}

fn refuse_unless_inspector(user: &CurrentUser) -> AppResult<()> {
    if crate::case::policy::may_open(user) {
        Ok(())
    } else {
        Err(AppError::ForbiddenBecause("只有持有效执法证的执法人员可以立案办理".to_owned()))
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<Vec<(String, String)>>,
) -> PageResult {
    refuse_unless_inspector(&user)?;
    let mut typed = Typed::default();
    for key in ["hazard_id", "inspection_id", "enterprise_id", "basis"] {
        if let Some((_, v)) = q.iter().find(|(k, _)| k == key) {
            typed.set(key, v.trim());
        }
    }
    let source = prefill(&state, &user, &mut typed).await?;
    page(&state, &user, typed, FormErrors::default(), source).await
}

pub async fn create(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let mut typed = Typed::from_pairs(pairs);
    user.check_csrf(typed.get("csrf_token"))?;
    refuse_unless_inspector(&user)?;
    if typed.get("enterprise_id").parse::<i64>().is_err() && !typed.get("enterprise_q").trim().is_empty() {
        let hits = crate::enterprise::search::search(state.db.conn(), &user, typed.get("enterprise_q")).await?;
        if let [one] = hits.as_slice() {
            typed.set("enterprise_id", one.id.to_string());
        }
    }
    let result = match form::build(&typed) {
        Ok(built) => state
            .write(user.actor(), async |tx| crate::case::service::create(tx, &user, &built.body).await)
            .await
            .map_err(|e| form::on_form(e, &built)),
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(see_other(&format!("/cases/{id}?done=created"))),
        Err(e @ AppError::Validation(_)) => {
            let source = typed.get("source").to_owned();
            page(&state, &user, typed, FormErrors::from_error(&e), source).await
        }
        Err(e) => Err(e.into()),
    }
}
