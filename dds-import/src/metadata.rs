//! Reading one snapshot of Alibaba's published API metadata ("api-docs" format) into specs.
//!
//! Every key is either mapped to the spec format or named in the report with its category;
//! see `Category` for what each category means.

use std::collections::BTreeSet;

use crate::json::{Number, Value};
use crate::report::{Category, Report};
use crate::spec::{EnumValue, ErrorCode, Param, Schema, Spec};

/// One metadata file, read.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// `info.product`.
    pub product: String,
    /// `info.version`.
    pub version: String,
    /// `info.style`.
    pub style: String,
    /// Region id to host, in file order.
    pub endpoints: Vec<(String, String)>,
    /// Operations in file order.
    pub operations: Vec<Operation>,
    /// Every parameter key (parameter level and schema level) the file uses anywhere. A key the
    /// file never uses says nothing about any parameter; see `merge`.
    pub parameter_keys: BTreeSet<String>,
}

/// One operation as a snapshot states it.
#[derive(Debug, Clone, Default)]
pub struct Operation {
    /// The facts, in the spec model (no summary: that is never copied).
    pub spec: Spec,
    /// `operationType` as the file states it, mapped to `read`/`write`.
    pub stated_operation_type: Option<String>,
    /// `systemTags.operationType` (`get`, `list`, `create`, ...), a hint when the above is absent.
    pub tagged_operation_type: Option<String>,
}

/// A metadata file that cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataError(pub String);

impl std::fmt::Display for MetadataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads a snapshot. Problems with single constructs go to `report`; only a file that is not
/// the metadata format at all is an error.
pub fn read_snapshot(text: &str, report: &mut Report) -> Result<Snapshot, MetadataError> {
    let doc = Value::parse(text).map_err(|e| MetadataError(format!("not JSON: {e}")))?;
    let Some(top) = doc.as_object() else {
        return Err(MetadataError(format!(
            "expected an object at the top, found {}",
            doc.kind()
        )));
    };
    let info = doc
        .get("info")
        .ok_or_else(|| MetadataError("missing `info`".to_owned()))?;
    let info_field = |key: &str| {
        info.get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| MetadataError(format!("missing `info.{key}` (a string)")))
    };
    let mut snapshot = Snapshot {
        product: info_field("product")?,
        version: info_field("version")?,
        style: info_field("style")?,
        ..Snapshot::default()
    };

    for (key, value) in top {
        match key.as_str() {
            "info" | "apis" | "endpoints" => {}
            // The version of the document format, not of the API.
            "version" => report.add(Category::Implied, "document", "version", "format version"),
            "directories" => report.add(
                Category::Prose,
                "document",
                "directories",
                "catalogue grouping with upstream titles",
            ),
            "components" => {
                let schemas = value.get("schemas");
                let empty = schemas.is_none_or(|s| {
                    s.as_object().is_some_and(<[_]>::is_empty)
                        || s.as_array().is_some_and(<[_]>::is_empty)
                });
                if empty {
                    report.add(Category::Implied, "document", "components", "empty");
                } else {
                    report.add(
                        Category::Unsupported,
                        "document",
                        "components",
                        "shared schemas (targets of $ref) are not imported",
                    );
                }
            }
            other => report.add(Category::Unsupported, "document", other, "unknown key"),
        }
    }

    if let Some(endpoints) = doc.get("endpoints") {
        read_endpoints(endpoints, &mut snapshot, report);
    }

    let apis = doc
        .get("apis")
        .and_then(Value::as_object)
        .ok_or_else(|| MetadataError("missing `apis` (an object keyed by action)".to_owned()))?;
    for (action, api) in apis {
        collect_parameter_keys(api, &mut snapshot.parameter_keys);
        snapshot
            .operations
            .push(read_operation(action, api, report));
    }
    Ok(snapshot)
}

fn read_endpoints(endpoints: &Value, snapshot: &mut Snapshot, report: &mut Report) {
    let Some(items) = endpoints.as_array() else {
        report.add(Category::Rejected, "document", "endpoints", "not an array");
        return;
    };
    for item in items {
        let region = item.get("regionId").and_then(Value::as_str);
        let host = item.get("endpoint").and_then(Value::as_str);
        match (region, host) {
            (Some(region), Some(host)) => {
                snapshot
                    .endpoints
                    .push((region.to_owned(), host.to_owned()));
                for (key, _) in item.as_object().unwrap_or_default() {
                    if key != "regionId" && key != "endpoint" {
                        report.add(
                            Category::Unsupported,
                            format!("endpoints.{region}"),
                            key,
                            "",
                        );
                    }
                }
            }
            _ => report.add(
                Category::Rejected,
                "document",
                "endpoints",
                format!("entry without regionId and endpoint strings: {item}"),
            ),
        }
    }
}

fn collect_parameter_keys(api: &Value, keys: &mut BTreeSet<String>) {
    fn schema_keys(schema: &Value, keys: &mut BTreeSet<String>) {
        for (key, value) in schema.as_object().unwrap_or_default() {
            keys.insert(key.clone());
            match key.as_str() {
                "items" => schema_keys(value, keys),
                "properties" => {
                    for (_, property) in value.as_object().unwrap_or_default() {
                        schema_keys(property, keys);
                    }
                }
                _ => {}
            }
        }
    }
    for param in api
        .get("parameters")
        .and_then(Value::as_array)
        .unwrap_or_default()
    {
        for (key, value) in param.as_object().unwrap_or_default() {
            if key == "schema" {
                schema_keys(value, keys);
            } else {
                keys.insert(key.clone());
            }
        }
    }
}

fn read_operation(action: &str, api: &Value, report: &mut Report) -> Operation {
    let mut op = Operation::default();
    op.spec.action = action.to_owned();

    for (key, value) in api.as_object().unwrap_or_default() {
        match key.as_str() {
            "methods" => op.spec.methods = read_methods(action, value, report),
            "operationType" => match value.as_str() {
                Some("read") => op.stated_operation_type = Some("read".to_owned()),
                Some("write") => op.stated_operation_type = Some("write".to_owned()),
                Some("readAndWrite") => {
                    report.add(
                        Category::Derived,
                        action,
                        "operationType",
                        "readAndWrite written as write (it changes state)",
                    );
                    op.stated_operation_type = Some("write".to_owned());
                }
                _ => report.add(
                    Category::Rejected,
                    action,
                    "operationType",
                    format!("unknown value {value}"),
                ),
            },
            "systemTags" => {
                for (tag, tag_value) in value.as_object().unwrap_or_default() {
                    if tag == "operationType" {
                        op.tagged_operation_type = tag_value.as_str().map(str::to_owned);
                    } else {
                        report.add(
                            Category::Unsupported,
                            action,
                            format!("systemTags.{tag}"),
                            "catalogue tag",
                        );
                    }
                }
            }
            "parameters" => op.spec.parameters = read_parameters(action, value, report),
            "responses" => op.spec.response = read_responses(action, value, report),
            "errorCodes" => op.spec.errors = read_errors(action, value, report),
            "responseDemo" => op.spec.response_example = read_demo(action, value, report),
            "summary"
            | "title"
            | "description"
            | "requestParamsDescription"
            | "responseParamsDescription"
            | "extraInfo" => report.add(Category::Prose, action, key.as_str(), ""),
            "deprecated" => {
                if value.as_bool() == Some(false) {
                    report.add(Category::Implied, action, "deprecated", "false");
                } else {
                    report.add(
                        Category::Unsupported,
                        action,
                        "deprecated",
                        format!("{value}"),
                    );
                }
            }
            "schemes" => {
                let schemes: Vec<&str> = value
                    .as_array()
                    .unwrap_or_default()
                    .iter()
                    .filter_map(Value::as_str)
                    .collect();
                if schemes == ["http", "https"] {
                    report.add(Category::Implied, action, "schemes", "http and https");
                } else {
                    report.add(
                        Category::Unsupported,
                        action,
                        "schemes",
                        format!("only {}", schemes.join(", ")),
                    );
                }
            }
            "security" => {
                let ak_only = value.as_array().is_some_and(|items| {
                    items.len() == 1
                        && items[0]
                            .as_object()
                            .is_some_and(|o| o.len() == 1 && o[0].0 == "AK")
                });
                if ak_only {
                    report.add(Category::Implied, action, "security", "AccessKey");
                } else {
                    report.add(
                        Category::Unsupported,
                        action,
                        "security",
                        format!("{value}"),
                    );
                }
            }
            "staticInfo" => {
                for (info, info_value) in value.as_object().unwrap_or_default() {
                    report.add(
                        Category::Unsupported,
                        action,
                        format!("staticInfo.{info}"),
                        info_value.as_str().unwrap_or_default(),
                    );
                }
            }
            other => report.add(Category::Unsupported, action, other, "unknown key"),
        }
    }
    op
}

fn read_methods(action: &str, value: &Value, report: &mut Report) -> Vec<String> {
    let mut methods: Vec<String> = value
        .as_array()
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_uppercase)
        .collect();
    // The SDK sends the first method; the official SDKs POST nearly everything.
    if let Some(post) = methods.iter().position(|m| m == "POST")
        && post > 0
    {
        let m = methods.remove(post);
        methods.insert(0, m);
        report.add(Category::Derived, action, "methods", "POST moved first");
    }
    if methods.is_empty() {
        report.add(Category::Rejected, action, "methods", "no methods listed");
    }
    methods
}

fn read_parameters(action: &str, value: &Value, report: &mut Report) -> Vec<Param> {
    let mut params: Vec<Param> = Vec::new();
    for item in value.as_array().unwrap_or_default() {
        let Some(name) = item.get("name").and_then(Value::as_str) else {
            report.add(
                Category::Rejected,
                action,
                "parameters",
                "a parameter without a name",
            );
            continue;
        };
        let loc = format!("{action}.{name}");
        for (key, v) in item.as_object().unwrap_or_default() {
            match key.as_str() {
                "name" | "schema" | "style" => {}
                "in" if v.as_str() == Some("query") => {
                    report.add(Category::Implied, &loc, "in", "query")
                }
                "in" => report.add(
                    Category::Unsupported,
                    &loc,
                    "in",
                    format!("{v}: the spec format sends every parameter in the query"),
                ),
                "allowEmptyValue" if v.as_bool() == Some(false) => {
                    report.add(Category::Implied, &loc, "allowEmptyValue", "false")
                }
                "allowEmptyValue" => report.add(
                    Category::Unsupported,
                    &loc,
                    "allowEmptyValue",
                    format!("{v}: empty values are not modelled"),
                ),
                other => report.add(Category::Unsupported, &loc, other, "unknown key"),
            }
        }
        let Some(schema) = item.get("schema") else {
            report.add(
                Category::Rejected,
                &loc,
                "schema",
                "missing: parameter left out",
            );
            continue;
        };
        let Some(mut param) = read_param_schema(&loc, schema, report) else {
            continue;
        };
        param.name = Some(name.to_owned());
        if let Some(style) = item.get("style") {
            param.style = read_style(&loc, style, report);
        }
        if let Some(first) = params.iter().find(|p| p.name == param.name) {
            let detail = if *first == param {
                "listed twice with the same facts: kept once"
            } else {
                "listed twice with different facts: the first is kept"
            };
            report.add(Category::Rejected, &loc, "name", detail);
            continue;
        }
        params.push(param);
    }
    params
}

fn read_style(loc: &str, style: &Value, report: &mut Report) -> Option<String> {
    match style.as_str() {
        Some("repeatList" | "flat") => Some("flat".to_owned()),
        Some("json") => Some("json".to_owned()),
        _ => {
            report.add(
                Category::Unsupported,
                loc,
                "style",
                format!("{style}: only repeatList/flat and json are expressible"),
            );
            None
        }
    }
}

/// Maps a metadata type and format to a spec type.
fn map_type(loc: &str, schema: &Value, report: &mut Report) -> Option<String> {
    let ty = schema.get("type").and_then(Value::as_str);
    let format = schema.get("format").and_then(Value::as_str);
    let mapped = match (ty, format) {
        (Some("string"), None) => "string",
        (Some("string"), Some(f)) => {
            report.add(
                Category::Unsupported,
                loc,
                "format",
                format!("string format {f:?} kept as a plain string"),
            );
            "string"
        }
        (Some("integer"), Some("int32")) => "int32",
        (Some("integer"), Some("int64")) => "int64",
        (Some("integer"), other) => {
            report.add(
                Category::Derived,
                loc,
                "format",
                format!(
                    "integer with format {} written as int64",
                    other.unwrap_or("(none)")
                ),
            );
            "int64"
        }
        (Some("number"), None | Some("double" | "float")) => "number",
        (Some("number"), Some(f)) => {
            report.add(
                Category::Derived,
                loc,
                "format",
                format!("number with format {f:?} written as number"),
            );
            "number"
        }
        (Some("boolean"), _) => "boolean",
        (Some("array"), _) => "array",
        (Some("object"), _) => "object",
        _ => {
            report.add(
                Category::Rejected,
                loc,
                "type",
                format!(
                    "{}: not a type the spec format knows; left out",
                    schema
                        .get("type")
                        .map_or("missing".to_owned(), Value::to_string)
                ),
            );
            return None;
        }
    };
    Some(mapped.to_owned())
}

fn read_param_schema(loc: &str, schema: &Value, report: &mut Report) -> Option<Param> {
    if schema.get("$ref").is_some() {
        report.add(
            Category::Unsupported,
            loc,
            "$ref",
            "references are not resolved; left out",
        );
        return None;
    }
    let mut param = Param {
        ty: map_type(loc, schema, report)?,
        ..Param::default()
    };
    for (key, value) in schema.as_object().unwrap_or_default() {
        match key.as_str() {
            "type" | "format" => {}
            "required" => match value {
                Value::Bool(b) => param.required = Some(*b),
                Value::String(s) if s == "true" || s == "false" => {
                    param.required = Some(s == "true")
                }
                _ => report.add(Category::Rejected, loc, "required", format!("{value}")),
            },
            "enum" => param.enum_values = read_enum(loc, value, report),
            "minimum" => param.minimum = read_number(loc, key, value, report),
            "maximum" => param.maximum = read_number(loc, key, value, report),
            "minLength" => param.min_length = read_count(loc, key, value, report),
            "maxLength" => param.max_length = read_count(loc, key, value, report),
            "maxItems" => param.max_items = read_count(loc, key, value, report),
            "pattern" => match value.as_str() {
                Some(p) => param.pattern = Some(p.to_owned()),
                None => report.add(Category::Rejected, loc, "pattern", format!("{value}")),
            },
            "default" => param.default = read_default(loc, value, report),
            "items" => {
                if value.get("type").and_then(Value::as_str) == Some("array") {
                    report.add(
                        Category::Unsupported,
                        loc,
                        "items",
                        "array of arrays: kept, check that the codegen accepts it",
                    );
                }
                param.items = read_param_schema(&format!("{loc}[]"), value, report).map(Box::new);
            }
            "properties" => {
                let mut props = Vec::new();
                for (name, property) in value.as_object().unwrap_or_default() {
                    let prop_loc = format!("{loc}.{name}");
                    if let Some(mut p) = read_param_schema(&prop_loc, property, report) {
                        p.name = Some(name.clone());
                        props.push(p);
                    }
                }
                param.properties = Some(props);
            }
            "description" | "title" | "enumValueTitles" => {
                report.add(Category::Prose, loc, key.as_str(), "")
            }
            "example" => report.add(Category::Sample, loc, "example", ""),
            "docRequired" => report.add(
                Category::Unsupported,
                loc,
                "docRequired",
                format!(
                    "{value}: documentation-only requiredness; `required` is what the gateway enforces"
                ),
            ),
            other => report.add(Category::Unsupported, loc, other, "unknown key"),
        }
    }
    // Limitation: the spec format has enums on strings only, so a numeric parameter's list of
    // allowed values is dropped (reported); its range, when stated, still applies.
    if param.ty != "string"
        && let Some(values) = param.enum_values.take()
    {
        let listed: Vec<&str> = values.iter().map(EnumValue::value).collect();
        report.add(
            Category::Unsupported,
            loc,
            "enum",
            format!(
                "on a parameter of type {} (the spec format has enums on strings only): [{}] left out",
                param.ty,
                listed.join(", ")
            ),
        );
    }
    check_default(loc, &mut param, report);
    if param.ty == "array" && param.items.is_none() {
        report.add(Category::Rejected, loc, "items", "an array without items");
    }
    Some(param)
}

fn read_enum(loc: &str, value: &Value, report: &mut Report) -> Option<Vec<EnumValue>> {
    let mut values: Vec<EnumValue> = Vec::new();
    for item in value.as_array().unwrap_or_default() {
        let text = match item {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            other => {
                report.add(
                    Category::Rejected,
                    loc,
                    "enum",
                    format!("value {other} left out"),
                );
                continue;
            }
        };
        if values.iter().any(|v| v.value() == text) {
            report.add(
                Category::Rejected,
                loc,
                "enum",
                format!("{text:?} listed twice"),
            );
            continue;
        }
        values.push(EnumValue::Plain(text));
    }
    if values.is_empty() {
        report.add(
            Category::Rejected,
            loc,
            "enum",
            "empty list: no enum written (any value allowed)",
        );
        return None;
    }
    Some(values)
}

fn read_number(loc: &str, key: &str, value: &Value, report: &mut Report) -> Option<Number> {
    let parsed = match value {
        Value::Number(n) => Some(n.clone()),
        Value::String(s) => s
            .trim()
            .parse::<i64>()
            .map(Number::from)
            .ok()
            .or_else(|| s.trim().parse::<f64>().ok().and_then(Number::from_f64)),
        _ => None,
    };
    if parsed.is_none() {
        report.add(
            Category::Rejected,
            loc,
            key,
            format!("{value} is not a number"),
        );
    }
    parsed
}

fn read_count(loc: &str, key: &str, value: &Value, report: &mut Report) -> Option<u64> {
    let parsed = match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    };
    if parsed.is_none() {
        report.add(
            Category::Rejected,
            loc,
            key,
            format!("{value} is not a whole number >= 0"),
        );
    }
    parsed
}

fn read_default(loc: &str, value: &Value, report: &mut Report) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        other => {
            report.add(Category::Rejected, loc, "default", format!("{other}"));
            None
        }
    }
}

/// A default that the parameter itself would refuse is not a fact worth keeping.
pub(crate) fn check_default(loc: &str, param: &mut Param, report: &mut Report) {
    let Some(default) = param.default.clone() else {
        return;
    };
    let problem = match param.ty.as_str() {
        "boolean" if default != "true" && default != "false" => Some("not a boolean"),
        "int32" if default.parse::<i32>().is_err() => Some("not an int32"),
        "int64" if default.parse::<i64>().is_err() => Some("not an int64"),
        "number" if default.parse::<f64>().is_err() => Some("not a number"),
        "array" | "object" => Some("defaults of arrays and objects are not expressible"),
        _ => None,
    };
    let problem = problem.or_else(|| {
        let values = param.enum_values.as_ref()?;
        (!values.iter().any(|v| v.value() == default)).then_some("not one of the enum values")
    });
    let problem = problem.or_else(|| {
        let n = default.parse::<f64>().ok()?;
        let below = param
            .minimum
            .as_ref()
            .and_then(Number::as_f64)
            .is_some_and(|m| n < m);
        let above = param
            .maximum
            .as_ref()
            .and_then(Number::as_f64)
            .is_some_and(|m| n > m);
        (below || above).then_some("outside minimum/maximum")
    });
    if let Some(problem) = problem {
        report.add(
            Category::Rejected,
            loc,
            "default",
            format!("{default:?} {problem}: left out"),
        );
        param.default = None;
    }
}

fn read_responses(action: &str, value: &Value, report: &mut Report) -> Option<Schema> {
    let mut schema = None;
    for (status, response) in value.as_object().unwrap_or_default() {
        let loc = format!("{action}.responses.{status}");
        if status != "200" {
            report.add(
                Category::Unsupported,
                &loc,
                "status",
                "only the 200 answer is modelled",
            );
            continue;
        }
        for (key, v) in response.as_object().unwrap_or_default() {
            match key.as_str() {
                "schema" => schema = read_schema(&format!("{action}.response"), v, report),
                "headers" if v.as_object().is_some_and(<[_]>::is_empty) => {
                    report.add(Category::Implied, &loc, "headers", "empty")
                }
                other => report.add(Category::Unsupported, &loc, other, "unknown key"),
            }
        }
    }
    schema
}

fn read_schema(loc: &str, value: &Value, report: &mut Report) -> Option<Schema> {
    if value.get("$ref").is_some() {
        report.add(
            Category::Unsupported,
            loc,
            "$ref",
            "references are not resolved; left out",
        );
        return None;
    }
    let mut schema = Schema {
        ty: map_type(loc, value, report)?,
        ..Schema::default()
    };
    for (key, v) in value.as_object().unwrap_or_default() {
        match key.as_str() {
            "type" | "format" => {}
            "properties" => {
                let mut props = Vec::new();
                for (name, property) in v.as_object().unwrap_or_default() {
                    if let Some(s) = read_schema(&format!("{loc}.{name}"), property, report) {
                        props.push((name.clone(), s));
                    }
                }
                schema.properties = Some(props);
            }
            "items" => {
                if v.get("type").and_then(Value::as_str) == Some("array") {
                    report.add(
                        Category::Unsupported,
                        loc,
                        "items",
                        "array of arrays: kept, check that the codegen accepts it",
                    );
                }
                schema.items = read_schema(&format!("{loc}[]"), v, report).map(Box::new);
            }
            "enum" => schema.enum_values = read_enum(loc, v, report),
            "description" | "title" | "enumValueTitles" => {
                report.add(Category::Prose, loc, key.as_str(), "")
            }
            "example" => report.add(
                Category::Sample,
                loc,
                "example",
                "per-field example; the whole answer is in responseExample",
            ),
            "default" => report.add(
                Category::Unsupported,
                loc,
                "default",
                format!("{v}: response schemas have no default in the spec format"),
            ),
            other => report.add(Category::Unsupported, loc, other, "unknown key"),
        }
    }
    // `properties: {}` documents nothing either: written like a missing one, so the codegen
    // keeps such a value as JSON instead of an empty struct.
    if schema.properties.as_ref().is_some_and(Vec::is_empty) {
        schema.properties = None;
    }
    if schema.ty == "object" && schema.properties.is_none() {
        report.add(
            Category::Derived,
            loc,
            "properties",
            "object without properties written as a free-form object",
        );
    }
    if schema.ty == "array" && schema.items.is_none() {
        report.add(Category::Rejected, loc, "items", "an array without items");
    }
    Some(schema)
}

fn read_errors(action: &str, value: &Value, report: &mut Report) -> Vec<ErrorCode> {
    let mut errors: Vec<ErrorCode> = Vec::new();
    for (status_text, list) in value.as_object().unwrap_or_default() {
        let loc = format!("{action}.errorCodes.{status_text}");
        let status = match status_text.parse::<u16>() {
            Ok(s) if (100..=599).contains(&s) => s,
            _ => {
                report.add(
                    Category::Rejected,
                    &loc,
                    "status",
                    "not an HTTP status: codes left out",
                );
                continue;
            }
        };
        for entry in list.as_array().unwrap_or_default() {
            let Some(code) = entry.get("errorCode").and_then(Value::as_str) else {
                report.add(
                    Category::Rejected,
                    &loc,
                    "errorCode",
                    "an entry without a code",
                );
                continue;
            };
            let code_loc = format!("{loc}.{code}");
            for (key, _) in entry.as_object().unwrap_or_default() {
                match key.as_str() {
                    "errorCode" | "errorMessage" => {}
                    "description" => report.add(Category::Prose, &code_loc, "description", ""),
                    other => report.add(Category::Unsupported, &code_loc, other, "unknown key"),
                }
            }
            if errors.iter().any(|e| e.code == code) {
                report.add(
                    Category::Rejected,
                    &code_loc,
                    "errorCode",
                    "listed twice: the first is kept",
                );
                continue;
            }
            // Codes that map to one Rust variant name are kept; `preserve::finish` names them.
            let message = entry
                .get("errorMessage")
                .and_then(Value::as_str)
                .filter(|m| !m.trim().is_empty())
                .map(str::to_owned);
            errors.push(ErrorCode {
                code: code.to_owned(),
                status,
                message,
                name: None,
            });
        }
    }
    errors
}

fn read_demo(action: &str, value: &Value, report: &mut Report) -> Option<Value> {
    // The demo is a JSON text inside a string: a list of {type, example, errorExample}.
    let Some(text) = value.as_str() else {
        report.add(Category::Rejected, action, "responseDemo", "not a string");
        return None;
    };
    let demos = match Value::parse(text) {
        Ok(Value::Array(items)) => items,
        Ok(_) | Err(_) => {
            report.add(
                Category::Rejected,
                action,
                "responseDemo",
                "not a JSON list of examples: no responseExample",
            );
            return None;
        }
    };
    let mut example = None;
    for demo in &demos {
        let kind = demo.get("type").and_then(Value::as_str).unwrap_or_default();
        let error_example = demo
            .get("errorExample")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !error_example.trim().is_empty() {
            report.add(Category::Sample, action, "responseDemo.errorExample", kind);
        }
        for (key, _) in demo.as_object().unwrap_or_default() {
            if !matches!(key.as_str(), "type" | "example" | "errorExample") {
                report.add(
                    Category::Unsupported,
                    action,
                    format!("responseDemo.{key}"),
                    "unknown key",
                );
            }
        }
        if kind != "json" {
            report.add(Category::Sample, action, "responseDemo.example", kind);
            continue;
        }
        let text = demo
            .get("example")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match Value::parse(text) {
            Ok(mut v) if example.is_none() => {
                scrub_prose(&mut v, action, "responseExample", report);
                example = Some(v);
            }
            Ok(_) => report.add(
                Category::Rejected,
                action,
                "responseDemo.example",
                "a second JSON example: the first is kept",
            ),
            Err(e) => report.add(
                Category::Rejected,
                action,
                "responseDemo.example",
                format!("the JSON example does not parse ({e}): no responseExample"),
            ),
        }
    }
    example
}

/// Text written in the upstream documentation's language inside an example is upstream prose
/// (instance descriptions, promotion names, zone names): it is replaced by a neutral string of
/// the same JSON kind, so the example keeps its shape.
const PROSE_PLACEHOLDER: &str = "example text";

fn scrub_prose(value: &mut Value, action: &str, path: &str, report: &mut Report) {
    match value {
        Value::String(s) if is_upstream_prose(s) => {
            report.add(
                Category::Prose,
                format!("{action}.{path}"),
                "responseDemo.example",
                format!("text replaced by {PROSE_PLACEHOLDER:?}"),
            );
            *s = PROSE_PLACEHOLDER.to_owned();
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                scrub_prose(item, action, &format!("{path}[{i}]"), report);
            }
        }
        Value::Object(entries) => {
            for (key, item) in entries.iter_mut() {
                scrub_prose(item, action, &format!("{path}.{key}"), report);
            }
        }
        _ => {}
    }
}

/// Whether a text holds CJK characters or full-width punctuation.
fn is_upstream_prose(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c, '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
    })
}
