//! The client: validates, signs, sends and decodes, with timeouts and retries.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use dds_api::credentials::Credentials;
//! use dds_api::Client;
//!
//! let client = Client::builder()
//!     .region("cn-hangzhou")
//!     .credentials(Credentials::new("LTAI...", "secret"))
//!     .build()?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```
//!
//! Generated operations call [`Client::call`]; the CLI, which knows operations only by their
//! metadata, calls [`Client::call_dynamic`] and [`Client::prepare_dynamic`].
//!
//! # Limitations
//!
//! - Credentials providers are synchronous: one that reads a file does so on the executor
//!   thread, once per call.
//! - An answer's body is read whole into memory, without a size limit (Dds answers are small
//!   JSON documents).
//! - The builder has no settings for extra root certificates, client certificates or an
//!   explicit proxy; the system trust store and the `HTTPS_PROXY`/`NO_PROXY` environment
//!   variables apply.
//! - A successful status with an undecodable body is not retried, even for a read.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;
use tracing::Instrument;

use crate::credentials::{Credentials, DefaultChain, ProvideCredentials, StaticProvider};
use crate::endpoint::{Endpoint, EndpointTable};
use crate::error::{
    ConfigError, DecodeError, GatewayCode, GatewayError, TimeoutError, TimeoutKind, TransportError,
    TransportStage,
};
use crate::operation::{OperationError, OperationKind, OperationMeta, Request};
use crate::response::{self, RawAnswer};
use crate::retry::{self, Failure, RetryPolicy};
use crate::signing::{self, SignatureVersion, SigningRequest};
use crate::transport::{AttemptFailure, PreparedRequest, Transport};
use crate::validation::{Rule, ValidationErrors};

pub use crate::error::{Error, ServiceError};

/// The API version every request names (from the product spec).
pub const API_VERSION: &str = crate::operations::VERSION;

/// The product's region-to-host table (from the product spec).
const ENDPOINTS: EndpointTable = crate::operations::ENDPOINTS;

/// Time limits of a call. No call waits forever: every limit has a finite default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Connecting to the endpoint (TCP and TLS). Default 5 s.
    pub connect: Duration,
    /// One attempt: sending the request and reading the whole answer, connecting included.
    /// Default 20 s.
    pub attempt: Duration,
    /// The whole call: every attempt and every wait between them. Default 60 s.
    pub deadline: Duration,
}

impl Timeouts {
    /// Default connect timeout.
    pub const DEFAULT_CONNECT: Duration = Duration::from_secs(5);
    /// Default attempt timeout.
    pub const DEFAULT_ATTEMPT: Duration = Duration::from_secs(20);
    /// Default deadline of a call.
    pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Self::DEFAULT_CONNECT,
            attempt: Self::DEFAULT_ATTEMPT,
            deadline: Self::DEFAULT_DEADLINE,
        }
    }
}

/// A client for the Dds API. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    /// Shared with every [`PreparedRequest`], which names its endpoint.
    endpoint: Arc<Endpoint>,
    region: Option<String>,
    credentials: Arc<dyn ProvideCredentials>,
    signature_version: SignatureVersion,
    timeouts: Timeouts,
    retry: RetryPolicy,
    transport: Transport,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("endpoint", &inner.endpoint.to_string())
            .field("region", &inner.region)
            // The provider's name only: neither the secret nor the key id.
            .field("credentials", &inner.credentials.name())
            .field("signature_version", &inner.signature_version)
            .field("timeouts", &inner.timeouts)
            .field("retry", &inner.retry)
            .finish()
    }
}

/// Settings of a [`Client`]; see [`Client::builder`].
#[derive(Clone, Default)]
pub struct ClientBuilder {
    region: Option<String>,
    endpoint: Option<String>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    signature_version: SignatureVersion,
    timeouts: Timeouts,
    retry: RetryPolicy,
}

impl ClientBuilder {
    /// The region, e.g. `cn-hangzhou`; picks the endpoint from the product's endpoint table
    /// unless [`ClientBuilder::endpoint`] is set.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// An explicit endpoint: a host (HTTPS implied), or an `https://` or `http://` URL with an
    /// optional port (`http://127.0.0.1:8080` for a local emulator). Wins over the region.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Fixed credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(Arc::new(StaticProvider::new(credentials)));
        self
    }

    /// Where to take credentials from for each call. By default the official chain
    /// ([`DefaultChain`]: environment variables, the `aliyun` CLI profile, the INI file).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// The signature version; V3 (`ACS3-HMAC-SHA256`) by default, as the official SDKs.
    pub fn signature_version(mut self, version: SignatureVersion) -> Self {
        self.signature_version = version;
        self
    }

    /// All time limits at once.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Time limit for connecting (TCP and TLS); default 5 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.connect = timeout;
        self
    }

    /// Time limit for one attempt, answer included; default 20 s.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.attempt = timeout;
        self
    }

    /// Time limit for a whole call, retries and waits included; default 60 s.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.timeouts.deadline = deadline;
        self
    }

    /// How failed attempts are retried; see [`RetryPolicy`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, ConfigError> {
        let endpoint =
            crate::endpoint::resolve(ENDPOINTS, self.region.as_deref(), self.endpoint.as_deref())?;
        for (setting, value) in [
            ("connect_timeout", self.timeouts.connect),
            ("attempt_timeout", self.timeouts.attempt),
            ("deadline", self.timeouts.deadline),
        ] {
            if value.is_zero() {
                return Err(ConfigError::ZeroTimeout { setting });
            }
        }
        let transport = Transport::new(self.timeouts.connect)?;

        Ok(Client {
            inner: Arc::new(Inner {
                endpoint: Arc::new(endpoint),
                region: self.region,
                credentials: self
                    .credentials
                    .unwrap_or_else(|| Arc::new(DefaultChain::new())),
                signature_version: self.signature_version,
                timeouts: self.timeouts,
                retry: self.retry,
                transport,
            }),
        })
    }
}

impl Client {
    /// Settings for a new client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The region, when one was set.
    pub fn region(&self) -> Option<&str> {
        self.inner.region.as_deref()
    }

    /// The signature version requests carry.
    pub fn signature_version(&self) -> SignatureVersion {
        self.inner.signature_version
    }

    /// The time limits of a call.
    pub fn timeouts(&self) -> Timeouts {
        self.inner.timeouts
    }

    /// Validates, signs and sends a request, retrying as the [`RetryPolicy`] allows, and
    /// decodes the answer.
    ///
    /// # Errors
    ///
    /// - [`Error::Validation`]: the request breaks its spec; nothing was sent.
    /// - [`Error::Credentials`]: the credentials provider has none; nothing was sent.
    /// - [`Error::Service`]: an error answer with a code the operation documents (its own
    ///   variant) or an unknown code (its `Unhandled` variant).
    /// - [`Error::Gateway`]: an error answer with one of the gateway's shared codes that the
    ///   operation does not document (signature, access key, throttling, ...).
    /// - [`Error::Decode`]: an answer whose body could not be read.
    /// - [`Error::Timeout`], [`Error::Transport`]: no answer.
    ///
    /// Retried failures are not reported; the last attempt's failure is.
    pub async fn call<R: Request>(&self, request: R) -> Result<R::Response, Error<R::Error>> {
        request.validate().map_err(Error::Validation)?;
        let answer = self.execute(R::META, request.to_wire()).await?;
        response::decode_success(&answer).map_err(|e| decode_failed(R::META, e))
    }

    /// Calls an operation known only by its metadata, with its wire parameters (as the CLI
    /// has them); answers the body as JSON.
    ///
    /// The parameters are checked as the operation's spec says (`OperationMeta::check_wire`)
    /// before anything is sent; a name given twice is refused too. Documented error codes
    /// are answered as [`Error::Service`] with the bare [`ServiceError`], gateway codes as
    /// [`Error::Gateway`].
    pub async fn call_dynamic(
        &self,
        meta: &'static OperationMeta,
        params: Vec<(String, String)>,
    ) -> Result<serde_json::Value, Error<ServiceError>> {
        check_dynamic(meta, &params).map_err(Error::Validation)?;
        let answer = self.execute(meta, params).await?;
        response::decode_success::<serde_json::Map<String, serde_json::Value>>(&answer)
            .map(serde_json::Value::Object)
            .map_err(|e| decode_failed(meta, e))
    }

    /// The request [`Client::call`] would send first, signed, without sending it (a dry run).
    /// Its `Display` and `Debug` hide the signature, the AccessKeyId and the security token.
    pub async fn prepare<R: Request>(
        &self,
        request: &R,
    ) -> Result<PreparedRequest, Error<R::Error>> {
        request.validate().map_err(Error::Validation)?;
        let credentials = self.credentials()?;
        self.sign(R::META, &request.to_wire(), &credentials, 0)
    }

    /// The request [`Client::call_dynamic`] would send first, signed, without sending it.
    pub async fn prepare_dynamic(
        &self,
        meta: &'static OperationMeta,
        params: Vec<(String, String)>,
    ) -> Result<PreparedRequest, Error<ServiceError>> {
        check_dynamic(meta, &params).map_err(Error::Validation)?;
        let credentials = self.credentials()?;
        self.sign(meta, &params, &credentials, 0)
    }

    /// Sends attempts until one answers with success, the policy gives up, or the deadline
    /// passes. Answers the successful answer undecoded.
    async fn execute<E: OperationError>(
        &self,
        meta: &'static OperationMeta,
        params: Vec<(String, String)>,
    ) -> Result<RawAnswer, Error<E>> {
        let span = tracing::debug_span!(
            "dds_api.call",
            action = meta.action,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self
            .attempts(meta, &params, started, &span)
            .instrument(span.clone())
            .await;
        span.record("elapsed_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(_) => tracing::debug!(parent: &span, "call succeeded"),
            Err(error) => tracing::debug!(parent: &span, %error, "call failed"),
        }
        result
    }

    async fn attempts<E: OperationError>(
        &self,
        meta: &'static OperationMeta,
        params: &[(String, String)],
        started: Instant,
        span: &tracing::Span,
    ) -> Result<RawAnswer, Error<E>> {
        let inner = &*self.inner;
        let timeouts = inner.timeouts;
        let deadline = started + timeouts.deadline;
        let is_write = meta.kind == OperationKind::Write;
        let policy = &inner.retry;
        // Asked once per call; every attempt signs with them afresh.
        let credentials = self.credentials()?;

        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(deadline_passed(timeouts, attempt - 1));
            }

            // Signed afresh every time: a retry carries a new nonce and timestamp.
            let request = self.sign(meta, params, &credentials, attempt)?;
            let limit = timeouts.attempt.min(remaining);
            tracing::debug!(
                attempt,
                method = %request.method,
                endpoint = %inner.endpoint,
                "sending attempt"
            );

            let (error, failure, retry_after) = match inner.transport.send(request, limit).await {
                Ok(answer) => {
                    span.record("status", answer.status);
                    if let Some(id) = &answer.request_id {
                        span.record("request_id", id.as_str());
                    }
                    if answer.is_success() {
                        if answer.request_id.is_none()
                            && let Some(id) = response::body_request_id(&answer)
                        {
                            span.record("request_id", id.as_str());
                        }
                        return Ok(answer);
                    }
                    let retry_after = answer
                        .retry_after
                        .as_deref()
                        .and_then(retry::parse_retry_after);
                    match response::decode_failure(&answer) {
                        Ok(service) => {
                            if let Some(id) = &service.request_id {
                                span.record("request_id", id.as_str());
                            }
                            let failure = Failure::of_answer(service.status, Some(&service.code));
                            tracing::debug!(
                                attempt,
                                status = service.status,
                                code = %service.code,
                                "error answer"
                            );
                            (classify_answer::<E>(meta, service), failure, retry_after)
                        }
                        Err(decode) => {
                            let failure = Failure::of_answer(decode.status(), None);
                            tracing::debug!(
                                attempt,
                                status = decode.status(),
                                "undecodable error answer"
                            );
                            (Error::Decode(decode), failure, retry_after)
                        }
                    }
                }
                Err(AttemptFailure::Connect { timed_out, source }) => {
                    tracing::debug!(attempt, timed_out, "connecting failed");
                    let error = if timed_out {
                        Error::Timeout(TimeoutError {
                            kind: TimeoutKind::Connect,
                            limit: timeouts.connect,
                            attempts: attempt,
                        })
                    } else {
                        transport_error(&inner.endpoint, TransportStage::Connect, attempt, source)
                    };
                    (error, Failure::NotSent, None)
                }
                Err(AttemptFailure::TimedOut) => {
                    tracing::debug!(
                        attempt,
                        limit_ms = limit.as_millis() as u64,
                        "attempt timed out"
                    );
                    if limit < timeouts.attempt {
                        // The deadline, not the attempt limit, cut this attempt short.
                        return Err(deadline_passed(timeouts, attempt));
                    }
                    let error = Error::Timeout(TimeoutError {
                        kind: TimeoutKind::Attempt,
                        limit: timeouts.attempt,
                        attempts: attempt,
                    });
                    (error, Failure::MaybeApplied, None)
                }
                Err(AttemptFailure::Unsendable(source)) => {
                    tracing::debug!(attempt, "the request could not be built");
                    let stage = TransportStage::Prepare;
                    let error = transport_error(&inner.endpoint, stage, attempt, source);
                    (error, Failure::Final, None)
                }
                Err(AttemptFailure::Broken(source)) => {
                    tracing::debug!(attempt, "connection broke");
                    let stage = TransportStage::Exchange;
                    let error = transport_error(&inner.endpoint, stage, attempt, source);
                    (error, Failure::MaybeApplied, None)
                }
            };

            if attempt >= policy.attempt_limit() || !failure.is_retryable(is_write, policy) {
                return Err(error);
            }
            let wait = retry_after.unwrap_or_else(|| policy.backoff(attempt));
            if Instant::now() + wait >= deadline {
                tracing::debug!(
                    attempt,
                    wait_ms = wait.as_millis() as u64,
                    "not retrying: the wait would pass the deadline"
                );
                return Err(error);
            }
            tracing::debug!(
                attempt,
                reason = failure.as_str(),
                wait_ms = wait.as_millis() as u64,
                server_asked = retry_after.is_some(),
                "retrying"
            );
            policy.sleeper().sleep(wait).await;
        }
    }

    /// The credentials for a call, from the provider.
    fn credentials<E>(&self) -> Result<Credentials, Error<E>> {
        // Limitation: providers are synchronous; a provider reading a file blocks the
        // executor thread for that read.
        let credentials = self
            .inner
            .credentials
            .provide()
            .map_err(Error::Credentials)?;
        credentials.check_sendable().map_err(Error::Credentials)?;
        Ok(credentials)
    }

    /// Signs one attempt with a fresh nonce and timestamp.
    fn sign<E>(
        &self,
        meta: &'static OperationMeta,
        params: &[(String, String)],
        credentials: &Credentials,
        attempt: u32,
    ) -> Result<PreparedRequest, Error<E>> {
        let inner = &*self.inner;
        let nonce = signing::new_nonce()
            .map_err(|e| transport_error(&inner.endpoint, TransportStage::Prepare, attempt, e))?;
        let method = meta.method();
        let request = SigningRequest {
            method,
            host: inner.endpoint.authority(),
            path: "/",
            action: meta.action,
            version: API_VERSION,
            params,
            body: &[],
        };
        let signed = signing::sign(
            &request,
            credentials,
            inner.signature_version,
            signing::now(),
            &nonce,
        );
        Ok(PreparedRequest {
            action: meta.action,
            method,
            endpoint: Arc::clone(&inner.endpoint),
            query: signed.query,
            headers: signed
                .headers
                .into_iter()
                .map(|(name, value)| (name, value.into_owned()))
                .collect(),
        })
    }
}

/// Sorts an error answer: a code the operation documents goes to the operation's error type
/// (even when it is also a gateway code), else a gateway code goes to [`Error::Gateway`], else
/// the operation's error type keeps it as unhandled. See [`crate::error`].
fn classify_answer<E: OperationError>(meta: &OperationMeta, error: ServiceError) -> Error<E> {
    if meta.error(&error.code).is_none()
        && let Some(kind) = GatewayCode::parse(&error.code)
    {
        return Error::Gateway(Box::new(GatewayError { kind, error }));
    }
    Error::Service(E::from_service_error(error))
}

/// A transport failure of attempt number `attempts`, naming the endpoint's host only: the
/// request's URL carries the signature.
fn transport_error<E>(
    endpoint: &Endpoint,
    stage: TransportStage,
    attempts: u32,
    source: impl std::error::Error + Send + Sync + 'static,
) -> Error<E> {
    Error::Transport(TransportError {
        host: endpoint.to_string(),
        stage,
        attempts,
        source: Box::new(source),
    })
}

fn deadline_passed<E>(timeouts: Timeouts, attempts: u32) -> Error<E> {
    Error::Timeout(TimeoutError {
        kind: TimeoutKind::Deadline,
        limit: timeouts.deadline,
        attempts,
    })
}

fn decode_failed<E>(meta: &OperationMeta, error: DecodeError) -> Error<E> {
    tracing::debug!(action = meta.action, status = error.status(), kind = %error.kind(), "undecodable answer");
    Error::Decode(error)
}

/// Checks wire parameters given by name: each at most once, then the operation's own rules.
fn check_dynamic(
    meta: &OperationMeta,
    params: &[(String, String)],
) -> Result<(), ValidationErrors> {
    let mut seen = crate::operation::WireParams::new();
    let mut errors = ValidationErrors::new();
    for (name, value) in params {
        if seen.insert(name.clone(), value.clone()).is_some() {
            errors.push(
                name.clone(),
                Rule::ListIndex {
                    detail: "is given more than once".to_owned(),
                },
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    (meta.check_wire)(&seen)
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field(
                "credentials",
                &self.credentials.as_ref().map(|provider| provider.name()),
            )
            .field("signature_version", &self.signature_version)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .finish()
    }
}
