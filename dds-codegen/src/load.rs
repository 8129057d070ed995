//! Reading a spec directory: `product.json` and one `<Action>.json` per operation.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, JsonPath, Target};

/// The text of one spec file.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file as shown in diagnostics (relative to the crate that names it).
    pub file: String,
    /// Its absolute path, when it was read from disk.
    pub absolute: Option<PathBuf>,
    /// Its contents.
    pub text: String,
}

impl Source {
    /// A source held in memory (for tests and tools).
    pub fn new(file: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            absolute: None,
            text: text.into(),
        }
    }

    /// The file name without directory and `.json`: the action it must describe.
    pub fn stem(&self) -> String {
        let name = self.file.rsplit(['/', '\\']).next().unwrap_or(&self.file);
        name.strip_suffix(".json").unwrap_or(name).to_owned()
    }
}

/// The spec files of one product.
#[derive(Debug, Clone)]
pub struct SpecDir {
    /// `product.json`.
    pub product: Source,
    /// The operation specs, sorted by file name.
    pub operations: Vec<Source>,
}

/// A diagnostic about a whole file.
fn file_error(file: &str, message: String) -> Diagnostic {
    Diagnostic {
        file: file.to_owned(),
        path: JsonPath::root(),
        target: Target::Value,
        position: None,
        message,
    }
}

/// Reads the spec directory `dir`, shown as `shown` in diagnostics.
pub fn spec_dir(dir: &Path, shown: &str) -> Result<SpecDir, Vec<Diagnostic>> {
    let entries = std::fs::read_dir(dir).map_err(|error| {
        vec![file_error(
            shown,
            // The absolute path would make the message depend on the machine.
            format!(
                "expected a spec directory (relative to the crate's Cargo.toml, or to the file \
                 invoking the macro), found none: {}",
                error.kind()
            ),
        )]
    })?;

    let mut names = Vec::new();
    let mut diagnostics = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => names.push(entry.file_name().to_string_lossy().into_owned()),
            Err(error) => diagnostics.push(file_error(
                shown,
                format!("cannot list the directory: {error}"),
            )),
        }
    }
    // Sorted so the generated code does not depend on the file system's order.
    names.sort();

    let shown = shown.trim_end_matches('/');
    let read = |name: &str, diagnostics: &mut Vec<Diagnostic>| -> Option<Source> {
        let path = dir.join(name);
        let file = format!("{shown}/{name}");
        match std::fs::read_to_string(&path) {
            Ok(text) => Some(Source {
                file,
                absolute: Some(std::fs::canonicalize(&path).unwrap_or(path)),
                text,
            }),
            Err(error) => {
                diagnostics.push(file_error(
                    &file,
                    format!("expected a readable spec file, found an error: {error}"),
                ));
                None
            }
        }
    };

    let product = if names.iter().any(|n| n == "product.json") {
        read("product.json", &mut diagnostics)
    } else {
        diagnostics.push(file_error(
            &format!("{shown}/product.json"),
            "missing spec file `product.json` (product code, version, style and endpoints)"
                .to_owned(),
        ));
        None
    };
    let operations: Vec<Source> = names
        .iter()
        .filter(|n| n.ends_with(".json") && *n != "product.json")
        .filter_map(|n| read(n, &mut diagnostics))
        .collect();

    match product {
        Some(product) if diagnostics.is_empty() => Ok(SpecDir {
            product,
            operations,
        }),
        _ => Err(diagnostics),
    }
}
