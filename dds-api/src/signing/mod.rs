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

use std::borrow::Cow;
use std::fmt;

use time::OffsetDateTime;

use crate::credentials::Credentials;

pub use encode::{
    TimestampError, format_timestamp, hex_lower, parse_timestamp, percent_encode,
    percent_encode_path, sha256_hex,
};

use encode::{Timestamp, encode_into};

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

/// What the signer adds to one attempt: the query string and the headers to send. `Debug`
/// hides the signature and the security token.
///
/// Header values borrow from the [`SigningRequest`], the credentials and the nonce where they
/// can: an attempt is signed and sent right away, and copying them would only cost time.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest<'a> {
    /// The query string, percent-encoded and without the leading `?`: the pairs in
    /// canonical order (sorted by name), which is how the official clients send them too.
    /// [`query_pairs`](Self::query_pairs) decodes it.
    pub query: String,
    /// Headers, lower-case names. They include `host`; an HTTP client that writes the same
    /// `Host` from the URL may leave that one out.
    pub headers: Vec<(&'static str, Cow<'a, str>)>,
}

impl SignedRequest<'_> {
    /// The query parameters, decoded, in the order they are sent.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        // The query is written with `%20` for a space and `%2B` for `+`, so form decoding
        // (where `+` would mean a space) reads it back exactly.
        form_urlencoded::parse(self.query.as_bytes())
            .into_owned()
            .collect()
    }

    /// The headers as owned pairs, in the order they are sent.
    pub fn header_pairs(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value.clone().into_owned()))
            .collect()
    }

    /// The same request, owning its header values, so it can outlive what it was signed
    /// from.
    pub fn into_owned(self) -> SignedRequest<'static> {
        SignedRequest {
            query: self.query,
            headers: self
                .headers
                .into_iter()
                .map(|(name, value)| (name, Cow::Owned(value.into_owned())))
                .collect(),
        }
    }

    /// The value of the header `name` (lower case), when the signer set it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| *header == name)
            .map(|(_, value)| value.as_ref())
    }
}

/// Parameter and header names whose values are secret or as good as secret.
const REDACTED_NAMES: &[&str] = &[
    "Signature",
    "SecurityToken",
    "authorization",
    "x-acs-security-token",
];

/// Debug view of a parameter or header list with the secret values replaced by `***`.
pub(crate) struct RedactedPairs<'a, P>(pub(crate) &'a [P]);

impl<P: ParamPair> fmt::Debug for RedactedPairs<'_, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for pair in self.0 {
            let (name, value) = (pair.key(), pair.value());
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

impl fmt::Debug for SignedRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedRequest")
            .field("query", &RedactedPairs(&self.query_pairs()))
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
pub fn sign<'a>(
    request: &SigningRequest<'a>,
    credentials: &'a Credentials,
    version: SignatureVersion,
    timestamp: OffsetDateTime,
    nonce: &'a str,
) -> SignedRequest<'a> {
    let timestamp = Timestamp::of(timestamp);
    // Both versions take the operation's parameters in canonical order. Generated requests
    // list them sorted already (most do), and then they are used as they are; otherwise
    // they are sorted here, borrowed.
    let borrowed = |(key, value): &'a (String, String)| (key.as_str(), value.as_str());
    let pairs = request.params.iter().map(borrowed);
    let signed = if pairs
        .clone()
        .is_sorted_by(|a, b| canonical_order(a, b).is_le())
    {
        sign_pairs(request, pairs, credentials, version, &timestamp, nonce)
    } else {
        let mut sorted: Vec<(&str, &str)> = pairs.collect();
        sorted.sort_unstable_by(canonical_order);
        let pairs = sorted.iter().copied();
        sign_pairs(request, pairs, credentials, version, &timestamp, nonce)
    };
    tracing::trace!(
        action = request.action,
        signature_version = %version,
        nonce,
        timestamp = timestamp.as_str(),
        sts = credentials.security_token.is_some(),
        "signed request"
    );
    signed
}

/// The canonical order of parameters: by name, then by value, byte by byte.
///
/// The same order as comparing the tuples, written as a plain loop: names are short and
/// mostly differ in their first bytes, where a call to the C library's `memcmp` costs more
/// than the comparison itself.
fn canonical_order(a: &(&str, &str), b: &(&str, &str)) -> std::cmp::Ordering {
    fn bytes(text: &str) -> impl Iterator<Item = u8> + '_ {
        text.as_bytes().iter().copied()
    }
    bytes(a.0)
        .cmp(bytes(b.0))
        .then_with(|| bytes(a.1).cmp(bytes(b.1)))
}

/// The value of a V1 common parameter.
#[derive(Clone, Copy)]
enum CommonValue<'v> {
    /// Given by the caller or the request: encoded like any value.
    Given(&'v str),
    /// One of the signer's own constants, which needs no encoding.
    Constant(&'static str),
}

use CommonValue::{Constant, Given};

impl<'v> CommonValue<'v> {
    fn text(self) -> &'v str {
        match self {
            Given(text) | Constant(text) => text,
        }
    }
}

/// Signs with the operation's parameters given in canonical order.
fn sign_pairs<'a, 'p>(
    request: &SigningRequest<'a>,
    params: impl Iterator<Item = (&'p str, &'p str)> + Clone,
    credentials: &'a Credentials,
    version: SignatureVersion,
    timestamp: &Timestamp,
    nonce: &'a str,
) -> SignedRequest<'a> {
    match version {
        SignatureVersion::V1 => sign_v1(request, params, credentials, timestamp.as_str(), nonce),
        SignatureVersion::V3 => sign_v3(request, params, credentials, timestamp.as_str(), nonce),
    }
}

/// `accept`: the answer is asked for in JSON (V1 also says so with `Format=JSON`).
const ACCEPT: (&str, Cow<'static, str>) = ("accept", Cow::Borrowed("application/json"));

fn sign_v1<'a, 'p>(
    request: &SigningRequest<'a>,
    params: impl Iterator<Item = (&'p str, &'p str)> + Clone,
    credentials: &Credentials,
    timestamp: &str,
    nonce: &str,
) -> SignedRequest<'a> {
    // The common parameters, in canonical order (a test checks it), merged with the
    // operation's sorted parameters rather than sorted with them.
    let token = credentials.security_token.as_ref().map(|t| t.expose());
    let common = [
        Some((
            &v1::ACCESS_KEY_ID,
            Given(credentials.access_key_id.as_str()),
        )),
        Some((&v1::ACTION, Given(request.action))),
        Some((&v1::FORMAT, Constant("JSON"))),
        token.map(|token| (&v1::SECURITY_TOKEN, Given(token))),
        Some((&v1::SIGNATURE_METHOD_NAME, Constant(v1::SIGNATURE_METHOD))),
        Some((&v1::SIGNATURE_NONCE, Given(nonce))),
        Some((&v1::SIGNATURE_VERSION_NAME, Constant(v1::SIGNATURE_VERSION))),
        Some((&v1::TIMESTAMP, Given(timestamp))),
        Some((&v1::VERSION, Given(request.version))),
    ];
    let mut common = common.into_iter().flatten().peekable();
    let size: usize = params
        .clone()
        .map(|(k, v)| k.len() + v.len() + 2)
        .sum::<usize>()
        + 400;
    let mut query = String::with_capacity(size);
    let mut string_to_sign = String::with_capacity(size + size / 2);
    let mut writer = v1::SigningText::new(request.method.as_str(), &mut string_to_sign, &mut query);
    let mut own = params
        .filter(|(key, _)| *key != v1::SIGNATURE_PARAM)
        .peekable();
    loop {
        let own_first = match (own.peek(), common.peek()) {
            (Some(own), Some((name, value))) => {
                canonical_order(own, &(name.name, value.text())).is_le()
            }
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        if own_first {
            if let Some((key, value)) = own.next() {
                writer.push(key, value);
            }
        } else if let Some((name, value)) = common.next() {
            match value {
                Given(value) => writer.push_common(name, value),
                Constant(value) => writer.push_common_constant(name, value),
            }
        }
    }

    let signature = v1::Signature::compute(credentials.access_key_secret.expose(), &string_to_sign);
    query.push('&');
    query.push_str(v1::SIGNATURE_PARAM);
    query.push('=');
    encode_into(&mut query, signature.as_str(), "%");

    SignedRequest {
        query,
        headers: vec![ACCEPT],
    }
}

/// `x-acs-content-sha256` of an empty body, the body of every RPC call.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn sign_v3<'a, 'p>(
    request: &SigningRequest<'a>,
    params: impl Iterator<Item = (&'p str, &'p str)> + Clone,
    credentials: &'a Credentials,
    timestamp: &str,
    nonce: &'a str,
) -> SignedRequest<'a> {
    let payload_sha256 = if request.body.is_empty() {
        Cow::Borrowed(EMPTY_SHA256)
    } else {
        Cow::Owned(sha256_hex(request.body))
    };
    let token = credentials.security_token.as_ref().map(|t| t.expose());
    // Every header here is signed, and they are listed in canonical order (a test checks it).
    let mut headers: Vec<(&'static str, Cow<'a, str>)> = Vec::with_capacity(9);
    headers.extend([
        ("host", Cow::Borrowed(request.host)),
        ("x-acs-action", Cow::Borrowed(request.action)),
        ("x-acs-content-sha256", payload_sha256),
        ("x-acs-date", Cow::Owned(timestamp.to_owned())),
    ]);
    if let Some(token) = token {
        headers.push(("x-acs-security-token", Cow::Borrowed(token)));
    }
    headers.extend([
        ("x-acs-signature-nonce", Cow::Borrowed(nonce)),
        ("x-acs-version", Cow::Borrowed(request.version)),
    ]);
    let signed_headers = if token.is_some() {
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version"
    } else {
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
    };

    let mut query = String::with_capacity(
        params
            .clone()
            .map(|(k, v)| k.len() + v.len() + 2)
            .sum::<usize>()
            + 16,
    );
    v3::write_canonical_query(&mut query, params);

    let mut canonical_request = String::with_capacity(query.len() + 512);
    let parts = v3::CanonicalParts {
        method: request.method.as_str(),
        path: request.path,
        canonical_query: &query,
        signed_headers,
        payload_sha256: &headers[2].1,
    };
    v3::write_canonical_request(&mut canonical_request, parts, |out| {
        for (name, value) in &headers {
            out.push_str(name);
            out.push(':');
            out.push_str(value.trim());
            out.push('\n');
        }
    });

    let string_to_sign = v3::StringToSign::of(&canonical_request);
    let signature = v3::Signature::compute(
        credentials.access_key_secret.expose(),
        string_to_sign.as_str(),
    );
    headers.push((
        "authorization",
        Cow::Owned(v3::authorization_header(
            credentials.access_key_id.as_str(),
            signed_headers,
            signature.as_str(),
        )),
    ));
    headers.push(ACCEPT);
    SignedRequest { query, headers }
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
