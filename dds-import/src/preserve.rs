//! Re-import over existing spec files: metadata facts win for the facts they state; what a
//! person added survives.
//!
//! The rule, key by key (also in the crate README):
//! - Never in the metadata, so always kept from the file: `summary` (generated from the action
//!   name only when the file has none), `description`, `rustName`, `enumName`, enum value names
//!   and descriptions (`{value, name, description}`), response `example`, `responseExample`
//!   (the metadata's example is used only when the file has none).
//! - Stated by the metadata, so the metadata's value is written (a differing file value is
//!   reported as `overridden`): `methods`, parameter `type`, `required`, `style`, `default`,
//!   `minimum`, `maximum`, `minLength`, `maxLength`, `maxItems`, `pattern`, the list of `enum`
//!   values, response `type`, error `status` and `message`, and `operationType` when the
//!   metadata states it (a derived one yields to the file's).
//! - Stated by the file only, so kept: any of the above the metadata leaves out, parameters,
//!   properties, error codes and endpoints the metadata does not list, a response shape when
//!   the metadata has none.
//! - Order: the file's order of parameters, properties, error codes and endpoints is kept;
//!   entries only the metadata lists go after the metadata entry that precedes them (first
//!   when none does); new endpoints go last, sorted.
//!
//! Limitation: the file carries no record of where a value came from, so a fact an earlier
//! import wrote and newer metadata no longer states (a dropped constraint, parameter or error
//! code) is kept as if a person had added it; deleting the file starts it over.

use crate::json::Number;
use crate::merge::MergedOperation;
use crate::naming::{summary_from_action, variant_names};
use crate::report::{Category, Report};
use crate::spec::{EnumValue, ErrorCode, Param, Product, Schema, Spec};

/// The spec to write for `imported`, given the file that exists (if any).
pub fn preserve(imported: &MergedOperation, existing: Option<&Spec>, report: &mut Report) -> Spec {
    let m = &imported.spec;
    let Some(e) = existing else {
        return m.clone();
    };
    let loc = m.action.as_str();

    let methods = if m.methods.is_empty() {
        e.methods.clone()
    } else {
        overridden(loc, "methods", &m.methods, &e.methods, report);
        m.methods.clone()
    };
    let operation_type = if imported.operation_type_stated {
        if let (Some(mv), Some(ev)) = (&m.operation_type, &e.operation_type) {
            overridden(loc, "operationType", mv, ev, report);
        }
        m.operation_type.clone()
    } else {
        e.operation_type
            .clone()
            .or_else(|| m.operation_type.clone())
    };
    let response = match (&m.response, &e.response) {
        (Some(ms), Some(es)) => Some(merge_schema(&format!("{loc}.response"), ms, es, report)),
        (ms, es) => ms.clone().or_else(|| es.clone()),
    };

    Spec {
        action: m.action.clone(),
        summary: e.summary.clone().or_else(|| m.summary.clone()),
        description: e.description.clone().or_else(|| m.description.clone()),
        methods,
        operation_type,
        parameters: merge_lists(
            &m.parameters,
            &e.parameters,
            |p| p.name.as_deref().unwrap_or_default(),
            |mp, ep| {
                let name = mp.name.as_deref().unwrap_or_default();
                merge_param(&format!("{loc}.{name}"), mp, ep, report)
            },
        ),
        response,
        response_example: e
            .response_example
            .clone()
            .or_else(|| m.response_example.clone()),
        errors: merge_lists(
            &m.errors,
            &e.errors,
            |err| err.code.as_str(),
            |me, ee| merge_error(&format!("{loc}.errors.{}", me.code), me, ee, report),
        ),
    }
}

/// The product file to write, given the one that exists (if any): endpoints are the union,
/// the metadata's host winning for a region both name, in the file's order.
pub fn preserve_product(
    imported: &Product,
    existing: Option<&Product>,
    report: &mut Report,
) -> Product {
    let Some(e) = existing else {
        return imported.clone();
    };
    overridden("product", "product", &imported.product, &e.product, report);
    overridden("product", "version", &imported.version, &e.version, report);
    overridden("product", "style", &imported.style, &e.style, report);
    // The file's regions in the file's order, with the metadata's host; then the regions only
    // the metadata lists, sorted.
    let mut endpoints = Vec::new();
    for (region, host) in &e.endpoints {
        match imported.endpoints.iter().find(|(r, _)| r == region) {
            Some((_, new_host)) => {
                overridden(
                    &format!("endpoints.{region}"),
                    "endpoint",
                    new_host,
                    host,
                    report,
                );
                endpoints.push((region.clone(), new_host.clone()));
            }
            None => endpoints.push((region.clone(), host.clone())),
        }
    }
    for (region, host) in &imported.endpoints {
        if !e.endpoints.iter().any(|(r, _)| r == region) {
            endpoints.push((region.clone(), host.clone()));
        }
    }
    Product {
        endpoints,
        ..imported.clone()
    }
}

/// Fills what neither the metadata nor the file gives: the summary and Rust names for enum
/// values that cannot name themselves.
pub fn finish(spec: &mut Spec, report: &mut Report) {
    if spec.summary.is_none() {
        spec.summary = Some(summary_from_action(&spec.action));
    }
    let action = spec.action.clone();
    for param in &mut spec.parameters {
        let name = param.name.clone().unwrap_or_default();
        name_param_enums(&format!("{action}.{name}"), param, report);
    }
    if let Some(response) = &mut spec.response {
        name_schema_enums(&format!("{action}.response"), response, report);
    }
    name_error_codes(&action, &mut spec.errors, report);
}

/// Gives a `name` to each error code whose Rust variant (its UpperCamelCase form) another
/// code of the operation already has: `InvalidRegion_Zone_NotFound` and
/// `InvalidRegionZoneNotFound` both give `InvalidRegionZoneNotFound`. The code spelled exactly
/// like the variant keeps it (else the first in order); the others get the variant with the
/// first free number from 2 (`InvalidRegionZoneNotFound2`). Names already in the file are
/// kept and never reused.
fn name_error_codes(action: &str, errors: &mut [ErrorCode], report: &mut Report) {
    let variant = |e: &ErrorCode| {
        e.name
            .clone()
            .unwrap_or_else(|| crate::naming::default_variant_name(&e.code))
    };
    let mut taken: std::collections::BTreeSet<String> =
        errors.iter().filter_map(|e| e.name.clone()).collect();
    // Unnamed codes keep their own variant when they are spelled like it, then in order.
    let mut order: Vec<usize> = (0..errors.len())
        .filter(|&i| errors[i].name.is_none())
        .collect();
    order.sort_by_key(|&i| (variant(&errors[i]) != errors[i].code, i));
    for i in order {
        let own = variant(&errors[i]);
        if taken.insert(own.clone()) {
            continue;
        }
        let name = (2..)
            .map(|n| format!("{own}{n}"))
            .find(|candidate| {
                !taken.contains(candidate)
                    && !errors
                        .iter()
                        .any(|e| e.name.is_none() && variant(e) == *candidate)
            })
            .expect("a free number");
        taken.insert(name.clone());
        report.add(
            Category::Derived,
            format!("{action}.errors.{}", errors[i].code),
            "name",
            format!("{name}: the variant {own} is taken by another code"),
        );
        errors[i].name = Some(name);
    }
}

fn name_param_enums(loc: &str, param: &mut Param, report: &mut Report) {
    // Only string enums become Rust enums; a numeric parameter's list is a set of allowed numbers.
    if param.ty == "string"
        && let Some(values) = &mut param.enum_values
    {
        name_enum_values(loc, values, report);
    }
    if let Some(items) = &mut param.items {
        name_param_enums(&format!("{loc}[]"), items, report);
    }
    for prop in param.properties.iter_mut().flatten() {
        let name = prop.name.clone().unwrap_or_default();
        name_param_enums(&format!("{loc}.{name}"), prop, report);
    }
}

fn name_schema_enums(loc: &str, schema: &mut Schema, report: &mut Report) {
    if schema.ty == "string"
        && let Some(values) = &mut schema.enum_values
    {
        name_enum_values(loc, values, report);
    }
    if let Some(items) = &mut schema.items {
        name_schema_enums(&format!("{loc}[]"), items, report);
    }
    for (name, prop) in schema.properties.iter_mut().flatten() {
        name_schema_enums(&format!("{loc}.{name}"), prop, report);
    }
}

fn name_enum_values(loc: &str, values: &mut [EnumValue], report: &mut Report) {
    let taken: Vec<String> = values
        .iter()
        .filter_map(|v| match v {
            EnumValue::Named { name, .. } => name.clone(),
            EnumValue::Plain(_) => None,
        })
        .collect();
    // Values without a name of their own, plain or written as objects for a description.
    let unnamed: Vec<(usize, String)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| match v {
            EnumValue::Plain(value)
            | EnumValue::Named {
                value, name: None, ..
            } => Some((i, value.clone())),
            EnumValue::Named { name: Some(_), .. } => None,
        })
        .collect();
    let texts: Vec<&str> = unnamed.iter().map(|(_, s)| s.as_str()).collect();
    for ((index, value), name) in unnamed.iter().zip(variant_names(&texts, &taken)) {
        let Some(name) = name else { continue };
        report.add(
            Category::Derived,
            loc,
            "enum",
            format!("value {value:?} named {name}"),
        );
        let description = match &values[*index] {
            EnumValue::Named { description, .. } => description.clone(),
            EnumValue::Plain(_) => None,
        };
        values[*index] = EnumValue::Named {
            value: value.clone(),
            name: Some(name),
            description,
        };
    }
}

/// How a value reads in the report: JSON-like, without Rust type names.
trait Render {
    fn render(&self) -> String;
}

impl Render for String {
    fn render(&self) -> String {
        format!("{self:?}")
    }
}

impl Render for Number {
    fn render(&self) -> String {
        self.to_string()
    }
}

macro_rules! render_display {
    ($($t:ty),*) => {$(
        impl Render for $t {
            fn render(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
render_display!(bool, u16, u64);

impl<T: Render> Render for Vec<T> {
    fn render(&self) -> String {
        let items: Vec<String> = self.iter().map(Render::render).collect();
        format!("[{}]", items.join(", "))
    }
}

fn overridden<T: PartialEq + Render>(
    loc: &str,
    key: &str,
    metadata: &T,
    file: &T,
    report: &mut Report,
) {
    if metadata != file {
        report.add(
            Category::Overridden,
            loc,
            key,
            format!(
                "file had {}, metadata states {}",
                file.render(),
                metadata.render()
            ),
        );
    }
}

/// The metadata's value when it states one, else the file's.
fn fact<T: Clone + PartialEq + Render>(
    loc: &str,
    key: &str,
    metadata: &Option<T>,
    file: &Option<T>,
    report: &mut Report,
) -> Option<T> {
    match (metadata, file) {
        (Some(m), Some(f)) => {
            overridden(loc, key, m, f, report);
            Some(m.clone())
        }
        (m, f) => m.clone().or_else(|| f.clone()),
    }
}

/// The file's order (a person may have ordered the entries); entries only the metadata lists
/// go after the metadata entry preceding them, or first when none does.
fn merge_lists<T: Clone>(
    metadata: &[T],
    file: &[T],
    key: impl Fn(&T) -> &str,
    mut merge_one: impl FnMut(&T, &T) -> T,
) -> Vec<T> {
    let mut out: Vec<T> = file
        .iter()
        .map(|f| match metadata.iter().find(|m| key(m) == key(f)) {
            Some(m) => merge_one(m, f),
            None => f.clone(),
        })
        .collect();
    let mut anchor: Option<usize> = None;
    for m in metadata {
        match out.iter().position(|o| key(o) == key(m)) {
            Some(pos) => anchor = Some(pos),
            None => {
                let at = anchor.map_or(0, |a| a + 1);
                out.insert(at, m.clone());
                anchor = Some(at);
            }
        }
    }
    out
}

fn merge_param(loc: &str, m: &Param, e: &Param, report: &mut Report) -> Param {
    overridden(loc, "type", &m.ty, &e.ty, report);
    let required = match m.required {
        Some(required) => {
            overridden(
                loc,
                "required",
                &required,
                &e.required.unwrap_or(false),
                report,
            );
            Some(required)
        }
        None => e.required,
    };
    let items = match (&m.items, &e.items) {
        (Some(mi), Some(ei)) => Some(Box::new(merge_param(&format!("{loc}[]"), mi, ei, report))),
        (mi, ei) => mi.clone().or_else(|| ei.clone()),
    };
    let properties = match (&m.properties, &e.properties) {
        (Some(mp), Some(ep)) => Some(merge_lists(
            mp,
            ep,
            |p| p.name.as_deref().unwrap_or_default(),
            |a, b| {
                let name = a.name.as_deref().unwrap_or_default();
                merge_param(&format!("{loc}.{name}"), a, b, report)
            },
        )),
        (mp, ep) => mp.clone().or_else(|| ep.clone()),
    };
    Param {
        name: m.name.clone(),
        rust_name: e.rust_name.clone(),
        ty: m.ty.clone(),
        required,
        style: fact(loc, "style", &m.style, &e.style, report),
        description: e.description.clone().or_else(|| m.description.clone()),
        enum_name: e.enum_name.clone(),
        enum_values: merge_enum(loc, &m.enum_values, &e.enum_values, report),
        default: fact(loc, "default", &m.default, &e.default, report),
        minimum: fact(loc, "minimum", &m.minimum, &e.minimum, report),
        maximum: fact(loc, "maximum", &m.maximum, &e.maximum, report),
        min_length: fact(loc, "minLength", &m.min_length, &e.min_length, report),
        max_length: fact(loc, "maxLength", &m.max_length, &e.max_length, report),
        max_items: fact(loc, "maxItems", &m.max_items, &e.max_items, report),
        pattern: fact(loc, "pattern", &m.pattern, &e.pattern, report),
        items,
        properties,
    }
}

/// The metadata's list of values, each carrying the file's name and description when the file
/// names it.
fn merge_enum(
    loc: &str,
    metadata: &Option<Vec<EnumValue>>,
    file: &Option<Vec<EnumValue>>,
    report: &mut Report,
) -> Option<Vec<EnumValue>> {
    let (Some(m), Some(f)) = (metadata, file) else {
        return metadata.clone().or_else(|| file.clone());
    };
    for value in f {
        if !m.iter().any(|v| v.value() == value.value()) {
            report.add(
                Category::Overridden,
                loc,
                "enum",
                format!(
                    "file value {:?} is not in the metadata's list: left out",
                    value.value()
                ),
            );
        }
    }
    Some(
        m.iter()
            .map(|v| {
                f.iter()
                    .find(|fv| fv.value() == v.value() && matches!(fv, EnumValue::Named { .. }))
                    .cloned()
                    .unwrap_or_else(|| v.clone())
            })
            .collect(),
    )
}

fn merge_schema(loc: &str, m: &Schema, e: &Schema, report: &mut Report) -> Schema {
    overridden(loc, "type", &m.ty, &e.ty, report);
    let properties = match (&m.properties, &e.properties) {
        (Some(mp), Some(ep)) => Some(merge_lists(
            mp,
            ep,
            |(name, _)| name.as_str(),
            |(name, ms), (_, es)| {
                (
                    name.clone(),
                    merge_schema(&format!("{loc}.{name}"), ms, es, report),
                )
            },
        )),
        (mp, ep) => mp.clone().or_else(|| ep.clone()),
    };
    let items = match (&m.items, &e.items) {
        (Some(mi), Some(ei)) => Some(Box::new(merge_schema(&format!("{loc}[]"), mi, ei, report))),
        (mi, ei) => mi.clone().or_else(|| ei.clone()),
    };
    Schema {
        ty: m.ty.clone(),
        rust_name: e.rust_name.clone().or_else(|| m.rust_name.clone()),
        description: e.description.clone().or_else(|| m.description.clone()),
        enum_values: merge_enum(loc, &m.enum_values, &e.enum_values, report),
        example: e.example.clone().or_else(|| m.example.clone()),
        properties,
        items,
    }
}

fn merge_error(loc: &str, m: &ErrorCode, e: &ErrorCode, report: &mut Report) -> ErrorCode {
    overridden(loc, "status", &m.status, &e.status, report);
    ErrorCode {
        code: m.code.clone(),
        status: m.status,
        message: fact(loc, "message", &m.message, &e.message, report),
        // The metadata never names a code: a name in the file was given by a person or by
        // an earlier import, and keeps the variant stable.
        name: e.name.clone(),
    }
}
