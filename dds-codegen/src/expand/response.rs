//! Response types: one struct per object of the response schema, one enum per enumerated
//! string. Every field is optional and read leniently (see `dds_api::de`).

use proc_macro2::TokenStream;
use quote::quote;

use super::{Context, describe, doc, ident, lit};
use crate::names::{self, OperationNames};
use crate::spec::{ParamType, Shape};

/// Expands the response types of an operation.
pub(crate) fn expand(cx: &Context<'_>) -> TokenStream {
    let mut out = Vec::new();
    let text = format!("The answer of a successful `{}` call.", cx.op.action);
    object(&cx.op.response, cx.names, Some(text), &mut out);
    quote!(#(#out)*)
}

/// The field type and its `#[serde]` arguments, for a property of shape `shape`.
fn field(shape: &Shape, names: &OperationNames) -> (TokenStream, TokenStream) {
    let scalar = |ty: TokenStream, with: &str| {
        let with = format!("::dds_api::de::{with}");
        (
            quote!(Option<#ty>),
            quote!(default, deserialize_with = #with),
        )
    };
    match shape.ty {
        ParamType::String if !shape.enum_values.is_empty() => {
            let name = ident(names.type_at(&shape.path));
            (quote!(Option<#name>), quote!(default))
        }
        ParamType::String => scalar(quote!(String), "string"),
        ParamType::Int32 => scalar(quote!(i32), "i32"),
        ParamType::Int64 => scalar(quote!(i64), "i64"),
        ParamType::Number => scalar(quote!(f64), "f64"),
        ParamType::Boolean => scalar(quote!(bool), "bool"),
        ParamType::Object if shape.properties.is_empty() => {
            // A free-form object: kept as JSON.
            (
                quote!(Option<::dds_api::__private::serde_json::Value>),
                quote!(default),
            )
        }
        ParamType::Object => {
            let name = ident(names.type_at(&shape.path));
            (
                quote!(Option<#name>),
                quote!(default, deserialize_with = "::dds_api::de::object"),
            )
        }
        ParamType::Array => {
            let Some(item) = shape.items.as_deref() else {
                return (
                    quote!(Vec<String>),
                    quote!(default, deserialize_with = "::dds_api::de::scalars"),
                );
            };
            let (ty, with) = match item.ty {
                ParamType::String if !item.enum_values.is_empty() => {
                    let name = ident(names.type_at(&item.path));
                    (quote!(#name), "list")
                }
                ParamType::String => (quote!(String), "scalars"),
                ParamType::Int32 => (quote!(i32), "scalars"),
                ParamType::Int64 => (quote!(i64), "scalars"),
                ParamType::Number => (quote!(f64), "scalars"),
                ParamType::Boolean => (quote!(bool), "scalars"),
                ParamType::Object if item.properties.is_empty() => {
                    (quote!(::dds_api::__private::serde_json::Value), "list")
                }
                ParamType::Object => {
                    let name = ident(names.type_at(&item.path));
                    (quote!(#name), "list")
                }
                // Rejected by the checks; a list of JSON values is the harmless stand-in.
                ParamType::Array => (quote!(::dds_api::__private::serde_json::Value), "list"),
            };
            let with = format!("::dds_api::de::{with}");
            (quote!(Vec<#ty>), quote!(default, deserialize_with = #with))
        }
    }
}

/// A doc comment for a property.
fn property_doc(name: &str, shape: &Shape) -> TokenStream {
    let mut text = if shape.description.trim().is_empty() {
        format!("`{name}`.")
    } else {
        format!("{}\n\nWire name: `{name}`.", shape.description.trim())
    };
    if let Some(example) = shape.example.as_ref().filter(|e| !e.is_null()) {
        let example = match example {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        text.push_str(&format!(" Example: `{}`.", example.replace('`', "'")));
    }
    doc(&text)
}

/// Appends the struct for an object shape and the types under it.
fn object(shape: &Shape, names: &OperationNames, text: Option<String>, out: &mut Vec<TokenStream>) {
    let name = ident(names.type_at(&shape.path));
    let docs = match text {
        Some(text) => doc(&text),
        None => describe(
            &shape.description,
            format!("An object of the answer ({}).", names.type_at(&shape.path)),
        ),
    };
    let mut fields = Vec::new();
    let mut nested = Vec::new();
    for (wire, child) in &shape.properties {
        let field_name = ident(&names::field_name(wire));
        let (ty, args) = field(child, names);
        let wire_lit = lit(wire);
        let field_doc = property_doc(wire, child);
        fields.push(quote! {
            #field_doc
            #[serde(rename = #wire_lit, #args)]
            pub #field_name: #ty
        });
        types_under(child, names, &mut nested);
    }
    out.push(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, ::dds_api::__private::serde::Deserialize)]
        #[serde(crate = "::dds_api::__private::serde")]
        pub struct #name {
            #(#fields,)*
        }
    });
    out.extend(nested);
}

/// Appends the types declared by a property's shape (object, enum, or those of its items).
fn types_under(shape: &Shape, names: &OperationNames, out: &mut Vec<TokenStream>) {
    match shape.ty {
        ParamType::Object if !shape.properties.is_empty() => object(shape, names, None, out),
        ParamType::String if !shape.enum_values.is_empty() => out.push(response_enum(shape, names)),
        ParamType::Array => {
            if let Some(item) = &shape.items {
                types_under(item, names, out);
            }
        }
        _ => {}
    }
}

/// A response enum: the documented values, plus `Unknown` for anything else.
fn response_enum(shape: &Shape, names: &OperationNames) -> TokenStream {
    let name = ident(names.type_at(&shape.path));
    let docs = describe(
        &shape.description,
        format!(
            "Documented values of {}; others are kept in `Unknown`.",
            names.type_at(&shape.path)
        ),
    );
    let variants: Vec<_> = shape
        .enum_values
        .iter()
        .map(|v| ident(&names::response_variant(v)))
        .collect();
    let wires: Vec<_> = shape.enum_values.iter().map(|v| lit(v)).collect();
    let variant_docs = shape.enum_values.iter().map(|v| doc(&format!("`{v}`.")));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A value the spec does not document, kept as sent.
            Unknown(String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#variants,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl<'de> ::dds_api::__private::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::dds_api::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                ::dds_api::de::text(deserializer).map(|text| Self::from(text.as_str()))
            }
        }
    }
}
