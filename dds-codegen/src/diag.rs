//! Spec diagnostics: what is wrong, where (file, JSON path, line:column), expected vs found.

use std::fmt;

/// One step of a JSON path: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// `.key` (or the first key of the path).
    Key(String),
    /// `[index]`.
    Index(usize),
}

/// A path into a JSON document, e.g. `parameters[1].enum`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonPath(pub Vec<Segment>);

impl JsonPath {
    /// The document root.
    pub fn root() -> Self {
        Self::default()
    }

    /// This path followed by an object key.
    pub fn key(&self, key: &str) -> Self {
        let mut path = self.clone();
        path.0.push(Segment::Key(key.to_owned()));
        path
    }

    /// This path followed by an array index.
    pub fn index(&self, index: usize) -> Self {
        let mut path = self.clone();
        path.0.push(Segment::Index(index));
        path
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document root)");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) if i == 0 => f.write_str(key)?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// Whether a diagnostic points at a value or at the key naming it (an unknown key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The value at the path.
    Value,
    /// The key of the last path segment.
    Key,
}

/// One problem found in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file as the macro was given it (relative to the crate).
    pub file: String,
    /// Where in the document; empty for problems of the whole file.
    pub path: JsonPath,
    /// Whether the position is that of the key or of the value.
    pub target: Target,
    /// Line and column (1-based), when known.
    pub position: Option<(usize, usize)>,
    /// What was wrong: "expected ..., found ...".
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some((line, column)) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        if !self.path.0.is_empty() {
            write!(f, ": {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Collects the problems of one spec file, to be located in its text afterwards.
#[derive(Debug, Default)]
pub struct Sink {
    found: Vec<(JsonPath, Target, String)>,
}

impl Sink {
    /// Records a problem with the value at `path`.
    pub fn error(&mut self, path: &JsonPath, message: impl Into<String>) {
        self.found
            .push((path.clone(), Target::Value, message.into()));
    }

    /// Records a problem with the key at the end of `path` (an unknown key).
    pub fn key_error(&mut self, path: &JsonPath, message: impl Into<String>) {
        self.found.push((path.clone(), Target::Key, message.into()));
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// Turns the recorded problems into diagnostics of `file`, located in `text`.
    pub fn finish(self, file: &str, text: &str) -> Vec<Diagnostic> {
        if self.found.is_empty() {
            return Vec::new();
        }
        let index = crate::locate::Index::new(text);
        let mut diagnostics: Vec<Diagnostic> = self
            .found
            .into_iter()
            .map(|(path, target, message)| Diagnostic {
                file: file.to_owned(),
                position: index
                    .as_ref()
                    .and_then(|index| index.position(&path, target)),
                path,
                target,
                message,
            })
            .collect();
        // In reading order; problems without a position (whole-file ones) first.
        diagnostics.sort_by_key(|diagnostic| diagnostic.position);
        diagnostics
    }
}
