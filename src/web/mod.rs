//! Server-rendered pages (zh-CN) for regulators and enterprises: sign-in and
//! activation, the to-do list, the enterprise register, roster import and
//! account onboarding. Handlers call the same services as the API; pages are
//! askama templates under `templates/`, styled by the one embedded stylesheet.
//!
//! Pages authenticate with the session cookie; every POST form carries the
//! session's CSRF token in a hidden `csrf_token` field, checked before anything
//! else happens. Page responses are not cached (`Cache-Control: no-store`) and
//! may not be framed.

mod accident_detail_pages;
mod accident_forms;
mod accident_pages;
mod account_pages;
pub mod annual_plan_form;
pub mod annual_plan_pages;
pub mod assets;
mod auth_pages;
mod bulletin_pages;
mod case_detail;
mod case_forms;
mod case_new;
mod case_new_form;
mod case_pages;
mod case_print;
mod case_statistics;
mod case_timeline;
mod catalogue_pages;
mod category_pages;
mod checklist_edit;
mod checklist_pages;
mod credit_pages;
mod dishonesty_choices;
mod dishonesty_detail;
mod dishonesty_forms;
mod dishonesty_pages;
mod dishonesty_print;
mod document_pages;
mod draw_form;
mod draw_new;
mod draw_pages;
mod draw_results;
mod draw_view;
mod enterprise_inspections;
mod enterprise_pages;
mod grading_pages;
mod hazard_detail;
mod hazard_import_pages;
mod hazard_ledger;
mod hazard_notice;
mod hazard_pages;
mod hazard_record_pages;
mod hazard_report;
mod hazard_sections;
mod hazard_step_form;
mod import_pages;
mod indicator_pages;
mod indicator_svg;
mod inspection_new;
mod inspection_pages;
pub mod inspection_print;
mod inspection_record_pages;
mod inspector_detail;
mod inspector_pages;
mod insurance_cancel;
mod insurance_coverage;
mod insurance_form;
mod insurance_import_pages;
mod insurance_pages;
mod insurance_service_form;
mod insurance_services;
mod labels;
mod layout;
mod major_pages;
mod major_report_pages;
pub mod page;
mod public_dishonesty;
mod public_draw_detail;
mod public_draws;
mod public_pages;
mod public_penalties;
mod public_results;
mod risk_import_pages;
mod risk_map_pages;
mod risk_overview;
mod risk_pages;
mod self_inspection_pages;
mod self_inspection_task_page;
mod session_pages;
mod statistics_pages;
mod store;
pub mod tablet;
mod todo_pages;

use crate::enterprise::onboarding::IssuedAccount;
use crate::state::AppState;
use crate::upload;
use axum::http::{HeaderValue, header};
use axum::response::{Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router, middleware};
use chrono::{DateTime, Utc};
use std::sync::Arc;
use store::Shelf;

/// An uploaded roster waiting for confirmation.
pub struct Upload {
    pub filename: String,
    /// Shared with the import that reads it, never copied.
    pub bytes: axum::body::Bytes,
}

/// An onboarding batch with its activation codes (which exist nowhere else).
pub struct Batch {
    pub issued: Vec<IssuedAccount>,
    pub skipped: usize,
    /// Name of the issuing bureau, for the letters.
    pub bureau: String,
    pub at: DateTime<Utc>,
}

/// The process-local stores of the pages (see [`store`]). Uploads may be up to
/// 64 MiB each, so few are kept: two per user, 16 and 128 MiB in all (the
/// oldest go first; their users are asked to upload again).
pub struct Stores {
    pub uploads: Shelf<Upload>,
    pub batches: Shelf<Batch>,
}

impl Default for Stores {
    fn default() -> Self {
        Self { uploads: Shelf::weighed(2, 16, 128 << 20, |u| u.bytes.len()), batches: Shelf::new(5, 200) }
    }
}

/// The pages of the modules that keep their routes beside their handlers.
fn module_pages() -> Router<AppState> {
    Router::new()
        .merge(self_inspection_pages::routes())
        .merge(public_pages::routes())
        .merge(public_draws::routes())
        .merge(public_results::routes())
        .merge(public_penalties::routes())
        .merge(public_dishonesty::routes())
        .merge(draw_results::routes())
        .merge(inspection_pages::routes())
        .merge(annual_plan_pages::routes())
        .merge(inspector_pages::routes())
        .merge(inspection_record_pages::routes())
        .merge(draw_pages::routes())
        .merge(session_pages::routes())
        .merge(risk_pages::routes())
        .merge(risk_map_pages::routes())
        .merge(risk_import_pages::routes())
        .merge(accident_pages::routes())
        .merge(grading_pages::routes())
        .merge(risk_overview::routes())
        .merge(accident_forms::routes())
        .merge(case_pages::routes())
        .merge(credit_pages::routes())
        .merge(dishonesty_pages::routes())
        .merge(insurance_pages::routes())
        .merge(insurance_import_pages::routes())
        .merge(insurance_services::routes())
        .merge(indicator_pages::routes())
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/todos") }))
        .route("/login", get(auth_pages::login_form).post(auth_pages::login))
        .route("/logout", post(auth_pages::logout))
        .route("/password", get(auth_pages::password_form).post(auth_pages::change_password))
        .route("/activate", get(auth_pages::activate_form).post(auth_pages::activate))
        .route("/todos", get(todo_pages::list_todos))
        .route("/todos/{id}/done", post(todo_pages::complete_todo))
        .route("/hazards", get(hazard_pages::ledger))
        .route(
            "/hazards/new",
            get(hazard_pages::new_form).post(hazard_pages::report).layer(upload::limit(upload::PHOTO_FORM)),
        )
        .route(
            "/hazards/import",
            get(hazard_import_pages::import_form)
                .post(hazard_import_pages::preview)
                .layer(upload::limit(upload::LEDGER)),
        )
        .route("/hazards/import/confirm", post(hazard_import_pages::confirm))
        .route("/hazards/import/template.xlsx", get(hazard_import_pages::template))
        .route("/hazards/{id}", get(hazard_pages::show))
        .route("/hazards/{id}/notice", get(hazard_notice::notice_sheet))
        .route("/hazards/{id}/documents/{kind}", get(document_pages::show))
        .route("/hazards/{id}/report", get(major_report_pages::show).post(major_report_pages::submit))
        .route("/hazards/{id}/act/{action}", post(hazard_pages::act).layer(upload::limit(upload::PHOTO_FORM)))
        .route("/major-hazards", get(major_pages::list))
        .route("/hazards/{id}/correct", post(hazard_record_pages::correct_form))
        .route("/hazards/{id}/merge", post(hazard_record_pages::merge_form))
        .route("/hazard-categories", get(category_pages::list).post(category_pages::create_form))
        .route("/hazard-categories/{id}", post(category_pages::update_form))
        .route("/bulletins", get(bulletin_pages::list))
        .route("/bulletins/{id}", get(bulletin_pages::show))
        .route("/bulletins/{id}/propose", post(bulletin_pages::propose_form))
        .route("/bulletins/{id}/approve", post(bulletin_pages::approve_form))
        .route("/public/bulletins", get(bulletin_pages::public))
        .merge(statistics_routes())
        .route("/enterprises", get(enterprise_pages::list_enterprises))
        .route("/enterprises/{id}", get(enterprise_pages::show_enterprise))
        .route(
            "/enterprises/import",
            get(import_pages::import_form).post(import_pages::preview_import).layer(upload::limit(upload::SPREADSHEET)),
        )
        .route("/enterprises/import/confirm", post(import_pages::confirm_import))
        .route("/enterprises/import/template.xlsx", get(import_pages::template))
        .route("/enterprises/accounts", get(account_pages::accounts_form).post(account_pages::issue_accounts))
        .route("/enterprises/accounts/batches/{id}", get(account_pages::show_batch))
        .route("/enterprises/accounts/batches/{id}/letters", get(account_pages::letters))
        .route("/enterprises/accounts/batches/{id}/xlsx", get(account_pages::batch_xlsx))
        .merge(module_pages())
        .layer(middleware::map_response(page_headers))
        .layer(Extension(Arc::new(Stores::default())))
        .route("/assets/app.css", get(assets::app_css))
        .route("/assets/picker.js", get(assets::picker_js))
        .merge(checklist_pages::routes())
        .merge(tablet::routes())
}

/// The quarterly statistics' pages.
fn statistics_routes() -> Router<AppState> {
    Router::new()
        .route("/hazard-statistics", get(statistics_pages::overview))
        .route("/hazard-statistics/generate", post(statistics_pages::generate))
        .route("/hazard-statistics/{id}", get(statistics_pages::show))
        .route("/hazard-statistics/{id}/print", get(statistics_pages::print))
        .route("/hazard-statistics/{id}/act/{action}", post(statistics_pages::act))
}

/// Pages load nothing from elsewhere; the scripts are the enterprise picker
/// (`/assets/picker.js`), the letters' print button and the confirmations
/// before 作废 and 不予认定.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self' 'unsafe-inline'; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Pages hold personal data: not cached, not framed, no referrer to other sites.
async fn page_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    res
}
