//! The error answers every operation shares, added to the document by rule so
//! that no annotation can forget one (each in the one error shape,
//! `ErrorBody`):
//!
//! | when the operation… | documented |
//! |---|---|
//! | needs a signed-in user (no `security: [{}]`) | 401 `unauthenticated`, 403 `forbidden` |
//! | has a path parameter | 404 `not_found` (an id that does not parse names no record either) |
//! | has a query parameter | 422 `validation_failed`, naming the parameter |
//! | takes a JSON body | 400 `invalid_json`, 413 `too_large`, 422 `validation_failed` |
//! | takes a multipart upload | 400, 413, 422, 503 `busy` (the upload gate) |
//!
//! An annotation that documents one of these statuses itself keeps its own.

use serde_json::{Value, json};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// The shared responses, `#/components/responses/<name>`.
const SHARED: [(&str, &str); 7] = [
    ("BadRequest", "请求格式有误（如 JSON 无法解析）"),
    ("Unauthenticated", "需要登录"),
    ("Forbidden", "没有权限执行此操作"),
    ("NotFound", "记录不存在，或路径中的编号无法指向任何记录"),
    ("TooLarge", "请求内容超过该接口的上限"),
    ("ValidationFailed", "参数或请求内容有误，fields 列出每个字段的问题"),
    ("Busy", "上传繁忙，请稍后重试"),
];

/// Adds the shared answers to every operation of `doc` (a serialised OpenAPI document).
pub fn complete(doc: &mut Value) {
    let components = &mut doc["components"];
    for (name, description) in SHARED {
        components["responses"][name] = json!({
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
        });
    }
    let Some(paths) = doc["paths"].as_object_mut() else { return };
    for (path, item) in paths.iter_mut() {
        for method in METHODS {
            if let Some(op) = item.get_mut(method).filter(|op| op.is_object()) {
                for (status, name) in shared_answers(path, op) {
                    let responses = &mut op["responses"];
                    if responses.get(status).is_none() {
                        responses[status] = json!({"$ref": format!("#/components/responses/{name}")});
                    }
                }
            }
        }
    }
}

/// The (status, shared response) pairs that apply to one operation.
fn shared_answers(path: &str, op: &Value) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    let public = op["security"]
        .as_array()
        .is_some_and(|s| s.iter().all(|r| r.as_object().is_some_and(serde_json::Map::is_empty)));
    if !public {
        out.extend([("401", "Unauthenticated"), ("403", "Forbidden")]);
    }
    if path.contains('{') {
        out.push(("404", "NotFound"));
    }
    let params = op["parameters"].as_array().map(Vec::as_slice).unwrap_or_default();
    if params.iter().any(|p| p["in"] == "query") {
        out.push(("422", "ValidationFailed"));
    }
    let content = &op["requestBody"]["content"];
    if content.get("application/json").is_some() {
        out.extend([("400", "BadRequest"), ("413", "TooLarge"), ("422", "ValidationFailed")]);
    }
    if content.get("multipart/form-data").is_some() {
        out.extend([("400", "BadRequest"), ("413", "TooLarge"), ("422", "ValidationFailed"), ("503", "Busy")]);
    }
    out
}
