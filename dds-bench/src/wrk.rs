//! The requests file of `wrk/presigned.lua`: one request template and, per request, only what
//! differs (its nonce and its signature), so that hundreds of thousands of requests fit in a
//! few tens of megabytes and wrk assembles them before its clock starts.

use std::io::{self, Write};

use crate::presign::PresignedRequest;

/// Writes `requests` in the script's format (see `wrk/presigned.lua`). They must differ only
/// in nonce and signature (sign them with one timestamp); a request that differs elsewhere is
/// an error, never sent in a changed form.
pub fn write_requests(
    out: &mut impl Write,
    authority: &str,
    requests: &[PresignedRequest],
) -> io::Result<()> {
    let invalid = |message: String| io::Error::new(io::ErrorKind::InvalidInput, message);
    let first = requests
        .first()
        .ok_or_else(|| invalid("no requests to write".to_owned()))?;
    let (before, between, after) = template(first, authority).ok_or_else(|| {
        invalid("the nonce and the signature are not both in the request text".to_owned())
    })?;

    write!(
        out,
        "{} {} {}\n{before}{between}{after}\n",
        before.len(),
        between.len(),
        after.len()
    )?;
    for (index, request) in requests.iter().enumerate() {
        let signature = request.signature_as_sent().unwrap_or_default();
        let assembled = format!("{before}{}{between}{signature}{after}", request.nonce);
        if assembled != request.to_http1(authority) || signature.contains(char::is_whitespace) {
            return Err(invalid(format!(
                "request {index} differs from the first beyond its nonce and signature"
            )));
        }
        writeln!(out, "{} {signature}", request.nonce)?;
    }
    Ok(())
}

/// The request text around the nonce and the signature, which come in that order.
fn template(request: &PresignedRequest, authority: &str) -> Option<(String, String, String)> {
    let text = request.to_http1(authority);
    let signature = request.signature_as_sent()?;
    let (before, rest) = text.split_once(request.nonce.as_str())?;
    let (between, after) = rest.split_once(signature)?;
    Some((before.to_owned(), between.to_owned(), after.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;
    use crate::presign::Presigner;
    use dds_api::signing::SignatureVersion;

    /// What the Lua script does with the file, in Rust.
    fn assemble(file: &str) -> Vec<String> {
        let (lengths, rest) = file.split_once('\n').expect("a header line");
        let lengths: Vec<usize> = lengths
            .split(' ')
            .map(|n| n.parse().expect("a length"))
            .collect();
        let (before, rest) = rest.split_at(lengths[0]);
        let (between, rest) = rest.split_at(lengths[1]);
        let (after, rest) = rest.split_at(lengths[2]);
        rest.trim_start_matches('\n')
            .lines()
            .map(|line| {
                let (nonce, signature) = line.split_once(' ').expect("two fields");
                format!("{before}{nonce}{between}{signature}{after}")
            })
            .collect()
    }

    #[test]
    fn the_script_reassembles_every_request_exactly() {
        let credentials = fixtures::credentials();
        let request = fixtures::modify_db_instance_ssl().expect("valid");
        for version in [SignatureVersion::V1, SignatureVersion::V3] {
            let presigner =
                Presigner::for_request("127.0.0.1:8080", &credentials, version, &request);
            let requests = presigner
                .sign_many(3, fixtures::timestamp())
                .expect("random nonces");
            let mut file = Vec::new();
            write_requests(&mut file, "127.0.0.1:8080", &requests).expect("written");

            let assembled = assemble(&String::from_utf8(file).expect("text"));
            let expected: Vec<String> = requests
                .iter()
                .map(|r| r.to_http1("127.0.0.1:8080"))
                .collect();
            assert_eq!(assembled, expected, "{version}");
        }
    }

    #[test]
    fn requests_signed_at_different_times_are_refused() {
        let credentials = fixtures::credentials();
        let request = fixtures::modify_db_instance_ssl().expect("valid");
        let presigner = Presigner::for_request("h:1", &credentials, SignatureVersion::V3, &request);
        let later = fixtures::timestamp() + time::Duration::seconds(1);
        let requests = vec![
            presigner.sign("00000000000000000000000000000001", fixtures::timestamp()),
            presigner.sign("00000000000000000000000000000002", later),
        ];

        let error = write_requests(&mut Vec::new(), "h:1", &requests).expect_err("refused");
        assert!(error.to_string().contains("request 1 differs"), "{error}");
    }
}
