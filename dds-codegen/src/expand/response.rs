//! Response types: one struct per object of the response schema, one enum per enumerated
//! string. Every field is optional (lists are empty when absent) and read leniently through
//! `dds_api::de::FromJson`, one line per field.

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

/// The field type, and whether it is read as a list (`Object::list`) or a single value.
fn field(shape: &Shape, names: &OperationNames) -> (TokenStream, bool) {
    let ty = match shape.ty {
        ParamType::Array => {
            let item = shape
                .items
                .as_deref()
                .map_or_else(|| quote!(String), |item| value_type(item, names));
            return (quote!(Vec<#item>), true);
        }
        _ => value_type(shape, names),
    };
    (quote!(Option<#ty>), false)
}

/// The Rust type of one value of `shape` (a list's item, or a field's value).
fn value_type(shape: &Shape, names: &OperationNames) -> TokenStream {
    match shape.ty {
        ParamType::String if !shape.enum_values.is_empty() => {
            let name = ident(names.type_at(&shape.path));
            quote!(#name)
        }
        ParamType::String => quote!(String),
        ParamType::Int32 => quote!(i32),
        ParamType::Int64 => quote!(i64),
        ParamType::Number => quote!(f64),
        ParamType::Boolean => quote!(bool),
        ParamType::Object if !shape.properties.is_empty() => {
            let name = ident(names.type_at(&shape.path));
            quote!(#name)
        }
        // A free-form object is kept as JSON; lists of lists are rejected by the checks and
        // would be kept as JSON too.
        ParamType::Object | ParamType::Array => quote!(::dds_api::__private::serde_json::Value),
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
    let root = text.is_some();
    let docs = match text {
        Some(text) => doc(&text),
        None => describe(
            &shape.description,
            format!("An object of the answer ({}).", names.type_at(&shape.path)),
        ),
    };
    let mut fields = Vec::new();
    let mut reads = Vec::new();
    let mut nested = Vec::new();
    for (wire, child) in &shape.properties {
        let field_name = ident(&names::field_name(wire));
        let (ty, is_list) = field(child, names);
        let wire_lit = lit(wire);
        let field_doc = property_doc(wire, child);
        fields.push(quote!(#field_doc pub #field_name: #ty));
        reads.push(if is_list {
            quote!(#field_name: object.list(#wire_lit)?)
        } else {
            quote!(#field_name: object.field(#wire_lit)?)
        });
        types_under(child, names, &mut nested);
    }
    // Only the root is deserialized on its own; the types under it are read through it.
    let deserialize = root.then(|| {
        quote! {
            impl<'de> ::dds_api::__private::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::dds_api::__private::serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<Self, D::Error> {
                    ::dds_api::de::deserialize(deserializer)
                }
            }
        }
    });
    let object_binding = if reads.is_empty() {
        quote!(_object)
    } else {
        quote!(mut object)
    };
    out.push(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            #(#fields,)*
        }

        impl ::dds_api::de::FromJson for #name {
            fn from_json(
                value: ::dds_api::de::Json<'_>,
            ) -> Result<Option<Self>, ::dds_api::de::Error> {
                let Some(#object_binding) = ::dds_api::de::Object::new(value)? else {
                    return Ok(None);
                };
                Ok(Some(Self {
                    #(#reads,)*
                }))
            }
        }

        #deserialize
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

        impl ::dds_api::de::FromJson for #name {
            fn from_json(
                value: ::dds_api::de::Json<'_>,
            ) -> Result<Option<Self>, ::dds_api::de::Error> {
                Ok(::dds_api::de::text(value)?.map(|text| Self::from(text.as_str())))
            }
        }
    }
}
