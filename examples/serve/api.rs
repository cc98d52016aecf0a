//! The HTTP routes: JSON in and out, keys in paths and parameters, ids beside keys in answers
//! (the shapes of `Engine::with_keys`).
//!
//! | method and path | answer |
//! |---|---|
//! | `GET /` | the page |
//! | `GET /api/opportunities` | every opportunity: key, title, kind, country, places |
//! | `GET /api/opportunities/{key}/candidates?k=10` | the best candidates, as `[Match]` |
//! | `GET /api/profiles/{key}/opportunities?k=10` | the best opportunities for a person |
//! | `GET /api/explain?profile=KEY&opportunity=KEY` | the explanation of one pair |
//! | `GET /api/path?profile=KEY&opportunity=KEY&format=json\|dot` | the referral path to the host (`null` when there is none) |
//! | `GET /api/resolve?name=TEXT` | a free-text skill name resolved onto the taxonomy |
//! | `GET /api/profiles/{key}` | a profile's record |
//! | `POST /api/profiles` | adds a profile (body: a `profiles.jsonl` record); 201 |
//! | `PUT /api/profiles/{key}` | replaces a profile's data |
//! | `DELETE /api/profiles/{key}` | erases a profile |
//! | `POST /api/placement` | a placement run (body, every field optional: `{"algorithm": "stable" \| "optimal", "candidates": 20, "caps": {"per_opportunity": 2, "programme": 10}, "cap_by": "origin" \| "residence"}`) |

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use crate::errors::ApiError;
use crate::queries;
use crate::service::Service;

type Shared = Arc<Service>;
type Params = Result<Query<HashMap<String, String>>, QueryRejection>;
type Key = Result<Path<String>, PathRejection>;

/// The page, served as it is (no build step, nothing fetched from elsewhere).
const PAGE: &str = include_str!("page.html");

/// Every route of the service.
pub fn routes(service: Shared) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/api/opportunities", get(opportunities))
        .route("/api/opportunities/{key}/candidates", get(candidates))
        .route("/api/profiles/{key}/opportunities", get(opportunities_for))
        .route("/api/explain", get(explain))
        .route("/api/path", get(path))
        .route("/api/resolve", get(resolve))
        .route("/api/profiles", axum::routing::post(add_profile))
        .route(
            "/api/profiles/{key}",
            get(profile).put(update_profile).delete(remove_profile),
        )
        .route("/api/placement", axum::routing::post(placement))
        .fallback(no_route)
        .with_state(service)
}

async fn page() -> Html<&'static str> {
    Html(PAGE)
}

async fn no_route(uri: Uri) -> ApiError {
    ApiError::no_route(uri.path())
}

/// Runs `f` on a blocking thread (queries are CPU work) and answers its JSON with `status`.
async fn blocking<F>(service: Shared, status: StatusCode, f: F) -> Response
where
    F: FnOnce(&Service) -> Result<String, ApiError> + Send + 'static,
{
    blocking_as(service, status, "application/json", f).await
}

/// [`blocking`] for an answer of another content type.
async fn blocking_as<F>(
    service: Shared,
    status: StatusCode,
    content_type: &'static str,
    f: F,
) -> Response
where
    F: FnOnce(&Service) -> Result<String, ApiError> + Send + 'static,
{
    let done = tokio::task::spawn_blocking(move || f(&service)).await;
    match done {
        Ok(Ok(body)) => (status, [(header::CONTENT_TYPE, content_type)], body).into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(_) => ApiError::internal("the request's worker stopped").into_response(),
    }
}

/// The query parameters, with every name checked against `allowed`.
fn params(query: Params, allowed: &[&str]) -> Result<HashMap<String, String>, ApiError> {
    let Query(map) = query.map_err(|e| ApiError::bad("query", e.body_text()))?;
    if let Some(name) = map.keys().find(|n| !allowed.contains(&n.as_str())) {
        return Err(ApiError::bad(
            name.clone(),
            format!("unknown parameter; expected one of {allowed:?}"),
        ));
    }
    Ok(map)
}

fn key(key: Key) -> Result<String, ApiError> {
    key.map(|Path(k)| k)
        .map_err(|e| ApiError::bad("key", e.body_text()))
}

/// A request body, at most `Limits::record_bytes` long, as text.
async fn body(service: &Service, headers: &HeaderMap, body: Body) -> Result<String, ApiError> {
    let max = service.limits().record_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return Err(ApiError::too_large(max));
    }
    let bytes = to_bytes(body, max)
        .await
        .map_err(|_| ApiError::too_large(max))?;
    String::from_utf8(bytes.to_vec()).map_err(|_| ApiError::bad("body", "not UTF-8 text"))
}

macro_rules! try_or_respond {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return ApiError::into_response(e),
        }
    };
}

async fn opportunities(State(s): State<Shared>) -> Response {
    blocking(s, StatusCode::OK, queries::opportunities).await
}

async fn candidates(State(s): State<Shared>, k: Key, q: Params) -> Response {
    let (key, q) = (try_or_respond!(key(k)), try_or_respond!(params(q, &["k"])));
    blocking(s, StatusCode::OK, move |s| queries::candidates(s, &key, &q)).await
}

async fn opportunities_for(State(s): State<Shared>, k: Key, q: Params) -> Response {
    let (key, q) = (try_or_respond!(key(k)), try_or_respond!(params(q, &["k"])));
    blocking(s, StatusCode::OK, move |s| {
        queries::opportunities_for(s, &key, &q)
    })
    .await
}

async fn explain(State(s): State<Shared>, q: Params) -> Response {
    let q = try_or_respond!(params(q, &["profile", "opportunity"]));
    blocking(s, StatusCode::OK, move |s| queries::explain(s, &q)).await
}

async fn path(State(s): State<Shared>, q: Params) -> Response {
    let q = try_or_respond!(params(q, &["profile", "opportunity", "format"]));
    match q.get("format").map(String::as_str) {
        None | Some("json" | "dot") => {}
        Some(_) => return ApiError::bad("format", "expected json or dot").into_response(),
    }
    if q.get("format").is_some_and(|f| f == "dot") {
        let dot = "text/vnd.graphviz";
        return blocking_as(s, StatusCode::OK, dot, move |s| queries::path_dot(s, &q)).await;
    }
    blocking(s, StatusCode::OK, move |s| queries::path_json(s, &q)).await
}

async fn resolve(State(s): State<Shared>, q: Params) -> Response {
    let q = try_or_respond!(params(q, &["name"]));
    blocking(s, StatusCode::OK, move |s| queries::resolve(s, &q)).await
}

async fn profile(State(s): State<Shared>, k: Key) -> Response {
    let key = try_or_respond!(key(k));
    blocking(s, StatusCode::OK, move |s| s.profile_record(&key)).await
}

async fn add_profile(State(s): State<Shared>, headers: HeaderMap, b: Body) -> Response {
    let text = try_or_respond!(body(&s, &headers, b).await);
    blocking(s, StatusCode::CREATED, move |s| s.add_profile(&text)).await
}

async fn update_profile(State(s): State<Shared>, k: Key, headers: HeaderMap, b: Body) -> Response {
    let key = try_or_respond!(key(k));
    let text = try_or_respond!(body(&s, &headers, b).await);
    blocking(s, StatusCode::OK, move |s| s.update_profile(&key, &text)).await
}

async fn remove_profile(State(s): State<Shared>, k: Key) -> Response {
    let key = try_or_respond!(key(k));
    blocking(s, StatusCode::OK, move |s| s.remove_profile(&key)).await
}

async fn placement(State(s): State<Shared>, headers: HeaderMap, b: Body) -> Response {
    let text = try_or_respond!(body(&s, &headers, b).await);
    blocking(s, StatusCode::OK, move |s| queries::placement(s, &text)).await
}
