//! The error type of an operation: a variant per documented code, plus `Unhandled`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Context, doc, ident, lit};
use crate::names;

/// Expands the error enum of an operation.
pub(crate) fn expand(cx: &Context<'_>) -> TokenStream {
    let name = ident(&cx.names.error);
    let errors = &cx.op.errors;
    let variants: Vec<_> = errors
        .iter()
        .map(|e| ident(&names::error_variant(e)))
        .collect();
    let codes: Vec<_> = errors.iter().map(|e| lit(&e.code)).collect();
    let variant_docs = errors.iter().map(|e| {
        if e.message.is_empty() {
            doc(&format!("`{}` (HTTP {}).", e.code, e.status))
        } else {
            doc(&format!("`{}` (HTTP {}): {}", e.code, e.status, e.message))
        }
    });
    let docs = doc(&format!(
        "An error answered to `{}`: one variant per documented code, `Unhandled` for the rest. \
         Each holds the whole [`ServiceError`](::dds_api::ServiceError).",
        cx.op.action
    ));

    let classify = if errors.is_empty() {
        quote!(Self::Unhandled(error))
    } else {
        quote! {
            match error.code.as_str() {
                #(#codes => Self::#variants(error),)*
                _ => Self::Unhandled(error),
            }
        }
    };

    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #variants(::dds_api::ServiceError),)*
            /// A code the spec does not document.
            Unhandled(::dds_api::ServiceError),
        }

        impl ::dds_api::OperationError for #name {
            fn from_service_error(error: ::dds_api::ServiceError) -> Self {
                #classify
            }

            fn service_error(&self) -> &::dds_api::ServiceError {
                match self {
                    #(Self::#variants(error) |)* Self::Unhandled(error) => error,
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(::dds_api::OperationError::service_error(self), f)
            }
        }

        impl ::std::error::Error for #name {}
    }
}
