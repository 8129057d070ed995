//! The rules of ModifyDBInstanceSSL, as a pure function of an instance, the request and the
//! time.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::ApiError;
use crate::model::{
    Instance, InstanceType, PendingSslChange, RUNNING, SslChange, SslStatus, millis,
};

/// When an accepted change takes effect (`SwitchMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SwitchMode {
    /// `0`: restart now.
    Immediately,
    /// `1`: restart at the start of the instance's next maintenance window (now, when the
    /// window is open).
    MaintenanceWindow,
}

/// The oldest engine that supports SSL.
const MIN_ENGINE: (u32, u32) = (3, 4);

/// Checks a ModifyDBInstanceSSL request against `instance` (already settled to `now`) and, when
/// every rule passes, schedules the change: the instance restarts (`SSLModifying`) at once or
/// in its maintenance window, and is `Running` again `restart_time` later.
///
/// The checks run in this order, each answering with the documented code: state, lock mode,
/// engine version, instance type, then the SSL state itself.
pub(crate) fn modify_ssl(
    instance: &mut Instance,
    change: SslChange,
    mode: SwitchMode,
    now: SystemTime,
    restart_time: Duration,
) -> Result<(), ApiError> {
    // A change already scheduled for the maintenance window counts as an operation in
    // progress, even though the instance still reports `Running`.
    if instance.status != RUNNING || instance.pending.is_some() {
        return Err(ApiError::new(
            403,
            "IncorrectDBInstanceState",
            "Current DB instance state does not support this operation.",
        ));
    }
    if instance.lock_mode != "Unlock" {
        return Err(ApiError::new(
            403,
            "IncorrectDBInstanceLockMode",
            "Current DB instance lock mode does not support this operation.",
        ));
    }
    if instance
        .engine_version_number()
        .is_none_or(|version| version < MIN_ENGINE)
    {
        return Err(ApiError::new(
            403,
            "IncorrectEngineVersion",
            "Current engine version does not support operations.",
        ));
    }
    let type_supported = match instance.instance_type {
        InstanceType::Replicate => true,
        // Newer engines allow SSL on sharded clusters whose disks are ESSD.
        InstanceType::Sharding => instance.storage_type.starts_with("cloud_essd"),
        InstanceType::Serverless => false,
    };
    if !type_supported {
        return Err(ApiError::new(
            403,
            "IncorrectDBInstanceType",
            "Current DB instance type does not support this operation.",
        ));
    }
    match (change, instance.ssl.status) {
        (SslChange::Open, SslStatus::Open) => {
            return Err(ApiError::new(
                400,
                "SSLAlreadyEnabled",
                "SSL have already been enabled.",
            ));
        }
        (SslChange::Close, SslStatus::Closed) => {
            return Err(ApiError::new(
                400,
                "SSLAlreadyDisabled",
                "SSL have already been disabled.",
            ));
        }
        (SslChange::Update, SslStatus::Closed) => {
            return Err(ApiError::new(403, "SSLNotEnabled", "SSL not enabled."));
        }
        _ => {}
    }

    let starts_at = match mode {
        SwitchMode::Immediately => now,
        SwitchMode::MaintenanceWindow => next_window_start(instance.maintenance_window(), now),
    };
    instance.pending = Some(PendingSslChange {
        action: change,
        starts_at_ms: millis(starts_at),
        done_at_ms: millis(starts_at + restart_time),
    });
    instance.settle(now);
    Ok(())
}

/// The start of the maintenance window `(start, end)` (minutes after midnight UTC) that is
/// open at `now`, or else of the next one. A window may wrap past midnight.
fn next_window_start((start, end): (u32, u32), now: SystemTime) -> SystemTime {
    let secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let minute_of_day = (secs % 86_400 / 60) as u32;
    let open = if start <= end {
        (start..end).contains(&minute_of_day)
    } else {
        minute_of_day >= start || minute_of_day < end
    };
    if open {
        return now;
    }
    let midnight = secs - secs % 86_400;
    let mut start_secs = midnight + u64::from(start) * 60;
    if start_secs <= secs {
        start_secs += 86_400;
    }
    UNIX_EPOCH + Duration::from_secs(start_secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Fixture, SSL_MODIFYING};

    const RESTART: Duration = Duration::from_secs(3);

    fn at(text: &str) -> SystemTime {
        SystemTime::from(dds_api::signing::parse_timestamp(text).unwrap())
    }

    fn builtin(id: &str) -> Instance {
        Fixture::builtin()
            .instances
            .into_iter()
            .find(|i| i.id == id)
            .unwrap()
    }

    fn code_of(result: Result<(), ApiError>) -> String {
        result.unwrap_err().code.into_owned()
    }

    #[test]
    fn each_precondition_answers_its_documented_code() {
        let now = at("2026-01-01T10:00:00Z");
        let cases = [
            (
                crate::model::DEMO_CREATING,
                SslChange::Open,
                "IncorrectDBInstanceState",
            ),
            (
                crate::model::DEMO_LOCKED,
                SslChange::Open,
                "IncorrectDBInstanceLockMode",
            ),
            (
                crate::model::DEMO_RS32,
                SslChange::Open,
                "IncorrectEngineVersion",
            ),
            (
                crate::model::DEMO_SHARDED,
                SslChange::Open,
                "IncorrectDBInstanceType",
            ),
            (
                crate::model::DEMO_RS44_SSL,
                SslChange::Open,
                "SSLAlreadyEnabled",
            ),
            (
                crate::model::DEMO_RS40,
                SslChange::Close,
                "SSLAlreadyDisabled",
            ),
            (crate::model::DEMO_RS40, SslChange::Update, "SSLNotEnabled"),
        ];
        for (id, change, expected) in cases {
            let mut instance = builtin(id);
            let before = instance.clone();
            let result = modify_ssl(&mut instance, change, SwitchMode::Immediately, now, RESTART);
            assert_eq!(code_of(result), expected, "{id} {change:?}");
            assert_eq!(instance, before, "a refused change leaves {id} untouched");
        }
    }

    #[test]
    fn sharded_clusters_on_essd_disks_accept_ssl() {
        let mut instance = builtin(crate::model::DEMO_SHARDED);
        instance.storage_type = String::from("cloud_essd2");
        let now = at("2026-01-01T10:00:00Z");
        modify_ssl(
            &mut instance,
            SslChange::Open,
            SwitchMode::Immediately,
            now,
            RESTART,
        )
        .unwrap();
        assert_eq!(instance.status, SSL_MODIFYING);
    }

    #[test]
    fn an_immediate_change_restarts_now_and_applies_after_the_restart_time() {
        let mut instance = builtin(crate::model::DEMO_RS40);
        let now = at("2026-01-01T10:00:00Z");
        modify_ssl(
            &mut instance,
            SslChange::Open,
            SwitchMode::Immediately,
            now,
            RESTART,
        )
        .unwrap();
        assert_eq!(instance.status, SSL_MODIFYING);
        assert_eq!(instance.ssl.status, SslStatus::Closed);

        let again = modify_ssl(
            &mut instance,
            SslChange::Close,
            SwitchMode::Immediately,
            now,
            RESTART,
        );
        assert_eq!(code_of(again), "IncorrectDBInstanceState");

        instance.settle(now + RESTART);
        assert_eq!(instance.status, RUNNING);
        assert_eq!(instance.ssl.status, SslStatus::Open);
        assert_eq!(instance.ssl.expired_time, "2027-01-01T10:00:03Z");
    }

    #[test]
    fn a_maintenance_window_change_waits_for_the_window() {
        // The default window is 18:00Z-22:00Z.
        let mut instance = builtin(crate::model::DEMO_RS40);
        let now = at("2026-01-01T10:00:00Z");
        modify_ssl(
            &mut instance,
            SslChange::Open,
            SwitchMode::MaintenanceWindow,
            now,
            RESTART,
        )
        .unwrap();
        assert_eq!(
            instance.status, RUNNING,
            "still running until the window opens"
        );

        instance.settle(at("2026-01-01T17:59:59Z"));
        assert_eq!(instance.status, RUNNING);
        assert_eq!(instance.ssl.status, SslStatus::Closed);
        instance.settle(at("2026-01-01T18:00:01Z"));
        assert_eq!(instance.status, SSL_MODIFYING);
        instance.settle(at("2026-01-01T18:00:03Z"));
        assert_eq!(instance.status, RUNNING);
        assert_eq!(instance.ssl.status, SslStatus::Open);
    }

    #[test]
    fn window_starts_are_found_today_tomorrow_or_now() {
        let window = (18 * 60, 22 * 60);
        assert_eq!(
            next_window_start(window, at("2026-01-01T10:00:00Z")),
            at("2026-01-01T18:00:00Z")
        );
        assert_eq!(
            next_window_start(window, at("2026-01-01T23:00:00Z")),
            at("2026-01-02T18:00:00Z")
        );
        let inside = at("2026-01-01T19:30:00Z");
        assert_eq!(next_window_start(window, inside), inside);
        // A window across midnight, 23:00Z-01:00Z.
        let wrapping = (23 * 60, 60);
        let after_midnight = at("2026-01-02T00:30:00Z");
        assert_eq!(next_window_start(wrapping, after_midnight), after_midnight);
        assert_eq!(
            next_window_start(wrapping, at("2026-01-02T02:00:00Z")),
            at("2026-01-02T23:00:00Z")
        );
    }
}
