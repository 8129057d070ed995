//! The requests the bare sender and wrk send are signed as the emulator expects, and each is
//! good for one call: the load figures count only answered calls.

use dds_api::credentials::Credentials;
use dds_api::operations::DescribeDbInstanceAttribute;
use dds_api::signing::{self, SignatureVersion};
use dds_bench::presign::{PresignedRequest, Presigner};
use dds_emulator::{Config, DEMO_RS44_SSL, Emulator};

async fn send(http: &reqwest::Client, url: &str, request: &PresignedRequest) -> (u16, String) {
    let mut builder = http.post(format!("{url}{}", request.path_and_query));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let response = builder
        .header(reqwest::header::CONTENT_LENGTH, "0")
        .send()
        .await
        .expect("the emulator answers");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

#[tokio::test]
async fn a_presigned_request_is_answered_once_and_refused_when_sent_again() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emulator = Emulator::start(Config::new()).await.expect("started");
    let authority = emulator.local_addr().to_string();
    let credentials = Credentials::new(
        Config::DEFAULT_ACCESS_KEY_ID,
        Config::DEFAULT_ACCESS_KEY_SECRET,
    );
    let request = DescribeDbInstanceAttribute::builder()
        .db_instance_id(DEMO_RS44_SSL)
        .build()
        .expect("valid");
    let http = reqwest::Client::new();

    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        let presigner = Presigner::for_request(&authority, &credentials, version, &request);
        let signed = presigner.sign_many(2, signing::now()).expect("nonces");
        assert_ne!(signed[0].nonce, signed[1].nonce);

        for request in &signed {
            let (status, body) = send(&http, emulator.url(), request).await;
            assert_eq!(status, 200, "{version}: {body}");
            assert!(body.contains(DEMO_RS44_SSL), "{version}: {body}");
        }
        let (status, body) = send(&http, emulator.url(), &signed[0]).await;
        assert_ne!(
            status, 200,
            "{version}: a replayed nonce was accepted: {body}"
        );
        assert!(body.contains("SignatureNonceUsed"), "{version}: {body}");
    }
    emulator.stop().await;
}
