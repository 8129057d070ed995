//! Every way a call can fail, and the errors answered by the service.
//!
//! [`Error`] is what [`Client::call`](crate::Client::call) returns. Its variants say where the
//! call stopped: before sending ([`Error::Validation`], [`Error::Credentials`]), on the way
//! ([`Error::Timeout`], [`Error::Transport`]), or in the answer ([`Error::Service`],
//! [`Error::Gateway`], [`Error::Decode`]). The `is_*` questions and [`Error::service_error`]
//! answer the common checks without a `match`.
//!
//! # Which variant an error code lands in
//!
//! An error answer is classified by its `Code`, in this order:
//!
//! 1. A code the operation documents in its spec goes to [`Error::Service`] through
//!    [`OperationError::from_service_error`], even when it is also a gateway code (an
//!    operation that documents `InvalidParameter` gets it as its own variant). The
//!    operation's documentation is the more specific statement of what the code means for it.
//! 2. Otherwise a code of the API gateway's shared set ([`GatewayCode`]) goes to
//!    [`Error::Gateway`].
//! 3. Anything else goes to [`Error::Service`] as well, where the operation's error type keeps
//!    it whole in its `Unhandled` variant.
//!
//! Retrying does not depend on the variant: throttling is throttling in either place.
//!
//! Generated per-operation error enums wrap [`ServiceError`], so its public fields,
//! constructor and accessors are part of what generated code relies on.

use std::fmt;
use std::time::Duration;

pub use crate::credentials::CredentialsError;
use crate::endpoint::EndpointError;
use crate::operation::OperationError;
use crate::validation::ValidationErrors;

/// An error answered by the server: HTTP status, code, message and request id.
#[derive(Clone, PartialEq, Eq)]
pub struct ServiceError {
    /// HTTP status of the answer.
    pub status: u16,
    /// The `Code` field, e.g. `SSLAlreadyEnabled`.
    pub code: String,
    /// The `Message` field. Access key ids and security tokens the gateway echoes in it are
    /// already redacted.
    pub message: String,
    /// The `RequestId` field, or the `x-acs-request-id` header when the body had none.
    pub request_id: Option<String>,
    /// The `HostId` field, when the body had one.
    pub host_id: Option<String>,
    /// The `Recommend` field (a troubleshooting link), when the body had one.
    pub recommend: Option<String>,
}

impl ServiceError {
    /// A service error with only status, code and message.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            request_id: None,
            host_id: None,
            recommend: None,
        }
    }

    /// The `Code` field.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The `Message` field.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The `RequestId` field, when present.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The `HostId` field, when present.
    pub fn host_id(&self) -> Option<&str> {
        self.host_id.as_deref()
    }

    /// The `Recommend` field (a troubleshooting link), when present.
    pub fn recommend(&self) -> Option<&str> {
        self.recommend.as_deref()
    }

    /// Whether the server asked the client to slow down: a `Throttling` code (`Throttling`,
    /// `Throttling.User`, `Throttling.Api`, ...) or HTTP 429.
    pub fn is_throttling(&self) -> bool {
        self.status == 429 || code_in_family(&self.code, "Throttling")
    }
}

impl fmt::Debug for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("request_id", &self.request_id)
            .field("host_id", &self.host_id)
            .field("recommend", &self.recommend)
            .finish()
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The gateway's echoed string-to-sign holds line breaks; the error stays on one line.
        write!(
            f,
            "HTTP {} {}: {}",
            self.status,
            self.code,
            OneLine(&self.message)
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}

/// A bare [`ServiceError`] serves as the error type of calls that know no operation's
/// documented codes, such as [`Client::call_dynamic`](crate::Client::call_dynamic).
impl OperationError for ServiceError {
    fn from_service_error(error: ServiceError) -> Self {
        error
    }

    fn service_error(&self) -> &ServiceError {
        self
    }
}

/// Any failure of a call. `E` is the operation's error type.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The request broke a constraint of its spec; nothing was sent.
    Validation(ValidationErrors),
    /// No credentials could be obtained; nothing was sent.
    Credentials(CredentialsError),
    /// The service answered with an error of the operation: a documented code, or any code
    /// that is neither documented nor a gateway code (the operation's `Unhandled` variant).
    Service(E),
    /// The API gateway rejected the request with one of its shared codes (signature,
    /// access key, timestamp, throttling, parameter, version, action, server-side failure).
    /// Boxed so that every `Result` carrying an [`Error`] stays small.
    Gateway(Box<GatewayError>),
    /// The answer could not be decoded.
    Decode(DecodeError),
    /// An attempt, or the call as a whole, ran out of time.
    Timeout(TimeoutError),
    /// The connection failed: refused, reset, TLS, DNS.
    Transport(TransportError),
}

impl<E: OperationError> Error<E> {
    /// The service error behind a [`Error::Service`] or [`Error::Gateway`] answer.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            Error::Service(e) => Some(e.service_error()),
            Error::Gateway(e) => Some(&e.error),
            _ => None,
        }
    }

    /// The operation's own error, when the service answered with one.
    pub fn as_service(&self) -> Option<&E> {
        match self {
            Error::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The operation's own error by value, when the service answered with one.
    pub fn into_service(self) -> Option<E> {
        match self {
            Error::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The gateway error, when the gateway rejected the request with a shared code.
    pub fn as_gateway(&self) -> Option<&GatewayError> {
        match self {
            Error::Gateway(e) => Some(e),
            _ => None,
        }
    }

    /// The `Code` of an error answer.
    pub fn code(&self) -> Option<&str> {
        self.service_error().map(ServiceError::code)
    }

    /// The request id of the answer (body or `x-acs-request-id` header), when there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Decode(e) => e.request_id(),
            _ => self.service_error().and_then(ServiceError::request_id),
        }
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Decode(e) => Some(e.status()),
            _ => self.service_error().map(ServiceError::status),
        }
    }

    /// Whether an attempt or the whole call ran out of time (connect timeout included).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// Whether the server asked the client to slow down (what is left after the retries).
    pub fn is_throttling(&self) -> bool {
        self.service_error()
            .is_some_and(ServiceError::is_throttling)
    }

    /// Whether the request broke a constraint of its spec, so nothing was sent.
    pub fn is_validation(&self) -> bool {
        matches!(self, Error::Validation(_))
    }

    /// Whether the connection failed (refused, reset, TLS, DNS).
    pub fn is_transport(&self) -> bool {
        matches!(self, Error::Transport(_))
    }

    /// Whether the answer could not be decoded.
    pub fn is_decode(&self) -> bool {
        matches!(self, Error::Decode(_))
    }
}

impl<E: OperationError> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(e) => write!(f, "{e}; nothing was sent"),
            Error::Credentials(e) => e.fmt(f),
            // The operation's Display is generated; the service error's is known to be one
            // line with status, code, message and request id.
            Error::Service(e) => e.service_error().fmt(f),
            Error::Gateway(e) => e.fmt(f),
            Error::Decode(e) => e.fmt(f),
            Error::Timeout(e) => e.fmt(f),
            Error::Transport(e) => e.fmt(f),
        }
    }
}

impl<E: OperationError> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Validation(e) => Some(e),
            Error::Credentials(e) => Some(e),
            Error::Service(e) => Some(e),
            Error::Gateway(e) => Some(e),
            Error::Decode(e) => Some(e),
            Error::Timeout(e) => Some(e),
            Error::Transport(e) => Some(e),
        }
    }
}

/// `true` when `code` is `family` itself or one of its dotted sub-codes (`Throttling.User`).
pub(crate) fn code_in_family(code: &str, family: &str) -> bool {
    code.strip_prefix(family)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// A code of the API gateway's shared set, answered for any operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GatewayCode {
    /// `SignatureDoesNotMatch`: the signature differs from the server's.
    SignatureDoesNotMatch,
    /// `IncompleteSignature`: signature parameters missing or malformed.
    IncompleteSignature,
    /// `InvalidAccessKeyId.NotFound`: unknown AccessKeyId.
    InvalidAccessKeyIdNotFound,
    /// `InvalidAccessKeyId.Inactive`: disabled AccessKeyId.
    InvalidAccessKeyIdInactive,
    /// Another `InvalidAccessKeyId` code.
    InvalidAccessKeyId,
    /// `InvalidTimeStamp.Format`: timestamp not in the expected format.
    InvalidTimeStampFormat,
    /// `InvalidTimeStamp.Expired`: timestamp too far from the server's clock.
    InvalidTimeStampExpired,
    /// Another `InvalidTimeStamp` code.
    InvalidTimeStamp,
    /// `SignatureNonceUsed`: the nonce was seen before.
    SignatureNonceUsed,
    /// `InvalidSignatureMethod`: unsupported signature method.
    InvalidSignatureMethod,
    /// `Throttling`, `Throttling.User`, `Throttling.Api` or another `Throttling.*` code.
    Throttling,
    /// `MissingParameter` or a `Missing{Name}` code: a required parameter is absent.
    MissingParameter,
    /// `InvalidParameter` or an `InvalidParameter.*` code: a parameter value is not valid.
    InvalidParameter,
    /// `InvalidVersion`: the API version is not served.
    InvalidVersion,
    /// `InvalidAction.NotFound`: unknown action.
    InvalidActionNotFound,
    /// `InternalError`: the server failed.
    InternalError,
    /// `ServiceUnavailable`: the service cannot serve the request now.
    ServiceUnavailable,
}

impl GatewayCode {
    /// Recognises a gateway code; `None` for any other code.
    pub fn parse(code: &str) -> Option<Self> {
        use GatewayCode::*;
        let known = match code {
            "SignatureDoesNotMatch" => SignatureDoesNotMatch,
            "IncompleteSignature" => IncompleteSignature,
            "InvalidAccessKeyId.NotFound" => InvalidAccessKeyIdNotFound,
            "InvalidAccessKeyId.Inactive" => InvalidAccessKeyIdInactive,
            "InvalidTimeStamp.Format" => InvalidTimeStampFormat,
            "InvalidTimeStamp.Expired" => InvalidTimeStampExpired,
            "SignatureNonceUsed" => SignatureNonceUsed,
            "InvalidSignatureMethod" => InvalidSignatureMethod,
            "InvalidVersion" => InvalidVersion,
            "InvalidAction.NotFound" => InvalidActionNotFound,
            "InternalError" => InternalError,
            "ServiceUnavailable" => ServiceUnavailable,
            _ if code_in_family(code, "InvalidAccessKeyId") => InvalidAccessKeyId,
            _ if code_in_family(code, "InvalidTimeStamp") => InvalidTimeStamp,
            _ if code_in_family(code, "Throttling") => Throttling,
            _ if code_in_family(code, "InvalidParameter") => InvalidParameter,
            // `MissingParameter` and the per-parameter form `Missing{Name}`.
            _ if code.len() > "Missing".len() && code.starts_with("Missing") => MissingParameter,
            _ => return None,
        };
        Some(known)
    }

    /// What the caller can do about it, in a few words.
    pub fn hint(self) -> &'static str {
        use GatewayCode::*;
        match self {
            SignatureDoesNotMatch => "check the AccessKey secret",
            IncompleteSignature | InvalidSignatureMethod => "the request was not signed correctly",
            InvalidAccessKeyIdNotFound | InvalidAccessKeyId => "check the AccessKey id",
            InvalidAccessKeyIdInactive => "the AccessKey is disabled",
            InvalidTimeStampFormat | InvalidTimeStamp => "the request timestamp was not accepted",
            InvalidTimeStampExpired => "check the system clock",
            SignatureNonceUsed => "the request was replayed",
            Throttling => "requests are being throttled; retry later or slow down",
            MissingParameter | InvalidParameter => "check the request parameters",
            InvalidVersion | InvalidActionNotFound => "the endpoint does not serve this operation",
            InternalError | ServiceUnavailable => "server-side failure; retry later",
        }
    }
}

/// The API gateway rejected the request with one of its shared codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayError {
    /// Which gateway code.
    pub kind: GatewayCode,
    /// The answer as received (the exact code is in `error.code`).
    pub error: ServiceError,
}

impl GatewayError {
    /// The classified code.
    pub fn kind(&self) -> GatewayCode {
        self.kind
    }

    /// The answer as received.
    pub fn service_error(&self) -> &ServiceError {
        &self.error
    }
}

impl fmt::Display for GatewayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; {}", self.error, self.kind.hint())
    }
}

impl std::error::Error for GatewayError {}

/// What was wrong with an answer that could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The body was empty.
    Empty,
    /// The body ended in the middle of a JSON value.
    Truncated,
    /// The body is not JSON (nor XML, for an error answer).
    NotJson {
        /// The parser's description of the first problem.
        detail: String,
    },
    /// The body is JSON but not an object.
    NotAnObject {
        /// What it is instead: `array`, `string`, `number`, `boolean` or `null`.
        found: &'static str,
    },
    /// The body is a JSON object that does not fit the operation's response.
    Shape {
        /// The decoder's description of the mismatch.
        detail: String,
    },
    /// An error answer (HTTP status 4xx or 5xx) without a `Code`.
    NoErrorCode,
    /// The body is larger than any Dds answer; the client stopped reading it.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
}

impl fmt::Display for DecodeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeErrorKind::Empty => f.write_str("the body is empty"),
            DecodeErrorKind::Truncated => f.write_str("the body is cut short"),
            DecodeErrorKind::NotJson { detail } => write!(f, "the body is not JSON ({detail})"),
            DecodeErrorKind::NotAnObject { found } => {
                write!(f, "the body is a JSON {found}, not an object")
            }
            DecodeErrorKind::Shape { detail } => {
                write!(f, "the body does not match the response ({detail})")
            }
            DecodeErrorKind::NoErrorCode => f.write_str("the error answer has no Code"),
            DecodeErrorKind::TooLarge { limit } => {
                write!(
                    f,
                    "the body is larger than {limit} bytes; reading stopped there"
                )
            }
        }
    }
}

/// An answer that could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) kind: DecodeErrorKind,
    pub(crate) excerpt: String,
}

impl DecodeError {
    /// The HTTP status of the answer.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The request id from the `x-acs-request-id` header or the body, when present.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// What was wrong.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.kind
    }

    /// The start of the body (at most a few hundred characters), lossily decoded as UTF-8,
    /// with echoed access key ids, tokens and signatures redacted.
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "HTTP {} answer could not be decoded: {}",
            self.status, self.kind
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        if !self.excerpt.is_empty() {
            write!(f, "; body starts with {:?}", self.excerpt)?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {}

/// Which time limit ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Connecting to the endpoint took longer than the connect timeout.
    Connect,
    /// One attempt (sending and reading the whole answer) took longer than the attempt timeout.
    Attempt,
    /// The call as a whole, retries and waits included, ran past its deadline.
    Deadline,
}

/// An attempt, or the whole call, ran out of time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutError {
    pub(crate) kind: TimeoutKind,
    pub(crate) limit: Duration,
    pub(crate) attempts: u32,
}

impl TimeoutError {
    /// Which limit ran out.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// The limit that ran out.
    pub fn limit(&self) -> Duration {
        self.limit
    }

    /// How many attempts were started.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TimeoutKind::Connect => {
                "connecting to the endpoint took longer than the connect timeout"
            }
            TimeoutKind::Attempt => "the answer took longer than the attempt timeout",
            TimeoutKind::Deadline => "the call ran past its deadline",
        };
        write!(
            f,
            "timed out: {what} of {:?} (after {} attempt{})",
            self.limit,
            self.attempts,
            if self.attempts == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for TimeoutError {}

/// The connection to the endpoint failed.
///
/// The message names the endpoint's host but never the request URL, whose query carries the
/// signature and the access key id.
#[derive(Debug)]
pub struct TransportError {
    pub(crate) host: String,
    pub(crate) stage: TransportStage,
    pub(crate) attempts: u32,
    pub(crate) source: Box<dyn std::error::Error + Send + Sync>,
}

/// How far an attempt got before the transport failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TransportStage {
    /// The request could not be made: no nonce, or the HTTP client refused to build it.
    Prepare,
    /// Connecting failed.
    Connect,
    /// The connection broke once the request may have been written.
    Exchange,
}

impl TransportError {
    /// Whether the request may have reached the server before the failure (a connection
    /// reset while reading the answer, for example); `false` when connecting failed or the
    /// request could not be prepared.
    pub fn may_have_been_sent(&self) -> bool {
        self.stage == TransportStage::Exchange
    }

    /// How many attempts were started.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.stage {
            TransportStage::Prepare => {
                write!(f, "the request to {} could not be prepared", self.host)?
            }
            TransportStage::Connect => write!(f, "could not connect to {}", self.host)?,
            TransportStage::Exchange => write!(
                f,
                "the connection to {} broke after the request was sent",
                self.host
            )?,
        }
        // The chain of causes says what happened (refused, reset, certificate).
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(self.source.as_ref());
        while let Some(e) = cause {
            write!(f, ": {e}")?;
            cause = e.source();
        }
        write!(
            f,
            " (after {} attempt{})",
            self.attempts,
            if self.attempts == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for TransportError {}

/// Writes text with line breaks and other control characters escaped, so that it stays on one
/// line.
pub(crate) struct OneLine<'a>(pub(crate) &'a str);

impl fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            match c {
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c if c.is_control() => write!(f, "\\u{{{:x}}}", c as u32)?,
                c => write!(f, "{c}")?,
            }
        }
        Ok(())
    }
}

/// A client could not be built from its settings.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// No endpoint could be chosen: none given, an unknown region, or an invalid URL.
    Endpoint(EndpointError),
    /// A time limit is zero.
    ZeroTimeout {
        /// Which limit (`connect_timeout`, `attempt_timeout`, `deadline`).
        setting: &'static str,
    },
    /// The TLS configuration could not be built.
    Tls {
        /// Why.
        reason: String,
    },
    /// The HTTP client could not be built.
    Http {
        /// Why.
        reason: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Endpoint(e) => e.fmt(f),
            ConfigError::ZeroTimeout { setting } => write!(f, "{setting} must be more than zero"),
            ConfigError::Tls { reason } => write!(f, "could not set up TLS: {reason}"),
            ConfigError::Http { reason } => write!(f, "could not set up the HTTP client: {reason}"),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::Endpoint(e) => Some(e),
            _ => None,
        }
    }
}

impl From<EndpointError> for ConfigError {
    fn from(error: EndpointError) -> Self {
        ConfigError::Endpoint(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transport_error_says_how_far_the_attempt_got() {
        let error = |stage| TransportError {
            host: "mongodb.aliyuncs.com".to_owned(),
            stage,
            attempts: 1,
            source: "cause".into(),
        };
        let prepare = error(TransportStage::Prepare);
        assert_eq!(
            prepare.to_string(),
            "the request to mongodb.aliyuncs.com could not be prepared: cause (after 1 attempt)"
        );
        assert!(!prepare.may_have_been_sent());
        let connect = error(TransportStage::Connect);
        assert!(connect.to_string().starts_with("could not connect to "));
        assert!(!connect.may_have_been_sent());
        let exchange = error(TransportStage::Exchange);
        assert!(
            exchange
                .to_string()
                .contains("broke after the request was sent")
        );
        assert!(exchange.may_have_been_sent());
    }
}
