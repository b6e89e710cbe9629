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
        crate::hazard::steps::confirm_hazard, crate::hazard::steps::dismiss_hazard, crate::hazard::steps::assign_hazard,
        crate::hazard::steps::plan_hazard, crate::hazard::steps::report_progress, crate::hazard::steps::suspend_hazard,
        crate::hazard::steps::submit_hazard, crate::hazard::steps::verify_hazard, crate::hazard::steps::request_extension,
        crate::hazard::steps::decide_extension, crate::hazard::steps::reopen_hazard, crate::hazard::steps::void_hazard,
        crate::hazard::list_major_hazards, crate::hazard::list_categories,
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    //! The limits documented on the request types (`maxLength`, `maxItems`, which
    //! utoipa takes only as literals) must equal the constants the services check.
    use crate::limits::{
        ADDRESS, CREDIT_CODE, EMAIL, IDS, LIST, NAME, PARK_CODE, PASSWORD, PERIOD, REGION_CODE, SHORT, TEXT, USERNAME,
    };
    use serde_json::Value;
    use std::collections::{BTreeMap, BTreeSet};

    /// Every free-text and list field of every request body, and its limit.
    const EXPECTED: &[(&str, &str, usize)] = &[
        ("ActionBody", "reason", TEXT),
        ("AssignRequest", "attachment_ids", LIST),
        ("AssignRequest", "note", TEXT),
        ("ConfirmRequest", "attachment_ids", LIST),
        ("ConfirmRequest", "note", TEXT),
        ("ConfirmRequest", "reward", SHORT),
        ("DecideExtensionRequest", "attachment_ids", LIST),
        ("DecideExtensionRequest", "note", TEXT),
        ("DismissRequest", "attachment_ids", LIST),
        ("DismissRequest", "note", TEXT),
        ("PlanRequest", "attachment_ids", LIST),
        ("PlanRequest", "note", TEXT),
        ("ProgressRequest", "attachment_ids", LIST),
        ("ProgressRequest", "note", TEXT),
        ("ReopenRequest", "attachment_ids", LIST),
        ("ReopenRequest", "note", TEXT),
        ("RequestExtensionRequest", "attachment_ids", LIST),
        ("RequestExtensionRequest", "note", TEXT),
        ("SubmitRequest", "attachment_ids", LIST),
        ("SubmitRequest", "note", TEXT),
        ("SuspendRequest", "attachment_ids", LIST),
        ("SuspendRequest", "note", TEXT),
        ("VerifyRequest", "attachment_ids", LIST),
        ("VerifyRequest", "note", TEXT),
        ("VoidRequest", "attachment_ids", LIST),
        ("VoidRequest", "note", TEXT),
        ("ActivateRequest", "code", SHORT),
        ("ActivateRequest", "new_password", PASSWORD),
        ("Assignment", "assigning_body", NAME),
        ("Assignment", "notice_no", SHORT),
        ("Assignment", "responsible_person", SHORT),
        ("Assignment", "responsible_unit", NAME),
        ("Assignment", "supervision_level", SHORT),
        ("ChangePasswordRequest", "current_password", PASSWORD),
        ("ChangePasswordRequest", "new_password", PASSWORD),
        ("CreateEnterpriseRequest", "address", ADDRESS),
        ("CreateEnterpriseRequest", "credit_code", CREDIT_CODE),
        ("CreateEnterpriseRequest", "email", EMAIL),
        ("CreateEnterpriseRequest", "legal_representative", SHORT),
        ("CreateEnterpriseRequest", "name", NAME),
        ("CreateEnterpriseRequest", "phone", SHORT),
        ("CreateEnterpriseRequest", "principal", SHORT),
        ("CreateEnterpriseRequest", "region_code", REGION_CODE),
        ("CreateEnterpriseRequest", "special_topics", LIST),
        ("CreateEnterpriseRequest", "sub_types", LIST),
        ("CreateHazardRequest", "after_attachment_ids", LIST),
        ("CreateHazardRequest", "attachment_ids", LIST),
        ("CreateHazardRequest", "category", SHORT),
        ("CreateHazardRequest", "checklist_item_code", SHORT),
        ("CreateHazardRequest", "description", TEXT),
        ("CreateHazardRequest", "location", ADDRESS),
        ("CreateHazardRequest", "source_ref", SHORT),
        ("CreateHazardRequest", "title", NAME),
        ("CreateLicenceRequest", "issuer", NAME),
        ("CreateLicenceRequest", "licence_type", SHORT),
        ("CreateLicenceRequest", "number", SHORT),
        ("CreateParkRequest", "code", PARK_CODE),
        ("CreateParkRequest", "name", NAME),
        ("CreateParkRequest", "region_code", REGION_CODE),
        ("GenerateAccountsRequest", "enterprise_ids", IDS),
        ("GenerateAccountsRequest", "region", REGION_CODE),
        ("GenerateAccountsRequest", "roles", LIST),
        ("GenerateRequest", "analysis", TEXT),
        ("GenerateRequest", "period", PERIOD),
        ("LoginRequest", "password", PASSWORD),
        ("LoginRequest", "username", USERNAME),
        ("MajorReport", "current_state_and_causes", TEXT),
        ("MajorReport", "harm_and_difficulty", TEXT),
        ("MajorReport", "remediation_plan", TEXT),
        ("NewSubject", "address", ADDRESS),
        ("NewSubject", "description", TEXT),
        ("NewSubject", "name", NAME),
        ("NewSubject", "region_code", REGION_CODE),
        ("Plan", "emergency_plan", TEXT),
        ("Plan", "measures", TEXT),
        ("Plan", "responsible_person", SHORT),
        ("PublishRequest", "hazard_ids", IDS),
        ("Reporter", "name", SHORT),
        ("Reporter", "phone", SHORT),
        ("UpdateEnterpriseRequest", "address", ADDRESS),
        ("UpdateEnterpriseRequest", "email", EMAIL),
        ("UpdateEnterpriseRequest", "legal_representative", SHORT),
        ("UpdateEnterpriseRequest", "name", NAME),
        ("UpdateEnterpriseRequest", "phone", SHORT),
        ("UpdateEnterpriseRequest", "principal", SHORT),
        ("UpdateEnterpriseRequest", "region_code", REGION_CODE),
        ("UpdateEnterpriseRequest", "special_topics", LIST),
        ("UpdateEnterpriseRequest", "status_reason", TEXT),
        ("UpdateEnterpriseRequest", "sub_types", LIST),
    ];

    fn schema_name(reference: &Value) -> Option<String> {
        reference.as_str()?.strip_prefix("#/components/schemas/").map(str::to_owned)
    }

    /// The component a property refers to, directly or as `null` or it.
    fn referred(prop: &Value) -> Option<String> {
        schema_name(&prop["$ref"]).or_else(|| prop["oneOf"].as_array()?.iter().find_map(|v| schema_name(&v["$ref"])))
    }

    fn has_type(prop: &Value, t: &str) -> bool {
        prop["type"] == t || prop["type"].as_array().is_some_and(|ts| ts.iter().any(|x| x == t))
    }

    /// The request body types named by the paths.
    fn request_bodies(doc: &Value) -> BTreeSet<String> {
        let paths = doc["paths"].as_object().unwrap();
        let ops = paths.values().filter_map(Value::as_object).flat_map(|m| m.values());
        ops.filter_map(|op| referred(&op["requestBody"]["content"]["application/json"]["schema"])).collect()
    }

    /// Each string (not a date or an enum) and array property of the request
    /// bodies and the types they contain: its documented `maxLength` / `maxItems`.
    fn documented(doc: &Value) -> BTreeMap<(String, String), Option<u64>> {
        let schemas = &doc["components"]["schemas"];
        let mut todo: Vec<String> = request_bodies(doc).into_iter().collect();
        let (mut seen, mut out) = (BTreeSet::new(), BTreeMap::new());
        while let Some(name) = todo.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            for (field, prop) in schemas[&name]["properties"].as_object().into_iter().flatten() {
                let key = (name.clone(), field.clone());
                if let Some(inner) = referred(prop).filter(|r| schemas[r]["properties"].is_object()) {
                    todo.push(inner);
                } else if has_type(prop, "array") {
                    out.insert(key, prop["maxItems"].as_u64());
                } else if has_type(prop, "string") && prop["format"].is_null() && prop["enum"].is_null() {
                    out.insert(key, prop["maxLength"].as_u64());
                }
            }
        }
        out
    }

    #[test]
    fn every_free_text_and_list_of_a_request_documents_the_limit_the_services_check() {
        let doc = serde_json::to_value(super::document()).unwrap();
        let want: BTreeMap<(String, String), Option<u64>> = EXPECTED
            .iter()
            .map(|(s, f, n)| (((*s).to_owned(), (*f).to_owned()), Some(u64::try_from(*n).unwrap())))
            .collect();
        assert_eq!(documented(&doc), want);
    }

    #[test]
    fn the_enterprise_address_shows_its_max_length() {
        let doc = serde_json::to_value(super::document()).unwrap();
        let address = &doc["components"]["schemas"]["UpdateEnterpriseRequest"]["properties"]["address"];
        assert_eq!(address["maxLength"], 500, "{address}");
    }
}
