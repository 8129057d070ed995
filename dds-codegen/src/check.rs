//! Checks of a read spec that go beyond its JSON shape: duplicates, name clashes, keys that
//! do not fit the type, constraints that contradict each other. Every problem is recorded;
//! none stops the others from being found.

use std::collections::BTreeMap;

use crate::diag::{JsonPath, Sink};
use crate::names::{self, is_identifier};
use crate::spec::{Operation, Param, ParamType, Shape, Style};

/// Checks an operation read from `file_stem` (`<Action>` of `<Action>.json`).
pub fn operation(op: &Operation, file_stem: &str, sink: &mut Sink) {
    let root = JsonPath::root();
    // A missing action was reported while reading.
    if !op.action.is_empty() && op.action != file_stem {
        sink.error(
            &root.key("action"),
            format!(
                "expected the file name to be `{}.json` (the action), found `{file_stem}.json`",
                op.action
            ),
        );
    }
    if !op.action.is_empty() && !is_identifier(&op.action) {
        sink.error(
            &root.key("action"),
            format!(
                "expected an action name of letters and digits, found {:?}",
                op.action
            ),
        );
    }
    let mut seen = Vec::new();
    for (i, method) in op.methods.iter().enumerate() {
        if seen.contains(method) {
            sink.error(&root.key("methods").index(i), "duplicate method");
        }
        seen.push(*method);
    }

    params(&op.parameters, &root.key("parameters"), sink);
    shape(&op.response, sink);
    errors(op, sink);

    let (_, clashes) = names::plan(op);
    for (path, message) in clashes {
        sink.error(&path, message);
    }
}

/// Names the builder uses itself (its client field and methods); a parameter must not take them.
const BUILDER_NAMES: &[&str] = &["client", "new", "build", "send"];

/// Checks a list of parameters (top level or fields of an object).
fn params(list: &[Param], path: &JsonPath, sink: &mut Sink) {
    let top_level = path.0.len() == 1;
    let mut wire: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rust: BTreeMap<String, &str> = BTreeMap::new();
    for (i, param) in list.iter().enumerate() {
        if let Some(first) = wire.insert(&param.name, i) {
            sink.error(
                &param.path.key("name"),
                format!(
                    "duplicate parameter `{}`; it is already {path}[{first}]",
                    param.name
                ),
            );
            continue;
        }
        let field = names::param_field(param);
        if !is_identifier(&field) {
            sink.error(
                &param.path.key("name"),
                format!("expected a name that maps to a Rust identifier, found {:?} (give it a `rustName`)", param.name),
            );
        } else if top_level && BUILDER_NAMES.contains(&field.as_str()) {
            sink.error(
                &param.path.key("name"),
                format!(
                    "expected a name other than `{field}` (the builder's own), found {:?}; give it a `rustName`",
                    param.name
                ),
            );
        } else if let Some(other) = rust.insert(field.clone(), &param.name) {
            sink.error(
                &param.path.key("name"),
                format!(
                    "wire names `{other}` and `{}` both map to the Rust name `{field}`; give one a `rustName`",
                    param.name
                ),
            );
        }
        param_keys(param, sink);
    }
}

/// Checks that the keys of one parameter fit its type and each other.
fn param_keys(param: &Param, sink: &mut Sink) {
    let ty = param.ty;
    let path = &param.path;
    let found = format!("type `{}`", ty.as_str());
    let is_number = matches!(ty, ParamType::Int32 | ParamType::Int64 | ParamType::Number);

    if let Some(values) = &param.enum_values {
        if ty != ParamType::String {
            sink.error(
                &path.key("enum"),
                format!("expected `enum` only on a string parameter, found {found}"),
            );
        } else {
            enum_values(param, values, sink);
        }
    }
    if param.enum_name.is_some() && param.enum_values.is_none() {
        sink.error(
            &path.key("enumName"),
            "expected `enumName` only together with `enum`",
        );
    }
    for (key, present) in [
        ("minimum", param.minimum.is_some()),
        ("maximum", param.maximum.is_some()),
    ] {
        if present && !is_number {
            sink.error(
                &path.key(key),
                format!("expected `{key}` only on int32, int64 or number, found {found}"),
            );
        }
    }
    for (key, present) in [
        ("minLength", param.min_length.is_some()),
        ("maxLength", param.max_length.is_some()),
        ("pattern", param.pattern.is_some()),
    ] {
        if present && ty != ParamType::String {
            sink.error(
                &path.key(key),
                format!("expected `{key}` only on a string parameter, found {found}"),
            );
        }
    }
    if param.max_items.is_some() && ty != ParamType::Array {
        sink.error(
            &path.key("maxItems"),
            format!("expected `maxItems` only on an array, found {found}"),
        );
    }
    if param.style.is_some() && !matches!(ty, ParamType::Array | ParamType::Object) {
        sink.error(
            &path.key("style"),
            format!("expected `style` only on an array or object, found {found}"),
        );
    }
    if let (Some(min), Some(max)) = (param.minimum, param.maximum)
        && min > max
    {
        sink.error(
            &path.key("minimum"),
            format!("expected `minimum` <= `maximum`, found {min} > {max}"),
        );
    }
    if let (Some(min), Some(max)) = (param.min_length, param.max_length)
        && min > max
    {
        sink.error(
            &path.key("minLength"),
            format!("expected `minLength` <= `maxLength`, found {min} > {max}"),
        );
    }
    if let Some(pattern) = &param.pattern {
        // The runtime matches whole values with `^(?:pattern)$`; a pattern can compile on
        // its own and not there (a verbose-mode comment swallows the closing parenthesis).
        let error = match regex_lite::Regex::new(pattern) {
            Err(error) => Some(error.to_string()),
            Ok(_) => regex_lite::Regex::new(&format!("^(?:{pattern})$"))
                .err()
                .map(|error| format!("{error} (in the whole-value form `^(?:pattern)$`)")),
        };
        if let Some(error) = error {
            sink.error(
                &path.key("pattern"),
                format!("expected a valid regular expression, found {pattern:?}: {error}"),
            );
        }
    }
    if let Some(default) = &param.default {
        default_value(param, default, sink);
    }

    match ty {
        ParamType::Array => match &param.items {
            None => sink.error(
                path,
                "missing key `items` (an array needs the type of its items)",
            ),
            Some(item) => {
                if item.ty == ParamType::Array {
                    // Limitation: lists of lists have no agreed flat wire form, and Dds has none.
                    sink.error(&item.path.key("type"), "expected the items of an array to be a scalar or an object, found type `array`");
                }
                if param.style == Some(Style::Json) && item.style.is_some() {
                    sink.error(
                        &item.path.key("style"),
                        "expected no `style` inside a parameter of style `json`",
                    );
                }
                param_keys(item, sink);
            }
        },
        _ if param.items.is_some() => {
            sink.error(
                &path.key("items"),
                format!("expected `items` only on an array, found {found}"),
            );
        }
        _ => {}
    }
    match ty {
        ParamType::Object if param.properties.is_empty() => {
            sink.error(
                path,
                "missing key `properties` (an object parameter needs at least one field)",
            );
        }
        ParamType::Object => params(&param.properties, &path.key("properties"), sink),
        _ if !param.properties.is_empty() => {
            sink.error(
                &path.key("properties"),
                format!("expected `properties` only on an object, found {found}"),
            );
        }
        _ => {}
    }
}

/// Checks the values of a request enum: unique, and each a Rust variant name.
fn enum_values(param: &Param, values: &[crate::spec::EnumValue], sink: &mut Sink) {
    if values.is_empty() {
        sink.error(
            &param.path.key("enum"),
            "expected at least one value, found an empty array",
        );
    }
    let mut wire: BTreeMap<&str, ()> = BTreeMap::new();
    let mut variants: BTreeMap<String, &str> = BTreeMap::new();
    for value in values {
        if wire.insert(&value.value, ()).is_some() {
            sink.error(
                &value.path,
                format!("duplicate enum value {:?}", value.value),
            );
            continue;
        }
        let variant = names::request_variant(&value.value, value.name.as_deref());
        if !is_identifier(&variant) {
            sink.error(
                &value.path,
                format!(
                    "expected a value usable as a Rust variant name, found {:?}; write it as {{\"value\": {:?}, \"name\": \"...\"}}",
                    value.value, value.value
                ),
            );
        } else if let Some(other) = variants.insert(variant.clone(), &value.value) {
            sink.error(
                &value.path,
                format!("enum values {other:?} and {:?} both map to the variant `{variant}`; give one a `name`", value.value),
            );
        }
    }
}

/// Checks that a default is wire text of the parameter's type (and one of its values).
fn default_value(param: &Param, default: &str, sink: &mut Sink) {
    let path = param.path.key("default");
    let fits = match param.ty {
        ParamType::String => true,
        ParamType::Int32 => default.parse::<i32>().is_ok(),
        ParamType::Int64 => default.parse::<i64>().is_ok(),
        ParamType::Number => default.parse::<f64>().is_ok(),
        ParamType::Boolean => {
            default.eq_ignore_ascii_case("true") || default.eq_ignore_ascii_case("false")
        }
        ParamType::Array | ParamType::Object => {
            sink.error(
                &path,
                format!(
                    "expected `default` only on a scalar, found type `{}`",
                    param.ty.as_str()
                ),
            );
            return;
        }
    };
    if !fits {
        sink.error(
            &path,
            format!(
                "expected a default of type `{}`, found {default:?}",
                param.ty.as_str()
            ),
        );
    }
    if let Some(values) = &param.enum_values
        && !values.iter().any(|v| v.value == default)
    {
        sink.error(
            &path,
            format!("expected the default to be one of the enum values, found {default:?}"),
        );
    }
}

/// Checks a response shape and everything under it.
fn shape(shape_: &Shape, sink: &mut Sink) {
    let path = &shape_.path;
    let found = format!("type `{}`", shape_.ty.as_str());
    if !shape_.enum_values.is_empty() {
        if shape_.ty != ParamType::String {
            sink.error(
                &path.key("enum"),
                format!("expected `enum` only on a string, found {found}"),
            );
        } else {
            let mut variants: BTreeMap<String, &str> = BTreeMap::new();
            for (i, value) in shape_.enum_values.iter().enumerate() {
                let variant = names::response_variant(value);
                if !is_identifier(&variant) || variant == "Unknown" {
                    sink.error(
                        &path.key("enum").index(i),
                        format!("expected a value usable as a Rust variant name, found {value:?}"),
                    );
                } else if let Some(other) = variants.insert(variant.clone(), value) {
                    sink.error(
                        &path.key("enum").index(i),
                        format!("enum values {other:?} and {value:?} both map to the variant `{variant}`"),
                    );
                }
            }
        }
    }
    if shape_.rust_name.is_some()
        && !(shape_.ty == ParamType::Object
            || (shape_.ty == ParamType::String && !shape_.enum_values.is_empty()))
    {
        sink.error(
            &path.key("rustName"),
            format!("expected `rustName` only on an object or an enum, found {found}"),
        );
    }
    if !shape_.properties.is_empty() && shape_.ty != ParamType::Object {
        sink.error(
            &path.key("properties"),
            format!("expected `properties` only on an object, found {found}"),
        );
    }
    match (&shape_.items, shape_.ty) {
        (None, ParamType::Array) => sink.error(
            path,
            "missing key `items` (an array needs the type of its items)",
        ),
        (Some(item), ParamType::Array) => {
            if item.ty == ParamType::Array {
                sink.error(&item.path.key("type"), "expected the items of an array to be a scalar or an object, found type `array`");
            }
            shape(item, sink);
        }
        (Some(_), _) => sink.error(
            &path.key("items"),
            format!("expected `items` only on an array, found {found}"),
        ),
        (None, _) => {}
    }

    let mut rust: BTreeMap<String, &str> = BTreeMap::new();
    for (name, child) in &shape_.properties {
        let field = names::field_name(name);
        if !is_identifier(&field) {
            sink.key_error(
                &child.path,
                format!("expected a property name that maps to a Rust identifier, found {name:?}"),
            );
        } else if let Some(other) = rust.insert(field.clone(), name) {
            sink.key_error(
                &child.path,
                format!("wire names `{other}` and `{name}` both map to the Rust name `{field}`"),
            );
        }
        shape(child, sink);
    }
}

/// Checks the documented error codes: unique, each with its own variant.
fn errors(op: &Operation, sink: &mut Sink) {
    let mut codes: BTreeMap<&str, ()> = BTreeMap::new();
    let mut variants: BTreeMap<String, &str> = BTreeMap::new();
    for error in &op.errors {
        if codes.insert(&error.code, ()).is_some() {
            sink.error(
                &error.path.key("code"),
                format!("duplicate error code {:?}", error.code),
            );
            continue;
        }
        let variant = names::error_variant(error);
        if let Some(name) = &error.name {
            // A given name is used as written: it must already be an UpperCamelCase variant.
            if !is_identifier(name) || names::type_name(name) != *name || name == "Unhandled" {
                sink.error(
                    &error.path.key("name"),
                    format!(
                        "expected an UpperCamelCase Rust variant name other than `Unhandled`, found {name:?}"
                    ),
                );
                continue;
            }
        } else if !is_identifier(&variant) || variant == "Unhandled" {
            sink.error(
                &error.path.key("code"),
                format!(
                    "expected a code usable as a Rust variant name, found {:?}; give it a `name`",
                    error.code
                ),
            );
            continue;
        }
        if let Some(other) = variants.insert(variant.clone(), &error.code) {
            let at = if error.name.is_some() { "name" } else { "code" };
            sink.error(
                &error.path.key(at),
                format!(
                    "error codes {other:?} and {:?} both map to the variant `{variant}`; give one a `name`",
                    error.code
                ),
            );
        }
    }
}
