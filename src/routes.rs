//! The one way to register a JSON API route: [`ApiRoutes`], a router that
//! accepts nothing but handlers documented with `#[utoipa::path]`.
//!
//! Design: each module's `routes()` returns an [`ApiRoutes`] built with
//! `utoipa_axum::routes!(handler, …)`. That macro needs the `__path_handler`
//! item that `#[utoipa::path]` generates, so an undocumented handler does not
//! compile; the route's path and method are read from the annotation, so the
//! document and the router cannot disagree. `ApiRoutes` deliberately has no
//! `route(path, method_router)` escape hatch (unlike `OpenApiRouter`); the only
//! untyped routes are the pages (`crate::web`, plain axum) and
//! `/api/openapi.json` and `/healthz` in `crate::router`.
//!
//! A layer for one route (a body limit, the Idempotency-Key store) goes on the
//! `routes!` value before it is registered:
//! `routes!(import_x).layer(crate::upload::limit(crate::upload::SPREADSHEET))`
//! (`UtoipaMethodRouterExt::layer`, re-exported here as [`RouteExt`]).

use crate::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use utoipa::openapi::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

pub use utoipa_axum::router::UtoipaMethodRouterExt as RouteExt;
pub use utoipa_axum::routes;

/// API routes together with their OpenAPI operations.
pub struct ApiRoutes(OpenApiRouter<AppState>);

impl Default for ApiRoutes {
    fn default() -> Self {
        Self::new()
    }
}

impl ApiRoutes {
    pub fn new() -> Self {
        Self(OpenApiRouter::default())
    }

    /// Routes that start from a document holding the info, the security
    /// schemes and the shared components ([`crate::openapi::base`]).
    pub fn with_document(doc: OpenApi) -> Self {
        Self(OpenApiRouter::with_openapi(doc))
    }

    /// Registers the handlers of one path (one `routes!(…)` per path: the
    /// macro would otherwise route every handler at every path it names).
    ///
    /// # Panics
    /// When the handlers name more than one path, at router construction, so
    /// any test that builds the router finds it.
    #[must_use]
    pub fn routes(self, handlers: UtoipaMethodRouter<AppState>) -> Self {
        let paths: Vec<&String> = handlers.1.paths.keys().collect();
        assert!(paths.len() == 1, "one routes!(…) per path, got {paths:?}");
        Self(self.0.routes(handlers))
    }

    #[must_use]
    pub fn merge(self, other: Self) -> Self {
        Self(self.0.merge(other.0))
    }

    /// The axum router and the OpenAPI document of these routes. A method a
    /// path does not take answers 405 in the common error shape too.
    pub fn split(self) -> (Router<AppState>, OpenApi) {
        let (router, doc) = self.0.split_for_parts();
        (router.layer(axum::middleware::map_response(method_not_allowed_as_json)), doc)
    }

    pub fn into_openapi(self) -> OpenApi {
        self.0.into_openapi()
    }
}

/// axum answers a method the path does not take with an empty 405 (and its
/// `Allow` header); API clients get the common error body with it.
async fn method_not_allowed_as_json(res: Response) -> Response {
    if res.status() != StatusCode::METHOD_NOT_ALLOWED {
        return res;
    }
    let (mut parts, _) = res.into_parts();
    let body = serde_json::json!({"error": {"code": "method_not_allowed", "message": "该地址不支持此请求方法"}});
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body.to_string()))
}

#[cfg(test)]
mod tests {
    use super::{ApiRoutes, routes};

    #[utoipa::path(get, path = "/api/v1/one", responses((status = 204)))]
    async fn one() {}

    #[utoipa::path(post, path = "/api/v1/one", responses((status = 204)))]
    async fn one_more() {}

    #[utoipa::path(get, path = "/api/v1/two", responses((status = 204)))]
    async fn two() {}

    #[utoipa::path(post, path = "/api/v1/three", responses((status = 204)))]
    async fn three() {}

    #[test]
    fn the_handlers_of_one_path_register_together_with_their_operations() {
        let doc = ApiRoutes::new().routes(routes!(one, one_more)).routes(routes!(two)).into_openapi();
        let one = &doc.paths.paths["/api/v1/one"];
        assert!(one.get.is_some() && one.post.is_some());
        assert!(doc.paths.paths["/api/v1/two"].get.is_some());
    }

    #[test]
    #[should_panic(expected = "one routes!(…) per path")]
    fn handlers_of_two_paths_in_one_routes_call_are_refused() {
        // Without the check, `one` and `three` would each answer at both paths.
        let _ = ApiRoutes::new().routes(routes!(one, three));
    }
}
