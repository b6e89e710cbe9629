//! The OpenAPI document (`GET /api/openapi.json`).
//!
//! Design: the paths come from the router (`crate::api`, built with
//! [`crate::routes::ApiRoutes`] from each handler's `#[utoipa::path]`), so
//! there is no hand-kept list of paths here. This file keeps what is not a
//! route: the info, the security schemes, shared components, and [`finish`],
//! which documents the answers every operation shares by rule rather than by
//! annotation (see [`responses`]).

mod responses;

use crate::idempotency::KeyHeader;
use serde_json::Value;
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(title = "anjian 安监 API", description = "Work-safety compliance and inspection. Errors: {\"error\":{\"code\",\"message\",\"fields\"?,\"rows\"?}}."),
    components(schemas(
        crate::error::ErrorBody, crate::error::RowError,
        crate::hazard::domain::Action, crate::hazard::domain::SupervisionLevel, crate::statistics::json::ReportAction,
    )),
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

/// The document before any route is added: info, security, shared schemas.
pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The served document: the routes' document with the shared answers added.
pub fn finish(mut doc: utoipa::openapi::OpenApi) -> Value {
    utoipa::Modify::modify(&KeyHeader, &mut doc);
    let mut doc = serde_json::to_value(doc).unwrap_or_default();
    responses::complete(&mut doc);
    doc
}

/// The whole document, as `GET /api/openapi.json` serves it.
pub fn document() -> Value {
    finish(crate::api().into_openapi())
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

    /// The credit module's free texts (a reason, a note).
    const CREDIT_TEXT: usize = 1000;

    /// Every free-text and list field of every request body, and its limit.
    const EXPECTED: &[(&str, &str, usize)] = &[
        ("ActionBody", "reason", TEXT),
        ("SetResult", "note", TEXT),
        ("NewSpotCheckItem", "subject", NAME),
        ("NewSpotCheckItem", "object", ADDRESS),
        ("NewSpotCheckItem", "matter", NAME),
        ("NewSpotCheckItem", "basis", TEXT),
        ("NewSpotCheckItem", "content", TEXT),
        ("NewSpotCheckItem", "method", SHORT),
        ("NewSpotCheckItem", "frequency", NAME),
        ("SpotCheckItemWithdrawal", "reason", TEXT),
        ("AnnualPlanBody", "key_enterprise_ids", IDS),
        ("AnnualPlanBody", "monthly", 12),
        ("AnnualPlanBody", "notes", TEXT),
        ("AnnualPlanBody", "random_targets", 100),
        ("AnnualPlanBody", "reason", TEXT),
        ("AnnualPlanReasonBody", "reason", TEXT),
        ("AnnualPlanRecordBody", "government_document", NAME),
        ("CommitDraw", "redraw_reason", TEXT),
        ("CommitDraw", "secret", NAME),
        ("CommitDraw", "title", NAME),
        ("DrawFilter", "region", crate::limits::REGION_CODE),
        ("DrawFilter", "sectors", crate::enterprise::domain::Sector::ALL.len()),
        ("DrawFilter", "special_topics", 50),
        ("DrawFilter", "sub_types", 50),
        ("ExecuteDraw", "public_entropy", NAME),
        ("ExecuteDraw", "secret", NAME),
        ("Strata", "by", 2),
        ("ApproveVoidRequest", "attachment_ids", LIST),
        ("ApproveVoidRequest", "note", TEXT),
        ("RegradeRequest", "attachment_ids", LIST),
        ("RegradeRequest", "reason", TEXT),
        ("SubmitRequest", "rectifier_name", SHORT),
        ("VerifyRequest", "acceptor_name", SHORT),
        ("AssignRequest", "attachment_ids", LIST),
        ("AssignRequest", "note", TEXT),
        ("ConfirmRequest", "attachment_ids", LIST),
        ("ConfirmRequest", "note", TEXT),
        ("ConfirmRequest", "reward", SHORT),
        ("CorrectRequest", "category", SHORT),
        ("CorrectRequest", "description", TEXT),
        ("CorrectRequest", "location", ADDRESS),
        ("CorrectRequest", "reason", TEXT),
        ("CorrectRequest", "title", NAME),
        ("CreateCategoryRequest", "name", SHORT),
        ("MergeRequest", "reason", TEXT),
        ("UpdateCategoryRequest", "name", SHORT),
        ("UpdateCategoryRequest", "sector", SHORT),
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
        ("ApplyResumptionRequest", "assessment_report_ids", LIST),
        ("ApplyResumptionRequest", "attachment_ids", LIST),
        ("ApplyResumptionRequest", "note", TEXT),
        ("ApplyResumptionRequest", "resumption_application_ids", LIST),
        ("LiftSuspensionRequest", "attachment_ids", LIST),
        ("LiftSuspensionRequest", "note", TEXT),
        ("SubmitRequest", "assessment_report_ids", LIST),
        ("SubmitRequest", "resumption_application_ids", LIST),
        ("SuspendRequest", "basis", NAME),
        ("SuspendRequest", "scope_text", NAME),
        ("VerifyRequest", "opinion", TEXT),
        ("VerifyRequest", "reviewers", LIST),
        ("Assignment", "cooperating_units", LIST),
        ("Assignment", "supervising_bureau_name", NAME),
        ("Plan", "goals", TEXT),
        ("Plan", "materials", TEXT),
        ("Plan", "requirements", TEXT),
        ("Plan", "responsible_org", NAME),
        ("Plan", "safety_measures", TEXT),
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
        ("Capture", "device", crate::attachment::meta::DEVICE),
        ("Capture", "sha256", crate::attachment::meta::SHA256_HEX),
        ("Capture", "original_sha256", crate::attachment::meta::SHA256_HEX),
        ("CreateUploadRequest", "file_name", NAME),
        ("CreateParkRequest", "name", NAME),
        ("CreateParkRequest", "region_code", REGION_CODE),
        ("GenerateAccountsRequest", "enterprise_ids", IDS),
        ("GenerateAccountsRequest", "region", REGION_CODE),
        ("GenerateAccountsRequest", "roles", LIST),
        ("GenerateRequest", "analysis", TEXT),
        ("GenerateRequest", "period", PERIOD),
        ("LoginRequest", "device", crate::limits::SHORT),
        ("CreateCase", "parties", LIST),
        ("CreateCase", "facts", TEXT),
        ("CreateCase", "hazard_ids", 50),
        ("CreateCase", "violations", 50),
        ("StepBody", "note", TEXT),
        ("StepBody", "attachment_ids", LIST),
        ("StepBody", "fines", 50),
        ("StepBody", "measures", 10),
        ("StepBody", "no_penalty_ground", SHORT),
        ("ContestBody", "reason", CREDIT_TEXT),
        ("ResolveBody", "note", CREDIT_TEXT),
        ("AdoptBody", "note", CREDIT_TEXT),
        ("StepBody", "opinion", SHORT),
        ("StepBody", "participants", 30),
        ("StepBody", "method", 50),
        ("StepBody", "to", SHORT),
        ("CreateAccident", "operator_name", NAME),
        ("CreateAccident", "place", ADDRESS),
        ("CreateAccident", "summary", TEXT),
        ("CreateAccident", "operator_credit_code", CREDIT_CODE),
        ("UpdateFigures", "reason", TEXT),
        ("RecordReport", "content", TEXT),
        ("FlagRequest", "reason", TEXT),
        ("PutInvestigation", "organised_by", NAME),
        ("PutInvestigation", "leader", SHORT),
        ("PutInvestigation", "members", crate::accident::investigation::MAX_MEMBERS),
        ("PutInvestigation", "extension_reason", TEXT),
        ("PutInvestigation", "report_summary", TEXT),
        ("ResponsibilityRequest", "party", NAME),
        ("ResponsibilityRequest", "suggestion", TEXT),
        ("CreateAccidentMeasure", "description", TEXT),
        ("CreateAccidentMeasure", "responsible_unit", NAME),
        ("CompleteAccidentMeasure", "evidence", TEXT),
        ("CompleteAccidentMeasure", "verifier", SHORT),
        ("RiskPointBody", "name", NAME),
        ("RiskPointBody", "location", ADDRESS),
        ("RiskPointBody", "hazard_factors", TEXT),
        ("RiskPointBody", "control_measures", TEXT),
        ("RiskPointBody", "emergency_measures", TEXT),
        ("RiskPointBody", "responsible_person", SHORT),
        ("RiskPointBody", "checklist_items", crate::risk::links::MAX_ITEMS),
        ("ReviewBody", "note", TEXT),
        ("OverrideBody", "supervision_class", 40),
        ("OverrideBody", "reason", TEXT),
        ("ReleaseBody", "reason", TEXT),
        ("AssessmentBody", "deductions", 100),
        ("AssessmentBody", "direct_red", LIST),
        ("AssessmentBody", "assessor", NAME),
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
        ("Checklist", "document_number", SHORT),
        ("Checklist", "id", SHORT),
        ("Checklist", "issuer", NAME),
        ("Checklist", "sections", crate::checklist::model::MAX_SECTIONS),
        ("Checklist", "title", NAME),
        ("Checklist", "version", SHORT),
        ("CreateInspection", "checklist_hashes", LIST),
        ("CreateInspection", "expert_ids", LIST),
        ("CreateInspection", "inspector_ids", LIST),
        ("CreateInspection", "plan_text", TEXT),
        ("CreatePlanRequest", "item_codes", IDS),
        ("CreatePlanRequest", "title", NAME),
        ("CreateTaskRequest", "item_codes", IDS),
        ("CreateTaskRequest", "title", NAME),
        ("FindingRequest", "basis", TEXT),
        ("FindingRequest", "category", SHORT),
        ("FindingRequest", "description", TEXT),
        ("FindingRequest", "evidence_attachment_ids", LIST),
        ("FindingRequest", "item_code", SHORT),
        ("FindingRequest", "location", ADDRESS),
        ("FindingRequest", "text", NAME),
        ("MeasureRequest", "basis", TEXT),
        ("MeasureRequest", "scope_text", TEXT),
        ("MediaRequest", "attachment_ids", LIST),
        ("NewAbsence", "note", TEXT),
        ("NewConflict", "reason", TEXT),
        ("ReasonBody", "reason", TEXT),
        ("ServeBody", "method", 40),
        ("ServeBody", "served_to", NAME),
        ("SignatureRequest", "name", SHORT),
        ("SignatureRequest", "reason", TEXT),
        ("SignatureRequest", "witness", SHORT),
        ("StartRequest", "people_present", TEXT),
        ("StartRequest", "position_note", SHORT),
        ("UpdateInspector", "certificate_no", SHORT),
        ("UpdateInspector", "specialties", crate::enterprise::domain::Sector::ALL.len()),
        ("UpdatePlanRequest", "item_codes", IDS),
        ("UpdatePlanRequest", "title", NAME),
        ("VerdictsRequest", "verdicts", IDS),
        ("DishonestyProposalBody", "situation", 20),
        ("DishonestyProposalBody", "subject_name", NAME),
        ("DishonestyProposalBody", "id_number", 40),
        ("DishonestyProposalBody", "credit_code", CREDIT_CODE),
        ("DishonestyProposalBody", "reason", 2000),
        ("DishonestyStepBody", "note", TEXT),
        ("DishonestyStepBody", "commitment", TEXT),
        ("CreateInsurancePolicy", "insurer", NAME),
        ("CreateInsurancePolicy", "policy_no", SHORT),
        ("CancelInsurancePolicy", "cancel_reason", TEXT),
        ("CreateInsuranceService", "provider", NAME),
        ("CreateInsuranceService", "experts", NAME),
        ("CreateInsuranceService", "summary", TEXT),
        ("CreateInsuranceService", "findings", crate::insurance::prevention::service::MAX_FINDINGS),
        ("WorkerFields", "name", SHORT),
        ("WorkerFields", "id_number", 18),
        ("WorkerFields", "category", 40),
        ("WorkerFields", "certificate_no", SHORT),
        ("WorkerFields", "issued_by", NAME),
        ("EndSpecialOperationWorker", "reason", TEXT),
        ("FileEmergencyPlans", "documents", crate::emergency_plan::checks::MAX_DOCUMENTS),
        ("ReturnEmergencyPlans", "reason", crate::emergency_plan::checks::LONG_TEXT),
        ("RecordDrill", "summary", crate::emergency_plan::checks::LONG_TEXT),
        ("DenominatorInput", "region_code", REGION_CODE),
        ("DenominatorInput", "source", crate::indicator::inputs::checks::TEXT),
        ("BaselineInput", "region_code", REGION_CODE),
        ("BaselineInput", "source", crate::indicator::inputs::checks::TEXT),
        ("TargetInput", "region_code", REGION_CODE),
        ("TargetInput", "plan", crate::indicator::inputs::checks::TEXT),
        ("TargetInput", "line", crate::indicator::inputs::checks::TEXT),
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
            // A flattened field makes the schema an `allOf` of the inner type and its own fields.
            let parts =
                std::iter::once(&schemas[&name]).chain(schemas[&name]["allOf"].as_array().into_iter().flatten());
            for part in parts.clone() {
                todo.extend(schema_name(&part["$ref"]));
            }
            let props = parts.filter_map(|p| p["properties"].as_object()).flatten();
            for (field, prop) in props {
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
        let doc = super::document();
        let want: BTreeMap<(String, String), Option<u64>> = EXPECTED
            .iter()
            .map(|(s, f, n)| (((*s).to_owned(), (*f).to_owned()), Some(u64::try_from(*n).unwrap())))
            .collect();
        assert_eq!(documented(&doc), want);
    }

    #[test]
    fn the_enterprise_address_shows_its_max_length() {
        let doc = super::document();
        let address = &doc["components"]["schemas"]["UpdateEnterpriseRequest"]["properties"]["address"];
        assert_eq!(address["maxLength"], 500, "{address}");
    }

    /// Every `$ref` in `v`, with where it was found.
    fn refs<'a>(v: &'a Value, at: &str, out: &mut Vec<(String, &'a str)>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    match (k.as_str(), x) {
                        ("$ref", Value::String(r)) => out.push((at.to_owned(), r)),
                        _ => refs(x, &format!("{at}/{k}"), out),
                    }
                }
            }
            Value::Array(xs) => xs.iter().enumerate().for_each(|(i, x)| refs(x, &format!("{at}/{i}"), out)),
            _ => {}
        }
    }

    #[test]
    fn every_ref_of_the_document_points_at_something_in_it() {
        let doc = super::document();
        let mut found = Vec::new();
        refs(&doc, "#", &mut found);
        assert!(found.len() > 50, "the walk found too few references: {}", found.len());
        let dangling: Vec<String> = found
            .iter()
            .filter(|(_, r)| {
                let pointer = r.strip_prefix('#').unwrap_or("/not-local");
                doc.pointer(pointer).is_none()
            })
            .map(|(at, r)| format!("{at} -> {r}"))
            .collect();
        assert!(dangling.is_empty(), "dangling references: {dangling:#?}");
    }

    #[test]
    fn the_documented_page_bounds_are_the_ones_the_server_enforces() {
        let doc = super::document();
        let list = &doc["paths"]["/api/v1/hazards"]["get"]["parameters"];
        let param = |name: &str| list.as_array().unwrap().iter().find(|p| p["name"] == name).unwrap()["schema"].clone();
        assert_eq!(param("page")["minimum"], 1);
        assert_eq!(param("page")["maximum"], crate::json::MAX_PAGE);
        assert_eq!(param("per_page")["minimum"], 1);
        assert_eq!(param("per_page")["maximum"], crate::json::MAX_PER_PAGE);
    }

    #[test]
    fn every_operation_documents_its_shared_error_answers() {
        let doc = super::document();
        let ops = doc["paths"].as_object().unwrap().iter().flat_map(|(p, item)| {
            item.as_object().unwrap().iter().map(move |(m, op)| (p.clone(), m.clone(), op.clone()))
        });
        let mut seen = 0;
        for (path, method, op) in ops {
            seen += 1;
            let has = |status: &str| op["responses"].get(status).is_some();
            let public = ["/api/v1/auth/login", "/api/v1/auth/activate"].contains(&path.as_str())
                || (path == "/api/v1/spot-check-items" && method == "get")
                || ["/api/v1/dishonesty-list", "/api/v1/dishonesty-list/situations"].contains(&path.as_str());
            assert_eq!(has("401"), !public, "{method} {path}");
            assert!(has("404") || !path.contains('{'), "{method} {path} has a path parameter but no 404");
            if op["requestBody"].is_object()
                || op["parameters"].as_array().is_some_and(|p| p.iter().any(|p| p["in"] == "query"))
            {
                assert!(has("422"), "{method} {path} takes input but does not document 422");
            }
            if op["requestBody"]["content"]["application/json"].is_object() {
                assert!(has("400"), "{method} {path} takes JSON but does not document 400");
            }
        }
        assert!(seen > 40, "only {seen} operations");
    }
}
