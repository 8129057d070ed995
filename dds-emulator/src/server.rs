//! The HTTP side: one handler that runs the gateway checks, the operation, and writes the
//! answer; plus request ids and the log line of each request.

use std::borrow::Cow;
use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest as _, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;

use crate::error::ApiError;
use crate::gateway::{Gateway, Incoming, Refused};
use crate::ops;
use crate::render::{self, Format};
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

const REQUEST_ID: HeaderName = HeaderName::from_static("x-acs-request-id");

/// Answers any request: RPC operations all live at `/`.
pub(crate) async fn handle(State(app): State<Arc<App>>, request: Request) -> Response {
    let started = Instant::now();
    let request_id = app.request_ids.next();
    // The parts are taken apart rather than extracted one by one: axum's `HeaderMap`
    // extractor copies the whole map. The body is read by axum's `Bytes` extractor, with its
    // size limit; it needs only the body and the request's extensions.
    let (mut parts, body) = request.into_parts();
    let method = std::mem::take(&mut parts.method);
    let uri = std::mem::take(&mut parts.uri);
    let headers = std::mem::take(&mut parts.headers);
    let body = Bytes::from_request(Request::from_parts(parts, body), &()).await;
    // A body that cannot be read (over the size limit, cut short) is answered like any other
    // refusal, in the format the request asks for, rather than with the HTTP layer's text.
    let (body, unreadable) = match body {
        Ok(body) => (body, None),
        Err(rejection) => (
            Bytes::new(),
            Some(ApiError::new(
                rejection.status().as_u16(),
                "InvalidParameter",
                format!(
                    "The request body could not be read: {}.",
                    rejection.body_text()
                ),
            )),
        ),
    };
    let incoming = Incoming {
        method: &method,
        path: uri.path(),
        query: uri.query(),
        headers: &headers,
        body: &body,
    };

    let (format, admitted) = app.gateway.admit(&incoming);
    let admitted = match unreadable {
        None => admitted,
        Some(error) => Err(Refused {
            error,
            action: match admitted {
                Ok(admitted) => Some(Cow::Borrowed(admitted.operation.action)),
                Err(refused) => refused.action,
            },
        }),
    };
    let (action, outcome) = match admitted {
        Err(refused) => (refused.action, Err(refused.error)),
        Ok(admitted) => {
            let outcome = ops::run(
                &app.store,
                app.restart_time,
                admitted.operation,
                &admitted.params,
                &request_id,
                admitted.answer,
                format,
            )
            .await;
            (Some(Cow::Borrowed(admitted.operation.action)), outcome)
        }
    };

    let (status, code, body) = match outcome {
        Ok(body) => (200, None, body),
        Err(error) => {
            let body = error_body(format, &error, &request_id, &app.host_id);
            (error.status, Some(error.code), body)
        }
    };

    // Secrets never reach the log: only the action, the outcome and the timing. The action
    // may be whatever an unsigned request named: escaped, so it cannot start a line of its own.
    tracing::info!(
        action = %action.as_deref().unwrap_or("-").escape_debug(),
        status,
        code = %code.as_deref().unwrap_or("-"),
        latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        request_id = %request_id,
        "request"
    );

    let mut response = Response::new(Body::from(body));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    // The id's own buffer becomes the header value, uncopied.
    if let Ok(value) = HeaderValue::try_from(request_id) {
        headers.insert(REQUEST_ID, value);
    }
    response
}

fn error_body(format: Format, error: &ApiError, request_id: &str, host_id: &str) -> String {
    let recommend = format!(
        "https://api.aliyun.com/troubleshoot?q={}&product=Dds&requestId={request_id}",
        error.code
    );
    render::render_text_object(
        format,
        "Error",
        &[
            ("RequestId", request_id),
            ("HostId", host_id),
            ("Code", error.code.as_ref()),
            ("Message", &error.message),
            ("Recommend", &recommend),
        ],
    )
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
        format_request_id(self.high_key.hash_one(n), scramble(n ^ self.low_key))
    }
}

/// The 32 upper-case hex digits of `high` then `low`, grouped 8-4-4-4-12.
fn format_request_id(high: u64, low: u64) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let digits = (u128::from(high) << 64) | u128::from(low);
    let mut id = String::with_capacity(36);
    for i in 0..32 {
        if matches!(i, 8 | 12 | 16 | 20) {
            id.push('-');
        }
        let nibble = (digits >> (124 - 4 * i)) & 0xF;
        id.push(char::from(HEX[nibble as usize]));
    }
    id
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
    fn request_ids_are_the_hex_digits_of_both_halves_grouped_8_4_4_4_12() {
        assert_eq!(
            format_request_id(0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210),
            "01234567-89AB-CDEF-FEDC-BA9876543210"
        );
        assert_eq!(
            format_request_id(0, 1),
            "00000000-0000-0000-0000-000000000001"
        );
    }

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
