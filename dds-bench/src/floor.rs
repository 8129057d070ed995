//! The floors: the least work a signature can cost, the bare cryptography over the same
//! input, with nothing around it (no parameter sorting, encoding, or allocation beyond the
//! output). The signers are reported as a multiple of these.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// V1's floor: Base64 of HMAC-SHA1 keyed with `key` (the secret followed by `&`) over the
/// string to sign.
pub fn v1(key: &[u8], string_to_sign: &str) -> String {
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(string_to_sign.as_bytes());
    BASE64.encode(mac.finalize().into_bytes())
}

/// V3's floor: hex of HMAC-SHA256 keyed with the secret over
/// `ACS3-HMAC-SHA256\n` + hex(SHA-256(canonical request)).
pub fn v3(secret: &[u8], canonical_request: &str) -> String {
    const PREFIX: &[u8] = b"ACS3-HMAC-SHA256\n";
    let mut string_to_sign = [0u8; PREFIX.len() + 64];
    string_to_sign[..PREFIX.len()].copy_from_slice(PREFIX);
    hex_into(
        &Sha256::digest(canonical_request.as_bytes()),
        &mut string_to_sign[PREFIX.len()..],
    );

    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC accepts any key");
    mac.update(&string_to_sign);
    let mut signature = [0u8; 64];
    hex_into(&mac.finalize().into_bytes(), &mut signature);
    String::from_utf8(signature.to_vec()).expect("hex digits are ASCII")
}

/// Lower-case hex of `bytes` into `out`, which holds exactly two bytes per input byte.
fn hex_into(bytes: &[u8], out: &mut [u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for (byte, pair) in bytes.iter().zip(out.chunks_exact_mut(2)) {
        pair[0] = DIGITS[usize::from(byte >> 4)];
        pair[1] = DIGITS[usize::from(byte & 0x0f)];
    }
}
