//! What every generated operation provides to the runtime, the emulator and the CLI.
//!
//! The `dds_macros::product!` macro implements [`Request`] and [`OperationError`] for each
//! operation spec and describes it with a static [`OperationMeta`]. Nothing here knows about a
//! particular operation; the client, the emulator and the CLI work only through these items.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::DeserializeOwned;

use crate::error::ServiceError;
use crate::validation::ValidationErrors;

/// Request parameters as they travel on the wire, after URL decoding: wire name to value.
///
/// Flattened lists appear with their 1-based index (`Tag.1.Key`). A `BTreeMap` keeps the
/// names in byte order, which is also the order the V1 signature sorts them in.
pub type WireParams = BTreeMap<String, String>;

/// A typed request of one operation.
///
/// Implemented by generated code. `to_wire` and `from_wire` are inverse for every valid
/// request: `R::from_wire(&r.to_wire().into_iter().collect()) == Ok(r)`.
pub trait Request: Sized + Clone + fmt::Debug + PartialEq + Send + Sync + 'static {
    /// The decoded body of a successful answer.
    type Response: DeserializeOwned + fmt::Debug + Send + 'static;
    /// The operation's error type, one variant per documented error code.
    type Error: OperationError;

    /// Static description of the operation, from its spec.
    const META: &'static OperationMeta;

    /// Checks every constraint of the spec (enum, range, length, pattern, item count) and
    /// reports all violations, not only the first.
    fn validate(&self) -> Result<(), ValidationErrors>;

    /// The operation's own parameters in wire form (lists flattened, JSON parameters
    /// encoded), without the common parameters (`Action`, `Version`, signature fields).
    fn to_wire(&self) -> Vec<(String, String)>;

    /// Parses wire parameters back into a typed request, applying the same validation as
    /// [`Request::validate`] plus required-parameter and type checks. Parameters the
    /// operation does not know (the common ones among them) are ignored.
    fn from_wire(params: &WireParams) -> Result<Self, ValidationErrors>;
}

/// The error type of one operation.
///
/// Documented codes map to their own variants; anything else is kept whole in an
/// `Unhandled` variant, so no information is lost either way.
pub trait OperationError: std::error::Error + fmt::Debug + Send + Sync + 'static {
    /// Classifies a service error answered by the server for this operation.
    fn from_service_error(error: ServiceError) -> Self;

    /// The underlying service error: HTTP status, code, message and request id.
    fn service_error(&self) -> &ServiceError;
}

/// Whether an operation changes state. Write operations are not retried once they may have
/// reached the server, unless the caller opts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperationKind {
    /// Only reads state; always safe to retry.
    Read,
    /// Changes state.
    Write,
}

/// An HTTP method an operation accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum HttpMethod {
    /// `GET`, parameters in the query string.
    Get,
    /// `POST`, parameters in the query string (as the official SDKs send them) or a form body.
    /// What the SDK sends unless an operation allows only `GET`.
    #[default]
    Post,
}

impl HttpMethod {
    /// The method as written in a request line.
    pub const fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Static description of one operation, generated from its spec.
#[derive(Debug)]
pub struct OperationMeta {
    /// The `Action` value sent on the wire, e.g. `ModifyDBInstanceSSL`.
    pub action: &'static str,
    /// The Rust type name of the request, e.g. `ModifyDbInstanceSsl`.
    pub rust_name: &'static str,
    /// The kebab-case name used by the CLI, e.g. `modify-db-instance-ssl`.
    pub cli_name: &'static str,
    /// One-line summary from the spec.
    pub summary: &'static str,
    /// Longer description from the spec, possibly empty.
    pub description: &'static str,
    /// Accepted HTTP methods; the first is the one the SDK uses.
    pub methods: &'static [HttpMethod],
    /// Read or write.
    pub kind: OperationKind,
    /// The operation's own parameters, in spec order.
    pub parameters: &'static [ParamMeta],
    /// Shape of a successful response body.
    pub response: &'static ShapeMeta,
    /// Documented error codes.
    pub errors: &'static [ErrorMeta],
    /// Parses and validates wire parameters as [`Request::from_wire`] does, for callers that
    /// hold only the metadata (the emulator, the CLI).
    pub check_wire: fn(&WireParams) -> Result<(), ValidationErrors>,
    /// Parses wire parameters as [`Request::from_wire`] does and writes the request back with
    /// [`Request::to_wire`]: the canonical wire form of what was understood. Lets callers that
    /// hold only the metadata check the round trip (see [`reencode_wire`]).
    // The same pairs as `Request::to_wire` (a list, so a name written twice would show).
    #[allow(clippy::type_complexity)]
    pub reencode_wire: fn(&WireParams) -> Result<Vec<(String, String)>, ValidationErrors>,
    /// The spec's `responseExample`: a documented successful answer body, as JSON text.
    /// `None` when the spec has none.
    pub response_example: Option<&'static str>,
    /// Decodes a successful answer body into the operation's [`Request::Response`] type,
    /// exactly as the client does, and drops the value: `Err` names what did not decode.
    /// For callers that hold only the metadata (tests, the emulator). See
    /// [`decode_response`].
    pub decode_response: fn(&[u8]) -> Result<(), String>,
}

impl OperationMeta {
    /// The HTTP method the SDK sends.
    pub fn method(&self) -> HttpMethod {
        self.methods.first().copied().unwrap_or(HttpMethod::Post)
    }

    /// Looks up a parameter by its wire name.
    pub fn parameter(&self, wire_name: &str) -> Option<&'static ParamMeta> {
        self.parameters.iter().find(|p| p.wire_name == wire_name)
    }

    /// Looks up a documented error code.
    pub fn error(&self, code: &str) -> Option<&'static ErrorMeta> {
        self.errors.iter().find(|e| e.code == code)
    }
}

/// The [`OperationMeta::reencode_wire`] of the operation `R`: `from_wire` then `to_wire`.
pub fn reencode_wire<R: Request>(
    params: &WireParams,
) -> Result<Vec<(String, String)>, ValidationErrors> {
    R::from_wire(params).map(|request| request.to_wire())
}

/// The [`OperationMeta::decode_response`] of the operation `R`: decodes `body` as the client
/// decodes a successful answer (a JSON object, lenient values) into `R::Response`.
pub fn decode_response<R: Request>(body: &[u8]) -> Result<(), String> {
    crate::response::decode_body::<R::Response>(body)
        .map(|_| ())
        .map_err(|error| error.to_string())
}

/// Static description of one request parameter (or of a field of an object parameter).
#[derive(Debug)]
pub struct ParamMeta {
    /// Exact wire name, e.g. `DBInstanceId`.
    pub wire_name: &'static str,
    /// Rust field name, e.g. `db_instance_id`.
    pub rust_name: &'static str,
    /// Description from the spec, possibly empty.
    pub description: &'static str,
    /// Value type.
    pub ty: TypeMeta,
    /// How the value is laid out on the wire.
    pub style: ParamStyle,
    /// Whether the parameter must be present.
    pub required: bool,
    /// Allowed values (wire form), empty when unrestricted.
    pub enum_values: &'static [&'static str],
    /// Inclusive lower bound for numbers.
    pub minimum: Option<f64>,
    /// Inclusive upper bound for numbers.
    pub maximum: Option<f64>,
    /// Minimum length of a string, in characters.
    pub min_length: Option<u64>,
    /// Maximum length of a string, in characters.
    pub max_length: Option<u64>,
    /// Maximum number of items of a list.
    pub max_items: Option<u64>,
    /// Regular expression the whole value must match.
    pub pattern: Option<&'static str>,
    /// Value the server assumes when the parameter is absent (wire form).
    pub default: Option<&'static str>,
}

/// A request value type.
#[derive(Debug, Clone, Copy)]
pub enum TypeMeta {
    /// Text.
    String,
    /// 32-bit signed integer.
    Int32,
    /// 64-bit signed integer.
    Int64,
    /// `true` or `false`.
    Boolean,
    /// Floating-point number.
    Number,
    /// A list of values of one type.
    Array(&'static TypeMeta),
    /// An object with named fields.
    Object(&'static [ParamMeta]),
}

/// How a parameter is laid out among the wire parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// One parameter holding the value as text.
    Simple,
    /// Lists and objects flattened into numbered names counted from 1: `Name.1`,
    /// `Name.1.Key`.
    Flat,
    /// One parameter holding the value encoded as a JSON string.
    Json,
}

/// Static description of a response value.
#[derive(Debug)]
pub enum ShapeMeta {
    /// Text; `enum_values` lists the documented values (others are still accepted).
    String {
        /// Documented values, empty when unrestricted.
        enum_values: &'static [&'static str],
    },
    /// Integer.
    Integer,
    /// Floating-point number.
    Number,
    /// Boolean.
    Boolean,
    /// List.
    Array(&'static ShapeMeta),
    /// Object with named properties.
    Object(&'static [PropertyMeta]),
}

/// One property of a response object.
#[derive(Debug)]
pub struct PropertyMeta {
    /// Exact wire name.
    pub name: &'static str,
    /// Shape of the value.
    pub shape: &'static ShapeMeta,
    /// Example value from the spec (JSON text), used by the emulator's generic answers.
    pub example: Option<&'static str>,
}

/// A documented error code of an operation.
#[derive(Debug)]
pub struct ErrorMeta {
    /// The `Code` the server answers with.
    pub code: &'static str,
    /// HTTP status answered with it.
    pub status: u16,
    /// The documented `Message`.
    pub message: &'static str,
}
