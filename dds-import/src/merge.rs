//! Merging an older metadata snapshot (`--base`) with a newer one (`--overlay`).
//!
//! Rules (also in the crate README):
//! - Operations: the union.
//! - For an operation in both: methods and parameters from the newer snapshot, with their
//!   constraints. A parameter key the newer file never uses anywhere (the 2025 snapshot has no
//!   `default` at all) says nothing, so for a parameter in both, that key's value is taken from
//!   the older snapshot. Parameters the newer snapshot no longer lists are left out (reported).
//! - Response shape, response example and error codes: from the newer snapshot when it has them,
//!   else from the older one. An operation neither documents an answer for gets the common
//!   answer, `RequestId` only (reported).
//! - `operationType`: stated by either (newer first); else derived from `systemTags` or the
//!   action verb (reported).
//! - Endpoints: the union; the newer snapshot's host wins for a region in both.

use std::collections::{BTreeMap, BTreeSet};

use crate::metadata::{Operation, Snapshot};
use crate::report::{Category, Report};
use crate::spec::{Param, Product, Schema, Spec};

/// Both snapshots merged.
#[derive(Debug, Clone, Default)]
pub struct Merged {
    /// The product facts and the endpoint table, regions sorted.
    pub product: Product,
    /// Operations keyed by action.
    pub operations: BTreeMap<String, MergedOperation>,
}

/// One operation after merging.
#[derive(Debug, Clone, Default)]
pub struct MergedOperation {
    /// The facts.
    pub spec: Spec,
    /// Whether `operationType` was stated by the metadata (otherwise the importer derived it,
    /// and a value in an existing spec file wins over the guess).
    pub operation_type_stated: bool,
}

/// Two snapshots that do not describe the same API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MismatchError(pub String);

/// Merges `base` with an optional newer `overlay`.
pub fn merge(
    base: &Snapshot,
    overlay: Option<&Snapshot>,
    report: &mut Report,
) -> Result<Merged, MismatchError> {
    let newest = overlay.unwrap_or(base);
    if let Some(overlay) = overlay {
        let base_id = (&base.product, &base.version, &base.style);
        let overlay_id = (&overlay.product, &overlay.version, &overlay.style);
        if base_id != overlay_id {
            return Err(MismatchError(format!(
                "the snapshots describe different APIs: base {base_id:?}, overlay {overlay_id:?}"
            )));
        }
    }

    let mut endpoints: BTreeMap<String, String> = base.endpoints.iter().cloned().collect();
    for (region, host) in overlay.map(|o| o.endpoints.as_slice()).unwrap_or_default() {
        if let Some(old) = endpoints.insert(region.clone(), host.clone())
            && old != *host
        {
            report.add(
                Category::Merged,
                format!("endpoints.{region}"),
                "endpoint",
                format!("newer host {host} replaces {old}"),
            );
        }
    }

    let mut operations = BTreeMap::new();
    let overlay_ops: BTreeMap<&str, &Operation> = overlay
        .map(|o| {
            o.operations
                .iter()
                .map(|op| (op.spec.action.as_str(), op))
                .collect()
        })
        .unwrap_or_default();
    let base_ops: BTreeMap<&str, &Operation> = base
        .operations
        .iter()
        .map(|op| (op.spec.action.as_str(), op))
        .collect();
    let actions: BTreeSet<&str> = base_ops.keys().chain(overlay_ops.keys()).copied().collect();
    let overlay_keys = overlay.map(|o| &o.parameter_keys);
    for action in actions {
        let merged = merge_operation(
            base_ops.get(action).copied(),
            overlay_ops.get(action).copied(),
            overlay_keys,
            report,
        );
        operations.insert(action.to_owned(), merged);
    }

    Ok(Merged {
        product: Product {
            product: newest.product.clone(),
            version: newest.version.clone(),
            style: newest.style.clone(),
            endpoints: endpoints.into_iter().collect(),
        },
        operations,
    })
}

fn merge_operation(
    base: Option<&Operation>,
    overlay: Option<&Operation>,
    overlay_keys: Option<&BTreeSet<String>>,
    report: &mut Report,
) -> MergedOperation {
    let (spec, stated, tagged) = match (base, overlay) {
        (Some(op), None) | (None, Some(op)) => (
            op.spec.clone(),
            op.stated_operation_type.clone(),
            op.tagged_operation_type.clone(),
        ),
        (Some(b), Some(o)) => {
            let action = &o.spec.action;
            let keys = overlay_keys.cloned().unwrap_or_default();
            let spec = Spec {
                action: action.clone(),
                methods: if o.spec.methods.is_empty() {
                    b.spec.methods.clone()
                } else {
                    o.spec.methods.clone()
                },
                parameters: merge_parameters(
                    action,
                    &b.spec.parameters,
                    &o.spec.parameters,
                    &keys,
                    report,
                ),
                response: o.spec.response.clone().or_else(|| b.spec.response.clone()),
                response_example: o
                    .spec
                    .response_example
                    .clone()
                    .or_else(|| b.spec.response_example.clone()),
                errors: if o.spec.errors.is_empty() {
                    b.spec.errors.clone()
                } else {
                    o.spec.errors.clone()
                },
                ..Spec::default()
            };
            (
                spec,
                o.stated_operation_type
                    .clone()
                    .or_else(|| b.stated_operation_type.clone()),
                o.tagged_operation_type
                    .clone()
                    .or_else(|| b.tagged_operation_type.clone()),
            )
        }
        (None, None) => unreachable!("an action comes from at least one snapshot"),
    };

    // Every RPC answer carries `RequestId`; an operation documented without a response shape
    // (the newer snapshot has none) gets that much, so the spec stays complete.
    let mut spec = spec;
    if spec.response.is_none() {
        report.add(
            Category::Derived,
            &spec.action,
            "response",
            "no response shape in either snapshot: written as the common answer (RequestId only)",
        );
        spec.response = Some(Schema {
            ty: "object".to_owned(),
            properties: Some(vec![(
                "RequestId".to_owned(),
                Schema {
                    ty: "string".to_owned(),
                    ..Schema::default()
                },
            )]),
            ..Schema::default()
        });
    }

    let operation_type_stated = stated.is_some();
    let operation_type =
        stated.unwrap_or_else(|| derive_operation_type(&spec.action, tagged.as_deref(), report));
    MergedOperation {
        spec: Spec {
            operation_type: Some(operation_type),
            ..spec
        },
        operation_type_stated,
    }
}

/// `read` or `write` for an operation whose metadata does not say.
pub fn derive_operation_type(action: &str, tagged: Option<&str>, report: &mut Report) -> String {
    let (value, reason) = match tagged {
        Some(tag @ ("get" | "list")) => ("read", format!("from systemTags.operationType {tag}")),
        Some(tag @ ("create" | "update" | "delete")) => {
            ("write", format!("from systemTags.operationType {tag}"))
        }
        _ => {
            const READ_VERBS: &[&str] = &["Describe", "List", "Check", "Query", "Get"];
            let verb = READ_VERBS.iter().find(|v| action.starts_with(*v));
            match verb {
                Some(v) => ("read", format!("from the verb {v}")),
                None => ("write", "from the action verb (not a read verb)".to_owned()),
            }
        }
    };
    report.add(
        Category::Derived,
        action,
        "operationType",
        format!("{value} {reason}"),
    );
    value.to_owned()
}

fn merge_parameters(
    loc: &str,
    base: &[Param],
    overlay: &[Param],
    overlay_keys: &BTreeSet<String>,
    report: &mut Report,
) -> Vec<Param> {
    for old in base {
        if !overlay.iter().any(|p| p.name == old.name) {
            report.add(
                Category::Merged,
                format!("{loc}.{}", old.name.as_deref().unwrap_or_default()),
                "parameter",
                "listed only by the older snapshot: left out",
            );
        }
    }
    overlay
        .iter()
        .map(|new| match base.iter().find(|p| p.name == new.name) {
            Some(old) => {
                let name = new.name.as_deref().unwrap_or_default();
                fill_unstated(&format!("{loc}.{name}"), new, old, overlay_keys, report)
            }
            None => new.clone(),
        })
        .collect()
}

/// Takes from `old` the keys the newer snapshot never uses; everything else stays `new`.
fn fill_unstated(
    loc: &str,
    new: &Param,
    old: &Param,
    overlay_keys: &BTreeSet<String>,
    report: &mut Report,
) -> Param {
    let mut out = new.clone();
    let silent = |key: &str| !overlay_keys.contains(key);
    macro_rules! fill {
        ($field:ident, $key:literal) => {
            if silent($key) && out.$field.is_none() && old.$field.is_some() {
                out.$field = old.$field.clone();
                report.add(
                    Category::Merged,
                    loc,
                    $key,
                    "the newer snapshot never states it: kept from the older one",
                );
            }
        };
    }
    fill!(default, "default");
    fill!(pattern, "pattern");
    fill!(minimum, "minimum");
    fill!(maximum, "maximum");
    fill!(min_length, "minLength");
    fill!(max_length, "maxLength");
    fill!(max_items, "maxItems");
    fill!(enum_values, "enum");
    fill!(style, "style");
    // An older default may not fit the newer facts (a narrowed enum, a new type).
    crate::metadata::check_default(loc, &mut out, report);

    if let (Some(new_items), Some(old_items)) = (&new.items, &old.items) {
        out.items = Some(Box::new(fill_unstated(
            &format!("{loc}[]"),
            new_items,
            old_items,
            overlay_keys,
            report,
        )));
    }
    if let (Some(new_props), Some(old_props)) = (&new.properties, &old.properties) {
        out.properties = Some(merge_parameters(
            loc,
            old_props,
            new_props,
            overlay_keys,
            report,
        ));
    }
    out
}
