//! The request builder, and the fluent client hook (`client.modify_db_instance_ssl()...send()`).

use proc_macro2::TokenStream;
use quote::quote;

use super::request::{assemble, checks, param_doc};
use super::{Context, ident, param_type};
use crate::names;

/// Expands the builder of an operation's request.
pub(crate) fn expand(cx: &Context<'_>) -> TokenStream {
    let names = cx.names;
    let params = &cx.op.parameters;
    let request = ident(&names.request);
    let builder = ident(&names.builder);
    let response = ident(&names.response);
    let error = ident(&names.error);

    let fields: Vec<_> = params
        .iter()
        .map(|p| ident(&names::param_field(p)))
        .collect();
    let types: Vec<_> = params.iter().map(|p| param_type(p, names)).collect();
    let setter_docs = params.iter().map(param_doc);
    let checks = checks(params, quote!(#request), false, true, quote!(&mut errors));
    let assemble = assemble(params, quote!(#request), Some(quote!(self)), true);
    let docs = super::doc(&format!(
        "Builds a [`{}`] field by field; [`{}::build`] checks every rule of the spec at once.",
        names.request, names.builder
    ));
    let errors_decl = if checks.is_empty() {
        quote!(let errors = ::dds_api::ValidationErrors::new();)
    } else {
        quote!(let mut errors = ::dds_api::ValidationErrors::new();)
    };

    let client = cx.options.client.then(|| {
        quote! {
            impl #builder<&::dds_api::Client> {
                /// Checks the request, sends it with the client it was started from, and
                /// decodes the answer.
                pub async fn send(self) -> Result<#response, ::dds_api::Error<#error>> {
                    let client = self.client;
                    let request = self.build().map_err(::dds_api::Error::Validation)?;
                    client.call(request).await
                }
            }

        }
    });

    // Without the client hook nothing reads the client; it is `()` then.
    let unused = (!cx.options.client).then(|| quote!(#[allow(dead_code)]));

    quote! {
        #docs
        #[derive(Debug)]
        #[must_use]
        pub struct #builder<C = ()> {
            #unused
            client: C,
            #(#fields: Option<#types>,)*
        }

        impl<C> #builder<C> {
            /// A builder with nothing set, sending through `client` (`()`: none).
            pub(super) fn new(client: C) -> Self {
                Self {
                    client,
                    #(#fields: None,)*
                }
            }

            #(
                #setter_docs
                pub fn #fields(mut self, value: impl Into<#types>) -> Self {
                    self.#fields = Some(value.into());
                    self
                }
            )*

            /// The request, or every rule of the spec it breaks (missing required
            /// parameters included).
            pub fn build(self) -> Result<#request, ::dds_api::ValidationErrors> {
                #errors_decl
                #(#checks)*
                #assemble
            }
        }

        #client
    }
}
