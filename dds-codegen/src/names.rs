//! Rust names for wire names, and the type names of one operation module.
//!
//! Wire names follow Alibaba's conventions (`DBInstanceId`, `SSLAction`); Rust names follow
//! the API guidelines via `heck` (`db_instance_id`, `SslAction`). Every generated type of an
//! operation lives in the operation's module, so type names must be unique there: they are
//! handed out in a fixed order (request side in spec order, then the response depth-first),
//! and a derived name that is already taken is prefixed with its parent type's name, then
//! numbered. Names given explicitly (`enumName`, `rustName`) are never changed; a clash
//! there is a spec error.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};

use crate::diag::JsonPath;
use crate::spec::{Operation, Param, ParamType, Shape};

/// Names that generated code uses unqualified; a generated type must not shadow them.
const RESERVED_TYPES: &[&str] = &[
    "Self",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "Into",
    "From",
    "Iterator",
    "IntoIterator",
    "ToString",
    "ToOwned",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "AsRef",
    "AsMut",
    "Extend",
    "Ord",
    "PartialOrd",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "Unpin",
    "Deserialize",
    "Serialize",
];

/// Rust keywords; a field named like one gets a trailing underscore.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe",
    "use", "where", "while", "abstract", "become", "box", "do", "final", "macro", "override",
    "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// `DBInstanceId` -> `DbInstanceId`.
pub fn type_name(wire: &str) -> String {
    wire.to_upper_camel_case()
}

/// `DBInstanceId` -> `db_instance_id` (`type` -> `type_`).
pub fn field_name(wire: &str) -> String {
    let name = wire.to_snake_case();
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// `ModifyDBInstanceSSL` -> `modify-db-instance-ssl`.
pub fn cli_name(action: &str) -> String {
    action.to_kebab_case()
}

/// Whether `name` can be used as a plain (ASCII) Rust identifier: not a keyword (`type`,
/// `self`, `Self`: given as a `rustName` or an enum value they would not parse; `self` and
/// `Self` cannot even be raw identifiers).
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
        && name != "Self"
        && !KEYWORDS.contains(&name)
}

/// The Rust field name of a parameter.
pub fn param_field(param: &Param) -> String {
    param
        .rust_name
        .clone()
        .unwrap_or_else(|| field_name(&param.name))
}

/// Variant name of a request enum value: its `name`, or the value in UpperCamelCase.
pub fn request_variant(value: &str, name: Option<&str>) -> String {
    name.map_or_else(|| type_name(value), str::to_owned)
}

/// Variant name of a documented error code: its `name` when given, else the code in
/// UpperCamelCase (`InvalidDBInstanceId.NotFound` -> `InvalidDbInstanceIdNotFound`).
pub fn error_variant(error: &crate::spec::ErrorCode) -> String {
    error.name.clone().unwrap_or_else(|| type_name(&error.code))
}

/// Variant name of a response enum value; values that do not start with a letter get a `V`.
pub fn response_variant(value: &str) -> String {
    let name = type_name(value);
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else {
        name
    }
}

/// The names of one operation's module and its types.
#[derive(Debug, Clone, Default)]
pub struct OperationNames {
    /// Module and client method, `modify_db_instance_ssl`.
    pub module: String,
    /// Request type, `ModifyDbInstanceSsl`.
    pub request: String,
    /// `ModifyDbInstanceSslBuilder`.
    pub builder: String,
    /// `ModifyDbInstanceSslResponse`.
    pub response: String,
    /// `ModifyDbInstanceSslError`.
    pub error: String,
    /// Type name per JSON path of a parameter (enum or object) or response shape (object or
    /// enum), keyed by the path's text.
    pub types: BTreeMap<String, String>,
}

impl OperationNames {
    /// The type name given to the parameter or shape at `path`.
    pub fn type_at(&self, path: &JsonPath) -> &str {
        self.types.get(&path.to_string()).map_or("", String::as_str)
    }
}

/// Hands out type names and records clashes of explicit names.
struct Allocator {
    taken: BTreeSet<String>,
    names: OperationNames,
    clashes: Vec<(JsonPath, String)>,
}

impl Allocator {
    fn assign(&mut self, path: &JsonPath, explicit: Option<&str>, derived: String, parent: &str) {
        let name = match explicit {
            Some(name) => {
                if !is_identifier(name) {
                    self.clashes.push((
                        path.clone(),
                        format!("expected a Rust type name, found {name:?}"),
                    ));
                }
                if self.taken.contains(name) {
                    self.clashes.push((
                        path.clone(),
                        format!(
                            "type name `{name}` is already used in this operation; choose another"
                        ),
                    ));
                }
                name.to_owned()
            }
            None => {
                let mut name = derived.clone();
                if self.taken.contains(&name) {
                    name = format!("{parent}{derived}");
                }
                let mut n = 2;
                while self.taken.contains(&name) {
                    name = format!("{parent}{derived}{n}");
                    n += 1;
                }
                name
            }
        };
        self.taken.insert(name.clone());
        self.names.types.insert(path.to_string(), name);
    }

    fn param(&mut self, param: &Param, wire: &str, parent: &str) {
        match param.ty {
            ParamType::String if param.enum_values.is_some() => {
                self.assign(
                    &param.path,
                    param.enum_name.as_deref(),
                    type_name(wire),
                    parent,
                );
            }
            ParamType::Object if !param.properties.is_empty() => {
                self.assign(&param.path, None, type_name(wire), parent);
                let own = self.names.type_at(&param.path).to_owned();
                for field in &param.properties {
                    self.param(field, &field.name, &own);
                }
            }
            ParamType::Array => {
                if let Some(item) = &param.items {
                    // Items are named after the list: `Tag` for the items of `Tag`.
                    self.param(item, wire, parent);
                }
            }
            _ => {}
        }
    }

    fn shape(&mut self, shape: &Shape, wire: &str, parent: &str) {
        match shape.ty {
            ParamType::String if !shape.enum_values.is_empty() => {
                self.assign(
                    &shape.path,
                    shape.rust_name.as_deref(),
                    type_name(wire),
                    parent,
                );
            }
            ParamType::Object if !shape.properties.is_empty() => {
                self.assign(
                    &shape.path,
                    shape.rust_name.as_deref(),
                    type_name(wire),
                    parent,
                );
                let own = self.names.type_at(&shape.path).to_owned();
                for (name, child) in &shape.properties {
                    self.shape(child, name, &own);
                }
            }
            ParamType::Array => {
                if let Some(item) = &shape.items {
                    self.shape(item, wire, parent);
                }
            }
            _ => {}
        }
    }
}

/// Names the module and every type of `op`. Clashes of explicit names are returned as
/// (path, message) pairs.
pub fn plan(op: &Operation) -> (OperationNames, Vec<(JsonPath, String)>) {
    let request = type_name(&op.action);
    let names = OperationNames {
        module: field_name(&op.action),
        builder: format!("{request}Builder"),
        response: format!("{request}Response"),
        error: format!("{request}Error"),
        request,
        types: BTreeMap::new(),
    };
    let mut taken: BTreeSet<String> = RESERVED_TYPES.iter().map(|s| (*s).to_owned()).collect();
    taken.extend([
        names.request.clone(),
        names.builder.clone(),
        names.response.clone(),
        names.error.clone(),
    ]);
    let mut allocator = Allocator {
        taken,
        names,
        clashes: Vec::new(),
    };

    let request = allocator.names.request.clone();
    for param in &op.parameters {
        allocator.param(param, &param.name, &request);
    }

    // The response root keeps its fixed name; its children are named after their properties.
    let response = allocator.names.response.clone();
    allocator
        .names
        .types
        .insert(op.response.path.to_string(), response.clone());
    for (name, child) in &op.response.properties {
        allocator.shape(child, name, &response);
    }

    (allocator.names, allocator.clashes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_follow_the_api_guidelines() {
        assert_eq!(type_name("ModifyDBInstanceSSL"), "ModifyDbInstanceSsl");
        assert_eq!(type_name("SSLAction"), "SslAction");
        assert_eq!(field_name("DBInstanceId"), "db_instance_id");
        assert_eq!(field_name("Type"), "type_");
        assert_eq!(cli_name("ModifyDBInstanceSSL"), "modify-db-instance-ssl");
        assert_eq!(response_variant("0"), "V0");
    }
}
