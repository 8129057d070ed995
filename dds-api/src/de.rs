//! Lenient decoding of response bodies.
//!
//! The gateway's JSON is converted from XML in places, so values do not always have the type
//! the documentation gives them: numbers and booleans arrive as strings (`"MaxIOPS": "1000"`),
//! strings arrive as numbers, a list with one item arrives as that item alone, and an empty
//! element arrives as `""`. This module accepts all of that.
//!
//! Generated response types do not derive `Deserialize`: a derive per struct (with a helper
//! per field) is a lot of code for the compiler once there are hundreds of response structs.
//! Instead a body is parsed into a [`serde_json::Value`] once, and each generated struct
//! implements [`FromJson`] with one line per field, calling [`Object::field`] or
//! [`Object::list`]. Only a response's root type implements `Deserialize`, through
//! [`deserialize`].

use std::fmt;

use serde::de::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// A value of a response body that did not have the expected type, with where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Path to the value, e.g. `DBInstances.DBInstance[0].MaxIOPS`; empty for the root.
    pub path: String,
    /// What was expected and what was found.
    pub message: String,
}

impl Error {
    fn new(expected: &str, found: &Value) -> Self {
        let found = match found {
            Value::String(text) => format!("the string {text:?}"),
            Value::Array(_) => "a list".to_owned(),
            Value::Object(_) => "an object".to_owned(),
            other => other.to_string(),
        };
        Self {
            path: String::new(),
            message: format!("expected {expected}, found {found}"),
        }
    }

    /// The same error, one level further down: under `segment`.
    fn within(mut self, segment: &str) -> Self {
        self.path = if self.path.is_empty() {
            segment.to_owned()
        } else if self.path.starts_with('[') {
            format!("{segment}{}", self.path)
        } else {
            format!("{segment}.{}", self.path)
        };
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for Error {}

/// A response value built from JSON, accepting the gateway's variations.
pub trait FromJson: Sized {
    /// Converts `value`; `Ok(None)` when the value stands for "absent" (`null`, or `""` for
    /// anything but text).
    fn from_json(value: Value) -> Result<Option<Self>, Error>;
}

/// Deserializes a response root type through [`FromJson`].
pub fn deserialize<'de, D: Deserializer<'de>, T: FromJson>(deserializer: D) -> Result<T, D::Error> {
    let value = Value::deserialize(deserializer)?;
    // An empty body, `{}` and `null` all mean "nothing to report".
    let value = if value.is_null() {
        Value::Object(Map::new())
    } else {
        value
    };
    match T::from_json(value) {
        Ok(Some(decoded)) => Ok(decoded),
        Ok(None) => T::from_json(Value::Object(Map::new()))
            .and_then(|decoded| decoded.ok_or_else(|| Error::new("an object", &Value::Null)))
            .map_err(serde::de::Error::custom),
        Err(error) => Err(serde::de::Error::custom(error)),
    }
}

/// The members of a JSON object, taken out one by one by a generated `from_json`.
#[derive(Debug)]
pub struct Object {
    members: Map<String, Value>,
}

impl Object {
    /// The object `value` is; `None` for `null` and `""`.
    pub fn new(value: Value) -> Result<Option<Self>, Error> {
        match value {
            Value::Object(members) => Ok(Some(Self { members })),
            Value::Null => Ok(None),
            Value::String(text) if text.trim().is_empty() => Ok(None),
            other => Err(Error::new("an object", &other)),
        }
    }

    /// The member `name`, converted; `None` when absent. Unknown members are ignored.
    pub fn field<T: FromJson>(&mut self, name: &str) -> Result<Option<T>, Error> {
        match self.members.remove(name) {
            None => Ok(None),
            Some(value) => T::from_json(value).map_err(|error| error.within(name)),
        }
    }

    /// The member `name` as a list: a single item stands for a list of one (the XML form
    /// does not tell them apart); absent, `null` and `""` are an empty list.
    pub fn list<T: FromJson>(&mut self, name: &str) -> Result<Vec<T>, Error> {
        let items = match self.members.remove(name) {
            None | Some(Value::Null) => return Ok(Vec::new()),
            Some(Value::String(text)) if text.is_empty() => return Ok(Vec::new()),
            Some(Value::Array(items)) => items,
            Some(single) => vec![single],
        };
        let mut list = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let item = T::from_json(item).map_err(|error| error.within(&format!("{name}[{i}]")))?;
            list.extend(item);
        }
        Ok(list)
    }
}

impl FromJson for String {
    fn from_json(value: Value) -> Result<Option<Self>, Error> {
        match value {
            Value::String(text) => Ok(Some(text)),
            Value::Number(number) => Ok(Some(number.to_string())),
            Value::Bool(flag) => Ok(Some(flag.to_string())),
            Value::Null => Ok(None),
            other => Err(Error::new("a string", &other)),
        }
    }
}

/// Converts a number or its text; `""` is absent.
fn number<T: std::str::FromStr>(value: Value, expected: &str) -> Result<Option<T>, Error> {
    let text = match &value {
        Value::Number(number) => number.to_string(),
        Value::String(text) if text.trim().is_empty() => return Ok(None),
        Value::String(text) => text.trim().to_owned(),
        Value::Null => return Ok(None),
        _ => return Err(Error::new(expected, &value)),
    };
    text.parse()
        .map(Some)
        .map_err(|_| Error::new(expected, &value))
}

impl FromJson for i32 {
    fn from_json(value: Value) -> Result<Option<Self>, Error> {
        number(value, "a 32-bit integer")
    }
}

impl FromJson for i64 {
    fn from_json(value: Value) -> Result<Option<Self>, Error> {
        number(value, "a 64-bit integer")
    }
}

impl FromJson for f64 {
    fn from_json(value: Value) -> Result<Option<Self>, Error> {
        number(value, "a number")
    }
}

impl FromJson for bool {
    fn from_json(value: Value) -> Result<Option<Self>, Error> {
        match &value {
            Value::Bool(flag) => Ok(Some(*flag)),
            Value::String(text) if text.trim().eq_ignore_ascii_case("true") => Ok(Some(true)),
            Value::String(text) if text.trim().eq_ignore_ascii_case("false") => Ok(Some(false)),
            Value::String(text) if text.trim().is_empty() => Ok(None),
            Value::Null => Ok(None),
            _ => Err(Error::new("a boolean", &value)),
        }
    }
}

/// A free-form value (an object the spec does not describe), kept as JSON.
impl FromJson for Value {
    fn from_json(value: Value) -> Result<Option<Self>, Error> {
        Ok((!value.is_null()).then_some(value))
    }
}

/// The text of an enum value (numbers and booleans in their JSON spelling).
pub fn text(value: Value) -> Result<Option<String>, Error> {
    String::from_json(value)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn numbers_are_read_from_text_and_empty_text_is_absent() {
        assert_eq!(i32::from_json(json!("42")), Ok(Some(42)));
        assert_eq!(i64::from_json(json!(" 7 ")), Ok(Some(7)));
        assert_eq!(f64::from_json(json!("0.5")), Ok(Some(0.5)));
        assert_eq!(i32::from_json(json!("")), Ok(None));
        assert!(i32::from_json(json!("4.5")).is_err());
        assert!(i32::from_json(json!(1e12)).is_err());
    }

    #[test]
    fn strings_keep_empty_text() {
        assert_eq!(String::from_json(json!("")), Ok(Some(String::new())));
        assert_eq!(String::from_json(json!(3717)), Ok(Some("3717".to_owned())));
    }

    #[test]
    fn errors_name_the_path_to_the_value() {
        let mut object = Object::new(json!({"List": [1, "x"]})).unwrap().unwrap();
        let error = object.list::<i32>("List").unwrap_err();
        assert_eq!(
            error.to_string(),
            "List[1]: expected a 32-bit integer, found the string \"x\""
        );
    }
}
