//! The forms of the 应急预案备案 pages: filing (or resubmitting) an enterprise's plans
//! with their files (multipart, one row per plan kind), accepting, returning with a
//! reason and recording a drill. The use cases are the API's
//! (`emergency_plan::service`, `emergency_plan::drills`); their problems come back
//! on the same page in Chinese with what was typed kept.
//!
//! Decision: on a resubmission, a row without a new file keeps the file filed for
//! that kind before; a row with neither a name nor a file is left out.

use super::case_new_form::Typed;
use super::emergency_plan_pages::{EnterpriseShown, detail_view, enterprise_view, returned_of};
use super::hazard_pages::{FormData, parse_date, read_form, save_photos};
use super::page::{FormErrors, PagePath, PageResult, PageUser, see_other};
use crate::emergency_plan::domain::{DrillForm, EvaluationForm, PlanKind};
use crate::emergency_plan::json::{FileEmergencyPlans, PlanDocumentBody, RecordDrill, ReturnEmergencyPlans};
use crate::emergency_plan::{drills, service};
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;
use axum::Form;
use axum::extract::{Multipart, State};

fn push(f: &mut FieldErrors, field: String, message: &str) {
    f.entry(field).or_default().push(message.to_owned());
}

/// The body from the form (files already stored), or every problem of the form at once.
fn body(
    form: &FormData,
    files: &[Option<i64>],
    kept: &[Option<i64>],
) -> Result<(FileEmergencyPlans, Vec<usize>), AppError> {
    let mut f = FieldErrors::new();
    let (mut documents, mut rows) = (Vec::new(), Vec::new());
    for (i, kind) in PlanKind::ALL.iter().enumerate() {
        let title = form.get(&format!("title_{i}")).unwrap_or_default();
        let file = files.get(i).copied().flatten().or_else(|| kept.get(i).copied().flatten());
        if title.is_empty() && files.get(i).copied().flatten().is_none() {
            continue;
        }
        let at = |name: &str| format!("documents[{i}].{name}");
        if file.is_none() {
            push(&mut f, at("attachment_id"), "请上传预案文件（PDF）");
        }
        let published = form.date(&format!("published_on_{i}"));
        let evaluated = form.date(&format!("evaluated_on_{i}"));
        if published.is_none() {
            push(&mut f, at("published_on"), "请填写发布日期（YYYY-MM-DD）");
        }
        if evaluated.is_none() {
            push(&mut f, at("evaluated_on"), "请填写评审/论证日期（YYYY-MM-DD）");
        }
        let form_kind = form.get(&format!("evaluation_form_{i}")).and_then(|v| v.parse::<EvaluationForm>().ok());
        if let (Some(file), Some(published_on), Some(evaluated_on)) = (file, published, evaluated) {
            rows.push(i);
            documents.push(PlanDocumentBody {
                kind: *kind,
                title,
                attachment_id: file,
                published_on,
                evaluated_on,
                evaluation_form: form_kind.unwrap_or(EvaluationForm::Review),
                evaluation_conclusion: form.get(&format!("conclusion_{i}")).unwrap_or_default(),
            });
        }
    }
    if f.is_empty() {
        Ok((FileEmergencyPlans { enterprise_id: None, documents }, rows))
    } else {
        Err(AppError::Validation(f))
    }
}

/// The service's `documents[j]` problems shown on the form's row `rows[j]`.
fn on_rows(e: AppError, rows: &[usize]) -> AppError {
    let AppError::Validation(fields) = e else { return e };
    let moved = fields
        .into_iter()
        .map(|(k, v)| {
            let row = k
                .strip_prefix("documents[")
                .and_then(|r| r.split_once(']'))
                .and_then(|(j, rest)| Some((rows.get(j.parse::<usize>().ok()?)?, rest)));
            match row {
                Some((i, rest)) => (format!("documents[{i}]{rest}"), v),
                None => (k, v),
            }
        })
        .collect();
    AppError::Validation(moved)
}

fn typed_of(form: &FormData) -> Typed {
    Typed(form.fields.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

/// Files the plans (or resubmits the returned filing) from the enterprise's page.
pub async fn file(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    form: Multipart,
) -> PageResult {
    let _turn = state.gates.photos.enter().await?;
    let form = read_form(form).await?;
    user.check_csrf(&form.get("csrf_token").unwrap_or_default())?;
    let returned = returned_of(&state, &user, id).await?;
    let outcome = async {
        let mut files = Vec::new();
        for i in 0..PlanKind::ALL.len() {
            let chosen: Vec<_> = form
                .files
                .iter()
                .zip(&form.file_fields)
                .filter(|(_, field)| **field == format!("file_{i}"))
                .map(|(f, _)| f.clone())
                .collect();
            files.push(save_photos(&state, &user, &chosen).await.map_err(|e| e.0)?.first().copied());
        }
        let kept: Vec<Option<i64>> = PlanKind::ALL
            .iter()
            .map(|k| returned.as_ref()?.documents.iter().find(|d| d.kind == *k).map(|d| d.attachment_id))
            .collect();
        let (mut b, rows) = body(&form, &files, &kept)?;
        b.enterprise_id = Some(id);
        let out = match &returned {
            Some(r) => state.write(user.actor(), async |tx| service::resubmit(tx, &user, r.summary.id, &b).await).await,
            None => state.write(user.actor(), async |tx| service::create(tx, &user, &b).await).await,
        };
        out.map_err(|e| on_rows(e, &rows))
    }
    .await;
    match outcome {
        Ok(m) => Ok(see_other(&format!("/emergency-plans/{}?done=filed", m.id))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            let shown = EnterpriseShown { typed: typed_of(&form), errors: FormErrors::from_error(&e) };
            enterprise_view(&state, &user, id, shown, e.status()).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn step_result(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: i64,
    typed: Typed,
    done: &str,
    result: Result<(), AppError>,
) -> PageResult {
    match result {
        Ok(()) => Ok(see_other(&format!("/emergency-plans/{id}?done={done}"))),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            detail_view(state, user, id, None, typed, FormErrors::from_error(&e), e.status()).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn accept(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let typed = Typed::from_pairs(pairs);
    user.check_csrf(typed.get("csrf_token"))?;
    let r = state.write(user.actor(), async |tx| service::accept(tx, &user, id).await).await.map(|_| ());
    step_result(&state, &user, id, typed, "accepted", r).await
}

pub async fn return_filing(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let typed = Typed::from_pairs(pairs);
    user.check_csrf(typed.get("csrf_token"))?;
    let b = ReturnEmergencyPlans { reason: typed.get("reason").to_owned() };
    let r = state.write(user.actor(), async |tx| service::return_filing(tx, &user, id, &b).await).await.map(|_| ());
    step_result(&state, &user, id, typed, "returned", r).await
}

fn drill_body(t: &Typed) -> Result<RecordDrill, AppError> {
    let mut f = FieldErrors::new();
    let document_id = t.get("document_id").trim().parse::<i64>().ok();
    if document_id.is_none() {
        push(&mut f, "document_id".to_owned(), "请选择演练的预案");
    }
    let drilled_on = parse_date(t.get("drilled_on"));
    if drilled_on.is_none() {
        push(&mut f, "drilled_on".to_owned(), "请填写演练日期（YYYY-MM-DD）");
    }
    let participants = t.get("participants").trim().parse::<i32>().ok();
    if participants.is_none() {
        push(&mut f, "participants".to_owned(), "参演人数须为整数");
    }
    let form = t.get("form").parse::<DrillForm>().ok();
    if form.is_none() {
        push(&mut f, "form".to_owned(), "请选择演练形式");
    }
    match (document_id, drilled_on, participants, form) {
        (Some(document_id), Some(drilled_on), Some(participants), Some(form)) if f.is_empty() => {
            Ok(RecordDrill { document_id, drilled_on, form, participants, summary: t.get("summary").to_owned() })
        }
        _ => Err(AppError::Validation(f)),
    }
}

pub async fn drill(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let typed = Typed::from_pairs(pairs);
    user.check_csrf(typed.get("csrf_token"))?;
    let r = match drill_body(&typed) {
        Ok(b) => state.write(user.actor(), async |tx| drills::record(tx, &user, id, &b).await).await.map(|_| ()),
        Err(e) => Err(e),
    };
    step_result(&state, &user, id, typed, "drill", r).await
}
