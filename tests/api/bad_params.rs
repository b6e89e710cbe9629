//! Bad path and query values, generated from the OpenAPI document: every query
//! parameter of every GET operation gets a value its documented schema
//! forbids (a word for a number, a number past its bound, an unknown enum
//! value, a malformed date, a string against its pattern) and every required
//! one is left out; each answers 422 `validation_failed` naming that parameter.
//! Every path with an `{id}` gets an id that cannot name a record and answers
//! 404 `not_found` in the same error shape (an unparsable id names no record,
//! like one that does not exist), and a method a path does not take is 405 in
//! that shape too. A new endpoint is covered without a line here.

use crate::helpers::{TestApp, on_each_backend};
use anjian::auth::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// The schema of a parameter with a `$ref` resolved.
fn resolved<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str().and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => doc.pointer(pointer).unwrap_or(schema),
        None => schema,
    }
}

/// A value the schema allows, for the required parameters of a probe.
fn valid(schema: &Value) -> String {
    if let Some(first) = schema["enum"].get(0) {
        return first.as_str().unwrap().to_owned();
    }
    match (schema["type"].as_str(), schema["format"].as_str()) {
        (_, Some("date")) => "2026-10-08".to_owned(),
        (Some("integer"), _) => schema["minimum"].as_i64().unwrap_or(1).to_string(),
        (Some("boolean"), _) => "true".to_owned(),
        _ => "x".to_owned(),
    }
}

/// Values the schema forbids.
fn invalid(schema: &Value) -> Vec<String> {
    if schema["enum"].is_array() || schema["pattern"].is_string() {
        return vec!["bogus".to_owned()];
    }
    match (schema["type"].as_str(), schema["format"].as_str()) {
        (_, Some("date")) => vec!["someday".to_owned(), "2026-13-01".to_owned()],
        (Some("integer"), _) => {
            let mut out = vec!["abc".to_owned(), "1.5".to_owned()];
            out.extend(schema["minimum"].as_i64().map(|m| (m - 1).to_string()));
            out.extend(schema["maximum"].as_i64().map(|m| (m + 1).to_string()));
            out.extend(schema["maximum"].as_i64().map(|m| (m * 500).to_string()));
            out
        }
        (Some("boolean"), _) => vec!["maybe".to_owned()],
        _ => Vec::new(),
    }
}

struct Param<'a> {
    name: &'a str,
    required: bool,
    schema: &'a Value,
}

fn query_params<'a>(doc: &'a Value, op: &'a Value) -> Vec<Param<'a>> {
    let params = op["parameters"].as_array().map(Vec::as_slice).unwrap_or_default();
    params
        .iter()
        .filter(|p| p["in"] == "query")
        .map(|p| Param {
            name: p["name"].as_str().unwrap(),
            required: p["required"] == true,
            schema: resolved(doc, &p["schema"]),
        })
        .collect()
}

/// The query string with every required parameter but `skip` at a valid value, then `extra`.
fn query(params: &[Param], skip: &str, extra: Option<(&str, &str)>) -> String {
    let mut parts: Vec<String> = params
        .iter()
        .filter(|p| p.required && p.name != skip)
        .map(|p| format!("{}={}", p.name, valid(p.schema)))
        .collect();
    parts.extend(extra.map(|(k, v)| format!("{k}={v}")));
    parts.join("&")
}

async fn expect_422_naming(app: &TestApp, token: &str, url: &str, field: &str) {
    let (status, body) = app.get(token, url).await;
    let shown = body.to_string().chars().take(300).collect::<String>();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {shown}");
    assert_eq!(body["error"]["code"], "validation_failed", "{url}: {body}");
    assert!(body["error"]["fields"][field][0].is_string(), "{url} should name {field}: {body}");
}

#[tokio::test]
async fn every_bad_query_value_of_every_list_is_a_422_naming_the_parameter() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let (_, doc) = app.send(app.client.get(app.url("/api/openapi.json"))).await;
        let mut probes = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            let Some(op) = item.get("get").filter(|_| !path.contains('{')) else { continue };
            let params = query_params(&doc, op);
            for p in &params {
                for bad in invalid(p.schema) {
                    probes
                        .push((format!("{path}?{}", query(&params, p.name, Some((p.name, &bad)))), p.name.to_owned()));
                }
                if p.required {
                    probes.push((format!("{path}?{}", query(&params, p.name, None)), p.name.to_owned()));
                }
            }
        }
        for must in ["/api/v1/enterprises?sector=bogus", "/api/v1/hazards?page=0", "/api/v1/hazard-statistics?page=abc"]
        {
            assert!(probes.iter().any(|(u, _)| u == must), "{must} was not generated");
        }
        assert!(probes.iter().any(|(u, _)| u.contains("per_page=100000")), "per_page=100000 was not generated");
        assert!(probes.len() > 60, "only {} probes", probes.len());
        for (url, field) in &probes {
            expect_422_naming(&app, &reg.token, url, field).await;
        }
    })
    .await;
}

#[tokio::test]
async fn every_path_with_an_id_answers_an_id_that_names_no_record_in_the_common_shape() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        let (_, doc) = app.send(app.client.get(app.url("/api/openapi.json"))).await;
        let mut probed = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            if !path.contains("{id}") {
                continue;
            }
            for (method, op) in item.as_object().unwrap() {
                // The other path parameters (`{action}`) at a valid value.
                let mut url = path.clone();
                for p in op["parameters"].as_array().unwrap().iter().filter(|p| p["in"] == "path" && p["name"] != "id")
                {
                    let name = p["name"].as_str().unwrap();
                    url = url.replace(&format!("{{{name}}}"), &valid(resolved(&doc, &p["schema"])));
                }
                for id in ["abc", "1e3", "99999999999999999999"] {
                    let target = url.replace("{id}", id);
                    let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                    let req =
                        app.client.request(method.clone(), app.url(&target)).bearer_auth(&reg.token).json(&json!({}));
                    let (status, body) = app.send(req).await;
                    assert_eq!(status, StatusCode::NOT_FOUND, "{method} {target}: {body}");
                    assert_eq!(body["error"]["code"], "not_found", "{method} {target}: {body}");
                    probed += 1;
                }
            }
        }
        assert!(probed >= 30, "only {probed} probes");
    })
    .await;
}

#[tokio::test]
async fn a_method_a_path_does_not_take_is_405_in_the_common_shape() {
    on_each_backend(|app| async move {
        let reg = app.user("reg").role(Role::Regulator).region("420103").create().await;
        for (method, path) in [
            (Method::DELETE, "/api/v1/hazards"),
            (Method::PUT, "/api/v1/enterprises/1"),
            (Method::GET, "/api/v1/auth/login"),
        ] {
            let res = app.client.request(method.clone(), app.url(path)).bearer_auth(&reg.token).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            assert!(res.headers().contains_key("allow"), "{method} {path}");
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["error"]["code"], "method_not_allowed", "{method} {path}: {body}");
        }
    })
    .await;
}
