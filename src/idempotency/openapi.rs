//! The `Idempotency-Key` header in the OpenAPI document, on exactly the
//! operations [`super::KEYED`] names, with the 409 and 422 answers it can add.

use super::{MAX_KEY, is_keyed};
use utoipa::openapi::path::{Operation, Parameter, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{Content, OpenApi, Ref, Required};

/// Adds the header parameter (and its refusals) to every keyed operation.
pub struct KeyHeader;

impl utoipa::Modify for KeyHeader {
    fn modify(&self, openapi: &mut OpenApi) {
        for (path, item) in &mut openapi.paths.paths {
            for (method, op) in [("POST", item.post.as_mut()), ("PUT", item.put.as_mut())] {
                if let Some(op) = op.filter(|_| is_keyed(method, path)) {
                    add_header(op);
                }
            }
        }
    }
}

const DESCRIPTION: &str = "Optional. A retry of the same request (method, path, body) by the same user \
    with the same key gets the first answer back (same status and body, header `Idempotency-Replayed: true`) \
    and writes nothing. Another request under the key: 422 `idempotency_key_reused`; the first still running: \
    409 `idempotency_key_in_progress`. Only answers below 400 are kept, for 7 days.";

fn add_header(op: &mut Operation) {
    let schema = ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(MAX_KEY))
        .pattern(Some("^[\\x21-\\x7E]+$"));
    let mut param = Parameter::new("Idempotency-Key");
    param.parameter_in = ParameterIn::Header;
    param.required = Required::False;
    param.schema = Some(schema.build().into());
    param.description = Some(DESCRIPTION.to_owned());
    op.parameters.get_or_insert_with(Vec::new).push(param.into());
    for (status, what) in
        [("409", "Conflict (e.g. `idempotency_key_in_progress`)"), ("422", "Validation failed or key reused")]
    {
        op.responses.responses.entry(status.to_owned()).or_insert_with(|| {
            let content = Content::new(Some(Ref::from_schema_name("ErrorBody")));
            ResponseBuilder::new().description(what).content("application/json", content).build().into()
        });
    }
}
