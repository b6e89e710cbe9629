//! anjian (安监): work-safety compliance and inspection for emergency-management
//! bureaus. This crate builds the HTTP router, the services behind it and the CLI.

pub mod accident;
pub mod annual_plan;
pub mod attachment;
pub mod audit;
pub mod auth;
pub mod bulletin;
pub mod bureau;
pub mod cache;
pub mod calendar;
pub mod case;
pub mod category;
pub mod checklist;
pub mod cli;
pub mod clock;
pub mod coded;
pub mod commands;
pub mod credit;
pub mod db;
pub mod demo;
pub mod demo_cases;
pub mod demo_emergency_plans;
pub mod demo_hazards;
pub mod demo_inspections;
pub mod demo_risk;
pub mod demo_special_operations;
pub mod dishonesty;
pub mod document;
pub mod draw;
pub mod emergency_plan;
pub mod enterprise;
pub mod entities;
pub mod error;
pub mod events;
pub mod grading;
pub mod hazard;
pub mod idempotency;
pub mod import;
pub mod indicator;
pub mod inspection;
pub mod inspector;
pub mod insurance;
pub mod jobs;
pub mod json;
pub mod like;
pub mod limits;
pub mod mail;
pub mod notice;
pub mod openapi;
pub mod percent;
pub mod risk;
pub mod routes;
pub mod row_errors;
pub mod rules_data;
pub mod scope;
pub mod self_inspection;
pub mod special_operation;
pub mod state;
pub mod statistics;
pub mod todo;
pub mod upload;
pub mod web;
pub mod write;
pub mod xlsx;

use axum::extract::DefaultBodyLimit;
use axum::{Json, Router, routing::get};
use state::AppState;
use tower_http::trace::TraceLayer;

/// Unknown paths: the JSON error for API clients, the HTML page for browsers.
async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") {
        error::AppError::NotFound.into_response()
    } else {
        web::page::PageError(error::AppError::NotFound).into_response()
    }
}

/// Every JSON API route with its documentation: the one list the router, the
/// OpenAPI document and the generated tests (role matrix, coverage, bad
/// parameters) are built from. A new module adds its `routes()` here.
pub fn api() -> routes::ApiRoutes {
    routes::ApiRoutes::with_document(openapi::base())
        .merge(auth::routes())
        .merge(bureau::routes())
        .merge(enterprise::routes())
        .merge(audit::routes())
        .merge(todo::routes())
        .merge(attachment::routes())
        .merge(hazard::routes())
        .merge(category::routes())
        .merge(bulletin::routes())
        .merge(document::routes())
        .merge(calendar::routes())
        .merge(statistics::routes())
        .merge(checklist::routes())
        .merge(inspector::routes())
        .merge(inspection::routes())
        .merge(self_inspection::routes())
        .merge(draw::routes())
        .merge(annual_plan::routes())
        .merge(risk::routes())
        .merge(accident::routes())
        .merge(case::routes())
        .merge(credit::routes())
        .merge(grading::routes())
        .merge(dishonesty::routes())
        .merge(insurance::routes())
        .merge(indicator::routes())
        .merge(emergency_plan::routes())
        .merge(insurance::prevention::routes())
        .merge(special_operation::routes())
        .merge(indicator::inputs::routes())
}

/// The whole service: API, pages, OpenAPI document and health check.
pub fn router(state: AppState) -> Router {
    let (api, doc) = api().split();
    let doc = std::sync::Arc::new(openapi::finish(doc));
    Router::new()
        .merge(api)
        .merge(web::routes())
        .route("/api/openapi.json", get(move || async move { Json(doc.as_ref().clone()) }))
        .route("/healthz", get(|| async { "ok" }))
        // After every route: the keyed writes (idempotency::KEYED) take an Idempotency-Key.
        .layer(axum::middleware::from_fn_with_state(state.clone(), idempotency::guard))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(upload::SMALL_BODY))
        // Spans carry the method and path only: query strings may hold names or phone numbers.
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(),
                user.id = tracing::field::Empty, record.id = tracing::field::Empty, action = tracing::field::Empty)
        }))
        .with_state(state)
}
