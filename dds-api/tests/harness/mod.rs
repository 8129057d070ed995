//! Shared by the runtime's test files: a scripted HTTP server on 127.0.0.1:0 that records what
//! it receives, hand-written operations (a read, a write and a GET-only one), and a sleeper
//! that records the waits it is asked for.

#![allow(dead_code, unreachable_pub)]

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dds_api::credentials::Credentials;
use dds_api::operation::{
    ErrorMeta, HttpMethod, OperationKind, OperationMeta, ParamMeta, ParamStyle, ShapeMeta, TypeMeta,
};
use dds_api::retry::Sleep;
use dds_api::validation::Rule;
use dds_api::{Client, ClientBuilder, OperationError, Request, RetryPolicy, ServiceError};
use dds_api::{ValidationErrors, WireParams};
use serde::Deserialize;

pub const ACCESS_KEY_ID: &str = "LTAI5tTestKeyId0001";
pub const ACCESS_KEY_SECRET: &str = "TestSecretValueThatMustNeverLeak42";
pub const SECURITY_TOKEN: &str = "CAIStsTokenThatMustNeverLeak+/==";

pub fn credentials() -> Credentials {
    Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
}

pub fn sts_credentials() -> Credentials {
    credentials().with_security_token(SECURITY_TOKEN)
}

// ---------------------------------------------------------------------------------------
// The scripted server.

/// One answer the server gives.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
}

impl Reply {
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    /// A 200 answer with a JSON object body.
    pub fn ok(request_id: &str) -> Self {
        Reply::new(
            200,
            format!(r#"{{"RequestId":"{request_id}","Status":"Running"}}"#),
        )
        .header("content-type", "application/json")
    }

    /// An error answer with the gateway's JSON error body.
    pub fn error(status: u16, code: &str, message: &str, request_id: &str) -> Self {
        let body = serde_json::json!({
            "RequestId": request_id,
            "HostId": "mongodb.aliyuncs.com",
            "Code": code,
            "Message": message,
            "Recommend": format!("https://api.aliyun.com/troubleshoot?q={code}&product=Dds&requestId={request_id}"),
        });
        Reply::new(status, body.to_string()).header("content-type", "application/json")
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Waits this long before answering.
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    /// The raw query string, as sent.
    pub raw_query: String,
    /// Decoded query parameters, in order.
    pub query: Vec<(String, String)>,
    /// Lower-case header names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct ServerState {
    received: Mutex<Vec<Received>>,
    script: Mutex<VecDeque<Reply>>,
    /// Answered once the script is used up.
    last: Mutex<Option<Reply>>,
}

/// A local HTTP server that answers from a script and records every request.
pub struct Server {
    pub addr: SocketAddr,
    state: Arc<ServerState>,
}

impl Server {
    /// Starts a server answering `replies` in order, repeating the last one when they run out.
    pub async fn start(replies: Vec<Reply>) -> Server {
        let state = Arc::new(ServerState::default());
        *state.last.lock().unwrap() = replies.last().cloned();
        *state.script.lock().unwrap() = replies.into();

        let app = axum::Router::new()
            .fallback(handle)
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Server { addr, state }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.received.lock().unwrap().clone()
    }

    /// A client for this server with the given retry policy and static credentials.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .endpoint(self.url())
            .credentials(credentials())
    }
}

async fn handle(
    axum::extract::State(state): axum::extract::State<Arc<ServerState>>,
    request: axum::extract::Request,
) -> axum::response::Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20).await.unwrap().to_vec();
    let raw_query = parts.uri.query().unwrap_or("").to_owned();
    let query = reqwest::Url::parse(&format!("http://x/?{raw_query}"))
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let headers = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    state.received.lock().unwrap().push(Received {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        raw_query,
        query,
        headers,
        body,
    });

    let reply = {
        let mut script = state.script.lock().unwrap();
        script
            .pop_front()
            .or_else(|| state.last.lock().unwrap().clone())
            .unwrap_or_else(|| Reply::new(500, "no reply scripted"))
    };
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut response = axum::response::Response::builder().status(reply.status);
    for (name, value) in &reply.headers {
        response = response.header(name, value);
    }
    response.body(axum::body::Body::from(reply.body)).unwrap()
}

/// A server that accepts connections, reads the request and closes the connection without
/// answering: the request was delivered, the answer never comes. Counts the connections.
pub struct DroppingServer {
    pub addr: SocketAddr,
    pub connections: Arc<Mutex<u32>>,
}

impl DroppingServer {
    pub async fn start() -> DroppingServer {
        use tokio::io::AsyncReadExt;

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let connections = Arc::new(Mutex::new(0));
        let counter = connections.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                *counter.lock().unwrap() += 1;
                let mut buf = vec![0u8; 8192];
                // Read the request head; then drop the socket.
                let _ = socket.read(&mut buf).await;
            }
        });
        DroppingServer { addr, connections }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn connections(&self) -> u32 {
        *self.connections.lock().unwrap()
    }
}

/// An address nothing listens on: connecting is refused.
pub async fn refused_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

// ---------------------------------------------------------------------------------------
// The sleeper.

/// Records each wait and returns at once.
#[derive(Debug, Clone, Default)]
pub struct RecordingSleep {
    waits: Arc<Mutex<Vec<Duration>>>,
}

impl RecordingSleep {
    pub fn waits(&self) -> Vec<Duration> {
        self.waits.lock().unwrap().clone()
    }
}

impl Sleep for RecordingSleep {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        self.waits.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

/// The default policy with a recording sleeper.
pub fn recording_policy() -> (RetryPolicy, RecordingSleep) {
    let sleep = RecordingSleep::default();
    (RetryPolicy::new().sleep_impl(sleep.clone()), sleep)
}

// ---------------------------------------------------------------------------------------
// Hand-written operations, shaped like the generated ones.

/// The answer of the fake operations.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ThingResponse {
    #[serde(rename = "RequestId")]
    pub request_id: String,
    #[serde(rename = "Status")]
    pub status: Option<String>,
}

/// The error type of the fake operations: two documented codes and `Unhandled`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ThingError {
    /// `InvalidDBInstanceId.NotFound`.
    InstanceNotFound(ServiceError),
    /// `InvalidParameter`, which is also a gateway code.
    InvalidParameter(ServiceError),
    /// Any other code.
    Unhandled(ServiceError),
}

impl fmt::Display for ThingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.service_error().fmt(f)
    }
}

impl std::error::Error for ThingError {}

impl OperationError for ThingError {
    fn from_service_error(error: ServiceError) -> Self {
        match error.code.as_str() {
            "InvalidDBInstanceId.NotFound" => ThingError::InstanceNotFound(error),
            "InvalidParameter" => ThingError::InvalidParameter(error),
            _ => ThingError::Unhandled(error),
        }
    }

    fn service_error(&self) -> &ServiceError {
        match self {
            ThingError::InstanceNotFound(e)
            | ThingError::InvalidParameter(e)
            | ThingError::Unhandled(e) => e,
        }
    }
}

static PARAMETERS: [ParamMeta; 2] = [
    ParamMeta {
        wire_name: "DBInstanceId",
        rust_name: "db_instance_id",
        description: "",
        ty: TypeMeta::String,
        style: ParamStyle::Simple,
        required: true,
        enum_values: &[],
        minimum: None,
        maximum: None,
        min_length: Some(1),
        max_length: None,
        max_items: None,
        pattern: None,
        default: None,
    },
    ParamMeta {
        wire_name: "Engine",
        rust_name: "engine",
        description: "",
        ty: TypeMeta::String,
        style: ParamStyle::Simple,
        required: false,
        enum_values: &["MongoDB"],
        minimum: None,
        maximum: None,
        min_length: None,
        max_length: None,
        max_items: None,
        pattern: None,
        default: None,
    },
];

static ERRORS: [ErrorMeta; 2] = [
    ErrorMeta {
        code: "InvalidDBInstanceId.NotFound",
        status: 404,
        message: "Specified instance does not exist.",
    },
    ErrorMeta {
        code: "InvalidParameter",
        status: 400,
        message: "Specified parameters is not valid.",
    },
];

static RESPONSE: ShapeMeta = ShapeMeta::Object(&[]);

fn check_values(db_instance_id: Option<&str>, engine: Option<&str>) -> ValidationErrors {
    let mut errors = ValidationErrors::new();
    match db_instance_id {
        None => errors.push("DBInstanceId", Rule::Required),
        Some("") => errors.push("DBInstanceId", Rule::MinLength { min: 1, found: 0 }),
        Some(_) => {}
    }
    if let Some(engine) = engine
        && engine != "MongoDB"
    {
        errors.push(
            "Engine",
            Rule::Enum {
                found: engine.to_owned(),
                allowed: vec!["MongoDB".to_owned()],
            },
        );
    }
    errors
}

fn check_wire(params: &WireParams) -> Result<(), ValidationErrors> {
    check_values(
        params.get("DBInstanceId").map(String::as_str),
        params.get("Engine").map(String::as_str),
    )
    .into_result(())
}

macro_rules! fake_operation {
    ($name:ident, $meta:ident, $action:literal, $cli:literal, $kind:expr, $methods:expr) => {
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            pub db_instance_id: String,
            pub engine: Option<String>,
        }

        impl $name {
            pub fn new(db_instance_id: &str) -> Self {
                $name {
                    db_instance_id: db_instance_id.to_owned(),
                    engine: None,
                }
            }
        }

        pub static $meta: OperationMeta = OperationMeta {
            action: $action,
            rust_name: stringify!($name),
            cli_name: $cli,
            summary: "A hand-written operation for the runtime's tests.",
            description: "",
            methods: $methods,
            kind: $kind,
            parameters: &PARAMETERS,
            response: &RESPONSE,
            errors: &ERRORS,
            check_wire,
            reencode_wire: dds_api::operation::reencode_wire::<$name>,
            response_example: None,
            decode_response: dds_api::operation::decode_response::<$name>,
        };

        impl Request for $name {
            type Response = ThingResponse;
            type Error = ThingError;
            const META: &'static OperationMeta = &$meta;

            fn validate(&self) -> Result<(), ValidationErrors> {
                check_values(Some(&self.db_instance_id), self.engine.as_deref()).into_result(())
            }

            fn to_wire(&self) -> Vec<(String, String)> {
                let mut wire = vec![("DBInstanceId".to_owned(), self.db_instance_id.clone())];
                if let Some(engine) = &self.engine {
                    wire.push(("Engine".to_owned(), engine.clone()));
                }
                wire
            }

            fn from_wire(params: &WireParams) -> Result<Self, ValidationErrors> {
                check_wire(params)?;
                Ok($name {
                    db_instance_id: params["DBInstanceId"].clone(),
                    engine: params.get("Engine").cloned(),
                })
            }
        }
    };
}

fake_operation!(
    DescribeThing,
    DESCRIBE_THING,
    "DescribeThing",
    "describe-thing",
    OperationKind::Read,
    &[HttpMethod::Post, HttpMethod::Get]
);
fake_operation!(
    ModifyThing,
    MODIFY_THING,
    "ModifyThing",
    "modify-thing",
    OperationKind::Write,
    &[HttpMethod::Post]
);
fake_operation!(
    ListThings,
    LIST_THINGS,
    "ListThings",
    "list-things",
    OperationKind::Read,
    &[HttpMethod::Get]
);

/// An address whose connections hang in the TCP handshake: a listener that never accepts,
/// with its (tiny) accept queue already filled, so the kernel drops further handshakes.
/// Keep the returned guard alive while using the URL.
pub async fn hanging_connect_url() -> (String, Vec<std::net::TcpStream>, tokio::net::TcpListener) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    // Fill the accept queue; each of these completes its handshake and waits there.
    let mut fillers = Vec::new();
    for _ in 0..4 {
        match std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(100)) {
            Ok(stream) => fillers.push(stream),
            Err(_) => break,
        }
    }
    (format!("http://{addr}"), fillers, listener)
}
