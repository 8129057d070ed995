//! The text forms that both signature versions are built from: RFC 3986 percent-encoding,
//! hex, SHA-256 and the UTC timestamp.

use sha2::{Digest, Sha256};
use time::format_description::FormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";
const LOWER_HEX: &[u8; 16] = b"0123456789abcdef";

/// `UNRESERVED[b]` says whether byte `b` is in RFC 3986's unreserved set
/// (`A-Z a-z 0-9 - _ . ~`), the bytes both signature versions leave as they are.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
        byte += 1;
    }
    table
};

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
    encode_into(&mut out, text, "%");
    out
}

/// Appends `text` to `out`, percent-encoded, each escape starting with `escape`: `"%"` for
/// one round of encoding, `"%25"` for the encoding of the encoding (what V1's string to sign
/// holds), without building the intermediate text.
pub(crate) fn encode_into(out: &mut String, text: &str, escape: &str) {
    let bytes = text.as_bytes();
    // Names and most values need no escape at all; checking that first is a tight loop.
    let clean = bytes
        .iter()
        .position(|&byte| !UNRESERVED[usize::from(byte)])
        .unwrap_or(bytes.len());
    out.push_str(&text[..clean]);
    if clean == bytes.len() {
        return;
    }
    out.reserve(bytes.len() - clean + 8);
    let mut run_start = clean;
    for (index, &byte) in bytes.iter().enumerate().skip(clean) {
        if UNRESERVED[usize::from(byte)] {
            continue;
        }
        // The run is ASCII and so ends on a character boundary; an empty run is skipped,
        // because `run_start` may then sit inside a multi-byte character.
        if index > run_start {
            out.push_str(&text[run_start..index]);
        }
        out.push_str(escape);
        out.push(char::from(UPPER_HEX[usize::from(byte >> 4)]));
        out.push(char::from(UPPER_HEX[usize::from(byte & 0x0f)]));
        run_start = index + 1;
    }
    if bytes.len() > run_start {
        out.push_str(&text[run_start..]);
    }
}

/// Appends the percent-encoding of `text` to `once`, and the encoding of that encoding to
/// `twice` (V1's string to sign holds the encoded canonical query).
pub(crate) fn encode_once_and_twice(once: &mut String, twice: &mut String, text: &str) {
    let start = once.len();
    encode_into(once, text, "%");
    if once.len() - start == text.len() {
        // Nothing was escaped, so encoding again changes nothing either.
        twice.push_str(text);
    } else {
        encode_into(twice, text, "%25");
    }
}

/// Percent-encodes a URL path like [`percent_encode`], but keeps the `/` separators.
pub fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    encode_path_into(&mut out, path);
    out
}

/// Appends `path` to `out`, each `/`-separated segment percent-encoded.
pub(crate) fn encode_path_into(out: &mut String, path: &str) {
    for (index, segment) in path.split('/').enumerate() {
        if index > 0 {
            out.push('/');
        }
        encode_into(out, segment, "%");
    }
}

/// Lower-case hex of `bytes`.
pub fn hex_lower(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.push(char::from(LOWER_HEX[usize::from(byte >> 4)]));
        out.push(char::from(LOWER_HEX[usize::from(byte & 0x0f)]));
    }
    out
}

/// Lower-case hex of a digest, kept on the stack: `N` is twice the digest's length.
pub(crate) struct Hex<const N: usize>([u8; N]);

impl<const N: usize> Hex<N> {
    pub(crate) fn of(bytes: &[u8]) -> Self {
        let mut out = [0u8; N];
        for (byte, pair) in bytes.iter().zip(out.chunks_exact_mut(2)) {
            pair[0] = LOWER_HEX[usize::from(byte >> 4)];
            pair[1] = LOWER_HEX[usize::from(byte & 0x0f)];
        }
        Hex(out)
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only hex digits were written, and `of` fills the whole array for digests of N / 2
        // bytes; a shorter input would leave NUL bytes, which are ASCII too.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
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
    Timestamp::of(instant).as_str().to_owned()
}

/// The gateway's timestamp text, kept on the stack: every signature needs one.
pub(crate) struct Timestamp {
    text: [u8; 20],
    /// The text when the year has other than four digits, which the fixed layout cannot hold.
    unusual: Option<String>,
}

impl Timestamp {
    pub(crate) fn of(instant: OffsetDateTime) -> Self {
        let utc = instant.to_offset(UtcOffset::UTC);
        let year = utc.year();
        if !(0..=9999).contains(&year) {
            // The description names only components every `OffsetDateTime` has, so formatting
            // does not fail; the fallback (seconds since the epoch) keeps this free of panics.
            let text = utc
                .format(TIMESTAMP_FORMAT)
                .unwrap_or_else(|_| utc.unix_timestamp().to_string());
            return Timestamp {
                text: [0; 20],
                unusual: Some(text),
            };
        }
        let mut text = *b"0000-00-00T00:00:00Z";
        let mut put = |at: usize, value: u32, digits: usize| {
            let mut value = value;
            for slot in text[at..at + digits].iter_mut().rev() {
                *slot = b'0' + (value % 10) as u8;
                value /= 10;
            }
        };
        put(0, year.unsigned_abs(), 4);
        put(5, u32::from(u8::from(utc.month())), 2);
        put(8, u32::from(utc.day()), 2);
        put(11, u32::from(utc.hour()), 2);
        put(14, u32::from(utc.minute()), 2);
        put(17, u32::from(utc.second()), 2);
        Timestamp {
            text,
            unusual: None,
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        match &self.unusual {
            Some(text) => text,
            // Only ASCII digits and separators were written.
            None => std::str::from_utf8(&self.text).unwrap_or_default(),
        }
    }
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
