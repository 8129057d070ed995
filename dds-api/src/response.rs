//! Decoding answers: success or failure from the HTTP status first, then the body.
//!
//! A success body is JSON (the client asks for JSON: `Format=JSON` in V1, `accept:
//! application/json` in V3) and must be an object. An error body is JSON or XML with `Code`,
//! `Message`, `RequestId`, `HostId` and `Recommend`. Anything else becomes a
//! [`DecodeError`] that keeps the status, the request id and the start of the body.

use serde::de::DeserializeOwned;

use crate::error::{DecodeError, DecodeErrorKind, ServiceError};

/// How many characters of a body a [`DecodeError`] keeps.
const EXCERPT_CHARS: usize = 200;

/// The largest answer body the client reads. Dds answers are a few kilobytes (the largest
/// documented ones, resource and price listings, stay well under a megabyte); a body past
/// this is refused rather than buffered, so a misbehaving endpoint or proxy cannot make one
/// call allocate without bound.
pub(crate) const MAX_BODY_BYTES: usize = 16 << 20;

/// The parts of an HTTP answer the decoder looks at.
#[derive(Debug)]
pub(crate) struct RawAnswer {
    pub(crate) status: u16,
    /// The `x-acs-request-id` header.
    pub(crate) request_id: Option<String>,
    /// The `x-acs-retry-after` header, as sent.
    pub(crate) retry_after: Option<String>,
    /// The body, or its first [`MAX_BODY_BYTES`] when `too_large`.
    pub(crate) body: Vec<u8>,
    /// Whether the body went past [`MAX_BODY_BYTES`] and was not read to its end.
    pub(crate) too_large: bool,
}

impl RawAnswer {
    /// Whether the status says the call succeeded.
    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    fn decode_error(&self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError {
            status: self.status,
            request_id: self.request_id.clone(),
            kind,
            excerpt: excerpt(&self.body),
        }
    }
}

/// Decodes a successful answer into `T`, which is expected to be a JSON object.
pub(crate) fn decode_success<T: DeserializeOwned>(answer: &RawAnswer) -> Result<T, DecodeError> {
    check_size(answer)?;
    decode_body(&answer.body).map_err(|kind| answer.decode_error(kind))
}

/// Decodes the body of a successful answer into `T` the way [`decode_success`] does, for
/// callers that have only the body ([`crate::operation::decode_response`]).
pub(crate) fn decode_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeErrorKind> {
    check_json_object(body)?;
    // Checking the UTF-8 of the whole body at once and parsing it as text is the same parse
    // as `serde_json::from_slice`, which checks every string on its own (about a sixth of
    // decoding a typical answer). A body that is not UTF-8 goes through `from_slice`, which
    // says where the bad byte is.
    let parsed = match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    };
    parsed.map_err(|e| json_error_kind(&e))
}

/// The `RequestId` of a JSON object body, for logs; `None` when there is none or the body is
/// not such an object.
pub(crate) fn body_request_id(answer: &RawAnswer) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct WithId {
        #[serde(rename = "RequestId")]
        request_id: Option<String>,
    }
    serde_json::from_slice::<WithId>(&answer.body)
        .ok()
        .and_then(|w| w.request_id)
}

fn check_size(answer: &RawAnswer) -> Result<(), DecodeError> {
    if answer.too_large {
        return Err(answer.decode_error(DecodeErrorKind::TooLarge {
            limit: MAX_BODY_BYTES,
        }));
    }
    Ok(())
}

/// Checks the cheap things first, so that an empty or array body gets a precise error rather
/// than a type mismatch from the response decoder.
fn check_json_object(body: &[u8]) -> Result<(), DecodeErrorKind> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    let found = match first {
        None => return Err(DecodeErrorKind::Empty),
        Some(b'{') => return Ok(()),
        Some(b'[') => "array",
        Some(b'"') => "string",
        Some(b'-' | b'0'..=b'9') => "number",
        Some(b't' | b'f') => "boolean",
        Some(b'n') => "null",
        Some(_) => {
            // Not JSON at all; let the parser say where and why.
            let e = serde_json::from_slice::<serde_json::Value>(body)
                .expect_err("a body starting with a byte no JSON value starts with is not JSON");
            return Err(json_error_kind(&e));
        }
    };
    // A scalar or array that is not even valid JSON is reported as such.
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(_) => Err(DecodeErrorKind::NotAnObject { found }),
        Err(e) => Err(json_error_kind(&e)),
    }
}

fn json_error_kind(e: &serde_json::Error) -> DecodeErrorKind {
    match e.classify() {
        serde_json::error::Category::Eof => DecodeErrorKind::Truncated,
        serde_json::error::Category::Data => DecodeErrorKind::Shape {
            detail: e.to_string(),
        },
        serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
            DecodeErrorKind::NotJson {
                detail: e.to_string(),
            }
        }
    }
}

/// Decodes the body of an error answer (status 4xx or 5xx), JSON or XML.
pub(crate) fn decode_failure(answer: &RawAnswer) -> Result<ServiceError, DecodeError> {
    check_size(answer)?;
    let first = answer.body.iter().find(|b| !b.is_ascii_whitespace());
    let fields = match first {
        None => return Err(answer.decode_error(DecodeErrorKind::Empty)),
        Some(b'<') => xml_error_fields(&answer.body),
        Some(_) => {
            check_json_object(&answer.body).map_err(|kind| answer.decode_error(kind))?;
            json_error_fields(&answer.body).map_err(|e| answer.decode_error(json_error_kind(&e)))?
        }
    };
    let Some(code) = fields.code.filter(|c| !c.is_empty()) else {
        return Err(answer.decode_error(DecodeErrorKind::NoErrorCode));
    };

    Ok(ServiceError {
        status: answer.status,
        code,
        message: redact_echoed_secrets(&fields.message.unwrap_or_default()),
        request_id: fields.request_id.or_else(|| answer.request_id.clone()),
        host_id: fields.host_id,
        recommend: fields.recommend,
    })
}

/// The fields of an error body.
#[derive(Debug, Default)]
struct ErrorFields {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    host_id: Option<String>,
    recommend: Option<String>,
}

impl ErrorFields {
    /// Stores a field by its name; the gateway capitalises them, some services do not.
    fn set(&mut self, name: &str, value: String) {
        let slot = match name {
            "Code" | "code" => &mut self.code,
            "Message" | "message" => &mut self.message,
            "RequestId" | "requestId" => &mut self.request_id,
            "HostId" | "hostId" => &mut self.host_id,
            "Recommend" | "recommend" => &mut self.recommend,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    }
}

fn json_error_fields(body: &[u8]) -> Result<ErrorFields, serde_json::Error> {
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(body)?;
    let mut fields = ErrorFields::default();
    for (name, value) in object {
        let text = match value {
            serde_json::Value::String(s) => s,
            serde_json::Value::Null => continue,
            other => other.to_string(),
        };
        fields.set(&name, text);
    }
    Ok(fields)
}

/// Reads `<Error><Code>..</Code>...</Error>`: the text of the root's direct children. A body
/// that is not well-formed XML yields whatever was read before the problem (usually no code,
/// which the caller reports).
fn xml_error_fields(body: &[u8]) -> ErrorFields {
    use quick_xml::events::Event;

    let mut reader = quick_xml::Reader::from_reader(body);
    let mut fields = ErrorFields::default();
    let mut depth = 0usize;
    let mut current: Option<String> = None;
    let mut text = String::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(start)) => {
                depth += 1;
                if depth == 2 {
                    current = Some(String::from_utf8_lossy(start.name().as_ref()).into_owned());
                    text.clear();
                }
            }
            Ok(Event::Text(t)) if depth == 2 => {
                if let Ok(t) = t.decode() {
                    text.push_str(&unescape_xml(&t));
                }
            }
            Ok(Event::CData(t)) if depth == 2 => {
                text.push_str(&String::from_utf8_lossy(&t));
            }
            Ok(Event::GeneralRef(r)) if depth == 2 => {
                if let Ok(name) = r.decode() {
                    text.push_str(&unescape_xml(&format!("&{name};")));
                }
            }
            Ok(Event::End(_)) => {
                if depth == 2
                    && let Some(name) = current.take()
                {
                    fields.set(&name, std::mem::take(&mut text));
                }
                depth = depth.saturating_sub(1);
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
        buf.clear();
    }
    fields
}

/// Resolves the five predefined XML entities and numeric character references; anything else
/// is kept as written.
fn unescape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let Some(semi) = after.find(';') else {
            out.push_str(after);
            return out;
        };
        let entity = &after[1..semi];
        let resolved = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match resolved {
            Some(c) => out.push(c),
            None => out.push_str(&after[..=semi]),
        }
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    out
}

/// The start of a body, lossily decoded, secrets redacted. (Display quotes and escapes it.)
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    let mut out = redact_echoed_secrets(&cut);
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

/// Parameter names whose values are redacted where the gateway echoes a request back.
const ECHOED_SECRETS: &[&str] = &["AccessKeyId", "SecurityToken", "Signature"];

/// Redacts access key ids, security tokens and signatures in text the gateway echoes from the
/// request, such as the `server string to sign is:...` part of a `SignatureDoesNotMatch`
/// message. The string to sign stays readable for debugging; only the values go.
///
/// Handles the forms a V1 string to sign and a V3 `Authorization` header take:
/// `Name%3Dvalue%26`, `Name=value&` and `Credential=value,`.
pub(crate) fn redact_echoed_secrets(text: &str) -> String {
    let mut out = text.to_owned();
    for name in ECHOED_SECRETS {
        for (assign, separators) in [
            (format!("{name}%3D"), &["%26", "&", " ", "\n"][..]),
            (format!("{name}="), &["&", " ", ",", "\n"][..]),
        ] {
            out = redact_after(&out, &assign, separators);
        }
    }
    redact_after(&out, "Credential=", &[",", " ", "\n"])
}

/// Replaces what follows each `marker`, up to the first of `separators` or the end, with
/// `<redacted>`.
fn redact_after(text: &str, marker: &str, separators: &[&str]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        // Only a whole parameter name counts: `XAccessKeyId=` is not `AccessKeyId=`, but
        // an encoded separator (`%26AccessKeyId`) ends in a digit and still counts.
        let before = &rest[..at];
        let whole = before.ends_with("%26")
            || !before
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric());
        let value_start = at + marker.len();
        out.push_str(&rest[..value_start]);
        rest = &rest[value_start..];
        if !whole {
            continue;
        }
        let end = separators
            .iter()
            .filter_map(|s| rest.find(s))
            .min()
            .unwrap_or(rest.len());
        if end > 0 {
            out.push_str("<redacted>");
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    type Members = serde_json::Map<String, serde_json::Value>;

    #[test]
    fn a_body_that_is_not_utf8_is_refused_where_serde_json_finds_the_bad_byte() {
        let body = b"{\"RequestId\": \"a\xffb\"}";
        let expected = serde_json::from_slice::<Members>(body).unwrap_err();
        match decode_body::<Members>(body) {
            Err(DecodeErrorKind::NotJson { detail }) => {
                assert_eq!(detail, expected.to_string());
                assert!(detail.contains("column 17"), "{detail}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_utf8_body_decodes_as_serde_json_decodes_its_bytes() {
        let body = "{\"RequestId\": \"r\u{e9}\", \"A\": [1, 2.5, \"\\u00e9\"]}".as_bytes();
        assert_eq!(
            decode_body::<Members>(body).unwrap(),
            serde_json::from_slice::<Members>(body).unwrap()
        );
    }

    #[test]
    fn redacts_the_access_key_id_in_an_echoed_v1_string_to_sign() {
        let message = "Specified signature is not matched with our calculation. server string \
                       to sign is:POST&%2F&AccessKeyId%3DLTAIexample%26Action%3DDescribeRegions\
                       %26SecurityToken%3Dtok%252Ben%26Version%3D2015-12-01";
        let redacted = redact_echoed_secrets(message);
        assert!(!redacted.contains("LTAIexample"), "{redacted}");
        assert!(!redacted.contains("tok%252Ben"), "{redacted}");
        assert!(
            redacted.contains("AccessKeyId%3D<redacted>%26Action%3DDescribeRegions"),
            "{redacted}"
        );
    }

    #[test]
    fn redacts_the_credential_of_an_authorization_header() {
        let text = "ACS3-HMAC-SHA256 Credential=LTAIexample,SignedHeaders=host,Signature=abc";
        assert_eq!(
            redact_echoed_secrets(text),
            "ACS3-HMAC-SHA256 Credential=<redacted>,SignedHeaders=host,Signature=<redacted>"
        );
    }

    #[test]
    fn leaves_longer_parameter_names_alone() {
        assert_eq!(
            redact_echoed_secrets("MyAccessKeyId=1&x=2"),
            "MyAccessKeyId=1&x=2"
        );
    }

    #[test]
    fn unescapes_xml_entities() {
        assert_eq!(
            unescape_xml("a &lt;b&gt; &amp; &#65;&#x42; &bogus;"),
            "a <b> & AB &bogus;"
        );
    }
}
