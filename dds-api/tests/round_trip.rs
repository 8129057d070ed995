//! Every valid request survives the trip to wire parameters and back unchanged, and valid
//! wire parameters survive the trip to a request and back.

mod fixture;

use dds_api::operation::{OperationMeta, TypeMeta};
use dds_api::operations::describe_db_instance_attribute::Engine;
use dds_api::operations::modify_db_instance_ssl::{SslAction, SwitchMode};
use dds_api::operations::{
    DescribeDbInstanceAttribute, DescribeDbInstanceSsl, ModifyDbInstanceSsl, OPERATIONS,
};
use dds_api::{Request, WireParams};
use fixture::create_thing::{CreateThing, Extra, Filter, Level, Mode, Status, Tag};
use proptest::prelude::*;

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

    #[test]
    fn valid_wire_parameters_of_every_registered_operation_are_accepted(
        seed in proptest::collection::vec(any::<(u8, String, bool)>(), 8)
    ) {
        for meta in OPERATIONS {
            let wire = wire_from_meta(meta, &seed);
            prop_assert_eq!((meta.check_wire)(&wire), Ok(()), "{}: {:?}", meta.action, wire);
        }
    }
}

/// Wire parameters that satisfy `meta`, from the metadata alone (as the emulator sees an
/// operation): each scalar parameter present or not, by the seed.
fn wire_from_meta(meta: &OperationMeta, seed: &[(u8, String, bool)]) -> WireParams {
    let mut wire = WireParams::new();
    for (param, (choice, text, present)) in meta.parameters.iter().zip(seed.iter().cycle()) {
        if !param.required && !present {
            continue;
        }
        let value = if !param.enum_values.is_empty() {
            param.enum_values[usize::from(*choice) % param.enum_values.len()].to_owned()
        } else {
            match param.ty {
                // Python's client sends `True`, Node's `true`.
                TypeMeta::Boolean => ["true", "False", "TRUE"][usize::from(*choice) % 3].to_owned(),
                TypeMeta::Int32 | TypeMeta::Int64 => choice.to_string(),
                TypeMeta::Number => format!("{choice}.5"),
                _ => text.clone(),
            }
        };
        wire.insert(param.wire_name.to_owned(), value);
    }
    wire
}
