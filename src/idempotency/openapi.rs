//! The `Idempotency-Key` header in the OpenAPI document, on exactly the
//! operations [`super::KEYED`] names.

use super::{MAX_KEY, is_keyed};
use utoipa::openapi::path::{Operation, Parameter, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{OpenApi, Required};

/// Adds the header parameter to every keyed operation.
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
    param.description = Some(
        "可选。同一用户用同一键重试同一请求时，返回首次的状态码与响应体（头 Idempotency-Replayed: true），不重复写入；\
         同键不同请求返回 422 idempotency_key_reused，首次请求仍在处理时返回 409 idempotency_key_in_progress。保留 7 天。"
            .to_owned(),
    );
    op.parameters.get_or_insert_with(Vec::new).push(param.into());
}
