//! The Dds code generator: JSON operation specs in, Rust tokens out.
//!
//! The pipeline, one module per step:
//!
//! 1. [`load`]: read `product.json` and the `<Action>.json` files of a spec directory.
//! 2. [`spec`]: parse each file into the spec model, recording every problem with its path.
//! 3. [`check`]: check what JSON alone cannot (duplicates, name clashes, contradictions).
//! 4. [`names`]: name the module and types of each operation.
//! 5. [`expand`]: generate the code.
//!
//! Problems are [`Diagnostic`]s naming the file, the JSON path and (via [`locate`]) the line
//! and column. All of them are reported at once; no code is generated while there are any.
//! `dds-macros` is a thin shell over [`generate_dir`]; tests call [`generate`] directly.

pub mod check;
pub mod diag;
pub mod expand;
pub mod load;
pub mod locate;
pub mod names;
pub mod spec;

use proc_macro2::TokenStream;

pub use diag::Diagnostic;
pub use expand::Options;
pub use load::{Source, SpecDir};

use crate::diag::{JsonPath, Sink};

/// Generates the code of a whole product from its spec files.
///
/// `track` includes each file (by its absolute path, when known) in the output, so that the
/// compiler rebuilds the crate when a spec changes.
pub fn generate(
    specs: &SpecDir,
    track: bool,
    options: Options,
) -> Result<TokenStream, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();

    let product = {
        let mut sink = Sink::default();
        let product = parse(&specs.product, &mut diagnostics)
            .and_then(|value| spec::read_product(&value, &mut sink));
        diagnostics.extend(sink.finish(&specs.product.file, &specs.product.text));
        product
    };

    let mut operations = Vec::new();
    for source in &specs.operations {
        let Some(value) = parse(source, &mut diagnostics) else {
            continue;
        };
        let mut sink = Sink::default();
        let op = spec::read_operation(&value, &mut sink);
        if let Some(op) = &op {
            check::operation(op, &source.stem(), &mut sink);
        }
        let clean = sink.is_empty();
        diagnostics.extend(sink.finish(&source.file, &source.text));
        if let (Some(op), true) = (op, clean) {
            let (names, _) = names::plan(&op);
            operations.push((op, names, source));
        }
    }

    // Two actions that differ only in letter case would share a module.
    for (i, (op, names, source)) in operations.iter().enumerate() {
        if let Some((other, _, other_source)) = operations[..i]
            .iter()
            .find(|(_, n, _)| n.module == names.module)
        {
            let mut sink = Sink::default();
            sink.error(
                &JsonPath::root().key("action"),
                format!(
                    "actions `{}` ({}) and `{}` both map to the module `{}`",
                    other.action, other_source.file, op.action, names.module
                ),
            );
            diagnostics.extend(sink.finish(&source.file, &source.text));
        }
    }

    let Some(product) = product else {
        return Err(diagnostics);
    };
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }

    let tracked: Vec<String> = if track {
        std::iter::once(&specs.product)
            .chain(&specs.operations)
            .filter_map(|source| source.absolute.as_ref())
            .map(|path| path.display().to_string())
            .collect()
    } else {
        Vec::new()
    };
    let operations: Vec<_> = operations
        .into_iter()
        .map(|(op, names, _)| (op, names))
        .collect();
    Ok(expand::product(&product, &operations, &tracked, options))
}

/// Loads a spec directory and generates its code (what `dds_macros::product!` does).
pub fn generate_dir(
    dir: &std::path::Path,
    shown: &str,
    options: Options,
) -> Result<TokenStream, Vec<Diagnostic>> {
    let specs = load::spec_dir(dir, shown)?;
    generate(&specs, true, options)
}

/// Parses the JSON of a source, recording a syntax error with its position.
fn parse(source: &Source, diagnostics: &mut Vec<Diagnostic>) -> Option<serde_json::Value> {
    match serde_json::from_str(&source.text) {
        Ok(value) => Some(value),
        Err(error) => {
            // serde_json appends " at line L column C"; the position is reported separately.
            let message = error.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_owned();
            diagnostics.push(Diagnostic {
                file: source.file.clone(),
                path: JsonPath::root(),
                target: diag::Target::Value,
                // serde_json counts a position at the very start of a line as column 0.
                position: Some((error.line(), error.column().max(1))),
                message: format!("malformed JSON: {message}"),
            });
            None
        }
    }
}

/// Formats generated tokens as source text (for snapshots and for reading).
pub fn pretty(tokens: &TokenStream) -> Result<String, syn::Error> {
    Ok(prettyplease::unparse(&syn::parse2::<syn::File>(
        tokens.clone(),
    )?))
}
