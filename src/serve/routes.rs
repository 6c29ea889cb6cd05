//! The HTTP routes: decide, decide-batch, policies, health and metrics.

use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use axum::body::Body;
use axum::extract::{MatchedPath, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use bytes::{Bytes, BytesMut};
use chrono::Utc;
use http_body_util::BodyExt;
use serde_json::{json, Value as Json};

use super::batch::{Batch, Started};
use super::log::{DecisionLog, Record};
use super::metrics::Metrics;
use super::policies::{Served, Snapshot};
use super::Limits;
use crate::engine::line_to_json;
use crate::facts::FactsError;
use crate::stream::StreamOptions;

/// What every handler shares.
pub(crate) struct App {
    pub snapshot: Arc<ArcSwap<Snapshot>>,
    pub metrics: Arc<Metrics>,
    pub log: Option<DecisionLog>,
    pub limits: Limits,
}

impl App {
    fn policy(&self, id: &str) -> Option<Arc<Served>> {
        self.snapshot.load().by_id.get(id).cloned()
    }
}

/// The header that names the version of the policy that decided.
const POLICY_HASH: &str = "vouch-policy-hash";

pub(crate) fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/v1/policies/{id}/decide", post(decide))
        .route("/v1/policies/{id}/decide-batch", post(decide_batch))
        .route("/v1/policies", get(policies))
        .route("/health", get(health))
        .route("/metrics", get(metrics))
        .route_layer(middleware::from_fn_with_state(app.clone(), observe))
        .fallback(not_found)
        .with_state(app)
}

/// Time each request, count it by route and status, and stop it at the timeout.
async fn observe(
    State(app): State<Arc<App>>,
    route: MatchedPath,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let response = match app.limits.timeout {
        Some(limit) => match tokio::time::timeout(limit, next.run(request)).await {
            Ok(r) => r,
            Err(_) => timed_out(limit),
        },
        None => next.run(request).await,
    };
    let seconds = started.elapsed().as_secs_f64();
    app.metrics
        .request(route.as_str(), response.status().as_u16(), seconds);
    tracing::debug!(
        route = route.as_str(),
        status = response.status().as_u16(),
        seconds,
        "request"
    );
    response
}

fn timed_out(limit: Duration) -> Response {
    error(
        StatusCode::SERVICE_UNAVAILABLE,
        "vouch::serve::timeout",
        &format!(
            "the request was not answered within {} ms",
            limit.as_millis()
        ),
        None,
    )
}

/// A request refused before deciding: its status, code and message.
struct Failure {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        error(self.status, self.code, &self.message, None)
    }
}

/// `{"error": {"code", "message", "path"}}`.
fn error(status: StatusCode, code: &str, message: &str, path: Option<&str>) -> Response {
    let body = json!({ "error": { "code": code, "message": message, "path": path } });
    json_response(status, &body)
}

fn json_response(status: StatusCode, body: &Json) -> Response {
    let mut bytes = serde_json::to_vec_pretty(body).unwrap_or_default();
    bytes.push(b'\n');
    bytes_response(status, bytes, "application/json")
}

fn bytes_response(status: StatusCode, bytes: Vec<u8>, content_type: &'static str) -> Response {
    let mut response = (status, bytes).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

async fn not_found(State(app): State<Arc<App>>, uri: Uri) -> Response {
    app.metrics.request("unmatched", 404, 0.0);
    let message = format!("no route `{}`", uri.path());
    error(
        StatusCode::NOT_FOUND,
        "vouch::serve::no_route",
        &message,
        None,
    )
}

fn unknown_policy(app: &App, id: &str) -> Response {
    let snapshot = app.snapshot.load();
    let mut ids: Vec<&str> = snapshot.by_id.keys().map(String::as_str).collect();
    ids.sort_unstable();
    let message = format!(
        "no policy `{id}` is loaded; the policies are: {}",
        ids.join(", ")
    );
    error(
        StatusCode::NOT_FOUND,
        "vouch::serve::unknown_policy",
        &message,
        None,
    )
}

/// `?explain=true`: whether to explain; other query parameters are ignored.
fn explain_wanted(uri: &Uri) -> Result<bool, Failure> {
    let query = uri.query().unwrap_or("");
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, "true"));
        if key != "explain" {
            continue;
        }
        return match value {
            "true" | "1" | "" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(Failure {
                status: StatusCode::BAD_REQUEST,
                code: "vouch::serve::bad_query",
                message: format!("`explain` is `true` or `false`, not `{value}`"),
            }),
        };
    }
    Ok(false)
}

fn too_large(limit: usize) -> Failure {
    Failure {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        code: "vouch::serve::body_too_large",
        message: format!("the request body is over the limit of {limit} bytes"),
    }
}

/// A declared length over the limit, found before reading the body.
fn declared_too_large(headers: &HeaderMap, limit: usize) -> bool {
    let length = headers.get(header::CONTENT_LENGTH);
    let length = length.and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    length.is_some_and(|n| n > limit as u64)
}

/// The whole request body, up to `limit` bytes.
async fn read_body(headers: &HeaderMap, mut body: Body, limit: usize) -> Result<Bytes, Failure> {
    if declared_too_large(headers, limit) {
        return Err(too_large(limit));
    }
    let mut bytes = BytesMut::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| Failure {
            status: StatusCode::BAD_REQUEST,
            code: "vouch::serve::body",
            message: format!("cannot read the request body: {e}"),
        })?;
        if let Ok(data) = frame.into_data() {
            if bytes.len() + data.len() > limit {
                return Err(too_large(limit));
            }
            bytes.extend_from_slice(&data);
        }
    }
    Ok(bytes.freeze())
}

/// Facts that cannot be read: the CLI's code and message, and the JSON path.
fn facts_error(e: &FactsError) -> Response {
    let body = json!({ "error": {
        "code": e.code(),
        "message": e.to_string(),
        "path": e.path,
        "line": e.line,
        "column": e.column,
    }});
    json_response(StatusCode::BAD_REQUEST, &body)
}

async fn decide(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some(served) = app.policy(&id) else {
        return unknown_policy(&app, &id);
    };
    let explain = match explain_wanted(&uri) {
        Ok(e) => e,
        Err(failure) => return failure.into_response(),
    };
    let facts = match read_body(&headers, body, app.limits.max_body).await {
        Ok(b) => b,
        Err(failure) => return failure.into_response(),
    };
    let Ok(text) = std::str::from_utf8(&facts) else {
        let message = "the facts are not valid UTF-8";
        let code = "vouch::facts::malformed_json";
        return error(StatusCode::BAD_REQUEST, code, message, None);
    };
    let (line, answer) = match served.policy.decide(text, explain) {
        Ok(decision) => {
            served.counters.count(decision.result());
            let line = decision.to_line();
            let answer = line_to_json(&line, Some(served.policy.hash()));
            (line, answer)
        }
        Err(e) => return facts_error(&e),
    };
    let mut response = bytes_response(StatusCode::OK, answer, "application/json");
    insert_hash(&mut response, &served);
    if let Some(log) = &app.log {
        let time = Utc::now();
        let record = Record::Decided {
            time,
            served,
            facts,
            output: line,
        };
        log.send(record).await;
    }
    response
}

fn insert_hash(response: &mut Response, served: &Served) {
    if let Ok(v) = HeaderValue::from_str(served.policy.hash()) {
        response.headers_mut().insert(POLICY_HASH, v);
    }
}

async fn decide_batch(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some(served) = app.policy(&id) else {
        return unknown_policy(&app, &id);
    };
    let explain = match explain_wanted(&uri) {
        Ok(e) => e,
        Err(failure) => return failure.into_response(),
    };
    let limit = app.limits.max_batch_body;
    if declared_too_large(&headers, limit) {
        return too_large(limit).into_response();
    }
    let options = StreamOptions {
        jobs: app.limits.jobs,
        explain,
        strict: false,
    };
    let batch = Batch {
        limit,
        declared: headers.contains_key(header::CONTENT_LENGTH),
        deadline: (app.limits.timeout).map(|t| (tokio::time::Instant::now() + t, t)),
    };
    let hash = HeaderValue::from_str(served.policy.hash()).ok();
    let body = match super::batch::start(served, body, batch, options, app.log.clone()).await {
        Started::Answer(body) => body,
        Started::TooLarge => return too_large(limit).into_response(),
        Started::Unreadable(message) => {
            let failure = Failure {
                status: StatusCode::BAD_REQUEST,
                code: "vouch::serve::body",
                message,
            };
            return failure.into_response();
        }
    };
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson"),
    );
    if let Some(hash) = hash {
        headers.insert(POLICY_HASH, hash);
    }
    response
}

async fn policies(State(app): State<Arc<App>>) -> Response {
    json_response(StatusCode::OK, &app.snapshot.load().policies_json())
}

async fn health(State(app): State<Arc<App>>) -> Response {
    json_response(StatusCode::OK, &app.snapshot.load().health_json())
}

async fn metrics(State(app): State<Arc<App>>) -> Response {
    let text = app.metrics.render();
    bytes_response(StatusCode::OK, text, "text/plain; version=0.0.4")
}
