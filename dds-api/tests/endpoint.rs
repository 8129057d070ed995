//! Choosing the endpoint: a region's host from the product's table (central or regional,
//! never derived from a pattern), or an explicit URL that overrides it.

use dds_api::endpoint::{Endpoint, EndpointError, Scheme, resolve};

/// A table shaped like the generated one: central and regional hosts side by side.
static TABLE: &[(&str, &str)] = &[
    ("cn-hangzhou", "mongodb.aliyuncs.com"),
    ("cn-shanghai", "mongodb.aliyuncs.com"),
    ("cn-zhangjiakou", "mongodb.cn-zhangjiakou.aliyuncs.com"),
    ("ap-southeast-1", "mongodb.ap-southeast-1.aliyuncs.com"),
];

#[test]
fn a_central_region_uses_the_central_host() {
    let endpoint = resolve(TABLE, Some("cn-shanghai"), None).unwrap();
    assert_eq!(endpoint.url(), "https://mongodb.aliyuncs.com/");
    assert_eq!(endpoint.authority(), "mongodb.aliyuncs.com");
}

#[test]
fn a_regional_region_uses_its_own_host() {
    let endpoint = resolve(TABLE, Some("cn-zhangjiakou"), None).unwrap();
    assert_eq!(endpoint.host(), "mongodb.cn-zhangjiakou.aliyuncs.com");
    assert_eq!(endpoint.scheme(), Scheme::Https);
    assert_eq!(endpoint.port(), None);
}

#[test]
fn an_unknown_region_is_an_error_listing_the_known_ones_and_no_host_is_guessed() {
    let error = resolve(TABLE, Some("eu-west-9"), None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "unknown region `eu-west-9`: Dds has endpoints for cn-hangzhou, cn-shanghai, \
         cn-zhangjiakou, ap-southeast-1; give one of them, or an explicit endpoint"
    );
    assert!(!error.to_string().contains("dds."));
    assert!(!error.to_string().contains("mongodb.eu-west-9"));
}

#[test]
fn an_explicit_endpoint_overrides_the_region() {
    let endpoint = resolve(TABLE, Some("eu-west-9"), Some("http://127.0.0.1:8089")).unwrap();
    assert_eq!(endpoint.scheme(), Scheme::Http);
    assert_eq!(endpoint.authority(), "127.0.0.1:8089");
    assert_eq!(endpoint.url(), "http://127.0.0.1:8089/");

    let endpoint = resolve(TABLE, None, Some("https://mongodb.aliyuncs.com")).unwrap();
    assert_eq!(endpoint.to_string(), "https://mongodb.aliyuncs.com");
}

#[test]
fn neither_region_nor_endpoint_is_an_error() {
    assert_eq!(
        resolve(TABLE, None, None).unwrap_err(),
        EndpointError::NothingGiven
    );
}

#[test]
fn a_bare_host_means_https() {
    let endpoint: Endpoint = "mongodb.cn-zhangjiakou.aliyuncs.com".parse().unwrap();
    assert_eq!(
        endpoint.url(),
        "https://mongodb.cn-zhangjiakou.aliyuncs.com/"
    );
    let with_port: Endpoint = "localhost:8443".parse().unwrap();
    assert_eq!(with_port.url(), "https://localhost:8443/");
}

#[test]
fn the_default_port_is_left_out_of_the_signed_host() {
    assert_eq!(
        Endpoint::parse("https://example.com:443")
            .unwrap()
            .authority(),
        "example.com"
    );
    assert_eq!(
        Endpoint::parse("http://127.0.0.1:80/").unwrap().authority(),
        "127.0.0.1"
    );
    assert_eq!(
        Endpoint::parse("http://127.0.0.1:443").unwrap().authority(),
        "127.0.0.1:443"
    );
}

#[test]
fn hosts_are_kept_in_lower_case_and_ipv6_addresses_in_brackets() {
    assert_eq!(
        Endpoint::parse("HTTPS://MongoDB.AliyunCS.com")
            .unwrap()
            .host(),
        "mongodb.aliyuncs.com"
    );
    let v6 = Endpoint::parse("http://[::1]:9000").unwrap();
    assert_eq!(v6.host(), "[::1]");
    assert_eq!(v6.authority(), "[::1]:9000");
}

#[test]
fn invalid_endpoints_say_what_is_wrong() {
    let reason = |text: &str| match Endpoint::parse(text).unwrap_err() {
        EndpointError::Invalid { endpoint, reason } => {
            assert_eq!(endpoint, text);
            reason
        }
        other => panic!("{text}: unexpected {other:?}"),
    };
    assert_eq!(reason(""), "it is empty");
    assert_eq!(reason("ftp://host"), "the scheme must be https or http");
    assert_eq!(
        reason("https://host/path"),
        "an endpoint is a host and port only, without a path"
    );
    assert_eq!(
        reason("https://host?x=1"),
        "an endpoint is a host and port only, without a path"
    );
    assert_eq!(
        reason("http://127.0.0.1:0"),
        "the port must be a number from 1 to 65535"
    );
    assert_eq!(
        reason("http://127.0.0.1:99999"),
        "the port must be a number from 1 to 65535"
    );
    assert_eq!(
        reason("http://127.0.0.1:"),
        "the port must be a number from 1 to 65535"
    );
    assert_eq!(
        reason("https://bad host"),
        "the host must be a name or an address (letters, digits, `-`, `.`)"
    );
    assert_eq!(reason("http://[::1"), "an IPv6 address must end with `]`");
}

#[test]
fn user_information_is_refused_without_repeating_it() {
    let error = Endpoint::parse("https://user:hunter2@example.com").unwrap_err();
    assert_eq!(error, EndpointError::UserInfo);
    assert!(!error.to_string().contains("hunter2"));
}
