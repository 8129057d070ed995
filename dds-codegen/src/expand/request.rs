//! The request struct, its `Request` impl (validate, to_wire, from_wire), and the enums and
//! object types of its parameters.

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::{
    Context, describe, doc, has_limits, ident, is_json, limits, lit, needs_check, param_type,
};
use crate::names::{self, OperationNames};
use crate::spec::{Param, ParamType};

/// The name of the associated const holding a field's limits: `DB_INSTANCE_ID_LIMITS`.
pub(crate) fn limits_const(param: &Param) -> proc_macro2::Ident {
    ident(&format!(
        "{}_LIMITS",
        names::param_field(param)
            .trim_end_matches('_')
            .to_shouty_snake_case()
    ))
}

/// A doc comment for a parameter: its description, its wire name and its rules.
pub(crate) fn param_doc(param: &Param) -> TokenStream {
    let mut text = if param.description.trim().is_empty() {
        format!("Parameter `{}`.", param.name)
    } else {
        format!(
            "{}\n\nWire name: `{}`.",
            param.description.trim(),
            param.name
        )
    };
    let mut rules = Vec::new();
    if param.required {
        rules.push("required".to_owned());
    }
    if let Some(min) = param.minimum {
        rules.push(format!("at least {min}"));
    }
    if let Some(max) = param.maximum {
        rules.push(format!("at most {max}"));
    }
    if let Some(min) = param.min_length {
        rules.push(format!("at least {min} characters"));
    }
    if let Some(max) = param.max_length {
        rules.push(format!("at most {max} characters"));
    }
    if let Some(max) = param.max_items {
        rules.push(format!("at most {max} items"));
    }
    if let Some(pattern) = &param.pattern {
        rules.push(format!("matches `{pattern}`"));
    }
    if let Some(default) = &param.default {
        rules.push(format!("the server assumes `{default}` when absent"));
    }
    if is_json(param) {
        rules.push("sent as one JSON-encoded parameter".to_owned());
    }
    if !rules.is_empty() {
        text.push_str(&format!(" Rules: {}.", rules.join("; ")));
    }
    doc(&text)
}

/// The field declarations of a request or object struct.
fn fields(params: &[Param], names: &OperationNames, serde: bool) -> Vec<TokenStream> {
    params
        .iter()
        .map(|param| {
            let name = ident(&names::param_field(param));
            let ty = param_type(param, names);
            let docs = param_doc(param);
            let wire = lit(&param.name);
            let rename = serde.then(|| {
                if param.required {
                    quote!(#[serde(rename = #wire)])
                } else {
                    quote!(#[serde(rename = #wire, default, skip_serializing_if = "Option::is_none")])
                }
            });
            if param.required {
                quote!(#docs #rename pub #name: #ty)
            } else {
                quote!(#docs #rename pub #name: Option<#ty>)
            }
        })
        .collect()
}

/// The associated consts with the limits of the fields that have any.
fn limit_consts(params: &[Param]) -> Vec<TokenStream> {
    params
        .iter()
        .filter(|param| has_limits(param))
        .map(|param| {
            let name = limits_const(param);
            let value = limits(param);
            let text = format!("Constraints of `{}` from the spec.", param.name);
            quote!(#[doc = #text] const #name: ::dds_api::wire::Limits = #value;)
        })
        .collect()
}

/// The limits argument for a field: its const, or no limits.
fn limits_ref(param: &Param) -> TokenStream {
    if has_limits(param) {
        let name = limits_const(param);
        quote!(&Self::#name)
    } else {
        quote!(&::dds_api::wire::Limits::NONE)
    }
}

/// `name` for a top-level parameter, `&nested(name, "Field")` for an object field.
fn wire_name(param: &Param, nested: bool) -> TokenStream {
    let wire = lit(&param.name);
    if nested {
        quote!(&::dds_api::wire::nested(name, #wire))
    } else {
        quote!(#wire)
    }
}

/// Statements checking each field of `value` (`self` or a builder) into `errors`.
pub(crate) fn checks(
    params: &[Param],
    owner: TokenStream,
    nested: bool,
    with_required: bool,
    errors: TokenStream,
) -> Vec<TokenStream> {
    params
        .iter()
        .filter(|param| needs_check(param) || (with_required && param.required))
        .map(|param| {
            let field = ident(&names::param_field(param));
            let wire = wire_name(param, nested);
            let limits = if has_limits(param) {
                let name = limits_const(param);
                quote!(&#owner::#name)
            } else {
                quote!(&::dds_api::wire::Limits::NONE)
            };
            let required = param.required;
            let value = if param.required && !with_required {
                quote!(Some(&self.#field))
            } else {
                quote!(self.#field.as_ref())
            };
            quote!(::dds_api::wire::check(#value, #wire, #required, #limits, #errors);)
        })
        .collect()
}

/// Statements appending each field to `out`.
fn puts(params: &[Param], nested: bool, out: TokenStream) -> Vec<TokenStream> {
    params
        .iter()
        .map(|param| {
            let field = ident(&names::param_field(param));
            let wire = wire_name(param, nested);
            let put = if is_json(param) { quote!(put_json) } else { quote!(put) };
            if param.required {
                quote!(::dds_api::wire::#put(&self.#field, #wire, #out);)
            } else {
                quote!(if let Some(value) = &self.#field { ::dds_api::wire::#put(value, #wire, #out); })
            }
        })
        .collect()
}

/// Statements reading each field into a local of the field's name.
fn takes(params: &[Param], nested: bool, errors: TokenStream) -> Vec<TokenStream> {
    params
        .iter()
        .map(|param| {
            let field = ident(&names::param_field(param));
            let wire = wire_name(param, nested);
            let required = param.required;
            // Fields of an object are checked with the object, so they are read unchecked.
            let call = match (is_json(param), nested) {
                (true, _) => {
                    let limits = limits_ref(param);
                    quote!(::dds_api::wire::take_json(params, #wire, #required, #limits, #errors))
                }
                (false, false) => {
                    let limits = limits_ref(param);
                    quote!(::dds_api::wire::take(params, #wire, #required, #limits, #errors))
                }
                (false, true) => {
                    quote!(::dds_api::wire::take_unchecked(params, #wire, #required, #errors))
                }
            };
            quote!(let #field = #call;)
        })
        .collect()
}

/// An expression building `Self` from locals named like the fields (the required ones
/// `Option`s), `Ok` only when all required are present and `errors` is empty.
///
/// Without `guard`, the value is built whenever the required fields are present (`Some`/`None`
/// instead of `Ok`/`Err`): an object inside a request whose other problems are recorded.
pub(crate) fn assemble(
    params: &[Param],
    ty: TokenStream,
    source: Option<TokenStream>,
    guard: bool,
) -> TokenStream {
    let value = |param: &Param| {
        let field = ident(&names::param_field(param));
        match &source {
            Some(source) => quote!(#source.#field),
            None => quote!(#field),
        }
    };
    let required: Vec<&Param> = params.iter().filter(|p| p.required).collect();
    let inits = params.iter().map(|param| {
        let field = ident(&names::param_field(param));
        if param.required || source.is_none() {
            quote!(#field)
        } else {
            let value = value(param);
            quote!(#field: #value)
        }
    });
    if required.is_empty() {
        return if guard {
            quote!(errors.into_result(#ty { #(#inits),* }))
        } else {
            quote!(Some(#ty { #(#inits),* }))
        };
    }
    let scrutinee: Vec<_> = required.iter().map(|p| value(p)).collect();
    let patterns: Vec<_> = required
        .iter()
        .map(|p| {
            let field = ident(&names::param_field(p));
            quote!(Some(#field))
        })
        .collect();
    // A single required value is matched as itself, not as a one-element tuple.
    let (scrutinee, patterns) = if required.len() == 1 {
        (scrutinee[0].clone(), patterns[0].clone())
    } else {
        (quote!((#(#scrutinee,)*)), quote!((#(#patterns,)*)))
    };
    if guard {
        quote! {
            match #scrutinee {
                #patterns if errors.is_empty() => Ok(#ty { #(#inits),* }),
                _ => Err(errors),
            }
        }
    } else {
        quote! {
            match #scrutinee {
                #patterns => Some(#ty { #(#inits),* }),
                _ => None,
            }
        }
    }
}

/// Expands the request struct and its parameter types.
pub(crate) fn expand(cx: &Context<'_>) -> TokenStream {
    let op = cx.op;
    let names = cx.names;
    let request = ident(&names.request);
    let builder = ident(&names.builder);
    let response = ident(&names.response);
    let error = ident(&names.error);
    let params = &op.parameters;

    let summary = if op.summary.is_empty() {
        format!("Request of `{}`.", op.action)
    } else {
        op.summary.clone()
    };
    let text = if op.description.trim().is_empty() {
        format!(
            "{summary}\n\nAction `{}`; build it with [`{}::builder`].",
            op.action, names.request
        )
    } else {
        format!(
            "{summary}\n\n{}\n\nAction `{}`; build it with [`{}::builder`].",
            op.description.trim(),
            op.action,
            names.request
        )
    };
    let docs = doc(&text);
    let fields = fields(params, names, false);
    let consts = limit_consts(params);
    let checks = checks(params, quote!(Self), false, false, quote!(&mut errors));
    let puts = puts(params, false, quote!(&mut out));
    let takes = takes(params, false, quote!(&mut errors));
    let assemble = assemble(params, quote!(Self), None, true);
    let validate = if checks.is_empty() {
        quote!(Ok(()))
    } else {
        quote! {
            let mut errors = ::dds_api::ValidationErrors::new();
            #(#checks)*
            errors.into_result(())
        }
    };
    let mut types = Vec::new();
    for param in params {
        param_types(param, names, false, &mut types);
    }

    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub struct #request {
            #(#fields,)*
        }

        impl #request {
            #(#consts)*

            /// Starts building a request; `build()` checks it against the spec.
            pub fn builder() -> #builder {
                #builder::new(())
            }
        }

        impl ::dds_api::Request for #request {
            type Response = #response;
            type Error = #error;

            const META: &'static ::dds_api::OperationMeta = &META;

            fn validate(&self) -> Result<(), ::dds_api::ValidationErrors> {
                #validate
            }

            fn to_wire(&self) -> Vec<(String, String)> {
                let mut out = Vec::new();
                #(#puts)*
                out
            }

            fn from_wire(params: &::dds_api::WireParams) -> Result<Self, ::dds_api::ValidationErrors> {
                let mut errors = ::dds_api::ValidationErrors::new();
                #(#takes)*
                #assemble
            }
        }

        #(#types)*
    }
}

/// Appends the enums and object types used by a parameter (and its items and fields).
/// `serde` is set inside parameters of style `json`, whose types need serde derives.
fn param_types(param: &Param, names: &OperationNames, serde: bool, out: &mut Vec<TokenStream>) {
    let serde = serde || is_json(param);
    match param.ty {
        ParamType::String => {
            if let Some(values) = &param.enum_values {
                out.push(request_enum(param, values, names, serde));
            }
        }
        ParamType::Array => {
            if let Some(item) = &param.items {
                param_types(item, names, serde, out);
            }
        }
        ParamType::Object => {
            out.push(object(param, names, serde));
            for field in &param.properties {
                param_types(field, names, serde, out);
            }
        }
        _ => {}
    }
}

/// A request enum: one variant per allowed value, with its wire value at hand.
fn request_enum(
    param: &Param,
    values: &[crate::spec::EnumValue],
    names: &OperationNames,
    serde: bool,
) -> TokenStream {
    let name = ident(names.type_at(&param.path));
    let wire_name = if param.name.is_empty() {
        "(list item)"
    } else {
        param.name.as_str()
    };
    let docs = describe(
        &param.description,
        format!("Allowed values of `{wire_name}`."),
    );
    let variants: Vec<_> = values
        .iter()
        .map(|value| ident(&names::request_variant(&value.value, value.name.as_deref())))
        .collect();
    let wires: Vec<_> = values.iter().map(|value| lit(&value.value)).collect();
    let variant_docs = values.iter().map(|value| {
        if value.description.trim().is_empty() {
            doc(&format!("`{}`.", value.value))
        } else {
            doc(&format!(
                "`{}`: {}.",
                value.value,
                value.description.trim().trim_end_matches('.')
            ))
        }
    });
    let derive_serde = serde.then(|| {
        quote! {
            #[derive(::dds_api::__private::serde::Serialize, ::dds_api::__private::serde::Deserialize)]
            #[serde(crate = "::dds_api::__private::serde")]
        }
    });
    let renames = wires
        .iter()
        .map(|wire| serde.then(|| quote!(#[serde(rename = #wire)])));
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #derive_serde
        pub enum #name {
            #(#variant_docs #renames #variants,)*
        }

        impl ::dds_api::wire::WireEnum for #name {
            const VALUES: &'static [&'static str] = &[#(#wires),*];

            fn as_str(&self) -> &'static str {
                match self {
                    #(Self::#variants => #wires,)*
                }
            }

            fn from_wire(value: &str) -> Option<Self> {
                match value {
                    #(#wires => Some(Self::#variants),)*
                    _ => None,
                }
            }
        }
    }
}

/// An object parameter: a struct, flattened as `Name.Field` (or JSON-encoded).
fn object(param: &Param, names: &OperationNames, serde: bool) -> TokenStream {
    let name = ident(names.type_at(&param.path));
    let wire_name = if param.name.is_empty() {
        "(list item)"
    } else {
        param.name.as_str()
    };
    let docs = describe(&param.description, format!("A value of `{wire_name}`."));
    let fields = fields(&param.properties, names, serde);
    let consts = limit_consts(&param.properties);
    let consts = (!consts.is_empty()).then(|| quote!(impl #name { #(#consts)* }));
    let puts = puts(&param.properties, true, quote!(out));
    let takes = takes(&param.properties, true, quote!(errors));
    let checks = checks(&param.properties, quote!(Self), true, false, quote!(errors));
    let assemble = assemble(&param.properties, quote!(Self), None, false);
    let derive_serde = serde.then(|| {
        quote! {
            #[derive(::dds_api::__private::serde::Serialize, ::dds_api::__private::serde::Deserialize)]
            #[serde(crate = "::dds_api::__private::serde")]
        }
    });
    let check_params = if checks.is_empty() {
        quote!(_name: &str, _limits: &::dds_api::wire::Limits, _errors: &mut ::dds_api::ValidationErrors)
    } else {
        quote!(name: &str, _limits: &::dds_api::wire::Limits, errors: &mut ::dds_api::ValidationErrors)
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #derive_serde
        pub struct #name {
            #(#fields,)*
        }

        #consts

        impl ::dds_api::wire::WireValue for #name {
            fn put(&self, name: &str, out: &mut Vec<(String, String)>) {
                #(#puts)*
            }

            fn take(
                params: &::dds_api::WireParams,
                name: &str,
                errors: &mut ::dds_api::ValidationErrors,
            ) -> Option<Self> {
                if !::dds_api::wire::present_under(params, name) {
                    return None;
                }
                #(#takes)*
                #assemble
            }

            fn present(params: &::dds_api::WireParams, name: &str) -> bool {
                ::dds_api::wire::present_under(params, name)
            }

            fn check(&self, #check_params) {
                #(#checks)*
            }
        }
    }
}
