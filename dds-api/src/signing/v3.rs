//! Signature V3: `ACS3-HMAC-SHA256`, what today's official SDKs send by default.
//!
//! ```text
//! CanonicalRequest = METHOD \n enc-path \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n hex(sha256(body))
//! CanonicalQuery   = k1=enc(v1)&k2=enc(v2)...    sorted by key, bytewise; `k=` when the value is empty
//! CanonicalHeaders = name:trimmed-value\n ...    lower-case names, sorted
//! StringToSign     = ACS3-HMAC-SHA256 \n hex(sha256(CanonicalRequest))
//! Signature        = hex(HMAC-SHA256(AccessKeySecret, StringToSign))
//! Authorization    = ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b>,Signature=<hex>
//! ```
//!
//! Keys in the canonical query are percent-encoded too, as Alibaba's documented sample does.
//! The official Python and Node clients write keys raw; for every key they send (letters,
//! digits and dots, such as `Tag.1.Key`) both forms are the same bytes, and the encoded form
//! keeps the canonical text unambiguous for any key.

use std::fmt;
use std::str::FromStr;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::encode::{Hex, encode_into, encode_path_into};
use super::{ParamPair, RedactedPairs};

/// The algorithm name, first word of the `Authorization` header and of the string to sign.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Headers a request must sign for the server to trust what it names: the endpoint, the
/// operation, the freshness and replay guards and the body.
pub const REQUIRED_SIGNED_HEADERS: &[&str] = &[
    "host",
    "x-acs-action",
    "x-acs-content-sha256",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-version",
];

/// `k=enc(v)` of every query parameter, sorted by key (byte order, then value), joined
/// with `&`.
pub fn canonical_query<P: ParamPair>(params: impl IntoIterator<Item = P>) -> String {
    let params: Vec<P> = params.into_iter().collect();
    let mut pairs: Vec<(&str, &str)> = params
        .iter()
        .map(|pair| (pair.key(), pair.value()))
        .collect();
    pairs.sort_unstable();
    let mut out = String::new();
    write_canonical_query(&mut out, pairs);
    out
}

/// Appends the canonical query of `pairs`, which are sorted already.
pub(crate) fn write_canonical_query<'p>(
    out: &mut String,
    pairs: impl IntoIterator<Item = (&'p str, &'p str)>,
) {
    for (index, (key, value)) in pairs.into_iter().enumerate() {
        if index > 0 {
            out.push('&');
        }
        encode_into(out, key, "%");
        out.push('=');
        encode_into(out, value, "%");
    }
}

/// The canonical headers block (`name:value\n` per signed header) for the header names in
/// `signed` (lower case, in the order given), looked up case-insensitively in `headers`.
///
/// Values are trimmed; a header that occurs more than once contributes its values sorted and
/// joined with `,`, as the official clients do. A signed header the request lacks is an error.
pub fn canonical_headers<P: ParamPair>(
    headers: &[P],
    signed: &[&str],
) -> Result<String, V3VerifyError> {
    let mut out = String::with_capacity(512);
    for &name in signed {
        let mut values = headers
            .iter()
            .filter(|header| header.key().eq_ignore_ascii_case(name))
            .map(|header| header.value().trim());
        let Some(first) = values.next() else {
            return Err(V3VerifyError::SignedHeaderAbsent(name.to_owned()));
        };
        out.push_str(name);
        out.push(':');
        match values.next() {
            // The usual case, one value: nothing to sort or join.
            None => out.push_str(first),
            Some(second) => {
                let mut all: Vec<&str> = [first, second].into_iter().chain(values).collect();
                all.sort_unstable();
                out.push_str(&all.join(","));
            }
        }
        out.push('\n');
    }
    Ok(out)
}

/// Joins the parts of a canonical request with newlines. `path` is the decoded request path
/// (`/` for RPC); it is percent-encoded here, keeping its `/` separators.
pub fn canonical_request(
    method: &str,
    path: &str,
    canonical_query: &str,
    canonical_headers: &str,
    signed_headers: &str,
    payload_sha256: &str,
) -> String {
    let mut out = String::with_capacity(
        method.len()
            + path.len()
            + canonical_query.len()
            + canonical_headers.len()
            + signed_headers.len()
            + payload_sha256.len()
            + 5,
    );
    write_canonical_request(
        &mut out,
        CanonicalParts {
            method,
            path,
            canonical_query,
            signed_headers,
            payload_sha256,
        },
        |out| out.push_str(canonical_headers),
    );
    out
}

/// The parts of a canonical request other than its canonical headers.
pub(crate) struct CanonicalParts<'a> {
    pub(crate) method: &'a str,
    /// The decoded path; it is encoded here.
    pub(crate) path: &'a str,
    pub(crate) canonical_query: &'a str,
    pub(crate) signed_headers: &'a str,
    pub(crate) payload_sha256: &'a str,
}

/// Appends the canonical request to `out`; `write_headers` appends the canonical headers
/// (each `name:value\n`), so the signer can write them straight from its header list.
pub(crate) fn write_canonical_request(
    out: &mut String,
    parts: CanonicalParts<'_>,
    write_headers: impl FnOnce(&mut String),
) {
    out.push_str(parts.method);
    out.push('\n');
    encode_path_into(out, parts.path);
    out.push('\n');
    out.push_str(parts.canonical_query);
    out.push('\n');
    write_headers(out);
    out.push('\n');
    out.push_str(parts.signed_headers);
    out.push('\n');
    out.push_str(parts.payload_sha256);
}

/// `ACS3-HMAC-SHA256\n` + hex(sha256(canonical request)).
pub fn string_to_sign(canonical_request: &str) -> String {
    StringToSign::of(canonical_request).as_str().to_owned()
}

/// Lower-case hex of HMAC-SHA256 keyed with the secret itself (no `&`).
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    Signature::compute(secret, string_to_sign)
        .as_str()
        .to_owned()
}

/// The string to sign, on the stack: the algorithm, a newline and 64 hex digits.
pub(crate) struct StringToSign([u8; ALGORITHM.len() + 1 + 64]);

impl StringToSign {
    pub(crate) fn of(canonical_request: &str) -> Self {
        let mut out = [b'\n'; ALGORITHM.len() + 1 + 64];
        out[..ALGORITHM.len()].copy_from_slice(ALGORITHM.as_bytes());
        let digest = Hex::<64>::of(&Sha256::digest(canonical_request.as_bytes()));
        out[ALGORITHM.len() + 1..].copy_from_slice(digest.as_str().as_bytes());
        StringToSign(out)
    }

    pub(crate) fn as_str(&self) -> &str {
        // The algorithm name, a newline and hex digits: ASCII.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// A V3 signature: 64 hex digits on the stack.
pub(crate) struct Signature(Hex<64>);

impl Signature {
    pub(crate) fn compute(secret: &str, string_to_sign: &str) -> Self {
        // HMAC takes keys of any length, so this constructor cannot fail.
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key");
        mac.update(string_to_sign.as_bytes());
        Signature(Hex::of(&mac.finalize().into_bytes()))
    }

    pub(crate) fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// The value of the `Authorization` header.
pub fn authorization_header(access_key_id: &str, signed_headers: &str, signature: &str) -> String {
    let parts = [
        ALGORITHM,
        " Credential=",
        access_key_id,
        ",SignedHeaders=",
        signed_headers,
        ",Signature=",
        signature,
    ];
    let mut out = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// A parsed `Authorization` header:
/// `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b>,Signature=<hex>`.
#[derive(Clone, PartialEq, Eq)]
pub struct Authorization {
    access_key_id: String,
    signed_headers: Vec<String>,
    signature: String,
}

impl Authorization {
    /// Parses and checks the header value. The three fields may come in any order, each once;
    /// spaces after the commas are allowed. Header names must be lower case and not empty,
    /// and the signature 64 lower-case hex digits.
    pub fn parse(value: &str) -> Result<Self, AuthorizationError> {
        let value = value.trim();
        let (algorithm, fields) = value.split_once(' ').unwrap_or((value, ""));
        if algorithm != ALGORITHM {
            return Err(AuthorizationError::UnsupportedAlgorithm(
                // Only the first word is echoed; the rest may hold the signature.
                algorithm.chars().take(40).collect(),
            ));
        }

        let mut access_key_id = None;
        let mut signed_headers = None;
        let mut signature = None;
        for field in fields.split(',') {
            let field = field.trim();
            let Some((name, content)) = field.split_once('=') else {
                return Err(AuthorizationError::Malformed(
                    "expected `Name=value` fields separated by `,`",
                ));
            };
            let slot = match name {
                "Credential" => &mut access_key_id,
                "SignedHeaders" => &mut signed_headers,
                "Signature" => &mut signature,
                _ => {
                    return Err(AuthorizationError::UnknownField(
                        name.chars().take(40).collect(),
                    ));
                }
            };
            if slot.replace(content).is_some() {
                return Err(AuthorizationError::DuplicateField(field_name(name)));
            }
        }

        let access_key_id = access_key_id.ok_or(AuthorizationError::MissingField("Credential"))?;
        if access_key_id.is_empty() {
            return Err(AuthorizationError::EmptyField("Credential"));
        }
        // A space or `=` here means the fields were not separated by commas, and the rest of
        // the header (signature included) ran into this field.
        if !access_key_id
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'=')
        {
            return Err(AuthorizationError::InvalidCredential);
        }
        let signed_headers =
            signed_headers.ok_or(AuthorizationError::MissingField("SignedHeaders"))?;
        if signed_headers.is_empty() {
            return Err(AuthorizationError::EmptyField("SignedHeaders"));
        }
        let signed_headers: Vec<String> = signed_headers.split(';').map(str::to_owned).collect();
        if let Some(bad) = signed_headers.iter().find(|name| !is_header_name(name)) {
            return Err(AuthorizationError::InvalidHeaderName(
                bad.chars().take(64).collect(),
            ));
        }
        let signature = signature.ok_or(AuthorizationError::MissingField("Signature"))?;
        if signature.len() != 64
            || !signature
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(AuthorizationError::InvalidSignature);
        }

        Ok(Authorization {
            access_key_id: access_key_id.to_owned(),
            signed_headers,
            signature: signature.to_owned(),
        })
    }

    /// The `Credential` field: the AccessKeyId that claims to have signed.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The `SignedHeaders` field, in the order the request names them.
    pub fn signed_headers(&self) -> &[String] {
        &self.signed_headers
    }

    /// The `Signature` field (64 lower-case hex digits).
    pub fn signature(&self) -> &str {
        &self.signature
    }
}

impl FromStr for Authorization {
    type Err = AuthorizationError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Authorization::parse(value)
    }
}

impl fmt::Debug for Authorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authorization")
            .field("access_key_id", &self.access_key_id)
            .field("signed_headers", &self.signed_headers)
            .field("signature", &"***")
            .finish()
    }
}

fn field_name(name: &str) -> &'static str {
    match name {
        "Credential" => "Credential",
        "SignedHeaders" => "SignedHeaders",
        _ => "Signature",
    }
}

fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// What is wrong with an `Authorization` header. Messages never repeat the signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthorizationError {
    /// The first word is not `ACS3-HMAC-SHA256`.
    #[error("the Authorization algorithm `{0}` is not supported; expected `ACS3-HMAC-SHA256`")]
    UnsupportedAlgorithm(String),
    /// The fields after the algorithm do not have the `Name=value,...` shape.
    #[error("the Authorization header is malformed: {0}")]
    Malformed(&'static str),
    /// A field other than Credential, SignedHeaders and Signature.
    #[error("the Authorization header has an unknown field `{0}`")]
    UnknownField(String),
    /// A field occurs twice.
    #[error("the Authorization header names `{0}` twice")]
    DuplicateField(&'static str),
    /// A required field is absent.
    #[error("the Authorization header has no `{0}` field")]
    MissingField(&'static str),
    /// A required field is empty.
    #[error("the Authorization header's `{0}` field is empty")]
    EmptyField(&'static str),
    /// The `Credential` field holds spaces, `=` or other characters no AccessKeyId has.
    #[error(
        "the Authorization `Credential` field is not an AccessKeyId (are the fields separated by `,`?)"
    )]
    InvalidCredential,
    /// A `SignedHeaders` entry is not a lower-case header name.
    #[error("`SignedHeaders` entry `{0}` is not a lower-case header name")]
    InvalidHeaderName(String),
    /// The signature is not 64 lower-case hex digits.
    #[error("the Authorization signature is not 64 lower-case hex digits")]
    InvalidSignature,
}

impl AuthorizationError {
    /// The gateway error code that answers this failure.
    pub fn gateway_code(&self) -> &'static str {
        match self {
            AuthorizationError::UnsupportedAlgorithm(_) => "InvalidSignatureMethod",
            _ => "IncompleteSignature",
        }
    }
}

/// A V3 request as the server received it, decoded. `Debug` hides the `authorization` and
/// `x-acs-security-token` headers.
#[derive(Clone, Copy)]
pub struct ReceivedRequest<'a> {
    /// HTTP method, upper case (`POST`).
    pub method: &'a str,
    /// Decoded request path (`/`).
    pub path: &'a str,
    /// Decoded query parameters.
    pub query: &'a [(String, String)],
    /// Request headers, names in any case, as received (`host` with its port).
    pub headers: &'a [(String, String)],
    /// Lower-case hex SHA-256 of the body as received ([`sha256_hex`](super::sha256_hex)).
    pub payload_sha256: &'a str,
}

impl fmt::Debug for ReceivedRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReceivedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &RedactedPairs(self.query))
            .field("headers", &RedactedPairs(self.headers))
            .field("payload_sha256", &self.payload_sha256)
            .finish()
    }
}

/// Checks a received V3 request against its parsed `Authorization` header, with the secret of
/// the AccessKeyId it names. Uses the headers the request says it signed, and requires those
/// in [`REQUIRED_SIGNED_HEADERS`] (and `x-acs-security-token` when the request carries one)
/// among them. The comparison takes the same time wherever the first difference is.
pub fn verify(
    request: &ReceivedRequest<'_>,
    authorization: &Authorization,
    secret: &str,
) -> Result<(), V3VerifyError> {
    let signed: Vec<&str> = authorization
        .signed_headers()
        .iter()
        .map(String::as_str)
        .collect();
    for &required in REQUIRED_SIGNED_HEADERS {
        if !signed.contains(&required) {
            return Err(V3VerifyError::HeaderNotSigned(required.to_owned()));
        }
    }
    let has_token = request
        .headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("x-acs-security-token"));
    if has_token && !signed.contains(&"x-acs-security-token") {
        return Err(V3VerifyError::HeaderNotSigned(
            "x-acs-security-token".to_owned(),
        ));
    }

    let canonical_headers = canonical_headers(request.headers, &signed)?;
    let canonical_request = canonical_request(
        request.method,
        request.path,
        &canonical_query(request.query),
        &canonical_headers,
        &signed.join(";"),
        request.payload_sha256,
    );
    let string_to_sign = StringToSign::of(&canonical_request);
    let expected = Signature::compute(secret, string_to_sign.as_str());
    if bool::from(
        expected
            .as_str()
            .as_bytes()
            .ct_eq(authorization.signature().as_bytes()),
    ) {
        Ok(())
    } else {
        Err(V3VerifyError::Mismatch(V3SignatureMismatch {
            canonical_request,
            string_to_sign: string_to_sign.as_str().to_owned(),
        }))
    }
}

/// Why a V3 request failed verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum V3VerifyError {
    /// A header that must be signed is missing from `SignedHeaders`.
    #[error("header `{0}` must be listed in SignedHeaders")]
    HeaderNotSigned(String),
    /// `SignedHeaders` names a header the request does not carry.
    #[error("SignedHeaders names `{0}`, which the request does not carry")]
    SignedHeaderAbsent(String),
    /// The signature is not the one the server computes.
    #[error("{0}")]
    Mismatch(V3SignatureMismatch),
}

impl V3VerifyError {
    /// The gateway error code that answers this failure.
    pub fn gateway_code(&self) -> &'static str {
        match self {
            V3VerifyError::HeaderNotSigned(_) | V3VerifyError::SignedHeaderAbsent(_) => {
                "IncompleteSignature"
            }
            V3VerifyError::Mismatch(_) => "SignatureDoesNotMatch",
        }
    }
}

/// A V3 signature that differs from the server's, with what the server computed.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("the request signature does not match the signature the server computes")]
pub struct V3SignatureMismatch {
    canonical_request: String,
    string_to_sign: String,
}

impl V3SignatureMismatch {
    /// The server's canonical request. It holds the signed header values, including an
    /// `x-acs-security-token`, so it belongs in the answer to the sender, not in logs.
    pub fn canonical_request(&self) -> &str {
        &self.canonical_request
    }

    /// The server's string to sign (`ACS3-HMAC-SHA256\n<hex>`).
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }
}

impl fmt::Debug for V3SignatureMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The canonical request may hold a security token; show only its size.
        f.debug_struct("V3SignatureMismatch")
            .field(
                "canonical_request",
                &format_args!("<{} bytes>", self.canonical_request.len()),
            )
            .field("string_to_sign", &self.string_to_sign)
            .finish()
    }
}
