//! The one-screen report form (上报隐患), also for staff and grid workers on
//! phones. It offers what the API takes: the enterprise by picker (bureau
//! users), an operator not in the register, the tip-off's reporter and 12350
//! number, 判定依据, a deadline as a date or as working days, and 立查立改
//! with the photo after the fix.
//!
//! Decisions: the source preselected fits the user (an inspector's 执法检查, a
//! grid worker's 网格员巡查, an enterprise's 企业自查, otherwise the first the
//! user may choose). A failed form comes back as typed; photos already sent
//! are kept as the user's uploads and carried in hidden fields
//! (`kept_photo_ids`, `kept_after_ids`), shown as kept. Without scripts the
//! enterprise is found from the typed name: one match is taken, several are
//! offered to choose from.

use super::hazard_pages::{Choice, FormData, choices, parse_local, read_form, save_photos, sources_for};
use super::layout::{Layout, Section};
use super::page::{FormErrors, PageResult, PageUser, render, render_with, see_other};
use crate::auth::{CurrentUser, Role};
use crate::enterprise::search::EnterpriseHit;
use crate::error::AppError;
use crate::hazard::domain::{Level, Source};
use crate::hazard::json::CreateHazardRequest;
use crate::limits;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "hazard_new.html")]
struct ReportPage {
    layout: Layout,
    errors: FormErrors,
    /// What was typed, when the form comes back with errors.
    typed: Typed,
    bureau_user: bool,
    sources: Vec<Choice>,
    levels: Vec<Choice>,
    categories: Vec<(String, String)>,
    /// Enterprises matching the typed name, to choose from (no scripts).
    candidates: Vec<EnterpriseHit>,
    /// The regions a provisional subject may be in.
    regions: Vec<(String, &'static str)>,
    /// `maxlength` of the title, description and location (`limits`).
    max: (usize, usize, usize),
    short: usize,
}

/// The report form's fields as typed (all text, so that a bad value comes back as it was).
#[derive(Debug, Default)]
pub struct Typed {
    /// The enterprise the report is about, when fixed (enterprise users, or a link from the register).
    enterprise_id: String,
    /// The enterprise picker's text.
    enterprise_q: String,
    /// About an operator not in the register.
    unregistered: bool,
    subject_name: String,
    subject_address: String,
    subject_region: String,
    source: String,
    source_ref: String,
    reporter_name: String,
    reporter_phone: String,
    level: String,
    category: String,
    title: String,
    description: String,
    location: String,
    checklist_item_code: String,
    found_at: String,
    deadline: String,
    deadline_working_days: String,
    fixed_on_spot: bool,
    /// Photos sent with a failed form, kept as uploads: before and after the fix.
    kept_photo_ids: String,
    kept_after_ids: String,
}

impl Typed {
    fn from_form(form: &FormData) -> Self {
        let raw = |k: &str| form.fields.get(k).cloned().unwrap_or_default();
        Self {
            enterprise_id: form.get("enterprise_id").unwrap_or_default(),
            enterprise_q: raw("enterprise_q"),
            unregistered: form.get("unregistered").is_some(),
            subject_name: raw("subject_name"),
            subject_address: raw("subject_address"),
            subject_region: raw("subject_region"),
            source: raw("source"),
            source_ref: raw("source_ref"),
            reporter_name: raw("reporter_name"),
            reporter_phone: raw("reporter_phone"),
            level: raw("level"),
            category: raw("category"),
            title: raw("title"),
            description: raw("description"),
            location: raw("location"),
            checklist_item_code: raw("checklist_item_code"),
            found_at: raw("found_at"),
            deadline: raw("deadline"),
            deadline_working_days: raw("deadline_working_days"),
            fixed_on_spot: form.get("fixed_on_spot").is_some(),
            kept_photo_ids: raw("kept_photo_ids"),
            kept_after_ids: raw("kept_after_ids"),
        }
    }

    fn kept(ids: &str) -> Vec<i64> {
        ids.split(',').filter_map(|i| i.trim().parse().ok()).take(super::hazard_pages::MAX_PHOTOS).collect()
    }

    fn kept_photos(&self) -> Vec<i64> {
        Self::kept(&self.kept_photo_ids)
    }

    fn kept_after(&self) -> Vec<i64> {
        Self::kept(&self.kept_after_ids)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    enterprise_id: String,
}

/// The source preselected for this user.
fn default_source(user: &CurrentUser) -> &'static str {
    let allowed = crate::hazard::policy::sources(&user.roles, user.is_bureau_user());
    let preferred = if !user.is_bureau_user() {
        Source::SelfCheck
    } else if user.has(Role::Inspector) {
        Source::Inspection
    } else if user.has(Role::GridWorker) {
        Source::GridPatrol
    } else {
        allowed.first().copied().unwrap_or(Source::TipOff)
    };
    if allowed.contains(&preferred) { preferred.as_str() } else { allowed.first().map_or("", |s| s.as_str()) }
}

/// The shipped categories and the user's province's own (the dictionary).
async fn categories(state: &AppState, user: &CurrentUser) -> PageResult<Vec<(String, String)>> {
    let province = crate::category::province_of_user(state.db.conn(), user).await?;
    Ok(crate::category::offered(state.db.conn(), province.as_deref(), None)
        .await?
        .into_iter()
        .map(|c| (c.code, c.name))
        .collect())
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    mut typed: Typed,
    errors: FormErrors,
    candidates: Vec<EnterpriseHit>,
) -> PageResult<ReportPage> {
    if !user.is_bureau_user() {
        typed.enterprise_id = user.enterprise_ids.first().map(ToString::to_string).unwrap_or_default();
    }
    if typed.found_at.is_empty() {
        typed.found_at = super::page::beijing(state.clock.now());
    }
    if typed.source.is_empty() {
        default_source(user).clone_into(&mut typed.source);
    }
    let level = if typed.level.is_empty() { "general" } else { typed.level.as_str() };
    let regions = user
        .bureau
        .as_ref()
        .and_then(|b| crate::enterprise::domain::RegionCode::parse(b.code.get(..6).unwrap_or_default()).ok())
        .map(|r| crate::bureau::regions::within(&r))
        .unwrap_or_default();
    Ok(ReportPage {
        layout: Layout::new(state, user, "上报隐患", Section::Hazards).await?,
        errors,
        bureau_user: user.is_bureau_user(),
        sources: sources_for(user, &typed.source),
        levels: choices(Level::ALL, Level::as_str, Level::zh, level),
        categories: categories(state, user).await?,
        candidates,
        regions,
        max: (limits::NAME, limits::TEXT, limits::ADDRESS),
        short: limits::SHORT,
        typed,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<NewQuery>,
) -> PageResult {
    let mut typed = Typed { enterprise_id: q.enterprise_id, ..Typed::default() };
    if let Ok(id) = typed.enterprise_id.parse::<i64>()
        && let Ok(e) = crate::enterprise::service::get_scoped(state.db.conn(), &user.scope, id).await
    {
        typed.enterprise_q = e.name;
    }
    render(&page(&state, &user, typed, FormErrors::default(), Vec::new()).await?)
}

/// The enterprise the form names: the picked id, or the one match of the typed
/// name; several matches come back to choose from.
async fn enterprise_of(
    state: &AppState,
    user: &CurrentUser,
    form: &FormData,
) -> Result<Option<i64>, (AppError, Vec<EnterpriseHit>)> {
    if let Some(id) = form.get("enterprise_id").and_then(|e| e.parse::<i64>().ok()) {
        return Ok(Some(id));
    }
    let Some(text) = form.get("enterprise_q").filter(|_| user.is_bureau_user() && form.get("unregistered").is_none())
    else {
        return Ok(None);
    };
    let hits = crate::enterprise::search::search(state.db.conn(), user, &text).await.map_err(|e| (e, Vec::new()))?;
    match hits.as_slice() {
        [one] => Ok(Some(one.id)),
        [] => Err((AppError::validation("enterprise_id", "没有找到这家企业，请检查名称或信用代码"), Vec::new())),
        _ => Err((AppError::validation("enterprise_id", "找到多家企业，请从下面选择一家"), hits)),
    }
}

/// The API's body from the form.
fn body(
    state: &AppState,
    form: &FormData,
    enterprise: Option<i64>,
    before: &[i64],
    after: &[i64],
) -> serde_json::Value {
    let unregistered = form.get("unregistered").is_some() && enterprise.is_none();
    let subject = unregistered.then(|| {
        serde_json::json!({
            "name": form.get("subject_name").unwrap_or_default(),
            "address": form.get("subject_address"),
            "region_code": form.get("subject_region").unwrap_or_default(),
        })
    });
    let reporter = (form.get("reporter_name").is_some() || form.get("reporter_phone").is_some())
        .then(|| serde_json::json!({"name": form.get("reporter_name"), "phone": form.get("reporter_phone")}));
    let fixed = form.get("fixed_on_spot").is_some();
    serde_json::json!({
        "enterprise_id": if unregistered { None } else { enterprise },
        "subject": subject,
        "source": form.get("source").unwrap_or_default(),
        "source_ref": form.get("source_ref"),
        "reporter": reporter,
        "level": form.get("level").unwrap_or_default(),
        "category": form.get("category").unwrap_or_default(),
        "title": form.get("title").unwrap_or_default(),
        "description": form.get("description").unwrap_or_default(),
        "location": form.get("location"),
        "checklist_item_code": form.get("checklist_item_code"),
        "found_at": form.get("found_at").and_then(|t| parse_local(&t)).unwrap_or_else(|| state.clock.now()),
        "deadline": if fixed { None } else { form.date("deadline") },
        "deadline_working_days": if fixed { None } else { form.get("deadline_working_days").and_then(|d| d.parse::<u32>().ok()) },
        "attachment_ids": before,
        "fixed_on_spot": fixed,
        "after_attachment_ids": after,
    })
}

/// Problems the form can name before the service looks: dates that cannot be read.
fn typed_problems(form: &FormData) -> crate::error::FieldErrors {
    let mut fields = crate::error::FieldErrors::new();
    if form.get("deadline").is_some() && form.date("deadline").is_none() {
        fields.entry("deadline".to_owned()).or_default().push("请按 YYYY-MM-DD 填写日期".to_owned());
    }
    if form.get("found_at").is_some_and(|t| parse_local(&t).is_none()) {
        fields.entry("found_at".to_owned()).or_default().push("请按 YYYY-MM-DD HH:MM 填写".to_owned());
    }
    if form.get("deadline_working_days").is_some_and(|d| d.parse::<u32>().is_err()) {
        fields.entry("deadline_working_days".to_owned()).or_default().push("请填写天数（整数）".to_owned());
    }
    fields
}

pub async fn report(State(state): State<AppState>, PageUser(user): PageUser, form: Multipart) -> PageResult {
    let _turn = state.gates.photos.enter().await?;
    let form = read_form(form).await?;
    user.check_csrf(&form.get("csrf_token").unwrap_or_default())?;
    let mut typed = Typed::from_form(&form);
    let mut candidates = Vec::new();
    let outcome = async {
        let (mut before, mut after) = (typed.kept_photos(), typed.kept_after());
        let (after_files, before_files): (Vec<_>, Vec<_>) =
            form.files.iter().zip(&form.file_fields).partition(|(_, field)| field.as_str() == "after_photo");
        let before_files: Vec<_> = before_files.into_iter().map(|(f, _)| f.clone()).collect();
        let after_files: Vec<_> = after_files.into_iter().map(|(f, _)| f.clone()).collect();
        before.extend(save_photos(&state, &user, &before_files).await.map_err(|e| e.0)?);
        after.extend(save_photos(&state, &user, &after_files).await.map_err(|e| e.0)?);
        typed.kept_photo_ids = before.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
        typed.kept_after_ids = after.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
        let problems = typed_problems(&form);
        if !problems.is_empty() {
            return Err(AppError::Validation(problems));
        }
        let enterprise = enterprise_of(&state, &user, &form).await.map_err(|(e, hits)| {
            candidates = hits;
            e
        })?;
        let req: CreateHazardRequest = serde_json::from_value(body(&state, &form, enterprise, &before, &after))
            .map_err(|_| AppError::validation("source", "请选择来源和等级"))?;
        state.write(user.actor(), async |tx| crate::hazard::service::create(tx, &user, &req).await).await
    }
    .await;
    match outcome {
        Ok((row, _)) => Ok(see_other(&format!("/hazards/{}?done=report", row.id))),
        Err(e @ (AppError::Validation(_) | AppError::NotFound)) => {
            let e = if matches!(e, AppError::NotFound) {
                AppError::validation("enterprise_id", "所选企业不存在，或不在您的管辖范围内")
            } else {
                e
            };
            let errors = FormErrors::from_error(&e);
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page(&state, &user, typed, errors, candidates).await?)
        }
        Err(e) => Err(e.into()),
    }
}
