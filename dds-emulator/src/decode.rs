//! Decoding the wire encoding of parameters: `application/x-www-form-urlencoded` text, as
//! found in a query string and in a form body.
//!
//! Clients encode differently (a space as `+` or `%20`, `*` raw or `%2A`), so the gateway
//! decodes first and re-encodes for the signature check. Decoding is strict: a broken `%`
//! escape or bytes that are not UTF-8 are refused with the parameter they occur in, never
//! replaced silently.

use crate::error::ApiError;

/// Decodes `key=value&key=value` pairs. A pair without `=` has an empty value; empty pairs
/// (`a=1&&b=2`) are skipped.
pub(crate) fn decode_pairs(text: &str) -> Result<Vec<(String, String)>, ApiError> {
    let mut pairs = Vec::new();
    for pair in text.split('&').filter(|pair| !pair.is_empty()) {
        let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode_component(raw_key).ok_or_else(|| {
            ApiError::invalid_parameter(format_args!(
                "the parameter name {raw_key:?} is not valid URL encoding of UTF-8 text"
            ))
        })?;
        if key.is_empty() {
            return Err(ApiError::invalid_parameter("a parameter has an empty name"));
        }
        let value = decode_component(raw_value).ok_or_else(|| {
            ApiError::invalid_parameter(format_args!(
                "the value of {key} is not valid URL encoding of UTF-8 text"
            ))
        })?;
        pairs.push((key, value));
    }
    Ok(pairs)
}

/// Decodes one component: `+` is a space, `%XX` a byte; the bytes must form UTF-8.
fn decode_component(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = hex_value(*bytes.get(i + 1)?)?;
                let lo = hex_value(*bytes.get(i + 2)?)?;
                out.push(hi << 4 | lo);
                i += 2;
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn plus_and_percent_escapes_decode_to_the_same_text() {
        assert_eq!(
            decode_pairs("Name=a+b%20c*%2A&Empty=&Bare&&Uni=%C3%A9").unwrap(),
            pairs(&[
                ("Name", "a b c**"),
                ("Empty", ""),
                ("Bare", ""),
                ("Uni", "é")
            ])
        );
    }

    #[test]
    fn broken_escapes_and_non_utf8_bytes_are_refused_with_the_parameter() {
        let error = decode_pairs("DBInstanceId=%ZZ").unwrap_err();
        assert_eq!(error.code, "InvalidParameter");
        assert!(error.message.contains("DBInstanceId"), "{}", error.message);
        assert!(decode_pairs("A=%C3").is_err());
        assert!(decode_pairs("A=%4").is_err());
        assert!(decode_pairs("%FF=1").is_err());
        assert!(decode_pairs("=1").is_err());
    }
}
