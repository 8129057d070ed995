//! Answers built from an operation's response shape.
//!
//! The shape (from the spec) decides which properties an answer has, in which order and of
//! which type. Values come from the emulator's state where it has them ([`Data`]), else from
//! the spec's example of the whole answer (`responseExample`), else from the spec's example
//! for that property, else a neutral value of the right type (empty text,
//! zero, `false`, an empty list). So every operation in the registry answers with a body its
//! generated response type decodes, hand-written behaviour or not.
//!
//! The shape and the examples are the same for every call of an operation, so they are
//! resolved once, the first time the operation is answered, into an [`Answer`]: a tree that
//! mirrors the shape and holds, at each node, the text the node is written as when the state
//! says nothing about it, in JSON and in XML. A call walks only the nodes its data reaches,
//! copies the prepared text of the others, and writes straight into the body: no JSON is
//! parsed and no intermediate tree is built per call.

use std::borrow::Cow;
use std::fmt::Write as _;

use dds_api::operation::{OperationMeta, ShapeMeta};
use serde_json::Value;

use crate::render::{
    Format, XML_DECLARATION, close_tag, escape_xml_text, open_tag, write_json_string,
};

/// What the emulator's state says about an answer, under wire names: the values a call fills
/// into its operation's shape. A value of another type than the shape's is converted where
/// the gateway would (an integer in text, text for a number) and otherwise ignored, as if
/// absent.
///
/// Lists and objects borrow their items where they can (an operation builds them on its
/// stack), so that a call allocates little.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Data<'a> {
    Text(Cow<'a, str>),
    Integer(i64),
    List(Cow<'a, [Data<'a>]>),
    /// Properties by wire name; the shape decides their order in the answer.
    Object(Cow<'a, [(&'static str, Data<'a>)]>),
}

impl<'a> Data<'a> {
    pub(crate) fn text(text: impl Into<Cow<'a, str>>) -> Self {
        Data::Text(text.into())
    }

    pub(crate) fn list(items: impl Into<Cow<'a, [Data<'a>]>>) -> Self {
        Data::List(items.into())
    }

    pub(crate) fn object(properties: impl Into<Cow<'a, [(&'static str, Data<'a>)]>>) -> Self {
        Data::Object(properties.into())
    }

    /// The property `name` of an object. When an object names a property twice, the last
    /// value counts, as in a JSON object.
    fn get(&self, name: &str) -> Option<&Data<'a>> {
        match self {
            // A plain scan: objects are small, and most names differ in length or, when they
            // do not, in their last letter (checked before comparing the whole names).
            Data::Object(properties) => properties
                .iter()
                .rev()
                .find(|(property, _)| {
                    property.len() == name.len()
                        && property.as_bytes().last() == name.as_bytes().last()
                        && *property == name
                })
                .map(|(_, value)| value),
            _ => None,
        }
    }
}

/// An operation's answer, prepared from its shape and examples.
#[derive(Debug)]
pub(crate) struct Answer {
    root: Prepared,
    /// `{Action}Response`, the root element of XML answers.
    root_name: String,
}

/// One value of the shape, resolved against the example that applies at its place.
#[derive(Debug)]
struct Prepared {
    kind: Kind,
    /// The value as JSON when the data says nothing about it.
    json: Box<str>,
    /// The same as XML: the element named after the property holding the value (one per
    /// item for a list).
    xml: Box<str>,
}

#[derive(Debug)]
enum Kind {
    Object(Vec<Property>),
    /// A list. `item` is how the data's items are filled: without the example's values, which
    /// belong to the example's own items.
    Array {
        item: Box<Prepared>,
    },
    String,
    Integer,
    Number,
    Boolean,
}

#[derive(Debug)]
struct Property {
    name: &'static str,
    /// `"Name":` and the value as JSON when the data says nothing about it: the whole
    /// property in one copy.
    json_entry: Box<str>,
    /// The length of `"Name":`.
    json_key_len: usize,
    value: Prepared,
}

impl Property {
    fn new(name: &'static str, value: Prepared) -> Self {
        let mut json_entry = String::with_capacity(name.len() + 3 + value.json.len());
        write_json_string(&mut json_entry, name);
        json_entry.push(':');
        let json_key_len = json_entry.len();
        json_entry.push_str(&value.json);
        Self {
            name,
            json_entry: json_entry.into(),
            json_key_len,
            value,
        }
    }

    /// `"Name":`.
    fn json_key(&self) -> &str {
        &self.json_entry[..self.json_key_len]
    }
}

impl Answer {
    /// Resolves `operation`'s response shape against its documented example.
    pub(crate) fn prepare(operation: &OperationMeta) -> Self {
        // The generator wrote the example from valid JSON; a hand-built `OperationMeta` with
        // bad text just has none.
        let example = operation
            .response_example
            .and_then(|text| serde_json::from_str::<Value>(text).ok());
        let root_name = format!("{}Response", operation.action);
        let root = match operation.response {
            ShapeMeta::Object(properties) => {
                let mut properties = prepare_properties(properties, example.as_ref());
                // Every answer carries `RequestId`, even when a spec's shape forgot it.
                if !properties.iter().any(|p| p.name == "RequestId") {
                    let request_id = prepare(&REQUEST_ID, None, "RequestId");
                    properties.insert(0, Property::new("RequestId", request_id));
                }
                object(properties, &root_name)
            }
            shape => prepare(shape, example.as_ref(), &root_name),
        };
        Self { root, root_name }
    }

    /// Writes the answer for `data` in `format`.
    pub(crate) fn render(&self, format: Format, data: &Data<'_>) -> String {
        let mut out = String::with_capacity(match format {
            Format::Json => self.root.json.len() + 256,
            Format::Xml => XML_DECLARATION.len() + self.root.xml.len() + 512,
        });
        match format {
            Format::Json => write_json(&mut out, &self.root, Some(data)),
            Format::Xml => {
                out.push_str(XML_DECLARATION);
                write_xml(&mut out, &self.root, &self.root_name, Some(data));
            }
        }
        out
    }
}

static REQUEST_ID: ShapeMeta = ShapeMeta::String { enum_values: &[] };

/// Resolves `shape` against `example`; `name` is the XML element the value is written as.
fn prepare(shape: &ShapeMeta, example: Option<&Value>, name: &str) -> Prepared {
    match shape {
        ShapeMeta::Object(properties) => object(prepare_properties(properties, example), name),
        ShapeMeta::Array(item) => {
            let items: Vec<Prepared> = example
                .and_then(Value::as_array)
                .map(|items| items.iter().map(|i| prepare(item, Some(i), name)).collect())
                .unwrap_or_default();
            let json = format!(
                "[{}]",
                items.iter().map(|i| &*i.json).collect::<Vec<_>>().join(",")
            );
            let xml: String = items.iter().map(|i| &*i.xml).collect();
            Prepared {
                kind: Kind::Array {
                    item: Box::new(prepare(item, None, name)),
                },
                json: json.into(),
                xml: xml.into(),
            }
        }
        ShapeMeta::String { .. } => scalar(
            Kind::String,
            &example.and_then(example_text).unwrap_or_default(),
            name,
        ),
        ShapeMeta::Integer => scalar(
            Kind::Integer,
            &example
                .and_then(example_integer)
                .unwrap_or_else(|| 0.to_string()),
            name,
        ),
        ShapeMeta::Number => scalar(
            Kind::Number,
            &example
                .and_then(example_number)
                .unwrap_or_else(|| 0.to_string()),
            name,
        ),
        ShapeMeta::Boolean => scalar(
            Kind::Boolean,
            &example
                .and_then(example_boolean)
                .unwrap_or(false)
                .to_string(),
            name,
        ),
    }
}

fn prepare_properties(
    properties: &'static [dds_api::operation::PropertyMeta],
    example: Option<&Value>,
) -> Vec<Property> {
    let example = example.and_then(Value::as_object);
    properties
        .iter()
        .map(|property| {
            // An example of the enclosing value (a whole list item, say) wins over the
            // property's own: its values belong together.
            let own_example = property.example.map(|text| {
                serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
            });
            let example = example
                .and_then(|e| e.get(property.name))
                .or(own_example.as_ref());
            Property::new(
                property.name,
                prepare(property.shape, example, property.name),
            )
        })
        .collect()
}

fn object(properties: Vec<Property>, name: &str) -> Prepared {
    let mut json = String::from("{");
    let mut xml = String::new();
    open_tag(&mut xml, name);
    for (i, property) in properties.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&property.json_entry);
        xml.push_str(&property.value.xml);
    }
    json.push('}');
    close_tag(&mut xml, name);
    Prepared {
        kind: Kind::Object(properties),
        json: json.into(),
        xml: xml.into(),
    }
}

/// A scalar whose value without data is `text` (unescaped).
fn scalar(kind: Kind, text: &str, name: &str) -> Prepared {
    let mut json = String::new();
    let mut xml = String::new();
    write_given_json(&mut json, &kind, &Given::Text(text));
    write_given_xml(&mut xml, &kind, name, &Given::Text(text));
    Prepared {
        kind,
        json: json.into(),
        xml: xml.into(),
    }
}

// What an example value says, per type of the shape. An example of another type than the
// shape's says nothing.

fn example_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn example_integer(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        Value::String(s) => integer_in_text(s),
        _ => None,
    }
}

fn example_number(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => number_in_text(s),
        _ => None,
    }
}

fn example_boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) => boolean_in_text(s),
        _ => None,
    }
}

fn integer_in_text(text: &str) -> Option<String> {
    text.trim().parse::<i64>().ok().map(|n| n.to_string())
}

fn number_in_text(text: &str) -> Option<String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .map(|n| n.to_string())
}

fn boolean_in_text(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// What `data` says for a scalar of `kind`; `None` when it says nothing of that type.
fn given<'d>(kind: &Kind, data: &'d Data<'_>) -> Option<Given<'d>> {
    match (kind, data) {
        (Kind::String, Data::Text(text)) => Some(Given::Text(text)),
        (Kind::String | Kind::Integer | Kind::Number, Data::Integer(n)) => Some(Given::Integer(*n)),
        (Kind::Integer, Data::Text(text)) => integer_in_text(text).map(Given::Owned),
        (Kind::Number, Data::Text(text)) => number_in_text(text).map(Given::Owned),
        (Kind::Boolean, Data::Text(text)) => {
            boolean_in_text(text).map(|b| Given::Text(if b { "true" } else { "false" }))
        }
        _ => None,
    }
}

/// A scalar's value from the data, unescaped.
enum Given<'d> {
    Text(&'d str),
    Owned(String),
    /// Written as its digits, without a text in between.
    Integer(i64),
}

impl Given<'_> {
    fn write(&self, out: &mut String) {
        match self {
            Given::Text(text) => out.push_str(text),
            Given::Owned(text) => out.push_str(text),
            Given::Integer(n) => {
                // Writing into a `String` cannot fail.
                let _ = write!(out, "{n}");
            }
        }
    }
}

fn write_given_json(out: &mut String, kind: &Kind, given: &Given<'_>) {
    match (kind, given) {
        (Kind::String, Given::Text(text)) => write_json_string(out, text),
        (Kind::String, Given::Owned(text)) => write_json_string(out, text),
        // Digits and a minus sign need no escaping.
        (Kind::String, Given::Integer(_)) => {
            out.push('"');
            given.write(out);
            out.push('"');
        }
        _ => given.write(out),
    }
}

fn write_given_xml(out: &mut String, kind: &Kind, name: &str, given: &Given<'_>) {
    open_tag(out, name);
    match (kind, given) {
        (Kind::String, Given::Text(text)) => escape_xml_text(out, text),
        (Kind::String, Given::Owned(text)) => escape_xml_text(out, text),
        _ => given.write(out),
    }
    close_tag(out, name);
}

fn write_json(out: &mut String, node: &Prepared, data: Option<&Data<'_>>) {
    let Some(data) = data else {
        out.push_str(&node.json);
        return;
    };
    match (&node.kind, data) {
        (Kind::Object(properties), Data::Object(_)) => {
            out.push('{');
            for (i, property) in properties.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                match data.get(property.name) {
                    None => out.push_str(&property.json_entry),
                    Some(data) => {
                        out.push_str(property.json_key());
                        write_json(out, &property.value, Some(data));
                    }
                }
            }
            out.push('}');
        }
        (Kind::Array { item }, Data::List(items)) => {
            out.push('[');
            for (i, data) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(out, item, Some(data));
            }
            out.push(']');
        }
        (kind, data) => match given(kind, data) {
            Some(value) => write_given_json(out, kind, &value),
            None => out.push_str(&node.json),
        },
    }
}

/// Writes `<name>value</name>`. A list writes one element per item, all named `name`, the
/// way the gateway renders `DBInstances.DBInstance[]` as repeated `<DBInstance>` elements.
fn write_xml(out: &mut String, node: &Prepared, name: &str, data: Option<&Data<'_>>) {
    let Some(data) = data else {
        out.push_str(&node.xml);
        return;
    };
    match (&node.kind, data) {
        (Kind::Object(properties), Data::Object(_)) => {
            open_tag(out, name);
            for property in properties {
                write_xml(out, &property.value, property.name, data.get(property.name));
            }
            close_tag(out, name);
        }
        (Kind::Array { item }, Data::List(items)) => {
            for data in items.iter() {
                write_xml(out, item, name, Some(data));
            }
        }
        (kind, data) => match given(kind, data) {
            Some(value) => write_given_xml(out, kind, name, &value),
            None => out.push_str(&node.xml),
        },
    }
}

/// `data` as a JSON value, the way the emulator gave its state before answers were
/// prepared: what the reference in the tests fills the shape from.
#[cfg(test)]
pub(crate) fn to_value(data: &Data<'_>) -> Value {
    match data {
        Data::Text(text) => Value::String(text.to_string()),
        Data::Integer(n) => Value::from(*n),
        Data::List(items) => Value::Array(items.iter().map(to_value).collect()),
        Data::Object(properties) => Value::Object(
            properties
                .iter()
                .map(|(name, value)| ((*name).to_owned(), to_value(value)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dds_api::operation::{HttpMethod, OperationKind, OperationMeta, PropertyMeta, WireParams};

    static STRING: ShapeMeta = ShapeMeta::String { enum_values: &[] };
    static INTEGER: ShapeMeta = ShapeMeta::Integer;
    static BOOLEAN: ShapeMeta = ShapeMeta::Boolean;
    static ITEM: ShapeMeta = ShapeMeta::Object(&[
        PropertyMeta {
            name: "Id",
            shape: &STRING,
            example: None,
        },
        PropertyMeta {
            name: "Port",
            shape: &INTEGER,
            example: Some("3717"),
        },
    ]);
    static ITEMS: ShapeMeta = ShapeMeta::Array(&ITEM);
    static RESPONSE: ShapeMeta = ShapeMeta::Object(&[
        PropertyMeta {
            name: "RequestId",
            shape: &STRING,
            example: Some("\"6D806B11-078F-4154-BF9F-844F56D08964\""),
        },
        PropertyMeta {
            name: "Items",
            shape: &ITEMS,
            example: None,
        },
        PropertyMeta {
            name: "Enabled",
            shape: &BOOLEAN,
            example: None,
        },
        PropertyMeta {
            name: "Note",
            shape: &STRING,
            example: Some("\"from the spec\""),
        },
    ]);
    // Without `RequestId`: the answer gets one first.
    static BARE: ShapeMeta = ShapeMeta::Object(&[PropertyMeta {
        name: "DBInstances",
        shape: &INSTANCES,
        example: None,
    }]);
    static INSTANCES: ShapeMeta = ShapeMeta::Object(&[PropertyMeta {
        name: "DBInstance",
        shape: &INSTANCE_LIST,
        example: None,
    }]);
    static INSTANCE_LIST: ShapeMeta = ShapeMeta::Array(&INSTANCE);
    // A name twice in one shape: both are written, with the same data.
    static TWICE: ShapeMeta = ShapeMeta::Object(&[
        PropertyMeta {
            name: "Port",
            shape: &STRING,
            example: None,
        },
        PropertyMeta {
            name: "Id",
            shape: &INTEGER,
            example: None,
        },
        PropertyMeta {
            name: "Port",
            shape: &INTEGER,
            example: Some("1"),
        },
    ]);
    static INSTANCE: ShapeMeta = ShapeMeta::Object(&[
        PropertyMeta {
            name: "DBInstanceId",
            shape: &STRING,
            example: None,
        },
        PropertyMeta {
            name: "DBInstanceStorage",
            shape: &INTEGER,
            example: None,
        },
    ]);

    fn operation(
        action: &'static str,
        response: &'static ShapeMeta,
        response_example: Option<&'static str>,
    ) -> OperationMeta {
        OperationMeta {
            action,
            rust_name: action,
            cli_name: action,
            summary: "",
            description: "",
            methods: &[HttpMethod::Post],
            kind: OperationKind::Read,
            parameters: &[],
            response,
            errors: &[],
            check_wire: |_| Ok(()),
            reencode_wire: |params: &WireParams| Ok(params.clone().into_iter().collect()),
            response_example,
            decode_response: |_| Ok(()),
        }
    }

    fn object(properties: Vec<(&'static str, Data<'static>)>) -> Data<'static> {
        Data::object(properties)
    }

    #[test]
    fn data_fills_the_shape_in_spec_order_and_examples_fill_the_gaps() {
        let answer = Answer::prepare(&operation("Op", &RESPONSE, None));
        let data = object(vec![
            ("Enabled", Data::text("TRUE")),
            ("RequestId", Data::text("REQ")),
            (
                "Items",
                Data::list(vec![
                    object(vec![("Id", Data::text("a")), ("Port", Data::text("27017"))]),
                    object(vec![("Id", Data::text("b"))]),
                ]),
            ),
            ("NotInShape", Data::Integer(1)),
        ]);
        assert_eq!(
            answer.render(Format::Json, &data),
            r#"{"RequestId":"REQ","Items":[{"Id":"a","Port":27017},{"Id":"b","Port":3717}],"Enabled":true,"Note":"from the spec"}"#
        );
    }

    #[test]
    fn without_data_or_examples_values_are_neutral_of_the_right_type() {
        let answer = Answer::prepare(&operation("Op", &RESPONSE, None));
        let data = object(vec![("RequestId", Data::text("REQ"))]);
        assert_eq!(
            answer.render(Format::Json, &data),
            r#"{"RequestId":"REQ","Items":[],"Enabled":false,"Note":"from the spec"}"#
        );
        assert_eq!(
            answer.render(Format::Xml, &data),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><OpResponse><RequestId>REQ</RequestId>\
             <Enabled>false</Enabled><Note>from the spec</Note></OpResponse>"
        );
    }

    fn sample() -> Data<'static> {
        object(vec![
            ("RequestId", Data::text("A-1")),
            (
                "DBInstances",
                object(vec![(
                    "DBInstance",
                    Data::list(vec![
                        object(vec![
                            ("DBInstanceId", Data::text("dds-1")),
                            ("DBInstanceStorage", Data::Integer(20)),
                        ]),
                        object(vec![("DBInstanceId", Data::text("a<b & \"c\"\u{1}"))]),
                    ]),
                )]),
            ),
        ])
    }

    #[test]
    fn json_keeps_property_order_and_number_text() {
        let answer = Answer::prepare(&operation("Op", &BARE, None));
        assert_eq!(
            answer.render(Format::Json, &sample()),
            r#"{"RequestId":"A-1","DBInstances":{"DBInstance":[{"DBInstanceId":"dds-1","DBInstanceStorage":20},{"DBInstanceId":"a<b & \"c\"\u0001","DBInstanceStorage":0}]}}"#
        );
    }

    #[test]
    fn xml_repeats_list_elements_under_the_action_root_and_escapes_text() {
        let answer = Answer::prepare(&operation("DescribeDBInstanceAttribute", &BARE, None));
        assert_eq!(
            answer.render(Format::Xml, &sample()),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DescribeDBInstanceAttributeResponse>\
             <RequestId>A-1</RequestId><DBInstances>\
             <DBInstance><DBInstanceId>dds-1</DBInstanceId><DBInstanceStorage>20</DBInstanceStorage></DBInstance>\
             <DBInstance><DBInstanceId>a&lt;b &amp; &quot;c&quot;\u{FFFD}</DBInstanceId><DBInstanceStorage>0</DBInstanceStorage></DBInstance>\
             </DBInstances></DescribeDBInstanceAttributeResponse>"
        );
    }

    /// The answers as the emulator built them before answers were prepared: the shape,
    /// the data and the example merged into a tree per call, then rendered. Kept as the
    /// reference the prepared answers must match byte for byte.
    mod reference {
        use std::fmt::Write as _;

        use dds_api::operation::{PropertyMeta, ShapeMeta};
        use serde_json::Value;

        use crate::render::{Format, escape_xml_text};

        #[derive(Debug, Clone, PartialEq)]
        pub(super) enum Node {
            Bool(bool),
            Number(String),
            String(String),
            List(Vec<Node>),
            Object(Vec<(String, Node)>),
        }

        pub(super) fn answer(
            operation: &dds_api::operation::OperationMeta,
            data: &Value,
            request_id: &str,
            format: Format,
        ) -> String {
            let example = operation
                .response_example
                .and_then(|text| serde_json::from_str::<Value>(text).ok());
            let node = match fill(operation.response, Some(data), example.as_ref()) {
                Node::Object(mut props) => {
                    if !props.iter().any(|(name, _)| name == "RequestId") {
                        props.insert(
                            0,
                            (
                                String::from("RequestId"),
                                Node::String(request_id.to_owned()),
                            ),
                        );
                    }
                    Node::Object(props)
                }
                other => other,
            };
            let root = format!("{}Response", operation.action);
            match format {
                Format::Json => {
                    let mut out = String::new();
                    write_json(&mut out, &node);
                    out
                }
                Format::Xml => {
                    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
                    write_xml_element(&mut out, &root, &node);
                    out
                }
            }
        }

        fn fill(shape: &ShapeMeta, data: Option<&Value>, example: Option<&Value>) -> Node {
            match shape {
                ShapeMeta::Object(properties) => fill_object(properties, data, example),
                ShapeMeta::Array(item) => {
                    let items = data
                        .and_then(Value::as_array)
                        .map(|items| items.iter().map(|i| fill(item, Some(i), None)).collect())
                        .or_else(|| {
                            example.and_then(Value::as_array).map(|items| {
                                items.iter().map(|i| fill(item, None, Some(i))).collect()
                            })
                        });
                    Node::List(items.unwrap_or_default())
                }
                ShapeMeta::String { .. } => {
                    let text = |v: &Value| match v {
                        Value::String(s) => Some(s.clone()),
                        Value::Number(n) => Some(n.to_string()),
                        Value::Bool(b) => Some(b.to_string()),
                        _ => None,
                    };
                    Node::String(
                        data.and_then(text)
                            .or_else(|| example.and_then(text))
                            .unwrap_or_default(),
                    )
                }
                ShapeMeta::Integer => {
                    let integer = |v: &Value| match v {
                        Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
                        Value::String(s) => s.trim().parse::<i64>().ok().map(|n| n.to_string()),
                        _ => None,
                    };
                    Node::Number(
                        data.and_then(integer)
                            .or_else(|| example.and_then(integer))
                            .unwrap_or_else(|| String::from("0")),
                    )
                }
                ShapeMeta::Number => {
                    let number = |v: &Value| match v {
                        Value::Number(n) => Some(n.to_string()),
                        Value::String(s) => s
                            .trim()
                            .parse::<f64>()
                            .ok()
                            .filter(|n| n.is_finite())
                            .map(|n| n.to_string()),
                        _ => None,
                    };
                    Node::Number(
                        data.and_then(number)
                            .or_else(|| example.and_then(number))
                            .unwrap_or_else(|| String::from("0")),
                    )
                }
                ShapeMeta::Boolean => {
                    let boolean = |v: &Value| match v {
                        Value::Bool(b) => Some(*b),
                        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
                        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
                        _ => None,
                    };
                    Node::Bool(
                        data.and_then(boolean)
                            .or_else(|| example.and_then(boolean))
                            .unwrap_or(false),
                    )
                }
            }
        }

        fn fill_object(
            properties: &[PropertyMeta],
            data: Option<&Value>,
            example: Option<&Value>,
        ) -> Node {
            let data = data.and_then(Value::as_object);
            let example = example.and_then(Value::as_object);
            Node::Object(
                properties
                    .iter()
                    .map(|property| {
                        let own_example = property.example.map(|text| {
                            serde_json::from_str(text)
                                .unwrap_or_else(|_| Value::String(text.to_owned()))
                        });
                        let example = example
                            .and_then(|e| e.get(property.name))
                            .or(own_example.as_ref());
                        let data = data.and_then(|d| d.get(property.name));
                        (
                            property.name.to_owned(),
                            fill(property.shape, data, example),
                        )
                    })
                    .collect(),
            )
        }

        fn write_json(out: &mut String, node: &Node) {
            match node {
                Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                Node::Number(n) => out.push_str(n),
                // serde_json's own escaping, as the emulator used it.
                Node::String(s) => out.push_str(&serde_json::to_string(s).unwrap()),
                Node::List(items) => {
                    out.push('[');
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        write_json(out, item);
                    }
                    out.push(']');
                }
                Node::Object(props) => {
                    out.push('{');
                    for (i, (name, value)) in props.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        out.push_str(&serde_json::to_string(name).unwrap());
                        out.push(':');
                        write_json(out, value);
                    }
                    out.push('}');
                }
            }
        }

        fn write_xml_element(out: &mut String, name: &str, node: &Node) {
            match node {
                Node::List(items) => {
                    for item in items {
                        write_xml_element(out, name, item);
                    }
                }
                Node::Object(props) => {
                    let _ = write!(out, "<{name}>");
                    for (child, value) in props {
                        write_xml_element(out, child, value);
                    }
                    let _ = write!(out, "</{name}>");
                }
                Node::Bool(b) => {
                    let _ = write!(out, "<{name}>{b}</{name}>");
                }
                Node::Number(n) => {
                    let _ = write!(out, "<{name}>{n}</{name}>");
                }
                Node::String(s) => {
                    let _ = write!(out, "<{name}>");
                    escape_xml_text(out, s);
                    let _ = write!(out, "</{name}>");
                }
            }
        }
    }

    /// Data for `shape` that varies with `seed`: values of the shape's type, of other
    /// types, convertible text and not, text that needs escaping, missing properties,
    /// properties the shape does not know, lists of zero to two items.
    fn varied(shape: &ShapeMeta, seed: &mut u64) -> Data<'static> {
        *seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let pick = (*seed >> 33) % 4;
        match (shape, pick) {
            (ShapeMeta::Object(properties), 0..=2) => {
                let mut fields = Vec::new();
                for property in *properties {
                    *seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    if !(*seed >> 40).is_multiple_of(3) {
                        fields.push((property.name, varied(property.shape, seed)));
                    }
                }
                if pick == 2 {
                    fields.push(("NotInTheShape", Data::text("ignored")));
                }
                // A name given twice: the last value counts.
                if let (1, Some(first)) = (pick, properties.first()) {
                    fields.push((first.name, Data::text("7")));
                }
                Data::object(fields)
            }
            (ShapeMeta::Array(item), 0..=2) => {
                Data::list((0..pick).map(|_| varied(item, seed)).collect::<Vec<_>>())
            }
            (ShapeMeta::Object(_) | ShapeMeta::Array(_), _) => Data::text("not a container"),
            (ShapeMeta::String { .. }, 0) => Data::text("a\"b\\c\n\u{1}<&>'é\u{FFFF}"),
            (ShapeMeta::String { .. }, 1) => Data::Integer(-5),
            (ShapeMeta::Integer, 0) => Data::text(" 42 "),
            (ShapeMeta::Integer, 1) => Data::text("+007"),
            (ShapeMeta::Integer, 2) => Data::text("4.5"),
            (ShapeMeta::Number, 0) => Data::text("1.50"),
            (ShapeMeta::Number, 1) => Data::text("1e400"),
            (ShapeMeta::Number, 2) => Data::Integer(3),
            (ShapeMeta::Boolean, 0) => Data::text("TRUE"),
            (ShapeMeta::Boolean, 1) => Data::text("no"),
            (ShapeMeta::Boolean, 2) => Data::Integer(1),
            (_, 2) => Data::Integer(i64::MIN),
            _ => Data::list(vec![Data::text("a list")]),
        }
    }

    #[test]
    fn prepared_answers_match_the_reference_for_every_operation_and_varied_data() {
        let operations: Vec<OperationMeta> = vec![
            operation("Op", &RESPONSE, None),
            operation(
                "Bare",
                &BARE,
                Some(r#"{"DBInstances":{"DBInstance":[{"DBInstanceId":"x"}]}}"#),
            ),
            operation("List", &ITEMS, Some("[{\"Id\": \"e\"}]")),
            operation("Text", &STRING, Some("\"t\"")),
            operation("Twice", &TWICE, None),
            operation("BadExample", &RESPONSE, Some("{not json")),
        ];
        let registry: Vec<&OperationMeta> = dds_api::operations::OPERATIONS.to_vec();
        let mut seed = 7;
        let mut compared = 0;
        for format in [Format::Json, Format::Xml] {
            for meta in registry.iter().copied().chain(operations.iter()) {
                let answer = Answer::prepare(meta);
                for round in 0..12 {
                    let request_id = format!("REQ-{round}");
                    let mut data = match round {
                        0 => Data::object(Vec::new()),
                        _ => varied(meta.response, &mut seed),
                    };
                    // As `ops::run` does: the request id is always given, as text.
                    match &mut data {
                        Data::Object(properties) => {
                            let properties = properties.to_mut();
                            properties.retain(|(name, _)| *name != "RequestId");
                            properties.push(("RequestId", Data::text(request_id.clone())));
                        }
                        _ => {
                            data = Data::object(vec![("RequestId", Data::text(request_id.clone()))])
                        }
                    }
                    let expected = reference::answer(meta, &to_value(&data), &request_id, format);
                    assert_eq!(
                        answer.render(format, &data),
                        expected,
                        "{} {format:?} {data:?}",
                        meta.action
                    );
                    compared += 1;
                }
            }
        }
        assert!(compared > 2 * 12 * 100, "{compared}");
    }
}
