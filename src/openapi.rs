//! The OpenAPI document (`GET /api/openapi.json`), generated from the handler
//! annotations and the request and response types.

use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(title = "anjian 安监 API", description = "Work-safety compliance and inspection. Errors: {\"error\":{\"code\",\"message\",\"fields\"?,\"rows\"?}}."),
    paths(
        crate::auth::login, crate::auth::logout, crate::auth::me, crate::auth::change_password, crate::auth::activate,
        crate::bureau::list_bureaus, crate::bureau::create_park_bureau,
        crate::enterprise::create_enterprise, crate::enterprise::list_enterprises, crate::enterprise::get_enterprise,
        crate::enterprise::update_enterprise, crate::enterprise::add_licence, crate::enterprise::export_enterprises,
        crate::enterprise::import_enterprises, crate::enterprise::generate_accounts,
        crate::audit::handlers::verify_audit,
        crate::todo::list_todos, crate::todo::complete_todo,
        crate::attachment::upload_attachment, crate::attachment::download_attachment,
        crate::hazard::create_hazard, crate::hazard::list_hazards, crate::hazard::hazard_counts, crate::hazard::get_hazard,
        crate::hazard::hazard_action, crate::hazard::list_major_hazards, crate::hazard::list_categories,
        crate::hazard::file_major_report, crate::hazard::export_major_hazards, crate::hazard::import::import_hazards,
        crate::bulletin::list_bulletins, crate::bulletin::get_bulletin, crate::bulletin::publish_bulletin,
        crate::calendar::handlers::get_calendar, crate::calendar::handlers::get_working_days,
        crate::calendar::handlers::import_holidays,
        crate::statistics::generate_report, crate::statistics::overview, crate::statistics::get_report,
        crate::statistics::report_action, crate::statistics::export_reports,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::RowError)),
    modifiers(&Security),
    security(("bearer" = []), ("cookie" = [])),
)]
struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::auth::SESSION_COOKIE))),
        );
    }
}

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
