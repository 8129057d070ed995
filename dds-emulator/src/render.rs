//! Response bodies in the two formats the gateway speaks, JSON and XML.
//!
//! Answers are built as a [`Node`] tree that keeps property order (the order of the spec), and
//! rendered at the end in the format the request asked for.

use std::fmt::Write as _;

/// The format of a response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Xml,
}

impl Format {
    pub(crate) fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json;charset=utf-8",
            Format::Xml => "text/xml;charset=utf-8",
        }
    }
}

/// A response value. Objects keep their property order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Bool(bool),
    /// A number, kept as its JSON text so integers of any size survive unchanged.
    Number(String),
    String(String),
    List(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl Node {
    pub(crate) fn string(text: impl Into<String>) -> Self {
        Node::String(text.into())
    }
}

/// Renders `body` as the answer to `root` (`{Action}Response` or `Error` in XML; the name is
/// not written in JSON).
pub(crate) fn render(format: Format, root: &str, body: &Node) -> String {
    match format {
        Format::Json => {
            let mut out = String::new();
            write_json(&mut out, body);
            out
        }
        Format::Xml => {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
            write_xml_element(&mut out, root, body);
            out
        }
    }
}

fn write_json(out: &mut String, node: &Node) {
    match node {
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Number(n) => out.push_str(n),
        Node::String(s) => write_json_string(out, s),
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
                write_json_string(out, name);
                out.push(':');
                write_json(out, value);
            }
            out.push('}');
        }
    }
}

fn write_json_string(out: &mut String, text: &str) {
    // serde_json's string escaping is the reference; a `String` never fails to serialize.
    out.push_str(&serde_json::to_string(text).unwrap_or_else(|_| String::from("\"\"")));
}

/// Writes `<name>value</name>`. A list writes one element per item, all named `name`, the
/// way the gateway renders `DBInstances.DBInstance[]` as repeated `<DBInstance>` elements.
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

/// Escapes text for an XML element. Characters XML 1.0 cannot carry at all (control
/// characters other than tab, newline and carriage return) become U+FFFD.
fn escape_xml_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Node {
        Node::Object(vec![
            ("RequestId".into(), Node::string("A-1")),
            (
                "DBInstances".into(),
                Node::Object(vec![(
                    "DBInstance".into(),
                    Node::List(vec![
                        Node::Object(vec![
                            ("DBInstanceId".into(), Node::string("dds-1")),
                            ("DBInstanceStorage".into(), Node::Number("20".into())),
                        ]),
                        Node::Object(vec![("DBInstanceId".into(), Node::string("dds-2"))]),
                    ]),
                )]),
            ),
            ("Note".into(), Node::string("a<b & \"c\"\u{1}")),
        ])
    }

    #[test]
    fn json_keeps_property_order_and_number_text() {
        assert_eq!(
            render(Format::Json, "X", &sample()),
            r#"{"RequestId":"A-1","DBInstances":{"DBInstance":[{"DBInstanceId":"dds-1","DBInstanceStorage":20},{"DBInstanceId":"dds-2"}]},"Note":"a<b & \"c\"\u0001"}"#
        );
    }

    #[test]
    fn xml_repeats_list_elements_under_the_action_root_and_escapes_text() {
        assert_eq!(
            render(
                Format::Xml,
                "DescribeDBInstanceAttributeResponse",
                &sample()
            ),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DescribeDBInstanceAttributeResponse>\
             <RequestId>A-1</RequestId><DBInstances>\
             <DBInstance><DBInstanceId>dds-1</DBInstanceId><DBInstanceStorage>20</DBInstanceStorage></DBInstance>\
             <DBInstance><DBInstanceId>dds-2</DBInstanceId></DBInstance>\
             </DBInstances><Note>a&lt;b &amp; &quot;c&quot;\u{FFFD}</Note>\
             </DescribeDBInstanceAttributeResponse>"
        );
    }
}
