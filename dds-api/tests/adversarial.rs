//! Hostile input to the runtime's wire helpers and generated requests: odd numbering of
//! flattened lists, reserved and non-ASCII characters. Each gets a clear answer, quickly.

mod fixture;

use dds_api::Request;
use dds_api::WireParams;
use dds_api::validation::Rule;
use fixture::create_thing::CreateThing;

fn params(pairs: &[(&str, &str)]) -> WireParams {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn list_index_detail(errors: &dds_api::ValidationErrors, name: &str) -> String {
    errors
        .violations()
        .iter()
        .find_map(|v| match &v.rule {
            Rule::ListIndex { detail } if v.parameter == name => Some(detail.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no list numbering violation for {name}: {errors:?}"))
}

#[test]
fn a_list_numbered_far_past_its_items_is_reported_briefly() {
    // One item numbered 200000: the gap is reported without naming every missing number
    // (a request of a few bytes must not make the checker build a huge message).
    let errors = CreateThing::from_wire(&params(&[
        ("Name", "ab"),
        ("ZoneId.1", "a"),
        ("ZoneId.200000", "b"),
    ]))
    .expect_err("a gap");
    let detail = list_index_detail(&errors, "ZoneId");
    assert!(detail.contains("ZoneId.2"), "{detail}");
    assert!(
        detail.len() < 300,
        "{} bytes: {}...",
        detail.len(),
        &detail[..200]
    );
    assert!(detail.contains("and 199993 more"), "{detail}");

    // The largest number there is: answered at once.
    let errors = CreateThing::from_wire(&params(&[
        ("Name", "ab"),
        ("ZoneId.18446744073709551615", "b"),
    ]))
    .expect_err("a gap");
    let detail = list_index_detail(&errors, "ZoneId");
    assert!(detail.contains("ZoneId.1,"), "{detail}");
}

#[test]
fn zero_padded_and_zero_item_numbers_are_refused() {
    for key in [
        "Tag.0.Key",
        "Tag.01.Key",
        "Tag.+1.Key",
        "Tag.-1.Key",
        "Tag..Key",
        "Tag.1a.Key",
    ] {
        let errors = CreateThing::from_wire(&params(&[("Name", "ab"), (key, "k")])).expect_err(key);
        let detail = list_index_detail(&errors, "Tag");
        assert!(detail.contains(key), "{key}: {detail}");
    }
}

#[test]
fn values_with_reserved_and_non_ascii_characters_survive_the_wire() {
    let note = "a&b=c%d+e*f~g/h i\u{e9}\u{65e5}\u{1F600}%20%2A";
    let thing = CreateThing::builder()
        .name("ab")
        .note(note)
        .build()
        .expect("valid");
    let wire: WireParams = thing.to_wire().into_iter().collect();
    assert_eq!(wire.get("Note").map(String::as_str), Some(note));
    let back = CreateThing::from_wire(&wire).expect("parses back");
    assert_eq!(back.note.as_deref(), Some(note));
}

#[test]
fn an_endpoint_keeps_the_host_in_the_form_the_http_client_sends() {
    use dds_api::endpoint::Endpoint;
    for (text, authority) in [
        ("http://127.1:8080", "127.0.0.1:8080"),
        ("http://0x7f.0.0.1:8080", "127.0.0.1:8080"),
        ("http://[0:0:0:0:0:0:0:1]:8080", "[::1]:8080"),
        ("https://MongoDB.AliyunCS.com", "mongodb.aliyuncs.com"),
    ] {
        let endpoint = Endpoint::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(endpoint.authority(), authority, "{text}");
    }
}

mod responses {
    use dds_api::operations::describe_db_instance_attribute::DescribeDbInstanceAttributeResponse;
    use dds_api::operations::describe_db_instance_ssl::DescribeDbInstanceSslResponse;

    fn decode(body: &str) -> Result<DescribeDbInstanceAttributeResponse, serde_json::Error> {
        serde_json::from_str(body)
    }

    fn max_iops(body: &str) -> Result<Option<i32>, String> {
        decode(body)
            .map(|r| r.db_instances.expect("DBInstances").db_instance[0].max_iops)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn numbers_out_of_range_or_not_integers_are_errors_not_wrapped_or_truncated() {
        for value in [
            "\"3000000000\"",
            "3000000000",
            "\"1.5\"",
            "1.5",
            "\"0x10\"",
            "\"1e3\"",
            "\"\u{0661}\"",
            "true",
            "[1]",
            "{}",
        ] {
            let body = format!(r#"{{"DBInstances": {{"DBInstance": [{{"MaxIOPS": {value}}}]}}}}"#);
            if let Ok(found) = max_iops(&body) {
                panic!("{value} was read as {found:?}");
            }
        }
    }

    #[test]
    fn integers_with_spaces_signs_or_leading_zeros_are_read_or_refused_but_never_misread() {
        for (value, expected) in [
            ("\" 12 \"", 12),
            ("\"+12\"", 12),
            ("\"012\"", 12),
            ("\"-0\"", 0),
        ] {
            let body = format!(r#"{{"DBInstances": {{"DBInstance": [{{"MaxIOPS": {value}}}]}}}}"#);
            if let Ok(found) = max_iops(&body) {
                assert_eq!(found, Some(expected), "{value}");
            }
        }
    }

    #[test]
    fn odd_top_level_bodies_are_errors_not_panics() {
        // `null`, `[]` and `[{}]` are refused by the client before decoding (not an object).
        let bodies = ["", r#""x""#, "{", r#"{"DBInstances":"#, "{}}"];
        for body in bodies {
            let result: Result<DescribeDbInstanceSslResponse, _> = serde_json::from_str(body);
            if let Ok(response) = result {
                panic!("{body:?} decoded as {response:?}");
            }
        }
    }

    #[test]
    fn deeply_nested_values_in_ignored_fields_are_skipped_without_a_stack_overflow() {
        let depth = 100_000;
        let body = format!(
            r#"{{"RequestId":"r","Extra":{}{}}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let result: Result<DescribeDbInstanceSslResponse, _> = serde_json::from_str(&body);
        // Skipped without recursion (or refused): either way the known field is intact.
        if let Ok(response) = result {
            assert_eq!(response.request_id.as_deref(), Some("r"));
        }
    }

    #[test]
    fn an_array_where_an_object_is_expected_is_not_read_by_position() {
        for body in [
            r#"{"DBInstances": {"DBInstance": [["dds-x", "dds-y"]]}}"#,
            r#"{"DBInstances": [[{"DBInstanceId": "dds-x"}]]}"#,
            r#"{"DBInstances": ["dds-x"]}"#,
        ] {
            if let Ok(response) = decode(body) {
                let text = format!("{response:?}");
                assert!(!text.contains("dds-x"), "{body} read by position: {text}");
            }
        }
    }
}
