//! Request validation results, shared by the SDK (before sending) and the emulator (on receipt).

use std::fmt;

/// Every constraint a request broke, in parameter order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidationErrors {
    violations: Vec<Violation>,
}

/// One broken constraint: which parameter (by wire name, with list index where relevant)
/// and which rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Wire name of the parameter, e.g. `SSLAction` or `Tag.2.Key`.
    pub parameter: String,
    /// The rule it broke.
    pub rule: Rule,
}

/// A constraint from the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// A required parameter is absent.
    Required,
    /// The value is not one of the allowed values.
    Enum {
        /// The value found.
        found: String,
        /// The allowed values.
        allowed: Vec<String>,
    },
    /// The value is not of the declared type (`int32`, `boolean`, ...).
    Type {
        /// The expected type, as the spec names it.
        expected: &'static str,
        /// The value found.
        found: String,
    },
    /// A number is below its minimum.
    Minimum {
        /// The inclusive minimum.
        minimum: String,
        /// The value found.
        found: String,
    },
    /// A number is above its maximum.
    Maximum {
        /// The inclusive maximum.
        maximum: String,
        /// The value found.
        found: String,
    },
    /// A string is shorter than its minimum length (in characters).
    MinLength {
        /// The minimum length.
        min: u64,
        /// The length found.
        found: u64,
    },
    /// A string is longer than its maximum length (in characters).
    MaxLength {
        /// The maximum length.
        max: u64,
        /// The length found.
        found: u64,
    },
    /// A list has more items than allowed.
    MaxItems {
        /// The maximum number of items.
        max: u64,
        /// The number found.
        found: u64,
    },
    /// A string does not match its pattern.
    Pattern {
        /// The regular expression from the spec.
        pattern: &'static str,
    },
    /// A list is not numbered contiguously from 1 (`Tag.1`, `Tag.3` without `Tag.2`).
    ListIndex {
        /// What is wrong with the numbering.
        detail: String,
    },
}

impl ValidationErrors {
    /// An empty set of violations.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a violation.
    pub fn push(&mut self, parameter: impl Into<String>, rule: Rule) {
        self.violations.push(Violation {
            parameter: parameter.into(),
            rule,
        });
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.violations.is_empty()
    }

    /// The recorded violations, in the order they were found.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// `Ok(value)` when nothing was recorded, otherwise the violations.
    pub fn into_result<T>(self, value: T) -> Result<T, Self> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Required => f.write_str("is required but missing"),
            Rule::Enum { found, allowed } => {
                write!(f, "must be one of {}, found {found:?}", allowed.join(", "))
            }
            Rule::Type { expected, found } => write!(f, "must be {expected}, found {found:?}"),
            Rule::Minimum { minimum, found } => {
                write!(f, "must be at least {minimum}, found {found}")
            }
            Rule::Maximum { maximum, found } => {
                write!(f, "must be at most {maximum}, found {found}")
            }
            Rule::MinLength { min, found } => {
                write!(f, "must be at least {min} characters long, found {found}")
            }
            Rule::MaxLength { max, found } => {
                write!(f, "must be at most {max} characters long, found {found}")
            }
            Rule::MaxItems { max, found } => {
                write!(f, "must have at most {max} items, found {found}")
            }
            Rule::Pattern { pattern } => write!(f, "must match the pattern {pattern}"),
            Rule::ListIndex { detail } => f.write_str(detail),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.parameter, self.rule)
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid request: ")?;
        for (i, violation) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{violation}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}
