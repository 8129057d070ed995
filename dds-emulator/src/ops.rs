//! What the operations do once the gateway admitted a request.
//!
//! Three operations have hand-written behaviour over the simulated instances; every other
//! operation of the registry answers from its response shape (see [`crate::shape`]), so a new
//! spec is served with no code here.

use std::time::Duration;

use dds_api::Request as _;
use dds_api::operation::{OperationMeta, WireParams};
use dds_api::operations::modify_db_instance_ssl::{
    ModifyDbInstanceSsl, SslAction, SwitchMode as GeneratedSwitchMode,
};

use crate::error::ApiError;
use crate::model::{Instance, SslChange, Tag};
use crate::render::Format;
use crate::shape::{Answer, Data};
use crate::ssl::{self, SwitchMode};
use crate::store::Store;

/// Runs an admitted operation and writes its answer body in `format`.
pub(crate) async fn run(
    store: &Store,
    restart_time: Duration,
    operation: &'static OperationMeta,
    params: &WireParams,
    request_id: &str,
    answer: &Answer,
    format: Format,
) -> Result<String, ApiError> {
    let request_id_field = ("RequestId", Data::text(request_id));
    // The instance is shared, not copied, and the store's lock is not held while the answer
    // is written. The data is built on the stack.
    match operation.action {
        "ModifyDBInstanceSSL" => {
            modify_db_instance_ssl(store, restart_time, params).await?;
            Ok(answer.render(format, &Data::object(&[request_id_field])))
        }
        "DescribeDBInstanceSSL" => {
            let instance = store
                .get(instance_id(params)?)
                .ok_or_else(ApiError::instance_not_found)?;
            let ssl = &instance.ssl;
            let data = [
                ("SSLStatus", Data::text(ssl.status.as_str())),
                ("CertCommonName", Data::text(&ssl.cert_common_name)),
                ("SSLExpiredTime", Data::text(&ssl.expired_time)),
                request_id_field,
            ];
            Ok(answer.render(format, &Data::object(&data)))
        }
        "DescribeDBInstanceAttribute" => {
            let instance = store
                .get(instance_id(params)?)
                .ok_or_else(ApiError::instance_not_found)?;
            Ok(with_attribute_data(&instance, request_id, |data| {
                answer.render(format, data)
            }))
        }
        _ => Ok(answer.render(format, &Data::object(&[request_id_field]))),
    }
}

/// The instance id a hand-written operation works on. `check_wire` already refused a request
/// without it.
fn instance_id(params: &WireParams) -> Result<&str, ApiError> {
    params
        .get("DBInstanceId")
        .map(String::as_str)
        .ok_or_else(|| ApiError::missing_parameter("DBInstanceId"))
}

async fn modify_db_instance_ssl(
    store: &Store,
    restart_time: Duration,
    params: &WireParams,
) -> Result<(), ApiError> {
    // The gateway ran the same parsing already; a failure here would be a registry mix-up.
    let request = ModifyDbInstanceSsl::from_wire(params)
        .map_err(|errors| ApiError::from_validation(&errors))?;
    let change = match request.ssl_action {
        SslAction::Open => SslChange::Open,
        SslAction::Close => SslChange::Close,
        SslAction::Update => SslChange::Update,
    };
    let mode = match request.switch_mode {
        None | Some(GeneratedSwitchMode::Immediately) => SwitchMode::Immediately,
        Some(GeneratedSwitchMode::MaintenanceWindow) => SwitchMode::MaintenanceWindow,
    };

    let outcome = store
        .modify(&request.db_instance_id, |instance, now| {
            ssl::modify_ssl(instance, change, mode, now, restart_time)
        })
        .await
        .map_err(ApiError::internal)?;
    match outcome {
        None => Err(ApiError::instance_not_found()),
        Some(result) => result,
    }
}

/// Calls `f` with DescribeDBInstanceAttribute's data for `instance`, built on the stack.
fn with_attribute_data<R>(
    instance: &Instance,
    request_id: &str,
    f: impl FnOnce(&Data<'_>) -> R,
) -> R {
    let domains = [1, 2].map(|n| format!("{}-{n}.mongodb.rds.aliyuncs.com", instance.id));
    let replica_sets = [("Primary", &domains[0]), ("Secondary", &domains[1])]
        .map(|(role, domain)| replica_set(instance, role, domain));
    let replica_sets = replica_sets.each_ref().map(Data::object);
    let tags: Vec<_> = instance.tags.iter().map(tag).collect();
    let tags: Vec<_> = tags.iter().map(Data::object).collect();
    let replica_sets = [("ReplicaSet", Data::list(&replica_sets))];
    let tags = [("Tag", Data::list(&tags))];
    let attributes = attributes(instance, &replica_sets, &tags);
    let instances = [Data::object(&attributes)];
    let db_instances = [("DBInstance", Data::list(&instances))];
    f(&Data::object(&[
        ("DBInstances", Data::object(&db_instances)),
        ("RequestId", Data::text(request_id)),
    ]))
}

/// One replica set of an instance, as DescribeDBInstanceAttribute lists it.
fn replica_set<'a>(
    instance: &'a Instance,
    role: &'static str,
    domain: &'a str,
) -> [(&'static str, Data<'a>); 4] {
    [
        ("ReplicaSetRole", Data::text(role)),
        ("ConnectionDomain", Data::text(domain)),
        ("ConnectionPort", Data::text("3717")),
        ("NetworkType", Data::text(&instance.network_type)),
    ]
}

fn tag(tag: &Tag) -> [(&'static str, Data<'_>); 2] {
    [
        ("Key", Data::text(&tag.key)),
        ("Value", Data::text(&tag.value)),
    ]
}

/// An instance under the wire names of DescribeDBInstanceAttribute. The response shape picks
/// what it knows of these; anything it has that the emulator does not model comes from the
/// spec's examples.
fn attributes<'a>(
    instance: &'a Instance,
    replica_sets: &'a [(&'static str, Data<'a>)],
    tags: &'a [(&'static str, Data<'a>)],
) -> [(&'static str, Data<'a>); 22] {
    [
        ("DBInstanceId", Data::text(&instance.id)),
        ("DBInstanceDescription", Data::text(&instance.description)),
        ("DBInstanceStatus", Data::text(&instance.status)),
        (
            "DBInstanceType",
            Data::text(instance.instance_type.as_str()),
        ),
        ("Engine", Data::text(&instance.engine)),
        ("EngineVersion", Data::text(&instance.engine_version)),
        ("LockMode", Data::text(&instance.lock_mode)),
        ("RegionId", Data::text(&instance.region_id)),
        ("ZoneId", Data::text(&instance.zone_id)),
        ("DBInstanceClass", Data::text(&instance.class)),
        (
            "DBInstanceStorage",
            Data::Integer(i64::from(instance.storage_gb)),
        ),
        ("StorageEngine", Data::text(&instance.storage_engine)),
        ("StorageType", Data::text(&instance.storage_type)),
        ("NetworkType", Data::text(&instance.network_type)),
        ("ChargeType", Data::text(&instance.charge_type)),
        (
            "ReplicationFactor",
            Data::text(&instance.replication_factor),
        ),
        ("MaintainStartTime", Data::text(&instance.maintain_start)),
        ("MaintainEndTime", Data::text(&instance.maintain_end)),
        ("CreationTime", Data::text(&instance.creation_time)),
        ("ResourceGroupId", Data::text(&instance.resource_group_id)),
        ("ReplicaSets", Data::object(replica_sets)),
        ("Tags", Data::object(tags)),
    ]
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::shape::to_value;

    #[test]
    fn an_instance_is_given_under_the_wire_names_of_describe_db_instance_attribute() {
        let mut instance = Instance::new("dds-x");
        instance.tags = vec![
            Tag {
                key: String::from("team"),
                value: String::from("a \"b\""),
            },
            Tag {
                key: String::from("empty"),
                value: String::new(),
            },
        ];
        instance.storage_gb = 40;
        let data = with_attribute_data(&instance, "R", to_value);
        // As the emulator built it with serde_json before answers were prepared.
        let replica_sets: Vec<_> = ["Primary", "Secondary"]
            .iter()
            .enumerate()
            .map(|(i, role)| {
                json!({
                    "ReplicaSetRole": role,
                    "ConnectionDomain": format!("{}-{}.mongodb.rds.aliyuncs.com", instance.id, i + 1),
                    "ConnectionPort": "3717",
                    "NetworkType": instance.network_type,
                })
            })
            .collect();
        let tags: Vec<_> = instance
            .tags
            .iter()
            .map(|t| json!({ "Key": t.key, "Value": t.value }))
            .collect();
        let attributes = json!({
            "DBInstanceId": instance.id,
            "DBInstanceDescription": instance.description,
            "DBInstanceStatus": instance.status,
            "DBInstanceType": instance.instance_type.as_str(),
            "Engine": instance.engine,
            "EngineVersion": instance.engine_version,
            "LockMode": instance.lock_mode,
            "RegionId": instance.region_id,
            "ZoneId": instance.zone_id,
            "DBInstanceClass": instance.class,
            "DBInstanceStorage": instance.storage_gb,
            "StorageEngine": instance.storage_engine,
            "StorageType": instance.storage_type,
            "NetworkType": instance.network_type,
            "ChargeType": instance.charge_type,
            "ReplicationFactor": instance.replication_factor,
            "MaintainStartTime": instance.maintain_start,
            "MaintainEndTime": instance.maintain_end,
            "CreationTime": instance.creation_time,
            "ResourceGroupId": instance.resource_group_id,
            "ReplicaSets": { "ReplicaSet": replica_sets },
            "Tags": { "Tag": tags },
        });
        let expected = json!({ "DBInstances": { "DBInstance": [attributes] }, "RequestId": "R" });
        assert_eq!(data, expected);
    }
}
