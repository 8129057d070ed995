//! The project's spec format as the importer reads and writes it.
//!
//! Writing uses a fixed key order per object kind so the files diff cleanly; reading is strict
//! (unknown keys are errors, as in the codegen) so that a typo in a hand-edited file is reported
//! instead of being lost on re-import.

use crate::json::{Number, ObjectBuilder, Value};

/// One operation: `specs/<product>/<version>/<Action>.json`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Spec {
    /// The action name (also the file name).
    pub action: String,
    /// One line in the project's own words.
    pub summary: Option<String>,
    /// Longer text in the project's own words.
    pub description: Option<String>,
    /// Allowed HTTP methods, upper case; the first is what the SDK sends.
    pub methods: Vec<String>,
    /// `read` or `write`.
    pub operation_type: Option<String>,
    /// Request parameters in wire order.
    pub parameters: Vec<Param>,
    /// Shape of a successful answer.
    pub response: Option<Schema>,
    /// A successful answer, as JSON.
    pub response_example: Option<Value>,
    /// Documented error codes.
    pub errors: Vec<ErrorCode>,
}

/// A request parameter, an array's `items` (no name) or an object's property.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Param {
    /// Wire name; `None` for `items`.
    pub name: Option<String>,
    /// Rust field name override.
    pub rust_name: Option<String>,
    /// `string`, `int32`, `int64`, `boolean`, `number`, `array` or `object`.
    pub ty: String,
    /// Whether the parameter must be sent (written only when true).
    pub required: Option<bool>,
    /// `flat` or `json`, for arrays and objects.
    pub style: Option<String>,
    /// The project's own words.
    pub description: Option<String>,
    /// Rust type name of the enum.
    pub enum_name: Option<String>,
    /// Allowed values.
    pub enum_values: Option<Vec<EnumValue>>,
    /// Wire text sent when the caller gives nothing.
    pub default: Option<String>,
    /// Smallest allowed number.
    pub minimum: Option<Number>,
    /// Largest allowed number.
    pub maximum: Option<Number>,
    /// Shortest allowed text.
    pub min_length: Option<u64>,
    /// Longest allowed text.
    pub max_length: Option<u64>,
    /// Most items of an array.
    pub max_items: Option<u64>,
    /// Whole-value regular expression.
    pub pattern: Option<String>,
    /// Element of an array.
    pub items: Option<Box<Param>>,
    /// Members of an object, in wire order.
    pub properties: Option<Vec<Param>>,
}

/// One allowed value of an enum.
#[derive(Debug, Clone, PartialEq)]
pub enum EnumValue {
    /// The value is its own Rust name (after case conversion).
    Plain(String),
    /// A value written as an object: with an explicit Rust name, a description, or both.
    Named {
        /// Wire value.
        value: String,
        /// Rust variant name; without it the codegen derives one from the value.
        name: Option<String>,
        /// The project's own words.
        description: Option<String>,
    },
}

impl EnumValue {
    /// The wire value.
    pub fn value(&self) -> &str {
        match self {
            EnumValue::Plain(v) => v,
            EnumValue::Named { value, .. } => value,
        }
    }
}

/// A response schema node.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    /// `string`, `int32`, `int64`, `number`, `boolean`, `array` or `object`.
    pub ty: String,
    /// Rust type name override for an object or an enum.
    pub rust_name: Option<String>,
    /// The project's own words.
    pub description: Option<String>,
    /// Documented values.
    pub enum_values: Option<Vec<EnumValue>>,
    /// An example value.
    pub example: Option<Value>,
    /// Members of an object, in file order.
    pub properties: Option<Vec<(String, Schema)>>,
    /// Element of an array.
    pub items: Option<Box<Schema>>,
}

/// A documented error code.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ErrorCode {
    /// The `Code` the service answers.
    pub code: String,
    /// HTTP status.
    pub status: u16,
    /// The service's message text.
    pub message: Option<String>,
    /// Rust variant name, given when the code's own (its UpperCamelCase form) is taken by
    /// another code of the operation.
    pub name: Option<String>,
}

/// The product file: `specs/<product>/<version>/product.json`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Product {
    /// Product code (`Dds`).
    pub product: String,
    /// API version (`2015-12-01`).
    pub version: String,
    /// API style (`RPC`).
    pub style: String,
    /// Region id to host, sorted by region id.
    pub endpoints: Vec<(String, String)>,
}

// ---------------------------------------------------------------------------------------------
// Writing

impl Spec {
    /// The file content: fixed key order, pretty, trailing newline.
    pub fn to_json_text(&self) -> String {
        self.to_value().to_pretty_string()
    }

    fn to_value(&self) -> Value {
        let methods = Value::Array(
            self.methods
                .iter()
                .map(|m| Value::from(m.as_str()))
                .collect(),
        );
        let parameters = Value::Array(self.parameters.iter().map(Param::to_value).collect());
        let errors = Value::Array(self.errors.iter().map(ErrorCode::to_value).collect());
        ObjectBuilder::new()
            .put("action", self.action.as_str())
            .put_opt("summary", self.summary.clone())
            .put_opt("description", self.description.clone())
            .put("methods", methods)
            .put_opt("operationType", self.operation_type.clone())
            .put("parameters", parameters)
            .put_opt("response", self.response.as_ref().map(Schema::to_value))
            .put_opt("responseExample", self.response_example.clone())
            .put_opt("errors", (!self.errors.is_empty()).then_some(errors))
            .build()
    }
}

impl Param {
    fn to_value(&self) -> Value {
        ObjectBuilder::new()
            .put_opt("name", self.name.clone())
            .put_opt("rustName", self.rust_name.clone())
            .put("type", self.ty.as_str())
            .put_opt("required", self.required.filter(|r| *r))
            .put_opt("style", self.style.clone())
            .put_opt("description", self.description.clone())
            .put_opt("enumName", self.enum_name.clone())
            .put_opt("enum", self.enum_values.as_deref().map(enum_to_value))
            .put_opt("default", self.default.clone())
            .put_opt("minimum", self.minimum.clone().map(Value::Number))
            .put_opt("maximum", self.maximum.clone().map(Value::Number))
            .put_opt("minLength", self.min_length)
            .put_opt("maxLength", self.max_length)
            .put_opt("maxItems", self.max_items)
            .put_opt("pattern", self.pattern.clone())
            .put_opt("items", self.items.as_deref().map(Param::to_value))
            .put_opt(
                "properties",
                self.properties
                    .as_deref()
                    .map(|props| Value::Array(props.iter().map(Param::to_value).collect())),
            )
            .build()
    }
}

fn enum_to_value(values: &[EnumValue]) -> Value {
    Value::Array(
        values
            .iter()
            .map(|v| match v {
                EnumValue::Plain(value) => Value::from(value.as_str()),
                EnumValue::Named {
                    value,
                    name,
                    description,
                } => ObjectBuilder::new()
                    .put("value", value.as_str())
                    .put_opt("name", name.clone())
                    .put_opt("description", description.clone())
                    .build(),
            })
            .collect(),
    )
}

impl Schema {
    fn to_value(&self) -> Value {
        ObjectBuilder::new()
            .put("type", self.ty.as_str())
            .put_opt("rustName", self.rust_name.clone())
            .put_opt("description", self.description.clone())
            .put_opt("enum", self.enum_values.as_deref().map(enum_to_value))
            .put_opt("example", self.example.clone())
            .put_opt(
                "properties",
                self.properties.as_ref().map(|props| {
                    Value::Object(
                        props
                            .iter()
                            .map(|(k, s)| (k.clone(), s.to_value()))
                            .collect(),
                    )
                }),
            )
            .put_opt("items", self.items.as_deref().map(Schema::to_value))
            .build()
    }
}

impl ErrorCode {
    fn to_value(&self) -> Value {
        ObjectBuilder::new()
            .put("code", self.code.as_str())
            .put_opt("name", self.name.clone())
            .put("status", u64::from(self.status))
            .put_opt("message", self.message.clone())
            .build()
    }
}

impl Product {
    /// The file content: fixed key order, pretty, trailing newline.
    pub fn to_json_text(&self) -> String {
        let endpoints = Value::Object(
            self.endpoints
                .iter()
                .map(|(region, host)| (region.clone(), Value::from(host.as_str())))
                .collect(),
        );
        ObjectBuilder::new()
            .put("product", self.product.as_str())
            .put("version", self.version.as_str())
            .put("style", self.style.as_str())
            .put("endpoints", endpoints)
            .build()
            .to_pretty_string()
    }
}

// ---------------------------------------------------------------------------------------------
// Reading (existing files, for re-import)

/// A problem in an existing spec file: the JSON path and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// JSON path inside the file (`parameters[1].enum[0].name`).
    pub path: String,
    /// What was expected and what was found.
    pub message: String,
}

struct Reader {
    errors: Vec<SpecError>,
}

impl Reader {
    fn error(&mut self, path: &str, message: impl Into<String>) {
        self.errors.push(SpecError {
            path: path.to_owned(),
            message: message.into(),
        });
    }

    /// The entries of an object, after checking every key is one of `allowed`.
    fn object<'v>(
        &mut self,
        value: &'v Value,
        path: &str,
        allowed: &[&str],
    ) -> Option<&'v [(String, Value)]> {
        let Some(entries) = value.as_object() else {
            self.error(path, format!("expected an object, found {}", value.kind()));
            return None;
        };
        for (key, _) in entries {
            if !allowed.contains(&key.as_str()) {
                self.error(
                    &join(path, key),
                    format!(
                        "unknown key `{key}` (expected one of: {})",
                        allowed.join(", ")
                    ),
                );
            }
        }
        Some(entries)
    }

    fn string(&mut self, value: Option<&Value>, path: &str) -> Option<String> {
        match value? {
            Value::String(s) => Some(s.clone()),
            other => {
                self.error(path, format!("expected a string, found {}", other.kind()));
                None
            }
        }
    }

    fn required_string(&mut self, value: Option<&Value>, path: &str) -> String {
        if value.is_none() {
            self.error(path, "missing");
        }
        self.string(value, path).unwrap_or_default()
    }

    fn boolean(&mut self, value: Option<&Value>, path: &str) -> Option<bool> {
        match value? {
            Value::Bool(b) => Some(*b),
            other => {
                self.error(path, format!("expected a boolean, found {}", other.kind()));
                None
            }
        }
    }

    fn number(&mut self, value: Option<&Value>, path: &str) -> Option<Number> {
        match value? {
            Value::Number(n) => Some(n.clone()),
            other => {
                self.error(path, format!("expected a number, found {}", other.kind()));
                None
            }
        }
    }

    fn count(&mut self, value: Option<&Value>, path: &str) -> Option<u64> {
        match value? {
            Value::Number(n) if n.as_u64().is_some() => n.as_u64(),
            other => {
                self.error(path, format!("expected a whole number >= 0, found {other}"));
                None
            }
        }
    }

    fn param(&mut self, value: &Value, path: &str, named: bool) -> Param {
        const KEYS: &[&str] = &[
            "name",
            "rustName",
            "type",
            "required",
            "style",
            "description",
            "enumName",
            "enum",
            "default",
            "minimum",
            "maximum",
            "minLength",
            "maxLength",
            "maxItems",
            "pattern",
            "items",
            "properties",
        ];
        let Some(_) = self.object(value, path, KEYS) else {
            return Param::default();
        };
        let get = |k| value.get(k);
        let name = if named {
            Some(self.required_string(get("name"), &join(path, "name")))
        } else {
            if get("name").is_some() {
                self.error(&join(path, "name"), "`items` has no name");
            }
            None
        };
        Param {
            name,
            rust_name: self.string(get("rustName"), &join(path, "rustName")),
            ty: self.required_string(get("type"), &join(path, "type")),
            required: self.boolean(get("required"), &join(path, "required")),
            style: self.string(get("style"), &join(path, "style")),
            description: self.string(get("description"), &join(path, "description")),
            enum_name: self.string(get("enumName"), &join(path, "enumName")),
            enum_values: get("enum").map(|v| self.enum_values(v, &join(path, "enum"))),
            default: self.string(get("default"), &join(path, "default")),
            minimum: self.number(get("minimum"), &join(path, "minimum")),
            maximum: self.number(get("maximum"), &join(path, "maximum")),
            min_length: self.count(get("minLength"), &join(path, "minLength")),
            max_length: self.count(get("maxLength"), &join(path, "maxLength")),
            max_items: self.count(get("maxItems"), &join(path, "maxItems")),
            pattern: self.string(get("pattern"), &join(path, "pattern")),
            items: get("items").map(|v| Box::new(self.param(v, &join(path, "items"), false))),
            properties: get("properties").map(|v| self.params(v, &join(path, "properties"))),
        }
    }

    fn params(&mut self, value: &Value, path: &str) -> Vec<Param> {
        let Some(items) = value.as_array() else {
            self.error(path, format!("expected an array, found {}", value.kind()));
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .map(|(i, v)| self.param(v, &format!("{path}[{i}]"), true))
            .collect()
    }

    fn enum_values(&mut self, value: &Value, path: &str) -> Vec<EnumValue> {
        let Some(items) = value.as_array() else {
            self.error(path, format!("expected an array, found {}", value.kind()));
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let item_path = format!("{path}[{i}]");
            match item {
                Value::String(s) => out.push(EnumValue::Plain(s.clone())),
                Value::Object(_) => {
                    if self
                        .object(item, &item_path, &["value", "name", "description"])
                        .is_some()
                    {
                        out.push(EnumValue::Named {
                            value: self
                                .required_string(item.get("value"), &join(&item_path, "value")),
                            name: self.string(item.get("name"), &join(&item_path, "name")),
                            description: self
                                .string(item.get("description"), &join(&item_path, "description")),
                        });
                    }
                }
                other => self.error(
                    &item_path,
                    format!(
                        "expected a string or a {{value, name}} object, found {}",
                        other.kind()
                    ),
                ),
            }
        }
        out
    }

    fn schema(&mut self, value: &Value, path: &str) -> Schema {
        const KEYS: &[&str] = &[
            "type",
            "rustName",
            "description",
            "enum",
            "example",
            "properties",
            "items",
        ];
        if self.object(value, path, KEYS).is_none() {
            return Schema::default();
        }
        let get = |k| value.get(k);
        let properties = match get("properties") {
            None => None,
            Some(Value::Object(entries)) => Some(
                entries
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            self.schema(v, &join(&join(path, "properties"), k)),
                        )
                    })
                    .collect(),
            ),
            Some(other) => {
                self.error(
                    &join(path, "properties"),
                    format!(
                        "expected an object keyed by wire name, found {}",
                        other.kind()
                    ),
                );
                None
            }
        };
        Schema {
            ty: self.required_string(get("type"), &join(path, "type")),
            rust_name: self.string(get("rustName"), &join(path, "rustName")),
            description: self.string(get("description"), &join(path, "description")),
            enum_values: get("enum").map(|v| self.enum_values(v, &join(path, "enum"))),
            example: get("example").cloned(),
            properties,
            items: get("items").map(|v| Box::new(self.schema(v, &join(path, "items")))),
        }
    }

    fn error_code(&mut self, value: &Value, path: &str) -> ErrorCode {
        if self
            .object(value, path, &["code", "name", "status", "message"])
            .is_none()
        {
            return ErrorCode::default();
        }
        let status = match self.count(value.get("status"), &join(path, "status")) {
            Some(s) if (100..=599).contains(&s) => s as u16,
            Some(s) => {
                self.error(&join(path, "status"), format!("{s} is not an HTTP status"));
                0
            }
            None => {
                if value.get("status").is_none() {
                    self.error(&join(path, "status"), "missing");
                }
                0
            }
        };
        ErrorCode {
            code: self.required_string(value.get("code"), &join(path, "code")),
            status,
            message: self.string(value.get("message"), &join(path, "message")),
            name: self.string(value.get("name"), &join(path, "name")),
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

impl Spec {
    /// Reads an existing spec file's content strictly; every problem is listed.
    pub fn from_json_text(text: &str) -> Result<Spec, Vec<SpecError>> {
        let value = Value::parse(text).map_err(|e| {
            vec![SpecError {
                path: String::new(),
                message: format!("not JSON: {e}"),
            }]
        })?;
        let mut r = Reader { errors: Vec::new() };
        const KEYS: &[&str] = &[
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
        r.object(&value, "", KEYS);
        let get = |k| value.get(k);
        let methods = match get("methods") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, m)| r.required_string(Some(m), &format!("methods[{i}]")))
                .collect(),
            Some(other) => {
                r.error(
                    "methods",
                    format!("expected an array, found {}", other.kind()),
                );
                Vec::new()
            }
        };
        let errors = match get("errors") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, e)| r.error_code(e, &format!("errors[{i}]")))
                .collect(),
            Some(other) => {
                r.error(
                    "errors",
                    format!("expected an array, found {}", other.kind()),
                );
                Vec::new()
            }
        };
        let spec = Spec {
            action: r.required_string(get("action"), "action"),
            summary: r.string(get("summary"), "summary"),
            description: r.string(get("description"), "description"),
            methods,
            operation_type: r.string(get("operationType"), "operationType"),
            parameters: get("parameters")
                .map(|v| r.params(v, "parameters"))
                .unwrap_or_default(),
            response: get("response").map(|v| r.schema(v, "response")),
            response_example: get("responseExample").cloned(),
            errors,
        };
        if r.errors.is_empty() {
            Ok(spec)
        } else {
            Err(r.errors)
        }
    }
}

impl Product {
    /// Reads an existing product file strictly.
    pub fn from_json_text(text: &str) -> Result<Product, Vec<SpecError>> {
        let value = Value::parse(text).map_err(|e| {
            vec![SpecError {
                path: String::new(),
                message: format!("not JSON: {e}"),
            }]
        })?;
        let mut r = Reader { errors: Vec::new() };
        r.object(&value, "", &["product", "version", "style", "endpoints"]);
        let mut endpoints = Vec::new();
        match value.get("endpoints") {
            None => {}
            Some(Value::Object(entries)) => {
                for (region, host) in entries {
                    let host = r.required_string(Some(host), &join("endpoints", region));
                    endpoints.push((region.clone(), host));
                }
            }
            Some(other) => r.error(
                "endpoints",
                format!(
                    "expected an object of region to host, found {}",
                    other.kind()
                ),
            ),
        }
        let product = Product {
            product: r.required_string(value.get("product"), "product"),
            version: r.required_string(value.get("version"), "version"),
            style: r.required_string(value.get("style"), "style"),
            endpoints,
        };
        if r.errors.is_empty() {
            Ok(product)
        } else {
            Err(r.errors)
        }
    }
}
