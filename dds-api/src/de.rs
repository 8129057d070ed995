//! Lenient decoding of response bodies.
//!
//! The gateway's JSON is converted from XML in places, so values do not always have the type
//! the documentation gives them: numbers and booleans arrive as strings (`"MaxIOPS": "1000"`),
//! strings arrive as numbers, a list with one item arrives as that item alone, and an empty
//! element arrives as `""`. This module accepts all of that.
//!
//! # How a body is decoded
//!
//! Generated response types do not derive `Deserialize`. A derive per struct (with a helper
//! per field) is a lot of code for the compiler once there are hundreds of response structs,
//! and all of it is generic over the deserializer, so it is compiled again for every
//! deserializer a response is read with. Instead decoding happens in two steps, and only the
//! first one is generic:
//!
//! 1. The body is parsed once into a [`Tree`]: a flat list of 24-byte nodes in document
//!    order, where an object or a list is a header that knows where its contents end, and
//!    member names and strings are borrowed from the body unless they have escapes. Building
//!    it costs one `Vec` and no allocation per member.
//! 2. Each generated struct implements [`FromJson`], a plain non-generic function with one
//!    line per field, calling [`Object::field`] or [`Object::list`] on a [`Json`] (a place in
//!    the tree). Only a response's root type implements `Deserialize`, through
//!    [`deserialize`], which parses the tree and hands it to the root's `from_json`.
//!
//! The tree replaced a [`serde_json::Value`]: with `preserve_order` that allocates a `String`
//! for every member name and an index map for every object, and then every value is moved out
//! of it again. Decoding DescribeDBInstanceAttribute's 2.8 KB example took three times as long
//! as with derived `Deserialize` (22.4 µs against 7.3 µs). With the tree, `from_slice` of that
//! example runs slightly fewer instructions than the derives did (115 000 against 117 000,
//! counted with callgrind; 245 000 with the `Value`), and the generated code is what it was
//! with the `Value`, so the cold build of `dds-api` did not change measurably.
//!
//! Looking a member up walks the object's members from just after the member found last,
//! wrapping around once: generated code asks for the fields in the order the spec lists
//! them, and answers list them in the same order, so a lookup usually tests a single name.
//! A field the answer lacks costs one walk over the object; members in another order cost
//! more walking but decode the same.
//!
//! JSON leaves repeated member names open; `serde_json::Value` keeps the last value, and so
//! does the tree: while parsing, each object keeps a 1024-bit filter of the names it has
//! seen, and only a name that hits the filter is compared with the earlier ones. An earlier
//! member with the same name is marked as shadowed, so lookups skip it, while a free-form
//! value converted back to a [`serde_json::Value`] gets the member at the position where the
//! name first occurred, as `serde_json` does.
//!
//! Known shortcoming: the tree relies on `serde_json` handing numbers over as numbers. With
//! `serde_json`'s `arbitrary_precision` feature (not enabled in this workspace) a number
//! arrives as a one-member object, and every number field would be refused as "an object".
//!
//! The client checks that a body is UTF-8 once and parses it as text (see `response.rs`), so
//! that `serde_json` does not check every string on its own.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// A value of a response body that did not have the expected type, with where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Path to the value, e.g. `DBInstances.DBInstance[0].MaxIOPS`; empty for the root.
    pub path: String,
    /// What was expected and what was found.
    pub message: String,
}

impl Error {
    fn new(expected: &str, found: Json<'_>) -> Self {
        let found = match found.node() {
            Node::Array { .. } => "a list".to_owned(),
            Node::Object { .. } => "an object".to_owned(),
            Node::Number(number) => number.to_string(),
            Node::Bool(flag) => flag.to_string(),
            node => match node.text() {
                Some(text) => format!("the string {text:?}"),
                None => "null".to_owned(),
            },
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
    fn from_json(value: Json<'_>) -> Result<Option<Self>, Error>;
}

/// Deserializes a response root type through [`FromJson`].
pub fn deserialize<'de, D: Deserializer<'de>, T: FromJson>(deserializer: D) -> Result<T, D::Error> {
    let tree = Tree::deserialize(deserializer)?;
    decode_root(&tree).map_err(serde::de::Error::custom)
}

/// The non-generic half of [`deserialize`] (generic over the response type only).
fn decode_root<T: FromJson>(tree: &Tree<'_>) -> Result<T, Error> {
    /// `{}` and `null`, as two trees of one node each.
    static EMPTY: [Node<'static>; 2] = [Node::Object { len: 0, end: 1 }, Node::Null];
    let empty_object = Json {
        nodes: &EMPTY,
        at: 0,
    };
    // An empty body, `{}` and `null` all mean "nothing to report".
    let root = match tree.root().node() {
        Node::Null => empty_object,
        _ => tree.root(),
    };
    match T::from_json(root)? {
        Some(decoded) => Ok(decoded),
        None => T::from_json(empty_object)?.ok_or_else(|| {
            Error::new(
                "an object",
                Json {
                    nodes: &EMPTY,
                    at: 1,
                },
            )
        }),
    }
}

/// One entry of a [`Tree`]. 24 bytes: strings are a borrowed `&str` or, when they had
/// escapes, a `Box<str>` (a `Cow<str>` would make every node 32 bytes).
#[derive(Debug, Clone)]
enum Node<'de> {
    Null,
    Bool(bool),
    Number(Number),
    /// A string without escapes, borrowed from the body.
    Str(&'de str),
    /// A string that could not be borrowed (it had escapes).
    String(Box<str>),
    /// A list of `len` items; they follow this node, and the last one ends before `end`.
    Array {
        len: usize,
        end: usize,
    },
    /// An object of `len` members, each a name (`Key`, `OwnedKey` or `Shadowed`) followed by
    /// its value; the last one ends before `end`.
    Object {
        len: usize,
        end: usize,
    },
    /// The name of an object member, borrowed from the body; its value follows.
    Key(&'de str),
    /// The name of an object member that could not be borrowed (it had escapes); its value
    /// follows.
    OwnedKey(Box<str>),
    /// The name of an object member that occurs again later in the same object, where the
    /// later one wins; its value follows.
    Shadowed(Box<str>),
}

impl Node<'_> {
    /// The text of a string.
    fn text(&self) -> Option<&str> {
        match self {
            Node::Str(text) => Some(text),
            Node::String(text) => Some(text),
            _ => None,
        }
    }

    /// The name of an object member that is not shadowed.
    fn key(&self) -> Option<&str> {
        match self {
            Node::Key(name) => Some(name),
            Node::OwnedKey(name) => Some(name),
            _ => None,
        }
    }
}

/// The index just past the value that starts at `at`.
fn skip(nodes: &[Node<'_>], at: usize) -> usize {
    match nodes[at] {
        Node::Array { end, .. } | Node::Object { end, .. } => end,
        _ => at + 1,
    }
}

/// A parsed body: its values in document order, strings borrowed from the body where they
/// have no escapes. See the module documentation.
#[derive(Debug, Clone)]
pub struct Tree<'de> {
    nodes: Vec<Node<'de>>,
}

impl<'de> Tree<'de> {
    /// Parses one JSON value from `deserializer`.
    pub fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Room for a small answer (DescribeDBInstanceSSL's is 9 nodes); a larger one grows
        // it a few times (DescribeDBInstanceAttribute's 2.8 KB example is 207 nodes, three
        // doublings). Starting with room for the large one costs more: a 6 KB allocation
        // for every answer is slower in glibc's allocator than the doublings.
        let mut nodes = Vec::with_capacity(32);
        deserializer.deserialize_any(Builder { nodes: &mut nodes })?;
        Ok(Self { nodes })
    }

    /// The value of the whole body.
    pub fn root(&self) -> Json<'_> {
        Json {
            nodes: &self.nodes,
            at: 0,
        }
    }
}

/// Appends the value it is given to a tree, as a [`DeserializeSeed`] and its own visitor.
struct Builder<'t, 'de> {
    nodes: &'t mut Vec<Node<'de>>,
}

impl<'de> DeserializeSeed<'de> for Builder<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Builder<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, flag: bool) -> Result<(), E> {
        self.nodes.push(Node::Bool(flag));
        Ok(())
    }

    fn visit_i64<E>(self, number: i64) -> Result<(), E> {
        self.nodes.push(Node::Number(number.into()));
        Ok(())
    }

    fn visit_u64<E>(self, number: u64) -> Result<(), E> {
        self.nodes.push(Node::Number(number.into()));
        Ok(())
    }

    fn visit_f64<E>(self, number: f64) -> Result<(), E> {
        // As `serde_json::Value` does: a number that is not finite is null.
        self.nodes
            .push(Number::from_f64(number).map_or(Node::Null, Node::Number));
        Ok(())
    }

    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<(), E> {
        self.nodes.push(Node::Str(text));
        Ok(())
    }

    fn visit_str<E>(self, text: &str) -> Result<(), E> {
        self.nodes.push(Node::String(text.into()));
        Ok(())
    }

    fn visit_string<E>(self, text: String) -> Result<(), E> {
        self.nodes.push(Node::String(text.into_boxed_str()));
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.nodes.push(Node::Null);
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        self.nodes.push(Node::Null);
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        let header = self.nodes.len();
        self.nodes.push(Node::Array { len: 0, end: 0 });
        let mut len = 0;
        while items
            .next_element_seed(Builder {
                nodes: &mut *self.nodes,
            })?
            .is_some()
        {
            len += 1;
        }
        let end = self.nodes.len();
        self.nodes[header] = Node::Array { len, end };
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<(), A::Error> {
        let header = self.nodes.len();
        self.nodes.push(Node::Object { len: 0, end: 0 });
        let mut len = 0;
        let mut seen = NameFilter::default();
        while let Some(name) = members.next_key_seed(Name)? {
            let key = self.nodes.len();
            self.nodes.push(name);
            if let Some(name) = self.nodes[key].key()
                && seen.insert(name)
            {
                shadow_earlier(&mut self.nodes[..], header + 1, key);
            }
            members.next_value_seed(Builder {
                nodes: &mut *self.nodes,
            })?;
            len += 1;
        }
        let end = self.nodes.len();
        self.nodes[header] = Node::Object { len, end };
        Ok(())
    }
}

/// If an earlier member of the object whose first member is at `first` has the name of the
/// member at `key` (the one just added), marks the earlier one as shadowed.
fn shadow_earlier(nodes: &mut [Node<'_>], first: usize, key: usize) {
    let mut at = first;
    while at < key {
        if let Some(name) = nodes[at].key()
            && nodes[key].key() == Some(name)
        {
            let shadowed = Node::Shadowed(name.into());
            nodes[at] = shadowed;
            return;
        }
        at = skip(nodes, at + 1);
    }
}

/// The member names of one object seen so far, as a 1024-bit filter: `insert` says when a
/// name may have been seen before, and is never wrong when it says it has not. A name is
/// hashed from its length and three of its bytes, which tells the names of an answer apart
/// well enough that a real comparison is rarely needed.
#[derive(Default)]
struct NameFilter([u64; 16]);

impl NameFilter {
    /// Adds `name`; whether its bit was set already.
    fn insert(&mut self, name: &str) -> bool {
        let bytes = name.as_bytes();
        let (first, middle, last) = match bytes {
            [] => (0, 0, 0),
            [.., last] => (bytes[0], bytes[bytes.len() / 2], *last),
        };
        let hash = u64::from_le_bytes([first, middle, last, bytes.len() as u8, 0, 0, 0, 0])
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let bit = (hash >> 54) as usize;
        let (word, mask) = (bit / 64, 1 << (bit % 64));
        let seen = self.0[word] & mask != 0;
        self.0[word] |= mask;
        seen
    }
}

/// Reads a member name, borrowing it from the body when it has no escapes.
struct Name;

impl<'de> DeserializeSeed<'de> for Name {
    type Value = Node<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Name {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E>(self, name: &'de str) -> Result<Self::Value, E> {
        Ok(Node::Key(name))
    }

    fn visit_str<E>(self, name: &str) -> Result<Self::Value, E> {
        Ok(Node::OwnedKey(name.into()))
    }

    fn visit_string<E>(self, name: String) -> Result<Self::Value, E> {
        Ok(Node::OwnedKey(name.into_boxed_str()))
    }
}

/// One value of a parsed body: a place in a [`Tree`].
#[derive(Clone, Copy)]
pub struct Json<'a> {
    nodes: &'a [Node<'a>],
    at: usize,
}

impl<'a> Json<'a> {
    fn node(&self) -> &'a Node<'a> {
        &self.nodes[self.at]
    }

    fn at(&self, at: usize) -> Self {
        Self {
            nodes: self.nodes,
            at,
        }
    }

    /// Whether the value is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self.node(), Node::Null)
    }

    /// The value as a [`serde_json::Value`], as `serde_json` itself would have parsed it.
    pub fn to_value(&self) -> Value {
        match self.node() {
            Node::Bool(flag) => Value::Bool(*flag),
            Node::Number(number) => Value::Number(number.clone()),
            Node::Array { len, end } => {
                let mut items = Vec::with_capacity(*len);
                let mut at = self.at + 1;
                while at < *end {
                    items.push(self.at(at).to_value());
                    at = skip(self.nodes, at);
                }
                Value::Array(items)
            }
            Node::Object { len, end } => {
                let mut members = Map::with_capacity(*len);
                let mut at = self.at + 1;
                while at < *end {
                    let name = match &self.nodes[at] {
                        // Inserted too: the later member replaces its value and keeps its
                        // position, as in `serde_json::Value`.
                        Node::Shadowed(name) => name,
                        node => node.key().unwrap_or_default(),
                    };
                    members.insert(name.to_owned(), self.at(at + 1).to_value());
                    at = skip(self.nodes, at + 1);
                }
                Value::Object(members)
            }
            node => node
                .text()
                .map_or(Value::Null, |text| Value::String(text.to_owned())),
        }
    }
}

impl fmt::Debug for Json<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_value(), f)
    }
}

/// The members of a JSON object, looked up one by one by a generated `from_json`.
#[derive(Debug)]
pub struct Object<'a> {
    object: Json<'a>,
    /// Just past the last member.
    end: usize,
    /// Where the next lookup starts: just past the member found last.
    next: usize,
}

impl<'a> Object<'a> {
    /// The object `value` is; `None` for `null` and `""`.
    pub fn new(value: Json<'a>) -> Result<Option<Self>, Error> {
        match value.node() {
            Node::Object { end, .. } => Ok(Some(Self {
                object: value,
                end: *end,
                next: value.at + 1,
            })),
            Node::Null => Ok(None),
            node if node.text().is_some_and(|text| text.trim().is_empty()) => Ok(None),
            _ => Err(Error::new("an object", value)),
        }
    }

    /// The value of the member `name`, if any. Starts after the member found last, and
    /// wraps around to the first member.
    #[inline]
    fn find(&mut self, name: &str) -> Option<Json<'a>> {
        // The usual case, checked inline: the member right after the one found last.
        let nodes = self.object.nodes;
        if self.next < self.end && nodes[self.next].key() == Some(name) {
            let value = self.next + 1;
            self.next = skip(nodes, value);
            return Some(self.object.at(value));
        }
        self.search(name)
    }

    /// [`Object::find`] past the member right after the one found last.
    fn search(&mut self, name: &str) -> Option<Json<'a>> {
        let first = self.object.at + 1;
        self.find_between(name, self.next, self.end)
            .or_else(|| self.find_between(name, first, self.next))
    }

    fn find_between(&mut self, name: &str, from: usize, to: usize) -> Option<Json<'a>> {
        let nodes = self.object.nodes;
        let mut at = from;
        while at < to {
            let value = at + 1;
            let next = skip(nodes, value);
            if nodes[at].key() == Some(name) {
                self.next = next;
                return Some(self.object.at(value));
            }
            at = next;
        }
        None
    }

    /// The member `name`, converted; `None` when absent. Unknown members are ignored.
    ///
    /// Generated code asks for each name once; asking again finds the same member again.
    pub fn field<T: FromJson>(&mut self, name: &str) -> Result<Option<T>, Error> {
        match self.find(name) {
            None => Ok(None),
            Some(value) => T::from_json(value).map_err(|error| error.within(name)),
        }
    }

    /// The member `name` as a list: a single item stands for a list of one (the XML form
    /// does not tell them apart); absent, `null` and `""` are an empty list. Items that
    /// stand for "absent" are left out.
    pub fn list<T: FromJson>(&mut self, name: &str) -> Result<Vec<T>, Error> {
        let Some(value) = self.find(name) else {
            return Ok(Vec::new());
        };
        let item = |i: usize, item: Json<'_>| {
            T::from_json(item).map_err(|error| error.within(&format!("{name}[{i}]")))
        };
        match value.node() {
            Node::Null => Ok(Vec::new()),
            node if node.text() == Some("") => Ok(Vec::new()),
            Node::Array { len, end } => {
                let mut list = Vec::with_capacity(*len);
                let mut at = value.at + 1;
                let mut i = 0;
                while at < *end {
                    list.extend(item(i, value.at(at))?);
                    at = skip(value.nodes, at);
                    i += 1;
                }
                Ok(list)
            }
            _ => Ok(item(0, value)?.into_iter().collect()),
        }
    }
}

impl FromJson for String {
    fn from_json(value: Json<'_>) -> Result<Option<Self>, Error> {
        match value.node() {
            Node::Number(number) => Ok(Some(number.to_string())),
            Node::Bool(flag) => Ok(Some(flag.to_string())),
            Node::Null => Ok(None),
            node => match node.text() {
                Some(text) => Ok(Some(text.to_owned())),
                None => Err(Error::new("a string", value)),
            },
        }
    }
}

/// A number type read from a JSON number or from its text.
trait Numeric: std::str::FromStr {
    /// What the error message says was expected.
    const EXPECTED: &'static str;

    /// The value of a JSON number, if it is one of this type. The same as parsing the
    /// number's JSON text: a fraction or exponent is never an integer.
    fn from_number(number: &Number) -> Option<Self>;
}

impl Numeric for i32 {
    const EXPECTED: &'static str = "a 32-bit integer";

    fn from_number(number: &Number) -> Option<Self> {
        number.as_i64().and_then(|n| n.try_into().ok())
    }
}

impl Numeric for i64 {
    const EXPECTED: &'static str = "a 64-bit integer";

    fn from_number(number: &Number) -> Option<Self> {
        number.as_i64()
    }
}

impl Numeric for f64 {
    const EXPECTED: &'static str = "a number";

    fn from_number(number: &Number) -> Option<Self> {
        number.as_f64()
    }
}

/// Converts a number or its text; `""` is absent.
fn number<T: Numeric>(value: Json<'_>) -> Result<Option<T>, Error> {
    let read = match value.node() {
        Node::Number(number) => T::from_number(number),
        Node::Null => return Ok(None),
        node => match node.text().map(str::trim) {
            Some("") => return Ok(None),
            Some(text) => text.parse().ok(),
            None => None,
        },
    };
    read.map(Some).ok_or_else(|| Error::new(T::EXPECTED, value))
}

impl FromJson for i32 {
    fn from_json(value: Json<'_>) -> Result<Option<Self>, Error> {
        number(value)
    }
}

impl FromJson for i64 {
    fn from_json(value: Json<'_>) -> Result<Option<Self>, Error> {
        number(value)
    }
}

impl FromJson for f64 {
    fn from_json(value: Json<'_>) -> Result<Option<Self>, Error> {
        number(value)
    }
}

impl FromJson for bool {
    fn from_json(value: Json<'_>) -> Result<Option<Self>, Error> {
        match value.node() {
            Node::Bool(flag) => Ok(Some(*flag)),
            Node::Null => Ok(None),
            node => match node.text().map(str::trim) {
                Some(text) if text.eq_ignore_ascii_case("true") => Ok(Some(true)),
                Some(text) if text.eq_ignore_ascii_case("false") => Ok(Some(false)),
                Some("") => Ok(None),
                _ => Err(Error::new("a boolean", value)),
            },
        }
    }
}

/// A free-form value (an object the spec does not describe), kept as JSON.
impl FromJson for Value {
    fn from_json(value: Json<'_>) -> Result<Option<Self>, Error> {
        Ok((!value.is_null()).then(|| value.to_value()))
    }
}

/// The text of an enum value (numbers and booleans in their JSON spelling).
pub fn text(value: Json<'_>) -> Result<Option<String>, Error> {
    String::from_json(value)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Parses `text` into a tree.
    fn tree(text: &str) -> Tree<'_> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        Tree::deserialize(&mut deserializer).expect("JSON")
    }

    /// Parses `text` and converts its root value to `T`.
    fn read<T: FromJson>(text: &str) -> Result<Option<T>, Error> {
        T::from_json(tree(text).root())
    }

    #[test]
    fn numbers_are_read_from_text_and_empty_text_is_absent() {
        assert_eq!(read::<i32>(r#""42""#), Ok(Some(42)));
        assert_eq!(read::<i64>(r#"" 7 ""#), Ok(Some(7)));
        assert_eq!(read::<f64>(r#""0.5""#), Ok(Some(0.5)));
        assert_eq!(read::<i32>(r#""""#), Ok(None));
        assert!(read::<i32>(r#""4.5""#).is_err());
        assert!(read::<i32>("1e12").is_err());
    }

    #[test]
    fn strings_keep_empty_text() {
        assert_eq!(read::<String>(r#""""#), Ok(Some(String::new())));
        assert_eq!(read::<String>("3717"), Ok(Some("3717".to_owned())));
    }

    #[test]
    fn errors_name_the_path_to_the_value() {
        let tree = tree(r#"{"List": [1, "x"]}"#);
        let mut object = Object::new(tree.root()).unwrap().unwrap();
        let error = object.list::<i32>("List").unwrap_err();
        assert_eq!(
            error.to_string(),
            "List[1]: expected a 32-bit integer, found the string \"x\""
        );
    }

    #[test]
    fn a_node_is_three_words() {
        assert_eq!(std::mem::size_of::<Node<'_>>(), 24);
    }

    #[test]
    fn members_are_found_in_any_order_and_escaped_names_and_strings_are_read() {
        let tree = tree(r#"{"A": 1, "\u0042": "x\ny", "C": [true], "D": {"E": null}}"#);
        let mut object = Object::new(tree.root()).unwrap().unwrap();
        assert_eq!(
            object.field::<Value>("D"),
            Ok(Some(serde_json::json!({"E": null})))
        );
        assert_eq!(object.field::<String>("B"), Ok(Some("x\ny".to_owned())));
        assert_eq!(object.field::<i32>("A"), Ok(Some(1)));
        assert_eq!(object.field::<i32>("Z"), Ok(None));
        assert_eq!(object.list::<bool>("C"), Ok(vec![true]));
    }

    #[test]
    fn a_repeated_member_name_takes_the_last_value_at_the_first_position() {
        let text = r#"{"A": 1, "B": 2, "A": 3, "\u0041": 4, "C": {"B": 5, "B": 6}}"#;
        let tree = tree(text);
        let mut object = Object::new(tree.root()).unwrap().unwrap();
        assert_eq!(object.field::<i32>("A"), Ok(Some(4)));
        assert_eq!(object.field::<i32>("B"), Ok(Some(2)));
        let value: Value = serde_json::from_str(text).unwrap();
        assert_eq!(tree.root().to_value(), value);
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["A", "B", "C"]);
    }

    /// The decoding rules as they were on `serde_json::Value` (before the tree), kept as the
    /// oracle the tree is compared with.
    mod before {
        use serde_json::{Map, Value};

        use super::super::Error;

        fn error(expected: &str, found: &Value) -> Error {
            let found = match found {
                Value::String(text) => format!("the string {text:?}"),
                Value::Array(_) => "a list".to_owned(),
                Value::Object(_) => "an object".to_owned(),
                other => other.to_string(),
            };
            Error {
                path: String::new(),
                message: format!("expected {expected}, found {found}"),
            }
        }

        pub(super) trait Old: Sized {
            fn old(value: Value) -> Result<Option<Self>, Error>;
        }

        pub(super) fn object(value: Value) -> Result<Option<Map<String, Value>>, Error> {
            match value {
                Value::Object(members) => Ok(Some(members)),
                Value::Null => Ok(None),
                Value::String(text) if text.trim().is_empty() => Ok(None),
                other => Err(error("an object", &other)),
            }
        }

        pub(super) fn field<T: Old>(
            members: &mut Map<String, Value>,
            name: &str,
        ) -> Result<Option<T>, Error> {
            match members.remove(name) {
                None => Ok(None),
                Some(value) => T::old(value).map_err(|error| error.within(name)),
            }
        }

        pub(super) fn list<T: Old>(
            members: &mut Map<String, Value>,
            name: &str,
        ) -> Result<Vec<T>, Error> {
            let items = match members.remove(name) {
                None | Some(Value::Null) => return Ok(Vec::new()),
                Some(Value::String(text)) if text.is_empty() => return Ok(Vec::new()),
                Some(Value::Array(items)) => items,
                Some(single) => vec![single],
            };
            let mut list = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let item = T::old(item).map_err(|error| error.within(&format!("{name}[{i}]")))?;
                list.extend(item);
            }
            Ok(list)
        }

        impl Old for String {
            fn old(value: Value) -> Result<Option<Self>, Error> {
                match value {
                    Value::String(text) => Ok(Some(text)),
                    Value::Number(number) => Ok(Some(number.to_string())),
                    Value::Bool(flag) => Ok(Some(flag.to_string())),
                    Value::Null => Ok(None),
                    other => Err(error("a string", &other)),
                }
            }
        }

        fn number<T: std::str::FromStr>(value: Value, expected: &str) -> Result<Option<T>, Error> {
            let text = match &value {
                Value::Number(number) => number.to_string(),
                Value::String(text) if text.trim().is_empty() => return Ok(None),
                Value::String(text) => text.trim().to_owned(),
                Value::Null => return Ok(None),
                _ => return Err(error(expected, &value)),
            };
            text.parse().map(Some).map_err(|_| error(expected, &value))
        }

        impl Old for i32 {
            fn old(value: Value) -> Result<Option<Self>, Error> {
                number(value, "a 32-bit integer")
            }
        }

        impl Old for i64 {
            fn old(value: Value) -> Result<Option<Self>, Error> {
                number(value, "a 64-bit integer")
            }
        }

        impl Old for f64 {
            fn old(value: Value) -> Result<Option<Self>, Error> {
                number(value, "a number")
            }
        }

        impl Old for bool {
            fn old(value: Value) -> Result<Option<Self>, Error> {
                match &value {
                    Value::Bool(flag) => Ok(Some(*flag)),
                    Value::String(text) if text.trim().eq_ignore_ascii_case("true") => {
                        Ok(Some(true))
                    }
                    Value::String(text) if text.trim().eq_ignore_ascii_case("false") => {
                        Ok(Some(false))
                    }
                    Value::String(text) if text.trim().is_empty() => Ok(None),
                    Value::Null => Ok(None),
                    _ => Err(error("a boolean", &value)),
                }
            }
        }

        impl Old for Value {
            fn old(value: Value) -> Result<Option<Self>, Error> {
                Ok((!value.is_null()).then_some(value))
            }
        }
    }

    /// A JSON text to generate: unlike a `serde_json::Value`, an object may repeat a name,
    /// and a name may be written with an escape.
    #[derive(Debug, Clone)]
    enum Doc {
        Scalar(Value),
        Array(Vec<Doc>),
        Object(Vec<(String, bool, Doc)>),
    }

    impl Doc {
        fn render(&self, out: &mut String) {
            match self {
                Doc::Scalar(value) => out.push_str(&value.to_string()),
                Doc::Array(items) => {
                    out.push('[');
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        item.render(out);
                    }
                    out.push(']');
                }
                Doc::Object(members) => {
                    out.push('{');
                    for (i, (name, escaped, value)) in members.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        if *escaped {
                            // Names are ASCII letters: the first one written as `\u00XX`.
                            let (first, rest) = name.split_at(1);
                            let code = u32::from(first.as_bytes()[0]);
                            out.push_str(&format!("\"\\u{code:04x}{rest}\""));
                        } else {
                            out.push_str(&Value::from(name.as_str()).to_string());
                        }
                        out.push(':');
                        value.render(out);
                    }
                    out.push('}');
                }
            }
        }

        fn text(&self) -> String {
            let mut out = String::new();
            self.render(&mut out);
            out
        }
    }

    /// Member names, few enough that objects often repeat one.
    const NAMES: [&str; 5] = ["A", "B", "Cc", "Dd", "E"];

    fn scalar() -> impl Strategy<Value = Value> {
        let texts = [
            "",
            " ",
            "12",
            " 12 ",
            "+7",
            "-0",
            "012",
            "1.5",
            "1e3",
            "3000000000",
            "true",
            " False ",
            "TRUE",
            "x",
            "a\"b\n",
            "\u{e9}",
            "\u{661}",
            "\u{a0}5\u{a0}",
        ];
        prop_oneof![
            1 => Just(Value::Null),
            1 => any::<bool>().prop_map(Value::from),
            1 => any::<i64>().prop_map(Value::from),
            1 => any::<u64>().prop_map(Value::from),
            1 => (-3000i32..3000).prop_map(Value::from),
            1 => (-1e12..1e12f64).prop_map(Value::from),
            1 => prop_oneof![Just(0.0), Just(-0.0), Just(3.0), Just(1e300)].prop_map(Value::from),
            4 => proptest::sample::select(texts.to_vec()).prop_map(Value::from),
            1 => "[ -~]{0,5}".prop_map(Value::from),
        ]
    }

    fn doc() -> impl Strategy<Value = Doc> {
        scalar()
            .prop_map(Doc::Scalar)
            .prop_recursive(3, 32, 6, |inner| {
                prop_oneof![
                    proptest::collection::vec(inner.clone(), 0..4).prop_map(Doc::Array),
                    proptest::collection::vec(
                        (
                            proptest::sample::select(NAMES.to_vec()),
                            any::<bool>(),
                            inner
                        ),
                        0..7,
                    )
                    .prop_map(|members| Doc::Object(
                        members
                            .into_iter()
                            .map(|(name, escaped, value)| (name.to_owned(), escaped, value))
                            .collect()
                    )),
                ]
            })
    }

    /// How a member is asked for.
    #[derive(Debug, Clone, Copy)]
    enum Ask {
        Text,
        Int32,
        Int64,
        Number,
        Boolean,
        Free,
        ListOfInt32,
        ListOfText,
        ListOfFree,
    }

    fn ask() -> impl Strategy<Value = Ask> {
        proptest::sample::select(vec![
            Ask::Text,
            Ask::Int32,
            Ask::Int64,
            Ask::Number,
            Ask::Boolean,
            Ask::Free,
            Ask::ListOfInt32,
            Ask::ListOfText,
            Ask::ListOfFree,
        ])
    }

    /// The result of one lookup, comparable across the two implementations.
    fn outcome<T: fmt::Debug>(result: Result<T, Error>) -> String {
        format!("{result:?}")
    }

    fn ask_tree(object: &mut Object<'_>, name: &str, ask: Ask) -> String {
        match ask {
            Ask::Text => outcome(object.field::<String>(name)),
            Ask::Int32 => outcome(object.field::<i32>(name)),
            Ask::Int64 => outcome(object.field::<i64>(name)),
            Ask::Number => outcome(object.field::<f64>(name)),
            Ask::Boolean => outcome(object.field::<bool>(name)),
            Ask::Free => outcome(object.field::<Value>(name)),
            Ask::ListOfInt32 => outcome(object.list::<i32>(name)),
            Ask::ListOfText => outcome(object.list::<String>(name)),
            Ask::ListOfFree => outcome(object.list::<Value>(name)),
        }
    }

    fn ask_before(members: &mut Map<String, Value>, name: &str, ask: Ask) -> String {
        match ask {
            Ask::Text => outcome(before::field::<String>(members, name)),
            Ask::Int32 => outcome(before::field::<i32>(members, name)),
            Ask::Int64 => outcome(before::field::<i64>(members, name)),
            Ask::Number => outcome(before::field::<f64>(members, name)),
            Ask::Boolean => outcome(before::field::<bool>(members, name)),
            Ask::Free => outcome(before::field::<Value>(members, name)),
            Ask::ListOfInt32 => outcome(before::list::<i32>(members, name)),
            Ask::ListOfText => outcome(before::list::<String>(members, name)),
            Ask::ListOfFree => outcome(before::list::<Value>(members, name)),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// Any value converts as it did on `serde_json::Value`, to every field type.
        #[test]
        fn values_convert_as_they_did_on_serde_json_values(doc in doc()) {
            let text = doc.text();
            let tree = tree(&text);
            let value: Value = serde_json::from_str(&text).expect("JSON");
            let root = tree.root();
            prop_assert_eq!(root.to_value(), value.clone());
            prop_assert_eq!(String::from_json(root), before::Old::old(value.clone()));
            prop_assert_eq!(i32::from_json(root), before::Old::old(value.clone()));
            prop_assert_eq!(i64::from_json(root), before::Old::old(value.clone()));
            prop_assert_eq!(
                outcome(f64::from_json(root)),
                outcome(<f64 as before::Old>::old(value.clone()))
            );
            prop_assert_eq!(bool::from_json(root), before::Old::old(value.clone()));
            prop_assert_eq!(Value::from_json(root), before::Old::old(value.clone()));
            prop_assert_eq!(
                Object::new(root).map(|object| object.is_some()),
                before::object(value).map(|object| object.is_some())
            );
        }

        /// Looking members up in any order, as fields or lists of any type, gives what the
        /// index map of `serde_json::Value` gave, repeated names and escapes included.
        #[test]
        fn members_are_looked_up_as_they_were_in_serde_json_maps(
            members in proptest::collection::vec(
                (
                    proptest::sample::select(NAMES.to_vec()),
                    any::<bool>(),
                    prop_oneof![3 => scalar().prop_map(Doc::Scalar), 1 => doc()],
                ),
                0..9,
            ),
            asks in proptest::collection::vec(
                (proptest::sample::select(NAMES.to_vec()), ask()),
                0..8,
            ),
        ) {
            let doc = Doc::Object(
                members
                    .into_iter()
                    .map(|(name, escaped, value)| (name.to_owned(), escaped, value))
                    .collect(),
            );
            let text = doc.text();
            let tree = tree(&text);
            let mut object = Object::new(tree.root()).expect("object").expect("present");
            let value: Value = serde_json::from_str(&text).expect("JSON");
            let mut members = before::object(value).expect("object").expect("present");
            // Generated code asks for each name once.
            let mut asked = Vec::new();
            for (name, ask) in asks {
                if asked.contains(&name) {
                    continue;
                }
                asked.push(name);
                prop_assert_eq!(
                    ask_tree(&mut object, name, ask),
                    ask_before(&mut members, name, ask),
                    "{} asked as {:?} in {}", name, ask, text
                );
            }
        }
    }
}
