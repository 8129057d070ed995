//! The simulated instances: their attributes, their SSL state, and the fixture file format.
//!
//! A fixture file and a state file share one JSON format (documented in the crate's
//! README): `{"Instances": [ {...}, ... ]}`, each instance with its attributes under the
//! wire names that DescribeDBInstanceAttribute answers with. A state file is therefore also a
//! valid fixture.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::clock::format_timestamp;

/// How long a certificate issued by the emulator stays valid.
pub(crate) const CERTIFICATE_LIFETIME: Duration = Duration::from_secs(365 * 24 * 3600);

/// The contents of a fixture or state file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// The instances, in the order `DescribeDBInstances`-style answers list them.
    #[serde(rename = "Instances")]
    pub instances: Vec<Instance>,
}

/// One simulated instance.
///
/// Fields carry the wire names of DescribeDBInstanceAttribute; everything but
/// `DBInstanceId` has a default, so a fixture names only what it cares about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    /// `DBInstanceId`, unique within the fixture.
    #[serde(rename = "DBInstanceId")]
    pub id: String,
    /// `DBInstanceDescription`.
    #[serde(rename = "DBInstanceDescription", default)]
    pub description: String,
    /// `DBInstanceStatus`: `Running`, `Creating`, `SSLModifying`, ... Only `Running`
    /// instances accept an SSL change.
    #[serde(rename = "DBInstanceStatus", default = "defaults::status")]
    pub status: String,
    /// `DBInstanceType`: `replicate`, `sharding` or `serverless`.
    #[serde(rename = "DBInstanceType", default)]
    pub instance_type: InstanceType,
    /// `Engine`, always `MongoDB` on the real service.
    #[serde(rename = "Engine", default = "defaults::engine")]
    pub engine: String,
    /// `EngineVersion` as `major.minor`, e.g. `4.4`.
    #[serde(rename = "EngineVersion", default = "defaults::engine_version")]
    pub engine_version: String,
    /// `LockMode`: `Unlock`, `ManualLock`, `LockByExpiration`, ... Anything but `Unlock`
    /// refuses an SSL change.
    #[serde(rename = "LockMode", default = "defaults::lock_mode")]
    pub lock_mode: String,
    /// `RegionId`.
    #[serde(rename = "RegionId", default = "defaults::region")]
    pub region_id: String,
    /// `ZoneId`.
    #[serde(rename = "ZoneId", default = "defaults::zone")]
    pub zone_id: String,
    /// `DBInstanceClass`.
    #[serde(rename = "DBInstanceClass", default = "defaults::class")]
    pub class: String,
    /// `DBInstanceStorage`, in GB.
    #[serde(rename = "DBInstanceStorage", default = "defaults::storage")]
    pub storage_gb: u32,
    /// `StorageEngine`.
    #[serde(rename = "StorageEngine", default = "defaults::storage_engine")]
    pub storage_engine: String,
    /// `StorageType`, e.g. `cloud_essd1` or `local_ssd`. Sharded clusters accept SSL only on
    /// ESSD (`cloud_essd*`) disks.
    #[serde(rename = "StorageType", default = "defaults::storage_type")]
    pub storage_type: String,
    /// `NetworkType`.
    #[serde(rename = "NetworkType", default = "defaults::network_type")]
    pub network_type: String,
    /// `ChargeType`.
    #[serde(rename = "ChargeType", default = "defaults::charge_type")]
    pub charge_type: String,
    /// `ReplicationFactor`.
    #[serde(rename = "ReplicationFactor", default = "defaults::replication_factor")]
    pub replication_factor: String,
    /// `MaintainStartTime`, `HH:mmZ` (UTC): where the maintenance window starts.
    #[serde(rename = "MaintainStartTime", default = "defaults::maintain_start")]
    pub maintain_start: String,
    /// `MaintainEndTime`, `HH:mmZ` (UTC).
    #[serde(rename = "MaintainEndTime", default = "defaults::maintain_end")]
    pub maintain_end: String,
    /// `CreationTime`, `yyyy-MM-ddTHH:mm:ssZ`.
    #[serde(rename = "CreationTime", default = "defaults::creation_time")]
    pub creation_time: String,
    /// `ResourceGroupId`.
    #[serde(rename = "ResourceGroupId", default = "defaults::resource_group")]
    pub resource_group_id: String,
    /// `Tags.Tag[]`.
    #[serde(rename = "Tags", default)]
    pub tags: Vec<Tag>,
    /// The SSL state DescribeDBInstanceSSL answers with.
    #[serde(rename = "SSL", default)]
    pub ssl: SslState,
    /// An accepted SSL change not finished yet.
    #[serde(
        rename = "PendingSSLChange",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub pending: Option<PendingSslChange>,
}

/// `DBInstanceType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum InstanceType {
    /// A replica set.
    #[default]
    #[serde(rename = "replicate")]
    Replicate,
    /// A sharded cluster.
    #[serde(rename = "sharding")]
    Sharding,
    /// A serverless instance.
    #[serde(rename = "serverless")]
    Serverless,
}

impl InstanceType {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            InstanceType::Replicate => "replicate",
            InstanceType::Sharding => "sharding",
            InstanceType::Serverless => "serverless",
        }
    }
}

/// A tag on an instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tag {
    /// `Key`.
    #[serde(rename = "Key")]
    pub key: String,
    /// `Value`.
    #[serde(rename = "Value", default)]
    pub value: String,
}

/// SSL as DescribeDBInstanceSSL reports it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SslState {
    /// `SSLStatus`.
    #[serde(rename = "Status", default)]
    pub status: SslStatus,
    /// `CertCommonName`, empty while SSL is closed.
    #[serde(rename = "CertCommonName", default)]
    pub cert_common_name: String,
    /// `SSLExpiredTime`, `yyyy-MM-ddTHH:mm:ssZ`, empty while SSL is closed.
    #[serde(rename = "ExpiredTime", default)]
    pub expired_time: String,
}

/// `SSLStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SslStatus {
    /// SSL is on.
    Open,
    /// SSL is off.
    #[default]
    Closed,
}

impl SslStatus {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            SslStatus::Open => "Open",
            SslStatus::Closed => "Closed",
        }
    }
}

/// `SSLAction` of ModifyDBInstanceSSL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SslChange {
    /// Turn SSL on.
    Open,
    /// Turn SSL off.
    Close,
    /// Renew the certificate.
    Update,
}

/// An accepted SSL change: the instance goes to `SSLModifying` at `StartsAtMs` and back to
/// `Running`, with the change applied, at `DoneAtMs` (both milliseconds since 1970, UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PendingSslChange {
    /// What changes.
    #[serde(rename = "Action")]
    pub action: SslChange,
    /// When the restart begins.
    #[serde(rename = "StartsAtMs")]
    pub starts_at_ms: u64,
    /// When the instance is `Running` again.
    #[serde(rename = "DoneAtMs")]
    pub done_at_ms: u64,
}

impl Instance {
    /// An instance with the given id and every other attribute at its default.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            description: String::new(),
            status: defaults::status(),
            instance_type: InstanceType::default(),
            engine: defaults::engine(),
            engine_version: defaults::engine_version(),
            lock_mode: defaults::lock_mode(),
            region_id: defaults::region(),
            zone_id: defaults::zone(),
            class: defaults::class(),
            storage_gb: defaults::storage(),
            storage_engine: defaults::storage_engine(),
            storage_type: defaults::storage_type(),
            network_type: defaults::network_type(),
            charge_type: defaults::charge_type(),
            replication_factor: defaults::replication_factor(),
            maintain_start: defaults::maintain_start(),
            maintain_end: defaults::maintain_end(),
            creation_time: defaults::creation_time(),
            resource_group_id: defaults::resource_group(),
            tags: Vec::new(),
            ssl: SslState::default(),
            pending: None,
        }
    }

    /// The engine version as `(major, minor)`, when it has that form.
    pub fn engine_version_number(&self) -> Option<(u32, u32)> {
        let mut parts = self.engine_version.splitn(2, '.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next().map_or(Some(0), |m| m.parse().ok())?;
        Some((major, minor))
    }

    /// The common name of the certificate the emulator issues for this instance.
    pub(crate) fn certificate_common_name(&self) -> String {
        format!("{}.mongodb.rds.aliyuncs.com", self.id)
    }

    /// Brings the instance up to `now`: starts a scheduled restart whose time has come, and
    /// finishes one whose restart time has passed. Idempotent; the outcome depends only on
    /// the stored pending change and `now`, so a state file read back later settles the same
    /// way.
    pub(crate) fn settle(&mut self, now: SystemTime) {
        let Some(pending) = self.pending else {
            return;
        };
        let now_ms = millis(now);
        if now_ms >= pending.done_at_ms {
            let done_at = UNIX_EPOCH + Duration::from_millis(pending.done_at_ms);
            match pending.action {
                SslChange::Open | SslChange::Update => {
                    self.ssl = SslState {
                        status: SslStatus::Open,
                        cert_common_name: self.certificate_common_name(),
                        expired_time: format_timestamp(done_at + CERTIFICATE_LIFETIME),
                    };
                }
                SslChange::Close => self.ssl = SslState::default(),
            }
            self.status = String::from(RUNNING);
            self.pending = None;
        } else if now_ms >= pending.starts_at_ms {
            self.status = String::from(SSL_MODIFYING);
        }
    }

    /// Checks what serde cannot: version and window formats.
    fn check(&self) -> Result<(), String> {
        if self.id.is_empty() {
            return Err(String::from("DBInstanceId is empty"));
        }
        if self.engine_version_number().is_none() {
            return Err(format!(
                "instance {}: EngineVersion {:?} is not of the form major.minor",
                self.id, self.engine_version
            ));
        }
        for (name, value) in [
            ("MaintainStartTime", &self.maintain_start),
            ("MaintainEndTime", &self.maintain_end),
        ] {
            if parse_time_of_day(value).is_none() {
                return Err(format!(
                    "instance {}: {name} {value:?} is not of the form HH:mmZ",
                    self.id
                ));
            }
        }
        Ok(())
    }

    /// The maintenance window as minutes after midnight UTC, `(start, end)`.
    pub(crate) fn maintenance_window(&self) -> (u32, u32) {
        (
            parse_time_of_day(&self.maintain_start).unwrap_or(0),
            parse_time_of_day(&self.maintain_end).unwrap_or(0),
        )
    }
}

/// The `Running` status.
pub(crate) const RUNNING: &str = "Running";
/// The status while an SSL change restarts the instance.
pub(crate) const SSL_MODIFYING: &str = "SSLModifying";

/// Milliseconds since 1970 (0 for earlier times).
pub(crate) fn millis(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Parses `HH:mmZ` into minutes after midnight.
fn parse_time_of_day(text: &str) -> Option<u32> {
    let rest = text.strip_suffix('Z')?;
    let (h, m) = rest.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// A fixture file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a valid fixture.
    #[error("{origin} is not a valid instance fixture: {message}")]
    Invalid {
        /// The file, or `fixture` for in-memory text.
        origin: String,
        /// What is wrong, with line and column for JSON errors.
        message: String,
    },
}

impl Fixture {
    /// Parses and checks fixture text. `origin` names the source in errors.
    pub fn from_json(text: &str, origin: &str) -> Result<Self, FixtureError> {
        let invalid = |message: String| FixtureError::Invalid {
            origin: origin.to_owned(),
            message,
        };
        let fixture: Fixture = serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let mut seen = BTreeSet::new();
        for instance in &fixture.instances {
            instance.check().map_err(invalid)?;
            if !seen.insert(instance.id.as_str()) {
                return Err(invalid(format!(
                    "DBInstanceId {} appears twice",
                    instance.id
                )));
            }
        }
        Ok(fixture)
    }

    /// Reads and checks a fixture file.
    pub fn from_file(path: &Path) -> Result<Self, FixtureError> {
        let text = std::fs::read_to_string(path).map_err(|source| FixtureError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_json(&text, &path.display().to_string())
    }

    /// The built-in instances: one of each case the SSL rules distinguish.
    ///
    /// | DBInstanceId | what it is |
    /// |---|---|
    /// | `dds-demo-rs40` | replica set, 4.0, Running, SSL closed |
    /// | `dds-demo-rs44-ssl` | replica set, 4.4, Running, SSL open |
    /// | `dds-demo-sharded` | sharded cluster, 4.4, local SSD disks, Running |
    /// | `dds-demo-locked` | replica set, 4.2, Running, `ManualLock` |
    /// | `dds-demo-creating` | replica set, 5.0, still `Creating` |
    /// | `dds-demo-rs32` | replica set, 3.2, Running |
    pub fn builtin() -> Self {
        let mut rs40 = Instance::new(DEMO_RS40);
        rs40.description = String::from("replica set on 4.0");
        rs40.engine_version = String::from("4.0");

        let mut rs44 = Instance::new(DEMO_RS44_SSL);
        rs44.description = String::from("replica set on 4.4 with SSL on");
        rs44.engine_version = String::from("4.4");
        rs44.ssl = SslState {
            status: SslStatus::Open,
            cert_common_name: rs44.certificate_common_name(),
            expired_time: String::from("2027-06-30T00:00:00Z"),
        };
        rs44.tags = vec![Tag {
            key: String::from("env"),
            value: String::from("demo"),
        }];

        let mut sharded = Instance::new(DEMO_SHARDED);
        sharded.description = String::from("sharded cluster on 4.4");
        sharded.instance_type = InstanceType::Sharding;
        sharded.engine_version = String::from("4.4");
        sharded.storage_type = String::from("local_ssd");

        let mut locked = Instance::new(DEMO_LOCKED);
        locked.description = String::from("replica set locked by hand");
        locked.engine_version = String::from("4.2");
        locked.lock_mode = String::from("ManualLock");

        let mut creating = Instance::new(DEMO_CREATING);
        creating.description = String::from("replica set still being created");
        creating.engine_version = String::from("5.0");
        creating.status = String::from("Creating");

        let mut rs32 = Instance::new(DEMO_RS32);
        rs32.description = String::from("replica set on 3.2");
        rs32.engine_version = String::from("3.2");
        rs32.storage_type = String::from("local_ssd");

        Fixture {
            instances: vec![rs40, rs44, sharded, locked, creating, rs32],
        }
    }

    /// The fixture as pretty JSON, the state file's format.
    pub fn to_json(&self) -> String {
        // Serializing plain strings and numbers cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Id of the built-in replica set on 4.0 with SSL closed.
pub const DEMO_RS40: &str = "dds-demo-rs40";
/// Id of the built-in replica set on 4.4 with SSL open.
pub const DEMO_RS44_SSL: &str = "dds-demo-rs44-ssl";
/// Id of the built-in sharded cluster.
pub const DEMO_SHARDED: &str = "dds-demo-sharded";
/// Id of the built-in locked replica set.
pub const DEMO_LOCKED: &str = "dds-demo-locked";
/// Id of the built-in instance still being created.
pub const DEMO_CREATING: &str = "dds-demo-creating";
/// Id of the built-in replica set on 3.2.
pub const DEMO_RS32: &str = "dds-demo-rs32";

impl fmt::Display for SslStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

mod defaults {
    pub(super) fn status() -> String {
        String::from(super::RUNNING)
    }
    pub(super) fn engine() -> String {
        String::from("MongoDB")
    }
    pub(super) fn engine_version() -> String {
        String::from("4.4")
    }
    pub(super) fn lock_mode() -> String {
        String::from("Unlock")
    }
    pub(super) fn region() -> String {
        String::from("cn-hangzhou")
    }
    pub(super) fn zone() -> String {
        String::from("cn-hangzhou-h")
    }
    pub(super) fn class() -> String {
        String::from("dds.mongo.mid")
    }
    pub(super) fn storage() -> u32 {
        20
    }
    pub(super) fn storage_engine() -> String {
        String::from("WiredTiger")
    }
    pub(super) fn storage_type() -> String {
        String::from("cloud_essd1")
    }
    pub(super) fn network_type() -> String {
        String::from("VPC")
    }
    pub(super) fn charge_type() -> String {
        String::from("PostPaid")
    }
    pub(super) fn replication_factor() -> String {
        String::from("3")
    }
    pub(super) fn maintain_start() -> String {
        String::from("18:00Z")
    }
    pub(super) fn maintain_end() -> String {
        String::from("22:00Z")
    }
    pub(super) fn creation_time() -> String {
        String::from("2025-01-01T00:00:00Z")
    }
    pub(super) fn resource_group() -> String {
        String::from("rg-emulator")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_set_covers_every_ssl_rule_case() {
        let fixture = Fixture::builtin();
        let text = fixture.to_json();
        assert_eq!(Fixture::from_json(&text, "builtin").unwrap(), fixture);
        let by_id = |id: &str| fixture.instances.iter().find(|i| i.id == id).unwrap();
        assert_eq!(by_id(DEMO_RS40).engine_version, "4.0");
        assert_eq!(by_id(DEMO_RS44_SSL).ssl.status, SslStatus::Open);
        assert_eq!(by_id(DEMO_SHARDED).instance_type, InstanceType::Sharding);
        assert_eq!(by_id(DEMO_LOCKED).lock_mode, "ManualLock");
        assert_eq!(by_id(DEMO_CREATING).status, "Creating");
        assert_eq!(by_id(DEMO_RS32).engine_version_number(), Some((3, 2)));
    }

    #[test]
    fn a_minimal_fixture_needs_only_ids() {
        let fixture = Fixture::from_json(r#"{"Instances":[{"DBInstanceId":"dds-x"}]}"#, "t")
            .expect("minimal fixture");
        assert_eq!(fixture.instances, vec![Instance::new("dds-x")]);
    }

    #[test]
    fn fixture_mistakes_are_reported_with_what_is_wrong() {
        let cases = [
            (
                r#"{"Instances":[{"DBInstanceId":"a","EngineVersoin":"4.0"}]}"#,
                "unknown field `EngineVersoin`",
            ),
            (
                r#"{"Instances":[{"DBInstanceId":"a"},{"DBInstanceId":"a"}]}"#,
                "DBInstanceId a appears twice",
            ),
            (
                r#"{"Instances":[{"DBInstanceId":"a","EngineVersion":"four"}]}"#,
                "EngineVersion \"four\"",
            ),
            (
                r#"{"Instances":[{"DBInstanceId":"a","MaintainStartTime":"25:00Z"}]}"#,
                "MaintainStartTime",
            ),
            (
                r#"{"Instances":[{"DBInstanceId":"a","DBInstanceType":"cluster"}]}"#,
                "unknown variant `cluster`",
            ),
        ];
        for (text, expected) in cases {
            let message = Fixture::from_json(text, "t").unwrap_err().to_string();
            assert!(message.contains(expected), "{message:?} lacks {expected:?}");
        }
    }

    #[test]
    fn settling_walks_a_pending_change_through_its_restart() {
        let mut instance = Instance::new("dds-x");
        let t0 = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        instance.pending = Some(PendingSslChange {
            action: SslChange::Open,
            starts_at_ms: millis(t0 + Duration::from_secs(10)),
            done_at_ms: millis(t0 + Duration::from_secs(13)),
        });

        instance.settle(t0);
        assert_eq!(instance.status, RUNNING, "before the window nothing moves");
        instance.settle(t0 + Duration::from_secs(11));
        assert_eq!(instance.status, SSL_MODIFYING);
        assert_eq!(instance.ssl.status, SslStatus::Closed);
        instance.settle(t0 + Duration::from_secs(13));
        assert_eq!(instance.status, RUNNING);
        assert_eq!(instance.ssl.status, SslStatus::Open);
        assert_eq!(
            instance.ssl.cert_common_name,
            "dds-x.mongodb.rds.aliyuncs.com"
        );
        assert_eq!(
            instance.ssl.expired_time,
            format_timestamp(t0 + Duration::from_secs(13) + CERTIFICATE_LIFETIME)
        );
        assert_eq!(instance.pending, None);
    }
}
