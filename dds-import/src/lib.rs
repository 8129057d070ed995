//! Imports Alibaba's published API metadata ("api-docs" JSON) into the project's spec files.
//!
//! The pipeline, one module a step: [`metadata`] reads a snapshot into the spec model and
//! reports every construct it does not map, [`merge`] merges an older snapshot with a newer
//! one, [`preserve`] lays the result over the spec files that already exist (hand additions
//! survive), and [`spec`] writes the files in a fixed key order. See the crate README for the
//! rules.

#![warn(missing_docs, missing_debug_implementations)]

pub mod json;
pub mod merge;
pub mod metadata;
pub mod naming;
pub mod preserve;
pub mod report;
pub mod spec;

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub use report::{Category, Report};

/// The file name of the product facts inside a spec directory.
pub const PRODUCT_FILE: &str = "product.json";

/// What an import would write: file name to content, plus the report.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// `<Action>.json` and `product.json`, each with its full content.
    pub files: BTreeMap<String, String>,
    /// Everything not carried over as stated.
    pub report: Report,
}

/// Why an import stopped before writing anything.
#[derive(Debug)]
pub enum ImportError {
    /// A file could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// A metadata file is not in the expected format.
    Metadata {
        /// The file (or `--base`/`--overlay` when given as text).
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// An existing spec file is not valid; re-import would lose what it holds.
    ExistingSpec {
        /// The file.
        path: PathBuf,
        /// Every problem: JSON path and message.
        errors: Vec<spec::SpecError>,
    },
    /// The two snapshots describe different APIs.
    Mismatch(String),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            ImportError::Metadata { path, message } => {
                write!(f, "{}: not API metadata: {message}", path.display())
            }
            ImportError::ExistingSpec { path, errors } => {
                write!(
                    f,
                    "{}: existing spec is invalid, nothing was written:",
                    path.display()
                )?;
                for e in errors {
                    let at = if e.path.is_empty() {
                        "(top)"
                    } else {
                        e.path.as_str()
                    };
                    write!(f, "\n  {at}: {}", e.message)?;
                }
                Ok(())
            }
            ImportError::Mismatch(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for ImportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ImportError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Computes the files to write from metadata texts and the existing files (looked up by file
/// name through `existing`). Pure: no file system access.
pub fn plan(
    base: (&Path, &str),
    overlay: Option<(&Path, &str)>,
    existing: &dyn Fn(&str) -> Option<String>,
) -> Result<Plan, ImportError> {
    let mut report = Report::default();
    let read = |(path, text): (&Path, &str), report: &mut Report| {
        metadata::read_snapshot(text, report).map_err(|e| ImportError::Metadata {
            path: path.to_owned(),
            message: e.0,
        })
    };
    let base = read(base, &mut report)?;
    let overlay = overlay.map(|o| read(o, &mut report)).transpose()?;
    let merged = merge::merge(&base, overlay.as_ref(), &mut report)
        .map_err(|e| ImportError::Mismatch(e.0))?;

    let mut files = BTreeMap::new();
    for (action, operation) in &merged.operations {
        let file_name = format!("{action}.json");
        let current = existing(&file_name)
            .map(|text| {
                spec::Spec::from_json_text(&text).map_err(|errors| ImportError::ExistingSpec {
                    path: PathBuf::from(&file_name),
                    errors,
                })
            })
            .transpose()?;
        if let Some(current) = &current
            && current.action != *action
        {
            return Err(ImportError::ExistingSpec {
                path: PathBuf::from(&file_name),
                errors: vec![spec::SpecError {
                    path: "action".to_owned(),
                    message: format!("{:?} does not match the file name", current.action),
                }],
            });
        }
        let mut out = preserve::preserve(operation, current.as_ref(), &mut report);
        preserve::finish(&mut out, &mut report);
        files.insert(file_name, out.to_json_text());
    }

    let current_product = existing(PRODUCT_FILE)
        .map(|text| {
            spec::Product::from_json_text(&text).map_err(|errors| ImportError::ExistingSpec {
                path: PathBuf::from(PRODUCT_FILE),
                errors,
            })
        })
        .transpose()?;
    let product =
        preserve::preserve_product(&merged.product, current_product.as_ref(), &mut report);
    files.insert(PRODUCT_FILE.to_owned(), product.to_json_text());

    Ok(Plan { files, report })
}

/// What [`import_dir`] did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Files that did not exist.
    pub created: Vec<String>,
    /// Files whose content changed.
    pub updated: Vec<String>,
    /// Files already byte-identical.
    pub unchanged: Vec<String>,
    /// Spec files in the directory that no metadata operation names (hand-written operations):
    /// left as they are.
    pub untouched: Vec<String>,
    /// The report.
    pub report: Report,
}

/// Reads the metadata files, plans against `out_dir`, and writes the files that change.
/// Nothing is written when any input or existing spec is invalid.
pub fn import_dir(
    base: &Path,
    overlay: Option<&Path>,
    out_dir: &Path,
) -> Result<Outcome, ImportError> {
    let read = |path: &Path| {
        fs::read_to_string(path).map_err(|source| ImportError::Io {
            path: path.to_owned(),
            source,
        })
    };
    let base_text = read(base)?;
    let overlay_text = overlay.map(read).transpose()?;
    let existing = |name: &str| fs::read_to_string(out_dir.join(name)).ok();
    let plan = plan(
        (base, &base_text),
        overlay.zip(overlay_text.as_deref()),
        &existing,
    )?;

    fs::create_dir_all(out_dir).map_err(|source| ImportError::Io {
        path: out_dir.to_owned(),
        source,
    })?;
    let mut outcome = Outcome::default();
    for (name, content) in &plan.files {
        let path = out_dir.join(name);
        match fs::read_to_string(&path).ok() {
            Some(old) if old == *content => outcome.unchanged.push(name.clone()),
            old => {
                fs::write(&path, content).map_err(|source| ImportError::Io {
                    path: path.clone(),
                    source,
                })?;
                if old.is_some() {
                    outcome.updated.push(name.clone());
                } else {
                    outcome.created.push(name.clone());
                }
            }
        }
    }
    let entries = fs::read_dir(out_dir).map_err(|source| ImportError::Io {
        path: out_dir.to_owned(),
        source,
    })?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") && !plan.files.contains_key(&name) {
            outcome.untouched.push(name);
        }
    }
    outcome.untouched.sort();
    outcome.report = plan.report;
    Ok(outcome)
}
