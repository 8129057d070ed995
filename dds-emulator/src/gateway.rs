//! The gateway's checks, in the order it makes them, before any operation runs.
//!
//! 1. Decode the parameters from the query string and a form body.
//! 2. `Format` (also decides how every later error is written).
//! 3. Signature fields: V3 when an `Authorization` header is present, V1 otherwise.
//! 4. AccessKeyId known; timestamp well-formed and within 15 minutes; signature matches.
//! 5. Nonce not seen within the window (recorded only for a valid signature, so a forged
//!    request cannot burn a client's nonce).
//! 6. Throttle per AccessKeyId.
//! 7. Version served, Action known.
//! 8. The operation's parameters, through its generated `check_wire`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::btree_map::Entry;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use axum::http::{HeaderMap, HeaderName, Method, header};
use dds_api::credentials::Credentials;
use dds_api::operation::{OperationMeta, WireParams};
use dds_api::signing::{self, v1, v3};

use crate::clock::{Clock, format_timestamp};
use crate::decode::decode_pairs;
use crate::error::ApiError;
use crate::nonce::NonceCache;
use crate::render::Format;
use crate::shape::Answer;
use crate::throttle::Throttle;

/// How far a request's timestamp may be from the server's time, and how long a nonce is
/// remembered.
pub(crate) const WINDOW: Duration = Duration::from_secs(15 * 60);

/// A request as received.
#[derive(Debug)]
pub(crate) struct Incoming<'a> {
    pub(crate) method: &'a Method,
    pub(crate) path: &'a str,
    pub(crate) query: Option<&'a str>,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a [u8],
}

/// A request that passed every gateway check.
#[derive(Debug)]
pub(crate) struct Admitted<'g> {
    pub(crate) operation: &'static OperationMeta,
    /// The operation's answer, prepared.
    pub(crate) answer: &'g Answer,
    pub(crate) params: WireParams,
}

/// A served operation, with its answer prepared the first time it is needed.
#[derive(Debug)]
struct Route {
    operation: &'static OperationMeta,
    answer: OnceLock<Answer>,
}

/// A request refused by the gateway, with what is known for the answer.
#[derive(Debug)]
pub(crate) struct Refused {
    pub(crate) error: ApiError,
    /// The action the request named, when it named one (for logs).
    pub(crate) action: Option<Cow<'static, str>>,
}

/// The gateway's configuration and memory.
#[derive(Debug)]
pub(crate) struct Gateway {
    keys: HashMap<String, Credentials>,
    operations: HashMap<&'static str, Route>,
    version: &'static str,
    clock: Arc<dyn Clock>,
    nonces: NonceCache,
    throttle: Option<Throttle>,
    /// The V3 headers a request may carry only once.
    single_headers: Vec<HeaderName>,
    /// The hex SHA-256 of an empty body, what most requests carry.
    empty_payload_sha256: String,
}

const X_ACS_DATE: HeaderName = HeaderName::from_static("x-acs-date");
const X_ACS_SIGNATURE_NONCE: HeaderName = HeaderName::from_static("x-acs-signature-nonce");
const X_ACS_ACTION: HeaderName = HeaderName::from_static("x-acs-action");
const X_ACS_VERSION: HeaderName = HeaderName::from_static("x-acs-version");

impl Gateway {
    pub(crate) fn new(
        keys: impl IntoIterator<Item = Credentials>,
        operations: &'static [&'static OperationMeta],
        version: &'static str,
        clock: Arc<dyn Clock>,
        throttle_per_second: Option<u32>,
    ) -> Self {
        Self {
            keys: keys
                .into_iter()
                .map(|k| (k.access_key_id.clone(), k))
                .collect(),
            operations: operations
                .iter()
                .map(|&operation| {
                    let route = Route {
                        operation,
                        answer: OnceLock::new(),
                    };
                    (operation.action, route)
                })
                .collect(),
            version,
            clock,
            nonces: NonceCache::new(),
            throttle: throttle_per_second.map(Throttle::new),
            // A name that is not a valid header name cannot occur in a request: it has
            // nothing to check.
            single_headers: v3::REQUIRED_SIGNED_HEADERS
                .iter()
                .copied()
                .chain(["x-acs-security-token", "authorization"])
                .filter_map(|name| HeaderName::from_bytes(name.as_bytes()).ok())
                .collect(),
            empty_payload_sha256: signing::sha256_hex(b""),
        }
    }

    /// Runs every check on a request. Returns the format to answer in (decided as soon as
    /// the parameters are decoded; an unknown `Format` is answered as the `Accept` header
    /// asks) and, on success, the operation and its parameters.
    pub(crate) fn admit(&self, incoming: &Incoming<'_>) -> (Format, Result<Admitted<'_>, Refused>) {
        let mut format = accept_format(incoming.headers);
        let mut action = None;
        let result = self
            .check(incoming, &mut format, &mut action)
            .map_err(|error| Refused {
                error,
                action: action.map(Cow::Owned),
            });
        (format, result)
    }

    fn check(
        &self,
        incoming: &Incoming<'_>,
        format_out: &mut Format,
        action_out: &mut Option<String>,
    ) -> Result<Admitted<'_>, ApiError> {
        if incoming.method != Method::GET && incoming.method != Method::POST {
            return Err(ApiError::new(
                405,
                "UnsupportedHTTPMethod",
                format!(
                    "Specified HTTP method {} is not supported: use GET or POST.",
                    incoming.method
                ),
            ));
        }

        // 1. Parameters from the query and a form body; a name may occur only once.
        let mut query = decode_pairs(incoming.query.unwrap_or(""))?;
        let mut form = Vec::new();
        if is_form(incoming.headers) {
            let body = std::str::from_utf8(incoming.body)
                .map_err(|_| ApiError::invalid_parameter("the form body is not UTF-8 text"))?;
            form = decode_pairs(body)?;
        }
        // A V3 signature covers the query as sent, so V3 keeps its own copy; V1 signs the
        // parameters, and the pairs move into them.
        let mut params = WireParams::new();
        if incoming.headers.contains_key(header::AUTHORIZATION) {
            for (key, value) in query.iter().chain(form.iter()) {
                insert_once(&mut params, key.clone(), value.clone())?;
            }
        } else {
            for (key, value) in query.drain(..).chain(form) {
                insert_once(&mut params, key, value)?;
            }
        }

        // For the log line, even when a later check fails: the action the request named
        // until its signature is checked, the signed one after.
        let named_action = || {
            params
                .get("Action")
                .map(String::as_str)
                .or_else(|| {
                    incoming
                        .headers
                        .get(X_ACS_ACTION)
                        .and_then(|v| v.to_str().ok())
                })
                .map(str::to_owned)
        };
        let now = self.clock.now();
        let signed = self
            .check_signature(incoming, &params, &query, now, format_out)
            .inspect_err(|_| *action_out = named_action())?;
        let route = self
            .check_signed(incoming, &signed, &params, now)
            .inspect_err(|_| *action_out = Some(signed.action.to_owned()))?;
        Ok(Admitted {
            operation: route.operation,
            answer: route
                .answer
                .get_or_init(|| Answer::prepare(route.operation)),
            params,
        })
    }

    /// Checks 2 to 5: the format, then the signature.
    fn check_signature<'a>(
        &self,
        incoming: &Incoming<'a>,
        params: &'a WireParams,
        query: &[(String, String)],
        now: SystemTime,
        format_out: &mut Format,
    ) -> Result<Signed<'a>, ApiError> {
        // 2. Format, in any letter case.
        if let Some(format) = params.get("Format") {
            *format_out = parse_format(format).ok_or_else(|| ApiError::invalid_format(format))?;
        }

        // 3-5. Signature.
        match incoming.headers.get(header::AUTHORIZATION) {
            Some(authorization) => self.check_v3(incoming, authorization, query, now),
            None => self.check_v1(incoming, params, now),
        }
    }

    /// Checks 6 to 8, on a request whose signature is valid: the throttle, the version and
    /// action, the operation's parameters.
    fn check_signed(
        &self,
        incoming: &Incoming<'_>,
        signed: &Signed<'_>,
        params: &WireParams,
        now: SystemTime,
    ) -> Result<&Route, ApiError> {
        // 6. Flow control.
        if let Some(throttle) = &self.throttle
            && !throttle.admit(&signed.access_key_id, now)
        {
            return Err(ApiError::throttled());
        }

        // 7. Version and action.
        if signed.version != self.version {
            return Err(ApiError::invalid_version(signed.version, self.version));
        }
        let route = self
            .operations
            .get(signed.action)
            .ok_or_else(|| ApiError::action_not_found(signed.action))?;
        let operation = route.operation;
        let method_allowed = operation
            .methods
            .iter()
            .any(|m| m.as_str() == incoming.method.as_str());
        if !method_allowed {
            return Err(ApiError::new(
                405,
                "UnsupportedHTTPMethod",
                format!(
                    "{} does not accept HTTP method {}.",
                    operation.action, incoming.method
                ),
            ));
        }

        // 8. The operation's own parameters.
        (operation.check_wire)(params).map_err(|errors| ApiError::from_validation(&errors))?;
        Ok(route)
    }

    fn check_v1<'a>(
        &self,
        incoming: &Incoming<'_>,
        params: &'a WireParams,
        now: SystemTime,
    ) -> Result<Signed<'a>, ApiError> {
        let get = |name: &str| params.get(name).map(String::as_str);

        // The method is checked first: a client using another algorithm fails here whatever
        // else it sent.
        if let Some(method) = get("SignatureMethod")
            && method != v1::SIGNATURE_METHOD
        {
            return Err(ApiError::invalid_signature_method(method));
        }
        for name in [
            "AccessKeyId",
            "Signature",
            "SignatureMethod",
            "SignatureVersion",
            "SignatureNonce",
            "Timestamp",
        ] {
            if get(name).is_none_or(str::is_empty) {
                return Err(ApiError::incomplete_signature(format_args!(
                    "the parameter {name} is missing"
                )));
            }
        }
        let access_key_id = get("AccessKeyId").unwrap_or_default();
        let nonce = get("SignatureNonce").unwrap_or_default();
        let credentials = self
            .keys
            .get(access_key_id)
            .ok_or_else(ApiError::access_key_not_found)?;
        let signed_at = self.check_timestamp(get("Timestamp").unwrap_or_default(), now)?;

        v1::verify(
            incoming.method.as_str(),
            params,
            credentials.access_key_secret.expose(),
        )
        .map_err(|error| match error {
            v1::V1VerifyError::Mismatch(mismatch) => {
                ApiError::signature_does_not_match(mismatch.string_to_sign())
            }
            v1::V1VerifyError::UnsupportedMethod(method) => {
                ApiError::invalid_signature_method(&method)
            }
            other => ApiError::incomplete_signature(other),
        })?;

        self.check_nonce(access_key_id, nonce, now, signed_at)?;
        Ok(Signed {
            access_key_id: Cow::Borrowed(access_key_id),
            action: required_common(params, "Action")?,
            version: required_common(params, "Version")?,
        })
    }

    fn check_v3<'a>(
        &self,
        incoming: &Incoming<'a>,
        authorization: &axum::http::HeaderValue,
        query: &[(String, String)],
        now: SystemTime,
    ) -> Result<Signed<'a>, ApiError> {
        let authorization = authorization
            .to_str()
            .map_err(|_| ApiError::incomplete_signature("the Authorization header is not text"))?;
        let authorization =
            v3::Authorization::parse(authorization).map_err(|error| match error {
                v3::AuthorizationError::UnsupportedAlgorithm(found) => {
                    ApiError::invalid_signature_method(&found)
                }
                other => ApiError::incomplete_signature(other),
            })?;

        let header_text = |name: &HeaderName| {
            incoming
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .filter(|v| !v.is_empty())
        };
        let required = |name: &HeaderName| {
            header_text(name).ok_or_else(|| {
                ApiError::incomplete_signature(format_args!("the header {name} is missing"))
            })
        };
        let date = required(&X_ACS_DATE)?;
        let nonce = required(&X_ACS_SIGNATURE_NONCE)?;
        let action = required(&X_ACS_ACTION)?;
        let version = required(&X_ACS_VERSION)?;
        // The gateway reads one value of each of these, but a signature covers all values of
        // a header (sorted and joined): with two, a replay could reorder them and be read as
        // another nonce, date or action under the same signature.
        for name in &self.single_headers {
            if incoming.headers.get_all(name).iter().nth(1).is_some() {
                return Err(ApiError::incomplete_signature(format_args!(
                    "the header {name} is given more than once"
                )));
            }
        }
        let credentials = self
            .keys
            .get(authorization.access_key_id())
            .ok_or_else(ApiError::access_key_not_found)?;
        let signed_at = self.check_timestamp(date, now)?;

        // Header values that are not text cannot have been signed as text; they are left
        // out, so a request that signed one fails as a mismatch or an absent header.
        let headers: Vec<(String, String)> = incoming
            .headers
            .iter()
            .filter_map(|(name, value)| {
                value
                    .to_str()
                    .ok()
                    .map(|v| (name.as_str().to_owned(), v.to_owned()))
            })
            .collect();
        let payload_sha256 = if incoming.body.is_empty() {
            Cow::Borrowed(self.empty_payload_sha256.as_str())
        } else {
            Cow::Owned(signing::sha256_hex(incoming.body))
        };
        let received = v3::ReceivedRequest {
            method: incoming.method.as_str(),
            path: incoming.path,
            query,
            headers: &headers,
            payload_sha256: &payload_sha256,
        };
        v3::verify(
            &received,
            &authorization,
            credentials.access_key_secret.expose(),
        )
        .map_err(|error| match error {
            v3::V3VerifyError::Mismatch(mismatch) => {
                ApiError::signature_does_not_match(mismatch.string_to_sign())
            }
            other => ApiError::incomplete_signature(other),
        })?;

        self.check_nonce(authorization.access_key_id(), nonce, now, signed_at)?;
        Ok(Signed {
            access_key_id: Cow::Owned(authorization.access_key_id().to_owned()),
            action,
            version,
        })
    }

    /// Checks a request's timestamp and returns it (it is within the window of `now`).
    fn check_timestamp(&self, text: &str, now: SystemTime) -> Result<SystemTime, ApiError> {
        let timestamp = signing::parse_timestamp(text)
            .map_err(|_| ApiError::timestamp_format(text))?
            .unix_timestamp();
        let now_secs = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        if timestamp.abs_diff(now_secs) > WINDOW.as_secs() {
            return Err(ApiError::timestamp_expired(text, &format_timestamp(now)));
        }
        Ok(SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(timestamp).unwrap_or(0)))
    }

    /// Records the nonce until the request's own timestamp leaves the window: a request
    /// signed ahead of the server's clock stays acceptable for longer than one window from
    /// now, and must not be replayable once its nonce would otherwise be forgotten.
    fn check_nonce(
        &self,
        access_key_id: &str,
        nonce: &str,
        now: SystemTime,
        signed_at: SystemTime,
    ) -> Result<(), ApiError> {
        if self
            .nonces
            .insert(access_key_id, nonce, now, now.max(signed_at) + WINDOW)
        {
            Ok(())
        } else {
            Err(ApiError::nonce_used())
        }
    }
}

/// What a valid signature vouches for.
#[derive(Debug)]
struct Signed<'a> {
    access_key_id: Cow<'a, str>,
    action: &'a str,
    version: &'a str,
}

/// Adds a parameter; a name may occur only once.
fn insert_once(params: &mut WireParams, key: String, value: String) -> Result<(), ApiError> {
    match params.entry(key) {
        Entry::Vacant(slot) => {
            slot.insert(value);
            Ok(())
        }
        Entry::Occupied(slot) => Err(ApiError::invalid_parameter(format_args!(
            "the parameter {} is given more than once",
            slot.key()
        ))),
    }
}

fn required_common<'a>(params: &'a WireParams, name: &str) -> Result<&'a str, ApiError> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::missing_parameter(name))
}

/// `JSON` or `XML` in any letter case.
pub(crate) fn parse_format(text: &str) -> Option<Format> {
    if text.eq_ignore_ascii_case("json") {
        Some(Format::Json)
    } else if text.eq_ignore_ascii_case("xml") {
        Some(Format::Xml)
    } else {
        None
    }
}

/// Without `Format`, JSON when the request accepts `application/json`, XML otherwise.
fn accept_format(headers: &HeaderMap) -> Format {
    let accepts_json = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|media| {
            media
                .split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
    if accepts_json {
        Format::Json
    } else {
        Format::Xml
    }
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| {
            m.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}
