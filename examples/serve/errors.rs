//! The service's errors: an HTTP status and a JSON body that names the field or parameter.
//!
//! ```json
//! {"error": {"status": 400, "kind": "field", "field": "origins[0].country",
//!            "message": "record 300 (key p-new): field `origins[0].country`: unknown country (found \"XX\")"}}
//! ```
//!
//! The message is the library's, which never repeats a profile's personal values.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use diaspora_match::{Error, ErrorKind};
use serde_json::json;

/// A refused or failed request.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    kind: &'static str,
    field: Option<String>,
    message: String,
}

impl ApiError {
    /// 400: a parameter or body field is missing or wrong.
    pub fn bad(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            kind: "argument",
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// 404: no record has this key.
    pub fn unknown(what: &str, key: &str) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            kind: "unknown_key",
            field: None,
            message: format!("unknown {what} key {key:?}"),
        }
    }

    /// 404 for a path that names no resource.
    pub fn no_route(path: &str) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            kind: "no_route",
            field: None,
            message: format!("nothing at {path:?}; the API is under /api (see the README)"),
        }
    }

    /// 409: the request conflicts with the data (a key in use, a host that is still needed).
    pub fn conflict(field: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::CONFLICT,
            kind: "conflict",
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// 413: a request body over the engine's `Limits::record_bytes`.
    pub fn too_large(max: usize) -> ApiError {
        ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            kind: "limit",
            field: Some("body".into()),
            message: format!("the request body is over the limit `record_bytes` of {max}"),
        }
    }

    /// 500: the service failed (the database, a stopped worker); the request may be retried.
    pub fn internal(message: impl std::fmt::Display) -> ApiError {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            kind: "internal",
            field: None,
            message: message.to_string(),
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        let message = e.to_string();
        let (status, kind, field) = match e.kind() {
            ErrorKind::Syntax { .. } => (StatusCode::BAD_REQUEST, "syntax", None),
            ErrorKind::Field { field, .. } => {
                (StatusCode::BAD_REQUEST, "field", Some(field.clone()))
            }
            ErrorKind::Config { field, .. } => {
                (StatusCode::BAD_REQUEST, "config", Some(field.clone()))
            }
            ErrorKind::Argument { name, .. } => {
                (StatusCode::BAD_REQUEST, "argument", Some(name.to_string()))
            }
            ErrorKind::Limit { limit, .. } => {
                (StatusCode::BAD_REQUEST, "limit", Some(limit.to_string()))
            }
            ErrorKind::DuplicateKey { .. } => {
                (StatusCode::CONFLICT, "duplicate_key", Some("key".into()))
            }
            ErrorKind::UnknownId { .. } | ErrorKind::UnknownKey { .. } => {
                (StatusCode::NOT_FOUND, "unknown_key", None)
            }
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal", None),
        };
        ApiError {
            status,
            kind,
            field,
            message,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {
            "status": self.status.as_u16(),
            "kind": self.kind,
            "field": self.field,
            "message": self.message,
        }});
        (self.status, Json(body)).into_response()
    }
}
