//! Procedural macros that generate the Dds SDK from JSON operation specs.
//!
//! A thin shell over `dds-codegen`: parse the macro input, find the spec directory, call the
//! generator, and turn its diagnostics into `compile_error!`s.

use std::path::{Path, PathBuf};

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::quote_spanned;
use syn::parse::{Parse, ParseStream};
use syn::{LitBool, LitStr, Token};

/// Generates a product's SDK from a spec directory: product facts, the endpoint table, one
/// module per `<Action>.json`, the registry `OPERATIONS`, and re-exports of each operation's
/// request, builder, response and error types.
///
/// ```ignore
/// pub mod operations {
///     dds_macros::product!("../specs/dds/2015-12-01");
/// }
/// ```
///
/// The path is relative to the crate's `Cargo.toml` directory; when nothing is there, it is
/// tried relative to the file that invokes the macro. `client = false` leaves out the fluent
/// methods on `dds_api::Client` (which only `dds-api` itself can define).
///
/// Any problem in the specs becomes a `compile_error!` naming the file, the JSON path and
/// the line:column; all problems are reported at once and nothing else is generated.
#[proc_macro]
pub fn product(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as Input);
    let span = input.path.span();
    let shown = input.path.value();
    let options = dds_codegen::Options {
        client: input.client,
    };

    // The code is built with proc-macro2's own token types and handed to the compiler as
    // text in one call: building hundreds of thousands of tokens one by one through the
    // compiler's proc-macro bridge is what made large expansions slow.
    proc_macro2::fallback::force();
    let generated = dds_codegen::generate_dir(&resolve(&shown), &shown, options)
        .map(|tokens| tokens.to_string());
    proc_macro2::fallback::unforce();

    match generated {
        Ok(text) => text.parse().unwrap_or_else(|error| {
            let message = format!("dds-macros generated code the compiler cannot read: {error}");
            quote_spanned!(span=> ::core::compile_error!(#message);).into()
        }),
        Err(diagnostics) => compile_errors(&diagnostics, span).into(),
    }
}

/// `"path"` optionally followed by `, client = false`.
struct Input {
    path: LitStr,
    client: bool,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let path: LitStr = input.parse()?;
        let mut client = true;
        while input.parse::<Option<Token![,]>>()?.is_some() {
            if input.is_empty() {
                break;
            }
            let key: syn::Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            if key == "client" {
                client = input.parse::<LitBool>()?.value;
            } else {
                return Err(syn::Error::new(
                    key.span(),
                    "unknown option; expected `client = true|false`",
                ));
            }
        }
        Ok(Self { path, client })
    }
}

/// The directory a path given to the macro names.
fn resolve(path: &str) -> PathBuf {
    let path = Path::new(path);
    if path.is_absolute() {
        return path.to_owned();
    }
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let from_manifest = manifest.join(path);
    if from_manifest.exists() {
        return from_manifest;
    }
    // Tests compiled by trybuild live in a generated crate; their specs sit beside the test.
    proc_macro::Span::call_site()
        .local_file()
        .and_then(|file| file.parent().map(|dir| dir.join(path)))
        .filter(|candidate| candidate.exists())
        .unwrap_or(from_manifest)
}

/// One `compile_error!` per diagnostic, at the macro's path literal.
fn compile_errors(diagnostics: &[dds_codegen::Diagnostic], span: Span) -> proc_macro2::TokenStream {
    diagnostics
        .iter()
        .map(|diagnostic| {
            let message = diagnostic.to_string();
            quote_spanned!(span=> ::core::compile_error!(#message);)
        })
        .collect()
}
