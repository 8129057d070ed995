//! Answers built from an operation's response shape.
//!
//! The shape (from the spec) decides which properties an answer has, in which order and of
//! which type. Values come from the emulator's state where it has them (`data`), else from
//! the spec's example of the whole answer (`responseExample`), else from the spec's example
//! for that property, else a neutral value of the right type (empty text,
//! zero, `false`, an empty list). So every operation in the registry answers with a body its
//! generated response type decodes, hand-written behaviour or not.

use dds_api::operation::{PropertyMeta, ShapeMeta};
use serde_json::Value;

use crate::render::Node;

/// Builds the answer for `shape` from `data`, a JSON value with wire names, filling what
/// `data` lacks from `example` (the operation's documented answer, when it has one).
pub(crate) fn build(shape: &ShapeMeta, data: &Value, example: Option<&Value>) -> Node {
    fill(shape, Some(data), example)
}

fn fill(shape: &ShapeMeta, data: Option<&Value>, example: Option<&Value>) -> Node {
    match shape {
        ShapeMeta::Object(properties) => fill_object(properties, data, example),
        ShapeMeta::Array(item) => {
            let items = data
                .and_then(Value::as_array)
                .map(|items| items.iter().map(|i| fill(item, Some(i), None)).collect())
                .or_else(|| {
                    example
                        .and_then(Value::as_array)
                        .map(|items| items.iter().map(|i| fill(item, None, Some(i))).collect())
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

fn fill_object(properties: &[PropertyMeta], data: Option<&Value>, example: Option<&Value>) -> Node {
    let data = data.and_then(Value::as_object);
    let example = example.and_then(Value::as_object);
    Node::Object(
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
                let data = data.and_then(|d| d.get(property.name));
                (
                    property.name.to_owned(),
                    fill(property.shape, data, example),
                )
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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

    #[test]
    fn data_fills_the_shape_in_spec_order_and_examples_fill_the_gaps() {
        let data = json!({
            "Enabled": "TRUE",
            "RequestId": "REQ",
            "Items": [{"Id": "a", "Port": "27017"}, {"Id": "b"}],
            "NotInShape": 1
        });
        assert_eq!(
            build(&RESPONSE, &data, None),
            Node::Object(vec![
                ("RequestId".into(), Node::string("REQ")),
                (
                    "Items".into(),
                    Node::List(vec![
                        Node::Object(vec![
                            ("Id".into(), Node::string("a")),
                            ("Port".into(), Node::Number("27017".into())),
                        ]),
                        Node::Object(vec![
                            ("Id".into(), Node::string("b")),
                            ("Port".into(), Node::Number("3717".into())),
                        ]),
                    ])
                ),
                ("Enabled".into(), Node::Bool(true)),
                ("Note".into(), Node::string("from the spec")),
            ])
        );
    }

    #[test]
    fn without_data_or_examples_values_are_neutral_of_the_right_type() {
        let built = build(&ITEM, &json!({}), None);
        assert_eq!(
            built,
            Node::Object(vec![
                ("Id".into(), Node::string("")),
                ("Port".into(), Node::Number("3717".into())),
            ])
        );
        assert_eq!(build(&ITEMS, &json!(null), None), Node::List(vec![]));
    }
}
