//! The product level: product facts, the endpoint table, one module per operation, the
//! registry of all operations, and the re-exports of their main types.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Context, Options, doc, ident, lit, operation};
use crate::names::OperationNames;
use crate::spec::{Operation, Product};

/// Expands a whole product. `tracked` are the spec files to include for change tracking
/// (absolute paths), so that editing one rebuilds the crate.
pub fn product(
    product: &Product,
    operations: &[(Operation, OperationNames)],
    tracked: &[String],
    options: Options,
) -> TokenStream {
    let code = lit(&product.product);
    let version = lit(&product.version);
    let style = lit(&product.style);
    let regions = product.endpoints.iter().map(|(region, _)| lit(region));
    let hosts = product.endpoints.iter().map(|(_, host)| lit(host));

    let modules = operations.iter().map(|(op, names)| {
        let cx = Context { op, names, options };
        let module = ident(&names.module);
        let items = operation(&cx);
        let docs = doc(&format!("`{}`: {}", op.action, op.summary));
        quote! {
            #docs
            pub mod #module {
                #items
            }
        }
    });
    let registry = operations.iter().map(|(_, names)| {
        let module = ident(&names.module);
        quote!(&#module::META)
    });
    let exports = operations.iter().map(|(_, names)| {
        let module = ident(&names.module);
        let types = [
            &names.request,
            &names.builder,
            &names.response,
            &names.error,
        ]
        .map(|n| ident(n));
        quote!(pub use #module::{#(#types),*};)
    });
    // One impl block for all operations: the compiler compares inherent impl blocks of a
    // type pairwise, which is slow with one block per operation.
    let client = options.client.then(|| {
        let methods = operations.iter().map(|(op, names)| {
            let module = ident(&names.module);
            let builder = ident(&names.builder);
            let docs = doc(&format!(
                "Starts a `{}` request; finish it with `send()`.",
                op.action
            ));
            quote! {
                #docs
                pub fn #module(&self) -> #module::#builder<&Self> {
                    #module::#builder::new(self)
                }
            }
        });
        quote! {
            impl ::dds_api::Client {
                #(#methods)*
            }
        }
    });
    let tracked = tracked.iter().map(|path| {
        quote!(
            const _: &str = include_str!(#path);
        )
    });

    quote! {
        /// The product code.
        pub const PRODUCT: &str = #code;
        /// The API version, sent as `Version`.
        pub const VERSION: &str = #version;
        /// The API style.
        pub const STYLE: &str = #style;
        /// The endpoint host of each region id, as the spec lists them. Regions not listed
        /// have no known endpoint; do not derive one from a pattern.
        pub const ENDPOINTS: &[(&str, &str)] = &[#((#regions, #hosts)),*];
        /// Every operation, in the order of their action names.
        pub static OPERATIONS: &[&::dds_api::OperationMeta] = &[#(#registry),*];

        /// The operation with this `Action` value.
        pub fn operation(action: &str) -> Option<&'static ::dds_api::OperationMeta> {
            OPERATIONS.iter().copied().find(|meta| meta.action == action)
        }

        /// The endpoint host of a region id, from [`ENDPOINTS`].
        pub fn endpoint(region: &str) -> Option<&'static str> {
            ENDPOINTS.iter().find(|(id, _)| *id == region).map(|(_, host)| *host)
        }

        // The specs are included so that the compiler rebuilds this crate when one changes.
        #(#tracked)*

        #(#modules)*

        #(#exports)*

        #client
    }
}
