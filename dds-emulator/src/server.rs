//! The HTTP side: one handler that runs the gateway checks, the operation, and writes the
//! answer; plus request ids and the log line of each request.

use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::gateway::{Gateway, Incoming};
use crate::ops;
use crate::render::{self, Node};
use crate::store::Store;

/// Everything a request needs, shared by all of them.
#[derive(Debug)]
pub(crate) struct App {
    pub(crate) gateway: Gateway,
    pub(crate) store: Arc<Store>,
    pub(crate) restart_time: Duration,
    pub(crate) host_id: String,
    pub(crate) request_ids: RequestIds,
}

/// Answers any request: RPC operations all live at `/`.
pub(crate) async fn handle(
    State(app): State<Arc<App>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let started = Instant::now();
    let request_id = app.request_ids.next();
    let incoming = Incoming {
        method: &method,
        path: uri.path(),
        query: uri.query(),
        headers: &headers,
        body: &body,
    };

    let (format, admitted) = app.gateway.admit(&incoming);
    let (action, outcome) = match admitted {
        Err(refused) => (refused.action, Err(refused.error)),
        Ok(admitted) => {
            let outcome = ops::run(
                &app.store,
                app.restart_time,
                admitted.operation,
                &admitted.params,
                &request_id,
            )
            .await;
            (Some(admitted.operation.action.to_owned()), outcome)
        }
    };

    let (status, body) = match &outcome {
        Ok(node) => {
            let root = format!("{}Response", action.as_deref().unwrap_or_default());
            (200, render::render(format, &root, node))
        }
        Err(error) => (
            error.status,
            render::render(
                format,
                "Error",
                &error_body(error, &request_id, &app.host_id),
            ),
        ),
    };

    // Secrets never reach the log: only the action, the outcome and the timing.
    let code = outcome.as_ref().err().map(|e| e.code.as_ref());
    tracing::info!(
        action = %action.as_deref().unwrap_or("-"),
        status,
        code = %code.unwrap_or("-"),
        latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        request_id = %request_id,
        "request"
    );

    let mut response = (
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        body,
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        headers.insert("x-acs-request-id", value);
    }
    response
}

fn error_body(error: &ApiError, request_id: &str, host_id: &str) -> Node {
    Node::Object(vec![
        (String::from("RequestId"), Node::string(request_id)),
        (String::from("HostId"), Node::string(host_id)),
        (String::from("Code"), Node::string(error.code.as_ref())),
        (String::from("Message"), Node::string(&error.message)),
        (
            String::from("Recommend"),
            Node::String(format!(
                "https://api.aliyun.com/troubleshoot?q={}&product=Dds&requestId={request_id}",
                error.code
            )),
        ),
    ])
}

/// Request ids in the gateway's form (`6D806B11-078F-4154-BF9F-844F56D08964`): unique within
/// a process (the low half is a bijective scramble of a counter) and unlikely to repeat across
/// processes (both halves depend on per-process random keys).
#[derive(Debug)]
pub(crate) struct RequestIds {
    counter: AtomicU64,
    high_key: RandomState,
    low_key: u64,
}

impl RequestIds {
    pub(crate) fn new() -> Self {
        Self {
            counter: AtomicU64::new(0),
            high_key: RandomState::new(),
            low_key: RandomState::new().hash_one(0u64),
        }
    }

    pub(crate) fn next(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let high = self.high_key.hash_one(n);
        let low = scramble(n ^ self.low_key);
        let hex = format!("{high:016X}{low:016X}");
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }
}

/// The SplitMix64 finalizer: a bijection on `u64`, so distinct inputs give distinct outputs.
fn scramble(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_have_the_gateway_form_and_do_not_repeat() {
        let ids = RequestIds::new();
        let all: std::collections::HashSet<String> = (0..10_000).map(|_| ids.next()).collect();
        assert_eq!(all.len(), 10_000);
        let one = all.iter().next().unwrap();
        let groups: Vec<usize> = one.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert!(
            one.chars()
                .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_lowercase())
        );
    }
}
