//! Shared by the emulator's test files: start an emulator, sign a request with the SDK's own
//! signer, send it over loopback, read the answer.
#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use dds_api::credentials::Credentials;
use dds_api::operation::HttpMethod;
use dds_api::signing::{self, SignatureVersion, SigningRequest, percent_encode, v1};
use dds_emulator::{Config, Emulator, ManualClock};
use serde_json::Value;

pub const VERSION: &str = "2015-12-01";

/// Query parameters or headers, in order.
pub type Pairs = Vec<(String, String)>;

/// A fixed starting time for tests that move the clock.
pub fn test_epoch() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_000_000)
}

pub fn default_credentials() -> Credentials {
    Credentials::new(
        Config::DEFAULT_ACCESS_KEY_ID,
        Config::DEFAULT_ACCESS_KEY_SECRET,
    )
}

/// An emulator with a manual clock (starting at [`test_epoch`]) and the given restart time.
pub async fn start_with_clock(restart: Duration) -> (Emulator, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(test_epoch()));
    let emulator = Emulator::start(Config::default().clock(clock.clone()).restart_time(restart))
        .await
        .expect("emulator starts");
    (emulator, clock)
}

/// Where the parameters travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// All in the query string (what the official SDKs do).
    Query,
    /// All in an `application/x-www-form-urlencoded` body, nothing in the query (V1 only,
    /// as `@alicloud/pop-core` sends POSTs).
    FormBody,
}

/// One request to build, sign and send. Fields left alone give a valid request.
#[derive(Debug, Clone)]
pub struct Call {
    pub action: String,
    pub version: String,
    pub params: Vec<(String, String)>,
    pub signature: SignatureVersion,
    pub method: HttpMethod,
    pub placement: Placement,
    pub credentials: Credentials,
    pub time: SystemTime,
    pub nonce: String,
    /// `Format` to add (V1 signs whatever it is; V3 sends it as a query parameter).
    pub format: Option<String>,
    /// Drops the `accept` header the signer adds.
    pub no_accept: bool,
    /// Encodes a space in the query as `+` instead of `%20`.
    pub plus_for_space: bool,
}

impl Call {
    pub fn new(action: &str) -> Self {
        Self {
            action: action.to_owned(),
            version: VERSION.to_owned(),
            params: Vec::new(),
            signature: SignatureVersion::V3,
            method: HttpMethod::Post,
            placement: Placement::Query,
            credentials: default_credentials(),
            time: SystemTime::now(),
            nonce: signing::new_nonce().expect("random nonce"),
            format: None,
            no_accept: false,
            plus_for_space: false,
        }
    }

    pub fn param(mut self, name: &str, value: &str) -> Self {
        self.params.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn v1(mut self) -> Self {
        self.signature = SignatureVersion::V1;
        self
    }

    pub fn at(mut self, time: SystemTime) -> Self {
        self.time = time;
        self
    }

    /// Signs the call: the query parameters and headers to send, before any tampering.
    pub fn sign(&self, host: &str) -> (Pairs, Pairs) {
        let mut params = self.params.clone();
        if let (Some(format), SignatureVersion::V3) = (&self.format, self.signature) {
            params.push(("Format".to_owned(), format.clone()));
        }
        let signed = signing::sign(
            &SigningRequest {
                method: self.method,
                host,
                path: "/",
                action: &self.action,
                version: &self.version,
                params: &params,
                body: b"",
            },
            &self.credentials,
            self.signature,
            time::OffsetDateTime::from(self.time),
            &self.nonce,
        );
        let mut query = signed.query_pairs();
        let headers = signed.header_pairs();
        // The V1 signer always writes `Format=JSON`; a call that names another format
        // replaces it and signs again.
        if let (Some(format), SignatureVersion::V1) = (&self.format, self.signature) {
            query.retain(|(k, _)| k != v1::SIGNATURE_PARAM);
            for (k, v) in &mut query {
                if k == "Format" {
                    *v = format.clone();
                }
            }
            let string_to_sign = v1::string_to_sign(self.method.as_str(), &query);
            let signature =
                v1::signature(self.credentials.access_key_secret.expose(), &string_to_sign);
            query.push((v1::SIGNATURE_PARAM.to_owned(), signature));
        }
        (query, headers)
    }

    /// Signs and sends the call, letting `tamper` change the query and headers after
    /// signing.
    pub async fn send_tampered(
        &self,
        emulator: &Emulator,
        tamper: impl FnOnce(&mut Pairs, &mut Pairs),
    ) -> Reply {
        self.try_send_to(emulator.url(), tamper)
            .await
            .expect("the emulator answers")
    }

    pub async fn send(&self, emulator: &Emulator) -> Reply {
        self.send_tampered(emulator, |_, _| {}).await
    }

    /// Signs and sends the call to an endpoint URL (`http://127.0.0.1:PORT`); `Err` when
    /// nothing answered.
    pub async fn try_send_to(
        &self,
        url: &str,
        tamper: impl FnOnce(&mut Pairs, &mut Pairs),
    ) -> std::io::Result<Reply> {
        let host = url.trim_start_matches("http://").trim_end_matches('/');
        let (mut query, mut headers) = self.sign(host);
        if self.no_accept {
            headers.retain(|(k, _)| k != "accept");
        }
        tamper(&mut query, &mut headers);
        try_send_raw(
            url,
            self.method,
            &query,
            &headers,
            self.placement,
            self.plus_for_space,
        )
        .await
    }
}

/// Encodes pairs as a query string or form body.
pub fn encode_pairs(pairs: &[(String, String)], plus_for_space: bool) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            let v = percent_encode(v);
            let v = if plus_for_space {
                v.replace("%20", "+")
            } else {
                v
            };
            format!("{}={v}", percent_encode(k))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Sends a request as given. `host` headers are left to the HTTP client, which writes the
/// same `127.0.0.1:PORT` the signer signed.
pub async fn send_raw(
    emulator: &Emulator,
    method: HttpMethod,
    query: &[(String, String)],
    headers: &[(String, String)],
    placement: Placement,
    plus_for_space: bool,
) -> Reply {
    try_send_raw(
        emulator.url(),
        method,
        query,
        headers,
        placement,
        plus_for_space,
    )
    .await
    .expect("the emulator answers")
}

pub async fn try_send_raw(
    base_url: &str,
    method: HttpMethod,
    query: &[(String, String)],
    headers: &[(String, String)],
    placement: Placement,
    plus_for_space: bool,
) -> std::io::Result<Reply> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    // A minimal HTTP/1.1 exchange over a fresh connection, so that the bytes on the wire are
    // exactly the ones written here (no client-side re-encoding).
    let host = base_url.trim_start_matches("http://").trim_end_matches('/');
    let encoded = encode_pairs(query, plus_for_space);
    let (target, body) = match placement {
        Placement::Query if encoded.is_empty() => (String::from("/"), String::new()),
        Placement::Query => (format!("/?{encoded}"), String::new()),
        Placement::FormBody => (String::from("/"), encoded),
    };
    let mut request =
        format!("{method} {target} HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n");
    for (name, value) in headers {
        if name != "host" {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    if placement == Placement::FormBody {
        request.push_str("content-type: application/x-www-form-urlencoded\r\n");
    }
    request.push_str(&format!("content-length: {}\r\n\r\n{body}", body.len()));

    let mut stream = tokio::net::TcpStream::connect(host).await?;
    stream.write_all(request.as_bytes()).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;

    let text = String::from_utf8(raw)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "no header end"))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "no status"))?;
    let content_type = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map(|(_, value)| value.trim().to_owned())
        .unwrap_or_default();
    Ok(Reply {
        status,
        content_type,
        text: body.to_owned(),
    })
}

/// An answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub text: String,
}

impl Reply {
    /// The body as JSON; panics with the body when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// The `Code` of a JSON error body.
    pub fn code(&self) -> String {
        self.json()["Code"].as_str().unwrap_or_default().to_owned()
    }

    pub fn message(&self) -> String {
        self.json()["Message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Asserts an error answer with this status and code, and returns its message.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) -> String {
        assert_eq!(
            (self.status, self.code().as_str()),
            (status, code),
            "answer: {}",
            self.text
        );
        self.message()
    }

    #[track_caller]
    pub fn assert_ok(&self) -> Value {
        assert_eq!(self.status, 200, "answer: {}", self.text);
        self.json()
    }
}
