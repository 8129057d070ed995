//! The text forms that both signature versions are built from: RFC 3986 percent-encoding,
//! hex, SHA-256 and the UTC timestamp.

use sha2::{Digest, Sha256};
use time::format_description::FormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";
const LOWER_HEX: &[u8; 16] = b"0123456789abcdef";

/// Percent-encodes `text` the way both signature versions need it: the UTF-8 bytes of
/// `A-Z a-z 0-9 - _ . ~` stay as they are, every other byte becomes `%XX` with upper-case hex.
///
/// This is RFC 3986's unreserved set. Form encoding differs (space as `+`, `*` kept), which is
/// why a server must decode a request before it re-encodes it for the check.
///
/// ```
/// use dds_api::signing::percent_encode;
/// assert_eq!(percent_encode("a b*c~é"), "a%20b%2Ac~%C3%A9");
/// ```
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(UPPER_HEX[usize::from(byte >> 4)] as char);
            out.push(UPPER_HEX[usize::from(byte & 0x0f)] as char);
        }
    }
    out
}

/// Percent-encodes a URL path like [`percent_encode`], but keeps the `/` separators.
pub fn percent_encode_path(path: &str) -> String {
    path.split('/')
        .map(percent_encode)
        .collect::<Vec<_>>()
        .join("/")
}

/// Lower-case hex of `bytes`.
pub fn hex_lower(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.push(LOWER_HEX[usize::from(byte >> 4)] as char);
        out.push(LOWER_HEX[usize::from(byte & 0x0f)] as char);
    }
    out
}

/// Lower-case hex of the SHA-256 digest of `bytes`: the `x-acs-content-sha256` of a body.
///
/// ```
/// assert_eq!(
///     dds_api::signing::sha256_hex(b""),
///     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/// );
/// ```
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex_lower(&Sha256::digest(bytes))
}

/// The `yyyy-MM-ddTHH:mm:ssZ` form, always in UTC.
const TIMESTAMP_FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

/// Formats an instant as the gateway's timestamp, `yyyy-MM-ddTHH:mm:ssZ` in UTC, whatever
/// offset the value carries. Used for `Timestamp` (V1) and `x-acs-date` (V3).
///
/// ```
/// use time::macros::datetime;
/// let local = datetime!(2023-03-13 16:34:30.9 +08:00);
/// assert_eq!(dds_api::signing::format_timestamp(local), "2023-03-13T08:34:30Z");
/// ```
pub fn format_timestamp(instant: OffsetDateTime) -> String {
    let utc = instant.to_offset(UtcOffset::UTC);
    // The description names only components every `OffsetDateTime` has, so formatting does
    // not fail; the fallback (seconds since the epoch) keeps this function free of panics.
    utc.format(TIMESTAMP_FORMAT)
        .unwrap_or_else(|_| utc.unix_timestamp().to_string())
}

/// Parses a gateway timestamp (`yyyy-MM-ddTHH:mm:ssZ`, UTC). The server side uses it for
/// `InvalidTimeStamp.Format` and the freshness window.
///
/// ```
/// let t = dds_api::signing::parse_timestamp("2023-10-26T10:22:32Z").unwrap();
/// assert_eq!(t.unix_timestamp(), 1_698_315_752);
/// assert!(dds_api::signing::parse_timestamp("2023-10-26 10:22:32").is_err());
/// ```
pub fn parse_timestamp(text: &str) -> Result<OffsetDateTime, TimestampError> {
    PrimitiveDateTime::parse(text, TIMESTAMP_FORMAT)
        .map(PrimitiveDateTime::assume_utc)
        .map_err(|_| TimestampError {
            found: text.to_owned(),
        })
}

/// A timestamp that is not in the gateway's `yyyy-MM-ddTHH:mm:ssZ` form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("timestamp `{found}` is not in the form yyyy-MM-ddTHH:mm:ssZ (UTC)")]
pub struct TimestampError {
    /// The text that was given.
    pub found: String,
}
