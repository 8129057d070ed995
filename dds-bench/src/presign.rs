//! Requests signed ahead of a timed run, each with its own nonce, for the senders that do not
//! sign inline (bare reqwest, wrk). The emulator refuses a nonce it has seen, so every request
//! is sent once.

use std::fmt::Write as _;

use dds_api::credentials::Credentials;
use dds_api::operation::{OperationMeta, Request};
use dds_api::operations::{DescribeDbInstanceAttribute, DescribeDbInstanceSsl};
use dds_api::signing::{self, NonceError, SignatureVersion, SigningRequest};
use dds_emulator::DEMO_RS44_SSL;
use time::OffsetDateTime;

/// The call the load tools make, on the emulator's demo instance `dds-demo-rs44-ssl`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DemoCall {
    /// DescribeDBInstanceAttribute.
    Attribute,
    /// DescribeDBInstanceSSL.
    Ssl,
}

impl DemoCall {
    /// The operation's `Action`.
    pub fn action(self) -> &'static str {
        match self {
            DemoCall::Attribute => "DescribeDBInstanceAttribute",
            DemoCall::Ssl => "DescribeDBInstanceSSL",
        }
    }

    /// The call whose `Action` is `action`.
    pub fn from_action(action: &str) -> Option<Self> {
        [DemoCall::Attribute, DemoCall::Ssl]
            .into_iter()
            .find(|call| call.action() == action)
    }

    /// A presigner for this call to the emulator at `authority`.
    pub fn presigner<'a>(
        self,
        authority: &'a str,
        credentials: &'a Credentials,
        version: SignatureVersion,
    ) -> Result<Presigner<'a>, String> {
        let invalid =
            |e: dds_api::ValidationErrors| format!("the benchmark request is invalid: {e}");
        Ok(match self {
            DemoCall::Attribute => {
                let request = DescribeDbInstanceAttribute::builder()
                    .db_instance_id(DEMO_RS44_SSL)
                    .build()
                    .map_err(invalid)?;
                Presigner::for_request(authority, credentials, version, &request)
            }
            DemoCall::Ssl => {
                let request = DescribeDbInstanceSsl::builder()
                    .db_instance_id(DEMO_RS44_SSL)
                    .build()
                    .map_err(invalid)?;
                Presigner::for_request(authority, credentials, version, &request)
            }
        })
    }
}

/// Parses a `--signature` option: `v1` or `v3`, in any case.
pub fn parse_signature(text: &str) -> Result<SignatureVersion, String> {
    match text.to_ascii_lowercase().as_str() {
        "v1" => Ok(SignatureVersion::V1),
        "v3" => Ok(SignatureVersion::V3),
        _ => Err(format!("`{text}` is not a signature version; use v1 or v3")),
    }
}

/// One signed request: everything a plain HTTP client needs to send it.
///
/// It carries a signature, so it is only ever built from throw-away benchmark credentials;
/// `Debug` shows the shape without the values.
#[derive(Clone)]
pub struct PresignedRequest {
    /// `POST` or `GET`.
    pub method: &'static str,
    /// `/?Name=value&...`, percent-encoded.
    pub path_and_query: String,
    /// Headers to send besides `Host` (lower-case names).
    pub headers: Vec<(String, String)>,
    /// The nonce the request was signed with.
    pub nonce: String,
}

impl std::fmt::Debug for PresignedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PresignedRequest")
            .field("method", &self.method)
            .field("query_len", &self.path_and_query.len())
            .field("headers", &self.headers.len())
            .finish_non_exhaustive()
    }
}

/// What to sign: one operation's request, for one endpoint, with one key.
#[derive(Debug, Clone)]
pub struct Presigner<'a> {
    /// The endpoint's `host:port`, as the V3 signature covers it.
    pub authority: &'a str,
    /// The key to sign with.
    pub credentials: &'a Credentials,
    /// V1 or V3.
    pub version: SignatureVersion,
    /// The operation's metadata (action, method).
    pub meta: &'static OperationMeta,
    /// The operation's wire parameters.
    pub params: Vec<(String, String)>,
}

impl<'a> Presigner<'a> {
    /// A presigner for a typed request.
    pub fn for_request<R: Request>(
        authority: &'a str,
        credentials: &'a Credentials,
        version: SignatureVersion,
        request: &R,
    ) -> Self {
        Presigner {
            authority,
            credentials,
            version,
            meta: R::META,
            params: request.to_wire(),
        }
    }

    /// Signs `count` requests at `timestamp`, each with a fresh nonce from the system's random
    /// source (as the SDK draws them).
    pub fn sign_many(
        &self,
        count: usize,
        timestamp: OffsetDateTime,
    ) -> Result<Vec<PresignedRequest>, NonceError> {
        (0..count)
            .map(|_| Ok(self.sign(&signing::new_nonce()?, timestamp)))
            .collect()
    }

    /// Signs one request with the given nonce and instant.
    pub fn sign(&self, nonce: &str, timestamp: OffsetDateTime) -> PresignedRequest {
        let method = self.meta.method();
        let request = SigningRequest {
            method,
            host: self.authority,
            path: "/",
            action: self.meta.action,
            version: dds_api::operations::VERSION,
            params: &self.params,
            body: &[],
        };
        let signed = signing::sign(&request, self.credentials, self.version, timestamp, nonce);

        PresignedRequest {
            method: method.as_str(),
            path_and_query: format!("/?{}", signed.query),
            // The HTTP client writes `Host` from the URL, the same authority that was signed.
            headers: signed
                .headers
                .into_iter()
                .filter(|(name, _)| *name != "host")
                .map(|(name, value)| (name.to_owned(), value.into_owned()))
                .collect(),
            nonce: nonce.to_owned(),
        }
    }
}

impl PresignedRequest {
    /// The signature as it appears in the request text: the V3 `Signature=` field of the
    /// `authorization` header, or the V1 `Signature` query parameter (percent-encoded).
    pub fn signature_as_sent(&self) -> Option<&str> {
        let v3 = self
            .headers
            .iter()
            .find(|(name, _)| name == "authorization")
            .and_then(|(_, value)| value.rsplit_once("Signature="))
            .map(|(_, signature)| signature);
        let v1 = || {
            self.path_and_query
                .split(['?', '&'])
                .find_map(|pair| pair.strip_prefix("Signature="))
        };
        v3.or_else(v1)
    }

    /// The whole HTTP/1.1 request, as a load generator writes it to the socket.
    pub fn to_http1(&self, authority: &str) -> String {
        let mut text = format!(
            "{} {} HTTP/1.1\r\nhost: {authority}\r\n",
            self.method, self.path_and_query
        );
        for (name, value) in &self.headers {
            let _ = write!(text, "{name}: {value}\r\n");
        }
        if self.method == "POST" {
            text.push_str("content-length: 0\r\n");
        }
        text.push_str("\r\n");
        text
    }
}
