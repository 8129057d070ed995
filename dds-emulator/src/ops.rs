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
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::model::{Instance, SslChange};
use crate::render::Node;
use crate::shape;
use crate::ssl::{self, SwitchMode};
use crate::store::Store;

/// Runs an admitted operation and builds its answer body.
pub(crate) async fn run(
    store: &Store,
    restart_time: Duration,
    operation: &'static OperationMeta,
    params: &WireParams,
    request_id: &str,
) -> Result<Node, ApiError> {
    let mut data = match operation.action {
        "ModifyDBInstanceSSL" => modify_db_instance_ssl(store, restart_time, params).await?,
        "DescribeDBInstanceSSL" => describe_db_instance_ssl(store, params)?,
        "DescribeDBInstanceAttribute" => describe_db_instance_attribute(store, params)?,
        _ => json!({}),
    };
    if let Value::Object(map) = &mut data {
        map.insert(
            String::from("RequestId"),
            Value::String(request_id.to_owned()),
        );
    }
    // The documented example fills what the emulator's state does not say. The generator
    // wrote it from valid JSON; a hand-built `OperationMeta` with bad text just has none.
    let example = operation
        .response_example
        .and_then(|text| serde_json::from_str::<Value>(text).ok());
    Ok(with_request_id(
        shape::build(operation.response, &data, example.as_ref()),
        request_id,
    ))
}

/// Every answer carries `RequestId`, even when a spec's shape forgot it.
fn with_request_id(node: Node, request_id: &str) -> Node {
    match node {
        Node::Object(mut props) => {
            if !props.iter().any(|(name, _)| name == "RequestId") {
                props.insert(0, (String::from("RequestId"), Node::string(request_id)));
            }
            Node::Object(props)
        }
        other => other,
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
) -> Result<Value, ApiError> {
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
        Some(result) => result.map(|()| json!({})),
    }
}

fn describe_db_instance_ssl(store: &Store, params: &WireParams) -> Result<Value, ApiError> {
    let id = instance_id(params)?;
    store
        .read(id, |instance| {
            json!({
                "SSLStatus": instance.ssl.status.as_str(),
                "CertCommonName": instance.ssl.cert_common_name,
                "SSLExpiredTime": instance.ssl.expired_time,
            })
        })
        .ok_or_else(ApiError::instance_not_found)
}

fn describe_db_instance_attribute(store: &Store, params: &WireParams) -> Result<Value, ApiError> {
    let id = instance_id(params)?;
    let instance = store
        .read(id, attributes)
        .ok_or_else(ApiError::instance_not_found)?;
    Ok(json!({ "DBInstances": { "DBInstance": [instance] } }))
}

/// An instance under the wire names of DescribeDBInstanceAttribute. The response shape picks
/// what it knows of these; anything it has that the emulator does not model comes from the
/// spec's examples.
fn attributes(instance: &Instance) -> Value {
    let replica_sets: Vec<Value> = ["Primary", "Secondary"]
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
    let tags: Vec<Value> = instance
        .tags
        .iter()
        .map(|t| json!({ "Key": t.key, "Value": t.value }))
        .collect();
    json!({
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
    })
}
