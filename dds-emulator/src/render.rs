//! Response bodies in the two formats the gateway speaks, JSON and XML: the formats, the
//! escaping of text in each, and error bodies. Successful answers are written by
//! [`crate::shape::Answer`] with the same escaping.

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

/// What every XML body starts with.
pub(crate) const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

/// Renders an object of text properties, in order, as the answer to `root` (`Error` for
/// error bodies; the name is not written in JSON).
pub(crate) fn render_text_object(
    format: Format,
    root: &str,
    properties: &[(&str, &str)],
) -> String {
    let mut out = String::with_capacity(256);
    match format {
        Format::Json => {
            out.push('{');
            for (i, (name, value)) in properties.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(&mut out, name);
                out.push(':');
                write_json_string(&mut out, value);
            }
            out.push('}');
        }
        Format::Xml => {
            out.push_str(XML_DECLARATION);
            open_tag(&mut out, root);
            for (name, value) in properties {
                open_tag(&mut out, name);
                escape_xml_text(&mut out, value);
                close_tag(&mut out, name);
            }
            close_tag(&mut out, root);
        }
    }
    out
}

/// Writes `text` as a JSON string, escaped exactly as serde_json escapes it: `"` and `\`,
/// the control characters with a short form as that form, the others as `\u00XX` (lower-case
/// hex); everything else, DEL and non-ASCII included, as is.
pub(crate) fn write_json_string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut rest = text;
    while let Some(i) = rest
        .bytes()
        .position(|b| b < 0x20 || b == b'"' || b == b'\\')
    {
        // The byte at `i` is ASCII, so both slices end on character boundaries.
        out.push_str(&rest[..i]);
        let byte = rest.as_bytes()[i];
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0C => out.push_str("\\f"),
            _ => {
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 0xF)]));
            }
        }
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
    out.push('"');
}

/// Writes `<name>`.
pub(crate) fn open_tag(out: &mut String, name: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
}

/// Writes `</name>`.
pub(crate) fn close_tag(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// Escapes text for an XML element. Characters XML 1.0 cannot carry at all (control
/// characters other than tab, newline and carriage return) become U+FFFD.
pub(crate) fn escape_xml_text(out: &mut String, text: &str) {
    // Most text needs no escaping: copy it whole.
    let plain = |c: char| {
        !matches!(c, '&' | '<' | '>' | '"' | '\'' | '\u{FFFE}' | '\u{FFFF}')
            && (c >= '\u{20}' || matches!(c, '\t' | '\n' | '\r'))
    };
    if text.chars().all(plain) {
        out.push_str(text);
        return;
    }
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

    #[test]
    fn json_strings_are_escaped_as_serde_json_escapes_them() {
        let mut samples: Vec<String> = (0u32..0x100)
            .filter_map(char::from_u32)
            .map(|c| format!("a{c}b"))
            .collect();
        samples.extend(
            [
                "",
                "plain",
                "\"quoted\" \\ back\\slash",
                "\u{1}\u{1f}\u{7f}\u{80}é€😀\u{2028}\u{FFFF}",
                "\n\r\t\u{8}\u{c}",
            ]
            .map(String::from),
        );
        for text in samples {
            let mut out = String::new();
            write_json_string(&mut out, &text);
            assert_eq!(out, serde_json::to_string(&text).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn xml_text_is_escaped_and_characters_xml_cannot_carry_are_replaced() {
        let mut out = String::new();
        escape_xml_text(&mut out, "a<b & \"c\" 'd' >\u{1}\t\n\r\u{FFFE}é");
        assert_eq!(
            out,
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos; &gt;\u{FFFD}\t\n\r\u{FFFD}é"
        );
        let mut out = String::new();
        escape_xml_text(&mut out, "plain text, é");
        assert_eq!(out, "plain text, é");
    }

    #[test]
    fn text_objects_keep_property_order_in_both_formats() {
        let properties = [
            ("RequestId", "A-1"),
            ("Code", "X"),
            ("Message", "a<b \"c\""),
        ];
        assert_eq!(
            render_text_object(Format::Json, "Error", &properties),
            r#"{"RequestId":"A-1","Code":"X","Message":"a<b \"c\""}"#
        );
        assert_eq!(
            render_text_object(Format::Xml, "Error", &properties),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><RequestId>A-1</RequestId>\
             <Code>X</Code><Message>a&lt;b &quot;c&quot;</Message></Error>"
        );
    }
}
