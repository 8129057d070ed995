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
    let request_id = ("RequestId", Data::text(request_id));
    // The instance is shared, not copied, and the store's lock is not held while the answer
    // is written. The data is built on the stack.
    match operation.action {
        "ModifyDBInstanceSSL" => {
            modify_db_instance_ssl(store, restart_time, params).await?;
            Ok(answer.render(format, &Data::object(&[request_id])))
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
                request_id,
            ];
            Ok(answer.render(format, &Data::object(&data)))
        }
        "DescribeDBInstanceAttribute" => {
            let instance = store
                .get(instance_id(params)?)
                .ok_or_else(ApiError::instance_not_found)?;
            let domains = [1, 2].map(|n| format!("{}-{n}.mongodb.rds.aliyuncs.com", instance.id));
            let replica_sets = [("Primary", &domains[0]), ("Secondary", &domains[1])]
                .map(|(role, domain)| replica_set(&instance, role, domain));
            let replica_sets = replica_sets.each_ref().map(Data::object);
            let tags: Vec<_> = instance.tags.iter().map(tag).collect();
            let tags: Vec<_> = tags.iter().map(Data::object).collect();
            let replica_sets = [("ReplicaSet", Data::list(&replica_sets))];
            let tags = [("Tag", Data::list(&tags))];
            let attributes = attributes(&instance, &replica_sets, &tags);
            let instances = [Data::object(&attributes)];
            let db_instances = [("DBInstance", Data::list(&instances))];
            let data = [("DBInstances", Data::object(&db_instances)), request_id];
            Ok(answer.render(format, &Data::object(&data)))
        }
        _ => Ok(answer.render(format, &Data::object(&[request_id]))),
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
