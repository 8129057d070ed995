//! The spec model, and reading it from JSON with every problem recorded.
//!
//! Reading does not stop at the first problem: each key is checked against the keys its
//! object may have, each value against the type it must have, and everything wrong is
//! recorded in a [`Sink`] with its JSON path. What can be read is kept, so that the checks of
//! [`crate::check`] can still run on the rest of the file.

use serde_json::{Map, Value};

use crate::diag::{JsonPath, Sink};

/// `product.json`: facts about the product as a whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    /// Product code, e.g. `Dds`.
    pub product: String,
    /// API version, e.g. `2015-12-01`.
    pub version: String,
    /// API style, `RPC`.
    pub style: String,
    /// Region id to endpoint host, in file order.
    pub endpoints: Vec<(String, String)>,
}

/// One operation spec, `<Action>.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The `Action` value, e.g. `ModifyDBInstanceSSL`.
    pub action: String,
    /// One-line summary.
    pub summary: String,
    /// Longer description, possibly empty.
    pub description: String,
    /// Accepted HTTP methods; the first is the one the SDK sends.
    pub methods: Vec<Method>,
    /// Read or write.
    pub kind: Kind,
    /// Request parameters in file order.
    pub parameters: Vec<Param>,
    /// Shape of a successful answer.
    pub response: Shape,
    /// An example of a successful answer.
    pub response_example: Option<Value>,
    /// Documented error codes.
    pub errors: Vec<ErrorCode>,
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
}

/// Whether an operation changes state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Only reads.
    Read,
    /// Changes state.
    Write,
}

/// A request parameter, an item of a list parameter, or a field of an object parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Exact wire name; empty for list items.
    pub name: String,
    /// Where it is in the file, for the checks' diagnostics.
    pub path: JsonPath,
    /// Override of the Rust field name.
    pub rust_name: Option<String>,
    /// Value type.
    pub ty: ParamType,
    /// Whether it must be present.
    pub required: bool,
    /// Description, possibly empty.
    pub description: String,
    /// Allowed values, when enumerated.
    pub enum_values: Option<Vec<EnumValue>>,
    /// Rust name of the enum type.
    pub enum_name: Option<String>,
    /// Inclusive lower bound of a number.
    pub minimum: Option<f64>,
    /// Inclusive upper bound of a number.
    pub maximum: Option<f64>,
    /// Minimum length of a string, in characters.
    pub min_length: Option<u64>,
    /// Maximum length of a string, in characters.
    pub max_length: Option<u64>,
    /// Maximum number of list items.
    pub max_items: Option<u64>,
    /// Regular expression for the whole value.
    pub pattern: Option<String>,
    /// Value the server assumes when absent, as wire text.
    pub default: Option<String>,
    /// Wire layout of a list or object.
    pub style: Option<Style>,
    /// Item of a list.
    pub items: Option<Box<Param>>,
    /// Fields of an object, in file order.
    pub properties: Vec<Param>,
}

/// Request value types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// `string`.
    String,
    /// `int32`.
    Int32,
    /// `int64`.
    Int64,
    /// `boolean`.
    Boolean,
    /// `number`.
    Number,
    /// `array`.
    Array,
    /// `object`.
    Object,
}

impl ParamType {
    /// The name the spec uses.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Int32 => "int32",
            ParamType::Int64 => "int64",
            ParamType::Boolean => "boolean",
            ParamType::Number => "number",
            ParamType::Array => "array",
            ParamType::Object => "object",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "string" => ParamType::String,
            "int32" => ParamType::Int32,
            "int64" => ParamType::Int64,
            "boolean" => ParamType::Boolean,
            "number" => ParamType::Number,
            "array" => ParamType::Array,
            "object" => ParamType::Object,
            _ => return None,
        })
    }
}

/// Wire layout of a list or object parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `Name.1`, `Name.1.Key`.
    Flat,
    /// One JSON-encoded parameter.
    Json,
}

/// One allowed value of an enumerated parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// The wire value.
    pub value: String,
    /// Rust variant name, when given.
    pub name: Option<String>,
    /// Description, possibly empty.
    pub description: String,
    /// Where it is in the file.
    pub path: JsonPath,
}

/// The shape of a response value.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Where it is in the file.
    pub path: JsonPath,
    /// Value type.
    pub ty: ParamType,
    /// Properties of an object, in file order.
    pub properties: Vec<(String, Shape)>,
    /// Item of a list.
    pub items: Option<Box<Shape>>,
    /// Documented values of a string.
    pub enum_values: Vec<String>,
    /// Description, possibly empty.
    pub description: String,
    /// Example value.
    pub example: Option<Value>,
    /// Override of the Rust type name (objects and enums).
    pub rust_name: Option<String>,
}

/// A documented error code.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCode {
    /// The `Code`.
    pub code: String,
    /// The HTTP status.
    pub status: u16,
    /// The documented message.
    pub message: String,
    /// The Rust variant name, when the code's own does not do (two codes that map to one
    /// name, such as `InvalidRegion_Zone_NotFound` and `InvalidRegionZoneNotFound`).
    pub name: Option<String>,
    /// Where it is in the file.
    pub path: JsonPath,
}

/// A JSON object being read: its members and its path, with unknown keys already reported.
struct Object<'a> {
    map: &'a Map<String, Value>,
    path: JsonPath,
}

/// Describes a JSON value for "found ..." messages.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

impl<'a> Object<'a> {
    /// Reads `value` as an object that may have only the `allowed` keys.
    fn new(value: &'a Value, path: &JsonPath, allowed: &[&str], sink: &mut Sink) -> Option<Self> {
        let Value::Object(map) = value else {
            sink.error(
                path,
                format!("expected an object, found {}", describe(value)),
            );
            return None;
        };
        for key in map.keys() {
            if !allowed.contains(&key.as_str()) {
                sink.key_error(
                    &path.key(key),
                    format!(
                        "unknown key `{key}`; expected one of: {}",
                        allowed.join(", ")
                    ),
                );
            }
        }
        Some(Self {
            map,
            path: path.clone(),
        })
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key)
    }

    fn required(&self, key: &str, sink: &mut Sink) -> Option<&'a Value> {
        let value = self.map.get(key);
        if value.is_none() {
            sink.error(&self.path, format!("missing key `{key}`"));
        }
        value
    }

    fn string(&self, key: &str, required: bool, sink: &mut Sink) -> Option<String> {
        let value = if required {
            self.required(key, sink)?
        } else {
            self.get(key)?
        };
        match value {
            Value::String(s) => Some(s.clone()),
            other => {
                sink.error(
                    &self.path.key(key),
                    format!("expected a string, found {}", describe(other)),
                );
                None
            }
        }
    }

    fn boolean(&self, key: &str, sink: &mut Sink) -> Option<bool> {
        match self.get(key)? {
            Value::Bool(b) => Some(*b),
            other => {
                sink.error(
                    &self.path.key(key),
                    format!("expected true or false, found {}", describe(other)),
                );
                None
            }
        }
    }

    fn number(&self, key: &str, sink: &mut Sink) -> Option<f64> {
        match self.get(key)? {
            Value::Number(n) => n.as_f64(),
            other => {
                sink.error(
                    &self.path.key(key),
                    format!("expected a number, found {}", describe(other)),
                );
                None
            }
        }
    }

    fn count(&self, key: &str, sink: &mut Sink) -> Option<u64> {
        match self.get(key)? {
            Value::Number(n) if n.as_u64().is_some() => n.as_u64(),
            other => {
                sink.error(
                    &self.path.key(key),
                    format!("expected a non-negative integer, found {}", describe(other)),
                );
                None
            }
        }
    }

    fn array(&self, key: &str, required: bool, sink: &mut Sink) -> Option<&'a Vec<Value>> {
        let value = if required {
            self.required(key, sink)?
        } else {
            self.get(key)?
        };
        match value {
            Value::Array(items) => Some(items),
            other => {
                sink.error(
                    &self.path.key(key),
                    format!("expected an array, found {}", describe(other)),
                );
                None
            }
        }
    }
}

const PRODUCT_KEYS: &[&str] = &["product", "version", "style", "endpoints"];

/// Reads `product.json`.
pub fn read_product(value: &Value, sink: &mut Sink) -> Option<Product> {
    let root = JsonPath::root();
    let object = Object::new(value, &root, PRODUCT_KEYS, sink)?;
    let product = object.string("product", true, sink);
    let version = object.string("version", true, sink);
    let style = object.string("style", true, sink);
    if let Some(style) = style.as_deref().filter(|s| *s != "RPC") {
        sink.error(
            &root.key("style"),
            format!("expected \"RPC\" (the only style supported), found {style:?}"),
        );
    }

    let mut endpoints = Vec::new();
    match object.required("endpoints", sink) {
        Some(Value::Object(map)) => {
            for (region, host) in map {
                match host {
                    Value::String(host) if !host.is_empty() => {
                        endpoints.push((region.clone(), host.clone()))
                    }
                    other => sink.error(
                        &root.key("endpoints").key(region),
                        format!("expected an endpoint host name, found {}", describe(other)),
                    ),
                }
            }
        }
        Some(other) => sink.error(
            &root.key("endpoints"),
            format!(
                "expected an object of region id to host, found {}",
                describe(other)
            ),
        ),
        None => {}
    }

    Some(Product {
        product: product?,
        version: version?,
        style: style?,
        endpoints,
    })
}

const OPERATION_KEYS: &[&str] = &[
    "action",
    "summary",
    "description",
    "methods",
    "operationType",
    "parameters",
    "response",
    "responseExample",
    "errors",
];

/// Reads an operation spec. Returns what could be read even when problems were recorded
/// (`None` only when the document is not an object).
pub fn read_operation(value: &Value, sink: &mut Sink) -> Option<Operation> {
    let root = JsonPath::root();
    let object = Object::new(value, &root, OPERATION_KEYS, sink)?;
    let action = object.string("action", true, sink);
    let summary = object.string("summary", true, sink).unwrap_or_default();
    let description = object
        .string("description", false, sink)
        .unwrap_or_default();

    let mut methods = Vec::new();
    if let Some(items) = object.array("methods", true, sink) {
        for (i, item) in items.iter().enumerate() {
            match item.as_str() {
                Some("GET") => methods.push(Method::Get),
                Some("POST") => methods.push(Method::Post),
                _ => sink.error(
                    &root.key("methods").index(i),
                    format!("expected \"GET\" or \"POST\", found {}", describe(item)),
                ),
            }
        }
        if items.is_empty() {
            sink.error(
                &root.key("methods"),
                "expected at least one method, found an empty array",
            );
        }
    }

    let kind = match object.string("operationType", true, sink).as_deref() {
        Some("read") => Some(Kind::Read),
        Some("write") => Some(Kind::Write),
        Some(other) => {
            sink.error(
                &root.key("operationType"),
                format!("expected \"read\" or \"write\", found {other:?}"),
            );
            None
        }
        None => None,
    };

    let mut parameters = Vec::new();
    if let Some(items) = object.array("parameters", false, sink) {
        for (i, item) in items.iter().enumerate() {
            parameters.extend(read_param(
                item,
                &root.key("parameters").index(i),
                true,
                sink,
            ));
        }
    }

    let response = match object.required("response", sink) {
        Some(value) => read_shape(value, &root.key("response"), sink),
        None => None,
    };
    if let Some(response) = &response
        && response.ty != ParamType::Object
    {
        sink.error(
            &root.key("response").key("type"),
            format!(
                "expected \"object\" for a response body, found {:?}",
                response.ty.as_str()
            ),
        );
    }

    let mut errors = Vec::new();
    if let Some(items) = object.array("errors", false, sink) {
        for (i, item) in items.iter().enumerate() {
            errors.extend(read_error(item, &root.key("errors").index(i), sink));
        }
    }

    // What is missing was recorded above; defaults stand in for it so that the checks can
    // still look at the rest of the file (and skip what depends on the missing part).
    Some(Operation {
        action: action.unwrap_or_default(),
        summary,
        description,
        methods,
        kind: kind.unwrap_or(Kind::Read),
        parameters,
        response: response.unwrap_or_else(|| Shape {
            path: root.key("response"),
            ty: ParamType::Object,
            properties: Vec::new(),
            items: None,
            enum_values: Vec::new(),
            description: String::new(),
            example: None,
            rust_name: None,
        }),
        response_example: object.get("responseExample").cloned(),
        errors,
    })
}

const PARAM_KEYS: &[&str] = &[
    "name",
    "type",
    "required",
    "description",
    "enum",
    "enumName",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "maxItems",
    "pattern",
    "default",
    "style",
    "items",
    "properties",
    "rustName",
];

/// Reads a parameter (`named`) or a list item (not named: no `name` key).
fn read_param(value: &Value, path: &JsonPath, named: bool, sink: &mut Sink) -> Option<Param> {
    let keys: Vec<&str> = PARAM_KEYS
        .iter()
        .copied()
        .filter(|k| named || *k != "name")
        .collect();
    let object = Object::new(value, path, &keys, sink)?;
    let name = if named {
        object.string("name", true, sink)
    } else {
        Some(String::new())
    };

    let ty = read_type(&object, path, sink);

    let enum_values = object.array("enum", false, sink).map(|items| {
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| read_enum_value(item, &path.key("enum").index(i), sink))
            .collect()
    });

    let style = match object.string("style", false, sink).as_deref() {
        None => None,
        Some("flat") => Some(Style::Flat),
        Some("json") => Some(Style::Json),
        Some(other) => {
            sink.error(
                &path.key("style"),
                format!("expected \"flat\" or \"json\", found {other:?}"),
            );
            None
        }
    };

    let default = match object.get("default") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        // Numbers and booleans are accepted and kept as the wire text they stand for.
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Bool(b)) => Some(b.to_string()),
        Some(other) => {
            sink.error(
                &path.key("default"),
                format!(
                    "expected the default's wire text, found {}",
                    describe(other)
                ),
            );
            None
        }
    };

    let items = match object.get("items") {
        Some(item) => read_param(item, &path.key("items"), false, sink).map(Box::new),
        None => None,
    };
    let mut properties = Vec::new();
    if let Some(fields) = object.array("properties", false, sink) {
        for (i, field) in fields.iter().enumerate() {
            properties.extend(read_param(
                field,
                &path.key("properties").index(i),
                true,
                sink,
            ));
        }
    }

    Some(Param {
        name: name?,
        path: path.clone(),
        rust_name: object.string("rustName", false, sink),
        ty: ty?,
        required: object.boolean("required", sink).unwrap_or(false),
        description: object
            .string("description", false, sink)
            .unwrap_or_default(),
        enum_values,
        enum_name: object.string("enumName", false, sink),
        minimum: object.number("minimum", sink),
        maximum: object.number("maximum", sink),
        min_length: object.count("minLength", sink),
        max_length: object.count("maxLength", sink),
        max_items: object.count("maxItems", sink),
        pattern: object.string("pattern", false, sink),
        default,
        style,
        items,
        properties,
    })
}

/// Reads an enum value: a string, or `{value, name, description?}`.
fn read_enum_value(value: &Value, path: &JsonPath, sink: &mut Sink) -> Option<EnumValue> {
    match value {
        Value::String(s) => Some(EnumValue {
            value: s.clone(),
            name: None,
            description: String::new(),
            path: path.clone(),
        }),
        Value::Object(_) => {
            let object = Object::new(value, path, &["value", "name", "description"], sink)?;
            Some(EnumValue {
                value: object.string("value", true, sink)?,
                name: object.string("name", false, sink),
                description: object
                    .string("description", false, sink)
                    .unwrap_or_default(),
                path: path.clone(),
            })
        }
        other => {
            sink.error(
                path,
                format!(
                    "expected a string or an object {{value, name}}, found {}",
                    describe(other)
                ),
            );
            None
        }
    }
}

const SHAPE_KEYS: &[&str] = &[
    "type",
    "properties",
    "items",
    "enum",
    "description",
    "example",
    "rustName",
];

/// Reads the `type` key, which parameters and response shapes share.
fn read_type(object: &Object<'_>, path: &JsonPath, sink: &mut Sink) -> Option<ParamType> {
    let text = object.string("type", true, sink)?;
    let ty = ParamType::parse(&text);
    if ty.is_none() {
        sink.error(
            &path.key("type"),
            format!(
                "unknown type {text:?}; expected one of: string, int32, int64, boolean, number, array, object"
            ),
        );
    }
    ty
}

/// Reads a response shape.
fn read_shape(value: &Value, path: &JsonPath, sink: &mut Sink) -> Option<Shape> {
    let object = Object::new(value, path, SHAPE_KEYS, sink)?;
    let ty = read_type(&object, path, sink);

    let mut properties = Vec::new();
    match object.get("properties") {
        None => {}
        Some(Value::Object(map)) => {
            for (name, child) in map {
                if let Some(shape) = read_shape(child, &path.key("properties").key(name), sink) {
                    properties.push((name.clone(), shape));
                }
            }
        }
        Some(other) => sink.error(
            &path.key("properties"),
            format!(
                "expected an object keyed by wire name, found {}",
                describe(other)
            ),
        ),
    }

    let items = match object.get("items") {
        Some(item) => read_shape(item, &path.key("items"), sink).map(Box::new),
        None => None,
    };

    let mut enum_values = Vec::new();
    if let Some(values) = object.array("enum", false, sink) {
        for (i, value) in values.iter().enumerate() {
            match value {
                Value::String(s) => enum_values.push(s.clone()),
                other => sink.error(
                    &path.key("enum").index(i),
                    format!("expected a string, found {}", describe(other)),
                ),
            }
        }
    }

    Some(Shape {
        path: path.clone(),
        ty: ty?,
        properties,
        items,
        enum_values,
        description: object
            .string("description", false, sink)
            .unwrap_or_default(),
        example: object.get("example").cloned(),
        rust_name: object.string("rustName", false, sink),
    })
}

/// Reads a documented error code.
fn read_error(value: &Value, path: &JsonPath, sink: &mut Sink) -> Option<ErrorCode> {
    let object = Object::new(value, path, &["code", "status", "message", "name"], sink)?;
    let code = object.string("code", true, sink);
    let status = match object.required("status", sink) {
        Some(Value::Number(n)) if n.as_u64().is_some_and(|s| (100..=599).contains(&s)) => {
            n.as_u64().and_then(|s| u16::try_from(s).ok())
        }
        Some(other) => {
            sink.error(
                &path.key("status"),
                format!(
                    "expected an HTTP status (a number from 100 to 599), found {}",
                    describe(other)
                ),
            );
            None
        }
        None => None,
    };
    Some(ErrorCode {
        code: code?,
        status: status?,
        message: object.string("message", false, sink).unwrap_or_default(),
        name: object.string("name", false, sink),
        path: path.clone(),
    })
}
