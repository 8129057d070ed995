//! Our signer and verifier against requests captured from Alibaba Cloud's official clients.
//!
//! Each file in `tests/interop/vectors/` is one request an official client sent (Python
//! `alibabacloud-tea-openapi` in V3 and V1 mode, `aliyun-python-sdk-core`, Node
//! `@alicloud/openapi-client` in V3 mode (with its own credentials and with an application's
//! credential object) and V1 mode, `@alicloud/pop-core` with GET and POST), with
//! its clock and nonce pinned, for parameter values with spaces, `*~!'()`, non-ASCII text,
//! empty strings and URL delimiters. `tests/interop/capture.sh` regenerates them; this test
//! needs neither Python nor Node.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dds_api::credentials::Credentials;
use dds_api::signing::{self, HttpMethod, SignatureVersion, SigningRequest, v1, v3};
use serde::Deserialize;

/// The clients and cases every capture covers; a vector that goes missing fails the test.
const CLIENTS: &[&str] = &[
    "python-tea-v3",
    "python-tea-v1",
    "python-core",
    "node-openapi-v3",
    "node-openapi-v3-own-credential",
    "node-openapi-v1",
    "pop-core-get",
    "pop-core-post",
];
const CASES: &[&str] = &[
    "describe-plain",
    "modify-plain",
    "modify-spaces",
    "modify-sub-delims",
    "modify-non-ascii",
    "modify-empty",
    "modify-delimiters",
];

/// The parameters every V1 client adds; the rest are the operation's own.
const V1_COMMON: &[&str] = &[
    "AccessKeyId",
    "Action",
    "Format",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureVersion",
    "Timestamp",
    "Version",
];

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Vector {
    #[serde(skip)]
    file: String,
    description: String,
    client: String,
    case: String,
    signature_version: String,
    access_key_id: String,
    access_key_secret: String,
    timestamp: String,
    nonce: String,
    request: WireRequest,
    signature: String,
    #[serde(default)]
    signed_headers: Option<String>,
    /// The parameters decoded from the query and the form body, without `Signature`.
    params: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
struct WireRequest {
    method: String,
    host: String,
    path: String,
    /// The query exactly as sent, still percent-encoded.
    query: String,
    /// `Name: value` lines in the order sent.
    headers: Vec<String>,
    body: String,
}

impl Vector {
    fn is_v1(&self) -> bool {
        self.signature_version == "1.0"
    }

    fn headers(&self) -> Vec<(String, String)> {
        self.request
            .headers
            .iter()
            .map(|line| {
                let (name, value) = line
                    .split_once(": ")
                    .unwrap_or_else(|| panic!("{}: header line {line:?} has no ': '", self.file));
                (name.to_owned(), value.to_owned())
            })
            .collect()
    }

    fn header(&self, name: &str) -> Option<String> {
        self.headers()
            .into_iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    }

    /// The parameters a server decodes from the wire: the query, then a form body.
    fn wire_params(&self) -> Vec<(String, String)> {
        let mut params = decode_form(&self.request.query);
        let form = self
            .header("content-type")
            .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
        if form {
            params.extend(decode_form(&self.request.body));
        }
        params
    }

    /// The query parameters alone, as a V3 server decodes them.
    fn query_params(&self) -> Vec<(String, String)> {
        decode_form(&self.request.query)
    }

    fn params_vec(&self) -> Vec<(String, String)> {
        self.params
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("interop/vectors")
}

fn load_vectors() -> Vec<Vector> {
    let dir = vectors_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let mut vector: Vector = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{} is not a vector: {e}", path.display()));
            vector.file = path.file_name().unwrap().to_string_lossy().into_owned();
            vector
        })
        .collect()
}

/// Decodes `application/x-www-form-urlencoded` text (`+` is a space, `%XX` a byte) into pairs.
fn decode_form(text: &str) -> Vec<(String, String)> {
    fn decode(part: &str) -> String {
        let bytes = part.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ASCII");
                    out.push(u8::from_str_radix(hex, 16).expect("two hex digits after %"));
                    i += 2;
                }
                byte => out.push(byte),
            }
            i += 1;
        }
        String::from_utf8(out).expect("parameters are UTF-8")
    }

    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}

/// Runs `check` on every vector and fails once, listing every vector it failed for.
fn for_each_vector(
    filter: impl Fn(&Vector) -> bool,
    check: impl Fn(&Vector) -> Result<(), String>,
) {
    let vectors = load_vectors();
    let mut checked = 0;
    let mut failures = Vec::new();
    for vector in vectors.iter().filter(|v| filter(v)) {
        checked += 1;
        if let Err(problem) = check(vector) {
            failures.push(format!(
                "{} ({}): {problem}",
                vector.file, vector.description
            ));
        }
    }
    assert!(
        checked > 0,
        "no vector matched; is {} empty?",
        vectors_dir().display()
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_official_client_is_captured_for_every_case() {
    let vectors = load_vectors();
    let mut missing = Vec::new();
    for client in CLIENTS {
        for case in CASES {
            if !vectors
                .iter()
                .any(|v| v.client == *client && v.case == *case)
            {
                missing.push(format!("{client}/{case}"));
            }
        }
    }
    assert!(missing.is_empty(), "no vector for: {}", missing.join(", "));
    assert_eq!(
        vectors.len(),
        CLIENTS.len() * CASES.len(),
        "unexpected extra vectors"
    );
}

#[test]
fn wire_requests_decode_to_the_recorded_parameters() {
    for_each_vector(
        |_| true,
        |vector| {
            let mut decoded: Vec<(String, String)> = if vector.is_v1() {
                vector.wire_params()
            } else {
                vector.query_params()
            };
            decoded.retain(|(key, _)| key != "Signature");
            decoded.sort();
            if decoded == vector.params_vec() {
                Ok(())
            } else {
                Err(format!("decoded {decoded:?}, recorded {:?}", vector.params))
            }
        },
    );
}

#[test]
fn our_v1_signature_equals_the_official_clients() {
    for_each_vector(Vector::is_v1, |vector| {
        let string_to_sign = v1::string_to_sign(&vector.request.method, &vector.params);
        let ours = v1::signature(&vector.access_key_secret, &string_to_sign);
        if ours == vector.signature {
            Ok(())
        } else {
            Err(format!(
                "official {}, ours {ours}; our string to sign: {string_to_sign}",
                vector.signature
            ))
        }
    });
}

#[test]
fn our_v3_signature_equals_the_official_clients() {
    for_each_vector(
        |vector| !vector.is_v1(),
        |vector| {
            let signed_headers = vector.signed_headers.as_deref().ok_or("no signedHeaders")?;
            let names: Vec<&str> = signed_headers.split(';').collect();
            let canonical_headers = v3::canonical_headers(&vector.headers(), &names)
                .map_err(|e| format!("canonical headers: {e}"))?;
            let canonical_request = v3::canonical_request(
                &vector.request.method,
                &vector.request.path,
                &v3::canonical_query(&vector.params),
                &canonical_headers,
                signed_headers,
                &signing::sha256_hex(vector.request.body.as_bytes()),
            );
            let ours = v3::signature(
                &vector.access_key_secret,
                &v3::string_to_sign(&canonical_request),
            );
            if ours == vector.signature {
                Ok(())
            } else {
                Err(format!(
                    "official {}, ours {ours}; our canonical request:\n{canonical_request}",
                    vector.signature
                ))
            }
        },
    );
}

/// Verifies a captured request as the emulator does, from what came over the wire.
fn verify(vector: &Vector, secret: &str) -> Result<(), String> {
    if vector.is_v1() {
        v1::verify(&vector.request.method, vector.wire_params(), secret)
            .map_err(|e| format!("{} ({e})", e.gateway_code()))
    } else {
        let header = vector
            .header("authorization")
            .ok_or("no Authorization header")?;
        let authorization =
            v3::Authorization::parse(&header).map_err(|e| format!("Authorization header: {e}"))?;
        if authorization.access_key_id() != vector.access_key_id {
            return Err(format!(
                "Credential names {}",
                authorization.access_key_id()
            ));
        }
        let headers = vector.headers();
        let query = vector.query_params();
        let payload_sha256 = signing::sha256_hex(vector.request.body.as_bytes());
        let request = v3::ReceivedRequest {
            method: &vector.request.method,
            path: &vector.request.path,
            query: &query,
            headers: &headers,
            payload_sha256: &payload_sha256,
        };
        v3::verify(&request, &authorization, secret)
            .map_err(|e| format!("{} ({e})", e.gateway_code()))
    }
}

#[test]
fn our_verifier_accepts_every_official_request() {
    for_each_vector(|_| true, |vector| verify(vector, &vector.access_key_secret));
}

#[test]
fn our_verifier_rejects_every_official_request_under_another_secret() {
    for_each_vector(
        |_| true,
        |vector| {
            let wrong = format!("{}x", vector.access_key_secret);
            match verify(vector, &wrong) {
                Ok(()) => Err("accepted under a wrong secret".to_owned()),
                Err(problem) if problem.starts_with("SignatureDoesNotMatch ") => Ok(()),
                Err(problem) => Err(format!("rejected, but not as a mismatch: {problem}")),
            }
        },
    );
}

/// pop-core sends exactly the parameters our SDK sends in V1 mode, so our whole signing path
/// (common parameters, timestamp format, encoding, signature) must reproduce its request.
#[test]
fn our_v1_signing_reproduces_pop_core_requests() {
    for_each_vector(
        |vector| vector.client.starts_with("pop-core-"),
        |vector| {
            let own: Vec<(String, String)> = vector
                .params
                .iter()
                .filter(|(key, _)| !V1_COMMON.contains(&key.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let method = match vector.request.method.as_str() {
                "GET" => HttpMethod::Get,
                "POST" => HttpMethod::Post,
                other => return Err(format!("method {other}")),
            };
            let request = SigningRequest {
                method,
                host: &vector.request.host,
                path: "/",
                action: &vector.params["Action"],
                version: &vector.params["Version"],
                params: &own,
                body: b"",
            };
            let credentials = Credentials::new(&vector.access_key_id, &*vector.access_key_secret);
            let timestamp = signing::parse_timestamp(&vector.timestamp)
                .map_err(|e| format!("timestamp: {e}"))?;
            let signed = signing::sign(
                &request,
                &credentials,
                SignatureVersion::V1,
                timestamp,
                &vector.nonce,
            );

            let mut ours: Vec<(String, String)> = signed.query_pairs();
            ours.sort();
            let mut theirs = vector.params_vec();
            theirs.push(("Signature".to_owned(), vector.signature.clone()));
            theirs.sort();
            if ours == theirs {
                Ok(())
            } else {
                Err(format!("ours {ours:?}\ntheirs {theirs:?}"))
            }
        },
    );
}

/// openapi-client given an application's credential object signs exactly the headers our SDK
/// signs, so our whole V3 signing path (header values, canonical request, `Authorization`)
/// must reproduce its request.
#[test]
fn our_v3_signing_reproduces_openapi_client_requests_that_sign_our_headers() {
    for_each_vector(
        |vector| vector.client == "node-openapi-v3-own-credential",
        |vector| {
            let expected = v3::REQUIRED_SIGNED_HEADERS.join(";");
            if vector.signed_headers.as_deref() != Some(expected.as_str()) {
                return Err(format!(
                    "the client signed {:?}, not our set {expected}",
                    vector.signed_headers
                ));
            }
            let query = vector.query_params();
            let action = vector.header("x-acs-action").ok_or("no x-acs-action")?;
            let version = vector.header("x-acs-version").ok_or("no x-acs-version")?;
            let request = SigningRequest {
                method: HttpMethod::Post,
                host: &vector.request.host,
                path: &vector.request.path,
                action: &action,
                version: &version,
                params: &query,
                body: vector.request.body.as_bytes(),
            };
            let credentials = Credentials::new(&vector.access_key_id, &*vector.access_key_secret);
            let timestamp = signing::parse_timestamp(&vector.timestamp)
                .map_err(|e| format!("timestamp: {e}"))?;
            let signed = signing::sign(
                &request,
                &credentials,
                SignatureVersion::V3,
                timestamp,
                &vector.nonce,
            );

            let ours = signed
                .header("authorization")
                .ok_or("our signer set no authorization header")?;
            let theirs = vector
                .header("authorization")
                .ok_or("no Authorization header")?;
            if ours != theirs {
                return Err(format!("ours {ours}\ntheirs {theirs}"));
            }
            for (name, value) in &signed.headers {
                if *name == "authorization" || *name == "accept" {
                    continue;
                }
                if vector.header(name).as_deref() != Some(value.as_ref()) {
                    return Err(format!(
                        "header {name}: ours {value:?}, theirs {:?}",
                        vector.header(name)
                    ));
                }
            }
            Ok(())
        },
    );
}
