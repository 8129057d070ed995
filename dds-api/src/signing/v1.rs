//! Signature V1: HMAC-SHA1 over the sorted, percent-encoded parameters
//! (`SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`).
//!
//! ```text
//! CanonicalizedQueryString = enc(k1)=enc(v1)&enc(k2)=enc(v2)...   sorted by key, bytewise
//! StringToSign             = METHOD&%2F&enc(CanonicalizedQueryString)
//! Signature                = base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))
//! ```
//!
//! Every parameter takes part (the operation's own and the common ones), except `Signature`
//! itself. Empty values stay, written `Key=`.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use subtle::ConstantTimeEq;

use super::ParamPair;
use super::encode::{encode_into, encode_once_and_twice};

/// Wire value of `SignatureMethod` for this version.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// Wire value of `SignatureVersion` for this version.
pub const SIGNATURE_VERSION: &str = "1.0";
/// The parameter that carries the signature; it is the one parameter left out of the signing.
pub const SIGNATURE_PARAM: &str = "Signature";

/// `enc(k)=enc(v)` of every parameter except `Signature`, sorted by key (byte order, then by
/// value so that repeated keys also give one answer), joined with `&`.
pub fn canonicalized_query<P: ParamPair>(params: impl IntoIterator<Item = P>) -> String {
    let params: Vec<P> = params.into_iter().collect();
    let pairs = sorted_pairs(&params);
    let mut out = String::new();
    for (index, (key, value)) in pairs.into_iter().enumerate() {
        if index > 0 {
            out.push('&');
        }
        encode_into(&mut out, key, "%");
        out.push('=');
        encode_into(&mut out, value, "%");
    }
    out
}

/// `METHOD&%2F&enc(CanonicalizedQueryString)`. RPC requests always go to `/`, so the path
/// part is the constant `%2F`.
pub fn string_to_sign<P: ParamPair>(method: &str, params: impl IntoIterator<Item = P>) -> String {
    let params: Vec<P> = params.into_iter().collect();
    let pairs = sorted_pairs(&params);
    let (mut out, mut query) = (String::new(), String::new());
    let mut writer = SigningText::new(method, &mut out, &mut query);
    for (key, value) in pairs {
        writer.push(key, value);
    }
    out
}

/// The parameters that take part in the signature, borrowed and sorted.
fn sorted_pairs<P: ParamPair>(params: &[P]) -> Vec<(&str, &str)> {
    let mut pairs: Vec<(&str, &str)> = params
        .iter()
        .map(|pair| (pair.key(), pair.value()))
        .filter(|(key, _)| *key != SIGNATURE_PARAM)
        .collect();
    pairs.sort_unstable();
    pairs
}

/// Writes the string to sign one sorted parameter at a time, and with it the query string to
/// send, which is the canonicalized query string itself. The string to sign holds the
/// encoding of each encoded pair, made from the pair just written to the query.
pub(crate) struct SigningText<'o> {
    string_to_sign: &'o mut String,
    query: &'o mut String,
}

impl<'o> SigningText<'o> {
    pub(crate) fn new(method: &str, string_to_sign: &'o mut String, query: &'o mut String) -> Self {
        string_to_sign.push_str(method);
        string_to_sign.push_str("&%2F&");
        SigningText {
            string_to_sign,
            query,
        }
    }

    /// Adds `key=value`; pairs must come in canonical order.
    pub(crate) fn push(&mut self, key: &str, value: &str) {
        if !self.query.is_empty() {
            self.query.push('&');
            self.string_to_sign.push_str("%26");
        }
        encode_once_and_twice(self.query, self.string_to_sign, key);
        self.query.push('=');
        self.string_to_sign.push_str("%3D");
        encode_once_and_twice(self.query, self.string_to_sign, value);
    }

    /// Adds a common parameter: its name needs no encoding, so the name and the separators
    /// around it go in as two constants rather than piece by piece.
    pub(crate) fn push_common(&mut self, name: &CommonName, value: &str) {
        self.push_common_name(name);
        encode_once_and_twice(self.query, self.string_to_sign, value);
    }

    /// Adds a common parameter whose value is a constant that needs no encoding either.
    pub(crate) fn push_common_constant(&mut self, name: &CommonName, value: &'static str) {
        debug_assert_eq!(super::percent_encode(value), value);
        self.push_common_name(name);
        self.query.push_str(value);
        self.string_to_sign.push_str(value);
    }

    fn push_common_name(&mut self, name: &CommonName) {
        // The first pair has no `&` before it.
        let (once, twice) = if self.query.is_empty() {
            (&name.once[1..], &name.twice[3..])
        } else {
            (name.once, name.twice)
        };
        self.query.push_str(once);
        self.string_to_sign.push_str(twice);
    }
}

/// A common parameter's name with its separators, in both of the forms V1 writes: `&Name=`
/// in the query and its encoding, `%26Name%3D`, in the string to sign.
pub(crate) struct CommonName {
    pub(crate) name: &'static str,
    once: &'static str,
    twice: &'static str,
}

macro_rules! common_names {
    ($($constant:ident = $name:literal;)*) => {
        $(
            pub(crate) const $constant: CommonName = CommonName {
                name: $name,
                once: concat!("&", $name, "="),
                twice: concat!("%26", $name, "%3D"),
            };
        )*
    };
}

common_names! {
    ACCESS_KEY_ID = "AccessKeyId";
    ACTION = "Action";
    FORMAT = "Format";
    SECURITY_TOKEN = "SecurityToken";
    SIGNATURE_METHOD_NAME = "SignatureMethod";
    SIGNATURE_NONCE = "SignatureNonce";
    SIGNATURE_VERSION_NAME = "SignatureVersion";
    TIMESTAMP = "Timestamp";
    VERSION = "Version";
}

/// Base64 of HMAC-SHA1 keyed with `secret + "&"` over `string_to_sign`.
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    let signature = Signature::compute(secret, string_to_sign);
    signature.as_str().to_owned()
}

/// A V1 signature, Base64 on the stack.
pub(crate) struct Signature([u8; 28]);

impl Signature {
    pub(crate) fn compute(secret: &str, string_to_sign: &str) -> Self {
        // The key is the secret followed by `&`; secrets fit the stack buffer (HMAC hashes
        // keys longer than SHA-1's 64-byte block anyway), longer ones take the heap.
        let mut stack = [0u8; 64];
        let heap;
        let key: &[u8] = if secret.len() < stack.len() {
            stack[..secret.len()].copy_from_slice(secret.as_bytes());
            stack[secret.len()] = b'&';
            &stack[..=secret.len()]
        } else {
            heap = [secret.as_bytes(), b"&"].concat();
            &heap
        };
        // HMAC takes keys of any length, so this constructor cannot fail.
        let mut mac =
            <Hmac<Sha1> as Mac>::new_from_slice(key).expect("HMAC accepts any key length");
        mac.update(string_to_sign.as_bytes());
        let mut out = [0u8; 28];
        // 20 bytes of digest are exactly 28 Base64 characters, padding included.
        let written = BASE64
            .encode_slice(mac.finalize().into_bytes(), &mut out)
            .unwrap_or_default();
        debug_assert_eq!(written, out.len());
        Signature(out)
    }

    pub(crate) fn as_str(&self) -> &str {
        // Base64 is ASCII.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// Checks a received V1 request: `params` are all its parameters, decoded from the query and
/// the form body (including `Signature`, `SignatureMethod` and `SignatureVersion`), `method`
/// its HTTP method and `secret` the secret of the `AccessKeyId` it names.
///
/// The signature comparison takes the same time wherever the first difference is. On a
/// mismatch the error carries the server's string to sign, which the gateway quotes in its
/// `SignatureDoesNotMatch` message.
pub fn verify<P: ParamPair>(
    method: &str,
    params: impl IntoIterator<Item = P>,
    secret: &str,
) -> Result<(), V1VerifyError> {
    let params: Vec<P> = params.into_iter().collect();
    let find = |name: &str| {
        params
            .iter()
            .find(|pair| pair.key() == name)
            .map(|pair| pair.value())
    };

    let received = find(SIGNATURE_PARAM).ok_or(V1VerifyError::Missing(SIGNATURE_PARAM))?;
    match find("SignatureMethod") {
        None => return Err(V1VerifyError::Missing("SignatureMethod")),
        Some(SIGNATURE_METHOD) => {}
        Some(other) => return Err(V1VerifyError::UnsupportedMethod(other.to_owned())),
    }
    match find("SignatureVersion") {
        None => return Err(V1VerifyError::Missing("SignatureVersion")),
        Some(SIGNATURE_VERSION) => {}
        Some(other) => return Err(V1VerifyError::UnsupportedVersion(other.to_owned())),
    }

    let (mut string_to_sign, mut query) = (String::new(), String::new());
    let mut writer = SigningText::new(method, &mut string_to_sign, &mut query);
    for (key, value) in sorted_pairs(&params) {
        writer.push(key, value);
    }
    let expected = Signature::compute(secret, &string_to_sign);
    if bool::from(expected.as_str().as_bytes().ct_eq(received.as_bytes())) {
        Ok(())
    } else {
        Err(V1VerifyError::Mismatch(SignatureMismatch {
            string_to_sign,
        }))
    }
}

/// Why a V1 request failed verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum V1VerifyError {
    /// A parameter the check needs is absent.
    #[error("the request has no `{0}` parameter")]
    Missing(&'static str),
    /// `SignatureMethod` names something other than `HMAC-SHA1`.
    #[error("`SignatureMethod` is `{0}`; only `HMAC-SHA1` is supported")]
    UnsupportedMethod(String),
    /// `SignatureVersion` names something other than `1.0`.
    #[error("`SignatureVersion` is `{0}`; only `1.0` is supported")]
    UnsupportedVersion(String),
    /// The signature is not the one the server computes.
    #[error("{0}")]
    Mismatch(SignatureMismatch),
}

impl V1VerifyError {
    /// The gateway error code that answers this failure.
    pub fn gateway_code(&self) -> &'static str {
        match self {
            V1VerifyError::Missing(_) | V1VerifyError::UnsupportedVersion(_) => {
                "IncompleteSignature"
            }
            V1VerifyError::UnsupportedMethod(_) => "InvalidSignatureMethod",
            V1VerifyError::Mismatch(_) => "SignatureDoesNotMatch",
        }
    }
}

/// A signature that differs from the server's, with the server's string to sign.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("the request signature does not match the signature the server computes")]
pub struct SignatureMismatch {
    string_to_sign: String,
}

impl SignatureMismatch {
    /// The string the server signed. It contains the request's parameters, including a
    /// `SecurityToken` when there is one, so it belongs in the answer to that request's
    /// sender (as the gateway does), not in logs.
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }
}

impl fmt::Debug for SignatureMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The string to sign may hold a security token; show only its size.
        f.debug_struct("SignatureMismatch")
            .field(
                "string_to_sign",
                &format_args!("<{} bytes>", self.string_to_sign.len()),
            )
            .finish()
    }
}
