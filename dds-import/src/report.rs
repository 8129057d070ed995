//! What the importer did not carry over, or carried over by its own decision.
//!
//! Every key of the metadata is either mapped into a spec or named here with the reason, so
//! nothing is dropped silently.

use std::collections::BTreeMap;
use std::fmt;

/// Why a construct of the metadata is in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Upstream prose (descriptions, titles, value titles): dropped on purpose, the specs hold
    /// only facts and the project's own words.
    Prose,
    /// Sample data (per-field examples, the XML demo, error examples): dropped; the JSON demo
    /// becomes `responseExample`.
    Sample,
    /// A value the spec format assumes anyway (`in: query`, `deprecated: false`, the AK
    /// signature, http and https): nothing is lost by leaving it out.
    Implied,
    /// A fact the spec format cannot express: dropped, worth a look.
    Unsupported,
    /// A stated value that is wrong or contradicts itself (a default that is not of the
    /// parameter's type, an empty enum, a repeated parameter, an example that does not parse):
    /// left out of the spec.
    Rejected,
    /// A value the importer decided because the metadata does not state it (operation type from
    /// the action verb, enum value names, POST first).
    Derived,
    /// A fact stated by the older snapshot only, taken into the newer one's operation, or a
    /// parameter the newer snapshot no longer lists.
    Merged,
    /// A fact in an existing spec file that the metadata contradicts: the metadata's value is
    /// written.
    Overridden,
}

impl Category {
    /// The lower-case label used in the printed report.
    pub fn label(self) -> &'static str {
        match self {
            Category::Prose => "prose",
            Category::Sample => "sample",
            Category::Implied => "implied",
            Category::Unsupported => "unsupported",
            Category::Rejected => "rejected",
            Category::Derived => "derived",
            Category::Merged => "merged",
            Category::Overridden => "overridden",
        }
    }

    /// Whether a person should read each entry (the others are summarised by count on stderr).
    pub fn needs_attention(self) -> bool {
        !matches!(self, Category::Prose | Category::Sample | Category::Implied)
    }
}

/// One entry: where, which key, why, and a detail when it helps.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// Why it is reported.
    pub category: Category,
    /// `Action`, `Action.Param`, `Action.Param[].Key`, `Action.response.A.B[]`, ...
    pub location: String,
    /// The metadata key concerned (`allowEmptyValue`, `default`, ...).
    pub key: String,
    /// What was decided, in a few words.
    pub detail: String,
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<11} {}: {}",
            self.category.label(),
            self.location,
            self.key
        )?;
        if !self.detail.is_empty() {
            write!(f, " ({})", self.detail)?;
        }
        Ok(())
    }
}

/// The collected entries of one import run.
#[derive(Debug, Default, Clone)]
pub struct Report {
    entries: Vec<Entry>,
}

impl Report {
    /// Adds an entry.
    pub fn add(
        &mut self,
        category: Category,
        location: impl Into<String>,
        key: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.entries.push(Entry {
            category,
            location: location.into(),
            key: key.into(),
            detail: detail.into(),
        });
    }

    /// The entries in a stable order (category, then location, then key).
    pub fn entries(&self) -> Vec<&Entry> {
        let mut entries: Vec<&Entry> = self.entries.iter().collect();
        entries.sort();
        entries.dedup();
        entries
    }

    /// How many entries each (category, key) pair has.
    pub fn counts(&self) -> BTreeMap<(Category, String), usize> {
        let mut counts = BTreeMap::new();
        for entry in self.entries() {
            *counts
                .entry((entry.category, entry.key.clone()))
                .or_insert(0) += 1;
        }
        counts
    }

    /// The full report, one entry a line.
    pub fn render_full(&self) -> String {
        let mut out = String::new();
        for entry in self.entries() {
            out.push_str(&entry.to_string());
            out.push('\n');
        }
        out.push_str(&self.render_counts());
        out
    }

    /// The stderr form: every entry that needs attention, then counts per category and key.
    pub fn render_summary(&self) -> String {
        let mut out = String::new();
        for entry in self.entries() {
            if entry.category.needs_attention() {
                out.push_str(&entry.to_string());
                out.push('\n');
            }
        }
        out.push_str(&self.render_counts());
        out
    }

    fn render_counts(&self) -> String {
        let mut out = String::from("counts (category key: entries):\n");
        for ((category, key), n) in self.counts() {
            out.push_str(&format!("  {:<11} {key}: {n}\n", category.label()));
        }
        out
    }
}
