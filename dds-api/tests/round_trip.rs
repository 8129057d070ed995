//! Every valid request survives the trip to wire parameters and back unchanged, and valid
//! wire parameters survive the trip to a request and back.

mod fixture;

use dds_api::operation::{OperationMeta, ParamMeta, ParamStyle, TypeMeta};
use dds_api::operations::describe_db_instance_attribute::Engine;
use dds_api::operations::modify_db_instance_ssl::{SslAction, SwitchMode};
use dds_api::operations::{
    DescribeDbInstanceAttribute, DescribeDbInstanceSsl, ModifyDbInstanceSsl, OPERATIONS,
};
use dds_api::{Request, WireParams};
use fixture::create_thing::{CreateThing, Extra, Filter, Level, Mode, Status, Tag};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// `to_wire` then `from_wire` gives the request back, and the request is valid.
fn round_trip<R: Request>(request: &R) -> Result<(), TestCaseError> {
    prop_assert_eq!(request.validate(), Ok(()));
    let wire: WireParams = request.to_wire().into_iter().collect();
    let parsed = R::from_wire(&wire);
    prop_assert_eq!(parsed.as_ref(), Ok(request), "wire: {:?}", wire);
    Ok(())
}

/// Text with the characters that trouble encoders: spaces, `*~/+=&%`, non-ASCII, empty.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ *~/+=&%a-zA-Z0-9]{0,12}",
        Just(String::new()),
        Just("数据库 / é ~ *".to_owned()),
    ]
}

fn ssl_action() -> impl Strategy<Value = SslAction> {
    prop_oneof![
        Just(SslAction::Open),
        Just(SslAction::Close),
        Just(SslAction::Update)
    ]
}

fn switch_mode() -> impl Strategy<Value = SwitchMode> {
    prop_oneof![
        Just(SwitchMode::Immediately),
        Just(SwitchMode::MaintenanceWindow)
    ]
}

/// A valid `CreateThing`. Lists have at least one item and objects at least one field:
/// an empty one has no wire form (it is not sent), so it reads back as absent.
fn create_thing() -> impl Strategy<Value = CreateThing> {
    let tag =
        ("[a-z]{1,5}", proptest::option::of(text())).prop_map(|(key, value)| Tag { key, value });
    let filter = (
        proptest::option::of(prop_oneof![Just(Status::Running), Just(Status::Stopped)]),
        -100..=50i32,
    )
        .prop_map(|(status, limit)| Filter {
            status,
            limit: Some(limit),
        });
    let extra = (
        ".{1,8}",
        proptest::option::of(1..1000i32),
        proptest::option::of(proptest::collection::vec(text(), 0..3)),
    )
        .prop_map(|(owner, shards, labels)| Extra {
            owner,
            shards,
            labels,
        });
    (
        (
            "[a-z][a-z0-9-]{1,9}",
            proptest::option::of(text()),
            proptest::option::of(1..=100i32),
        ),
        (
            proptest::option::of(-5_000_000_000..=5_000_000_000i64),
            proptest::option::of(0.0..=1.0f64),
            proptest::option::of(any::<bool>()),
        ),
        (
            proptest::option::of(prop_oneof![Just(Mode::Fast), Just(Mode::Safe)]),
            proptest::option::of(prop_oneof![Just(Level::Low), Just(Level::High)]),
            proptest::option::of(text()),
        ),
        (
            proptest::option::of(proptest::collection::vec(tag, 1..=3)),
            proptest::option::of(proptest::collection::vec(".{0,8}", 1..=2)),
            proptest::option::of(proptest::collection::vec(1..=65535i32, 1..4)),
        ),
        (
            proptest::option::of(filter),
            proptest::option::of(extra),
            proptest::option::of(proptest::collection::vec(text(), 0..=2)),
        ),
    )
        .prop_map(
            |(
                (name, note, count),
                (size, ratio, enabled),
                (mode, level, type_),
                (tag, zone_id, port),
                (filter, extra, scopes),
            )| {
                CreateThing {
                    name,
                    note,
                    count,
                    size,
                    ratio,
                    enabled,
                    mode,
                    level,
                    type_,
                    tag,
                    zone_id,
                    port,
                    filter,
                    extra,
                    scopes,
                }
            },
        )
}

proptest! {
    #[test]
    fn modify_db_instance_ssl_round_trips(
        db_instance_id in text(),
        ssl_action in ssl_action(),
        switch_mode in proptest::option::of(switch_mode()),
    ) {
        round_trip(&ModifyDbInstanceSsl { db_instance_id, ssl_action, switch_mode })?;
    }

    #[test]
    fn describe_db_instance_ssl_round_trips(db_instance_id in text()) {
        round_trip(&DescribeDbInstanceSsl { db_instance_id })?;
    }

    #[test]
    fn describe_db_instance_attribute_round_trips(
        db_instance_id in text(),
        engine in proptest::option::of(Just(Engine::MongoDb)),
        resource_group_id in proptest::option::of(text()),
        is_delete in proptest::option::of(any::<bool>()),
    ) {
        round_trip(&DescribeDbInstanceAttribute { db_instance_id, engine, resource_group_id, is_delete })?;
    }

    #[test]
    fn a_request_using_every_feature_round_trips(request in create_thing()) {
        round_trip(&request)?;
    }
}

/// Cases per registered operation: every operation gets its own run.
const CASES_PER_OPERATION: u32 = 48;

#[test]
fn valid_wire_parameters_of_every_registered_operation_are_accepted_and_read_back_unchanged() {
    assert!(!OPERATIONS.is_empty());
    for meta in OPERATIONS {
        let mut runner = TestRunner::new(Config {
            cases: CASES_PER_OPERATION,
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&operation_wire(meta), |case| {
            let sent: WireParams = case
                .iter()
                .map(|p| (p.name.clone(), p.sent.clone()))
                .collect();
            prop_assert_eq!(sent.len(), case.len(), "a wire name is generated once");
            prop_assert_eq!((meta.check_wire)(&sent), Ok(()), "sent: {:?}", sent);

            // Parsed and written back, the parameters are the same, in canonical spelling
            // (`True` is written `true`). A JSON-encoded value may be re-encoded differently.
            let back =
                (meta.reencode_wire)(&sent).map_err(|e| TestCaseError::fail(e.to_string()))?;
            if case.iter().all(|p| p.canonical.is_some()) {
                let expected: Vec<(String, String)> = {
                    let mut pairs: Vec<_> = case
                        .iter()
                        .map(|p| (p.name.clone(), p.canonical.clone().unwrap_or_default()))
                        .collect();
                    pairs.sort();
                    pairs
                };
                let mut back_sorted = back.clone();
                back_sorted.sort();
                prop_assert_eq!(back_sorted, expected, "sent: {:?}", sent);
            } else {
                let back: WireParams = back.into_iter().collect();
                prop_assert_eq!((meta.check_wire)(&back), Ok(()));
            }
            Ok(())
        });
        if let Err(error) = result {
            panic!("{}: {error}", meta.action);
        }
    }
}

/// One generated wire parameter.
#[derive(Debug, Clone)]
struct WirePair {
    name: String,
    /// The text sent.
    sent: String,
    /// The text `to_wire` writes for the parsed value; `None` when it cannot be predicted
    /// (a JSON-encoded parameter).
    canonical: Option<String>,
}

type Pairs = BoxedStrategy<Vec<WirePair>>;

/// Wire parameters of `meta` that satisfy every constraint its metadata states, from the
/// metadata alone (as the emulator sees an operation): required parameters always, optional
/// ones or not.
fn operation_wire(meta: &'static OperationMeta) -> Pairs {
    let params: Vec<Pairs> = meta
        .parameters
        .iter()
        .map(|p| parameter(p.wire_name.to_owned(), p))
        .collect();
    params
        .prop_map(|lists| lists.into_iter().flatten().collect())
        .boxed()
}

/// A parameter (or an object field) under `name`: present when required, else maybe.
fn parameter(name: String, param: &'static ParamMeta) -> Pairs {
    let present = present(name, param);
    if param.required {
        present
    } else {
        prop_oneof![Just(Vec::new()), present].boxed()
    }
}

fn present(name: String, param: &'static ParamMeta) -> Pairs {
    if param.style == ParamStyle::Json {
        return json_parameter(name, param);
    }
    match param.ty {
        TypeMeta::Array(item) => {
            // An empty list has no wire form; `maxItems` bounds the count.
            let most = param.max_items.unwrap_or(3).min(3) as usize;
            if most == 0 {
                return Just(Vec::new()).boxed();
            }
            list(name, item, most)
        }
        TypeMeta::Object(fields) => object(name, fields),
        ty => scalar(name, ty, Some(param)),
    }
}

fn list(name: String, item: &'static TypeMeta, most: usize) -> Pairs {
    proptest::collection::vec(Just(()), 1..=most)
        .prop_flat_map(move |slots| {
            let items: Vec<Pairs> = (1..=slots.len())
                .map(|i| list_item(format!("{name}.{i}"), item))
                .collect();
            items.prop_map(|lists| lists.into_iter().flatten().collect::<Vec<_>>())
        })
        .boxed()
}

/// A list item: the metadata keeps only its type, not its constraints (see the spec README).
fn list_item(name: String, item: &'static TypeMeta) -> Pairs {
    match item {
        TypeMeta::Array(inner) => list(name, inner, 3),
        TypeMeta::Object(fields) => object(name, fields),
        ty => scalar(name, *ty, None),
    }
}

/// An object's fields under `name.`; at least one, since an empty object is not sent.
fn object(name: String, fields: &'static [ParamMeta]) -> Pairs {
    let fields: Vec<Pairs> = fields
        .iter()
        .map(|f| parameter(format!("{name}.{}", f.wire_name), f))
        .collect();
    fields
        .prop_map(|lists| lists.into_iter().flatten().collect::<Vec<_>>())
        .prop_filter("an object without fields is not sent", |pairs| {
            !pairs.is_empty()
        })
        .boxed()
}

/// A JSON-encoded parameter: a JSON value of the described type. What `to_wire` writes
/// back (field order, number spelling) is the encoder's business, so it is only checked to
/// be accepted again.
fn json_parameter(name: String, param: &'static ParamMeta) -> Pairs {
    json_value(&param.ty)
        .prop_map(move |value| {
            vec![WirePair {
                name: name.clone(),
                sent: value.to_string(),
                canonical: None,
            }]
        })
        .boxed()
}

fn json_value(ty: &'static TypeMeta) -> BoxedStrategy<serde_json::Value> {
    use serde_json::Value;
    match ty {
        TypeMeta::String => text().prop_map(Value::from).boxed(),
        TypeMeta::Int32 | TypeMeta::Int64 => (0..1000i64).prop_map(Value::from).boxed(),
        TypeMeta::Number => (0..1000i64)
            .prop_map(|n| Value::from(n as f64 / 4.0))
            .boxed(),
        TypeMeta::Boolean => any::<bool>().prop_map(Value::from).boxed(),
        TypeMeta::Array(item) => proptest::collection::vec(json_value(item), 0..3)
            .prop_map(Value::from)
            .boxed(),
        TypeMeta::Object(fields) => {
            let fields: Vec<BoxedStrategy<Option<(String, Value)>>> = fields
                .iter()
                .map(|f| {
                    let value =
                        json_value(&f.ty).prop_map(move |v| Some((f.wire_name.to_owned(), v)));
                    if f.required {
                        value.boxed()
                    } else {
                        prop_oneof![Just(None), value].boxed()
                    }
                })
                .collect();
            fields
                .prop_map(|fields| Value::Object(fields.into_iter().flatten().collect()))
                .boxed()
        }
    }
}

/// A scalar value satisfying `limits` (enum, range, length, pattern) when given.
fn scalar(name: String, ty: TypeMeta, limits: Option<&'static ParamMeta>) -> Pairs {
    let single = move |strategy: BoxedStrategy<(String, String)>| -> Pairs {
        strategy
            .prop_map(move |(sent, canonical)| {
                vec![WirePair {
                    name: name.clone(),
                    sent,
                    canonical: Some(canonical),
                }]
            })
            .boxed()
    };
    if let Some(values) = limits.map(|p| p.enum_values).filter(|v| !v.is_empty()) {
        return single(
            proptest::sample::select(values)
                .prop_map(|v| (v.to_owned(), v.to_owned()))
                .boxed(),
        );
    }
    let minimum = limits.and_then(|p| p.minimum);
    let maximum = limits.and_then(|p| p.maximum);
    match ty {
        TypeMeta::Boolean => single(
            // Python's client sends `True`, Node's `true`; both read back as `true`.
            proptest::sample::select(
                &[
                    ("true", "true"),
                    ("True", "true"),
                    ("false", "false"),
                    ("FALSE", "false"),
                ][..],
            )
            .prop_map(|(sent, canonical)| (sent.to_owned(), canonical.to_owned()))
            .boxed(),
        ),
        TypeMeta::Int32 => single(
            integer(minimum, maximum, i32::MIN.into(), i32::MAX.into())
                .prop_map(|n| (n.to_string(), n.to_string()))
                .boxed(),
        ),
        TypeMeta::Int64 => single(
            integer(minimum, maximum, i64::MIN, i64::MAX)
                .prop_map(|n| (n.to_string(), n.to_string()))
                .boxed(),
        ),
        TypeMeta::Number => {
            // Quarters print exactly, so the value reads back with the same spelling.
            let low = (minimum.unwrap_or(-1.0e6) * 4.0).ceil() as i64;
            let high = (maximum.unwrap_or(1.0e6) * 4.0).floor() as i64;
            single(
                (low..=high)
                    .prop_map(|quarters| {
                        let text = (quarters as f64 / 4.0).to_string();
                        (text.clone(), text)
                    })
                    .boxed(),
            )
        }
        _ => single(string(limits).prop_map(|text| (text.clone(), text)).boxed()),
    }
}

/// An integer within the bounds of the spec and of the type.
fn integer(minimum: Option<f64>, maximum: Option<f64>, low: i64, high: i64) -> BoxedStrategy<i64> {
    let low = minimum.map_or(low, |m| (m.ceil() as i64).max(low));
    let high = maximum.map_or(high, |m| (m.floor() as i64).min(high));
    // Mostly near the bounds, where off-by-one mistakes live.
    prop_oneof![
        Just(low),
        Just(high),
        low..=high,
        low..=low.saturating_add(3).min(high),
    ]
    .boxed()
}

/// Text within the length bounds and matching the pattern, when the spec states them.
fn string(limits: Option<&'static ParamMeta>) -> BoxedStrategy<String> {
    let min = limits.and_then(|p| p.min_length).unwrap_or(0) as usize;
    let max = limits
        .and_then(|p| p.max_length)
        .map_or(min + 12, |max| (max as usize).min(min + 12));
    if let Some(pattern) = limits.and_then(|p| p.pattern) {
        return proptest::string::string_regex(pattern)
            .unwrap_or_else(|e| panic!("no generator for the pattern {pattern:?}: {e}"))
            .prop_filter("within the length bounds", move |s| {
                (min..=max).contains(&s.chars().count())
            })
            .boxed();
    }
    // The characters that trouble encoders, and any others.
    let character = prop_oneof![
        proptest::char::any(),
        proptest::sample::select(&[' ', '*', '~', '/', '+', '=', '&', '%', '数', 'é'][..]),
        proptest::char::range('a', 'z'),
    ];
    proptest::collection::vec(character, min..=max)
        .prop_map(|chars| chars.into_iter().collect())
        .boxed()
}
