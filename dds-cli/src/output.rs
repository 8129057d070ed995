//! Printing answers: JSON (pretty on a terminal, one line otherwise) or a table.
//!
//! The table form looks for the answer's list (`DBInstances.DBInstance[]`): several items
//! become rows with one column per plain field, a single item becomes `field value` lines,
//! and the answer's other plain fields (`RequestId`, `TotalCount`) follow the table. An
//! answer without a list is printed as `field value` lines, nested fields by dotted path.
//! Nested lists and objects inside a row are summarised (`[3 items]`, `{...}`); the JSON
//! form has them whole.

use serde_json::{Map, Value};

use crate::cli::OutputFormat;

/// Renders an answer for printing, without a trailing newline.
pub fn render(value: &Value, format: OutputFormat, pretty: bool) -> String {
    match format {
        OutputFormat::Json if pretty => {
            serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
        }
        OutputFormat::Json => value.to_string(),
        OutputFormat::Table => table(value),
    }
}

/// The table form of an answer.
pub fn table(value: &Value) -> String {
    let Value::Object(root) = value else {
        return scalar(value);
    };
    match find_list(root) {
        Some((path, items)) => {
            let mut out = if items.len() == 1 {
                let mut lines = Vec::new();
                flatten("", &items[0], &mut lines);
                key_values(&lines)
            } else if items.is_empty() {
                format!("(no {path})")
            } else {
                rows(items)
            };
            let rest: Vec<(String, String)> = root
                .iter()
                .filter(|(_, v)| !v.is_object() && !v.is_array())
                .map(|(k, v)| (k.clone(), scalar(v)))
                .collect();
            if !rest.is_empty() {
                out.push_str("\n\n");
                out.push_str(&key_values(&rest));
            }
            out
        }
        None => {
            let mut lines = Vec::new();
            flatten("", value, &mut lines);
            key_values(&lines)
        }
    }
}

/// The answer's list of objects: the only top-level field that is a list of objects, or
/// that leads to one through objects with a single field (`DBInstances` -> `DBInstance`).
fn find_list(root: &Map<String, Value>) -> Option<(String, &Vec<Value>)> {
    let mut found = None;
    for (name, value) in root {
        let mut path = name.clone();
        let mut current = value;
        while let Value::Object(inner) = current {
            if inner.len() != 1 {
                break;
            }
            let (inner_name, inner_value) = inner.iter().next()?;
            path = format!("{path}.{inner_name}");
            current = inner_value;
        }
        if let Value::Array(items) = current
            && items.iter().all(Value::is_object)
        {
            if found.is_some() {
                // Two lists: no single table tells the answer; use the flat form.
                return None;
            }
            found = Some((path, items));
        }
    }
    found
}

fn rows(items: &[Value]) -> String {
    let mut columns: Vec<&str> = Vec::new();
    for item in items {
        if let Value::Object(fields) = item {
            for name in fields.keys() {
                if !columns.contains(&name.as_str()) {
                    columns.push(name);
                }
            }
        }
    }
    let cells: Vec<Vec<String>> = items
        .iter()
        .map(|item| {
            columns
                .iter()
                .map(|c| item.get(*c).map(summary).unwrap_or_default())
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cells
                .iter()
                .map(|row| row[i].chars().count())
                .chain([c.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |values: Vec<&str>| -> String {
        let padded: Vec<String> = values
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!("{v:<w$}"))
            .collect();
        padded.join("  ").trim_end().to_owned()
    };
    let mut out = vec![line(columns.clone())];
    for row in &cells {
        out.push(line(row.iter().map(String::as_str).collect()));
    }
    out.join("\n")
}

fn key_values(lines: &[(String, String)]) -> String {
    let width = lines
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    lines
        .iter()
        .map(|(k, v)| format!("{k:<width$}  {v}").trim_end().to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    let join = |name: &str| {
        if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}.{name}")
        }
    };
    match value {
        Value::Object(fields) if !fields.is_empty() => {
            for (name, inner) in fields {
                flatten(&join(name), inner, out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (index, inner) in items.iter().enumerate() {
                flatten(&join(&(index + 1).to_string()), inner, out);
            }
        }
        other => out.push((prefix.to_owned(), scalar(other))),
    }
}

fn summary(value: &Value) -> String {
    match value {
        Value::Array(items) if items.len() == 1 => "[1 item]".to_owned(),
        Value::Array(items) => format!("[{} items]", items.len()),
        Value::Object(fields) if fields.is_empty() => "{}".to_owned(),
        Value::Object(_) => "{...}".to_owned(),
        other => scalar(other),
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        Value::Array(items) if items.is_empty() => "[]".to_owned(),
        Value::Object(fields) if fields.is_empty() => "{}".to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_answer_without_a_list_is_printed_as_field_lines() {
        // Fields in alphabetical order, so that the test holds whether or not serde_json
        // keeps insertion order (its `preserve_order` feature, which another crate of the
        // workspace may switch on).
        let answer = json!({"Cert": {"Name": "x"}, "RequestId": "R1", "SSLStatus": "Open"});
        assert_eq!(
            table(&answer),
            "Cert.Name  x\nRequestId  R1\nSSLStatus  Open"
        );
    }

    #[test]
    fn a_list_of_several_items_becomes_rows_and_the_rest_follows() {
        let answer = json!({
            "RequestId": "R2",
            "DBInstances": {"DBInstance": [
                {"DBInstanceId": "dds-1", "DBInstanceStatus": "Running", "Tags": {"Tag": [{"Key": "a"}]}},
                {"DBInstanceId": "dds-22", "DBInstanceStatus": "SSLModifying"}
            ]}
        });
        assert_eq!(
            table(&answer),
            "DBInstanceId  DBInstanceStatus  Tags\n\
             dds-1         Running           {...}\n\
             dds-22        SSLModifying\n\
             \n\
             RequestId  R2"
        );
    }

    #[test]
    fn a_single_item_list_is_printed_as_field_lines() {
        let answer =
            json!({"DBInstances": {"DBInstance": [{"DBInstanceId": "dds-1", "Port": 3717}]}});
        assert_eq!(table(&answer), "DBInstanceId  dds-1\nPort          3717");
    }

    #[test]
    fn json_is_pretty_only_when_asked() {
        let answer = json!({"RequestId": "R3"});
        assert_eq!(
            render(&answer, OutputFormat::Json, false),
            r#"{"RequestId":"R3"}"#
        );
        assert_eq!(
            render(&answer, OutputFormat::Json, true),
            "{\n  \"RequestId\": \"R3\"\n}"
        );
    }
}
