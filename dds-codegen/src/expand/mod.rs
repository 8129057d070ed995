//! Expansion: checked specs in, Rust tokens out. One module per generated part.

mod builder;
mod error;
mod meta;
mod registry;
mod request;
mod response;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::names::OperationNames;
use crate::spec::{Operation, Param, ParamType, Style};

pub use registry::product;

/// Choices about what to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Generate the fluent `impl ::dds_api::Client` methods and `send()`. Only possible inside
    /// `dds-api` itself (an inherent impl must live in the type's crate).
    pub client: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self { client: true }
    }
}

/// Everything the expansion of one operation needs.
pub(crate) struct Context<'a> {
    pub op: &'a Operation,
    pub names: &'a OperationNames,
    pub options: Options,
}

/// Expands one operation into the items of its module.
pub(crate) fn operation(cx: &Context<'_>) -> TokenStream {
    let request = request::expand(cx);
    let builder = builder::expand(cx);
    let response = response::expand(cx);
    let error = error::expand(cx);
    let meta = meta::expand(cx);
    quote! {
        #request
        #builder
        #response
        #error
        #meta
    }
}

/// An identifier (field, type or module name, already checked to be valid).
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Doc attributes for `text`, one per line, each line led by a space as rustdoc likes it.
pub(crate) fn doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// A doc comment from a spec description, or a plain fallback naming the wire name.
pub(crate) fn describe(description: &str, fallback: String) -> TokenStream {
    if description.trim().is_empty() {
        doc(&fallback)
    } else {
        doc(description.trim())
    }
}

/// A string literal.
pub(crate) fn lit(text: &str) -> Literal {
    Literal::string(text)
}

/// Whether the value of a parameter travels as one JSON-encoded string.
pub(crate) fn is_json(param: &Param) -> bool {
    param.style == Some(Style::Json)
}

/// The Rust type of a request parameter's value (without the `Option` of optional ones).
pub(crate) fn param_type(param: &Param, names: &OperationNames) -> TokenStream {
    match param.ty {
        ParamType::String if param.enum_values.is_some() => {
            let name = ident(names.type_at(&param.path));
            quote!(#name)
        }
        ParamType::String => quote!(String),
        ParamType::Int32 => quote!(i32),
        ParamType::Int64 => quote!(i64),
        ParamType::Boolean => quote!(bool),
        ParamType::Number => quote!(f64),
        ParamType::Array => match &param.items {
            Some(item) => {
                let item = param_type(item, names);
                quote!(Vec<#item>)
            }
            None => quote!(Vec<String>),
        },
        ParamType::Object => {
            let name = ident(names.type_at(&param.path));
            quote!(#name)
        }
    }
}

/// Whether the spec gives the value itself a constraint (range, length, pattern, item count),
/// or its list items one: whether its `Limits` are not empty.
pub(crate) fn has_limits(param: &Param) -> bool {
    param.min_length.is_some()
        || param.max_length.is_some()
        || param.minimum.is_some()
        || param.maximum.is_some()
        || param.pattern.is_some()
        || param.max_items.is_some()
        || param.items.as_deref().is_some_and(has_limits)
}

/// Whether a present value can break a rule: its own limits, or those of a field or item.
pub(crate) fn needs_check(param: &Param) -> bool {
    has_limits(param)
        || param.items.as_deref().is_some_and(needs_check)
        || param.properties.iter().any(needs_check)
}

/// A `::dds_api::wire::Limits` value for a parameter.
pub(crate) fn limits(param: &Param) -> TokenStream {
    let mut fields = Vec::new();
    let count = |value: Option<u64>| value.map(|v| quote!(Some(#v)));
    let number = |value: Option<f64>| {
        value.map(|v| {
            let v = Literal::f64_suffixed(v);
            quote!(Some(#v))
        })
    };
    for (name, value) in [
        ("min_length", count(param.min_length)),
        ("max_length", count(param.max_length)),
        ("minimum", number(param.minimum)),
        ("maximum", number(param.maximum)),
        (
            "pattern",
            param.pattern.as_deref().map(|p| quote!(Some(#p))),
        ),
        ("max_items", count(param.max_items)),
        (
            "items",
            param
                .items
                .as_deref()
                .filter(|item| has_limits(item))
                .map(|item| {
                    let item = limits(item);
                    quote!(Some(&#item))
                }),
        ),
    ] {
        if let Some(value) = value {
            let name = ident(name);
            fields.push(quote!(#name: #value));
        }
    }
    if fields.is_empty() {
        quote!(::dds_api::wire::Limits::NONE)
    } else {
        quote!(::dds_api::wire::Limits { #(#fields,)* ..::dds_api::wire::Limits::NONE })
    }
}
