//! The HTTP side of a call: the endpoint, the signed request of one attempt, and sending it.
//!
//! # TLS and the HTTP client
//!
//! The client is reqwest on tokio with rustls. reqwest's own `rustls` feature brings the
//! aws-lc-rs crypto provider, a large C build (a minimal reqwest client took 60 s to build
//! cold with it against 32 s with ring, on the project's 2-core machine). So reqwest is
//! built with `rustls-no-provider` and the client hands it a rustls configuration with the
//! `ring` provider and the platform's certificate verifier. No process-wide default provider
//! is installed, so an application's own choice is left alone.
//!
//! reqwest's other default features are off: `http2` (the API gateway speaks HTTP/1.1 and an
//! RPC call is one small request, so h2's weight buys nothing), `charset` (answers are
//! UTF-8 JSON, decoded here) and `system-proxy` (reads macOS and Windows proxy settings;
//! the `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` environment variables are honoured without it).
//! Redirects are not followed: a signed request is valid only for the host it was signed for.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::endpoint::Endpoint;
use crate::error::ConfigError;
use crate::operation::HttpMethod;
use crate::response::{MAX_BODY_BYTES, RawAnswer, redact_echoed_secrets};
use crate::signing::percent_encode;

/// The user agent every request carries: `dds-api/<version> (<os>; <arch>) Rust`.
pub fn user_agent() -> &'static str {
    static USER_AGENT: OnceLock<String> = OnceLock::new();
    USER_AGENT.get_or_init(|| {
        format!(
            "dds-api/{} ({}; {}) Rust",
            env!("CARGO_PKG_VERSION"),
            std::env::consts::OS,
            std::env::consts::ARCH
        )
    })
}

/// Query parameters whose values are hidden when a request is shown.
const SECRET_PARAMS: &[&str] = &["AccessKeyId", "SecurityToken", "Signature"];
/// Headers whose values are hidden when a request is shown (the `authorization` header keeps
/// its shape, with the credential and the signature hidden).
const SECRET_HEADERS: &[&str] = &["x-acs-security-token"];
const REDACTED: &str = "<redacted>";

/// A signed request, exactly as one attempt sends it.
///
/// Returned by [`Client::prepare`](crate::Client::prepare) for a dry run. `Display` and
/// `Debug` show everything except the signature, the AccessKeyId and the security token, so
/// the value can be printed or logged.
#[derive(Clone)]
pub struct PreparedRequest {
    pub(crate) action: &'static str,
    pub(crate) method: HttpMethod,
    pub(crate) endpoint: Arc<Endpoint>,
    /// The percent-encoded query string, without the `?`.
    pub(crate) query: String,
    /// Lower-case header names.
    pub(crate) headers: Vec<(&'static str, String)>,
}

impl PreparedRequest {
    /// The operation's `Action`.
    pub fn action(&self) -> &str {
        self.action
    }

    /// The HTTP method.
    pub fn method(&self) -> HttpMethod {
        self.method
    }

    /// The endpoint the request goes to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The query parameters, secrets replaced by `<redacted>`.
    pub fn query_redacted(&self) -> Vec<(String, String)> {
        // The signer writes `%20` for a space and `%2B` for `+`, so form decoding reads the
        // query back exactly.
        form_urlencoded::parse(self.query.as_bytes())
            .map(|(name, value)| {
                let shown = if SECRET_PARAMS.contains(&name.as_ref()) {
                    REDACTED.to_owned()
                } else {
                    value.into_owned()
                };
                (name.into_owned(), shown)
            })
            .collect()
    }

    /// The headers, secrets replaced by `<redacted>`.
    pub fn headers_redacted(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|&(name, ref value)| {
                let shown = if SECRET_HEADERS.contains(&name) {
                    REDACTED.to_owned()
                } else if name == "authorization" {
                    redact_echoed_secrets(value)
                } else {
                    value.clone()
                };
                (name.to_owned(), shown)
            })
            .collect()
    }

    /// The URL with its query, secrets replaced by `<redacted>` (left unencoded so it reads).
    pub fn url_redacted(&self) -> String {
        let query: Vec<String> = self
            .query_redacted()
            .iter()
            .map(|(name, value)| {
                format!("{}={}", percent_encode(name), percent_encode_shown(value))
            })
            .collect();
        format!("{}?{}", self.endpoint.url(), query.join("&"))
    }

    /// The URL actually sent, signature included. Crate-private: it must not be shown.
    pub(crate) fn url(&self) -> String {
        let base = self.endpoint.url();
        let mut url = String::with_capacity(base.len() + 1 + self.query.len());
        url.push_str(base);
        url.push('?');
        url.push_str(&self.query);
        url
    }
}

/// Encodes a shown value, but leaves the redaction marker readable.
fn percent_encode_shown(value: &str) -> String {
    if value == REDACTED {
        REDACTED.to_owned()
    } else {
        percent_encode(value)
    }
}

impl fmt::Display for PreparedRequest {
    /// The request line and headers, one per line, as `curl -v` would show them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.url_redacted())?;
        let mut has_host = false;
        for (name, value) in self.headers_redacted() {
            has_host |= name == "host";
            write!(f, "\n{name}: {value}")?;
        }
        if !has_host {
            write!(f, "\nhost: {}", self.endpoint.authority())?;
        }
        write!(f, "\nuser-agent: {}", user_agent())?;
        if self.method == HttpMethod::Post {
            f.write_str("\ncontent-length: 0")?;
        }
        Ok(())
    }
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("action", &self.action)
            .field("method", &self.method)
            .field("endpoint", &self.endpoint.to_string())
            .field("query", &self.query_redacted())
            .field("headers", &self.headers_redacted())
            .finish()
    }
}

/// How one attempt failed before an answer was read.
#[derive(Debug)]
pub(crate) enum AttemptFailure {
    /// Connecting failed, or took longer than the connect timeout; nothing was sent.
    Connect {
        timed_out: bool,
        source: reqwest::Error,
    },
    /// The attempt ran past its time limit.
    TimedOut,
    /// The connection broke after the request may have been written.
    Broken(reqwest::Error),
    /// The HTTP client could not build the request (a header value it cannot carry, say);
    /// nothing was sent, and sending it again would fail the same way.
    Unsendable(reqwest::Error),
}

/// The HTTP client, shared by all clones of a [`Client`](crate::Client).
#[derive(Debug, Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
}

impl Transport {
    pub(crate) fn new(connect_timeout: Duration) -> Result<Self, ConfigError> {
        let tls = tls_config()?;
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .connect_timeout(connect_timeout)
            .user_agent(user_agent())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ConfigError::Http {
                reason: error_chain(&e),
            })?;
        Ok(Transport { http })
    }

    /// Sends one attempt and reads the whole answer, within `limit`. The request is used up:
    /// its header values move into the HTTP request rather than being copied.
    pub(crate) async fn send(
        &self,
        request: PreparedRequest,
        limit: Duration,
    ) -> Result<RawAnswer, AttemptFailure> {
        let method = match request.method {
            HttpMethod::Get => reqwest::Method::GET,
            HttpMethod::Post => reqwest::Method::POST,
        };
        let mut builder = self.http.request(method, request.url());
        for (name, value) in request.headers {
            // reqwest writes `Host` from the URL: the same host and port that were signed.
            if name != "host" {
                // The names are the signer's lower-case constants, so they need no parsing
                // (`signed_header_names_are_valid_http_names` checks every one). An owned
                // `String` becomes the header value without a copy.
                builder = builder.header(reqwest::header::HeaderName::from_static(name), value);
            }
        }
        if request.method == HttpMethod::Post {
            // Parameters travel in the query; the body is empty, as the official SDKs send it.
            // The length is stated: hyper leaves it out for an empty body, and some proxies
            // refuse a POST without one (411 Length Required).
            builder = builder
                .header(reqwest::header::CONTENT_LENGTH, "0")
                .body(Vec::new());
        }

        let exchange = async {
            let response = builder.send().await.map_err(classify)?;
            let status = response.status().as_u16();
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            };
            let request_id = header("x-acs-request-id");
            let retry_after = header("x-acs-retry-after");
            let (body, too_large) = read_body(response).await?;
            Ok(RawAnswer {
                status,
                request_id,
                retry_after,
                body,
                too_large,
            })
        };
        match tokio::time::timeout(limit, exchange).await {
            Ok(result) => result,
            Err(_elapsed) => Err(AttemptFailure::TimedOut),
        }
    }
}

/// Reads an answer's body up to [`MAX_BODY_BYTES`]; past that it stops and says so.
async fn read_body(mut response: reqwest::Response) -> Result<(Vec<u8>, bool), AttemptFailure> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(AttemptFailure::Broken)? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Ok((body, true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, false))
}

/// Sorts a reqwest error into "nothing was sent" and "may have been sent".
fn classify(error: reqwest::Error) -> AttemptFailure {
    // The URL carries the signature; it must not travel with the error.
    let error = error.without_url();
    if error.is_builder() {
        AttemptFailure::Unsendable(error)
    } else if error.is_connect() {
        AttemptFailure::Connect {
            timed_out: error.is_timeout(),
            source: error,
        }
    } else {
        AttemptFailure::Broken(error)
    }
}

/// The causes of an error, joined, for messages that keep no error value.
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        text.push_str(": ");
        text.push_str(&e.to_string());
        cause = e.source();
    }
    text
}

/// rustls with the `ring` provider and the platform's verifier (the system's trust store).
fn tls_config() -> Result<rustls::ClientConfig, ConfigError> {
    use rustls_platform_verifier::BuilderVerifierExt;

    let tls_error = |e: rustls::Error| ConfigError::Tls {
        reason: e.to_string(),
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_platform_verifier()
        .map_err(tls_error)?
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_the_client_cannot_build_is_unsendable_not_broken() {
        let transport = Transport::new(Duration::from_secs(1)).expect("the client builds");
        let error = transport
            .http
            .post("http://127.0.0.1:9/")
            .header("x-acs-signature-nonce", "line\nbreak")
            .build()
            .expect_err("a line break cannot go in a header");
        assert!(
            matches!(classify(error), AttemptFailure::Unsendable(_)),
            "a request that never left would be reported as sent and retried"
        );
    }

    #[test]
    fn signed_header_names_are_valid_http_names() {
        use crate::credentials::Credentials;
        use crate::signing::{self, SignatureVersion, SigningRequest};

        let credentials = Credentials::new("id", "secret").with_security_token("token");
        for version in [SignatureVersion::V1, SignatureVersion::V3] {
            let request = SigningRequest {
                method: HttpMethod::Post,
                host: "example.com",
                path: "/",
                action: "DescribeDBInstanceSSL",
                version: "2015-12-01",
                params: &[],
                body: b"",
            };
            let signed = signing::sign(&request, &credentials, version, signing::now(), "n");
            for (name, _) in &signed.headers {
                assert!(
                    reqwest::header::HeaderName::from_lowercase(name.as_bytes()).is_ok(),
                    "{name}"
                );
            }
        }
    }

    #[test]
    fn the_user_agent_names_the_crate_and_its_version() {
        assert!(user_agent().starts_with(concat!("dds-api/", env!("CARGO_PKG_VERSION"), " ")));
    }
}
