//! The static description of an operation (`META`), for the runtime, the emulator and the CLI.
//!
//! The type-erased entries (`check_wire`, `reencode_wire`, `decode_response`) run the
//! operation's own generated types, so callers holding only the metadata get the same answers.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{Context, ident, is_json, lit};
use crate::names;
use crate::spec::{Kind, Method, Param, ParamType, Shape};

/// Expands `pub static META` and the function behind its `check_wire`.
pub(crate) fn expand(cx: &Context<'_>) -> TokenStream {
    let op = cx.op;
    let names = cx.names;
    let request = ident(&names.request);
    let action = lit(&op.action);
    let rust_name = lit(&names.request);
    let cli_name = lit(&names::cli_name(&op.action));
    let summary = lit(&op.summary);
    let description = lit(&op.description);
    let methods = op.methods.iter().map(|m| match m {
        Method::Get => quote!(::dds_api::operation::HttpMethod::Get),
        Method::Post => quote!(::dds_api::operation::HttpMethod::Post),
    });
    let kind = match op.kind {
        Kind::Read => quote!(::dds_api::operation::OperationKind::Read),
        Kind::Write => quote!(::dds_api::operation::OperationKind::Write),
    };
    let params = op.parameters.iter().map(param);
    let response = shape(&op.response);
    let errors = op.errors.iter().map(|e| {
        let code = lit(&e.code);
        let status = e.status;
        let message = lit(&e.message);
        quote!(::dds_api::operation::ErrorMeta { code: #code, status: #status, message: #message })
    });
    // Compact JSON text: the spec file's layout is not part of the example.
    let response_example = option(op.response_example.as_ref(), |e| {
        let text = lit(&e.to_string());
        quote!(#text)
    });
    let docs = super::doc(&format!("What the spec says about `{}`.", op.action));

    quote! {
        #docs
        pub static META: ::dds_api::OperationMeta = ::dds_api::OperationMeta {
            action: #action,
            rust_name: #rust_name,
            cli_name: #cli_name,
            summary: #summary,
            description: #description,
            methods: &[#(#methods),*],
            kind: #kind,
            parameters: &[#(#params),*],
            response: &#response,
            errors: &[#(#errors),*],
            check_wire,
            reencode_wire: ::dds_api::operation::reencode_wire::<#request>,
            response_example: #response_example,
            decode_response: ::dds_api::operation::decode_response::<#request>,
        };

        /// Parses and checks wire parameters as [`::dds_api::Request::from_wire`] does.
        fn check_wire(params: &::dds_api::WireParams) -> Result<(), ::dds_api::ValidationErrors> {
            <#request as ::dds_api::Request>::from_wire(params).map(|_| ())
        }
    }
}

fn option<T>(value: Option<T>, f: impl FnOnce(T) -> TokenStream) -> TokenStream {
    match value {
        Some(value) => {
            let value = f(value);
            quote!(Some(#value))
        }
        None => quote!(None),
    }
}

/// A `ParamMeta` for a parameter (or an object field).
fn param(param_: &Param) -> TokenStream {
    let wire_name = lit(&param_.name);
    let rust_name = lit(&names::param_field(param_));
    let description = lit(&param_.description);
    let ty = type_meta(param_);
    let style = if is_json(param_) {
        quote!(::dds_api::operation::ParamStyle::Json)
    } else if matches!(param_.ty, ParamType::Array | ParamType::Object) {
        quote!(::dds_api::operation::ParamStyle::Flat)
    } else {
        quote!(::dds_api::operation::ParamStyle::Simple)
    };
    let required = param_.required;
    let enum_values = param_.enum_values.iter().flatten().map(|v| lit(&v.value));
    let float = |v: f64| {
        let v = Literal::f64_suffixed(v);
        quote!(#v)
    };
    let count = |v: u64| quote!(#v);
    let minimum = option(param_.minimum, float);
    let maximum = option(param_.maximum, float);
    let min_length = option(param_.min_length, count);
    let max_length = option(param_.max_length, count);
    let max_items = option(param_.max_items, count);
    let pattern = option(param_.pattern.as_deref(), |p| quote!(#p));
    let default = option(param_.default.as_deref(), |d| quote!(#d));
    quote! {
        ::dds_api::operation::ParamMeta {
            wire_name: #wire_name,
            rust_name: #rust_name,
            description: #description,
            ty: #ty,
            style: #style,
            required: #required,
            enum_values: &[#(#enum_values),*],
            minimum: #minimum,
            maximum: #maximum,
            min_length: #min_length,
            max_length: #max_length,
            max_items: #max_items,
            pattern: #pattern,
            default: #default,
        }
    }
}

/// A `TypeMeta` for a parameter's value.
fn type_meta(param_: &Param) -> TokenStream {
    match param_.ty {
        ParamType::String => quote!(::dds_api::operation::TypeMeta::String),
        ParamType::Int32 => quote!(::dds_api::operation::TypeMeta::Int32),
        ParamType::Int64 => quote!(::dds_api::operation::TypeMeta::Int64),
        ParamType::Boolean => quote!(::dds_api::operation::TypeMeta::Boolean),
        ParamType::Number => quote!(::dds_api::operation::TypeMeta::Number),
        ParamType::Array => {
            let item = param_
                .items
                .as_deref()
                .map_or_else(|| quote!(::dds_api::operation::TypeMeta::String), type_meta);
            quote!(::dds_api::operation::TypeMeta::Array(&#item))
        }
        ParamType::Object => {
            let fields = param_.properties.iter().map(param);
            quote!(::dds_api::operation::TypeMeta::Object(&[#(#fields),*]))
        }
    }
}

/// A `ShapeMeta` for a response value.
fn shape(shape_: &Shape) -> TokenStream {
    match shape_.ty {
        ParamType::String => {
            let values = shape_.enum_values.iter().map(|v| lit(v));
            quote!(::dds_api::operation::ShapeMeta::String { enum_values: &[#(#values),*] })
        }
        ParamType::Int32 | ParamType::Int64 => quote!(::dds_api::operation::ShapeMeta::Integer),
        ParamType::Number => quote!(::dds_api::operation::ShapeMeta::Number),
        ParamType::Boolean => quote!(::dds_api::operation::ShapeMeta::Boolean),
        ParamType::Array => {
            let item = shape_.items.as_deref().map_or_else(
                || quote!(::dds_api::operation::ShapeMeta::String { enum_values: &[] }),
                shape,
            );
            quote!(::dds_api::operation::ShapeMeta::Array(&#item))
        }
        ParamType::Object => {
            let properties = shape_.properties.iter().map(|(name, child)| {
                let name = lit(name);
                let child_shape = shape(child);
                let example = option(child.example.as_ref().filter(|e| !e.is_null()), |e| {
                    let text = lit(&e.to_string());
                    quote!(#text)
                });
                quote! {
                    ::dds_api::operation::PropertyMeta { name: #name, shape: &#child_shape, example: #example }
                }
            });
            quote!(::dds_api::operation::ShapeMeta::Object(&[#(#properties),*]))
        }
    }
}
