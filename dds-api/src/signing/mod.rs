//! Request signing: Alibaba Cloud's signature V1 (HMAC-SHA1) and V3 (ACS3-HMAC-SHA256).
//!
//! Everything here is a pure function of its inputs: the time and the nonce are passed in,
//! never read inside, so a signature can be reproduced exactly. Only [`new_nonce`] and
//! [`now`] touch the outside world; the transport calls them once per attempt.
//!
//! The same functions sign in the SDK and verify in the emulator:
//! - [`sign`] turns an operation's parameters into the query and headers to send;
//! - [`v1::verify`] and [`v3::verify`] check a received request;
//! - the lower-level steps ([`v1::string_to_sign`], [`v3::canonical_request`], ...) are
//!   public so tests and error messages can show each stage.

mod encode;
pub mod v1;
pub mod v3;

use std::fmt;

use time::OffsetDateTime;

use crate::credentials::Credentials;

pub use encode::{
    TimestampError, format_timestamp, hex_lower, parse_timestamp, percent_encode,
    percent_encode_path, sha256_hex,
};

/// A key and a value, as parameter lists and header lists hold them.
///
/// Implemented for `(K, V)` and `&(K, V)` with string-like parts, so a slice of pairs, a
/// `BTreeMap<String, String>` or an iterator of `(&str, &str)` all serve as input.
pub trait ParamPair {
    /// The key (parameter or header name).
    fn key(&self) -> &str;
    /// The value.
    fn value(&self) -> &str;
}

impl<K: AsRef<str>, V: AsRef<str>> ParamPair for (K, V) {
    fn key(&self) -> &str {
        self.0.as_ref()
    }
    fn value(&self) -> &str {
        self.1.as_ref()
    }
}

impl<K: AsRef<str>, V: AsRef<str>> ParamPair for &(K, V) {
    fn key(&self) -> &str {
        self.0.as_ref()
    }
    fn value(&self) -> &str {
        self.1.as_ref()
    }
}

pub use crate::operation::HttpMethod;

/// Which signature the SDK puts on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SignatureVersion {
    /// HMAC-SHA1 over the parameters, everything in the query (`SignatureVersion=1.0`).
    V1,
    /// `ACS3-HMAC-SHA256` in the `Authorization` header: the default, as in the official SDKs.
    #[default]
    V3,
}

impl fmt::Display for SignatureVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SignatureVersion::V1 => "V1 (HMAC-SHA1)",
            SignatureVersion::V3 => "V3 (ACS3-HMAC-SHA256)",
        })
    }
}

/// What the transport knows about one call before it is signed.
#[derive(Debug, Clone, Copy)]
pub struct SigningRequest<'a> {
    /// The HTTP method the request is sent with.
    pub method: HttpMethod,
    /// The endpoint host, with `:port` when the port is not the scheme's default (this is
    /// what an HTTP client puts in its `Host` header, and V3 signs it).
    pub host: &'a str,
    /// The decoded request path, `/` for RPC operations. V1 always signs `/`.
    pub path: &'a str,
    /// The operation's action name (`ModifyDBInstanceSSL`).
    pub action: &'a str,
    /// The API version (`2015-12-01`).
    pub version: &'a str,
    /// The operation's own wire parameters; they all travel in the query.
    pub params: &'a [(String, String)],
    /// The body the request is sent with (empty for RPC operations).
    pub body: &'a [u8],
}

/// The query parameters and headers to send: the transport adds them to the request as they
/// are. `Debug` hides the signature and the security token.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// Query parameters, in the order to send them (unencoded; the transport encodes them).
    pub query: Vec<(String, String)>,
    /// Headers, lower-case names. They include `host`; an HTTP client that writes the same
    /// `Host` from the URL may leave that one out.
    pub headers: Vec<(String, String)>,
}

/// Parameter and header names whose values are secret or as good as secret.
const REDACTED_NAMES: &[&str] = &[
    "Signature",
    "SecurityToken",
    "authorization",
    "x-acs-security-token",
];

/// Debug view of a parameter or header list with the secret values replaced by `***`.
pub(crate) struct RedactedPairs<'a>(pub(crate) &'a [(String, String)]);

impl fmt::Debug for RedactedPairs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (name, value) in self.0 {
            if REDACTED_NAMES
                .iter()
                .any(|secret| secret.eq_ignore_ascii_case(name))
            {
                list.entry(&(name, "***"));
            } else {
                list.entry(&(name, value));
            }
        }
        list.finish()
    }
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedRequest")
            .field("query", &RedactedPairs(&self.query))
            .field("headers", &RedactedPairs(&self.headers))
            .finish()
    }
}

/// Signs one attempt of a call.
///
/// `timestamp` and `nonce` must be fresh for every attempt (a retry signs again): take them
/// from [`now`] and [`new_nonce`]. With STS credentials the security token is added and signed
/// (`SecurityToken` parameter in V1, `x-acs-security-token` header in V3).
///
/// - V1: the query holds the operation's parameters plus `Action`, `Version`, `Format=JSON`,
///   `AccessKeyId`, `SignatureMethod`, `SignatureVersion`, `SignatureNonce`, `Timestamp`,
///   `SecurityToken` (with STS) and `Signature`; the headers only `accept: application/json`.
/// - V3: the query holds the operation's parameters; the headers are `host`, `x-acs-action`,
///   `x-acs-version`, `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256`,
///   `x-acs-security-token` (with STS), all signed, plus `authorization` and
///   `accept: application/json`.
pub fn sign(
    request: &SigningRequest<'_>,
    credentials: &Credentials,
    version: SignatureVersion,
    timestamp: OffsetDateTime,
    nonce: &str,
) -> SignedRequest {
    let timestamp = format_timestamp(timestamp);
    let signed = match version {
        SignatureVersion::V1 => sign_v1(request, credentials, &timestamp, nonce),
        SignatureVersion::V3 => sign_v3(request, credentials, &timestamp, nonce),
    };
    tracing::trace!(
        action = request.action,
        signature_version = %version,
        nonce,
        timestamp = %timestamp,
        sts = credentials.security_token.is_some(),
        "signed request"
    );
    signed
}

fn sign_v1(
    request: &SigningRequest<'_>,
    credentials: &Credentials,
    timestamp: &str,
    nonce: &str,
) -> SignedRequest {
    let mut query = request.params.to_vec();
    let common = [
        ("Action", request.action),
        ("Version", request.version),
        ("Format", "JSON"),
        ("AccessKeyId", credentials.access_key_id.as_str()),
        ("SignatureMethod", v1::SIGNATURE_METHOD),
        ("SignatureVersion", v1::SIGNATURE_VERSION),
        ("SignatureNonce", nonce),
        ("Timestamp", timestamp),
    ];
    query.extend(
        common
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    if let Some(token) = &credentials.security_token {
        query.push(("SecurityToken".to_owned(), token.expose().to_owned()));
    }

    let string_to_sign = v1::string_to_sign(request.method.as_str(), &query);
    let signature = v1::signature(credentials.access_key_secret.expose(), &string_to_sign);
    query.push((v1::SIGNATURE_PARAM.to_owned(), signature));

    SignedRequest {
        query,
        headers: vec![("accept".to_owned(), "application/json".to_owned())],
    }
}

fn sign_v3(
    request: &SigningRequest<'_>,
    credentials: &Credentials,
    timestamp: &str,
    nonce: &str,
) -> SignedRequest {
    let payload_sha256 = sha256_hex(request.body);
    let mut headers: Vec<(String, String)> = [
        ("host", request.host),
        ("x-acs-action", request.action),
        ("x-acs-content-sha256", &payload_sha256),
        ("x-acs-date", timestamp),
        ("x-acs-signature-nonce", nonce),
        ("x-acs-version", request.version),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    if let Some(token) = &credentials.security_token {
        headers.push(("x-acs-security-token".to_owned(), token.expose().to_owned()));
    }
    headers.sort();

    // Every header so far is signed; all of them are present, so the canonical form exists.
    let names: Vec<&str> = headers.iter().map(|(name, _)| name.as_str()).collect();
    let signed_headers = names.join(";");
    let canonical_headers =
        v3::canonical_headers(&headers, &names).expect("every signed header was just added");
    let canonical_request = v3::canonical_request(
        request.method.as_str(),
        request.path,
        &v3::canonical_query(request.params),
        &canonical_headers,
        &signed_headers,
        &payload_sha256,
    );
    let string_to_sign = v3::string_to_sign(&canonical_request);
    let signature = v3::signature(credentials.access_key_secret.expose(), &string_to_sign);

    headers.push((
        "authorization".to_owned(),
        v3::authorization_header(
            credentials.access_key_id.as_str(),
            &signed_headers,
            &signature,
        ),
    ));
    headers.push(("accept".to_owned(), "application/json".to_owned()));
    SignedRequest {
        query: request.params.to_vec(),
        headers,
    }
}

/// A fresh `SignatureNonce` / `x-acs-signature-nonce`: 128 random bits from the operating
/// system, as 32 lower-case hex characters. Reads the system's random source; call it once
/// per attempt.
pub fn new_nonce() -> Result<String, NonceError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|source| NonceError {
        reason: source.to_string(),
    })?;
    Ok(hex_lower(&bytes))
}

/// The current time, for the timestamp of a new attempt. Reads the system clock.
pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// The operating system's random source failed, so no nonce could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("could not read random bytes for the signature nonce: {reason}")]
pub struct NonceError {
    reason: String,
}
