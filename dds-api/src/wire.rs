//! Request values on the wire: flattening, parsing and constraint checks.
//!
//! Generated request types call these helpers instead of carrying their own copies of the
//! logic, so each operation adds only a few lines per parameter. The rules:
//!
//! - A scalar is one parameter holding its text (`DBInstanceId=dds-bp1...`).
//! - A list is flattened into names counted from 1 (`Tag.1`, `Tag.2`), an object into its
//!   field names (`Tag.1.Key`, `Tag.1.Value`).
//! - A parameter of style `json` is one parameter holding the JSON encoding of the value.
//! - Booleans are written `true`/`false` and read in any letter case.
//!
//! Parsing ([`WireValue::take`]) checks only types and list numbering; the spec's constraints
//! are checked once, by [`check`], after a whole value was read.

use std::collections::BTreeSet;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::operation::WireParams;
use crate::validation::{Rule, ValidationErrors};

/// The constraints of one value from its spec (range, length, pattern, item count).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Minimum length of a string, in characters.
    pub min_length: Option<u64>,
    /// Maximum length of a string, in characters.
    pub max_length: Option<u64>,
    /// Inclusive lower bound of a number.
    pub minimum: Option<f64>,
    /// Inclusive upper bound of a number.
    pub maximum: Option<f64>,
    /// Regular expression the whole string must match.
    pub pattern: Option<&'static str>,
    /// Maximum number of items of a list.
    pub max_items: Option<u64>,
    /// Constraints of each item of a list.
    pub items: Option<&'static Limits>,
}

impl Limits {
    /// No constraint at all.
    pub const NONE: Limits = Limits {
        min_length: None,
        max_length: None,
        minimum: None,
        maximum: None,
        pattern: None,
        max_items: None,
        items: None,
    };
}

/// A value that can travel as request parameters.
///
/// Implemented here for the scalar types and lists, and by generated code for enums (through
/// [`WireEnum`]) and object parameters.
pub trait WireValue: Sized {
    /// Appends the value under `name` (flattening lists and objects).
    fn put(&self, name: &str, out: &mut Vec<(String, String)>);

    /// Reads the value under `name`. Returns `None` when it is absent, or when it is malformed
    /// (then the problem is recorded in `errors`). Does not check [`Limits`].
    fn take(params: &WireParams, name: &str, errors: &mut ValidationErrors) -> Option<Self>;

    /// Whether anything is present under `name`.
    fn present(params: &WireParams, name: &str) -> bool {
        params.contains_key(name)
    }

    /// Records every constraint the value breaks.
    fn check(&self, name: &str, limits: &Limits, errors: &mut ValidationErrors) {
        let _ = (name, limits, errors);
    }
}

/// A request enum: a closed set of wire values. Generated for every `enum` of a spec.
pub trait WireEnum: Sized + Copy + 'static {
    /// The wire values, in spec order.
    const VALUES: &'static [&'static str];

    /// The wire value of this variant.
    fn as_str(&self) -> &'static str;

    /// The variant with this exact wire value.
    fn from_wire(value: &str) -> Option<Self>;
}

/// Appends a value under its wire name.
pub fn put<T: WireValue>(value: &T, name: &str, out: &mut Vec<(String, String)>) {
    value.put(name, out);
}

/// Appends a value of style `json`: one parameter holding its JSON encoding.
pub fn put_json<T: Serialize>(value: &T, name: &str, out: &mut Vec<(String, String)>) {
    // Serializing plain data (strings, numbers, lists, structs with string keys) cannot fail.
    if let Ok(text) = serde_json::to_string(value) {
        out.push((name.to_owned(), text));
    }
}

/// Reads one parameter: parses it, records a missing required value, and checks its limits.
pub fn take<T: WireValue>(
    params: &WireParams,
    name: &str,
    required: bool,
    limits: &Limits,
    errors: &mut ValidationErrors,
) -> Option<T> {
    let value = take_unchecked::<T>(params, name, required, errors);
    if let Some(value) = &value {
        value.check(name, limits, errors);
    }
    value
}

/// Reads one parameter of style `json`, like [`take`].
pub fn take_json<T: WireValue + DeserializeOwned>(
    params: &WireParams,
    name: &str,
    required: bool,
    limits: &Limits,
    errors: &mut ValidationErrors,
) -> Option<T> {
    let Some(text) = params.get(name) else {
        if required {
            errors.push(name, Rule::Required);
        }
        return None;
    };
    match serde_json::from_str::<T>(text) {
        Ok(value) => {
            value.check(name, limits, errors);
            Some(value)
        }
        Err(_) => {
            errors.push(
                name,
                Rule::Type {
                    expected: "JSON",
                    found: text.clone(),
                },
            );
            None
        }
    }
}

/// Reads one parameter without checking its limits; the caller checks the enclosing value.
pub fn take_unchecked<T: WireValue>(
    params: &WireParams,
    name: &str,
    required: bool,
    errors: &mut ValidationErrors,
) -> Option<T> {
    let value = T::take(params, name, errors);
    if value.is_none() && required && !T::present(params, name) {
        errors.push(name, Rule::Required);
    }
    value
}

/// Checks a value that may be absent: records a missing required value, and the limits of a
/// present one.
pub fn check<T: WireValue>(
    value: Option<&T>,
    name: &str,
    required: bool,
    limits: &Limits,
    errors: &mut ValidationErrors,
) {
    match value {
        Some(value) => value.check(name, limits, errors),
        None if required => errors.push(name, Rule::Required),
        None => {}
    }
}

/// Whether any parameter is nested under `name` (`name.` followed by anything).
pub fn present_under(params: &WireParams, name: &str) -> bool {
    let prefix = format!("{name}.");
    params
        .range(prefix.clone()..)
        .next()
        .is_some_and(|(key, _)| key.starts_with(&prefix))
}

/// Joins a parent wire name and a field or index: `Tag.1` + `Key` = `Tag.1.Key`.
pub fn nested(name: &str, field: impl std::fmt::Display) -> String {
    format!("{name}.{field}")
}

impl WireValue for String {
    fn put(&self, name: &str, out: &mut Vec<(String, String)>) {
        out.push((name.to_owned(), self.clone()));
    }

    fn take(params: &WireParams, name: &str, _errors: &mut ValidationErrors) -> Option<Self> {
        params.get(name).cloned()
    }

    fn check(&self, name: &str, limits: &Limits, errors: &mut ValidationErrors) {
        check_text(self, name, limits, errors);
    }
}

/// Checks length and pattern of a text value.
fn check_text(text: &str, name: &str, limits: &Limits, errors: &mut ValidationErrors) {
    let length = text.chars().count() as u64;
    if let Some(min) = limits.min_length.filter(|&min| length < min) {
        errors.push(name, Rule::MinLength { min, found: length });
    }
    if let Some(max) = limits.max_length.filter(|&max| length > max) {
        errors.push(name, Rule::MaxLength { max, found: length });
    }
    if let Some(pattern) = limits.pattern
        && !matches_whole(pattern, text)
    {
        errors.push(name, Rule::Pattern { pattern });
    }
}

/// Whether `pattern` matches all of `text`.
fn matches_whole(pattern: &str, text: &str) -> bool {
    // The generator rejects patterns that do not compile, so an error here means the spec
    // and this crate disagree on the syntax; not matching is the safe answer then.
    regex_lite::Regex::new(&format!("^(?:{pattern})$")).is_ok_and(|regex| regex.is_match(text))
}

/// Checks the range of a number.
fn check_range(
    value: f64,
    shown: String,
    name: &str,
    limits: &Limits,
    errors: &mut ValidationErrors,
) {
    if let Some(minimum) = limits.minimum.filter(|&minimum| value < minimum) {
        errors.push(
            name,
            Rule::Minimum {
                minimum: minimum.to_string(),
                found: shown.clone(),
            },
        );
    }
    if let Some(maximum) = limits.maximum.filter(|&maximum| value > maximum) {
        errors.push(
            name,
            Rule::Maximum {
                maximum: maximum.to_string(),
                found: shown,
            },
        );
    }
}

/// Implements [`WireValue`] for a number type parsed with `FromStr`.
macro_rules! number {
    ($ty:ty, $expected:literal) => {
        impl WireValue for $ty {
            fn put(&self, name: &str, out: &mut Vec<(String, String)>) {
                out.push((name.to_owned(), self.to_string()));
            }

            fn take(
                params: &WireParams,
                name: &str,
                errors: &mut ValidationErrors,
            ) -> Option<Self> {
                let text = params.get(name)?;
                match text.trim().parse::<$ty>() {
                    // `inf` and `NaN` parse as f64 but are no numbers to the service.
                    Ok(value) if (value as f64).is_finite() => Some(value),
                    _ => {
                        errors.push(
                            name,
                            Rule::Type {
                                expected: $expected,
                                found: text.clone(),
                            },
                        );
                        None
                    }
                }
            }

            fn check(&self, name: &str, limits: &Limits, errors: &mut ValidationErrors) {
                // Limitation: int64 values beyond 2^53 are compared as f64, so a bound
                // that close to them may be off by the rounding of f64.
                check_range(*self as f64, self.to_string(), name, limits, errors);
            }
        }
    };
}

number!(i32, "int32");
number!(i64, "int64");
number!(f64, "number");

impl WireValue for bool {
    fn put(&self, name: &str, out: &mut Vec<(String, String)>) {
        out.push((name.to_owned(), self.to_string()));
    }

    fn take(params: &WireParams, name: &str, errors: &mut ValidationErrors) -> Option<Self> {
        let text = params.get(name)?;
        // Official clients differ: Python sends `True`, Node `true`.
        if text.eq_ignore_ascii_case("true") {
            Some(true)
        } else if text.eq_ignore_ascii_case("false") {
            Some(false)
        } else {
            errors.push(
                name,
                Rule::Type {
                    expected: "boolean",
                    found: text.clone(),
                },
            );
            None
        }
    }
}

impl<T: WireEnum> WireValue for T {
    fn put(&self, name: &str, out: &mut Vec<(String, String)>) {
        out.push((name.to_owned(), self.as_str().to_owned()));
    }

    fn take(params: &WireParams, name: &str, errors: &mut ValidationErrors) -> Option<Self> {
        let text = params.get(name)?;
        let value = T::from_wire(text);
        if value.is_none() {
            errors.push(
                name,
                Rule::Enum {
                    found: text.clone(),
                    allowed: T::VALUES.iter().map(|v| (*v).to_owned()).collect(),
                },
            );
        }
        value
    }
}

impl<T: WireValue> WireValue for Vec<T> {
    fn put(&self, name: &str, out: &mut Vec<(String, String)>) {
        for (i, item) in self.iter().enumerate() {
            item.put(&nested(name, i + 1), out);
        }
    }

    fn take(params: &WireParams, name: &str, errors: &mut ValidationErrors) -> Option<Self> {
        let indices = list_indices(params, name, errors)?;

        // Items are read in index order; a gap was reported by `list_indices`.
        let mut items = Vec::with_capacity(indices.len());
        for index in indices {
            if let Some(item) = T::take(params, &nested(name, index), errors) {
                items.push(item);
            }
        }
        Some(items)
    }

    fn present(params: &WireParams, name: &str) -> bool {
        present_under(params, name)
    }

    fn check(&self, name: &str, limits: &Limits, errors: &mut ValidationErrors) {
        let found = self.len() as u64;
        if let Some(max) = limits.max_items.filter(|&max| found > max) {
            errors.push(name, Rule::MaxItems { max, found });
        }
        let item_limits = limits.items.unwrap_or(&Limits::NONE);
        for (i, item) in self.iter().enumerate() {
            item.check(&nested(name, i + 1), item_limits, errors);
        }
    }
}

/// The item numbers found under `name` (`name.1`, `name.2.Key`, ...), sorted. Records a
/// violation when they do not count contiguously from 1. `None` when there are none.
fn list_indices(
    params: &WireParams,
    name: &str,
    errors: &mut ValidationErrors,
) -> Option<BTreeSet<usize>> {
    let prefix = format!("{name}.");
    let mut indices = BTreeSet::new();
    let mut bad = Vec::new();
    for key in params.range(prefix.clone()..).map(|(key, _)| key) {
        let Some(rest) = key.strip_prefix(&prefix) else {
            break;
        };
        let segment = rest.split('.').next().unwrap_or(rest);
        match segment.parse::<usize>() {
            // `Tag.01` would read as 1 too; only the canonical spelling is an index.
            Ok(index) if index >= 1 && index.to_string() == segment => {
                indices.insert(index);
            }
            _ => bad.push(key.clone()),
        }
    }
    if indices.is_empty() && bad.is_empty() {
        return None;
    }

    if !bad.is_empty() {
        errors.push(
            name,
            Rule::ListIndex {
                detail: format!(
                    "has parameters without an item number counted from 1: {}",
                    bad.join(", ")
                ),
            },
        );
    }
    if let Some(&last) = indices.last()
        && last != indices.len()
    {
        // The numbers come from the request: `Name.18446744073709551615` alone must not make
        // the check walk or name every number below it. The first few missing ones are
        // found within `indices.len() + SHOWN` steps.
        const SHOWN: usize = 5;
        let count = last - indices.len();
        let mut missing: Vec<String> = (1..last)
            .filter(|i| !indices.contains(i))
            .take(SHOWN)
            .map(|i| nested(name, i))
            .collect();
        if count > SHOWN {
            missing.push(format!("and {} more", count - SHOWN));
        }
        errors.push(
            name,
            Rule::ListIndex {
                detail: format!(
                    "must be numbered from 1 without gaps, missing {}",
                    missing.join(", ")
                ),
            },
        );
    }
    Some(indices)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> WireParams {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn booleans_parse_in_any_letter_case() {
        let p = params(&[("A", "TRUE"), ("B", "False"), ("C", "yes")]);
        let mut errors = ValidationErrors::new();
        assert_eq!(bool::take(&p, "A", &mut errors), Some(true));
        assert_eq!(bool::take(&p, "B", &mut errors), Some(false));
        assert_eq!(bool::take(&p, "C", &mut errors), None);
        assert_eq!(errors.violations().len(), 1);
        assert_eq!(errors.violations()[0].parameter, "C");
    }

    #[test]
    fn lists_with_gaps_are_reported() {
        let p = params(&[("Tag.1", "a"), ("Tag.3", "c")]);
        let mut errors = ValidationErrors::new();
        let list = Vec::<String>::take(&p, "Tag", &mut errors);
        assert_eq!(list, Some(vec!["a".to_owned(), "c".to_owned()]));
        assert!(
            matches!(&errors.violations()[0].rule, Rule::ListIndex { detail } if detail.contains("Tag.2"))
        );
    }

    #[test]
    fn lists_do_not_pick_up_longer_names() {
        let p = params(&[("Tag.1", "a"), ("TagX.1", "b"), ("Tags", "c")]);
        let mut errors = ValidationErrors::new();
        assert_eq!(
            Vec::<String>::take(&p, "Tag", &mut errors),
            Some(vec!["a".to_owned()])
        );
        assert!(errors.is_empty());
    }
}
