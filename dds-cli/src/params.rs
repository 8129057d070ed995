//! From an operation's parameter metadata to command-line options, and from the parsed
//! options back to wire parameters.
//!
//! Each parameter of the spec becomes one option named after its Rust field in kebab case
//! (`DBInstanceId` -> `--db-instance-id`), with the exact wire name as a hidden alias
//! (`--DBInstanceId`, as the `aliyun` tool spells it). Values are checked by type before
//! anything else happens:
//!
//! | spec type | option |
//! |---|---|
//! | `string` | any text; with `enum`, one of the listed values |
//! | `int32`, `int64` | a whole number within the type and the spec's `minimum`/`maximum` |
//! | `number` | a decimal number within `minimum`/`maximum` |
//! | `boolean` | `true` or `false` |
//! | `array` of scalars (`flat`) | the option repeated, once per item: `--resource-id a --resource-id b` |
//! | `array` of objects (`flat`) | the option repeated, once per item; an item is `Field=value,Field=value` or a JSON object, and for `Key`/`Value` objects such as tags simply `KEY=VALUE` |
//! | `object` (`flat`) | `Field=value,Field=value` or a JSON object |
//! | anything with style `json` | JSON text, sent as given (compacted) |
//!
//! The rest of the spec's rules (length, pattern, item count, required fields of objects)
//! are checked by the SDK's own validation of the wire parameters, so the command line and
//! the SDK agree on what is valid.

use std::collections::BTreeSet;

use clap::builder::{PossibleValuesParser, TypedValueParser, ValueParser};
use clap::{Arg, ArgAction, ArgMatches};
use dds_api::operation::{OperationMeta, ParamMeta, ParamStyle, TypeMeta};
use serde_json::{Map, Value};

/// Long option names the command itself uses; a parameter whose name would collide gets the
/// prefix `param-` (`Region` -> `--param-region`).
pub const RESERVED_LONGS: &[&str] = &[
    "help",
    "version",
    "region",
    "endpoint",
    "profile",
    "signature-version",
    "output",
    "timeout",
    "verbose",
    "dry-run",
    "emulator",
    "emulator-state",
    "wait",
    "wait-timeout",
    "poll-interval",
];

/// The wire name of the parameter the global `--region` fills in when it is not given.
pub const REGION_PARAMETER: &str = "RegionId";

/// The option name of a parameter, without the leading `--`.
pub fn long_name(param: &ParamMeta) -> String {
    let kebab = param.rust_name.trim_start_matches("r#").replace('_', "-");
    if RESERVED_LONGS.contains(&kebab.as_str()) {
        format!("param-{kebab}")
    } else {
        kebab
    }
}

/// The command-line options of one operation, in spec order.
pub fn args(meta: &'static OperationMeta) -> Vec<Arg> {
    meta.parameters.iter().map(arg).collect()
}

fn arg(param: &'static ParamMeta) -> Arg {
    let long = long_name(param);
    let value_name = param.rust_name.trim_start_matches("r#").to_uppercase();
    let mut arg = Arg::new(param.wire_name)
        .long(long.clone())
        .value_name(value_name)
        .help(short_help(param))
        .long_help(long_help(param))
        // The region is filled in from `--region` when the option is absent.
        .required(param.required && param.wire_name != REGION_PARAMETER);
    if param.wire_name != long {
        arg = arg.alias(param.wire_name);
    }

    let parser = if param.style == ParamStyle::Json {
        json_parser(param)
    } else {
        match param.ty {
            TypeMeta::Array(item) => {
                arg = arg.action(ArgAction::Append);
                match item {
                    TypeMeta::Object(fields) => {
                        if is_key_value(fields) {
                            arg = arg.value_name("KEY=VALUE");
                        } else {
                            arg = arg.value_name(field_list(fields));
                        }
                        object_parser(param.wire_name, fields)
                    }
                    scalar => scalar_parser(param, scalar),
                }
            }
            TypeMeta::Object(fields) => {
                arg = arg.value_name(field_list(fields));
                object_parser(param.wire_name, fields)
            }
            scalar => scalar_parser(param, &scalar),
        }
    };
    arg.value_parser(parser)
}

/// `Field=VALUE,...` for the value name of an object option.
fn field_list(fields: &[ParamMeta]) -> String {
    let names: Vec<String> = fields
        .iter()
        .map(|f| format!("{}=..", f.wire_name))
        .collect();
    names.join(",")
}

fn first_sentence(text: &str) -> &str {
    let line = text.lines().next().unwrap_or("").trim();
    match line.find(". ") {
        Some(end) => &line[..=end],
        None => line,
    }
}

fn short_help(param: &ParamMeta) -> String {
    let mut help = first_sentence(param.description).to_owned();
    let notes = notes(param);
    if !notes.is_empty() {
        if !help.is_empty() {
            help.push(' ');
        }
        help.push_str(&format!("({})", notes.join("; ")));
    }
    help
}

fn long_help(param: &ParamMeta) -> String {
    let mut help = param.description.trim().to_owned();
    let mut notes = notes(param);
    notes.push(format!("wire name {}", param.wire_name));
    if !help.is_empty() {
        help.push_str("\n\n");
    }
    help.push_str(&format!("({})", notes.join("; ")));
    help
}

/// Facts of the spec worth showing beside the description; enum values are listed by clap.
fn notes(param: &ParamMeta) -> Vec<String> {
    let mut notes = Vec::new();
    if param.wire_name == REGION_PARAMETER {
        notes.push("default: the value of --region".to_owned());
    }
    let ty = match param.ty {
        TypeMeta::Array(item) => item,
        ref other => other,
    };
    match (param.minimum, param.maximum) {
        (Some(min), Some(max)) => notes.push(format!("{min} to {max}")),
        (Some(min), None) => notes.push(format!("at least {min}")),
        (None, Some(max)) => notes.push(format!("at most {max}")),
        (None, None) => {}
    }
    match (param.min_length, param.max_length) {
        (Some(min), Some(max)) => notes.push(format!("{min} to {max} characters")),
        (Some(min), None) => notes.push(format!("at least {min} characters")),
        (None, Some(max)) => notes.push(format!("at most {max} characters")),
        (None, None) => {}
    }
    if param.style == ParamStyle::Json {
        notes.push("JSON text".to_owned());
    } else if let TypeMeta::Array(_) = param.ty {
        match param.max_items {
            Some(max) => notes.push(format!("repeatable, at most {max} times")),
            None => notes.push("repeatable".to_owned()),
        }
        if let TypeMeta::Object(fields) = ty {
            if is_key_value(fields) {
                notes.push("KEY=VALUE, or a JSON object".to_owned());
            } else {
                notes.push("each Field=value,... or a JSON object".to_owned());
            }
        }
    } else if let TypeMeta::Object(_) = ty {
        notes.push("Field=value,... or a JSON object".to_owned());
    }
    if let Some(default) = param.default {
        notes.push(format!("server default {default}"));
    }
    notes
}

/// Objects with exactly the fields `Key` and `Value` (tags) take the `KEY=VALUE` form.
fn is_key_value(fields: &[ParamMeta]) -> bool {
    fields.len() == 2 && fields[0].wire_name == "Key" && fields[1].wire_name == "Value"
}

/// A parser for one scalar value of the given type; answers the value in wire form.
fn scalar_parser(param: &'static ParamMeta, ty: &TypeMeta) -> ValueParser {
    match ty {
        TypeMeta::String if !param.enum_values.is_empty() => {
            ValueParser::new(PossibleValuesParser::new(param.enum_values.iter().copied()))
        }
        TypeMeta::Boolean => ValueParser::new(PossibleValuesParser::new(["true", "false"])),
        TypeMeta::Int32 => integer_parser(param, i32::MIN.into(), i32::MAX.into(), "int32"),
        TypeMeta::Int64 => integer_parser(param, i64::MIN, i64::MAX, "int64"),
        TypeMeta::Number => ValueParser::new(clap::builder::StringValueParser::new().try_map(
            move |text| {
                let number: f64 = text
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n: &f64| n.is_finite())
                    .ok_or_else(|| format!("{text:?} is not a number"))?;
                check_range(param, number, &text)?;
                Ok::<_, String>(text.trim().to_owned())
            },
        )),
        _ => ValueParser::string(),
    }
}

fn integer_parser(param: &'static ParamMeta, min: i64, max: i64, ty: &'static str) -> ValueParser {
    ValueParser::new(
        clap::builder::StringValueParser::new().try_map(move |text| {
            let number: i64 = text
                .trim()
                .parse()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| format!("{text:?} is not a whole number of type {ty}"))?;
            check_range(param, number as f64, &text)?;
            Ok::<_, String>(number.to_string())
        }),
    )
}

fn check_range(param: &ParamMeta, number: f64, text: &str) -> Result<(), String> {
    if let Some(min) = param.minimum.filter(|min| number < *min) {
        return Err(format!("{text} is below the minimum {min}"));
    }
    if let Some(max) = param.maximum.filter(|max| number > *max) {
        return Err(format!("{text} is above the maximum {max}"));
    }
    Ok(())
}

/// A parser for JSON-style parameters: the text must be JSON; it is sent compacted.
fn json_parser(param: &'static ParamMeta) -> ValueParser {
    ValueParser::new(
        clap::builder::StringValueParser::new().try_map(move |text| {
            let value: Value = serde_json::from_str(&text)
                .map_err(|error| format!("{} takes JSON text: {error}", param.wire_name))?;
            Ok::<_, String>(value.to_string())
        }),
    )
}

/// A parser for one object (an item of a list, or a whole object parameter); answers the
/// object as compact JSON, flattened later.
fn object_parser(wire_name: &'static str, fields: &'static [ParamMeta]) -> ValueParser {
    ValueParser::new(
        clap::builder::StringValueParser::new()
            .try_map(move |text| parse_object(wire_name, fields, &text).map(|v| v.to_string())),
    )
}

/// Parses `KEY=VALUE` (for `Key`/`Value` objects), `Field=value,Field=value`, or a JSON
/// object.
pub fn parse_object(wire_name: &str, fields: &[ParamMeta], text: &str) -> Result<Value, String> {
    let trimmed = text.trim();
    if trimmed.starts_with('{') {
        let value: Value = serde_json::from_str(trimmed)
            .map_err(|error| format!("{wire_name} item is not valid JSON: {error}"))?;
        let Value::Object(object) = &value else {
            return Err(format!("{wire_name} item must be a JSON object"));
        };
        for name in object.keys() {
            if !fields.iter().any(|f| f.wire_name == name) {
                return Err(unknown_field(wire_name, fields, name));
            }
        }
        return Ok(value);
    }

    let mut object = Map::new();
    if is_key_value(fields) {
        // `env=prod`: the tag key and its value; a bare `env` is a key without a value.
        let (key, value) = match trimmed.split_once('=') {
            Some((key, value)) => (key, Some(value)),
            None => (trimmed, None),
        };
        object.insert("Key".to_owned(), Value::String(key.to_owned()));
        if let Some(value) = value {
            object.insert("Value".to_owned(), Value::String(value.to_owned()));
        }
        return Ok(Value::Object(object));
    }

    for pair in trimmed.split(',').filter(|p| !p.trim().is_empty()) {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(format!(
                "{wire_name} item {pair:?} is not Field=value (fields: {})",
                field_names(fields)
            ));
        };
        let name = name.trim();
        let Some(field) = fields
            .iter()
            .find(|f| f.wire_name.eq_ignore_ascii_case(name) || long_name(f) == name)
        else {
            return Err(unknown_field(wire_name, fields, name));
        };
        object.insert(field.wire_name.to_owned(), Value::String(value.to_owned()));
    }
    Ok(Value::Object(object))
}

fn field_names(fields: &[ParamMeta]) -> String {
    fields
        .iter()
        .map(|f| f.wire_name)
        .collect::<Vec<_>>()
        .join(", ")
}

fn unknown_field(wire_name: &str, fields: &[ParamMeta], name: &str) -> String {
    format!(
        "{wire_name} has no field {name:?} (fields: {})",
        field_names(fields)
    )
}

/// The wire parameters of an operation from the parsed options, in spec order: lists and
/// objects flattened as `Name.1`, `Name.1.Key`.
pub fn wire_params(meta: &OperationMeta, matches: &ArgMatches) -> Vec<(String, String)> {
    let mut wire = Vec::new();
    for param in meta.parameters {
        let Some(values) = matches.get_many::<String>(param.wire_name) else {
            continue;
        };
        let values: Vec<&String> = values.collect();
        let structured = param.style != ParamStyle::Json
            && matches!(param.ty, TypeMeta::Array(_) | TypeMeta::Object(_));
        if !structured {
            // Scalars and JSON-style parameters: one value, already in wire form.
            if let Some(value) = values.last() {
                wire.push((param.wire_name.to_owned(), (*value).clone()));
            }
            continue;
        }
        match param.ty {
            TypeMeta::Array(TypeMeta::Object(_)) => {
                for (index, value) in values.iter().enumerate() {
                    let prefix = format!("{}.{}", param.wire_name, index + 1);
                    flatten(&prefix, &json(value), &mut wire);
                }
            }
            TypeMeta::Array(_) => {
                for (index, value) in values.iter().enumerate() {
                    wire.push((
                        format!("{}.{}", param.wire_name, index + 1),
                        (*value).clone(),
                    ));
                }
            }
            _ => {
                if let Some(value) = values.last() {
                    flatten(param.wire_name, &json(value), &mut wire);
                }
            }
        }
    }
    wire
}

/// Values the object parsers produced; they are always JSON.
fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// Flattens a JSON value into `prefix.Field` and `prefix.N` wire names, counting from 1.
fn flatten(prefix: &str, value: &Value, wire: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::String(text) => wire.push((prefix.to_owned(), text.clone())),
        Value::Bool(_) | Value::Number(_) => wire.push((prefix.to_owned(), value.to_string())),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                flatten(&format!("{prefix}.{}", index + 1), item, wire);
            }
        }
        Value::Object(fields) => {
            for (name, item) in fields {
                flatten(&format!("{prefix}.{name}"), item, wire);
            }
        }
    }
}

/// The `--long` names of every parameter option of these operations, for telling a
/// parameter's error from a misuse of the command's own options.
pub fn parameter_longs(operations: &[&'static OperationMeta]) -> BTreeSet<String> {
    operations
        .iter()
        .flat_map(|meta| meta.parameters.iter())
        .map(|param| format!("--{}", long_name(param)))
        .collect()
}
